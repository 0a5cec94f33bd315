internal import CGraphviz
import Foundation

extension Session {
    /// Builds `graph` as a cgraph graph: `agopen`, then `agsubg` for each subgraph, `agnode` for each
    /// node, `agsubnode` for each subgraph's extra members and `agedge` for each edge, in the model's
    /// order, with every attribute declared once per object kind (`agattr`, sorted by name, with the
    /// model's node and edge defaults) and set by symbol (`agxset`). Never through DOT text. O(objects
    /// × attributes per object).
    ///
    /// - Parameters:
    ///   - releasing: drop each node's and edge's attributes from `graph` once cgraph holds its own
    ///     copies, so a large map's text is not held twice.
    ///   - checked: refuse attribute names outside ``AttributePolicy``'s allow-lists (maps drawn from
    ///     a graph); the DOT exporter writes the document's own attributes and passes `false`.
    ///   - engine: the layout engine and format named by errors.
    /// - Throws: ``GraphvizError`` with ``GraphvizError/Code/attributeRejected`` for an attribute off the
    ///   allow-list, ``GraphvizError/Code/buildFailed`` when the model's indices do not hold or cgraph
    ///   refuses an object.
    func build(
        _ graph: inout DOTGraph, releasing: Bool, checked: Bool, engine: String? = nil, format: String? = nil
    ) throws(GraphvizError) -> CGraph {
        func fail(_ message: String) -> GraphvizError {
            GraphvizError(
                code: .buildFailed, stage: .build, engine: engine, format: format, graphvizMessages: takeMessages(),
                message: message)
        }
        if let problem = graph.indexProblem { throw fail("the graph's indices do not hold: \(problem)") }
        let owner = try openGraph(
            graph.name, directed: graph.directed, strict: graph.strict, engine: engine, format: format)
        let root = owner.root

        func declare(
            _ kind: Int32, _ lists: some Sequence<DOTGraph.Attributes>, allowed: Set<String>,
            defaults: DOTGraph.Attributes
        ) throws(GraphvizError) -> [String: UnsafeMutablePointer<Agsym_t>] {
            var names = Set(defaults.keys)
            for list in lists { names.formUnion(list.keys) }
            var symbols: [String: UnsafeMutablePointer<Agsym_t>] = [:]
            for name in names.sorted() {
                if checked, !allowed.contains(name) || AttributePolicy.forbidden.contains(name) {
                    throw GraphvizError(
                        code: .attributeRejected, stage: .build, engine: engine, format: format,
                        message: "attribute '\(name)' is not on the allow-list")
                }
                guard let symbol = eg_declare(root, kind, name, defaults[name] ?? "") else {
                    throw fail("agattr refused attribute '\(name)'")
                }
                symbols[name] = symbol
            }
            return symbols
        }
        func apply(
            _ attributes: DOTGraph.Attributes, to object: UnsafeMutableRawPointer,
            _ symbols: [String: UnsafeMutablePointer<Agsym_t>]
        ) throws(GraphvizError) {
            for (name, value) in attributes {
                guard let symbol = symbols[name] else { throw fail("attribute '\(name)' was not declared") }
                if eg_set(object, symbol, value) != 0 { throw fail("agxset refused '\(name)'") }
            }
        }

        let graphSymbols = try declare(
            Int32(AGRAPH), [graph.graphAttributes] + graph.subgraphs.lazy.map(\.attributes),
            allowed: AttributePolicy.graph, defaults: [:])
        let nodeSymbols = try declare(
            Int32(AGNODE), graph.nodes.lazy.map(\.attributes), allowed: AttributePolicy.node,
            defaults: graph.nodeDefaults)
        let edgeSymbols = try declare(
            Int32(AGEDGE), graph.edges.lazy.map(\.attributes), allowed: AttributePolicy.edge,
            defaults: graph.edgeDefaults)
        try apply(graph.graphAttributes, to: UnsafeMutableRawPointer(root), graphSymbols)

        var subgraphs: [UnsafeMutablePointer<Agraph_t>] = []
        subgraphs.reserveCapacity(graph.subgraphs.count)
        for subgraph in graph.subgraphs {
            guard let created = eg_subgraph(subgraph.parent.map { subgraphs[$0] } ?? root, subgraph.name) else {
                throw fail("agsubg failed for '\(subgraph.name)'")
            }
            try apply(subgraph.attributes, to: UnsafeMutableRawPointer(created), graphSymbols)
            subgraphs.append(created)
        }
        var nodes: [UnsafeMutablePointer<Agnode_t>] = []
        nodes.reserveCapacity(graph.nodes.count)
        for index in graph.nodes.indices {
            let node = graph.nodes[index]
            guard let created = eg_node(node.subgraph.map { subgraphs[$0] } ?? root, node.name) else {
                throw fail("agnode failed for '\(node.name)'")
            }
            try apply(node.attributes, to: UnsafeMutableRawPointer(created), nodeSymbols)
            if releasing { graph.nodes[index].attributes = [:] }
            nodes.append(created)
        }
        for (index, subgraph) in graph.subgraphs.enumerated() {
            for member in subgraph.members where agsubnode(subgraphs[index], nodes[member], 1) == nil {
                throw fail("agsubnode failed for '\(graph.nodes[member].name)' in '\(subgraph.name)'")
            }
        }
        for index in graph.edges.indices {
            let edge = graph.edges[index]
            guard
                let created = eg_edge(
                    edge.subgraph.map { subgraphs[$0] } ?? root, nodes[edge.tail], nodes[edge.head], edge.key)
            else { throw fail("agedge failed for '\(edge.key ?? "an anonymous edge")'") }
            try apply(edge.attributes, to: UnsafeMutableRawPointer(created), edgeSymbols)
            if releasing { graph.edges[index].attributes = [:] }
        }
        if hadError { throw fail("Graphviz reported an error while building the graph") }
        return owner
    }

    /// `graph` as DOT text through cgraph's own writer (agwrite), without a layout; `nil` when agwrite
    /// fails. Graphviz's messages are left for the caller's error.
    func dotText(of graph: borrowing CGraph) -> Data? {
        var buffer: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = eg_write_dot(graph.root, &buffer, &length)
        defer { free(buffer) }
        guard status == 0, let buffer else { return nil }
        return Data(bytes: buffer, count: length)
    }
}
