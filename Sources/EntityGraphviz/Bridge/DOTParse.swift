internal import CGraphviz
import Foundation

/// One graph as Graphviz's parser built it, copied out of cgraph into Swift values so the cgraph graph
/// can be closed before the model is built (and the lock released).
struct ParsedDOTGraph: Sendable {
    /// An attribute value; `isHTML` when the parser made it from `<…>` (`aghtmlstr`).
    struct Value: Hashable, Sendable {
        var text: String
        var isHTML: Bool
    }

    typealias AttributeList = [(name: String, value: Value)]

    struct Node: Sendable {
        var name: String
        /// Attributes whose value differs from the root graph's declared default, in declaration order.
        var attributes: AttributeList
        /// Values (default or not, non-empty) of the attributes the mapping reads (``nodeFields``).
        var fields: [String: Value]
    }

    struct Edge: Sendable {
        var tail: Int
        var head: Int
        /// The edge's key (`agnameof`), `nil` for an anonymous edge.
        var key: String?
        var attributes: AttributeList
        var fields: [String: Value]
    }

    struct Cluster: Sendable {
        var name: String
        /// Index of the enclosing cluster in ``ParsedDOTGraph/clusters``.
        var parent: Int?
        var attributes: AttributeList
    }

    /// The graph's name, `nil` when anonymous.
    var name: String?
    var directed: Bool
    var strict: Bool
    /// Non-empty attribute values of the root graph.
    var graphAttributes: AttributeList = []
    /// Non-empty defaults declared for nodes and edges at the root (`node [shape=box]`), except the
    /// `label=\N` every graph has.
    var nodeDefaults: AttributeList = []
    var edgeDefaults: AttributeList = []
    /// Nodes in creation order.
    var nodes: [Node] = []
    /// Edges in creation (file) order.
    var edges: [Edge] = []
    /// Clusters in file order (a parent before its children).
    var clusters: [Cluster] = []
    /// For each node index inside a cluster, the clusters it sits in, outermost first (the deepest path
    /// when it is in several).
    var clusterPaths: [Int: [Int]] = [:]
    /// Some string was not valid UTF-8 and was read as Latin-1.
    var sawInvalidUTF8 = false

    /// Node attributes the model mapping reads even when they hold their default.
    static let nodeFields: Set<String> = ["label", "name", "shape", "kind", "description", "aliases", "jsonAttributes"]
    /// Edge attributes the model mapping reads even when they hold their default.
    static let edgeFields: Set<String> = [
        "type", "relation", "label", "since", "until", "certainty", "assertedBy", "jsonAttributes",
    ]
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
        var parsed = ParsedDOTGraph(
            name: rawName.flatMap { $0.hasPrefix("%") ? nil : $0 },
            directed: agisdirected(root) != 0, strict: agisstrict(root) != 0)

        let graphSymbols = symbols(root, Int32(AGRAPH), &decoder)
        let nodeSymbols = symbols(root, Int32(AGNODE), &decoder)
        let edgeSymbols = symbols(root, Int32(AGEDGE), &decoder)

        for symbol in graphSymbols {
            guard let value = agxget(UnsafeMutableRawPointer(root), symbol.pointer), value.pointee != 0 else {
                continue
            }
            parsed.graphAttributes.append((symbol.name, decoder.value(value)))
        }
        for symbol in nodeSymbols {
            guard let value = symbol.pointer.pointee.defval, value.pointee != 0 else { continue }
            if symbol.name == "label", strcmp(value, "\\N") == 0 { continue }
            parsed.nodeDefaults.append((symbol.name, decoder.value(value)))
        }
        for symbol in edgeSymbols {
            guard let value = symbol.pointer.pointee.defval, value.pointee != 0 else { continue }
            parsed.edgeDefaults.append((symbol.name, decoder.value(value)))
        }

        // Nodes, in creation order.
        var nodeIndex: [UnsafeMutablePointer<Agnode_t>: Int] = [:]
        nodeIndex.reserveCapacity(Int(agnnodes(root)))
        var node = agfstnode(root)
        while let current = node {
            let name = agnameof(UnsafeMutableRawPointer(current)).map { decoder.string($0) } ?? ""
            let (attributes, fields) = values(
                of: UnsafeMutableRawPointer(current), nodeSymbols,
                fields: ParsedDOTGraph.nodeFields, &decoder)
            nodeIndex[current] = parsed.nodes.count
            parsed.nodes.append(.init(name: name, attributes: attributes, fields: fields))
            node = agnxtnode(root, current)
        }

        // Edges, gathered per tail node, then put in creation (file) order.
        var edges: [(sequence: UInt, edge: ParsedDOTGraph.Edge)] = []
        edges.reserveCapacity(Int(agnedges(root)))
        node = agfstnode(root)
        while let current = node {
            var edge = agfstout(root, current)
            while let e = edge {
                let key = agnameof(UnsafeMutableRawPointer(e)).map { decoder.string($0) }
                let (attributes, fields) = values(
                    of: UnsafeMutableRawPointer(e), edgeSymbols,
                    fields: ParsedDOTGraph.edgeFields, &decoder)
                let tail = eg_tail(e).flatMap { nodeIndex[$0] } ?? 0
                let head = eg_head(e).flatMap { nodeIndex[$0] } ?? 0
                edges.append(
                    (
                        eg_sequence(UnsafeMutableRawPointer(e)),
                        .init(
                            tail: tail, head: head, key: key.flatMap { $0.isEmpty || $0.hasPrefix("%") ? nil : $0 },
                            attributes: attributes, fields: fields)
                    ))
                edge = agnxtout(root, e)
            }
            node = agnxtnode(root, current)
        }
        parsed.edges = edges.sorted { $0.sequence < $1.sequence }.map(\.edge)

        // Clusters, depth first in file order (an explicit stack: nesting may be deep).
        let clusterFlag = graphSymbols.first { $0.name == "cluster" }
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
                // A subgraph starts with its parent's values: only what it changes is its own.
                let (attributes, _) = values(
                    of: UnsafeMutableRawPointer(subgraph), graphSymbols, fields: [],
                    baseline: UnsafeMutableRawPointer(parent), &decoder)
                inner.append(parsed.clusters.count)
                parsed.clusters.append(.init(name: name, parent: path.last, attributes: attributes))
                var member = agfstnode(subgraph)
                while let current = member {
                    if let index = nodeIndex[current], (parsed.clusterPaths[index]?.count ?? 0) < inner.count {
                        parsed.clusterPaths[index] = inner
                    }
                    member = agnxtnode(subgraph, current)
                }
            }
            pushChildren(of: subgraph, path: inner)
        }
        parsed.sawInvalidUTF8 = decoder.sawInvalidUTF8
        return parsed
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

    /// An object's values (agxget) that differ from the declared default (or from `baseline`'s values),
    /// plus the values of `fields`.
    private static func values(
        of object: UnsafeMutableRawPointer, _ symbols: [Symbol], fields: Set<String>,
        baseline: UnsafeMutableRawPointer? = nil, _ decoder: inout Decoder
    )
        -> (ParsedDOTGraph.AttributeList, [String: ParsedDOTGraph.Value])
    {
        var attributes: ParsedDOTGraph.AttributeList = []
        var found: [String: ParsedDOTGraph.Value] = [:]
        for symbol in symbols {
            guard let value = agxget(object, symbol.pointer) else { continue }
            let reference = baseline.map { agxget($0, symbol.pointer) } ?? symbol.pointer.pointee.defval
            let isDefault = reference.map { strcmp(value, $0) == 0 } ?? (value.pointee == 0)
            let isField = fields.contains(symbol.name)
            guard !isDefault || (isField && value.pointee != 0) else { continue }
            let decoded = decoder.value(value)
            if !isDefault { attributes.append((symbol.name, decoded)) }
            if isField, value.pointee != 0 { found[symbol.name] = decoded }
        }
        return (attributes, found)
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

        mutating func value(_ pointer: UnsafeMutablePointer<CChar>) -> ParsedDOTGraph.Value {
            ParsedDOTGraph.Value(text: string(pointer), isHTML: eg_is_html_string(pointer) != 0)
        }
    }
}
