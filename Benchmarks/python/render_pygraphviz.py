"""pygraphviz side of the render benchmark: build the same graph from the exported plan
(RenderPlanExport), lay it out and render it, as EntityGraphviz does. Prints JSON.

    python3 render_pygraphviz.py PLAN.tsv FORMAT ITERATIONS
"""
import json
import statistics
import subprocess
import sys
import time


def ensure_pygraphviz():
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pygraphviz"], check=True)


def load(path):
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            records.append(line.rstrip("\n").split("\t"))
    return records


def pairs(fields):
    return dict(zip(fields[0::2], fields[1::2]))


def render_once(records, engine, fmt):
    import pygraphviz

    graph = pygraphviz.AGraph(directed=True, strict=False, name="entitygraph")
    clusters = []
    for record in records:
        tag = record[0]
        if tag == "G":
            attributes = pairs(record[1:])
            attributes.pop("charset", None)  # pygraphviz fixes the charset at creation (UTF-8, as ours)
            graph.graph_attr.update(attributes)
        elif tag == "ND":
            graph.node_attr.update(pairs(record[1:]))
        elif tag == "ED":
            graph.edge_attr.update(pairs(record[1:]))
        elif tag == "C":
            sub = graph.add_subgraph(name=record[1])
            sub.graph_attr.update(pairs(record[2:]))
            clusters.append(sub)
        elif tag == "N":
            owner = clusters[int(record[2])] if int(record[2]) >= 0 else graph
            owner.add_node(record[1], **pairs(record[3:]))
        elif tag == "L":
            clusters[int(record[1])].add_subgraph(record[3:], name="legend_column_" + record[2], rank="same")
        elif tag == "E":
            owner = clusters[int(record[4])] if int(record[4]) >= 0 else graph
            owner.add_edge(record[1], record[2], key=record[3], **pairs(record[5:]))
    graph.layout(prog=engine)
    return graph.draw(format=fmt)


def main():
    ensure_pygraphviz()
    import pygraphviz

    path, fmt, iterations = sys.argv[1], sys.argv[2], int(sys.argv[3])
    records = load(path)
    engine = next(r[1] for r in records if r[0] == "ENGINE")
    render_once(records, engine, fmt)  # warm-up
    samples = []
    size = 0
    for _ in range(iterations):
        start = time.perf_counter()
        size = len(render_once(records, engine, fmt))
        samples.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"median_ms": statistics.median(samples), "bytes": size, "version": pygraphviz.__version__}))


if __name__ == "__main__":
    main()
