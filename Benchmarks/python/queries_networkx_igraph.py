#!/usr/bin/env python3
"""Times the query benchmark's queries in networkx and python-igraph on the same graph and samples.

Usage: queries_networkx_igraph.py SAMPLES.json

SAMPLES.json is written by the Swift side (Benchmarks/EntityGraphBenchmarks/QueryBenchmark.swift):
  {"graph": "<node-link file>", "neighbors": [id, ...], "egoOut": [id, ...], "egoBoth": [id, ...],
   "egoHubs": [id, ...], "pairs": [[source, target], ...],
   "warmCalls": {"egoOut": n, "egoBoth": n, "egoHubs": n, "pairs": n, "neighborhood": n},
   "batch": {"egoOut": n, "egoBoth": n, "pairs": n, "neighborhood": n},
   "symmetricTypes": [type, ...]}

EntityGraph's directed queries follow relations of symmetric types ("allied with") both ways. To
ask networkx and igraph the same questions, the directed *reachability* graph R holds every relation
plus a reversed copy of each symmetric one (built once, untimed); results are taken from the
original graph G.

Everything is measured in CPU time of this thread (time.thread_time), with the garbage collector
paused, exactly like the Swift side, so other work on a shared machine does not count.

Prints one JSON object. Per call, in seconds:
  networkx_successors       list(R.successors(n)): mean per call over all neighbour samples, best of 5 passes
  igraph_neighbors          r.neighbors(v, mode="out") (vertex number, no name lookup), likewise
For the per-sample queries, two numbers each: "<key>_first" is the mean over the samples of the
first call on each sample (colder caches), "<key>" the mean over the samples of the best of
`warmCalls` timings of `batch` further calls each on the same sample, per call (like timeit's
repeat and number; batching keeps the clock's own ~0.4 µs out of short calls):
  networkx_ego_out          G.subgraph(single_source_shortest_path_length(R, n, cutoff=2)).copy()
                            (nx.ego_graph's own code, reaching through R: successors and symmetric
                            predecessors; the induced subgraph of G)
  networkx_ego_hubs         like networkx_ego_out, around the five entities with most outgoing links
  networkx_ego_both         G.subgraph(single_source_shortest_path_length(U, n, cutoff=2)).copy(),
                            U = G.to_undirected() made once, untimed. (nx.ego_graph(G, n, 2,
                            undirected=True) converts all of G on every call: ~1.7 s, not a fair
                            measure of the query.)
  igraph_neighborhood_out   r.neighborhood(v, order=2, mode="out")      (ids only; r is R in igraph;
                            timed like paths, `batch` calls at a time)
  igraph_neighborhood_all   g.neighborhood(v, order=2, mode="all")      (ids only)
  networkx_path             nx.shortest_path(U, s, t), U the undirected multigraph (copied once, untimed)
  igraph_path               g.get_shortest_path(s, t, mode="all")
plus ego sizes (entities and relations) and path lengths, so the Swift side can check that both
answered the same questions.
Installs networkx and python-igraph with pip when they are missing.
"""
import gc
import json
import statistics
import subprocess
import sys
import time
import warnings


def ensure(module, package):
    try:
        __import__(module)
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", package], stdout=sys.stderr)


def per_call(function, items, passes):
    """Best (like timeit) of `passes` passes of the mean CPU seconds per call of `function(item)`."""
    runs = []
    for _ in range(passes):
        gc.disable()
        start = time.thread_time()
        for item in items:
            function(item)
        runs.append((time.thread_time() - start) / len(items))
        gc.enable()
    return min(runs)


def per_sample(function, items, warm_calls, batch):
    """(mean first-call CPU seconds, mean over items of the best of `warm_calls` timings of `batch`
    further calls each, per call)."""
    first, warm = [], []
    for item in items:
        gc.disable()
        start = time.thread_time()
        function(item)
        first.append(time.thread_time() - start)
        runs = []
        for _ in range(warm_calls):
            start = time.thread_time()
            for _ in range(batch):
                function(item)
            runs.append((time.thread_time() - start) / batch)
        warm.append(min(runs))
        gc.enable()
    return statistics.fmean(first), statistics.fmean(warm)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as handle:
        samples = json.load(handle)
    ensure("networkx", "networkx")
    ensure("igraph", "python-igraph")
    warnings.simplefilter("ignore", RuntimeWarning)  # igraph warns on every unreachable pair
    import igraph
    import networkx as nx

    with open(samples["graph"], "rb") as handle:
        data = json.load(handle)
    graph = nx.node_link_graph(data, edges="links")
    names = [node["id"] for node in data["nodes"]]
    index = {name: position for position, name in enumerate(names)}
    edges = [(index[link["source"]], index[link["target"]]) for link in data["links"]]
    symmetric_types = set(samples.get("symmetricTypes", []))
    symmetric_links = [link for link in data["links"] if link.get("type") in symmetric_types]
    del data
    ig = igraph.Graph(n=len(names), edges=edges, directed=True)
    reversed_edges = [(index[link["target"]], index[link["source"]]) for link in symmetric_links]
    ig_reach = igraph.Graph(n=len(names), edges=edges + reversed_edges, directed=True)
    reach = graph.copy()
    reach.add_edges_from(
        (link["target"], link["source"], "reversed-" + link["key"]) for link in symmetric_links)
    undirected = graph.to_undirected()
    del symmetric_links
    gc.collect()

    result = {"networkx": nx.__version__, "igraph": igraph.__version__}
    warm = samples["warmCalls"]

    neighbors = samples["neighbors"]
    vertices = [index[name] for name in neighbors]
    result["networkx_successors"] = per_call(lambda n: list(reach.successors(n)), neighbors, 5)
    result["igraph_neighbors"] = per_call(lambda v: ig_reach.neighbors(v, mode="out"), vertices, 5)

    batch = samples.get("batch", {})

    def record(key, function, items, kind):
        result[key + "_first"], result[key] = per_sample(function, items, warm[kind], batch.get(kind, 1))

    ego_out, ego_both = samples["egoOut"], samples["egoBoth"]

    def ego_out_graph(n):
        return graph.subgraph(nx.single_source_shortest_path_length(reach, n, cutoff=2)).copy()

    def ego_both_graph(n):
        return graph.subgraph(nx.single_source_shortest_path_length(undirected, n, cutoff=2)).copy()

    record("networkx_ego_out", ego_out_graph, ego_out, "egoOut")
    record("networkx_ego_both", ego_both_graph, ego_both, "egoBoth")
    ego_hubs = samples.get("egoHubs", [])
    record("networkx_ego_hubs", ego_out_graph, ego_hubs, "egoHubs")
    hub_graphs = [ego_out_graph(n) for n in ego_hubs]
    result["ego_hubs_sizes"] = [h.number_of_nodes() for h in hub_graphs]
    result["ego_hubs_relations"] = [h.number_of_edges() for h in hub_graphs]
    del hub_graphs
    out_graphs = [ego_out_graph(n) for n in ego_out]
    both_graphs = [ego_both_graph(n) for n in ego_both]
    result["ego_out_sizes"] = [h.number_of_nodes() for h in out_graphs]
    result["ego_out_relations"] = [h.number_of_edges() for h in out_graphs]
    result["ego_both_sizes"] = [h.number_of_nodes() for h in both_graphs]
    result["ego_both_relations"] = [h.number_of_edges() for h in both_graphs]
    del out_graphs, both_graphs
    record("igraph_neighborhood_out", lambda n: ig_reach.neighborhood(index[n], order=2, mode="out"), ego_out,
           "neighborhood")
    record("igraph_neighborhood_all", lambda n: ig.neighborhood(index[n], order=2, mode="all"), ego_both,
           "egoBoth")

    pairs = samples["pairs"]

    def nx_path(pair):
        try:
            return len(nx.shortest_path(undirected, pair[0], pair[1])) - 1
        except nx.NetworkXNoPath:
            return None

    record("networkx_path", nx_path, pairs, "pairs")
    result["path_lengths"] = [nx_path(pair) for pair in pairs]
    index_pairs = [(index[s], index[t]) for s, t in pairs]
    record("igraph_path", lambda p: ig.get_shortest_path(p[0], p[1], mode="all"), index_pairs, "pairs")

    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
