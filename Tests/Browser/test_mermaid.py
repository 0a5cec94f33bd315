#!/usr/bin/env python3
"""Renders EntityGraph's Mermaid export with Mermaid itself, in headless Chromium.

Usage (by hand; `swift test --filter InteropConsumerTests` runs it on the seed graph and on
Tests/Fixtures/hostile-strings.json):
    python3 Tests/Browser/test_mermaid.py --document GRAPH.json --mermaid OUT.mmd [--document ... --mermaid ...]

GRAPH.json is the EntityGraph document the chart was made from (the ground truth). mermaid.min.js
comes from the PyPI package artoo-mermaid (unpacked into ~/.cache/entitygraph/mermaid-js);
Selenium goes into ~/.cache/entitygraph/mermaid-venv; chromium and chromium-driver come from apt.
Each is installed when missing.

For each chart, Mermaid (default configuration, securityLevel strict, as GitHub renders it) must:
  - parse it (mermaid.parse) and render it (mermaid.render) without an error;
  - draw one node per entity and one link per relation;
  - show every entity's name as literal text: the label's textContent (each <br> read as a line
    break) equals the name, allowing only the substitutions the exporter documents (line breaks
    CR LF, CR, LF, U+2028, U+2029, U+0085 become line breaks; a tab stays a tab (written #9;);
    other control characters, U+FFFE and U+FFFF become U+FFFD). So no markup in a name becomes an element, no entity code in a name
    is decoded, and no label gains a line break its name did not have;
  - show each declared relation type's label literally in the links of that type;
  - ignore every `%%{init ...}%%` directive in the text: the stylesheet equals that of a plain
    reference chart (same theme), and no <style> holds @import, url( or the injected CSS;
  - create no links or click handlers: no <a>, no href, no on* attribute, no .clickable element,
    no <script>; and load no resource but mermaid.min.js.
Exit status: 0 when every check passed, 1 when one failed, 77 when a dependency cannot be installed.
"""

import argparse
import json
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
sys.dont_write_bytecode = True  # no __pycache__ in the work tree
import consumers  # noqa: E402

LINE_BREAK = re.compile("\r\n|\r|\n|\u2028|\u2029|\u0085")

RENDER = r"""
const [text, reference, done] = arguments;
(async () => {
  const result = {};
  try {
    mermaid.initialize({startOnLoad: false});
    try { await mermaid.parse(text); result.parsed = true; } catch (e) { result.parsed = false; result.parseError = String(e && e.message || e); }
    const ref = await mermaid.render('ref', reference);
    const host = document.getElementById('host');
    host.innerHTML = ref.svg;
    result.referenceStyles = [...host.querySelectorAll('style')].map(s => s.textContent);
    host.innerHTML = '';
    try {
      const out = await mermaid.render('chart', text);
      host.innerHTML = out.svg;
      result.rendered = true;
    } catch (e) { result.rendered = false; result.renderError = String(e && e.message || e); done(result); return; }
    const svg = host.querySelector('svg');
    const labelText = (element) => {
      const copy = element.cloneNode(true);
      copy.querySelectorAll('br').forEach(br => br.replaceWith('\n'));
      return copy.textContent;
    };
    const allowedTags = new Set(['span', 'p', 'div', 'br', 'foreignobject', 'g', 'text', 'tspan', 'rect']);
    result.nodes = [...svg.querySelectorAll('g.node')].map(node => {
      const label = node.querySelector('.nodeLabel') || node.querySelector('.label') || node;
      const tags = [...label.querySelectorAll('*')].map(e => e.tagName.toLowerCase()).filter(t => !allowedTags.has(t));
      return {id: node.id, text: labelText(label), tags};
    });
    result.links = svg.querySelectorAll('.flowchart-link').length;
    result.edgeLabels = [...svg.querySelectorAll('g.edgeLabel')].map(labelText);
    result.styles = [...svg.querySelectorAll('style')].map(s => s.textContent);
    result.anchors = svg.querySelectorAll('a').length;
    result.scripts = svg.querySelectorAll('script').length;
    result.clickable = svg.querySelectorAll('.clickable').length;
    const attributes = [];
    svg.querySelectorAll('*').forEach(e => { for (const a of e.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on') || name === 'href' || name === 'xlink:href') attributes.push(e.tagName + ' ' + a.name + '=' + a.value.slice(0, 80));
    }});
    result.handlerAttributes = attributes;
    await new Promise(r => setTimeout(r, 200));
    result.resources = performance.getEntriesByType('resource').map(r => r.name).filter(n => !n.endsWith('/mermaid.min.js'));
  } catch (e) { result.error = String(e && e.stack || e); }
  done(result);
})();
"""


def displayed(text):
    """A name as the exporter documents Mermaid shows it."""
    out = []
    for ch in LINE_BREAK.sub("\n", text):
        code = ord(ch)
        if ch not in "\n\t" and (code < 0x20 or code == 0x7F or code in (0xFFFE, 0xFFFF)):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def css_rules(styles, chart_id):
    """The rules of a stylesheet, with the chart's id made neutral, as a set of strings."""
    text = " ".join(styles).replace("#" + chart_id, "#ID")
    return {rule.strip() for rule in text.split("}") if rule.strip()}


def check_chart(c, driver, page, document, text, name):
    driver.get(page)
    result = driver.execute_async_script(RENDER, text, "flowchart LR\n  a[\"A\"] --> b[\"B\"]\n")
    if result.get("error"):
        c.fail("%s: the page failed: %s" % (name, result["error"][:500]))
        return
    c.expect(result.get("parsed"), "%s: mermaid.parse rejected the chart: %s" % (name, result.get("parseError")))
    if not c.expect(result.get("rendered"), "%s: mermaid.render failed: %s" % (name, result.get("renderError"))):
        return
    entities = document.get("entities", [])
    relations = document.get("relations", [])
    c.equal(len(result["nodes"]), len(entities), "%s: nodes drawn" % name)
    c.equal(result["links"], len(relations), "%s: links drawn" % name)

    shown = [node["text"] for node in result["nodes"]]
    remaining = list(shown)
    for entity in entities:
        expected = displayed(entity["name"])
        if expected in remaining:
            remaining.remove(expected)
        else:
            c.fail("%s: entity %r: name %r is not shown literally" % (name, entity["id"], expected))
    for text_shown in remaining:
        c.fail("%s: a node shows %r, which is no entity's name" % (name, text_shown))
    broken = [displayed(entity["name"]) for entity in entities if "\n" in displayed(entity["name"])]
    for text_shown in shown:
        if "\n" in text_shown:
            if text_shown in broken:
                broken.remove(text_shown)
            else:
                c.fail("%s: the label %r has a line break where no name has one" % (name, text_shown))
    for node in result["nodes"]:
        c.expect(not node["tags"], "%s: node %s label has elements %s" % (name, node["id"], node["tags"]))

    declared = {t["id"]: t.get("label") for t in document.get("relationTypes", [])}
    for relation in relations:
        label = declared.get(relation["type"])
        if label:
            want = displayed(label)
            c.expect(any(want in shown_label for shown_label in result["edgeLabels"]),
                     "%s: relation %r: type label %r is not shown literally in any link label (labels: %r)"
                     % (name, relation["id"], want, sorted(set(result["edgeLabels"]))[:6]))

    reference = css_rules(result["referenceStyles"], "ref")
    chart = css_rules(result["styles"], "chart")
    missing = sorted(reference - chart)
    c.expect(not missing, "%s: stylesheet differs from the default theme's (a directive took effect?): "
             "missing %r" % (name, missing[:3]))
    css = " ".join(result["styles"])
    for needle in ("@import", "url(", "example.org"):
        c.expect(needle not in css, "%s: a <style> holds %r" % (name, needle))
    c.equal(result["anchors"], 0, "%s: <a> elements" % name)
    c.equal(result["scripts"], 0, "%s: <script> elements" % name)
    c.equal(result["clickable"], 0, "%s: .clickable elements" % name)
    c.equal(result["handlerAttributes"], [], "%s: href or on* attributes" % name)
    c.equal(result["resources"], [], "%s: resources loaded besides mermaid.min.js" % name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", action="append", required=True)
    parser.add_argument("--mermaid", action="append", required=True)
    arguments = parser.parse_args()
    if len(arguments.document) != len(arguments.mermaid):
        parser.error("give one --mermaid per --document")

    consumers.ensure_apt(consumers.BROWSER_APT, consumers.has_command("chromium", "chromedriver"))
    script = consumers.mermaid_js()
    name, requirements, probe = consumers.BROWSER
    consumers.run_in_venv(consumers.ensure_venv(name, requirements, probe), __file__)

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    folder = tempfile.mkdtemp(prefix="entitygraph-mermaid-")
    page = os.path.join(folder, "index.html")
    with open(page, "w", encoding="utf-8") as handle:
        handle.write('<!doctype html><meta charset="utf-8"><script src="file://%s"></script><div id="host"></div>\n'
                     % script)
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("EG_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,900", "--allow-file-access-from-files"):
        options.add_argument(argument)
    started = time.time()
    driver = webdriver.Chrome(service=Service(os.environ.get("EG_CHROMEDRIVER", "/usr/bin/chromedriver")),
                              options=options)
    driver.set_script_timeout(60)
    checker = consumers.Checker("mermaid")
    try:
        for document_path, chart_path in zip(arguments.document, arguments.mermaid):
            with open(document_path, encoding="utf-8") as handle:
                document = json.load(handle)
            with open(chart_path, encoding="utf-8") as handle:
                text = handle.read()
            check_chart(checker, driver, "file://" + page, document, text, os.path.basename(document_path))
    finally:
        driver.quit()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    version = [n[len("artoo_mermaid-"):-len(".dist-info")] for n in os.listdir(os.path.join(os.path.dirname(script), "..", ".."))
               if n.startswith("artoo_mermaid-") and n.endswith(".dist-info")]
    checker.notes.append("Chromium + mermaid.js %s checked %d chart(s) in %.1f s" % (",".join(version), len(arguments.mermaid),
                                                                                  time.time() - started))
    return checker.report()


if __name__ == "__main__":
    sys.exit(main())
