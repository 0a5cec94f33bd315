/// A Graphviz graph as plain Swift values: the package's one model of a DOT graph.
///
/// The renderer's plan holds one (``RenderPlan/dot``), the DOT exporter builds one, the layout
/// worker receives one over its pipe, and the bridge turns one into a cgraph graph with
/// ``Session/build(_:releasing:checked:engine:format:)`` — never through DOT text. Graphviz's parser
/// output is copied into one too (``ParsedDOTGraph`` adds which of its values were HTML-like). Objects refer to
/// each other by index: an edge's ends are indices into ``nodes``, an object's subgraph and a
/// subgraph's parent are indices into ``subgraphs``.
struct DOTGraph: Hashable, Sendable {
    /// A few attributes, in insertion order. Objects hold about a dozen, so a linear search beats
    /// hashing, and iteration order is stable.
    struct Attributes: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
        private(set) var names: [String] = []
        private(set) var values: [String] = []

        init(dictionaryLiteral elements: (String, String)...) {
            for (name, value) in elements { self[name] = value }
        }

        subscript(name: String) -> String? {
            get { names.firstIndex(of: name).map { values[$0] } }
            set {
                if let index = names.firstIndex(of: name) {
                    if let newValue {
                        values[index] = newValue
                    } else {
                        names.remove(at: index)
                        values.remove(at: index)
                    }
                } else if let newValue {
                    names.append(name)
                    values.append(newValue)
                }
            }
        }

        var isEmpty: Bool { names.isEmpty }
        var count: Int { names.count }
        var keys: [String] { names }

        /// Sets every attribute of `other`, replacing values of the same name.
        mutating func merge(_ other: Attributes) {
            for (name, value) in other { self[name] = value }
        }

        @discardableResult
        mutating func removeValue(forKey name: String) -> String? {
            let old = self[name]
            self[name] = nil
            return old
        }

        func makeIterator() -> Iterator { Iterator(names: names, values: values) }

        /// The attributes in order, by index into both arrays (no zip or lazy map to unwrap).
        struct Iterator: IteratorProtocol {
            let names: [String]
            let values: [String]
            var index = 0

            mutating func next() -> (key: String, value: String)? {
                guard index < names.count else { return nil }
                defer { index += 1 }
                return (key: names[index], value: values[index])
            }
        }
    }

    struct Node: Hashable, Sendable {
        var name: String
        var attributes: Attributes = [:]
        /// The subgraph the node is created in (an index into ``DOTGraph/subgraphs``), `nil` for the root.
        var subgraph: Int?
    }

    struct Edge: Hashable, Sendable {
        /// Indices into ``DOTGraph/nodes``.
        var tail: Int
        var head: Int
        /// The edge's key, which tells parallel edges apart; `nil` for an anonymous edge.
        var key: String?
        var attributes: Attributes = [:]
        var subgraph: Int?
    }

    struct Subgraph: Hashable, Sendable {
        var name: String
        /// The enclosing subgraph (an index into ``DOTGraph/subgraphs``, always a lower one), `nil` for
        /// the root.
        var parent: Int?
        var attributes: Attributes = [:]
        /// Nodes created elsewhere that also belong here (indices into ``DOTGraph/nodes``), such as the
        /// legend's `rank=same` columns.
        var members: [Int] = []
    }

    /// The graph's name, `nil` when anonymous.
    var name: String?
    var directed = true
    var strict = false
    var graphAttributes: Attributes = [:]
    /// Declared defaults for every node and edge (`node [fontname=…]`).
    var nodeDefaults: Attributes = [:]
    var edgeDefaults: Attributes = [:]
    /// Subgraphs, each after its parent. Created first, in this order.
    var subgraphs: [Subgraph] = []
    /// Nodes, created in this order after the subgraphs.
    var nodes: [Node] = []
    /// Edges, created in this order after the nodes.
    var edges: [Edge] = []

    /// The problem with the graph's indices, if any: an edge end, a subgraph or a parent out of range
    /// (a parent must come before its child). O(objects).
    var indexProblem: String? {
        for (index, subgraph) in subgraphs.enumerated() {
            if let parent = subgraph.parent, !(0..<index).contains(parent) {
                return "subgraph \(index) has parent \(parent)"
            }
            if let member = subgraph.members.first(where: { !nodes.indices.contains($0) }) {
                return "subgraph \(index) lists node \(member) of \(nodes.count)"
            }
        }
        if let node = nodes.firstIndex(where: { $0.subgraph.map { !subgraphs.indices.contains($0) } ?? false }) {
            return "node \(node) is in a subgraph out of range"
        }
        for (index, edge) in edges.enumerated() {
            guard nodes.indices.contains(edge.tail), nodes.indices.contains(edge.head) else {
                return "edge \(index) joins a node out of range"
            }
            if let subgraph = edge.subgraph, !subgraphs.indices.contains(subgraph) {
                return "edge \(index) is in a subgraph out of range"
            }
        }
        return nil
    }
}
