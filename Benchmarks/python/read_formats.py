#!/usr/bin/env python3
"""Times the Python reference library reading one interchange file, the way its users load one.

Usage: read_formats.py FORMAT FILE [--repeat N]

FORMAT is one of
  ftm      followthemoney: for each line, json.loads(line), then model.get_proxy(data); the proxies
           are kept in a list (what an FtM user does to load entities from a .ftm.json file)
  graphml  networkx.read_graphml(FILE)
  gexf     networkx.read_gexf(FILE)
  dot      networkx.nx_pydot.read_dot(FILE) (pydot's parser)

Runs in the venv the consumer checks use (Tests/interop/consumers.py: ~/.cache/entitygraph/
followthemoney-venv for ftm, networkx-venv for GraphML and GEXF; pydot-venv, networkx and pydot, for
dot), made when missing.

The first load measures memory: the peak resident set above the resident set just before it
(the kernel's high-water mark is reset first, through /proc/self/clear_refs), so what the imports
cost is not counted. The following loads (N - 1, at least one) are timed, with the garbage collector
left on as a user has it. Prints one JSON object:
  {"seconds": median wall time of the timed loads, "cpu_seconds": their median CPU time,
   "first_seconds": the first load's wall time, "peak_bytes": ..., "objects": n, "edges": m,
   "library": "followthemoney 4.11.2"}
objects/edges: proxies and edge proxies (ftm), or nodes and edges of the graph networkx returns.
"""
import gc
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "interop"))
sys.dont_write_bytecode = True  # no __pycache__ in the work tree
import consumers  # noqa: E402

PYDOT = ("pydot", ["networkx", "pydot"], "import networkx, pydot")


def statm_resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def high_water_mark():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def reset_high_water_mark():
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def loader(fmt):
    """(load(path) -> (objects, edges, value), library name and version)."""
    if fmt == "ftm":
        import followthemoney
        from followthemoney import model

        def load(path):
            proxies = []
            with open(path, "rb") as handle:
                for line in handle:
                    if line.strip():
                        proxies.append(model.get_proxy(json.loads(line)))
            return len(proxies), sum(1 for proxy in proxies if proxy.schema.edge), proxies

        return load, "followthemoney %s" % followthemoney.__version__
    import networkx as nx

    read = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}.get(fmt)
    if fmt == "dot":
        import pydot

        read = nx.nx_pydot.read_dot
        name = "networkx %s + pydot %s" % (nx.__version__, pydot.__version__)
    else:
        name = "networkx %s" % nx.__version__

    def load(path):
        graph = read(path)
        return graph.number_of_nodes(), graph.number_of_edges(), graph

    return load, name


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("ftm", "graphml", "gexf", "dot"):
        print(__doc__, file=sys.stderr)
        return 2
    fmt, path = sys.argv[1], sys.argv[2]
    repeat = max(2, int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 2)
    name, requirements, probe = {"ftm": consumers.FOLLOWTHEMONEY, "dot": PYDOT}.get(fmt, consumers.NETWORKX)
    consumers.run_in_venv(consumers.ensure_venv(name, requirements, probe), __file__)
    load, library = loader(fmt)

    gc.collect()
    reset_high_water_mark()
    before = statm_resident()
    start = time.perf_counter()
    objects, edges, value = load(path)
    first = time.perf_counter() - start
    peak = high_water_mark() - before
    del value
    gc.collect()
    runs, cpu_runs = [], []
    for _ in range(repeat - 1):
        start, cpu_start = time.perf_counter(), time.process_time()
        _, _, value = load(path)
        runs.append(time.perf_counter() - start)
        cpu_runs.append(time.process_time() - cpu_start)
        del value
        gc.collect()
    print(json.dumps({"seconds": statistics.median(runs), "cpu_seconds": statistics.median(cpu_runs),
                      "first_seconds": first, "peak_bytes": peak, "objects": objects, "edges": edges,
                      "library": library}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
