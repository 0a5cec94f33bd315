#!/usr/bin/env python3
"""Checks EntityGraph's GraphML and GEXF exports with a real consumer: networkx.

Usage:
    check_networkx.py --document GRAPH.json --graphml OUT.graphml --gexf OUT.gexf

GRAPH.json is the EntityGraph document the exports were made from; it is read with the standard
json module and is the ground truth. The script checks, for both files: node and edge counts,
every node's name and kind, every edge's endpoints, type, certainty and (GEXF) start/end dates
expanded from the partial since/until dates, plus every string attribute of every entity and
relation, compared exactly (characters XML 1.0 cannot carry are expected as U+FFFD).

Installs networkx with pip when it is missing. Exit status: 0 when every check passed, 1 when
one failed (each failure printed), 77 when networkx is unavailable and cannot be installed.
"""

import argparse
import calendar
import importlib
import json
import subprocess
import sys

SKIP = 77


def load_networkx():
    try:
        return importlib.import_module("networkx")
    except ImportError:
        pass
    print("networkx is missing; installing it with pip", file=sys.stderr)
    for extra in ([], ["--user"], ["--break-system-packages"]):
        command = [sys.executable, "-m", "pip", "install", "--quiet", "networkx"] + extra
        if subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
            importlib.invalidate_caches()
            try:
                return importlib.import_module("networkx")
            except ImportError:
                continue
    print("SKIP: networkx is not installed and pip could not install it", file=sys.stderr)
    sys.exit(SKIP)


def xml_safe(text):
    """What an XML 1.0 export can carry: forbidden characters become U+FFFD."""
    out = []
    for ch in text:
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n\r") or code in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def first_day(date):
    parts = date.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else 1
    day = int(parts[2]) if len(parts) > 2 else 1
    return "%04d-%02d-%02d" % (year, month, day)


def last_day(date):
    parts = date.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else 12
    day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return "%04d-%02d-%02d" % (year, month, day)


class Checker:
    def __init__(self):
        self.failures = []
        self.checks = 0

    def expect(self, condition, message):
        self.checks += 1
        if not condition:
            self.failures.append(message)

    def equal(self, actual, expected, what):
        self.expect(actual == expected, "%s: expected %r, got %r" % (what, expected, actual))


def attribute_key(key, reserved):
    # Mirrors the exporter: keys colliding with fixed names are written as attr.KEY.
    normalized = key.lower().replace(" ", "").replace("_", "").replace("-", "")
    if not key or key.strip() != key or key.lower().startswith("attr.") or normalized in reserved:
        return "attr." + key
    return key


NODE_RESERVED = {"name", "label", "kind", "aliases", "description", "sources", "id"}
EDGE_RESERVED = {"type", "label", "category", "since", "until", "certainty", "assertedby", "sources", "id",
                 "source", "target", "start", "end", "weight", "key"}


def check(nx, document, graphml_path, gexf_path):
    c = Checker()
    entities = document.get("entities", [])
    relations = document.get("relations", [])

    for name, path in (("GraphML", graphml_path), ("GEXF", gexf_path)):
        if name == "GraphML":
            graph = nx.read_graphml(path, force_multigraph=True)
        else:
            graph = nx.read_gexf(path, version="1.3")
        c.equal(graph.number_of_nodes(), len(entities), name + " node count")
        c.equal(graph.number_of_edges(), len(relations), name + " edge count")
        c.expect(graph.is_directed(), name + " graph is directed")

        for entity in entities:
            node = entity["id"]
            if node not in graph.nodes:
                c.expect(False, "%s: node %r missing" % (name, node))
                continue
            data = graph.nodes[node]
            name_key = "name" if name == "GraphML" else "label"
            c.equal(data.get(name_key), xml_safe(entity["name"]), "%s node %r %s" % (name, node, name_key))
            c.equal(data.get("kind"), entity["kind"], "%s node %r kind" % (name, node))
            for key, value in entity.get("attributes", {}).items():
                if isinstance(value, str):
                    column = attribute_key(key, NODE_RESERVED)
                    c.equal(data.get(column), xml_safe(value), "%s node %r attribute %r" % (name, node, key))

        by_id = {}
        for source, target, data in graph.edges(data=True):
            by_id[data.get("id")] = (source, target, data)
        if name == "GraphML":
            # networkx keeps GraphML edge ids as multigraph keys.
            for source, target, key in graph.edges(keys=True):
                by_id.setdefault(key, (source, target, graph.edges[source, target, key]))
        for relation in relations:
            rid = relation["id"]
            found = by_id.get(rid)
            if found is None:
                c.expect(False, "%s: edge %r missing" % (name, rid))
                continue
            source, target, data = found
            c.equal((source, target), (relation["source"], relation["target"]), "%s edge %r endpoints" % (name, rid))
            c.equal(data.get("type"), relation["type"], "%s edge %r type" % (name, rid))
            c.equal(data.get("certainty"), relation.get("certainty", "confirmed"), "%s edge %r certainty" % (name, rid))
            if name == "GEXF":
                if "since" in relation:
                    c.equal(str(data.get("start")), first_day(relation["since"]), "GEXF edge %r start" % rid)
                if "until" in relation:
                    c.equal(str(data.get("end")), last_day(relation["until"]), "GEXF edge %r end" % rid)
            elif "since" in relation:
                c.equal(data.get("since"), relation["since"], "GraphML edge %r since" % rid)
            for key, value in relation.get("attributes", {}).items():
                if isinstance(value, str):
                    column = attribute_key(key, EDGE_RESERVED)
                    c.equal(data.get(column), xml_safe(value), "%s edge %r attribute %r" % (name, rid, key))
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", required=True)
    parser.add_argument("--graphml", required=True)
    parser.add_argument("--gexf", required=True)
    arguments = parser.parse_args()
    nx = load_networkx()
    with open(arguments.document, encoding="utf-8") as handle:
        document = json.load(handle)
    checker = check(nx, document, arguments.graphml, arguments.gexf)
    for failure in checker.failures[:50]:
        print("FAIL: " + failure)
    passed = checker.checks - len(checker.failures)
    print("networkx %s: %d passed, %d failed" % (nx.__version__, passed, len(checker.failures)))
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
