internal import CGraphviz
import EntityGraph
import Foundation

/// Lays out a ``RenderPlan`` with Graphviz and renders it, entirely in process.
///
/// Runs inside ``Graphviz/withLock(_:)``: opens a ``CGraph`` and builds it with `agopen`/`agsubg`/`agnode`/
/// `agedge`/`agattr`/`agxset` (never DOT text), calls `gvLayout`, then `gvRenderData` once per format,
/// and frees the render buffers (`gvFreeRenderData`), the layout (`gvFreeLayout`) and the graph
/// (the ``CGraph``'s deinit) on every path.
enum LayoutRun {
    /// Renders `plan` with `engine` into each of `formats`, from one layout, in memory (Graphviz never
    /// writes files: its own write failures call `exit`). Formats that annotate the graph (`xdot`,
    /// `json`, …) are rendered after the others so they cannot change them. `progress` hears each stage
    /// as it starts (the layout, then each format's render), for a worker to tell its parent.
    ///
    /// The plan is consumed: it is released as soon as the cgraph graph is built, before the layout,
    /// so a large map's plan and its layout are never in memory at the same time. The outputs wrap
    /// Graphviz's own buffers (freed with `gvFreeRenderData` when the `Data` goes), without a copy.
    static func render(
        _ plan: consuming RenderPlan, engine: String, formats: [String], session: inout Session,
        progress: (GraphvizError.Stage, String?) -> Void = { _, _ in }
    ) throws(GraphvizError) -> [String: Data] {
        let capabilities = session.discover()
        // Only formats this Graphviz lists reach it (a display device such as x11 would crash).
        if let format = formats.first(where: { !capabilities.formats.contains($0) }) {
            throw GraphvizError(
                code: .unknownFormat, stage: .render, engine: engine, format: format,
                message: Session.displayDevices.contains(format)
                    ? "'\(format)' draws in a window, not to a file; choose a file format such as svg, png or pdf"
                    : Session.sideFileDevices.contains(format)
                        ? "'\(format)' writes an image file per entity into the current folder; it is not offered"
                        : "no output format '\(format)' in this Graphviz"
                            + (Suggest.closest(to: format, in: capabilities.formats).map { " — did you mean '\($0)'?" }
                                ?? ""))
        }
        var working = consume plan
        if eg_graphviz_is_legacy() != 0, formats.contains("vdx") {
            // Graphviz 2.x's Visio (vdx) renderer passes a missing link to strdup and segfaults on any
            // object with a tooltip or link; vdx has no use for either, so it gets a layout of its own
            // without them (the other formats keep theirs).
            if formats != ["vdx"] {
                var results = try render(
                    working, engine: engine, formats: formats.filter { $0 != "vdx" }, session: &session,
                    progress: progress)
                results.merge(
                    try render(working, engine: engine, formats: ["vdx"], session: &session, progress: progress)
                ) { $1 }
                return results
            }
            working.removeAnchors()
        }
        if formats.isEmpty { return [:] }
        // Closed when `owner` goes, after the layout is freed (every use below is through it).
        let owner = try session.openGraph("entitygraph", engine: engine)
        applyWorkarounds(&working, engine: engine)
        let seed = working.seed
        try build(&working, releasing: true, into: owner.root, engine: engine, session: &session)
        working = RenderPlan()

        session.resetErrors()
        // Some engines (fdp's cluster layouts, for one) draw from the C library's global generators
        // without reseeding them; reseed so the picture does not depend on what ran before.
        srand48(seed)
        srand(UInt32(truncatingIfNeeded: seed))
        eg_reset_layout_state()
        progress(.layout, nil)
        if gvLayout(session.context, owner.root, engine) != 0 || session.hadError {
            let messages = session.takeMessages()
            if !capabilities.engines.contains(engine) {
                throw GraphvizError(
                    code: .unknownEngine, stage: .layout, engine: engine, graphvizMessages: messages,
                    message: "no layout engine '\(engine)' in this Graphviz"
                        + (Suggest.closest(to: engine, in: capabilities.engines).map { " — did you mean '\($0)'?" }
                            ?? "")
                        + " (available: \(capabilities.engines.joined(separator: ", ")))")
            }
            // gvLayout may have allocated layout data before failing.
            _ = gvFreeLayout(session.context, owner.root)
            throw GraphvizError(
                code: .layoutFailed, stage: .layout, engine: engine, graphvizMessages: messages,
                message: "the \(engine) layout failed")
        }
        defer { _ = gvFreeLayout(session.context, owner.root) }

        let annotating: Set<String> = [
            "xdot", "xdot1.2", "xdot1.4", "json", "json0", "dot_json", "xdot_json", "dot", "gv",
        ]
        let ordered = formats.filter { !annotating.contains($0) } + formats.filter { annotating.contains($0) }
        var results: [String: Data] = [:]
        for format in ordered where results[format] == nil {
            session.resetErrors()
            progress(.render, format)
            var buffer: UnsafeMutablePointer<CChar>?
            var length = 0
            let status = eg_render_data(session.context, owner.root, format, &buffer, &length)
            var handedOver = false
            defer { if !handedOver, let buffer { gvFreeRenderData(buffer) } }
            if status != 0 || buffer == nil {
                // A failed render leaves a job with a dangling format in the context; drop it so the next
                // successful render does not also write to stdout.
                gvjobs_delete(session.context)
                // (Unknown formats never get here: they are refused before the layout.)
                throw GraphvizError(
                    code: .renderFailed, stage: .render, engine: engine, format: format,
                    graphvizMessages: session.takeMessages(), message: "rendering \(format) failed")
            }
            if let buffer {
                handedOver = true
                results[format] = Data(
                    bytesNoCopy: buffer, count: length,
                    deallocator: .custom { pointer, _ in
                        gvFreeRenderData(pointer.assumingMemoryBound(to: CChar.self))
                    })
            }
        }
        _ = session.takeMessages()  // warnings from a successful render are not errors
        return results
    }

    /// The plan as DOT text written by cgraph's `agwrite`, without layout (so without positions).
    static func dotSource(_ plan: RenderPlan, engine: String, session: inout Session) throws(GraphvizError) -> Data {
        var plan = workingAround(plan, engine: engine)
        let owner = try session.openGraph("entitygraph", engine: engine)
        try build(&plan, releasing: false, into: owner.root, engine: engine, session: &session)
        var buffer: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = eg_write_dot(owner.root, &buffer, &length)
        defer { free(buffer) }
        guard status == 0, let buffer else {
            throw GraphvizError(
                code: .renderFailed, stage: .render, engine: engine, format: "dot",
                graphvizMessages: session.takeMessages(), message: "agwrite failed")
        }
        return Data(bytes: buffer, count: length)
    }

    /// Graphviz 2.x's dot layout, with its default cluster ranking, corrupts memory on graphs that have
    /// clusters and labelled edges: `gvFreeLayout` then frees a block twice (inside `flat_edges`' rank
    /// reallocation) and the process aborts. The `dot` CLI never notices because it exits without
    /// freeing. Measured here on random clustered graphs with labelled edges (`Benchmarks/tools/
    /// dot_cluster_crash.py`): 212 of 300 crash with the default ranking, none with `newrank=true` (and
    /// none with `xlabel`s). On those versions a clustered dot layout therefore uses `newrank=true`.
    /// Graphviz 3+ headers define `GRAPHVIZ_VERSION_MAJOR` and are left alone.
    static func applyWorkarounds(_ plan: inout RenderPlan, engine: String) {
        guard engine == "dot", !plan.clusters.isEmpty, eg_graphviz_is_legacy() != 0 else { return }
        plan.graphAttributes["newrank"] = "true"
    }

    /// ``applyWorkarounds(_:engine:)`` on a copy.
    static func workingAround(_ plan: RenderPlan, engine: String) -> RenderPlan {
        var plan = plan
        applyWorkarounds(&plan, engine: engine)
        return plan
    }

    /// Creates the plan's clusters, nodes and edges in `graph` and sets their attributes. With
    /// `releasing`, each object's attributes are dropped from the plan once cgraph has its own copies, so
    /// a large map's text is not held twice.
    private static func build(
        _ plan: inout RenderPlan, releasing: Bool, into graph: UnsafeMutablePointer<Agraph_t>, engine: String,
        session: inout Session
    ) throws(GraphvizError) {
        func fail(_ message: String) -> GraphvizError {
            GraphvizError(
                code: .buildFailed, stage: .build, engine: engine, graphvizMessages: session.takeMessages(),
                message: message)
        }
        // Declare every attribute once per object kind (default ""), then set values by symbol.
        func declare(
            _ kind: Int32, _ lists: some Sequence<RenderPlan.AttributeList>, allowed: Set<String>,
            defaults: RenderPlan.AttributeList = [:]
        )
            throws(GraphvizError) -> [String: UnsafeMutablePointer<Agsym_t>]
        {
            var names = Set(defaults.keys)
            for list in lists { names.formUnion(list.keys) }
            var symbols: [String: UnsafeMutablePointer<Agsym_t>] = [:]
            for name in names.sorted() {
                guard allowed.contains(name), !AttributePolicy.forbidden.contains(name) else {
                    throw GraphvizError(
                        code: .attributeRejected, stage: .build, engine: engine,
                        message: "attribute '\(name)' is not on the allow-list")
                }
                guard let symbol = eg_declare(graph, kind, name, defaults[name] ?? "") else {
                    throw fail("agattr refused attribute '\(name)'")
                }
                symbols[name] = symbol
            }
            return symbols
        }
        let graphSymbols = try declare(
            Int32(AGRAPH), [plan.graphAttributes] + plan.clusters.lazy.map(\.attributes), allowed: AttributePolicy.graph
        )
        let nodeSymbols = try declare(
            Int32(AGNODE), plan.nodes.lazy.map(\.attributes), allowed: AttributePolicy.node, defaults: plan.nodeDefaults
        )
        let edgeSymbols = try declare(
            Int32(AGEDGE), plan.edges.lazy.map(\.attributes), allowed: AttributePolicy.edge, defaults: plan.edgeDefaults
        )

        func apply(
            _ attributes: RenderPlan.AttributeList, to object: UnsafeMutableRawPointer,
            _ symbols: [String: UnsafeMutablePointer<Agsym_t>]
        ) throws(GraphvizError) {
            for (name, value) in attributes {
                guard let symbol = symbols[name] else { throw fail("attribute '\(name)' was not declared") }
                if eg_set(object, symbol, value) != 0 { throw fail("agxset refused \(name)") }
            }
        }

        try apply(plan.graphAttributes, to: UnsafeMutableRawPointer(graph), graphSymbols)
        var subgraphs: [UnsafeMutablePointer<Agraph_t>] = []
        subgraphs.reserveCapacity(plan.clusters.count)
        for cluster in plan.clusters {
            guard let subgraph = eg_subgraph(graph, cluster.name) else {
                throw fail("agsubg failed for \(cluster.name)")
            }
            // Clusters must not inherit the root's title label.
            var attributes = cluster.attributes
            if attributes["label"] == nil { attributes["label"] = "" }
            try apply(attributes, to: UnsafeMutableRawPointer(subgraph), graphSymbols)
            subgraphs.append(subgraph)
        }
        var nodes: [String: UnsafeMutablePointer<Agnode_t>] = [:]
        nodes.reserveCapacity(plan.nodes.count)
        for index in plan.nodes.indices {
            let node = plan.nodes[index]
            let owner = node.cluster.map { subgraphs[$0] } ?? graph
            guard let created = eg_node(owner, node.name) else { throw fail("agnode failed for '\(node.name)'") }
            nodes[node.name] = created
            try apply(node.attributes, to: UnsafeMutableRawPointer(created), nodeSymbols)
            if releasing { plan.nodes[index].attributes = [:] }
        }
        // Legend columns: rank=same subgraphs inside the legend cluster.
        if let index = plan.legendCluster, !plan.legendColumns.isEmpty {
            let legend = subgraphs[index]
            guard let rankSymbol = eg_declare(graph, Int32(AGRAPH), "rank", "") else {
                throw fail("agattr refused rank")
            }
            for (index, column) in plan.legendColumns.enumerated() {
                guard let group = eg_subgraph(legend, "legend_column_\(index)") else { throw fail("agsubg failed") }
                _ = eg_set(UnsafeMutableRawPointer(group), rankSymbol, "same")
                for name in column {
                    guard let node = nodes[name] else { continue }
                    _ = agsubnode(group, node, 1)
                }
            }
        }
        for index in plan.edges.indices {
            let edge = plan.edges[index]
            guard let tail = nodes[edge.tail], let head = nodes[edge.head] else {
                throw fail("edge '\(edge.key)' joins a node that was not created")
            }
            let owner = edge.cluster.map { subgraphs[$0] } ?? graph
            guard let created = eg_edge(owner, tail, head, edge.key) else {
                throw fail("agedge failed for '\(edge.key)'")
            }
            try apply(edge.attributes, to: UnsafeMutableRawPointer(created), edgeSymbols)
            if releasing { plan.edges[index].attributes = [:] }
        }
        if session.hadError { throw fail("Graphviz reported an error while building the graph") }
    }
}
