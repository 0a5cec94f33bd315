import EntityGraph
import Foundation

/// A file format the package reads or writes: a graph format (the EntityGraph document, DOT, CSV
/// sheets, the exchange formats of ``/EntityGraph/InteropFormat``) or a map format (a picture Graphviz
/// draws, or the interactive HTML page).
public struct FileFormat: Hashable, Sendable {
    /// What a file of this format holds.
    public enum Content: Hashable, Sendable {
        /// A graph: ``FileFormat/interop`` says which exporter writes it, `nil` for the document and DOT.
        case graph
        /// A drawing, rendered by ``Renderer`` in the Graphviz format ``FileFormat/name``.
        case map
    }

    /// The name a command line uses for it (`json`, `dot`, `graphml`, `neo4j-csv`, `svg`, …).
    public var name: String
    /// The name used in messages ("EntityGraph document", "GraphML", "PNG").
    public var displayName: String
    /// File extensions, lowercased, without the dot; the first is the usual one. Empty for the folder
    /// formats.
    public var extensions: [String]
    /// A graph or a map.
    public var content: Content
    /// True when the package reads it (graph formats only).
    public var isReadable: Bool
    /// True when it is written as files into a folder (CSV sheets, neo4j-admin CSV).
    public var writesFolder: Bool
    /// The exporter that writes it, for the formats of ``/EntityGraph/InteropFormat``.
    public var interop: InteropFormat?
}

/// The one registry of formats: every extension and format name the command, ``Renderer`` and the
/// docs know comes from here. Graph formats: the EntityGraph document, DOT, and the exchange formats
/// of ``/EntityGraph/InteropFormat`` (whose own extensions it reads); map formats: the Graphviz
/// formats a path's extension can name, and the HTML page.
public enum FileFormats {
    /// The EntityGraph document (`.json`): read and written, deterministic.
    public static let document = FileFormat(
        name: "json", displayName: "EntityGraph document", extensions: ["json"], content: .graph, isReadable: true,
        writesFolder: false, interop: nil)
    /// Graphviz DOT (`.gv`, `.dot`): read with Graphviz's parser, written by ``DOTExport``.
    public static let dot = FileFormat(
        name: "dot", displayName: "Graphviz DOT", extensions: ["gv", "dot"], content: .graph, isReadable: true,
        writesFolder: false, interop: nil)

    /// Every graph format, the document first.
    public static let graphFormats: [FileFormat] =
        [document, dot]
        + InteropFormat.allCases.map { format in
            FileFormat(
                name: format.rawValue, displayName: format.displayName,
                extensions: format == .csv ? ["csv"] : format.fileExtensions, content: .graph,
                isReadable: [.csv, .graphml, .gexf, .ftm].contains(format), writesFolder: format.writesFolder,
                interop: format)
        }

    /// The map formats a path's extension names: the Graphviz format and its extensions.
    public static let mapFormats: [FileFormat] = [
        ("svg", "SVG", ["svg"]), ("html", "interactive HTML page", ["html", "htm"]), ("png", "PNG", ["png"]),
        ("pdf", "PDF", ["pdf"]), ("dot", "DOT with positions", ["gv", "dot"]), ("xdot", "xdot", ["xdot"]),
        ("json", "Graphviz JSON", ["json"]), ("plain", "plain text", ["plain", "txt"]), ("ps", "PostScript", ["ps"]),
        ("eps", "EPS", ["eps"]), ("jpg", "JPEG", ["jpg", "jpeg"]), ("gif", "GIF", ["gif"]), ("webp", "WebP", ["webp"]),
    ].map { name, displayName, extensions in
        FileFormat(
            name: name, displayName: displayName, extensions: extensions, content: .map, isReadable: false,
            writesFolder: false, interop: nil)
    }

    /// The graph format a path's extension names (`nil` when none does; folders are up to the caller).
    /// Two-part extensions (`.ftm.json`) are matched before the last part alone (`.json`).
    public static func graphFormat(forPath path: String) -> FileFormat? {
        let url = URL(fileURLWithPath: path)
        let pathExtension = url.pathExtension.lowercased()
        guard !pathExtension.isEmpty else { return nil }
        let name = url.lastPathComponent.lowercased()
        let compound = graphFormats.first { format in
            format.extensions.contains { $0.contains(".") && name.hasSuffix("." + $0) && name.count > $0.count + 1 }
        }
        return compound ?? graphFormats.first { $0.extensions.contains(pathExtension) }
    }

    /// The graph format a command line names: its name (`graphml`, `neo4j-csv`), one of its
    /// extensions (`cql`, `gv`), or an alias (`document`, `neo4j`), case-insensitive.
    public static func graphFormat(named name: String) -> FileFormat? {
        let lowered = name.lowercased()
        if lowered == "document" { return document }
        if let interop = InteropFormat(name: lowered) { return graphFormats.first { $0.interop == interop } }
        return graphFormats.first { $0.name == lowered || $0.extensions.contains(lowered) }
    }

    /// The Graphviz format (or `html`) a map file's extension names, or `nil`.
    public static func mapFormat(forExtension pathExtension: String) -> String? {
        let lowered = pathExtension.lowercased()
        return mapFormats.first { $0.extensions.contains(lowered) }?.name
    }

    /// The usual extension of a map written in the Graphviz format `format`: `svg` → `svg`, `dot` and
    /// `canon` → `gv`, `jpeg` → `jpg`; a format not listed keeps its name.
    public static func fileExtension(forMap format: String) -> String {
        switch format.lowercased() {
        case "canon", "gv": return "gv"
        case "jpe": return "jpg"
        default:
            return mapFormats.first { $0.name == format.lowercased() || $0.extensions.contains(format.lowercased()) }?
                .extensions.first ?? format.lowercased()
        }
    }

    /// "name.ext (Display name)" for each readable graph format, for messages.
    public static var readableList: String {
        graphFormats.filter(\.isReadable).map { format in
            format.writesFolder || format.interop == .csv
                ? "a folder with nodes.csv and edges.csv (or the path of nodes.csv)"
                : format.extensions.map { "." + $0 }.joined(separator: " / ") + " (\(format.displayName))"
        }.joined(separator: ", ")
    }

    /// Each writable graph format by extension (or folder), for messages.
    public static var writableList: String {
        graphFormats.map { format in
            format.interop == .neo4jCSV
                ? "--format neo4j-csv"
                : format.writesFolder
                    ? "a folder/ or nodes.csv (\(format.displayName) sheets)"
                    : format.extensions.map { "." + $0 }.joined(separator: " / ") + " (\(format.displayName))"
        }.joined(separator: ", ")
    }
}
