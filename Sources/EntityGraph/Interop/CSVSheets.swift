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
/// | both | the attribute `weight`, a number | `weight` |
///
/// Every other column becomes a string attribute of the entity or relation (empty cells are left
/// out); a column named `attr.NAME` becomes the attribute `NAME`, which is how the writer escapes
/// attribute names that collide with the columns above. Two columns for the same attribute are an
/// error.
///
/// A `weight` cell is a number, read as the JSON reader reads one (``JSONValue/integer(_:)`` for
/// `3`, ``JSONValue/double(_:)`` for `0.1` or `-2.5e3`); sheets separated by semicolons or tabs may
/// write a decimal comma (`1,5`). Anything else — `12abc`, `NaN`, `inf`, `1,5` in a comma-separated
/// sheet, thousands separators — is an ``ValidationIssue/Code/invalidNumber`` error, and a number a
/// double cannot hold or would change (`1e400`, `1e-400`) a ``ValidationIssue/Code/numberOutOfRange``
/// error; an empty cell is no weight. A column `attr.weight` holds text. Kinds and relation types are matched to
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
/// else the id. Non-string attribute values are written as JSON text (and read back as strings),
/// except `weight` when every value is a number: it is written as a number in its shortest form
/// (`-2500.0`), without a formula-safety `'`, and read back as that number; otherwise the column is
/// `attr.weight`.
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
    public static let maximumIssuesPerFile = ValidationIssue.maximumPerFile

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
        try decode(
            nodes: nodes, edges: edges, nodesFileName: nodesFileName, edgesFileName: edgesFileName, limits: limits
        ).get()
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
        return try decode(folder: folder, limits: limits).get()
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
        return try decode(nodesFile: nodesFile, edgesFile: edgesFile, limits: limits).get()
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
