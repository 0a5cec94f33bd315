import EntityGraph
import Foundation

/// The formats a FILE argument can be in, chosen by extension (or, for CSV, by being a folder).
///
/// Adding a format is one case here and one branch in ``GraphInput/load(_:)`` and
/// ``GraphInput/issues(in:)``.
enum InputFormat: CaseIterable {
    /// An EntityGraph document (`.json`).
    case document
    /// Graphviz DOT (`.dot`, `.gv`), read through Graphviz's own parser.
    case dot
    /// A folder holding `nodes.csv` and `edges.csv`.
    case csvFolder

    /// What a user types to get this format, for messages.
    var spelling: String {
        switch self {
        case .document: return ".json (EntityGraph document)"
        case .dot: return ".dot / .gv (Graphviz DOT)"
        case .csvFolder: return "a folder with nodes.csv and edges.csv"
        }
    }

    /// False for the formats announced but not read by this version yet.
    var isAvailable: Bool {
        switch self {
        case .document: return true
        case .dot, .csvFolder: return false
        }
    }

    /// The formats this version reads, for messages.
    static var supportedList: String {
        allCases.filter(\.isAvailable).map(\.spelling).joined(separator: ", ")
    }

    /// The format of `path`, or `nil` when the extension is not one we know.
    init?(path: String, isDirectory: Bool) {
        if isDirectory {
            self = .csvFolder
            return
        }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "json": self = .document
        case "dot", "gv": self = .dot
        default: return nil
        }
    }
}

/// Reads FILE arguments into graphs, turning every problem into a ``CommandFailure``.
enum GraphInput {
    /// Reads the graph in `path` (as typed by the user, so messages show it that way).
    static func load(_ path: String) throws(CommandFailure) -> Graph {
        switch try format(of: path) {
        case .document:
            do {
                return try GraphDocument.read(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw CommandFailure.invalidDocument(path, error)
            }
        case let format:
            throw notAvailable(format, path)
        }
    }

    /// Every problem in `path`, errors and warnings, in file order.
    static func issues(in path: String) throws(CommandFailure) -> [ValidationIssue] {
        switch try format(of: path) {
        case .document:
            return GraphDocument.validate(contentsOf: URL(fileURLWithPath: path))
        case let format:
            throw notAvailable(format, path)
        }
    }

    /// The format of `path`, or a failure when it does not exist or has an unknown extension.
    static func format(of path: String) throws(CommandFailure) -> InputFormat {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure(.invalidInput, "no such file: \(path)")
        }
        guard let format = InputFormat(path: path, isDirectory: isDirectory.boolValue) else {
            let shown = URL(fileURLWithPath: path).pathExtension
            throw CommandFailure(
                .invalidInput,
                "cannot tell the format of \(path) from its extension\(shown.isEmpty ? "" : " '.\(shown)'")",
                details: ["supported: \(InputFormat.supportedList)"])
        }
        return format
    }

    private static func notAvailable(_ format: InputFormat, _ path: String) -> CommandFailure {
        let name: String
        switch format {
        case .dot: name = "DOT import"
        case .csvFolder: name = "CSV import (nodes.csv + edges.csv)"
        case .document: name = "this format"
        }
        return CommandFailure(
            .invalidInput, "\(name) is not available yet in this version (reading \(path))",
            details: ["supported: \(InputFormat.supportedList)"])
    }
}
