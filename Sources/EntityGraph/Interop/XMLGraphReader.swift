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
    /// Every value is JSON text: the key carries ``jsonMarker`` `="true"`, as EntityGraph's writers
    /// mark a column of values of no single type. Without it a value is never read as JSON.
    var holdsJSON = false

    /// The attribute of a GraphML `<key>` or GEXF `<attribute>` that marks a JSON-text column
    /// (named like yEd's `yfiles.type`; readers that do not know it ignore it).
    static let jsonMarker = "entitygraph.json"
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
