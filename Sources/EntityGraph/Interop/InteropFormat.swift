import Foundation

/// The exchange formats EntityGraph writes without Graphviz (and, for CSV sheets, reads).
///
/// Every exporter is deterministic (the same graph gives the same bytes) and says what it could not
/// carry: ``ExportResult/warnings`` names each kind of field the graph has and the format drops.
/// `docs/Formats.md` has the table of what each format keeps.
///
/// ```swift
/// let result = graph.export(as: .graphml)
/// try result.write(to: URL(fileURLWithPath: "map.graphml"))
/// result.warnings.forEach { print("warning:", $0) }
/// ```
public enum InteropFormat: String, CaseIterable, Sendable {
    /// Two spreadsheets, `nodes.csv` and `edges.csv` (Kumu, Gephi's spreadsheet import, any
    /// spreadsheet). Read by ``CSVSheets``; written by ``CSVSheets/write(_:formulaSafety:)``.
    case csv
    /// GraphML (networkx, Gephi, yEd, igraph, Cytoscape).
    case graphml
    /// GEXF 1.3, dynamic: relation dates become edge `start`/`end` (Gephi's timeline, networkx).
    case gexf
    /// A Cypher script of `CREATE` statements (Neo4j, Memgraph, FalkorDB).
    case cypher
    /// The two CSV files `neo4j-admin database import` reads: `nodes.csv` and `relationships.csv`.
    case neo4jCSV = "neo4j-csv"
    /// A Mermaid flowchart (`flowchart LR`), rendered by GitHub and GitLab in Markdown.
    case mermaid
    /// FollowTheMoney JSON lines (OpenSanctions, Aleph): read by ``FtMReader``, written by
    /// ``Graph/export(as:formulaSafety:)``; what was read from FtM is written back exactly.
    case ftm

    /// The human name used in messages: "GraphML", "Mermaid", …
    public var displayName: String {
        switch self {
        case .csv: return "CSV"
        case .graphml: return "GraphML"
        case .gexf: return "GEXF"
        case .cypher: return "Cypher"
        case .neo4jCSV: return "neo4j-admin CSV"
        case .mermaid: return "Mermaid"
        case .ftm: return "FollowTheMoney"
        }
    }

    /// True for the formats written as several files into a folder (``csv``, ``neo4jCSV``).
    public var writesFolder: Bool { self == .csv || self == .neo4jCSV }

    /// The usual file extensions, lowercased, without the dot (empty for the folder formats). Some
    /// have two parts (`ftm.json`): ``forPath(_:)`` matches them before the last one alone.
    public var fileExtensions: [String] {
        switch self {
        case .csv, .neo4jCSV: return []
        case .graphml: return ["graphml"]
        case .gexf: return ["gexf"]
        case .cypher: return ["cypher", "cql"]
        case .mermaid: return ["mmd", "mermaid"]
        case .ftm: return ["ftm.json", "ftm.jsonl", "ijson"]
        }
    }

    /// The format a path names by its extension: `.graphml`, `.gexf`, `.cypher`/`.cql`,
    /// `.mmd`/`.mermaid`, `.ftm.json`/`.ftm.jsonl`/`.ijson`, and `.csv` for CSV sheets. `nil` for
    /// anything else (including `.json`, which is the EntityGraph document, and folders, which are up
    /// to the caller). ``neo4jCSV`` has no extension of its own: ask for it by name.
    public static func forPath(_ path: String) -> InteropFormat? {
        let name = URL(fileURLWithPath: path).lastPathComponent.lowercased()
        let pathExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
        if pathExtension == "csv" { return .csv }
        if let compound = allCases.first(where: { format in
            format.fileExtensions.contains { $0.contains(".") && name.hasSuffix("." + $0) && name.count > $0.count + 1 }
        }) {
            return compound
        }
        return allCases.first { $0.fileExtensions.contains(pathExtension) }
    }

    /// The format named `name` as typed on a command line: a raw value (`graphml`, `neo4j-csv`, …)
    /// or an extension (`cql`, `mmd`), case-insensitive; `nil` when unknown.
    public init?(name: String) {
        let lowered = name.lowercased()
        if let format = InteropFormat(rawValue: lowered)
            ?? InteropFormat.allCases.first(where: {
                $0.rawValue.lowercased() == lowered || $0.fileExtensions.contains(lowered)
            })
        {
            self = format
        } else if lowered == "neo4j" || lowered == "neo4jcsv" {
            self = .neo4jCSV
        } else {
            return nil
        }
    }
}

/// One file an exporter produced: its conventional name and its bytes.
public struct ExportedFile: Hashable, Sendable {
    /// The file name: `graph.graphml`, `nodes.csv`, `relationships.csv`, …
    public var name: String
    /// The UTF-8 bytes, without a byte-order mark.
    public var bytes: [UInt8]

    /// Creates a file value.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    /// The bytes as a string (they are always valid UTF-8).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// What an exporter produced: one file (or, for the folder formats, several) and the warnings
/// naming every kind of field the graph has that the format could not carry.
public struct ExportResult: Hashable, Sendable {
    /// The format that produced this result.
    public var format: InteropFormat
    /// The files, in a fixed order (`nodes.csv` before `edges.csv`).
    public var files: [ExportedFile]
    /// One sentence per kind of field that was dropped or changed, e.g.
    /// `"Mermaid drops the dates (since/until) of 40 relations"`. Empty when nothing was lost.
    public var warnings: [String]

    /// Creates a result.
    public init(format: InteropFormat, files: [ExportedFile], warnings: [String]) {
        self.format = format
        self.files = files
        self.warnings = warnings
    }

    /// The bytes of the first (for single-file formats, the only) file.
    public var data: [UInt8] { files.first?.bytes ?? [] }

    /// The first file as a string.
    public var text: String { files.first?.text ?? "" }

    /// The file with this name, or `nil`.
    public func file(named name: String) -> ExportedFile? { files.first { $0.name == name } }

    /// Writes a single-file result to `url`, atomically (a temporary file renamed over the
    /// destination). For the folder formats use ``write(toFolder:)``.
    public func write(to url: URL) throws(DocumentError) {
        try GraphDocument.writeAtomically(data, to: url)
    }

    /// Writes every file into `folder` (created when missing), each atomically; nothing is written
    /// when the folder cannot be created. Returns the URLs written, in order.
    @discardableResult
    public func write(toFolder folder: URL) throws(DocumentError) -> [URL] {
        if let failure = AtomicWrite.createFolder(folder.relativePath) {
            throw DocumentError(issues: [
                ValidationIssue(
                    severity: .error, code: .unwritableFile, message: failure, path: "$",
                    fileName: GraphDocument.displayName(of: folder))
            ])
        }
        var written: [URL] = []
        for file in files {
            let url = folder.appendingPathComponent(file.name)
            try GraphDocument.writeAtomically(file.bytes, to: url)
            written.append(url)
        }
        return written
    }
}

extension Graph {
    /// This graph in an exchange format, with warnings for what the format cannot carry.
    /// Never fails: anything a format cannot hold is replaced or left out and named in a warning.
    /// - Parameters:
    ///   - format: The exchange format.
    ///   - formulaSafety: For ``InteropFormat/csv`` and ``InteropFormat/neo4jCSV``: whether cells a
    ///     spreadsheet would run as formulas get a leading `'` (the default) or are written as they
    ///     are (see ``CSVSheets/FormulaSafety``). The other formats ignore it.
    public func export(
        as format: InteropFormat, formulaSafety: CSVSheets.FormulaSafety = .neutralize
    ) -> ExportResult {
        switch format {
        case .csv: return CSVSheets.write(self, formulaSafety: formulaSafety)
        case .graphml: return GraphMLExporter(graph: self).export()
        case .gexf: return GEXFExporter(graph: self).export()
        case .cypher: return CypherExporter(graph: self).export()
        case .neo4jCSV: return Neo4jCSVExporter(graph: self, formulaSafety: formulaSafety).export()
        case .mermaid: return MermaidExporter(graph: self).export()
        case .ftm:
            var exporter = FtMExporter(graph: self)
            return exporter.export()
        }
    }
}

/// `'text'` for naming an id or key in a warning: `'` and `\` are escaped, and control characters
/// (C0, DEL, C1), line breaks and format characters (bidirectional controls, zero-width
/// characters) are written as `\u{…}`, so a name printed in a terminal cannot move the cursor,
/// start a line, reorder it or hide a character.
func warningQuoted(_ text: String) -> String {
    var output = "'"
    for scalar in text.unicodeScalars {
        let value = scalar.value
        if scalar == "'" || scalar == "\\" {
            output += "\\" + String(scalar)
        } else if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || scalar.properties.generalCategory == .format
        {
            output += "\\u{" + String(value, radix: 16) + "}"
        } else {
            output.unicodeScalars.append(scalar)
        }
    }
    return output + "'"
}
