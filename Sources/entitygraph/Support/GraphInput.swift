import EntityGraph
import EntityGraphviz
import Foundation

/// The formats a FILE argument can be in, told apart by the one format registry (``FileFormats``):
/// the readable graph formats, and a folder for CSV sheets.
///
/// Adding a reader is one entry in the registry, one case here and one branch in
/// ``GraphInput/load(_:)`` and ``GraphInput/issues(in:)``.
enum InputFormat: CaseIterable {
    /// An EntityGraph document (`.json`).
    case document
    /// Graphviz DOT (`.dot`, `.gv`), read through Graphviz's own parser.
    case dot
    /// A folder holding `nodes.csv` and `edges.csv`, or the path of one of them.
    case csvFolder
    /// GraphML (networkx, Gephi, yEd).
    case graphml
    /// GEXF 1.1–1.3 (Gephi).
    case gexf
    /// FollowTheMoney JSON lines (`.ftm.json`, `.ftm.jsonl`, `.ijson`).
    case ftm

    /// The formats this version reads, for messages.
    static var supportedList: String { FileFormats.readableList }

    /// The format of `path`, or `nil` when its extension names no format this version reads.
    init?(path: String, isDirectory: Bool) {
        if isDirectory {
            self = .csvFolder
            return
        }
        guard let format = FileFormats.graphFormat(forPath: path) else { return nil }
        self.init(format)
    }

    /// The reader of a registry format, or `nil` when this version does not read it.
    init?(_ format: FileFormat) {
        switch format {
        case FileFormats.document: self = .document
        case FileFormats.dot: self = .dot
        case let format where format.interop == .csv: self = .csvFolder
        case let format where format.interop == .graphml: self = .graphml
        case let format where format.interop == .gexf: self = .gexf
        case let format where format.interop == .ftm: self = .ftm
        default: return nil
        }
    }
}

/// Reads FILE arguments into graphs, turning every problem into a ``CommandFailure``.
enum GraphInput {
    /// Reads the graph in `path` (as typed by the user, so messages show it that way), in the format
    /// `named` (`--input-format`) or else the one its extension names.
    static func load(_ path: String, format named: String? = nil) throws(CommandFailure) -> Graph {
        let format = try format(of: path, named: named)
        switch format {
        case .document:
            // A document's warnings are advice on the data (an alleged relation without who alleges
            // it), not changes the reader made: `validate` lists them.
            do {
                return try GraphDocument.read(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw CommandFailure.invalidDocument(path, error)
            }
        case .dot:
            // What the model could not hold as written is kept another way; each such change is a
            // warning on standard error (validate lists them too).
            let decoded = DOTImport.decode(contentsOf: URL(fileURLWithPath: path))
            guard let graph = decoded.graph else {
                throw CommandFailure(
                    .invalidInput, "\(path) cannot be read as DOT", details: decoded.errors.map(\.description))
            }
            warn(decoded.warnings, path: path)
            return graph
        case .csvFolder:
            let (nodes, edges) = try csvFiles(path)
            let decoded = CSVSheets.decode(nodesFile: nodes, edgesFile: edges)
            guard let graph = decoded.graph else {
                throw CommandFailure(
                    .invalidInput,
                    "\(path) is not a valid pair of CSV sheets (\(plural(decoded.errors.count, "error")))",
                    details: decoded.issues.map(\.description))
            }
            warn(decoded.warnings, path: path)
            return graph
        case .graphml, .gexf, .ftm:
            let url = URL(fileURLWithPath: path)
            let decoded =
                format == .graphml
                ? GraphMLReader.decode(contentsOf: url)
                : format == .gexf ? GEXFReader.decode(contentsOf: url) : FtMReader.decode(contentsOf: url)
            guard let graph = decoded.graph else {
                let name = format == .graphml ? "GraphML" : format == .gexf ? "GEXF" : "FollowTheMoney"
                throw CommandFailure(
                    .invalidInput, "\(path) is not valid \(name) (\(plural(decoded.errors.count, "error")))",
                    details: decoded.errors.map(\.description))
            }
            warn(decoded.warnings, path: path)
            return graph
        }
    }

    /// The most input warnings a command prints; `validate` lists them all.
    static let printedWarnings = 10

    /// Prints the warnings of a reader that had to interpret its input (DOT, CSV, GraphML, GEXF, FtM) on
    /// standard error, at most ``printedWarnings`` of them and a line counting the rest: nothing the
    /// reader kept another way goes unsaid, and a file with a hundred of them does not bury the
    /// command's output.
    static func warn(_ warnings: [ValidationIssue], path: String) {
        for warning in warnings.prefix(printedWarnings) {
            Console.writeError(TerminalText.visible(warning.description) + "\n")
        }
        if warnings.count > printedWarnings {
            Console.writeError(
                TerminalText.visible(
                    "\(path): \(plural(warnings.count - printedWarnings, "more warning")) "
                        + "(entitygraph validate \(path) lists them all)") + "\n")
        }
    }

    /// Every problem in `path`, errors and warnings, in file order.
    static func issues(in path: String, format named: String? = nil) throws(CommandFailure) -> [ValidationIssue] {
        switch try format(of: path, named: named) {
        case .document:
            return GraphDocument.validate(contentsOf: URL(fileURLWithPath: path))
        case .csvFolder:
            let (nodes, edges) = try csvFiles(path)
            return CSVSheets.decode(nodesFile: nodes, edgesFile: edges).issues
        case .dot:
            return DOTImport.decode(contentsOf: URL(fileURLWithPath: path)).issues
        case .graphml:
            return GraphMLReader.decode(contentsOf: URL(fileURLWithPath: path)).issues
        case .gexf:
            return GEXFReader.decode(contentsOf: URL(fileURLWithPath: path)).issues
        case .ftm:
            return FtMReader.decode(contentsOf: URL(fileURLWithPath: path)).issues
        }
    }

    /// The format of `path` (`named` when given), or a failure when it does not exist, has an unknown
    /// extension or `named` names no format this version reads.
    static func format(of path: String, named: String? = nil) throws(CommandFailure) -> InputFormat {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure(.invalidInput, "no such file: \(path)")
        }
        if let named {
            guard let registered = FileFormats.graphFormat(named: named), let format = InputFormat(registered) else {
                throw CommandFailure(
                    .invalidInput, "cannot read --input-format '\(named)'",
                    details: [
                        "readable: " + FileFormats.graphFormats.filter(\.isReadable).map(\.name).joined(separator: ", ")
                    ])
            }
            return format
        }
        guard let format = InputFormat(path: path, isDirectory: isDirectory.boolValue) else {
            if let known = FileFormats.graphFormat(forPath: path) {
                throw CommandFailure(
                    .invalidInput, "\(path) is \(known.displayName), which this version writes but cannot read",
                    details: ["supported: \(InputFormat.supportedList)"])
            }
            let shown = URL(fileURLWithPath: path).pathExtension
            throw CommandFailure(
                .invalidInput,
                "cannot tell the format of \(path) from its extension\(shown.isEmpty ? "" : " '.\(shown)'")",
                details: ["supported: \(InputFormat.supportedList)"])
        }
        return format
    }

    /// The two sheets a CSV input names: `FOLDER/nodes.csv` and `FOLDER/edges.csv` for a folder,
    /// the file and its sibling for `nodes.csv` or `edges.csv`. Paths keep the user's spelling.
    static func csvFiles(_ path: String) throws(CommandFailure) -> (nodes: URL, edges: URL) {
        var isDirectory: ObjCBool = false
        let folder: String
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            folder = path
        } else {
            let name = URL(fileURLWithPath: path).lastPathComponent.lowercased()
            guard name == CSVSheets.nodesFileName || name == CSVSheets.edgesFileName else {
                throw CommandFailure(
                    .invalidInput, "cannot read \(path) on its own: CSV graphs are two sheets",
                    details: ["give a folder holding nodes.csv and edges.csv, or the path of nodes.csv"])
            }
            let parent = (path as NSString).deletingLastPathComponent
            folder = parent.isEmpty ? "." : parent
        }
        func join(_ name: String) -> URL {
            let prefix = folder == "." && !path.hasPrefix("./") ? "" : (folder.hasSuffix("/") ? folder : folder + "/")
            return URL(fileURLWithPath: prefix + name)
        }
        return (join(CSVSheets.nodesFileName), join(CSVSheets.edgesFileName))
    }
}
