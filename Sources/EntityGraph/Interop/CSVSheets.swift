import Foundation
import OrderedCollections

/// Graphs as two spreadsheets: `nodes.csv` (one row per entity) and `edges.csv` (one row per
/// relation), the shape Kumu, Gephi's spreadsheet import and most spreadsheet users expect.
///
/// ```swift
/// let graph = try CSVSheets.read(folder: URL(fileURLWithPath: "export/"))
/// let sheets = CSVSheets.write(graph)          // nodes.csv + edges.csv, with warnings
/// try sheets.write(toFolder: URL(fileURLWithPath: "copy/"))
/// ```
///
/// ## Reading
/// Headers are matched ignoring case, spaces, `_` and `-`. Recognized columns:
///
/// | file | field | columns (first present wins) |
/// | --- | --- | --- |
/// | nodes | id (required) | `id`; a Kumu sheet without `id` uses `label` (slugged) |
/// | nodes | name | `name`, `label` (else the id) |
/// | nodes | kind | `kind`, `type` (else `Entity`) |
/// | nodes | aliases | `aliases`, separated by `\|` (`\|` and `\\` escape them) |
/// | nodes | description | `description` |
/// | edges | source, target (required) | `source`/`from`, `target`/`to` |
/// | edges | type | `type`, `relation`, else `label` (Gephi); empty → `relatedTo` |
/// | edges | id | `id`; else generated `e1`, `e2`, … in row order |
/// | edges | since, until, certainty, assertedBy | same names |
///
/// Every other column becomes a string attribute of the entity or relation (empty cells are left
/// out); a column named `attr.NAME` becomes the attribute `NAME`, which is how the writer escapes
/// attribute names that collide with the columns above. Kinds and relation types are matched to
/// built-in ones by id or label, ignoring case (`Person`, `member of`); any other value is declared
/// in the graph with that label (types with category `other`). A Kumu sheet's `From`/`To` may name
/// entities by label.
///
/// The files follow RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; CRLF,
/// LF and CR all end records; a UTF-8 byte-order mark is skipped. Every problem — invalid UTF-8, an
/// unterminated quote, a row with the wrong number of fields, a missing or repeated column, an
/// unknown entity, a bad date or certainty, a repeated id — is reported at once, as
/// ``ValidationIssue``s with `file:line:column` (the issue's path is the column name). Reading never
/// traps and runs in one pass over the bytes. A cell that starts with `'`, more `'`s and then `=`,
/// `+`, `-`, `@`, tab or CR is read without its first `'` (the writer's formula safety, see
/// ``FormulaSafety``; spreadsheets do not export that `'` themselves).
///
/// ## Writing
/// `nodes.csv`: `id,name,kind,aliases,description,` then one column per entity attribute key.
/// `edges.csv`: `id,source,target,type,since,until,certainty,assertedBy,` then one column per
/// relation attribute key. Rows in graph order, attribute columns in first-appearance order, LF line
/// ends, fields quoted only when needed (a comma, quote, line break, or leading/trailing space).
/// Kind and type cells hold the label when it reads back to the same id (`Person`, `apologized to`),
/// else the id. Non-string attribute values are written as JSON text (and read back as strings).
/// Reading what the writer wrote gives the same graph for any graph read from CSV, so
/// CSV → graph → CSV is byte-stable after the first pass. Cells, headers included, that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) are written as `"'=…"`
/// unless ``write(_:formulaSafety:)`` is asked for ``FormulaSafety/raw`` cells; either way the
/// reader gives back the exact text.
public enum CSVSheets {
    /// The nodes file's name in a folder.
    public static let nodesFileName = "nodes.csv"
    /// The edges file's name in a folder.
    public static let edgesFileName = "edges.csv"
    /// The most issues listed per file; one ``ValidationIssue/Code/tooManyIssues`` issue counts the rest.
    public static let maximumIssuesPerFile = 1000

    // MARK: Reading

    /// Decodes the two sheets from UTF-8 bytes, returning the graph (when there is no error) and
    /// every issue, nodes file first. Never throws; never traps on malformed input.
    /// - Parameters:
    ///   - nodes: The bytes of the nodes sheet (one row per entity).
    ///   - edges: The bytes of the edges sheet (one row per relation).
    ///   - nodesFileName: The nodes sheet's name in issues.
    ///   - edgesFileName: The edges sheet's name in issues.
    ///   - limits: Bytes per file, rows (entities, relations) and field length
    ///     (``ReadLimits/maximumStringBytes``); a broken limit is one ``ValidationIssue/Code/limitExceeded``
    ///     issue naming it, and nothing more is read.
    public static func decode(
        nodes: some Sequence<UInt8>, edges: some Sequence<UInt8>,
        nodesFileName: String? = CSVSheets.nodesFileName, edgesFileName: String? = CSVSheets.edgesFileName,
        limits: ReadLimits = .standard
    ) -> GraphDocument.Decoded {
        let nodeBytes = Array(nodes)
        let edgeBytes = Array(edges)
        let tooBig = [
            limits.checkBytes(nodeBytes.count, fileName: nodesFileName),
            limits.checkBytes(edgeBytes.count, fileName: edgesFileName),
        ].compactMap { $0 }
        guard tooBig.isEmpty else { return GraphDocument.Decoded(graph: nil, issues: tooBig) }
        return nodeBytes.withUnsafeBufferPointer { nodeBuffer in
            edgeBytes.withUnsafeBufferPointer { edgeBuffer in
                var reader = CSVSheetReader(nodesFileName: nodesFileName, edgesFileName: edgesFileName)
                return reader.read(nodes: nodeBuffer, edges: edgeBuffer, limits: limits)
            }
        }
    }

    /// Reads the two sheets from UTF-8 bytes. Throws a ``DocumentError`` listing every problem
    /// when there is an error; warnings alone do not fail.
    public static func read(
        nodes: some Sequence<UInt8>, edges: some Sequence<UInt8>,
        nodesFileName: String? = CSVSheets.nodesFileName, edgesFileName: String? = CSVSheets.edgesFileName,
        limits: ReadLimits = .standard
    ) throws(DocumentError) -> Graph {
        let decoded = decode(
            nodes: nodes, edges: edges, nodesFileName: nodesFileName, edgesFileName: edgesFileName, limits: limits)
        guard let graph = decoded.graph else { throw DocumentError(issues: decoded.issues) }
        return graph
    }

    /// Decodes `nodes.csv` and `edges.csv` in `folder`. Unreadable files yield
    /// ``ValidationIssue/Code/unreadableFile`` issues; files over ``ReadLimits/maximumBytes`` are not read.
    public static func decode(folder: URL, limits: ReadLimits = .standard) -> GraphDocument.Decoded {
        decode(
            nodesFile: folder.appendingPathComponent(nodesFileName),
            edgesFile: folder.appendingPathComponent(edgesFileName), limits: limits)
    }

    /// Reads `nodes.csv` and `edges.csv` in `folder`. Throws a ``DocumentError`` listing every problem.
    public static func read(folder: URL, limits: ReadLimits = .standard) throws(DocumentError) -> Graph {
        let decoded = decode(folder: folder, limits: limits)
        guard let graph = decoded.graph else { throw DocumentError(issues: decoded.issues) }
        return graph
    }

    /// Decodes two sheet files given by their URLs (any names).
    public static func decode(nodesFile: URL, edgesFile: URL, limits: ReadLimits = .standard) -> GraphDocument.Decoded {
        var fileIssues: [ValidationIssue] = []
        var nodes: [UInt8] = []
        var edges: [UInt8] = []
        do {
            nodes = try GraphDocument.readFile(nodesFile, limits: limits)
        } catch { fileIssues += error.issues }
        do {
            edges = try GraphDocument.readFile(edgesFile, limits: limits)
        } catch { fileIssues += error.issues }
        guard fileIssues.isEmpty else { return GraphDocument.Decoded(graph: nil, issues: fileIssues) }
        return decode(
            nodes: nodes, edges: edges, nodesFileName: GraphDocument.displayName(of: nodesFile),
            edgesFileName: GraphDocument.displayName(of: edgesFile),
            limits: limits)
    }

    /// Reads two sheet files given by their URLs. Throws a ``DocumentError`` listing every problem.
    public static func read(
        nodesFile: URL, edgesFile: URL, limits: ReadLimits = .standard
    ) throws(DocumentError)
        -> Graph
    {
        let decoded = decode(nodesFile: nodesFile, edgesFile: edgesFile, limits: limits)
        guard let graph = decoded.graph else { throw DocumentError(issues: decoded.issues) }
        return graph
    }

    // MARK: Writing

    /// `nodes.csv` and `edges.csv` for `graph`, with a warning for each kind of field they cannot
    /// carry (graph metadata, source documents and citations, declared vocabulary details,
    /// non-string attribute types).
    /// - Parameters:
    ///   - graph: The graph to write.
    ///   - formulaSafety: ``FormulaSafety/neutralize`` (the default) or ``FormulaSafety/raw``.
    public static func write(_ graph: Graph, formulaSafety: FormulaSafety = .neutralize) -> ExportResult {
        var writer = CSVSheetWriter(graph: graph, formulaSafety: formulaSafety)
        return writer.export()
    }

    /// What the CSV writers (``CSVSheets`` and ``InteropFormat/neo4jCSV``) do with a cell that a
    /// spreadsheet would run as a formula: one that starts with `=`, `+`, `-`, `@`, tab or CR.
    ///
    /// ```swift
    /// let sheets = CSVSheets.write(graph)                       // safe to open in Excel
    /// let data = graph.export(as: .neo4jCSV, formulaSafety: .raw)  // exact, for neo4j-admin
    /// ```
    public enum FormulaSafety: Hashable, Sendable {
        /// OWASP's rule: such a cell is written with a leading `'` and in double quotes
        /// (`"'=1+1"`), so spreadsheets show it as text. A cell that is one or more `'` followed by
        /// one of those characters gets one more `'`, so the prefix is never ambiguous: the CSV
        /// reader removes exactly one `'` from a cell that starts with `'` and then `'`s and one of
        /// those characters, and reads back what was written. Applies to every cell, headers
        /// included; a warning names the cells (entity or relation and field). In neo4j-admin
        /// files, numbers in `:long` and `:double` columns are left as they are (a number is not a
        /// formula, and neo4j-admin could not read the prefix).
        case neutralize
        /// Every cell as it is, for programs that read the files as data (neo4j-admin, scripts).
        /// Never open such files in a spreadsheet. A warning names the cells that start with `'`
        /// and a formula character, which the CSV reader would read without their first `'`.
        case raw
    }
}

/// OWASP's CSV-injection rule, shared by the CSV writers and the CSV reader.
enum FormulaCells {
    /// The characters that make a spreadsheet read a cell as a formula when it starts with them.
    static func isTrigger(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "=" || scalar == "+" || scalar == "-" || scalar == "@" || scalar == "\t" || scalar == "\r"
    }

    /// True when `text` is zero or more `'` followed by a trigger: the writer prefixes it with `'`.
    static func needsPrefix(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first(where: { $0 != "'" }) else { return false }
        return isTrigger(first)
    }

    /// True when `text` is one or more `'` followed by a trigger: a cell the writer prefixed, from
    /// which the reader removes one `'`.
    static func hasPrefix(_ text: String) -> Bool {
        text.unicodeScalars.first == "'" && needsPrefix(text)
    }

    /// A cell as read: without the `'` the writer added.
    static func unneutralized(_ text: String) -> String {
        hasPrefix(text) ? String(text.unicodeScalars.dropFirst()) : text
    }
}

/// The cells a CSV writer changed (or, in raw mode, left so the reader would change them), named
/// for one warning.
struct FormulaLog {
    let safety: CSVSheets.FormulaSafety
    private(set) var fields: [String] = []

    init(_ safety: CSVSheets.FormulaSafety) { self.safety = safety }

    /// The cell text to write (before CSV quoting) and whether it must be quoted; `field` names it.
    mutating func cell(_ text: String, _ field: @autoclosure () -> String) -> (text: String, quote: Bool) {
        switch safety {
        case .neutralize:
            guard FormulaCells.needsPrefix(text) else { return (text, false) }
            fields.append(field())
            return ("'" + text, true)
        case .raw:
            if FormulaCells.hasPrefix(text) { fields.append(field()) }
            return (text, false)
        }
    }

    /// The warning naming the cells, or `nil`. `consequence` says what it means for the reader.
    func warning(format: String, consequence: String) -> String? {
        guard !fields.isEmpty else { return nil }
        let shown = fields.prefix(8).joined(separator: ", ")
        let more = fields.count > 8 ? " and \(fields.count - 8) more" : ""
        switch safety {
        case .neutralize:
            return "\(format) writes \(pluralize(fields.count, "cell")) that start with =, +, -, @, tab or CR "
                + "with a leading ' so spreadsheets show them as text (\(consequence)): \(shown)\(more)"
        case .raw:
            return "\(format) writes \(pluralize(fields.count, "cell")) as they are that start with ' and a formula "
                + "character (=, +, -, @, tab, CR); EntityGraph's CSV reader reads them without their first ': "
                + "\(shown)\(more)"
        }
    }
}

// MARK: - Reader

/// The columns the reader recognizes, by normalized header name.
enum CSVColumns {
    static let nodeID = ["id"]
    static let nodeName = ["name", "label"]
    static let nodeKind = ["kind", "type"]
    static let nodeAliases = ["aliases"]
    static let nodeDescription = ["description"]
    static let nodeReserved = ["id", "name", "label", "kind", "type", "aliases", "description"]

    static let edgeID = ["id"]
    static let edgeSource = ["source", "from"]
    static let edgeTarget = ["target", "to"]
    static let edgeType = ["type", "relation"]
    static let edgeTypeFallback = ["label"]
    static let edgeSince = ["since"]
    static let edgeUntil = ["until"]
    static let edgeCertainty = ["certainty"]
    static let edgeAssertedBy = ["assertedby"]
    static let edgeReserved = [
        "id", "source", "from", "target", "to", "type", "relation", "label", "since", "until", "certainty",
        "assertedBy",
    ]
}

/// One file's header: which column holds which field, and the attribute columns.
private struct CSVHeader {
    var roles: [String: Int] = [:]
    /// (column index, attribute key)
    var attributes: [(index: Int, key: String)] = []
    var columnCount = 0
    var names: [String] = []

    subscript(role: String) -> Int? { roles[role] }
}

private struct CSVSheetReader {
    let nodesFileName: String?
    let edgesFileName: String?

    var graph = Graph()
    var kinds = CSVVocabulary.kinds()
    var types = CSVVocabulary.relationTypes()
    var nodeIssues: [ValidationIssue] = []
    var edgeIssues: [ValidationIssue] = []

    /// Entity id → line of its row.
    var entityLines: [String: Int] = [:]
    /// Ids of node rows that could not be read (wrong field count); edges naming them are not reported again.
    var brokenEntityIDs: Set<String> = []
    /// Kumu mode: the nodes sheet has no id column; labels name entities. Label → id.
    var kumuLabels: [String: String]? = nil
    var nodesUsable = true
    /// The nodes file ends inside a quoted field: rows after it are lost, so unknown references are not reported.
    var nodesTruncated = false
    /// Unknown entity references seen so far.
    var unknownReferences = 0
    static let maximumSuggestions = 100

    init(nodesFileName: String?, edgesFileName: String?) {
        self.nodesFileName = nodesFileName
        self.edgesFileName = edgesFileName
    }

    // MARK: Issues

    mutating func report(
        _ file: CSVFile, _ code: ValidationIssue.Code, _ message: String, column: String = "$",
        line: Int?, at position: Int? = nil, severity: ValidationIssue.Severity = .error, suggestion: String? = nil
    ) {
        let issue = ValidationIssue(
            severity: severity, code: code, message: message, path: column, line: line, column: position,
            fileName: file == .nodes ? nodesFileName : edgesFileName, suggestion: suggestion)
        if file == .nodes { nodeIssues.append(issue) } else { edgeIssues.append(issue) }
    }

    enum CSVFile { case nodes, edges }

    // MARK: Whole read

    mutating func read(
        nodes: UnsafeBufferPointer<UInt8>, edges: UnsafeBufferPointer<UInt8>, limits: ReadLimits
    ) -> GraphDocument.Decoded {
        var nodeParser = CSVParser(bytes: nodes)
        nodeParser.parse()
        if let broken = check(nodeParser.records, .nodes, limits) {
            return GraphDocument.Decoded(graph: nil, issues: [broken])
        }
        for problem in nodeParser.problems {
            report(
                .nodes, problem.code, problem.message, line: problem.line, at: problem.column,
                suggestion: problem.suggestion)
        }
        var edgeParser = CSVParser(bytes: edges)
        edgeParser.parse()
        if let broken = check(edgeParser.records, .edges, limits) {
            return GraphDocument.Decoded(graph: nil, issues: [broken])
        }
        for problem in edgeParser.problems {
            report(
                .edges, problem.code, problem.message, line: problem.line, at: problem.column,
                suggestion: problem.suggestion)
        }
        readNodes(CSVSheetReader.unneutralized(nodeParser.records))
        readEdges(CSVSheetReader.unneutralized(edgeParser.records))

        let issues = CSVSheetReader.ordered(nodeIssues) + CSVSheetReader.ordered(edgeIssues)
        let hasErrors = issues.contains { $0.severity == .error }
        return GraphDocument.Decoded(graph: hasErrors ? nil : graph, issues: issues)
    }

    /// The issue for the first limit a parsed file breaks: too many rows (the header excluded), or a
    /// field longer than ``ReadLimits/maximumStringBytes``.
    func check(_ records: [CSVRecord], _ file: CSVFile, _ limits: ReadLimits) -> ValidationIssue? {
        let fileName = file == .nodes ? nodesFileName : edgesFileName
        let (maximum, noun, name) =
            file == .nodes
            ? (limits.maximumEntities, "entities", "maximumEntities")
            : (limits.maximumRelations, "relations", "maximumRelations")
        if records.count - 1 > maximum {
            let first = records[maximum + 1]
            return ValidationIssue(
                severity: .error, code: .limitExceeded,
                message: "more than \(maximum) rows of \(noun); ReadLimits.\(name) is \(maximum)", path: "$",
                line: first.line, column: 1, fileName: fileName,
                suggestion: "split the data, or read it with larger ReadLimits")
        }
        guard limits.maximumStringBytes < Int.max else { return nil }
        for record in records {
            for field in record.fields where field.text.utf8.count > limits.maximumStringBytes {
                return ValidationIssue(
                    severity: .error, code: .limitExceeded,
                    message:
                        "a field of \(field.text.utf8.count) bytes; ReadLimits.maximumStringBytes is \(limits.maximumStringBytes)",
                    path: "$", line: field.line, column: field.column, fileName: fileName,
                    suggestion: "shorten it, or read the file with larger ReadLimits")
            }
        }
        return nil
    }

    /// Every cell without the leading `'` a formula-safe writer added (see ``CSVSheets/FormulaSafety``).
    static func unneutralized(_ records: [CSVRecord]) -> [CSVRecord] {
        var records = records
        for record in records.indices {
            for field in records[record].fields.indices where FormulaCells.hasPrefix(records[record].fields[field].text)
            {
                records[record].fields[field].text = FormulaCells.unneutralized(records[record].fields[field].text)
            }
        }
        return records
    }

    /// One file's issues in file order, at most ``CSVSheets/maximumIssuesPerFile`` of them.
    static func ordered(_ issues: [ValidationIssue]) -> [ValidationIssue] {
        let sorted = issues.enumerated().sorted { lhs, rhs in
            let l = (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
            let r = (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
            return l < r
        }.map(\.element)
        guard sorted.count > CSVSheets.maximumIssuesPerFile else { return sorted }
        var kept = Array(sorted.prefix(CSVSheets.maximumIssuesPerFile))
        let rest = sorted.count - kept.count
        let restErrors = sorted.dropFirst(kept.count).count { $0.severity == .error }
        kept.append(
            ValidationIssue(
                severity: restErrors > 0 ? .error : .warning, code: .tooManyIssues,
                message: "\(pluralize(rest, "more problem")) in this file not listed", path: "$",
                fileName: sorted.first?.fileName, suggestion: "fix the ones above and read the file again"))
        return kept
    }

    // MARK: Headers

    /// Maps header names to roles. `roles` lists, for each role, the names that may hold it in
    /// priority order; the first present wins and the other synonyms become attributes.
    mutating func header(
        _ record: CSVRecord?, file: CSVFile, roles: [(role: String, names: [String])]
    ) -> CSVHeader? {
        guard let record else {
            report(
                file, .missingColumn, "the file is empty: it needs a header row", line: 1, at: 1,
                suggestion: file == .nodes ? "start it with: id,name,kind" : "start it with: source,target,type")
            return nil
        }
        var header = CSVHeader()
        header.columnCount = record.fields.count
        var seen: [String: Int] = [:]
        var usable: [(index: Int, name: String)] = []
        for (index, field) in record.fields.enumerated() {
            let name = field.text.trimmingCharacters(in: .whitespacesAndNewlines)
            header.names.append(name)
            if name.isEmpty {
                report(
                    file, .duplicateColumn, "column \(index + 1) has no name; its cells are ignored",
                    line: field.line, at: field.column, severity: .warning, suggestion: "name the column or delete it")
                continue
            }
            if let first = seen[name.lowercased()] {
                report(
                    file, .duplicateColumn, "the column '\(name)' appears twice (first as column \(first + 1))",
                    line: field.line, at: field.column, suggestion: "rename or remove one of them")
                continue
            }
            seen[name.lowercased()] = index
            usable.append((index, name))
        }
        var claimed = Set<Int>()
        for (role, names) in roles {
            for candidate in names {
                if let column = usable.first(where: {
                    normalizedHeader($0.name) == candidate && !claimed.contains($0.index)
                }) {
                    header.roles[role] = column.index
                    claimed.insert(column.index)
                    break
                }
            }
        }
        for column in usable where !claimed.contains(column.index) {
            var key = column.name
            if key.lowercased().hasPrefix(AttributeColumns.prefix) {
                // The writer's escape: `attr.KEY` is the attribute KEY (original spacing kept).
                let raw = record.fields[column.index].text
                let start = raw.range(of: AttributeColumns.prefix, options: [.caseInsensitive])!.upperBound
                key = String(raw[start...])
            }
            header.attributes.append((column.index, key))
        }
        return header
    }

    /// True (and reported) when a row's field count differs from the header's.
    mutating func wrongFieldCount(_ record: CSVRecord, _ header: CSVHeader, file: CSVFile) -> Bool {
        guard record.fields.count != header.columnCount else { return false }
        let position = record.fields.count > header.columnCount ? record.fields[header.columnCount].column : nil
        let lineOfExtra =
            record.fields.count > header.columnCount ? record.fields[header.columnCount].line : record.line
        report(
            file, .wrongFieldCount,
            "this row has \(pluralize(record.fields.count, "field")); the header has \(pluralize(header.columnCount, "column"))",
            line: lineOfExtra, at: position,
            suggestion: "quote fields that contain commas (\"a, b\") and give every row one field per column")
        return true
    }

    func cell(_ record: CSVRecord, _ index: Int?) -> CSVField? {
        guard let index, index < record.fields.count else { return nil }
        return record.fields[index]
    }

    /// The field's text without the whitespace around it (Unicode's White_Space, the writer's
    /// rule for quoting), unless it was quoted: a quoted field is exactly what its quotes hold.
    func trimmed(_ field: CSVField?) -> String {
        guard let field else { return "" }
        if field.isQuoted { return field.text }
        let scalars = field.text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    // MARK: Nodes

    mutating func readNodes(_ records: [CSVRecord]) {
        guard
            let header = self.header(
                records.first, file: .nodes,
                roles: [
                    ("id", CSVColumns.nodeID), ("name", CSVColumns.nodeName), ("kind", CSVColumns.nodeKind),
                    ("aliases", CSVColumns.nodeAliases), ("description", CSVColumns.nodeDescription),
                ])
        else {
            nodesUsable = false
            return
        }
        let headerRecord = records[0]
        var kumu = false
        if header["id"] == nil {
            if let labelColumn = header["name"], normalizedHeader(header.names[labelColumn]) == "label" {
                kumu = true
                kumuLabels = [:]
            } else {
                report(
                    .nodes, .missingColumn, "there is no id column", line: headerRecord.line, at: 1,
                    suggestion: "add an 'id' column with a short unique id per row (Kumu sheets may use 'Label')")
                nodesUsable = false
                for record in records.dropFirst() { _ = wrongFieldCount(record, header, file: .nodes) }
                return
            }
        }
        var slugs = Set<String>()
        for record in records.dropFirst() {
            if record.isTruncated {
                // The file ends inside a quoted field (reported by the parser): entities after it are
                // unknown, so references are not checked.
                if let id = cell(record, header["id"] ?? header["name"]) { brokenEntityIDs.insert(trimmed(id)) }
                nodesTruncated = true
                continue
            }
            if wrongFieldCount(record, header, file: .nodes) {
                if let id = cell(record, header["id"] ?? header["name"]) { brokenEntityIDs.insert(trimmed(id)) }
                continue
            }
            let nameField = cell(record, header["name"])
            let id: String
            let idField: CSVField
            if kumu {
                idField = nameField!
                let label = trimmed(idField)
                guard !label.isEmpty else {
                    report(
                        .nodes, .emptyValue, "the label is empty", column: header.names[header["name"]!],
                        line: idField.line, at: idField.column, suggestion: "every element needs a unique label")
                    continue
                }
                if let existing = kumuLabels?[label] {
                    report(
                        .nodes, .duplicateID,
                        "the label '\(label)' is used twice (first at line \(entityLines[existing] ?? 0))",
                        column: header.names[header["name"]!], line: idField.line, at: idField.column,
                        suggestion: "labels name elements in Kumu sheets: make them unique")
                    continue
                }
                id = CSVSheetReader.slug(label, taken: &slugs)
                kumuLabels?[label] = id
            } else {
                idField = cell(record, header["id"])!
                guard let checked = checkID(idField, column: header.names[header["id"]!], noun: "entity", file: .nodes)
                else {
                    continue
                }
                if let first = entityLines[checked] {
                    report(
                        .nodes, .duplicateID, "the entity id '\(checked)' is used twice (first at line \(first))",
                        column: header.names[header["id"]!], line: idField.line, at: idField.column,
                        suggestion: "give each row its own id")
                    continue
                }
                id = checked
            }
            entityLines[id] = record.line

            var name = nameField?.text ?? ""
            if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { name = kumu ? trimmed(nameField) : id }

            let kindField = cell(record, header["kind"])
            var kindText = trimmed(kindField)
            if kindText.isEmpty { kindText = "Entity" }
            let kind = resolveKind(kindText, field: kindField, column: header["kind"].map { header.names[$0] })

            var aliases: [String] = []
            if let field = cell(record, header["aliases"]) { aliases = CSVSheetReader.splitAliases(field.text) }
            let descriptionText = cell(record, header["description"])?.text ?? ""
            var attributes: Attributes = [:]
            for (index, key) in header.attributes {
                let text = record.fields[index].text
                if !text.isEmpty { attributes[key] = .string(text) }
            }
            let entity = Entity(
                id: EntityID(id), name: name, kind: kind, aliases: aliases,
                description: descriptionText.isEmpty ? nil : descriptionText, attributes: attributes)
            do { try graph.add(entity) } catch { report(.nodes, .invalidCSV, error.description, line: record.line) }
        }
    }

    /// A trimmed id, or `nil` (reported) when empty or holding a control character.
    mutating func checkID(_ field: CSVField, column: String, noun: String, file: CSVFile) -> String? {
        let id = trimmed(field)
        if id.isEmpty {
            report(
                file, .emptyValue, "the \(noun) id is empty", column: column, line: field.line, at: field.column,
                suggestion: "give it a short, unique id")
            return nil
        }
        if let control = IDRules.firstControlCharacter(in: id) {
            report(
                file, .controlCharacterInID, "the \(noun) id contains the control character \(control)",
                column: column, line: field.line, at: field.column,
                suggestion: "remove it: an id may hold any other character, spaces included")
            return nil
        }
        return id
    }

    mutating func resolveKind(_ text: String, field: CSVField?, column: String?) -> KindID {
        let (id, isNew) = kinds.resolve(text)
        if isNew {
            try? graph.declare(Kind(id: KindID(id), label: text))
            if let near = kinds.nearBuiltIn(text), let field, let column {
                report(
                    .nodes, .undeclaredVocabulary, "the kind '\(text)' is not built in; it was declared as a new kind",
                    column: column, line: field.line, at: field.column, severity: .warning,
                    suggestion: "did you mean '\(near)'?")
            }
        }
        return KindID(id)
    }

    mutating func resolveType(_ text: String, field: CSVField?, column: String?) -> RelationTypeID {
        let (id, isNew) = types.resolve(text)
        if isNew {
            try? graph.declare(RelationType(id: RelationTypeID(id), label: text, category: .other))
            if let near = types.nearBuiltIn(text), let field, let column {
                report(
                    .edges, .undeclaredVocabulary,
                    "the relation type '\(text)' is not built in; it was declared as a new type",
                    column: column, line: field.line, at: field.column, severity: .warning,
                    suggestion: "did you mean '\(near)'?")
            }
        }
        return RelationTypeID(id)
    }

    /// `a|b\|c` → `["a", "b|c"]`; `\\` is a backslash; empty items are dropped.
    static func splitAliases(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                if character != "|" && character != "\\" { current.append("\\") }
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                result.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        result.append(current)
        return result.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// A slug for a Kumu label: lowercased letters and digits, other runs as `-`; unique.
    static func slug(_ label: String, taken: inout Set<String>) -> String {
        var slug = ""
        var pendingDash = false
        for character in label.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash, !slug.isEmpty { slug.append("-") }
                slug.append(character)
                pendingDash = false
            } else {
                pendingDash = true
            }
        }
        if slug.isEmpty { slug = "entity" }
        var candidate = slug
        var counter = 2
        while taken.contains(candidate) {
            candidate = slug + "-" + String(counter)
            counter += 1
        }
        taken.insert(candidate)
        return candidate
    }

    // MARK: Edges

    struct PendingRelation {
        var line: Int
        var id: String?
        var relation: Relation
    }

    mutating func readEdges(_ records: [CSVRecord]) {
        guard
            let parsed = header(
                records.first, file: .edges,
                roles: [
                    ("id", CSVColumns.edgeID), ("source", CSVColumns.edgeSource), ("target", CSVColumns.edgeTarget),
                    ("type", CSVColumns.edgeType), ("since", CSVColumns.edgeSince), ("until", CSVColumns.edgeUntil),
                    ("certainty", CSVColumns.edgeCertainty), ("assertedBy", CSVColumns.edgeAssertedBy),
                    ("typeFallback", CSVColumns.edgeTypeFallback),
                ])
        else { return }
        var header2 = parsed
        // Gephi's edge `Label` is the type only when there is no type column; otherwise an attribute.
        if let fallback = header2.roles["typeFallback"] {
            header2.roles["typeFallback"] = nil
            if header2.roles["type"] == nil {
                header2.roles["type"] = fallback
            } else {
                header2.attributes.append((fallback, header2.names[fallback]))
                header2.attributes.sort { $0.index < $1.index }
            }
        }
        let header = header2
        let headerLine = records[0].line
        var missing: [String] = []
        if header["source"] == nil { missing.append("source") }
        if header["target"] == nil { missing.append("target") }
        if !missing.isEmpty {
            report(
                .edges, .missingColumn,
                "there is no \(missing.joined(separator: " or ")) column", line: headerLine, at: 1,
                suggestion: "add 'source' and 'target' columns (Kumu's 'From' and 'To' work too)")
            for record in records.dropFirst() { _ = wrongFieldCount(record, header, file: .edges) }
            return
        }
        func name(_ role: String) -> String { header.names[header[role]!] }

        var pending: [PendingRelation] = []
        var relationLines: [String: Int] = [:]
        for record in records.dropFirst() {
            if record.isTruncated || wrongFieldCount(record, header, file: .edges) { continue }
            var ok = true
            var explicitID: String? = nil
            if let idField = cell(record, header["id"]), !trimmed(idField).isEmpty {
                if let id = checkID(idField, column: name("id"), noun: "relation", file: .edges) {
                    if let first = relationLines[id] {
                        report(
                            .edges, .duplicateID, "the relation id '\(id)' is used twice (first at line \(first))",
                            column: name("id"), line: idField.line, at: idField.column,
                            suggestion: "give each row its own id, or leave the id column empty to number rows")
                        ok = false
                    } else {
                        relationLines[id] = record.line
                        explicitID = id
                    }
                } else {
                    ok = false
                }
            }
            let source = entity(cell(record, header["source"])!, column: name("source"), role: "source")
            let target = entity(cell(record, header["target"])!, column: name("target"), role: "target")
            var assertedBy: EntityID? = nil
            if let field = cell(record, header["assertedBy"]), !trimmed(field).isEmpty {
                assertedBy = entity(field, column: name("assertedBy"), role: "assertedBy")
                if assertedBy == nil { ok = false }
            }
            if source == nil || target == nil { ok = false }

            let typeField = cell(record, header["type"])
            let typeText = trimmed(typeField)
            let type =
                typeText.isEmpty
                ? RelationTypeID("relatedTo")
                : resolveType(typeText, field: typeField, column: header["type"].map { header.names[$0] })

            var since: PartialDate? = nil
            var until: PartialDate? = nil
            if let field = cell(record, header["since"]), !trimmed(field).isEmpty {
                since = date(field, column: name("since"))
                if since == nil { ok = false }
            }
            if let field = cell(record, header["until"]), !trimmed(field).isEmpty {
                until = date(field, column: name("until"))
                if until == nil { ok = false }
            }
            if let since, let until, since.firstDay.ordinal > until.lastDay.ordinal {
                let field = cell(record, header["until"])!
                report(
                    .edges, .sinceAfterUntil, "since (\(since)) is after until (\(until))", column: name("until"),
                    line: field.line, at: field.column, suggestion: "swap them, or fix the year")
                ok = false
            }
            var certainty = Certainty.confirmed
            if let field = cell(record, header["certainty"]), !trimmed(field).isEmpty {
                let text = trimmed(field)
                if let value = Certainty(rawValue: text.lowercased()) {
                    certainty = value
                } else {
                    let names = Certainty.allCases.map(\.rawValue)
                    report(
                        .edges, .unknownCertainty, "'\(text)' is not a certainty", column: name("certainty"),
                        line: field.line, at: field.column,
                        suggestion: Suggest.phrase(text, among: names)
                            ?? "use one of \(names.joined(separator: ", "))")
                    ok = false
                }
            }
            var attributes: Attributes = [:]
            for (index, key) in header.attributes {
                let text = record.fields[index].text
                if !text.isEmpty { attributes[key] = .string(text) }
            }
            guard ok, let source, let target else { continue }
            pending.append(
                PendingRelation(
                    line: record.line, id: explicitID,
                    relation: Relation(
                        id: RelationID(""), type: type, source: source, target: target, since: since, until: until,
                        certainty: certainty, assertedBy: assertedBy, attributes: attributes)))
        }
        guard nodesUsable else { return }
        var counter = 1
        for var item in pending {
            if let id = item.id {
                item.relation.id = RelationID(id)
            } else {
                while relationLines["e\(counter)"] != nil { counter += 1 }
                item.relation.id = RelationID("e\(counter)")
                relationLines["e\(counter)"] = item.line
                counter += 1
            }
            do { try graph.add(item.relation) } catch {
                report(.edges, .invalidCSV, error.description, line: item.line)
            }
        }
    }

    /// The entity a cell names, or `nil` (reported unless the nodes sheet is unusable or the row naming it was broken).
    mutating func entity(_ field: CSVField, column: String, role: String) -> EntityID? {
        let text = trimmed(field)
        guard !text.isEmpty else {
            report(
                .edges, .emptyValue, "the \(role) is empty", column: column, line: field.line, at: field.column,
                suggestion: "name an entity id from the nodes sheet")
            return nil
        }
        if graph.entities[EntityID(text)] != nil { return EntityID(text) }
        if let id = kumuLabels?[text] { return EntityID(id) }
        guard nodesUsable, !nodesTruncated, !brokenEntityIDs.contains(text) else { return nil }
        // Suggestions cost O(entities) each: only the first few unknown references get one.
        unknownReferences += 1
        let suggestion =
            unknownReferences <= CSVSheetReader.maximumSuggestions
            ? Suggest.phrase(text, among: graph.entities.keys.lazy.map(\.rawValue)) : nil
        report(
            .edges, .unknownEntity, "unknown entity '\(text)'", column: column, line: field.line, at: field.column,
            suggestion: suggestion ?? "add a row for it to the nodes sheet")
        return nil
    }

    mutating func date(_ field: CSVField, column: String) -> PartialDate? {
        let text = trimmed(field)
        if let date = PartialDate(text) { return date }
        report(
            .edges, .invalidDate, "'\(text)' is not a date", column: column, line: field.line, at: field.column,
            suggestion: "use YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)")
        return nil
    }
}

// MARK: - Writer

struct CSVSheetWriter {
    let graph: Graph
    var warnings: [String] = []
    var formulas: FormulaLog

    init(graph: Graph, formulaSafety: CSVSheets.FormulaSafety) {
        self.graph = graph
        formulas = FormulaLog(formulaSafety)
    }

    mutating func export() -> ExportResult {
        let inventory = GraphInventory(graph)
        var nonStrings = 0
        var emptyTexts = 0

        // Vocabulary cells: labels when they read back to the same id.
        var kindCells = CSVVocabularyWriter(CSVVocabulary.kinds())
        var typeCells = CSVVocabularyWriter(CSVVocabulary.relationTypes())

        // nodes.csv
        let nodeColumns = AttributeColumns(
            reserved: CSVColumns.nodeReserved, attributes: graph.entities.values.lazy.map(\.attributes))
        var nodes = ""
        let nodeFields =
            ["id", "name", "kind", "aliases", "description"] + nodeColumns.keys.map { "attribute " + warningQuoted($0) }
        row(["id", "name", "kind", "aliases", "description"] + nodeColumns.columns, "nodes.csv header", [], to: &nodes)
        for entity in graph.entities.values {
            let kind = graph.kind(entity.kind)
            let kindCell = kindCells.cell(
                id: entity.kind.rawValue, label: kind?.label ?? entity.kind.rawValue,
                isBuiltIn: graph.declaredKinds[entity.kind] == nil)
            if entity.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { emptyTexts += 1 }
            if entity.description?.isEmpty == true { emptyTexts += 1 }
            emptyTexts += entity.aliases.count { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            var fields = [
                entity.id.rawValue, entity.name, kindCell, CSVSheetWriter.joinAliases(entity.aliases),
                entity.description ?? "",
            ]
            for key in nodeColumns.keys {
                let value = entity.attributes[key]
                if let value, value.stringValue == nil { nonStrings += 1 }
                if value?.stringValue == "" { emptyTexts += 1 }
                fields.append(value?.cellText ?? "")
            }
            row(fields, "entity " + warningQuoted(entity.id.rawValue), nodeFields, to: &nodes)
        }

        // edges.csv
        let edgeColumns = AttributeColumns(
            reserved: CSVColumns.edgeReserved, attributes: graph.relations.values.lazy.map(\.attributes))
        var edges = ""
        let fixedEdgeFields = ["id", "source", "target", "type", "since", "until", "certainty", "assertedBy"]
        let edgeFields = fixedEdgeFields + edgeColumns.keys.map { "attribute " + warningQuoted($0) }
        row(fixedEdgeFields + edgeColumns.columns, "edges.csv header", [], to: &edges)
        for relation in graph.relations.values {
            let type = graph.relationType(relation.type)
            let typeCell = typeCells.cell(
                id: relation.type.rawValue, label: type?.label ?? relation.type.rawValue,
                isBuiltIn: graph.declaredRelationTypes[relation.type] == nil)
            var fields = [
                relation.id.rawValue, relation.source.rawValue, relation.target.rawValue, typeCell,
                relation.since?.description ?? "", relation.until?.description ?? "", relation.certainty.rawValue,
                relation.assertedBy?.rawValue ?? "",
            ]
            for key in edgeColumns.keys {
                let value = relation.attributes[key]
                if let value, value.stringValue == nil { nonStrings += 1 }
                if value?.stringValue == "" { emptyTexts += 1 }
                fields.append(value?.cellText ?? "")
            }
            row(fields, "relation " + warningQuoted(relation.id.rawValue), edgeFields, to: &edges)
        }

        // What the sheets cannot carry.
        let name = "CSV"
        warnings += inventory.graphLevelDrops(name, documentsNote: "titles, publishers, dates, URLs")
        if inventory.citations > 0 {
            warnings.append(
                "\(name) drops \(pluralize(inventory.citations, "citation")) (sources of entities and relations)")
        }
        if inventory.richKinds > 0 {
            warnings.append("\(name) drops the attributes of \(pluralize(inventory.richKinds, "declared kind"))")
        }
        if inventory.richRelationTypes > 0 {
            warnings.append(
                "\(name) drops the inverse labels, symmetric flags, categories and attributes of "
                    + "\(pluralize(inventory.richRelationTypes, "declared relation type")) (read back: category other, directed)"
            )
        }
        let changedKinds = kindCells.changed.keys
        let changedTypes = typeCells.changed.keys
        if !changedKinds.isEmpty {
            warnings.append(
                "\(name) cannot keep the id and label of \(pluralize(changedKinds.count, "kind")) together: "
                    + changedKinds.prefix(8).joined(separator: ", ") + " (written as ids; labels dropped)")
        }
        if !changedTypes.isEmpty {
            warnings.append(
                "\(name) cannot keep the id and label of \(pluralize(changedTypes.count, "relation type")) together: "
                    + changedTypes.prefix(8).joined(separator: ", ") + " (written as ids; labels dropped)")
        }
        if nonStrings > 0 {
            warnings.append(
                "\(name) writes \(pluralize(nonStrings, "non-string attribute value")) as text (JSON); they read back as strings"
            )
        }
        if emptyTexts > 0 {
            warnings.append(
                "\(name) drops \(pluralize(emptyTexts, "empty text value")) (empty names, descriptions, aliases or attribute values; empty cells read back as absent)"
            )
        }
        if let warning = formulas.warning(
            format: name,
            consequence: "EntityGraph's CSV reader removes it; write with formula safety raw for other programs")
        {
            warnings.append(warning)
        }
        return ExportResult(
            format: .csv,
            files: [
                ExportedFile(name: CSVSheets.nodesFileName, bytes: Array(nodes.utf8)),
                ExportedFile(name: CSVSheets.edgesFileName, bytes: Array(edges.utf8)),
            ],
            warnings: warnings)
    }

    /// Aliases joined with `|`, escaping `|` and `\` inside them with a backslash.
    static func joinAliases(_ aliases: [String]) -> String {
        aliases.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.map { alias in
            var escaped = ""
            for character in alias {
                if character == "|" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped
        }.joined(separator: "|")
    }

    /// Appends one record: each cell made formula-safe (see ``CSVSheets/FormulaSafety``), quoted
    /// when needed, separated by commas, ended by LF. `owner` and `names` name the cells in the
    /// warning (`entity 'a' name`; a header cell by its text).
    mutating func row(_ fields: [String], _ owner: String, _ names: [String], to output: inout String) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output += "," }
            let (text, quote) = formulas.cell(
                field, owner + " " + (index < names.count ? names[index] : warningQuoted(field)))
            output += quote ? CSVSheetWriter.forceQuoted(text) : CSVSheetWriter.quoted(text)
        }
        output += "\n"
    }

    /// The field in double quotes, quotes inside doubled.
    static func forceQuoted(_ field: String) -> String {
        "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The field as written: quoted (with doubled quotes) when it holds a comma, quote, CR or LF,
    /// or starts or ends with whitespace; as is otherwise.
    static func quoted(_ field: String) -> String {
        var needsQuotes = false
        for scalar in field.unicodeScalars where scalar == "," || scalar == "\"" || scalar == "\n" || scalar == "\r" {
            needsQuotes = true
            break
        }
        if !needsQuotes, let first = field.unicodeScalars.first, let last = field.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        {
            needsQuotes = true
        }
        guard needsQuotes else { return field }
        return forceQuoted(field)
    }
}
