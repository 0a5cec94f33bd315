internal import CGraphviz
import Foundation

extension DOTExport.Plan {
    /// Builds the cgraph graph and writes it with agwrite. Runs under the Graphviz lock.
    func write(session: inout Session) throws(GraphvizError) -> Data {
        func fail(_ message: String, code: GraphvizError.Code = .buildFailed) -> GraphvizError {
            GraphvizError(
                code: code, stage: code == .writeFailed ? .write : .build, format: "dot",
                graphvizMessages: session.takeMessages(), message: message)
        }
        let owner = try session.openGraph(title, directed: directed, strict: strict, format: "dot")
        // The graph is closed when `owner` goes, after the last use of `root`.
        let root = owner.root
        defer { withExtendedLifetime(owner) {} }

        func declare(
            _ kind: Int32, _ lists: [[(name: String, value: String)]]
        ) throws(GraphvizError)
            -> [String: UnsafeMutablePointer<Agsym_t>]
        {
            var symbols: [String: UnsafeMutablePointer<Agsym_t>] = [:]
            for list in lists {
                for (name, _) in list where symbols[name] == nil {
                    guard let symbol = eg_declare(root, kind, name, "") else {
                        throw fail("agattr refused '\(name)'")
                    }
                    symbols[name] = symbol
                }
            }
            return symbols
        }
        func apply(
            _ list: [(name: String, value: String)], to object: UnsafeMutableRawPointer,
            _ symbols: [String: UnsafeMutablePointer<Agsym_t>]
        ) throws(GraphvizError) {
            for (name, value) in list {
                guard let symbol = symbols[name], eg_set(object, symbol, value) == 0 else {
                    throw fail("agxset refused '\(name)'")
                }
            }
        }

        let graphSymbols = try declare(Int32(AGRAPH), [graphAttributes])
        let nodeSymbols = try declare(Int32(AGNODE), nodes.map(\.attributes))
        let edgeSymbols = try declare(Int32(AGEDGE), edges.map(\.attributes))
        try apply(graphAttributes, to: UnsafeMutableRawPointer(root), graphSymbols)

        // agwrite writes each node's out-edges right after the node, so a later node would first appear
        // as the head of an edge and be created there when the file is read back. Declaring every node in
        // one subgraph, which agwrite writes before the edges, keeps the entities' order. (It must have a
        // name: agwrite leaves out an anonymous subgraph without attributes of its own.)
        guard let declarations = eg_subgraph(root, "entities") else { throw fail("agsubg failed") }
        var created: [UnsafeMutablePointer<Agnode_t>] = []
        created.reserveCapacity(nodes.count)
        for node in nodes {
            guard let pointer = eg_node(declarations, node.name) else {
                throw fail("agnode failed for '\(node.name)'")
            }
            try apply(node.attributes, to: UnsafeMutableRawPointer(pointer), nodeSymbols)
            created.append(pointer)
        }
        for edge in edges {
            guard let pointer = eg_edge(root, created[edge.tail], created[edge.head], edge.key) else {
                throw fail("agedge failed for '\(edge.key)'")
            }
            try apply(edge.attributes, to: UnsafeMutableRawPointer(pointer), edgeSymbols)
        }
        if session.hadError { throw fail("Graphviz reported an error while building the graph") }

        var buffer: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = eg_write_dot(root, &buffer, &length)
        defer { free(buffer) }
        guard status == 0, let buffer else { throw fail("agwrite failed", code: .writeFailed) }
        _ = session.takeMessages()
        return Data(bytes: buffer, count: length)
    }
}
