internal import CGraphviz
import Foundation

/// One graph as Graphviz's parser built it, copied out of cgraph into a ``DOTGraph`` so the cgraph graph
/// can be closed before the model is built (and the lock released), with what the model does not say:
/// which values were HTML-like, and whether the text was valid UTF-8.
///
/// The graph holds, for the root, its non-empty attribute values; for nodes and edges, the values that
/// differ from the root's declared defaults (subgraph-local defaults included); the root's non-empty
/// defaults (but the `label=\N` every graph has); the clusters as subgraphs, in file order with their
/// parent cluster and the values they change; and for each node, the innermost cluster it belongs to
/// (``DOTGraph/Node/subgraph``, the deepest when it is in several).
struct ParsedDOTGraph: Sendable {
    /// Whose attribute a value is.
    enum Owner: Hashable, Sendable {
        case graph, nodeDefaults, edgeDefaults
        case node(Int), edge(Int), subgraph(Int)
    }

    /// An attribute value; `isHTML` when the parser made it from `<…>` (`aghtmlstr`).
    struct Value: Hashable, Sendable {
        var text: String
        var isHTML: Bool
    }

    typealias AttributeList = [(name: String, value: Value)]

    var dot: DOTGraph
    /// The values made from `<…>`, by owner and attribute name.
    var html: Set<HTMLValue> = []
    /// Some string was not valid UTF-8 and was read as Latin-1.
    var sawInvalidUTF8 = false

    struct HTMLValue: Hashable, Sendable {
        var owner: Owner
        var name: String
    }

    /// The attributes `owner` holds itself.
    func attributes(of owner: Owner) -> DOTGraph.Attributes {
        switch owner {
        case .graph: dot.graphAttributes
        case .nodeDefaults: dot.nodeDefaults
        case .edgeDefaults: dot.edgeDefaults
        case .node(let index): dot.nodes[index].attributes
        case .edge(let index): dot.edges[index].attributes
        case .subgraph(let index): dot.subgraphs[index].attributes
        }
    }

    /// The attributes `owner` holds itself, each marked HTML-like or not, in order.
    func values(of owner: Owner) -> AttributeList {
        attributes(of: owner).map { (name: $0.key, value: Value(text: $0.value, isHTML: isHTML(owner, $0.key))) }
    }

    func isHTML(_ owner: Owner, _ name: String) -> Bool {
        !html.isEmpty && html.contains(HTMLValue(owner: owner, name: name))
    }

    /// The value a node or edge has for `name`, its own or the declared default, when not empty.
    func field(_ name: String, of owner: Owner) -> Value? {
        let text: String?
        let found: Owner
        switch owner {
        case .node(let index):
            if let own = dot.nodes[index].attributes[name] {
                (text, found) = (own, owner)
            } else {
                (text, found) = (dot.nodeDefaults[name], .nodeDefaults)
            }
        case .edge(let index):
            if let own = dot.edges[index].attributes[name] {
                (text, found) = (own, owner)
            } else {
                (text, found) = (dot.edgeDefaults[name], .edgeDefaults)
            }
        default:
            return nil
        }
        guard let text, !text.isEmpty else { return nil }
        return Value(text: text, isHTML: isHTML(found, name))
    }

    /// The clusters node `index` sits in, outermost first; `nil` when in none.
    func clusterPath(ofNode index: Int) -> [Int]? {
        guard var cluster = dot.nodes[index].subgraph else { return nil }
        var path = [cluster]
        while let parent = dot.subgraphs[cluster].parent {
            path.append(parent)
            cluster = parent
        }
        return path.reversed()
    }
}

/// Runs Graphviz's parser over DOT bytes and copies each graph out. Call only inside
/// ``Graphviz/withLock(_:)``.
enum DOTParser {
    struct Failure: Error {
        var messages: [String]
        var memoryExhausted: Bool
    }

    /// Parses every graph in `bytes` (agread over a memory channel that spans all of them), copying each
    /// into a ``ParsedDOTGraph`` while `keep(index)` is true and only counting the rest. Always drains the
    /// lexer (``eg_drain_parser``) and resets Graphviz's error state before returning, so nothing is left
    /// for the next parse in the process. Returns the copies and the number of graphs.
    static func parse(
        _ bytes: [UInt8], honorCharset: Bool, keep: (Int) -> Bool,
        session: inout Session
    ) -> Result<(graphs: [ParsedDOTGraph], count: Int), Failure> {
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
        defer { storage.deallocate() }
        bytes.withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { chars in
                if let start = chars.baseAddress, !chars.isEmpty { storage.initialize(from: start, count: chars.count) }
            }
        }
        guard let reader = eg_dot_reader_new(storage, bytes.count) else {
            return .failure(Failure(messages: ["out of memory"], memoryExhausted: true))
        }
        defer { eg_dot_reader_free(reader) }
        defer {
            // The leftover-input trap: whatever the lexer still holds (after "memory exhausted", say)
            // would be returned by the next parse anywhere in the process.
            _ = eg_drain_parser()
            session.resetErrors()
        }

        var graphs: [ParsedDOTGraph] = []
        var count = 0
        var messages: [String] = []  // warnings ("syntax ambiguity") do not fail a parse, but explain a failure
        while true {
            session.resetErrors()
            let graph = eg_dot_reader_next(reader)
            messages += session.takeMessages()
            if session.hadError {
                if let graph { _ = session.adopt(graph) }  // closed at once
                return .failure(Failure(messages: messages, memoryExhausted: graph != nil))
            }
            guard let graph else { break }
            let owner = session.adopt(graph)
            if keep(count) {
                graphs.append(copy(owner.root, honorCharset: honorCharset))
            }
            count += 1
        }
        return .success((graphs, count))
    }

    /// Copies one cgraph graph into Swift values.
    private static func copy(_ root: UnsafeMutablePointer<Agraph_t>, honorCharset: Bool) -> ParsedDOTGraph {
        var latin1 = false
        if honorCharset, let charset = eg_get(UnsafeMutableRawPointer(root), "charset") {
            latin1 = DOTText.isLatin1Charset(String(cString: charset))
        }
        var decoder = Decoder(latin1: latin1)

        let rawName = agnameof(UnsafeMutableRawPointer(root)).map { decoder.string($0) }
        var dot = DOTGraph(
            name: rawName.flatMap { $0.hasPrefix("%") ? nil : $0 },
            directed: agisdirected(root) != 0, strict: agisstrict(root) != 0)
        var html = Set<ParsedDOTGraph.HTMLValue>()

        let graphSymbols = symbols(root, Int32(AGRAPH), &decoder)
        let nodeSymbols = symbols(root, Int32(AGNODE), &decoder)
        let edgeSymbols = symbols(root, Int32(AGEDGE), &decoder)

        func keep(_ value: UnsafeMutablePointer<CChar>, _ name: String, of owner: ParsedDOTGraph.Owner) -> String {
            if eg_is_html_string(value) != 0 { html.insert(ParsedDOTGraph.HTMLValue(owner: owner, name: name)) }
            return decoder.string(value)
        }
        for symbol in graphSymbols {
            guard let value = agxget(UnsafeMutableRawPointer(root), symbol.pointer), value.pointee != 0 else {
                continue
            }
            dot.graphAttributes[symbol.name] = keep(value, symbol.name, of: .graph)
        }
        for symbol in nodeSymbols {
            guard let value = symbol.pointer.pointee.defval, value.pointee != 0 else { continue }
            if symbol.name == "label", strcmp(value, "\\N") == 0 { continue }
            dot.nodeDefaults[symbol.name] = keep(value, symbol.name, of: .nodeDefaults)
        }
        for symbol in edgeSymbols {
            guard let value = symbol.pointer.pointee.defval, value.pointee != 0 else { continue }
            dot.edgeDefaults[symbol.name] = keep(value, symbol.name, of: .edgeDefaults)
        }

        /// An object's values (agxget) that differ from the declared default (or from `baseline`'s values).
        func values(
            of object: UnsafeMutableRawPointer, _ symbols: [Symbol], owner: ParsedDOTGraph.Owner,
            baseline: UnsafeMutableRawPointer? = nil
        ) -> DOTGraph.Attributes {
            var attributes: DOTGraph.Attributes = [:]
            for symbol in symbols {
                guard let value = agxget(object, symbol.pointer) else { continue }
                let reference = baseline.map { agxget($0, symbol.pointer) } ?? symbol.pointer.pointee.defval
                let isDefault = reference.map { strcmp(value, $0) == 0 } ?? (value.pointee == 0)
                if !isDefault { attributes[symbol.name] = keep(value, symbol.name, of: owner) }
            }
            return attributes
        }

        // Nodes, in creation order.
        var nodeIndex: [UnsafeMutablePointer<Agnode_t>: Int] = [:]
        nodeIndex.reserveCapacity(Int(agnnodes(root)))
        var node = agfstnode(root)
        while let current = node {
            let name = agnameof(UnsafeMutableRawPointer(current)).map { decoder.string($0) } ?? ""
            let index = dot.nodes.count
            nodeIndex[current] = index
            dot.nodes.append(
                DOTGraph.Node(
                    name: name,
                    attributes: values(of: UnsafeMutableRawPointer(current), nodeSymbols, owner: .node(index))
                ))
            node = agnxtnode(root, current)
        }

        // Edges, gathered per tail node, then put in creation (file) order.
        var edges: [(sequence: UInt, edge: UnsafeMutablePointer<Agedge_t>)] = []
        edges.reserveCapacity(Int(agnedges(root)))
        node = agfstnode(root)
        while let current = node {
            var edge = agfstout(root, current)
            while let e = edge {
                edges.append((eg_sequence(UnsafeMutableRawPointer(e)), e))
                edge = agnxtout(root, e)
            }
            node = agnxtnode(root, current)
        }
        edges.sort { $0.sequence < $1.sequence }
        dot.edges.reserveCapacity(edges.count)
        for (index, (_, e)) in edges.enumerated() {
            let key = agnameof(UnsafeMutableRawPointer(e)).map { decoder.string($0) }
            dot.edges.append(
                DOTGraph.Edge(
                    tail: eg_tail(e).flatMap { nodeIndex[$0] } ?? 0, head: eg_head(e).flatMap { nodeIndex[$0] } ?? 0,
                    key: key.flatMap { $0.isEmpty || $0.hasPrefix("%") ? nil : $0 },
                    attributes: values(of: UnsafeMutableRawPointer(e), edgeSymbols, owner: .edge(index))))
        }

        // Clusters, depth first in file order (an explicit stack: nesting may be deep).
        let clusterFlag = graphSymbols.first { $0.name == "cluster" }
        var depth: [Int: Int] = [:]  // node index → depth of its innermost cluster
        var pending: [(graph: UnsafeMutablePointer<Agraph_t>, parent: UnsafeMutablePointer<Agraph_t>, path: [Int])] = []
        func pushChildren(of graph: UnsafeMutablePointer<Agraph_t>, path: [Int]) {
            var children: [(sequence: UInt, graph: UnsafeMutablePointer<Agraph_t>)] = []
            var child = agfstsubg(graph)
            while let current = child {
                children.append((eg_sequence(UnsafeMutableRawPointer(current)), current))
                child = agnxtsubg(current)
            }
            for (_, subgraph) in children.sorted(by: { $0.sequence > $1.sequence }) {
                pending.append((subgraph, graph, path))
            }
        }
        pushChildren(of: root, path: [])
        while let (subgraph, parent, path) = pending.popLast() {
            let name = agnameof(UnsafeMutableRawPointer(subgraph)).map { decoder.string($0) } ?? ""
            var isCluster = name.hasPrefix("cluster")
            if !isCluster, let clusterFlag, let flag = agxget(UnsafeMutableRawPointer(subgraph), clusterFlag.pointer) {
                isCluster = ["true", "yes", "1"].contains(String(cString: flag).lowercased())
            }
            var inner = path
            if isCluster {
                let index = dot.subgraphs.count
                // A subgraph starts with its parent's values: only what it changes is its own.
                let attributes = values(
                    of: UnsafeMutableRawPointer(subgraph), graphSymbols, owner: .subgraph(index),
                    baseline: UnsafeMutableRawPointer(parent))
                inner.append(index)
                dot.subgraphs.append(DOTGraph.Subgraph(name: name, parent: path.last, attributes: attributes))
                var member = agfstnode(subgraph)
                while let current = member {
                    if let node = nodeIndex[current], (depth[node] ?? 0) < inner.count {
                        depth[node] = inner.count
                        dot.nodes[node].subgraph = index
                    }
                    member = agnxtnode(subgraph, current)
                }
            }
            pushChildren(of: subgraph, path: inner)
        }
        return ParsedDOTGraph(dot: dot, html: html, sawInvalidUTF8: decoder.sawInvalidUTF8)
    }

    private struct Symbol {
        var name: String
        var pointer: UnsafeMutablePointer<Agsym_t>
    }

    /// The attributes declared at the root for one kind of object (agnxtattr), in declaration order.
    private static func symbols(
        _ root: UnsafeMutablePointer<Agraph_t>, _ kind: Int32, _ decoder: inout Decoder
    ) -> [Symbol] {
        var result: [Symbol] = []
        var symbol = agnxtattr(root, kind, nil)
        while let current = symbol {
            if let name = current.pointee.name { result.append(Symbol(name: decoder.string(name), pointer: current)) }
            symbol = agnxtattr(root, kind, current)
        }
        // cgraph's dictionary is ordered by name; its ids give the order the file declared them in.
        return result.sorted { $0.pointer.pointee.id < $1.pointer.pointee.id }
    }

    /// Decodes cgraph's strings: UTF-8, or Latin-1 for a Latin-1 graph or a string that is not UTF-8.
    private struct Decoder {
        var latin1: Bool
        var sawInvalidUTF8 = false

        mutating func string(_ pointer: UnsafePointer<CChar>) -> String {
            if latin1 { return DOTText.latin1String(pointer) }
            if let text = DOTText.utf8String(pointer) { return text }
            sawInvalidUTF8 = true
            return DOTText.latin1String(pointer)
        }

        mutating func string(_ pointer: UnsafeMutablePointer<CChar>) -> String { string(UnsafePointer(pointer)) }

    }
}
