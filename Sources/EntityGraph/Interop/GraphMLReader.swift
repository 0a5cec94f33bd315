import Foundation

/// Reads GraphML files — from networkx, yEd, Gephi, igraph, or ``Graph/export(as:formulaSafety:)``
/// with ``InteropFormat/graphml`` — into a ``Graph``, with Foundation's `XMLParser`.
///
/// ```swift
/// let graph = try GraphMLReader.read(contentsOf: URL(fileURLWithPath: "map.graphml"))
/// let decoded = GraphMLReader.decode(upload, fileName: "upload.graphml", limits: serverLimits)
/// ```
///
/// ## Mapping
/// | GraphML | model |
/// | --- | --- |
/// | `<key attr.name attr.type>` and its `<default>` | the type of each value (`int`/`long` → integer, `float`/`double` → double, `boolean` → bool, else string); the default fills elements without the value |
/// | graph data `title` (else `name`), `description`, `documents` (JSON text) | title, description, source documents; other graph data → graph attributes |
/// | `<node id>` | entity id |
/// | node data `name`, else `label`, else a yEd node label, else the id | name |
/// | node data `kind` | kind: built-in ids or labels ignoring case (`Person`), else declared with the text as label |
/// | node data `aliases` (JSON array text), `description`, `sources` (JSON text) | those fields |
/// | `<edge id source target>` | relation id (else `e1`, `e2`, …), source, target; parallel edges are kept |
/// | edge data `type`, else `label`, else a yEd edge label | relation type (as for kinds; new types get `label` and `category` when given); none → `relatedTo` |
/// | edge data `since`, `until`, `certainty`, `assertedBy`, `sources` | those fields |
/// | `edgedefault="undirected"`, `directed="false"` | attribute `directed: false`; new types are declared symmetric |
/// | any other data | an attribute named by the key (one `attr.` prefix removed), typed by the key |
///
/// Values of a key marked `entitygraph.json="true"` are read as JSON text (that is how the writer
/// keeps a column of values of no single type); no other value is ever read as JSON, so the text
/// `[1,2]` or `null` stays text. A value the model cannot hold as written —
/// a date that is none, an unknown certainty, text under a `long` key — is kept as an attribute and
/// named in a warning (``ValidationIssue/Code/keptAsAttribute``); so is a field that does not read back
/// exactly (`kind` `PERSON`). The graph element's `id`, hyperedges, ports, nested graphs' structure and
/// yEd graphics (shapes, colours, geometry) are not kept: each is named in a warning.
///
/// ## Errors
/// Malformed XML, a file that is not UTF-8 (unless it declares its encoding), a `<!DOCTYPE>` or entity
/// declaration (refused before parsing: no external entity is ever fetched, no entity expanded), an
/// edge naming an unknown node, a node id used twice, and an edge id used twice for the same pair of
/// nodes are errors, each with `file:line:column`, the id and a suggestion. An edge id used again for
/// another pair (networkx writes multigraph keys `0`, `1`, … as ids) gets `-2`, `-3`, … with a warning.
/// Every graph read converts to a JSON document that ``GraphDocument/validate(_:fileName:limits:)``
/// accepts. Reading never traps; it is linear in the file's size.
public enum GraphMLReader {
    /// Decodes GraphML from its bytes, returning the graph (when there is no error) and every issue
    /// in file order. Never throws; never traps on malformed input.
    /// - Parameters:
    ///   - bytes: The file's bytes (UTF-8 unless the XML declaration names another encoding).
    ///   - fileName: Names the file in the issues (`map.graphml:3:7: error: …`).
    ///   - limits: Bytes, nodes (``ReadLimits/maximumEntities``), edges (``ReadLimits/maximumRelations``),
    ///     the length of one text or attribute value (``ReadLimits/maximumStringBytes``) and element
    ///     nesting (``ReadLimits/maximumNestingDepth``); a broken limit is one
    ///     ``ValidationIssue/Code/limitExceeded`` issue, and reading stops there.
    public static func decode(
        _ bytes: some Sequence<UInt8>, fileName: String? = nil, limits: ReadLimits = .standard
    ) -> GraphDocument.Decoded {
        let array = Array(bytes)
        let handler = GraphMLHandler(limits: limits, fileName: fileName)
        if let failure = XMLGraphInput.parse(
            array, fileName: fileName, limits: limits, format: "GraphML", rootName: "graphml", handler: handler)
        {
            return GraphDocument.Decoded(graph: nil, issues: [failure])
        }
        var builder = XMLGraphBuilder(format: "GraphML", fileName: fileName)
        return builder.build(handler.finish())
    }

    /// Decodes the GraphML file at `url`. An unreadable file yields one
    /// ``ValidationIssue/Code/unreadableFile`` issue; a file over ``ReadLimits/maximumBytes`` is refused
    /// before it is read.
    public static func decode(contentsOf url: URL, limits: ReadLimits = .standard) -> GraphDocument.Decoded {
        decodeXMLFile(url, limits: limits) { decode($0, fileName: $1, limits: limits) }
    }

    /// Reads a graph from GraphML bytes. Throws a ``DocumentError`` listing every problem when there
    /// is an error; warnings alone do not fail.
    public static func read(
        _ bytes: some Sequence<UInt8>, fileName: String? = nil, limits: ReadLimits = .standard
    ) throws(DocumentError) -> Graph {
        return try decode(bytes, fileName: fileName, limits: limits).get()
    }

    /// Reads a graph from a GraphML file. Throws a ``DocumentError`` listing every problem.
    public static func read(contentsOf url: URL, limits: ReadLimits = .standard) throws(DocumentError) -> Graph {
        return try decode(contentsOf: url, limits: limits).get()
    }
}

/// The GraphML event handler: keys, graph data, nodes and edges as records.
private final class GraphMLHandler: XMLGraphHandler {
    let limits: ReadLimits
    let fileName: String?
    private(set) var fatal: ValidationIssue?

    private enum Owner {
        case graph, node(Int), edge(Int), ignored
    }

    private struct PendingDatum {
        var keyID: String
        var text: String
        var position: XMLPosition
    }

    private var keys: [String: XMLKey] = [:]
    private var keyOrder: [String] = []
    private var owners: [Owner] = []
    private var graphCount = 0
    private var defaultDirected = true
    private var nodes: [XMLNodeRecord] = []
    private var edges: [XMLEdgeRecord] = []
    private var nodeData: [[PendingDatum]] = []
    private var edgeData: [[PendingDatum]] = []
    private var graphData: [PendingDatum] = []
    private var issues: [ValidationIssue] = []

    // The element being read.
    private var keyID: String?
    private var inDefault = false
    private var defaultText = ""
    private var data: (key: String, owner: Owner, position: XMLPosition)?
    private var dataText = ""
    private var dataHasElements = false
    private var labelDepth = 0
    private var labelText: String?
    private var childDepth = 0
    /// Skipped structures: name → (count, first position).
    private var skipped: [(what: String, count: Int, position: XMLPosition)] = []
    private var graphicsKeys: [String: Int] = [:]

    init(limits: ReadLimits, fileName: String?) {
        self.limits = limits
        self.fileName = fileName
    }

    private func skip(_ what: String, at position: XMLPosition) {
        if let index = skipped.firstIndex(where: { $0.what == what }) {
            skipped[index].count += 1
        } else {
            skipped.append((what, 1, position))
        }
    }

    private func tooMany(_ what: String, _ limit: String, _ value: Int, at position: XMLPosition) {
        fatal = ValidationIssue(
            severity: .error, code: .limitExceeded,
            message: "the file has more than \(value) \(what); "
                + "ReadLimits.\(limit) is \(value)", path: "$", line: position.line, column: position.column,
            fileName: fileName, suggestion: "split the data, or read it with larger ReadLimits")
    }

    func start(_ name: String, _ attributes: [String: String], at position: XMLPosition) {
        let local = xmlLocalName(name)
        if data != nil {
            // Elements inside <data>: yEd graphics. Their node and edge labels are kept as labels.
            dataHasElements = true
            childDepth += 1
            if labelDepth == 0, labelText == nil, local == "NodeLabel" || local == "EdgeLabel" {
                labelDepth = childDepth
                labelText = ""
            }
            return
        }
        switch local {
        case "key":
            let id = attributes["id"] ?? ""
            let keyName = attributes["attr.name"] ?? attributes["yfiles.type"].map { "yfiles." + $0 } ?? id
            if keys[id] == nil { keyOrder.append(id) }
            keys[id] = XMLKey(
                name: keyName, type: XMLValueType(attributes["attr.type"]), defaultValue: nil,
                domain: attributes["for"] ?? "all", position: position,
                holdsJSON: attributes[XMLKey.jsonMarker] == "true")
            keyID = id
        case "default" where keyID != nil:
            inDefault = true
            defaultText = ""
        case "graph":
            graphCount += 1
            if graphCount == 1 {
                defaultDirected = attributes["edgedefault"]?.lowercased() != "undirected"
                owners.append(.graph)
            } else {
                skip(
                    owners.isEmpty
                        ? "further graphs (their nodes and edges are read into the first)"
                        : "nested graphs (their nodes and edges are read as top-level ones)", at: position)
                owners.append(.graph)
            }
        case "node":
            guard nodes.count < limits.maximumEntities else {
                return tooMany("nodes", "maximumEntities", limits.maximumEntities, at: position)
            }
            nodes.append(XMLNodeRecord(id: attributes["id"], position: position))
            nodeData.append([])
            owners.append(.node(nodes.count - 1))
        case "edge":
            guard edges.count < limits.maximumRelations else {
                return tooMany("edges", "maximumRelations", limits.maximumRelations, at: position)
            }
            var edge = XMLEdgeRecord(
                id: attributes["id"], source: attributes["source"], target: attributes["target"], position: position)
            switch attributes["directed"]?.lowercased() {
            case "false"?, "0"?: edge.directed = false
            case "true"?, "1"?: edge.directed = true
            default: break
            }
            if attributes["sourceport"] != nil || attributes["targetport"] != nil { skip("edge ports", at: position) }
            edges.append(edge)
            edgeData.append([])
            owners.append(.edge(edges.count - 1))
        case "data":
            data = (attributes["key"] ?? "", owners.last ?? .graph, position)
            dataText = ""
            dataHasElements = false
            labelText = nil
            labelDepth = 0
            childDepth = 0
        case "hyperedge":
            skip("hyperedges", at: position)
            owners.append(.ignored)
        case "port":
            skip("ports", at: position)
            owners.append(.ignored)
        default:
            break
        }
    }

    func end(_ name: String) {
        let local = xmlLocalName(name)
        if data != nil, local != "data" || childDepth > 0 {
            if labelDepth == childDepth { labelDepth = -1 }
            childDepth -= 1
            return
        }
        switch local {
        case "data":
            guard let current = data else { return }
            data = nil
            if dataHasElements {
                let keyName = keys[current.key]?.name ?? current.key
                graphicsKeys[keyName, default: 0] += 1
                let label = labelText?.trimmingCharacters(in: .whitespacesAndNewlines)
                if let label, !label.isEmpty {
                    switch current.owner {
                    case .node(let index) where nodes[index].label == nil: nodes[index].label = label
                    case .edge(let index) where edges[index].label == nil: edges[index].label = label
                    default: break
                    }
                }
                return
            }
            let datum = PendingDatum(keyID: current.key, text: dataText, position: current.position)
            switch current.owner {
            case .graph: graphData.append(datum)
            case .node(let index): nodeData[index].append(datum)
            case .edge(let index): edgeData[index].append(datum)
            case .ignored: break
            }
        case "default":
            if inDefault, let keyID { keys[keyID]?.defaultValue = defaultText }
            inDefault = false
        case "key":
            keyID = nil
        case "graph", "node", "edge", "hyperedge", "port":
            if !owners.isEmpty { owners.removeLast() }
        default:
            break
        }
    }

    func text(_ text: String) {
        if data != nil {
            if labelDepth > 0 {
                labelText? += text
            } else if !dataHasElements || childDepth == 0 {
                dataText += text
            }
        } else if inDefault {
            defaultText += text
        }
    }

    /// The records, with key defaults filled in and data resolved against their keys.
    func finish() -> XMLGraphRecords {
        var records = XMLGraphRecords()
        records.defaultDirected = defaultDirected
        var unknownKeys: [String: XMLPosition] = [:]
        func resolve(_ pending: [PendingDatum], domain: String) -> [XMLDatum] {
            var result: [XMLDatum] = []
            var present = Set<String>()
            for item in pending {
                present.insert(item.keyID)
                if let key = keys[item.keyID] {
                    result.append(XMLDatum(key: key, text: item.text, position: item.position))
                } else {
                    if unknownKeys[item.keyID] == nil { unknownKeys[item.keyID] = item.position }
                    let key = XMLKey(name: item.keyID, type: .string, domain: domain, position: item.position)
                    result.append(XMLDatum(key: key, text: item.text, position: item.position))
                }
            }
            for id in keyOrder where !present.contains(id) {
                guard let key = keys[id], let value = key.defaultValue, key.domain == domain || key.domain == "all"
                else { continue }
                result.append(XMLDatum(key: key, text: value, position: key.position))
            }
            return result
        }
        records.graphData = resolve(graphData, domain: "graph")
        records.nodes = nodes
        for index in nodes.indices { records.nodes[index].data = resolve(nodeData[index], domain: "node") }
        records.edges = edges
        for index in edges.indices { records.edges[index].data = resolve(edgeData[index], domain: "edge") }

        records.issues = issues
        for (id, position) in unknownKeys.sorted(by: { $0.value.line < $1.value.line }) {
            records.issues.append(
                ValidationIssue(
                    severity: .warning, code: .readAsNoted,
                    message: "no <key> declares '\(id)'; its values are kept as string attributes named '\(id)'",
                    path: id, line: position.line, column: position.column, fileName: fileName,
                    suggestion: "declare it: <key id=\"\(id)\" for=\"node\" attr.name=\"…\" attr.type=\"string\"/>"))
        }
        for item in skipped {
            records.issues.append(
                ValidationIssue(
                    severity: .warning, code: .readAsNoted,
                    message: "GraphML \(item.what) are not part of the model and were not kept (\(item.count))",
                    path: "$", line: item.position.line, column: item.position.column, fileName: fileName))
        }
        if !graphicsKeys.isEmpty {
            let listed = graphicsKeys.sorted { $0.key < $1.key }.map { "'\($0.key)' (\($0.value))" }
            records.issues.append(
                ValidationIssue(
                    severity: .warning, code: .readAsNoted,
                    message: "data holding XML (yEd graphics: shapes, colours, geometry) is not kept, only the "
                        + "node and edge labels in it: \(listed.joined(separator: ", "))",
                    path: "$", fileName: fileName))
        }
        return records
    }
}
