#!/usr/bin/env python3
"""Checks EntityGraph's DOT export with Graphviz's own command-line tools reading it back.

Usage (by hand; `swift test --filter DOTConsumerTests` runs it on the seed graph and on
Tests/Fixtures/hostile-strings.json):
    python3 Tests/interop/check_dot.py --document GRAPH.json --dot OUT.gv

GRAPH.json is the EntityGraph document the DOT was made from (the ground truth); the mapping is the
one Sources/EntityGraphviz/Interop/DOTExport.swift documents: entity id -> node name, name -> label
(drawn literally), kind, description, aliases (JSON array) and attributes -> node attributes
(non-strings as JSON listed in jsonAttributes); relation id -> edge key, type, since, until,
certainty (omitted when confirmed), assertedBy and attributes -> edge attributes; title -> graph
name; graph attributes (strings) -> graph attributes.

Checks, with `dot`, `gc` and `gvpr` (Debian package graphviz, installed with apt when missing):
  - `dot -Tjson` reads the file without an error or warning; the graph's name is the title;
  - `gc -n -e` counts one node per entity and one edge per relation;
  - every entity is exactly one node named by its id (no two ids collapse into one node), with the
    document's kind, description, aliases and attributes;
  - every node's label as drawn -- the text operations ("T", key "text") of its _ldraw_ -- is the
    entity's name, line by line: a backslash in a name is drawn as a backslash, `\\n` typed as two
    characters is not a line break, `&amp;` stays `&amp;`; only CR LF, CR and LF break lines;
  - every relation is exactly one edge keyed by its id (keys read with gvpr) between the right
    nodes, with its type, dates, certainty, assertedBy and attributes.
Exit status: 0 when every check passed, 1 when one failed, 77 when Graphviz cannot be installed.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the work tree
import consumers  # noqa: E402

LINE_BREAK = re.compile("\r\n|\r|\n")
KEY_SCRIPT = ('E { int n = length($.tail.name) + 2 + length($.head.name) + 1; '
              'if (length($.name) > n) aset($, "eg_key", substr($.name, n, length($.name) - n - 1)); }')


def run(command, data=None):
    return subprocess.run(command, input=data, capture_output=True)


def drawn_lines(ops):
    return [op.get("text", op.get("t", "")) for op in ops or [] if op.get("op") == "T"]


def nonempty(lines):
    return [line for line in lines if line != ""]


PERCENT = re.compile("%([0-9A-Fa-f]{2})")


def percent_decoded(value):
    """Undoes DOTExport's %-escapes (%25, %5C, %00-%1F, %7F), the documented spelling of values
    cgraph's writer cannot hold; any other %XX is text."""
    def one(match):
        code = int(match.group(1), 16)
        return chr(code) if code in (0x25, 0x5C, 0x7F) or code < 0x20 else match.group(0)
    return PERCENT.sub(one, value)


def unescaped(obj):
    """The object's attributes with those its `percentEncoded` lists decoded."""
    names = set(json.loads(obj.get("percentEncoded", "[]")))
    if "name" in names:
        names.add("eg_name_attribute")
    return {key: (percent_decoded(value) if key in names and isinstance(value, str) and key != "name" else value)
            for key, value in obj.items()}


def pairs_keeping_name_attribute(pairs):
    """dot -Tjson writes a node's name as "name" and then its attribute `name` under the same key:
    keep the first as "name" and the attribute as "eg_name_attribute"."""
    result = {}
    for key, value in pairs:
        if key == "name" and "name" in result:
            result["eg_name_attribute"] = value
        else:
            result[key] = value
    return result


def drawn_label(name):
    """The lines Graphviz draws for a name, by the map's label escaping (RenderPlan.swift,
    GraphvizText.escaped): CR LF, CR, LF, U+0085, U+2028 and U+2029 break lines; a tab is a space;
    other control characters and U+FFFE/U+FFFF are U+FFFD."""
    lines = re.split("\r\n|\r|\n|\u0085|\u2028|\u2029", name)
    def shown(ch):
        code = ord(ch)
        if ch == "\t":
            return " "
        if code < 0x20 or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF):
            return "\ufffd"
        return ch
    return ["".join(shown(ch) for ch in line) for line in lines]


def decoded(value, name, json_names):
    if name in json_names:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def check(c, document, path):
    entities = document.get("entities", [])
    relations = document.get("relations", [])

    layout = run(["dot", "-Tjson", path])
    stderr = layout.stderr.decode("utf-8", "replace").strip()
    if not c.expect(layout.returncode == 0, "dot -Tjson cannot read the export: %s" % stderr[:400]):
        return
    c.expect(not stderr, "dot -Tjson warns: %s" % stderr[:400])
    # Graphviz's JSON writer copies control characters into strings raw: read it leniently.
    graph = unescaped(json.loads(layout.stdout.decode("utf-8"), strict=False,
                                 object_pairs_hook=pairs_keeping_name_attribute))
    if "title" in document:
        c.equal(graph.get("graphTitle", graph.get("name")), document["title"], "DOT graph name (the title)")
    for key, value in document.get("attributes", {}).items():
        if key in ("directed", "strict", "charset") or not isinstance(value, str) or not value:
            continue
        c.equal(graph.get(key), value, "DOT graph attribute %r" % key)

    counts = run(["gc", "-n", "-e", path])
    numbers = counts.stdout.decode("utf-8", "replace").split()
    if c.expect(counts.returncode == 0 and len(numbers) >= 2, "gc cannot count: %s" % counts.stderr[:300]):
        c.equal(int(numbers[0]), len(entities), "gc: nodes")
        c.equal(int(numbers[1]), len(relations), "gc: edges")

    objects = graph.get("objects", [])
    nodes = [unescaped(node) for node in objects[graph.get("_subgraph_cnt", 0):]]  # subgraphs come first
    # An id the writer cannot hold names its node in an escaped spelling, the exact id in entityID.
    for node in nodes:
        node["eg_id"] = node.get("entityID", node["name"])
    by_gvid = {obj["_gvid"]: obj for obj in nodes}
    by_name = {}
    for node in nodes:
        by_name.setdefault(node["eg_id"], []).append(node)
    c.equal(len(nodes), len(entities), "dot: nodes read")
    for name, found in by_name.items():
        c.expect(len(found) == 1, "dot: node name %r appears %d times" % (name, len(found)))

    for entity in entities:
        eid = entity["id"]
        found = by_name.get(eid)
        if not found:
            c.fail("dot: no node named %r (entity %r)" % (eid, eid))
            continue
        node = found[0]
        json_names = set(json.loads(node.get("jsonAttributes", "[]")))
        attributes = entity.get("attributes", {})
        if "label" not in attributes and entity["name"] != "":  # else the name is carried in `name`
            lines = drawn_lines(node.get("_ldraw_"))
            expected = drawn_label(entity["name"])
            if "eg_name_attribute" in node:  # the label could not show the name exactly; `name` carries it
                c.equal(decoded(node["eg_name_attribute"], "name", json_names), entity["name"],
                        "dot: name of %r" % eid)
                lines = [line.replace("\uff3c", "\\") for line in lines]
            c.equal(nonempty(lines), nonempty(expected), "dot: label of %r as drawn (text lines)" % eid)
        c.equal(node.get("kind"), entity["kind"], "dot: kind of %r" % eid)
        c.equal(decoded(node.get("description"), "description", json_names), entity.get("description"),
                "dot: description of %r" % eid)
        aliases = node.get("aliases")
        c.equal(json.loads(aliases) if aliases else [], entity.get("aliases", []), "dot: aliases of %r" % eid)
        for key, value in attributes.items():
            if key in ("name", "kind", "description", "aliases", "jsonAttributes", "label", "percentEncoded",
                       "entityID", "relationID", "graphTitle"):
                continue
            raw = node.get(key)
            if raw is None:
                c.fail("dot: attribute %r of %r missing" % (key, eid))
                continue
            c.equal(decoded(raw, key, json_names), value, "dot: attribute %r of %r" % (key, eid))

    # Edge keys: gvpr writes each edge's key into an attribute, dot -Tjson0 reads it; same edge order.
    keyed = run(["gvpr", "-c", KEY_SCRIPT, path])
    keys_json = run(["dot", "-Tjson0"], keyed.stdout) if keyed.returncode == 0 else None
    if not c.expect(keys_json is not None and keys_json.returncode == 0,
                    "gvpr/dot -Tjson0 cannot read the edge keys: %s" % (keyed.stderr[:300])):
        return
    key_edges = json.loads(keys_json.stdout.decode("utf-8"), strict=False).get("edges", [])
    edges = graph.get("edges", [])
    c.equal(len(edges), len(relations), "dot: edges read")
    found = {}
    for index, edge in enumerate(edges):
        edge = unescaped(edge)
        key = edge.get("relationID", key_edges[index].get("eg_key") if index < len(key_edges) else None)
        tail = by_gvid.get(edge["tail"], {}).get("eg_id")
        head = by_gvid.get(edge["head"], {}).get("eg_id")
        if key in found:
            c.fail("dot: edge key %r appears twice" % key)
        found[key] = (tail, head, edge)
    for relation in relations:
        rid = relation["id"]
        if rid not in found:
            c.fail("dot: no edge keyed %r" % rid)
            continue
        tail, head, edge = found[rid]
        c.equal((tail, head), (relation["source"], relation["target"]), "dot: endpoints of %r" % rid)
        c.equal(edge.get("type"), relation["type"], "dot: type of %r" % rid)
        for field in ("since", "until", "assertedBy"):
            c.equal(edge.get(field), relation.get(field), "dot: %s of %r" % (field, rid))
        certainty = relation.get("certainty", "confirmed")
        c.equal(edge.get("certainty"), None if certainty == "confirmed" else certainty, "dot: certainty of %r" % rid)
        json_names = set(json.loads(edge.get("jsonAttributes", "[]")))
        for key, value in relation.get("attributes", {}).items():
            if key in ("type", "since", "until", "certainty", "assertedBy", "key", "jsonAttributes",
                       "percentEncoded", "relationID"):
                continue
            raw = edge.get(key)
            if raw is None:
                c.fail("dot: attribute %r of %r missing" % (key, rid))
                continue
            c.equal(decoded(raw, key, json_names), value, "dot: attribute %r of %r" % (key, rid))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", required=True)
    parser.add_argument("--dot", required=True)
    arguments = parser.parse_args()
    consumers.ensure_apt(consumers.GRAPHVIZ_APT, consumers.has_command("dot", "gc", "gvpr"))
    with open(arguments.document, encoding="utf-8") as handle:
        document = json.load(handle)
    checker = consumers.Checker("dot")
    started = time.time()
    check(checker, document, arguments.dot)
    version = run(["dot", "-V"]).stderr.decode("utf-8", "replace").strip()
    checker.notes.append("%s checked the export in %.1f s" % (version, time.time() - started))
    return checker.report()


if __name__ == "__main__":
    sys.exit(main())
