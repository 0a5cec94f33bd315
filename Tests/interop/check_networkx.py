#!/usr/bin/env python3
"""Checks EntityGraph's GraphML and GEXF exports with a real consumer: networkx.

Usage (by hand; `swift test --filter InteropConsumerTests` runs it on the seed graph and on
Tests/Fixtures/hostile-strings.json):
    python3 Tests/interop/check_networkx.py --document GRAPH.json --graphml OUT.graphml --gexf OUT.gexf

GRAPH.json is the EntityGraph document the exports were made from; it is read with the standard
json module and is the ground truth. For both files (nx.read_graphml, nx.read_gexf):
  - one node per entity and one edge per relation: no two entity ids collapse into one node and no
    two relation ids into one edge; the graph is directed;
  - every node is found by the entity's id, exactly, or -- only for an id XML 1.0 cannot carry --
    by the documented substitution (such characters become U+FFFD), each node claimed once;
  - every node's name (GraphML `name`, GEXF `label`) and kind, every edge's endpoints, type,
    certainty, and (GEXF) start/end dates expanded from the partial since/until dates, GraphML's
    since/until as written;
  - every entity and relation attribute: strings exactly (U+FFFD for what XML 1.0 cannot carry),
    numbers and booleans typed, arrays/objects/null as JSON text of the same value; keys colliding
    with fixed names are expected as attr.KEY (documented in GraphMLExport.swift).

networkx is installed into ~/.cache/entitygraph/networkx-venv when missing. Exit status: 0 when
every check passed, 1 when one failed (each failure printed), 77 when networkx cannot be installed.
"""

import argparse
import calendar
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the work tree
import consumers  # noqa: E402


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


def xml_value(value):
    """A value with every string (object keys too) through xml_safe: what the documented
    substitution leaves of it when JSON text is written without escaping those characters."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [xml_value(item) for item in value]
    if isinstance(value, dict):
        return {xml_safe(key): xml_value(item) for key, item in value.items()}
    return value


def same_value(actual, expected):
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected or (isinstance(actual, str) and actual == json.dumps(expected))
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return actual == expected
    if isinstance(expected, str):
        return actual == xml_safe(expected)
    if isinstance(actual, str):
        try:
            decoded = json.loads(actual)
        except ValueError:
            return False
        return decoded == expected or decoded == xml_value(expected)
    return False


def attribute_key(key, reserved):
    # Mirrors the exporter: keys colliding with fixed names are written as attr.KEY.
    normalized = key.lower().replace(" ", "").replace("_", "").replace("-", "")
    if not key or key.strip() != key or key.lower().startswith("attr.") or normalized in reserved:
        return "attr." + key
    return key


NODE_RESERVED = {"name", "label", "kind", "aliases", "description", "sources", "id"}
EDGE_RESERVED = {"type", "label", "category", "since", "until", "certainty", "assertedby", "sources", "id",
                 "source", "target", "start", "end", "weight", "key"}


def map_nodes(c, name, graph, entities, name_key):
    """entity id -> node key: the exact id, else (XML cannot carry the id) its documented
    substitution, else the one unclaimed node showing the entity's name. A node is claimed once."""
    mapping = {}
    claimed = set()
    for entity in entities:
        if entity["id"] in graph.nodes:
            mapping[entity["id"]] = entity["id"]
            claimed.add(entity["id"])
    for entity in entities:
        eid = entity["id"]
        if eid in mapping:
            continue
        if xml_safe(eid) == eid:
            c.fail("%s: node %r missing" % (name, eid))
            continue
        candidates = [xml_safe(eid)] if xml_safe(eid) in graph.nodes and xml_safe(eid) not in claimed else []
        if not candidates:
            candidates = [node for node in graph.nodes if node not in claimed
                          and graph.nodes[node].get(name_key) == xml_safe(entity["name"])]
        if len(candidates) != 1:
            c.fail("%s: entity %r has no node of its own (XML 1.0 cannot carry its id, and it shares node %r "
                   "with another entity: ids collapsed)" % (name, eid, xml_safe(eid)))
            continue
        mapping[eid] = candidates[0]
        claimed.add(candidates[0])
    return mapping


def check(nx, document, graphml_path, gexf_path):
    c = consumers.Checker("networkx %s" % nx.__version__)
    entities = document.get("entities", [])
    relations = document.get("relations", [])

    for name, path in (("GraphML", graphml_path), ("GEXF", gexf_path)):
        try:
            if name == "GraphML":
                graph = nx.read_graphml(path, force_multigraph=True)
            else:
                graph = nx.read_gexf(path, version="1.3")
        except Exception as error:  # the reader's own error: the file is not what it claims
            c.fail("%s: networkx cannot read the file: %s: %s" % (name, type(error).__name__, error))
            continue
        c.equal(graph.number_of_nodes(), len(entities), name + " node count (one per entity, no ids collapsed)")
        c.equal(graph.number_of_edges(), len(relations), name + " edge count (one per relation)")
        c.expect(graph.is_directed(), name + " graph is directed")

        name_key = "name" if name == "GraphML" else "label"
        mapping = map_nodes(c, name, graph, entities, name_key)
        for entity in entities:
            node = mapping.get(entity["id"])
            if node is None:
                continue
            data = graph.nodes[node]
            c.equal(data.get(name_key), xml_safe(entity["name"]), "%s node %r %s" % (name, entity["id"], name_key))
            c.equal(data.get("kind"), entity["kind"], "%s node %r kind" % (name, entity["id"]))
            for key, value in entity.get("attributes", {}).items():
                column = attribute_key(key, NODE_RESERVED)
                actual = data.get(column)
                c.expect(same_value(actual, value), "%s node %r attribute %r: expected %r, got %r"
                         % (name, entity["id"], key, xml_value(value), actual))

        by_id = {}
        for source, target, data in graph.edges(data=True):
            if data.get("id") is not None:
                by_id.setdefault(data.get("id"), []).append((source, target, data))
        if name == "GraphML":
            # networkx keeps GraphML edge ids as multigraph keys.
            for source, target, key in graph.edges(keys=True):
                entry = (source, target, graph.edges[source, target, key])
                if entry not in by_id.get(key, []):
                    by_id.setdefault(key, []).append(entry)
        for relation in relations:
            rid = relation["id"]
            found = by_id.get(rid) or by_id.get(xml_safe(rid))
            if not found:
                c.fail("%s: edge %r missing" % (name, rid))
                continue
            c.expect(len(found) == 1, "%s: edge id %r is carried by %d edges (relation ids collapsed)"
                     % (name, xml_safe(rid), len(found)))
            source, target, data = found[0]
            c.equal((source, target), (mapping.get(relation["source"]), mapping.get(relation["target"])),
                    "%s edge %r endpoints" % (name, rid))
            c.equal(data.get("type"), relation["type"], "%s edge %r type" % (name, rid))
            c.equal(data.get("certainty"), relation.get("certainty", "confirmed"), "%s edge %r certainty" % (name, rid))
            if name == "GEXF":
                if "since" in relation:
                    c.equal(str(data.get("start")), first_day(relation["since"]), "GEXF edge %r start" % rid)
                if "until" in relation:
                    c.equal(str(data.get("end")), last_day(relation["until"]), "GEXF edge %r end" % rid)
            else:
                for field in ("since", "until"):
                    if field in relation:
                        c.equal(data.get(field), relation[field], "GraphML edge %r %s" % (rid, field))
            for key, value in relation.get("attributes", {}).items():
                column = attribute_key(key, EDGE_RESERVED)
                actual = data.get(column)
                c.expect(same_value(actual, value), "%s edge %r attribute %r: expected %r, got %r"
                         % (name, rid, key, xml_value(value), actual))
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", required=True)
    parser.add_argument("--graphml", required=True)
    parser.add_argument("--gexf", required=True)
    arguments = parser.parse_args()
    venv, requirements, probe = consumers.NETWORKX
    consumers.run_in_venv(consumers.ensure_venv(venv, requirements, probe), __file__)
    import networkx

    with open(arguments.document, encoding="utf-8") as handle:
        document = json.load(handle)
    return check(networkx, document, arguments.graphml, arguments.gexf).report()


if __name__ == "__main__":
    sys.exit(main())
