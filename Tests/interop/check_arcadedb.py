#!/usr/bin/env python3
"""Runs EntityGraph's Cypher script in ArcadeDB through the official Neo4j driver over Bolt.

Usage (by hand; `swift test --filter InteropConsumerTests` runs it on the seed graph and on
Tests/Fixtures/hostile-strings.json):
    python3 Tests/interop/check_arcadedb.py --document GRAPH.json --cypher OUT.cypher

GRAPH.json is the EntityGraph document the script was made from (the ground truth).

What it does: starts an ArcadeDB server in this process (PyPI `arcadedb-embedded`, which bundles
the engine's jars, a Java runtime and the Bolt plugin, so no JRE is needed) with the Bolt plugin on
127.0.0.1 (free ports, a temporary root folder, server log kept out of the output), creates a
database, and sends the script statement by statement with the `neo4j` driver, as a Neo4j user
would. Then it checks:
  - every statement is accepted;
  - node and relationship counts; every source document has a :SourceDocument node;
  - every entity's node (labels include Entity), name, kind, aliases, description and attributes,
    every relation's id, type property, endpoints, dates, certainty and attributes equal the
    document's exactly (values Cypher cannot store -- objects, null, mixed arrays -- may come back
    as JSON text of the same value); relationship types are UPPER_SNAKE_CASE.
Both packages are installed into ~/.cache/entitygraph/arcadedb-venv when missing.

Exit status: 0 when every check passed, 1 when one failed, 77 when ArcadeDB cannot be installed.
"""

import argparse
import json
import os
import shutil
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the work tree
import consumers  # noqa: E402

PASSWORD = "entitygraph-check"


def free_ports(count):
    """Returns `count` distinct ports that were free a moment ago.

    All probe sockets stay open until every port is chosen, so the kernel cannot hand out one port
    twice (two separate probes once returned the same port for Bolt and HTTP, and the server could
    not start). Another process can still take a port before the server binds it; `start_server`
    retries for that.
    """
    probes = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probes.append(probe)
            probe.bind(("127.0.0.1", 0))
        ports = [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()
    assert len(set(ports)) == count, "the kernel returned one port twice: %r" % ports
    return ports


def start_server(arcadedb_embedded, folder, attempts=5):
    """Starts ArcadeDB with Bolt on fresh free ports; returns (server, bolt_port).

    A start that fails (a port taken between the probe and the bind, by a check running in
    parallel say) is retried with new ports and a new root folder, up to `attempts` times.
    """
    for attempt in range(attempts):
        http, bolt = free_ports(2)
        config = {"host": "127.0.0.1", "http_port": http, "bolt_port": bolt,
                  "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"}
        root = os.path.join(folder, "root-%d" % attempt)
        server = arcadedb_embedded.create_server(root, root_password=PASSWORD, config=config)
        try:
            server.start()
            return server, bolt
        except Exception:
            try:
                server.stop()
            except Exception:
                pass
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


class QuietStderr:
    """Sends file descriptor 2 (the JVM's log) to a file while the server runs."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        sys.stderr.flush()
        self.saved = os.dup(2)
        self.file = open(self.path, "w")
        os.dup2(self.file.fileno(), 2)
        return self

    def __exit__(self, *exc):
        sys.stderr.flush()
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.file.close()


def check(c, document, text, folder):
    import arcadedb_embedded
    import neo4j
    from check_cypher import compare_entities, compare_relations, statements

    server, bolt = start_server(arcadedb_embedded, folder)
    try:
        server.create_database("entitygraph")
        driver = neo4j.GraphDatabase.driver("bolt://127.0.0.1:%d" % bolt, auth=("root", PASSWORD))
        try:
            with driver.session(database="entitygraph") as session:
                rejected = 0
                for number, line in statements(text):
                    try:
                        session.run(line).consume()
                    except Exception as error:  # the engine's own parse or run error
                        rejected += 1
                        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                        c.fail("ArcadeDB: rejected line %d: %s" % (number, message[:300]))
                c.equal(rejected, 0, "ArcadeDB: statements rejected")
                entities = document.get("entities", [])
                relations = document.get("relations", [])
                documents = document.get("documents", [])
                count = session.run("MATCH (n:Entity) RETURN count(n) AS c").single()["c"]
                c.equal(count, len(entities), "ArcadeDB: entity nodes")
                count = session.run("MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS c").single()["c"]
                c.equal(count, len(relations), "ArcadeDB: relationships")
                found = [record["id"] for record in session.run("MATCH (d:SourceDocument) RETURN d.id AS id")]
                c.equal(sorted(found), sorted(d["id"] for d in documents), "ArcadeDB: source document nodes")
                nodes = {}
                for record in session.run("MATCH (n:Entity) RETURN n.id AS id, properties(n) AS p, labels(n) AS l"):
                    nodes[record["id"]] = record["p"]
                    c.expect("Entity" in record["l"], "ArcadeDB: labels of %r include Entity" % record["id"])
                edges = {}
                query = "MATCH (a:Entity)-[r]->(b:Entity) RETURN r.id AS id, a.id AS a, b.id AS b, properties(r) AS p, type(r) AS t"
                for record in session.run(query):
                    edges[record["id"]] = (record["a"], record["b"], record["p"])
                    kind = record["t"] or ""
                    c.expect(kind and all(ch.isupper() or ch.isdigit() or ch == "_" for ch in kind),
                             "ArcadeDB: relationship type %r of %r is UPPER_SNAKE" % (kind, record["id"]))
                compare_entities(c, "ArcadeDB", entities, nodes)
                compare_relations(c, "ArcadeDB", relations, edges)
        finally:
            driver.close()
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", required=True)
    parser.add_argument("--cypher", required=True)
    arguments = parser.parse_args()

    name, requirements, probe = consumers.ARCADEDB
    consumers.run_in_venv(consumers.ensure_venv(name, requirements, probe), __file__)

    with open(arguments.document, encoding="utf-8") as handle:
        document = json.load(handle)
    with open(arguments.cypher, encoding="utf-8") as handle:
        text = handle.read()
    checker = consumers.Checker("arcadedb")
    folder = tempfile.mkdtemp(prefix="entitygraph-arcadedb-")
    started = time.time()
    log = os.path.join(folder, "server.log")
    os.chdir(folder)  # the engine writes its log/ folder into the working directory
    try:
        with QuietStderr(log):
            check(checker, document, text, folder)
    except Exception as error:
        checker.fail("ArcadeDB: %s: %s" % (type(error).__name__, error))
        with open(log, encoding="utf-8", errors="replace") as handle:
            print("".join(handle.readlines()[-20:]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    import arcadedb_embedded

    checker.notes.append("ArcadeDB %s (arcadedb-embedded, Bolt, neo4j driver) checked the script in %.1f s"
                         % (getattr(arcadedb_embedded, "__version__", "?"), time.time() - started))
    return checker.report()


if __name__ == "__main__":
    status = main()
    # The JVM can keep the interpreter from exiting after the server stopped (a non-daemon thread
    # waits, seen when run from swift test); everything is closed and removed by now.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
