import EntityGraph

/// The render plan as tab-separated text, for the benchmark suite's C and Python baselines, which
/// replay exactly the Graphviz calls the renderer makes. Not API: the format may change at any time.
@_spi(Benchmarks)
public enum RenderPlanExport {
    /// Builds the plan and returns its number of objects (nodes + edges + subgraphs): the pure-Swift
    /// share of a render, for the benchmark's breakdown.
    public static func planObjectCount(_ graph: Graph, options: RenderOptions) throws(GraphvizError) -> Int {
        let engine = options.effectiveEngine(for: graph)
        let plan = try RenderPlan(graph: graph, options: options, engine: engine)
        return plan.dot.nodes.count + plan.dot.edges.count + plan.dot.subgraphs.count
    }

    /// One record per line, fields separated by tabs; attribute lists are name/value pairs:
    /// `ENGINE e`, `SEED n`, `G n v …`, `ND n v …`, `ED n v …`, `C name n v …`,
    /// `N name cluster n v …`, `E tail head key cluster n v …`, `L legendCluster column name…`.
    /// Cluster indices are -1 for the root graph. The overlay (title and legend, placed after the
    /// layout by a second `nop2` pass) is not exported: the baselines replay the map's layout only. Values never hold tabs or line breaks (the plan
    /// escapes them), so the format needs no quoting.
    public static func tsv(_ graph: Graph, options: RenderOptions) throws(GraphvizError) -> String {
        let engine = options.effectiveEngine(for: graph)
        let plan = LayoutRun.workingAround(
            try RenderPlan(graph: graph, options: options, engine: engine), engine: engine)
        func pairs(_ attributes: DOTGraph.Attributes) -> String {
            attributes.sorted { $0.key < $1.key }.map { "\t\($0.key)\t\($0.value)" }.joined()
        }
        let dot = plan.dot
        var lines = ["ENGINE\t\(engine)", "SEED\t\(plan.seed)"]
        lines.append("G" + pairs(dot.graphAttributes))
        lines.append("ND" + pairs(dot.nodeDefaults))
        lines.append("ED" + pairs(dot.edgeDefaults))
        // Clusters are the top-level subgraphs, and come first; the legend's column is inside its cluster.
        for subgraph in dot.subgraphs where subgraph.parent == nil {
            lines.append("C\t\(subgraph.name)" + pairs(subgraph.attributes))
        }
        for node in dot.nodes { lines.append("N\t\(node.name)\t\(node.subgraph ?? -1)" + pairs(node.attributes)) }
        for (index, column) in dot.subgraphs.filter({ $0.parent != nil }).enumerated() {
            lines.append(
                "L\t\(column.parent ?? -1)\t\(index)\t"
                    + column.members.map { dot.nodes[$0].name }.joined(separator: "\t"))
        }
        for edge in dot.edges {
            lines.append(
                "E\t\(dot.nodes[edge.tail].name)\t\(dot.nodes[edge.head].name)\t\(edge.key ?? "")\t\(edge.subgraph ?? -1)"
                    + pairs(edge.attributes))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One request that makes the worker do nothing: the protocol's round-trip cost.
    public static func ping(_ pool: LayoutWorkerPool) throws(GraphvizError) {
        try GraphvizBackend.injectFault("none", into: pool, timeout: nil)
    }
}
