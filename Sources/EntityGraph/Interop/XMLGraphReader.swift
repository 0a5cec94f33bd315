import Foundation
import OrderedCollections

#if canImport(FoundationXML)
import FoundationXML
#endif

// What the GraphML and GEXF readers share: the checks before parsing (size, encoding, no DTD), one
// driver around Foundation's `XMLParser` (limits, positions, errors), the records each format's
// handler fills, and the builder that turns those records into a `Graph` with issues.

extension ValidationIssue.Code {
    /// Malformed XML in a GraphML or GEXF file: a tag that is never closed, a file that ends early,
    /// an undefined entity reference, text after the root element.
    public static let invalidXML: ValidationIssue.Code = "invalidXML"
    /// An XML file with a document type declaration (`<!DOCTYPE …>`) or an entity declaration. They
    /// can expand one reference into gigabytes ("billion laughs") or fetch other files, so the GraphML
    /// and GEXF readers refuse them; neither format needs one.
    public static let documentTypeDeclaration: ValidationIssue.Code = "documentTypeDeclaration"
    /// A value the model cannot hold as written (a date that is no date, a number that is not one, an
    /// unknown certainty or asserting entity): kept as an attribute of the same name instead.
    public static let keptAsAttribute: ValidationIssue.Code = "keptAsAttribute"
    /// Part of a GraphML or GEXF file the model has no place for (hyperedges, ports, nested graphs, yEd
    /// graphics), or something read in a way the file did not spell out (JSON text read as JSON, an edge
    /// id used for another pair of nodes given a new id).
    public static let readAsNoted: ValidationIssue.Code = "readAsNoted"
}

/// A 1-based line and column (in Unicode scalars) in an XML file.
struct XMLPosition: Hashable {
    var line: Int
    var column: Int
}

/// The declared value type of a GraphML key or GEXF attribute.
enum XMLValueType: Hashable {
    case integer, double, boolean, string

    /// GraphML `attr.type` and GEXF `type` names: `int`/`long`/`integer` → integer, `float`/`double`
    /// → double, `boolean`, anything else (`string`, `liststring`, `anyURI`, `date`, …) → string.
    init(_ name: String?) {
        switch name?.lowercased() {
        case "int", "long", "integer", "short", "byte": self = .integer
        case "float", "double": self = .double
        case "boolean", "bool": self = .boolean
        default: self = .string
        }
    }
}

/// A GraphML key or GEXF attribute declaration.
struct XMLKey {
    /// `attr.name` / `title` (else the id).
    var name: String
    var type: XMLValueType
    var defaultValue: String?
    /// The GraphML domain (`node`, `edge`, `graph`, `all`) or GEXF class (`node`, `edge`).
    var domain: String
    var position: XMLPosition
}

/// One value of a node, an edge or the graph: a GraphML `<data>` or GEXF `<attvalue>`.
struct XMLDatum {
    var key: XMLKey
    var text: String
    var position: XMLPosition
    /// GEXF dynamic values: the interval the value holds for.
    var start: String? = nil
    var end: String? = nil
}

/// A node as read, before it becomes an entity.
struct XMLNodeRecord {
    var id: String?
    var position: XMLPosition
    var data: [XMLDatum] = []
    /// GEXF's `label` attribute, or a yEd node label: the name when no `name`/`label` datum says more.
    var label: String? = nil
    /// Values already typed by the format (GEXF `viz`, `pid`, `start`, `end`), kept as attributes.
    var extras: Attributes = [:]
}

/// An edge as read, before it becomes a relation.
struct XMLEdgeRecord {
    var id: String?
    var source: String?
    var target: String?
    var position: XMLPosition
    /// `false` for an undirected edge, `nil` when the edge does not say (the graph's default then).
    var directed: Bool? = nil
    /// GEXF `type="mutual"`.
    var mutual = false
    var data: [XMLDatum] = []
    /// GEXF's `label` attribute, or a yEd edge label: the type when no `type`/`label` datum says more.
    var label: String? = nil
    /// GEXF `start` / `end` (or a single spell).
    var start: String? = nil
    var end: String? = nil
    var extras: Attributes = [:]
}

/// What a format's handler hands to ``XMLGraphBuilder``.
struct XMLGraphRecords {
    var graphData: [XMLDatum] = []
    var nodes: [XMLNodeRecord] = []
    var edges: [XMLEdgeRecord] = []
    var defaultDirected = true
    /// Issues found while reading (unsupported elements, unknown keys), with positions.
    var issues: [ValidationIssue] = []
}

/// Receives the parser's events. Implemented by the GraphML and GEXF handlers.
protocol XMLGraphHandler: AnyObject {
    /// A start tag; `name` is the qualified name as written (`viz:color`).
    func start(_ name: String, _ attributes: [String: String], at position: XMLPosition)
    func end(_ name: String)
    func text(_ text: String)
    /// A problem that stops reading (a broken limit), or `nil`.
    var fatal: ValidationIssue? { get }
}

/// The name after the namespace prefix: `viz:color` → `color`.
func xmlLocalName(_ name: String) -> String {
    guard let colon = name.lastIndex(of: ":") else { return name }
    return String(name[name.index(after: colon)...])
}

/// Checks and parses one XML file for a handler.
enum XMLGraphInput {
    /// Runs `handler` over `bytes`, returning the issue that stopped reading, if any: the file is too
    /// large, is not UTF-8 (when it declares no other encoding), holds a DTD or entity declaration,
    /// is malformed, breaks a limit, or is not the format (`rootName` is not its root element).
    static func parse(
        _ bytes: [UInt8], fileName: String?, limits: ReadLimits, format: String, rootName: String,
        handler: some XMLGraphHandler
    ) -> ValidationIssue? {
        if let tooBig = limits.checkBytes(bytes.count, fileName: fileName) { return tooBig }
        if let issue = precheck(bytes, fileName: fileName, format: format) { return issue }
        let driver = XMLEventDriver(
            handler: handler, limits: limits, fileName: fileName, rootName: rootName, format: format)
        // A stream, which XMLParser feeds to libxml2 in chunks: one chunk of over 10 MB is refused
        // ("huge input lookup", XMLParser error 1) by libxml2 without XML_PARSE_HUGE.
        let parser = XMLParser(stream: InputStream(data: Data(bytes)))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.delegate = driver
        let finished = parser.parse()
        if let failure = driver.failure { return failure }
        if !finished {
            return issue(
                .invalidXML, "the file is not well-formed XML", at: driver.lastPosition(parser), fileName: fileName,
                suggestion: "check that every tag is closed and that the file is complete")
        }
        guard let root = driver.root else {
            return issue(.invalidXML, "the file holds no XML element", at: nil, fileName: fileName)
        }
        if root != rootName {
            return wrongRoot(root, rootName: rootName, format: format, fileName: fileName)
        }
        return nil
    }

    static func wrongRoot(_ root: String, rootName: String, format: String, fileName: String?) -> ValidationIssue {
        let hint =
            root == "gexf"
            ? "this is a GEXF file: read it with GEXFReader"
            : root == "graphml"
                ? "this is GraphML: read it with GraphMLReader" : "a \(format) file starts with <\(rootName)>"
        return ValidationIssue(
            severity: .error, code: .notAGraphDocument,
            message: "this is not \(format): the root element is <\(root)>, not <\(rootName)>", path: "$", line: 1,
            column: 1, fileName: fileName, suggestion: hint)
    }

    static func issue(
        _ code: ValidationIssue.Code, _ message: String, at position: XMLPosition?, fileName: String?,
        suggestion: String? = nil
    ) -> ValidationIssue {
        ValidationIssue(
            severity: .error, code: code, message: message, path: "$", line: position?.line, column: position?.column,
            fileName: fileName, suggestion: suggestion)
    }

    /// Refuses DTDs and entity declarations before the parser sees them, and bytes that are not UTF-8
    /// in a file that declares no other encoding.
    static func precheck(_ bytes: [UInt8], fileName: String?, format: String) -> ValidationIssue? {
        for marker in ["<!DOCTYPE", "<!ENTITY"] {
            if let offset = find(Array(marker.utf8), in: bytes) {
                return issue(
                    .documentTypeDeclaration,
                    "the file has a document type declaration (\(marker)); \(format) needs none, and entities "
                        + "declared in one can expand without bound or read other files",
                    at: position(of: offset, in: bytes), fileName: fileName,
                    suggestion: "remove the <!DOCTYPE …> block (and any <!ENTITY …> in it)")
            }
        }
        // UTF-16 (byte order mark) and files declaring another encoding are left to the parser.
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            return nil
        }
        if let declared = declaredEncoding(bytes), declared != "utf-8", declared != "utf8" { return nil }
        if let offset = firstInvalidUTF8(bytes) {
            return issue(
                .invalidUTF8,
                "the file is not valid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)))",
                at: position(of: offset, in: bytes), fileName: fileName,
                suggestion: "save it as UTF-8, or declare its encoding in <?xml … encoding=\"…\"?>")
        }
        return nil
    }

    /// The `encoding` of the XML declaration, lowercased, when there is one.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(256)
        guard head.starts(with: Array("<?xml".utf8)) || head.starts(with: [0xEF, 0xBB, 0xBF] + Array("<?xml".utf8)),
            let end = find(Array("?>".utf8), in: Array(head))
        else { return nil }
        let declaration = String(decoding: head.prefix(end), as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote }).lowercased()
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = 0
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence, or `nil`.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0xC2...0xDF: (length, minimum, scalar) = (2, 0x80, UInt32(byte & 0x1F))
            case 0xE0...0xEF: (length, minimum, scalar) = (3, 0x800, UInt32(byte & 0x0F))
            case 0xF0...0xF4: (length, minimum, scalar) = (4, 0x10000, UInt32(byte & 0x07))
            default: return index
            }
            guard index + length <= count else { return index }
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return index }
            index += length
        }
        return nil
    }

    /// Line and column (in scalars, counting a bad byte as one) of a byte offset; CR, LF and CR LF end lines.
    static func position(of offset: Int, in bytes: [UInt8]) -> XMLPosition {
        var line = 1
        var column = 1
        var index = 0
        while index < offset, index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || (byte == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 && byte != 0x0D {
                column += 1
            }
            index += 1
        }
        return XMLPosition(line: line, column: column)
    }
}

/// The `XMLParser` delegate: forwards events to the handler, tracks depth and text length against
/// the limits, and turns the parser's failures and any DTD callback into one issue.
private final class XMLEventDriver: NSObject, XMLParserDelegate {
    let handler: any XMLGraphHandler
    let limits: ReadLimits
    let fileName: String?
    let rootName: String
    let format: String
    private(set) var failure: ValidationIssue?
    private(set) var root: String?
    private var depth = 0
    private var textBytes = 0

    init(handler: any XMLGraphHandler, limits: ReadLimits, fileName: String?, rootName: String, format: String) {
        self.handler = handler
        self.format = format
        self.limits = limits
        self.fileName = fileName
        self.rootName = rootName
    }

    func lastPosition(_ parser: XMLParser) -> XMLPosition {
        XMLPosition(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1))
    }

    private func stop(_ parser: XMLParser, _ issue: ValidationIssue) {
        guard failure == nil else { return }
        failure = issue
        parser.abortParsing()
    }

    private func limit(_ parser: XMLParser, _ message: String) {
        stop(
            parser,
            ValidationIssue(
                severity: .error, code: .limitExceeded, message: message, path: "$", line: lastPosition(parser).line,
                column: lastPosition(parser).column, fileName: fileName,
                suggestion: "split the data, or read it with larger ReadLimits"))
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        guard failure == nil else { return }
        if root == nil {
            root = elementName
            if elementName != rootName {
                return stop(
                    parser, XMLGraphInput.wrongRoot(elementName, rootName: rootName, format: format, fileName: fileName)
                )
            }
        }
        depth += 1
        textBytes = 0
        if depth > limits.maximumNestingDepth {
            return limit(
                parser,
                "elements are nested \(depth) deep; ReadLimits.maximumNestingDepth is \(limits.maximumNestingDepth)")
        }
        for (name, value) in attributeDict where value.utf8.count > limits.maximumStringBytes {
            return limit(
                parser,
                "the attribute '\(name)' of <\(elementName)> is \(value.utf8.count) bytes; "
                    + "ReadLimits.maximumStringBytes is \(limits.maximumStringBytes)")
        }
        handler.start(elementName, attributeDict, at: lastPosition(parser))
        if let fatal = handler.fatal { stop(parser, fatal) }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        guard failure == nil else { return }
        depth -= 1
        textBytes = 0
        handler.end(elementName)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil else { return }
        textBytes += string.utf8.count
        if textBytes > limits.maximumStringBytes {
            return limit(
                parser,
                "a text is over \(limits.maximumStringBytes) bytes; ReadLimits.maximumStringBytes is "
                    + "\(limits.maximumStringBytes)")
        }
        handler.text(string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard failure == nil else { return }
        guard let text = String(bytes: CDATABlock, encoding: .utf8) else {
            return stop(
                parser,
                XMLGraphInput.issue(
                    .invalidUTF8, "a CDATA section is not valid UTF-8", at: lastPosition(parser), fileName: fileName))
        }
        self.parser(parser, foundCharacters: text)
    }

    private func refuseDeclaration(_ parser: XMLParser, _ what: String) {
        stop(
            parser,
            XMLGraphInput.issue(
                .documentTypeDeclaration, "the file declares \(what); GraphML and GEXF need no DTD",
                at: lastPosition(parser), fileName: fileName, suggestion: "remove the <!DOCTYPE …> block"))
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        refuseDeclaration(parser, "the entity '\(name)'")
    }

    func parser(
        _ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?
    ) {
        refuseDeclaration(parser, "the external entity '\(name)'")
    }

    func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) {
        refuseDeclaration(parser, "the element type '\(elementName)'")
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        refuseDeclaration(parser, "a reference to the external entity '\(name)'")
        return nil
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard failure == nil else { return }
        let code = (parseError as NSError).code
        let message = XMLEventDriver.describe(code)
        failure = XMLGraphInput.issue(
            .invalidXML, message, at: lastPosition(parser), fileName: fileName,
            suggestion: "fix the XML at this position (every tag closed, `&` written as `&amp;`, `<` as `&lt;`)")
    }

    /// A sentence for `XMLParser.ErrorCode` values that real files hit.
    static func describe(_ code: Int) -> String {
        switch XMLParser.ErrorCode(rawValue: code) {
        case .prematureDocumentEndError?: return "the file ends before its root element is closed"
        case .emptyDocumentError?: return "the file is empty"
        case .tagNameMismatchError?: return "a closing tag does not match the open element"
        case .undeclaredEntityError?, .entityRefAtEOFError?, .entityRefLoopError?, .entityBoundaryError?,
            .entityReferenceMissingSemiError?, .entityReferenceWithoutNameError?, .parsedEntityRefNoNameError?:
            return "an entity reference that XML does not define (write a literal & as &amp;)"
        case .lessThanSymbolInAttributeError?: return "a '<' inside an attribute value (write it as &lt;)"
        case .attributeRedefinedError?: return "an attribute is given twice on one element"
        case .invalidCharacterError?, .invalidCharacterRefError?, .invalidCharacterInEntityError?:
            return "a character XML 1.0 does not allow"
        case .extraContentError?: return "text or elements after the root element"
        case .gtRequiredError?, .ltRequiredError?: return "a tag that is not closed with '>'"
        case .unfinishedTagError?: return "a tag that is not finished"
        case .encodingNotSupportedError?, .unknownEncodingError?: return "an encoding the parser does not support"
        case .documentStartError?: return "the file does not start with XML"
        case let known?: return "malformed XML (XMLParser error \(known.rawValue))"
        case nil: return "malformed XML (XMLParser error \(code))"
        }
    }
}

// MARK: - Building the graph

/// Turns the records of a GraphML or GEXF file into a graph: entities, relations, declared kinds
/// and types, and every issue, in file order.
struct XMLGraphBuilder {
    let format: String
    let fileName: String?
    var graph = Graph()
    private var issues: [ValidationIssue] = []
    private var kinds = CSVVocabulary.kinds()
    private var types = CSVVocabulary.relationTypes()
    private var entityPositions: [String: XMLPosition] = [:]
    /// Per attribute name: how many string values were read as JSON.
    private var jsonDecoded: OrderedDictionary<String, Int> = [:]
    private var placeholderDocuments: [String] = []

    init(format: String, fileName: String?) {
        self.format = format
        self.fileName = fileName
    }

    // MARK: Issues

    private mutating func report(
        _ severity: ValidationIssue.Severity, _ code: ValidationIssue.Code, _ message: String, path: String = "$",
        at position: XMLPosition?, suggestion: String? = nil
    ) {
        issues.append(
            ValidationIssue(
                severity: severity, code: code, message: message, path: path, line: position?.line,
                column: position?.column, fileName: fileName, suggestion: suggestion))
    }

    // MARK: Values

    /// The attribute name for a key: one `attr.` prefix (the writers' escape for names that collide
    /// with a field) is removed.
    static func attributeName(_ keyName: String) -> String {
        keyName.hasPrefix(AttributeColumns.prefix) && keyName.count > AttributeColumns.prefix.count
            ? String(keyName.dropFirst(AttributeColumns.prefix.count)) : keyName
    }

    /// The value a datum holds, by its key's type; text that is not of that type stays text (warned).
    /// String values that are JSON arrays, objects or `null` (how the writers keep values of no single
    /// column type) are read as JSON and counted for one warning per attribute.
    private mutating func typedValue(_ datum: XMLDatum, attribute: String) -> JSONValue {
        let text = datum.text
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch datum.key.type {
        case .integer:
            if let number = Int64(trimmed) { return .integer(number) }
        case .double:
            if !trimmed.contains(where: { $0 == "x" || $0 == "X" }), let number = Double(trimmed), number.isFinite {
                return .double(number)
            }
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: break
            }
        case .string:
            if let json = XMLGraphBuilder.jsonText(text) {
                jsonDecoded[attribute, default: 0] += 1
                return json
            }
            return .string(text)
        }
        let typeName: String
        switch datum.key.type {
        case .integer: typeName = "a whole number"
        case .double: typeName = "a finite number"
        case .boolean: typeName = "true or false"
        case .string: typeName = "text"
        }
        report(
            .warning, .keptAsAttribute,
            "'\(text.prefix(40))' is not \(typeName) as the key '\(datum.key.name)' declares; kept as text",
            path: attribute, at: datum.position, suggestion: "fix the value, or declare the key as a string")
        return .string(text)
    }

    /// `text` as JSON when it is a JSON array or object (starting at its first character) or `null`.
    static func jsonText(_ text: String) -> JSONValue? {
        guard let first = text.utf8.first, first == UInt8(ascii: "[") || first == UInt8(ascii: "{") || text == "null"
        else { return nil }
        return parseJSON(text)
    }

    /// Strict JSON: one value and nothing after it, no duplicate keys, no lone surrogates.
    static func parseJSON(_ text: String) -> JSONValue? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> JSONValue? in
            var reader = DocumentReader(bytes: buffer, limits: .standard)
            guard let value = try? reader.parseValue() else { return nil }
            guard (try? reader.expectEnd()) != nil, reader.issues.isEmpty else { return nil }
            return value
        }
    }

    // MARK: Graph

    mutating func build(
        _ records: XMLGraphRecords, metaTitle: String? = nil, metaDescription: String? = nil
    )
        -> GraphDocument.Decoded
    {
        issues += records.issues
        readGraphData(records.graphData)
        if let metaTitle, graph.title == nil { graph.title = metaTitle }
        if let metaDescription, graph.description == nil { graph.description = metaDescription }
        graph.reserveCapacity(entities: records.nodes.count, relations: records.edges.count)
        for node in records.nodes { addEntity(node) }
        addRelations(records.edges, defaultDirected: records.defaultDirected)
        finishWarnings()
        return finish()
    }

    private mutating func readGraphData(_ data: [XMLDatum]) {
        var nameFallback: String? = nil
        for datum in data {
            switch datum.key.name {
            case "title" where graph.title == nil: graph.title = datum.text
            case "name" where nameFallback == nil && datum.key.type == .string: nameFallback = datum.text
            case "description" where graph.description == nil: graph.description = datum.text
            case "documents":
                if !readDocuments(datum) { fallthrough }
            default:
                let name = XMLGraphBuilder.attributeName(datum.key.name)
                if graph.attributes[name] == nil { graph.attributes[name] = typedValue(datum, attribute: name) }
            }
        }
        if graph.title == nil, let nameFallback, !nameFallback.isEmpty { graph.title = nameFallback }
    }

    /// Source documents as the GraphML writer keeps them: a JSON array of `{id, title, publisher, date,
    /// url, attributes}`. False (the text stays a graph attribute) when it is not that.
    private mutating func readDocuments(_ datum: XMLDatum) -> Bool {
        guard case .array(let items)? = XMLGraphBuilder.parseJSON(datum.text) else { return false }
        var documents: [SourceDocument] = []
        for item in items {
            guard case .object(let object) = item, case .string(let id)? = object["id"], !id.isEmpty,
                IDRules.firstControlCharacter(in: id) == nil, case .string(let title)? = object["title"]
            else { return false }
            var document = SourceDocument(id: DocumentID(id), title: title)
            if case .string(let publisher)? = object["publisher"] { document.publisher = publisher }
            if case .string(let date)? = object["date"] { document.date = PartialDate(date) }
            if case .string(let url)? = object["url"] { document.url = url }
            if case .object(let attributes)? = object["attributes"] { document.attributes = attributes }
            documents.append(document)
        }
        for document in documents {
            do { try graph.add(document) } catch {
                report(.error, .duplicateID, error.description, path: "documents", at: datum.position)
            }
        }
        return true
    }

    /// Citations as the writers keep them: a JSON array of `{document, locator}`; `nil` when the text
    /// is not that. Documents the file does not describe are declared with their id as title.
    private mutating func citations(_ datum: XMLDatum) -> [Citation]? {
        guard case .array(let items)? = XMLGraphBuilder.parseJSON(datum.text) else { return nil }
        var result: [Citation] = []
        for item in items {
            guard case .object(let object) = item, case .string(let document)? = object["document"],
                !document.isEmpty, IDRules.firstControlCharacter(in: document) == nil
            else { return nil }
            var locator: String? = nil
            if let value = object["locator"] {
                guard case .string(let text) = value else { return nil }
                locator = text
            }
            result.append(Citation(document: DocumentID(document), locator: locator))
        }
        for citation in result where graph.documents[citation.document] == nil {
            try? graph.add(SourceDocument(id: citation.document, title: citation.document.rawValue))
            placeholderDocuments.append(citation.document.rawValue)
        }
        return result
    }

    private mutating func keep(
        _ datum: XMLDatum, as name: String, why: String, code: ValidationIssue.Code = .keptAsAttribute,
        suggestion: String? = nil, in attributes: inout Attributes
    ) {
        report(
            .warning, code, why + "; kept as the attribute '\(name)'", path: name, at: datum.position,
            suggestion: suggestion)
        attributes[name] = .string(datum.text)
    }

    /// An id checked for emptiness and control characters, or `nil` (reported).
    private mutating func checkID(_ id: String?, noun: String, path: String, at position: XMLPosition) -> String? {
        guard let id, !id.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            report(
                .error, .emptyValue, "the \(noun) has no id", path: path, at: position,
                suggestion: "give every \(noun) an id=\"…\" that no other \(noun) has")
            return nil
        }
        if let control = IDRules.firstControlCharacter(in: id) {
            report(
                .error, .controlCharacterInID, "the \(noun) id '\(id)' contains the control character \(control)",
                path: path, at: position, suggestion: "remove it: an id may hold any other character, spaces included")
            return nil
        }
        return id
    }

    /// Groups a record's data by key name (file order); GEXF dynamic values become one array of
    /// `{value, start, end}` objects per key.
    private mutating func grouped(_ data: [XMLDatum]) -> OrderedDictionary<String, [XMLDatum]> {
        var groups: OrderedDictionary<String, [XMLDatum]> = [:]
        for datum in data { groups[datum.key.name, default: []].append(datum) }
        return groups
    }

    private mutating func value(of group: [XMLDatum], attribute: String) -> JSONValue {
        if group.count == 1, group[0].start == nil, group[0].end == nil {
            return typedValue(group[0], attribute: attribute)
        }
        return .array(
            group.map { datum in
                var object: OrderedDictionary<String, JSONValue> = ["value": typedValue(datum, attribute: attribute)]
                if let start = datum.start { object["start"] = .string(start) }
                if let end = datum.end { object["end"] = .string(end) }
                return .object(object)
            })
    }

    // MARK: Entities

    /// The one datum named `name` (without a time interval), removed from `groups`; `nil` when there
    /// is none or several.
    private static func take(_ name: String, from groups: inout OrderedDictionary<String, [XMLDatum]>) -> XMLDatum? {
        guard let group = groups[name], group.count == 1, group[0].start == nil else { return nil }
        groups[name] = nil
        return group[0]
    }

    /// The `sources` datum as citations, removed from `groups`; one that is not a JSON array of
    /// citations is kept as an attribute, with a warning.
    private mutating func takeSources(
        from groups: inout OrderedDictionary<String, [XMLDatum]>, keepingFailures attributes: inout Attributes
    ) -> [Citation] {
        guard let datum = Self.take("sources", from: &groups) else { return [] }
        if let found = citations(datum) { return found }
        keep(
            datum, as: "sources", why: "the sources are not a JSON array of {\"document\", \"locator\"}",
            in: &attributes)
        return []
    }

    /// Every datum left in `groups` as a typed attribute, named by its key (without an `attr.` prefix,
    /// unless that name is taken).
    private mutating func addAttributes(
        _ groups: OrderedDictionary<String, [XMLDatum]>, to attributes: inout Attributes
    ) {
        for (key, group) in groups {
            let attribute = XMLGraphBuilder.attributeName(key)
            let name = attributes[attribute] == nil ? attribute : key
            attributes[name] = value(of: group, attribute: name)
        }
    }

    private mutating func addEntity(_ node: XMLNodeRecord) {
        guard let id = checkID(node.id, noun: "node", path: "id", at: node.position) else { return }
        if let first = entityPositions[id] {
            report(
                .error, .duplicateID,
                "the node id '\(id)' is used twice (first at line \(first.line), column \(first.column))", path: "id",
                at: node.position, suggestion: "give each node its own id")
            return
        }
        entityPositions[id] = node.position
        var groups = grouped(node.data)
        var attributes: Attributes = [:]
        func take(_ name: String) -> XMLDatum? { XMLGraphBuilder.take(name, from: &groups) }

        // Name: `name`, else `label` (networkx, Gephi), else the format's label, else the id.
        let nameDatum = take("name")
        var labelDatum = take("label")
        var name = id
        var nameFromLabel = false
        if let text = nameDatum?.text, !isBlank(text) {
            name = text
        } else if let text = labelDatum?.text, !isBlank(text) {
            name = text
            nameFromLabel = true
        } else if let text = node.label, !isBlank(text) {
            name = text
        }
        if let nameDatum, isBlank(nameDatum.text) { attributes["name"] = .string(nameDatum.text) }
        if let datum = labelDatum, !nameFromLabel, datum.text != name {
            attributes["label"] = .string(datum.text)
            labelDatum = nil
        }
        if let label = node.label, label != name, attributes["label"] == nil { attributes["label"] = .string(label) }

        var kindText = "Entity"
        let kindDatum = take("kind")
        if let datum = kindDatum, !isBlank(datum.text) {
            kindText = datum.text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let kind = resolveKind(kindText)
        if let datum = kindDatum, kind.rawValue != datum.text, graph.kind(kind)?.label != datum.text {
            attributes["kind"] = .string(datum.text)
        }

        var aliases: [String] = []
        if let datum = take("aliases") {
            if case .array(let items)? = XMLGraphBuilder.parseJSON(datum.text),
                let strings = Optional(items.compactMap(\.stringValue)), strings.count == items.count
            {
                aliases = strings.filter { !isBlank($0) }
                if aliases.count != strings.count {
                    report(
                        .warning, .emptyValue, "empty aliases were left out", path: "aliases", at: datum.position)
                }
            } else {
                keep(
                    datum, as: "aliases", why: "the aliases are not a JSON array of strings",
                    suggestion: "write them as [\"first\", \"second\"]", in: &attributes)
            }
        }
        var description: String? = nil
        if let datum = take("description"), !datum.text.isEmpty { description = datum.text }
        let sources = takeSources(from: &groups, keepingFailures: &attributes)
        addAttributes(groups, to: &attributes)
        for (key, value) in node.extras where attributes[key] == nil { attributes[key] = value }
        let entity = Entity(
            id: EntityID(id), name: name, kind: kind, aliases: aliases, description: description,
            attributes: attributes, sources: sources)
        do { try graph.add(entity) } catch { report(.error, .duplicateID, error.description, at: node.position) }
    }

    private mutating func resolveKind(_ text: String) -> KindID {
        let (id, isNew) = kinds.resolve(text)
        if isNew { try? graph.declare(Kind(id: KindID(id), label: text)) }
        return KindID(id)
    }

    // MARK: Relations

    private mutating func addRelations(_ edges: [XMLEdgeRecord], defaultDirected: Bool) {
        // Explicit ids first, so generated ones (e1, e2, …) never take an id the file uses later.
        var taken: [String: (pair: String, position: XMLPosition)] = [:]
        var explicit: [String?] = []
        explicit.reserveCapacity(edges.count)
        var respelled: [String] = []
        for edge in edges {
            guard let raw = edge.id, !raw.isEmpty else {
                explicit.append(nil)
                continue
            }
            guard let id = checkID(raw, noun: "edge", path: "id", at: edge.position) else {
                explicit.append("")
                continue
            }
            let pair = (edge.source ?? "") + "\u{0}" + (edge.target ?? "")
            if let first = taken[id] {
                if first.pair == pair {
                    report(
                        .error, .duplicateID,
                        "the edge id '\(id)' is used twice for the same nodes (first at line \(first.position.line), "
                            + "column \(first.position.column))",
                        path: "id", at: edge.position, suggestion: "give each edge its own id")
                    explicit.append("")
                    continue
                }
                // networkx writes multigraph keys (0, 1, …) as edge ids: unique per pair of nodes only.
                var counter = 2
                while taken["\(id)-\(counter)"] != nil { counter += 1 }
                let spelling = "\(id)-\(counter)"
                taken[spelling] = (pair, edge.position)
                respelled.append("'\(id)' at line \(edge.position.line) as '\(spelling)'")
                explicit.append(spelling)
                continue
            }
            taken[id] = (pair, edge.position)
            explicit.append(id)
        }
        if !respelled.isEmpty {
            let shown = respelled.prefix(8).joined(separator: ", ")
            let more = respelled.count > 8 ? " and \(respelled.count - 8) more" : ""
            report(
                .warning, .readAsNoted,
                "\(pluralize(respelled.count, "edge id")) also used for other pairs of nodes (networkx writes "
                    + "multigraph keys so) got new ids: \(shown)\(more)",
                path: "id", at: nil)
        }
        var counter = 1
        for (edge, id) in zip(edges, explicit) {
            if id == "" { continue }
            var relationID = id
            if relationID == nil {
                while taken["e\(counter)"] != nil { counter += 1 }
                relationID = "e\(counter)"
                taken["e\(counter)"] = ("", edge.position)
                counter += 1
            }
            addRelation(edge, id: relationID!, defaultDirected: defaultDirected)
        }
    }

    private mutating func endpoint(_ text: String?, role: String, at position: XMLPosition) -> EntityID? {
        guard let text, !text.isEmpty else {
            report(
                .error, .missingField, "the edge has no \(role)", path: role, at: position,
                suggestion: "add \(role)=\"…\" naming a node id")
            return nil
        }
        if graph.entities[EntityID(text)] != nil { return EntityID(text) }
        if entityPositions[text] != nil { return nil }  // a node that could not be read: already reported
        let suggestion = Suggest.phrase(text, among: graph.entities.keys.lazy.map(\.rawValue))
        report(
            .error, .unknownEntity, "unknown node '\(text)'", path: role, at: position,
            suggestion: suggestion ?? "add a <node id=\"\(text)\"/>, or fix the \(role)")
        return nil
    }

    private mutating func addRelation(_ edge: XMLEdgeRecord, id: String, defaultDirected: Bool) {
        let source = endpoint(edge.source, role: "source", at: edge.position)
        let target = endpoint(edge.target, role: "target", at: edge.position)
        guard let source, let target else { return }
        var groups = grouped(edge.data)
        var attributes: Attributes = [:]
        func take(_ name: String) -> XMLDatum? { XMLGraphBuilder.take(name, from: &groups) }
        let directed = edge.directed ?? defaultDirected
        let symmetric = !directed || edge.mutual

        // Type: `type`, else `label` (networkx, Gephi), else the format's label, else relatedTo.
        let typeDatum = take("type")
        var labelDatum = take("label")
        let categoryDatum = take("category")
        var typeText: String? = nil
        var fromLabel = false
        if let text = typeDatum?.text, !isBlank(text) {
            typeText = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let text = labelDatum?.text, !isBlank(text) {
            typeText = text.trimmingCharacters(in: .whitespacesAndNewlines)
            fromLabel = true
        } else if let text = edge.label, !isBlank(text) {
            typeText = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let type: RelationTypeID
        if let typeText {
            let (resolved, isNew) = types.resolve(typeText)
            if isNew {
                var label = typeText
                if !fromLabel, let text = labelDatum?.text, !isBlank(text) { label = text }
                var category = RelationCategory.other
                if let text = categoryDatum?.text, !isBlank(text) { category = RelationCategory(text) }
                try? graph.declare(
                    RelationType(id: RelationTypeID(resolved), label: label, symmetric: symmetric, category: category))
            }
            type = RelationTypeID(resolved)
        } else {
            type = "relatedTo"
        }
        let declared = graph.relationType(type)
        if let datum = typeDatum, datum.text != type.rawValue, datum.text != declared?.label {
            attributes["type"] = .string(datum.text)
        }
        if let datum = labelDatum, datum.text != declared?.label, !(fromLabel && datum.text == typeText) {
            attributes["label"] = .string(datum.text)
            labelDatum = nil
        }
        if let label = edge.label, label != declared?.label, label != typeText, attributes["label"] == nil {
            attributes["label"] = .string(label)
        }
        if let datum = categoryDatum, datum.text != declared?.category.rawValue {
            attributes["category"] = .string(datum.text)
        }

        // Dates: `since`/`until` as written, else GEXF `start`/`end`.
        var since: PartialDate? = nil
        var until: PartialDate? = nil
        func date(_ datum: XMLDatum?, fallback: String?) -> (PartialDate?, XMLDatum?) {
            if let datum {
                let text = datum.text.trimmingCharacters(in: .whitespacesAndNewlines)
                if let parsed = PartialDate(text) { return (parsed, nil) }
                return (nil, datum)
            }
            if let fallback, let parsed = PartialDate(fallback) { return (parsed, nil) }
            return (nil, nil)
        }
        let sinceDatum = take("since")
        let untilDatum = take("until")
        var badDates: [(XMLDatum, String)] = []
        let sinceResult = date(sinceDatum, fallback: edge.start)
        since = sinceResult.0
        if let bad = sinceResult.1 { badDates.append((bad, "since")) }
        let untilResult = date(untilDatum, fallback: edge.end)
        until = untilResult.0
        if let bad = untilResult.1 { badDates.append((bad, "until")) }
        for (datum, field) in badDates {
            keep(
                datum, as: field, why: "'\(datum.text.prefix(40))' is not a date",
                suggestion: "use YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)", in: &attributes)
        }
        if let start = edge.start {
            let consumed = since.map { sinceDatum == nil ? true : $0.firstDay.description == start } ?? false
            if !consumed {
                attributes["start"] = .string(start)
                if sinceDatum == nil {
                    report(
                        .warning, .keptAsAttribute,
                        "the start '\(start.prefix(40))' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); kept as the attribute 'start'",
                        path: "start", at: edge.position)
                }
            }
        }
        if let end = edge.end {
            let consumed = until.map { untilDatum == nil ? true : $0.lastDay.description == end } ?? false
            if !consumed {
                attributes["end"] = .string(end)
                if untilDatum == nil {
                    report(
                        .warning, .keptAsAttribute,
                        "the end '\(end.prefix(40))' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); kept as the attribute 'end'",
                        path: "end", at: edge.position)
                }
            }
        }
        if let first = since, let last = until, first.firstDay.ordinal > last.lastDay.ordinal {
            report(
                .warning, .sinceAfterUntil,
                "since (\(first)) is after until (\(last)); both kept as attributes 'since' and 'until'", path: "until",
                at: untilDatum?.position ?? edge.position, suggestion: "swap them, or fix the year")
            attributes["since"] = .string(first.description)
            attributes["until"] = .string(last.description)
            since = nil
            until = nil
        }

        var certainty = Certainty.confirmed
        if let datum = take("certainty"), !isBlank(datum.text) {
            let text = datum.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let value = Certainty(rawValue: text.lowercased()) {
                certainty = value
                if text != value.rawValue { attributes["certainty"] = .string(datum.text) }
            } else {
                let names = Certainty.allCases.map(\.rawValue)
                keep(
                    datum, as: "certainty", why: "'\(text.prefix(40))' is not a certainty",
                    suggestion: Suggest.phrase(text, among: names) ?? "use one of \(names.joined(separator: ", "))",
                    in: &attributes)
            }
        }
        var assertedBy: EntityID? = nil
        if let datum = take("assertedBy"), !datum.text.isEmpty {
            if graph.entities[EntityID(datum.text)] != nil {
                assertedBy = EntityID(datum.text)
            } else {
                keep(
                    datum, as: "assertedBy", why: "assertedBy names no node ('\(datum.text.prefix(40))')",
                    suggestion: Suggest.phrase(datum.text, among: graph.entities.keys.lazy.map(\.rawValue)),
                    in: &attributes)
            }
        }
        let sources = takeSources(from: &groups, keepingFailures: &attributes)
        addAttributes(groups, to: &attributes)
        for (key, value) in edge.extras where attributes[key] == nil { attributes[key] = value }
        if !directed, attributes["directed"] == nil { attributes["directed"] = false }
        if edge.mutual, attributes["mutual"] == nil { attributes["mutual"] = true }
        let relation = Relation(
            id: RelationID(id), type: type, source: source, target: target, since: since, until: until,
            certainty: certainty, assertedBy: assertedBy, sources: sources, attributes: attributes)
        do { try graph.add(relation) } catch { report(.error, .duplicateID, error.description, at: edge.position) }
    }

    // MARK: Finishing

    private mutating func finishWarnings() {
        if !jsonDecoded.isEmpty {
            let listed = jsonDecoded.prefix(8).map { "'\($0.key)' (\($0.value))" }.joined(separator: ", ")
            let more = jsonDecoded.count > 8 ? " and \(jsonDecoded.count - 8) more" : ""
            report(
                .warning, .readAsNoted,
                "string values that are JSON arrays, objects or null were read as JSON (how EntityGraph writes "
                    + "values of no single type): \(listed)\(more)",
                at: nil)
        }
        if !placeholderDocuments.isEmpty {
            let listed = placeholderDocuments.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
            let more = placeholderDocuments.count > 8 ? " and \(placeholderDocuments.count - 8) more" : ""
            report(
                .warning, .readAsNoted,
                "citations name \(pluralize(placeholderDocuments.count, "source document")) the file does not "
                    + "describe; each was declared with its id as title: \(listed)\(more)",
                at: nil)
        }
    }

    private mutating func finish() -> GraphDocument.Decoded {
        let ordered = issues.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? Int.max, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? Int.max, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
        var listed = Array(ordered.prefix(CSVSheets.maximumIssuesPerFile))
        if ordered.count > listed.count {
            let rest = ordered.dropFirst(listed.count)
            let restErrors = rest.count { $0.severity == .error }
            listed.append(
                ValidationIssue(
                    severity: restErrors > 0 ? .error : .warning, code: .tooManyIssues,
                    message: "\(rest.count) more issues (\(restErrors) errors) are not listed", path: "$",
                    fileName: fileName, suggestion: "fix the ones above and read the file again"))
        }
        let hasErrors = listed.contains { $0.severity == .error }
        return GraphDocument.Decoded(graph: hasErrors ? nil : graph, issues: listed)
    }
}

/// True for text that is empty or only whitespace.
private func isBlank(_ text: String) -> Bool {
    text.allSatisfy(\.isWhitespace)
}

/// Reads a file for a reader (bytes over the limit are refused by size first) and decodes it.
func decodeXMLFile(
    _ url: URL, limits: ReadLimits, decode: ([UInt8], String?) -> GraphDocument.Decoded
) -> GraphDocument.Decoded {
    do {
        let bytes = try GraphDocument.readFile(url, limits: limits)
        return decode(bytes, GraphDocument.displayName(of: url))
    } catch {
        return GraphDocument.Decoded(graph: nil, issues: error.issues)
    }
}
