import Foundation

/// Reads GEXF files (1.1, 1.2, 1.3) — from Gephi 0.9+, networkx, or
/// ``Graph/export(as:formulaSafety:)`` with ``InteropFormat/gexf`` — into a ``Graph``, with
/// Foundation's `XMLParser`.
///
/// ```swift
/// let graph = try GEXFReader.read(contentsOf: URL(fileURLWithPath: "map.gexf"))
/// ```
///
/// ## Mapping
/// | GEXF | model |
/// | --- | --- |
/// | `<meta>` `title`, `description` | title, description; `creator`, `keywords`, `lastmodifieddate` → graph attributes |
/// | `<attribute id title type>` and its `<default>` | the type of each `<attvalue>` (`integer`/`long` → integer, `float`/`double` → double, `boolean` → bool, else string); the default fills nodes and edges without one |
/// | `<node id label>` | entity id; name = an attribute `name`, else `label`, else the id |
/// | attributes `kind`, `aliases` (JSON array text), `description`, `sources` | those fields, as ``GraphMLReader`` reads them |
/// | `<edge id source target label>` | relation (id else `e1`, `e2`, …); type = attribute `type`, else `label`; parallel edges kept |
/// | edge `start` / `end`, or one `<spell>` | since / until (`YYYY[-MM[-DD]]`) unless attributes `since` / `until` give the dates as written |
/// | `defaultedgetype` / edge `type` `undirected`, `mutual` | attribute `directed: false` / `mutual: true`; new types are declared symmetric |
/// | `weight`, `kind`, `pid`, node `start`/`end`, several spells | attributes of those names (`spells`: an array of `{start, end}`) |
/// | `<viz:color>`, `<viz:position>`, `<viz:size>`, `<viz:shape>`, `<viz:thickness>` | the attribute `viz`: `{"color": {"r", "g", "b", "a"}, "position": {"x", "y", "z"}, "size", "shape", "thickness"}` |
/// | dynamic `<attvalue start end>` | an array of `{value, start, end}` |
/// | any other attribute | an attribute of its title, typed by its declaration |
///
/// Errors, warnings, limits and guarantees are those of ``GraphMLReader``: malformed XML, a DTD,
/// unknown edge endpoints and repeated ids are errors with `file:line:column`; values the model cannot
/// hold are kept as attributes and named in warnings; every graph read converts to a valid JSON document.
public enum GEXFReader {
    /// Decodes GEXF from its bytes, returning the graph (when there is no error) and every issue in
    /// file order. Never throws; never traps on malformed input.
    /// - Parameters:
    ///   - bytes: The file's bytes (UTF-8 unless the XML declaration names another encoding).
    ///   - fileName: Names the file in the issues (`map.gexf:3:7: error: …`).
    ///   - limits: As for ``GraphMLReader/decode(_:fileName:limits:)``.
    public static func decode(
        _ bytes: some Sequence<UInt8>, fileName: String? = nil, limits: ReadLimits = .standard
    ) -> GraphDocument.Decoded {
        let array = Array(bytes)
        let handler = GEXFHandler(limits: limits, fileName: fileName)
        if let failure = XMLGraphInput.parse(
            array, fileName: fileName, limits: limits, format: "GEXF", rootName: "gexf", handler: handler)
        {
            return GraphDocument.Decoded(graph: nil, issues: [failure])
        }
        var builder = XMLGraphBuilder(format: "GEXF", fileName: fileName)
        let records = handler.finish()
        return builder.build(records, metaTitle: handler.metaTitle, metaDescription: handler.metaDescription)
    }

    /// Decodes the GEXF file at `url`. An unreadable file yields one
    /// ``ValidationIssue/Code/unreadableFile`` issue; a file over ``ReadLimits/maximumBytes`` is refused
    /// before it is read.
    public static func decode(contentsOf url: URL, limits: ReadLimits = .standard) -> GraphDocument.Decoded {
        decodeXMLFile(url, limits: limits) { decode($0, fileName: $1, limits: limits) }
    }

    /// Reads a graph from GEXF bytes. Throws a ``DocumentError`` listing every problem when there is
    /// an error; warnings alone do not fail.
    public static func read(
        _ bytes: some Sequence<UInt8>, fileName: String? = nil, limits: ReadLimits = .standard
    ) throws(DocumentError) -> Graph {
        return try decode(bytes, fileName: fileName, limits: limits).get()
    }

    /// Reads a graph from a GEXF file. Throws a ``DocumentError`` listing every problem.
    public static func read(contentsOf url: URL, limits: ReadLimits = .standard) throws(DocumentError) -> Graph {
        return try decode(contentsOf: url, limits: limits).get()
    }
}

/// The GEXF event handler: attribute declarations, meta, nodes and edges as records.
private final class GEXFHandler: XMLGraphHandler {
    let limits: ReadLimits
    let fileName: String?
    private(set) var fatal: ValidationIssue?
    private(set) var metaTitle: String?
    private(set) var metaDescription: String?

    private enum Owner {
        case node(Int), edge(Int)
    }

    private var keys: [String: [String: XMLKey]] = ["node": [:], "edge": [:]]
    private var keyOrder: [String: [String]] = ["node": [], "edge": []]
    private var attributeClass: String?
    private var keyID: String?
    private var inDefault = false
    private var defaultText = ""
    private var defaultDirected = true
    private var owners: [Owner] = []
    private var nodes: [XMLNodeRecord] = []
    private var edges: [XMLEdgeRecord] = []
    private var pending:
        [(owner: Owner, id: String, text: String, start: String?, end: String?, position: XMLPosition)] = []
    private var spells: [[(start: String?, end: String?)]] = []
    private var edgeSpells: [Int: [(start: String?, end: String?)]] = [:]
    private var nodeSpells: [Int: [(start: String?, end: String?)]] = [:]
    private var graphAttributes: Attributes = [:]
    private var metaField: String?
    private var metaText = ""
    private var inMeta = false
    private var nestedNodes = 0
    private var nestedPosition: XMLPosition?
    private var unknownKeys: [String: XMLPosition] = [:]

    init(limits: ReadLimits, fileName: String?) {
        self.limits = limits
        self.fileName = fileName
    }

    private func tooMany(_ what: String, _ limit: String, _ value: Int, at position: XMLPosition) {
        fatal = ValidationIssue(
            severity: .error, code: .limitExceeded,
            message: "the file has more than \(value) \(what); "
                + "ReadLimits.\(limit) is \(value)", path: "$", line: position.line, column: position.column,
            fileName: fileName, suggestion: "split the data, or read it with larger ReadLimits")
    }

    /// A number as JSON: an integer when it is one, else a finite double, else the text.
    /// A number as every reader reads one (``DecimalText/read(_:decimalComma:)``: exactly, or not at
    /// all); any other text is kept as it is.
    private static func number(_ text: String?) -> JSONValue? {
        guard let text else { return nil }
        if case .number(let value) = DecimalText.read(text) { return value }
        return .string(text)
    }

    private func setViz(_ key: String, _ value: JSONValue) {
        guard let owner = owners.last else { return }
        func update(_ extras: inout Attributes) {
            var ordered: Attributes = [:]
            if case .object(let existing)? = extras["viz"] { ordered = existing }
            ordered[key] = value
            extras["viz"] = .object(ordered)
        }
        switch owner {
        case .node(let index): update(&nodes[index].extras)
        case .edge(let index): update(&edges[index].extras)
        }
    }

    func start(_ name: String, _ attributes: [String: String], at position: XMLPosition) {
        let local = xmlLocalName(name)
        if inMeta {
            metaField = local
            metaText = ""
            return
        }
        switch local {
        case "meta":
            inMeta = true
            if let date = attributes["lastmodifieddate"] { graphAttributes["lastmodifieddate"] = .string(date) }
        case "graph":
            defaultDirected = attributes["defaultedgetype"]?.lowercased() != "undirected"
        case "attributes":
            attributeClass = attributes["class"]?.lowercased() == "edge" ? "edge" : "node"
        case "attribute":
            guard let attributeClass else { return }
            let id = attributes["id"] ?? attributes["title"] ?? ""
            if keys[attributeClass]?[id] == nil { keyOrder[attributeClass]?.append(id) }
            keys[attributeClass]?[id] = XMLKey(
                name: attributes["title"] ?? id, type: XMLValueType(attributes["type"]), defaultValue: nil,
                domain: attributeClass, position: position, holdsJSON: attributes[XMLKey.jsonMarker] == "true")
            keyID = id
        case "default" where keyID != nil:
            inDefault = true
            defaultText = ""
        case "node":
            guard nodes.count < limits.maximumEntities else {
                return tooMany("nodes", "maximumEntities", limits.maximumEntities, at: position)
            }
            if owners.contains(where: { if case .node = $0 { true } else { false } }) {
                nestedNodes += 1
                if nestedPosition == nil { nestedPosition = position }
            }
            var node = XMLNodeRecord(id: attributes["id"], position: position, label: attributes["label"])
            if let pid = attributes["pid"] { node.extras["pid"] = .string(pid) }
            if let start = attributes["start"] ?? attributes["startopen"] { node.extras["start"] = .string(start) }
            if let end = attributes["end"] ?? attributes["endopen"] { node.extras["end"] = .string(end) }
            nodes.append(node)
            owners.append(.node(nodes.count - 1))
        case "edge":
            guard edges.count < limits.maximumRelations else {
                return tooMany("edges", "maximumRelations", limits.maximumRelations, at: position)
            }
            var edge = XMLEdgeRecord(
                id: attributes["id"], source: attributes["source"], target: attributes["target"], position: position,
                label: attributes["label"], start: attributes["start"] ?? attributes["startopen"],
                end: attributes["end"] ?? attributes["endopen"])
            switch attributes["type"]?.lowercased() {
            case "undirected"?: edge.directed = false
            case "directed"?: edge.directed = true
            case "mutual"?:
                edge.directed = true
                edge.mutual = true
            default: break
            }
            if let weight = attributes["weight"] { edge.extras["weight"] = GEXFHandler.number(weight) }
            if let kind = attributes["kind"] { edge.extras["kind"] = .string(kind) }
            edges.append(edge)
            owners.append(.edge(edges.count - 1))
        case "attvalue":
            guard let owner = owners.last, let id = attributes["for"] ?? attributes["id"] else { return }
            pending.append(
                (
                    owner, id, attributes["value"] ?? "", attributes["start"] ?? attributes["startopen"],
                    attributes["end"] ?? attributes["endopen"], position
                ))
        case "spell":
            guard let owner = owners.last else { return }
            let spell = (
                start: attributes["start"] ?? attributes["startopen"], end: attributes["end"] ?? attributes["endopen"]
            )
            switch owner {
            case .node(let index): nodeSpells[index, default: []].append(spell)
            case .edge(let index): edgeSpells[index, default: []].append(spell)
            }
        case "color":
            var color: Attributes = [:]
            for channel in ["r", "g", "b", "a"] {
                if let value = GEXFHandler.number(attributes[channel]) { color[channel] = value }
            }
            if let hex = attributes["hex"] { color["hex"] = .string(hex) }
            setViz("color", .object(color))
        case "position":
            var point: Attributes = [:]
            for axis in ["x", "y", "z"] {
                if let value = GEXFHandler.number(attributes[axis]) { point[axis] = value }
            }
            setViz("position", .object(point))
        case "size", "thickness":
            if let value = GEXFHandler.number(attributes["value"]) { setViz(local, value) }
        case "shape":
            if let value = attributes["value"] { setViz("shape", .string(value)) }
            if let uri = attributes["uri"] { setViz("shapeURI", .string(uri)) }
        default:
            break
        }
    }

    func end(_ name: String) {
        let local = xmlLocalName(name)
        if inMeta {
            if local == "meta" {
                inMeta = false
                return
            }
            let text = metaText
            switch metaField {
            case "title"?: metaTitle = text
            case "description"?: metaDescription = text
            case let field?: graphAttributes[field] = .string(text)
            case nil: break
            }
            metaField = nil
            return
        }
        switch local {
        case "default":
            if inDefault, let keyID, let attributeClass { keys[attributeClass]?[keyID]?.defaultValue = defaultText }
            inDefault = false
        case "attribute":
            keyID = nil
        case "attributes":
            attributeClass = nil
        case "node", "edge":
            if !owners.isEmpty { owners.removeLast() }
        default:
            break
        }
    }

    func text(_ text: String) {
        if inMeta, metaField != nil {
            metaText += text
        } else if inDefault {
            defaultText += text
        }
    }

    private static func spellsValue(_ spells: [(start: String?, end: String?)]) -> JSONValue {
        .array(
            spells.map { spell in
                var object: Attributes = [:]
                if let start = spell.start { object["start"] = .string(start) }
                if let end = spell.end { object["end"] = .string(end) }
                return .object(object)
            })
    }

    func finish() -> XMLGraphRecords {
        var records = XMLGraphRecords()
        records.defaultDirected = defaultDirected
        var nodeData = [[XMLDatum]](repeating: [], count: nodes.count)
        var edgeData = [[XMLDatum]](repeating: [], count: edges.count)
        for item in pending {
            let domain: String
            switch item.owner {
            case .node: domain = "node"
            case .edge: domain = "edge"
            }
            var key = keys[domain]?[item.id]
            if key == nil {
                if unknownKeys[item.id] == nil { unknownKeys[item.id] = item.position }
                key = XMLKey(name: item.id, type: .string, domain: domain, position: item.position)
            }
            let datum = XMLDatum(key: key!, text: item.text, position: item.position, start: item.start, end: item.end)
            switch item.owner {
            case .node(let index): nodeData[index].append(datum)
            case .edge(let index): edgeData[index].append(datum)
            }
        }
        func withDefaults(_ data: [XMLDatum], domain: String) -> [XMLDatum] {
            var result = data
            let present = Set(data.map(\.key.name))
            for id in keyOrder[domain] ?? [] {
                guard let key = keys[domain]?[id], let value = key.defaultValue, !present.contains(key.name) else {
                    continue
                }
                result.append(XMLDatum(key: key, text: value, position: key.position))
            }
            return result
        }
        records.nodes = nodes
        for index in nodes.indices {
            records.nodes[index].data = withDefaults(nodeData[index], domain: "node")
            if let spells = nodeSpells[index] {
                records.nodes[index].extras["spells"] = GEXFHandler.spellsValue(spells)
            }
        }
        records.edges = edges
        for index in edges.indices {
            records.edges[index].data = withDefaults(edgeData[index], domain: "edge")
            if let spells = edgeSpells[index] {
                if spells.count == 1, edges[index].start == nil, edges[index].end == nil {
                    records.edges[index].start = spells[0].start
                    records.edges[index].end = spells[0].end
                } else {
                    records.edges[index].extras["spells"] = GEXFHandler.spellsValue(spells)
                }
            }
        }
        let graphKey = XMLKey(name: "", type: .string, domain: "graph", position: XMLPosition(line: 1, column: 1))
        for (name, value) in graphAttributes {
            var key = graphKey
            key.name = name
            records.graphData.append(XMLDatum(key: key, text: value.stringValue ?? "", position: key.position))
        }
        for (id, position) in unknownKeys.sorted(by: { $0.value.line < $1.value.line }) {
            records.issues.append(
                ValidationIssue(
                    severity: .warning, code: .readAsNoted,
                    message: "no <attribute> declares '\(id)'; its values are kept as string attributes named '\(id)'",
                    path: id, line: position.line, column: position.column, fileName: fileName,
                    suggestion: "declare it in <attributes class=\"node\"> or <attributes class=\"edge\">"))
        }
        if nestedNodes > 0, let nestedPosition {
            records.issues.append(
                ValidationIssue(
                    severity: .warning, code: .readAsNoted,
                    message: "\(pluralize(nestedNodes, "node")) nested inside other nodes were read as top-level nodes "
                        + "(the hierarchy is not kept)",
                    path: "$", line: nestedPosition.line, column: nestedPosition.column, fileName: fileName))
        }
        return records
    }
}
