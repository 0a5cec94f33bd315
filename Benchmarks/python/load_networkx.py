#!/usr/bin/env python3
"""Times networkx loading a node-link JSON file: json.load + nx.node_link_graph.

Usage: load_networkx.py FILE [--repeat N]

Prints one JSON object: {"seconds": median wall time, "cpu_seconds": median CPU time, "runs": [...], "nodes": n, "edges": m,
"rss_bytes": resident-memory growth of the first load (graph kept, parsed JSON dropped)}.
Installs networkx with pip when it is missing.
"""
import gc
import json
import os
import statistics
import subprocess
import sys
import time


def ensure_networkx():
    try:
        import networkx  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "networkx"],
                              stdout=sys.stderr)


def resident_bytes():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def load(path, nx):
    with open(path, "rb") as handle:
        data = json.load(handle)
    # networkx 3.6 warns that the default key for edges changes; name it explicitly.
    return nx.node_link_graph(data, edges="links")


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    ensure_networkx()
    import networkx as nx

    gc.collect()
    before = resident_bytes()
    start, cpu_start = time.perf_counter(), time.process_time()
    graph = load(path, nx)
    runs = [time.perf_counter() - start]
    cpu_runs = [time.process_time() - cpu_start]
    gc.collect()
    rss = resident_bytes() - before
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    del graph
    gc.collect()
    for _ in range(repeat - 1):
        start, cpu_start = time.perf_counter(), time.process_time()
        graph = load(path, nx)
        runs.append(time.perf_counter() - start)
        cpu_runs.append(time.process_time() - cpu_start)
        del graph
        gc.collect()
    print(json.dumps({"seconds": statistics.median(runs), "runs": runs,
                      "cpu_seconds": statistics.median(cpu_runs), "nodes": nodes, "edges": edges,
                      "rss_bytes": rss, "networkx": nx.__version__}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
