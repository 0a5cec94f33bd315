import ArgumentParser
import EntityGraph
import EntityGraphviz
import Foundation

extension EntityGraphCommand {
    /// `entitygraph convert IN OUT`: one format to another, by extension.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a graph from one format to another (formats by extension).",
            discussion: """
                IN is an EntityGraph document (.json), Graphviz DOT (.dot, .gv), GraphML (.graphml), GEXF (.gexf), \
                FollowTheMoney (.ftm.json, .ftm.jsonl, .ijson) or CSV sheets (a folder holding nodes.csv and edges.csv, or \
                the path of nodes.csv). OUT's extension picks the format: .json \
                (document, deterministic), .dot/.gv (Graphviz DOT data, readable back), .graphml, .gexf \
                (GEXF 1.3 with dates on a timeline), .cypher/.cql (Cypher CREATE script), .mmd/.mermaid \
                (Mermaid flowchart), .ftm.json (FollowTheMoney JSON lines); a folder (ending in /, or \
                existing) or nodes.csv writes nodes.csv and edges.csv. --format neo4j-csv writes nodes.csv and relationships.csv for \
                neo4j-admin import into the folder OUT. What a format cannot keep is named in \
                warnings on standard error. Files are replaced atomically.

                Examples:
                  entitygraph convert Graphs/zelensky-lukashenko-mozyr.json copy.json
                  entitygraph convert Graphs/zelensky-lukashenko-mozyr.json map.gv
                  entitygraph convert Graphs/zelensky-lukashenko-mozyr.json map.graphml
                  entitygraph convert Graphs/zelensky-lukashenko-mozyr.json sheets/
                """)

        @Argument(
            help:
                "The graph to read (.json, .gv, .graphml, .gexf, .ftm.json, or a folder with nodes.csv and edges.csv).",
            completion: .file(extensions: ["json", "dot", "gv", "graphml", "gexf", "csv", "ijson", "jsonl"]))
        var input: String

        @OptionGroup
        var inputOptions: InputFormatOptions

        @Argument(
            help:
                "The file or folder to write (.json, .dot, .gv, .graphml, .gexf, .cypher, .cql, .mmd, .ftm.json, folder/).",
            completion: .file(extensions: ["json", "dot", "gv", "graphml", "gexf", "cypher", "cql", "mmd", "mermaid"]))
        var output: String

        @Option(
            help: ArgumentHelp(
                "Write this format whatever OUT's extension: json, dot, graphml, gexf, cypher, mermaid, ftm, csv, neo4j-csv.",
                valueName: "format"))
        var format: String?

        @Flag(
            help: ArgumentHelp(
                "CSV and neo4j-csv: write cells as they are, even ones a spreadsheet would run as formulas.",
                discussion: "For programs such as neo4j-admin import. Never open such a file in a spreadsheet."))
        var rawCells = false

        /// The formats `convert` writes.
        enum OutputFormat: Equatable {
            case document
            case dot
            /// A format of the `EntityGraph` interop exporters.
            case interop(InteropFormat)

            /// The format OUT's spelling names: a folder (trailing `/` or an existing directory) is
            /// CSV sheets; otherwise by extension, from the one format registry.
            init?(path: String) {
                var isDirectory: ObjCBool = false
                if path.hasSuffix("/")
                    || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                        && isDirectory.boolValue)
                {
                    self = .interop(.csv)
                    return
                }
                guard let format = FileFormats.graphFormat(forPath: path) else { return nil }
                self.init(format)
            }

            /// The format `--format` names.
            init?(name: String) {
                guard let format = FileFormats.graphFormat(named: name) else { return nil }
                self.init(format)
            }

            private init(_ format: FileFormat) {
                if let interop = format.interop {
                    self = .interop(interop)
                } else {
                    self = format == FileFormats.dot ? .dot : .document
                }
            }

            static let supported = "supported: " + FileFormats.writableList
        }

        func run() throws {
            let chosen: OutputFormat
            if let format {
                guard let named = OutputFormat(name: format) else {
                    throw CommandFailure(
                        .invalidInput, "unknown format '\(format)'",
                        details: ["formats: " + FileFormats.graphFormats.map(\.name).joined(separator: ", ")])
                }
                chosen = named
            } else {
                guard let guessed = OutputFormat(path: output) else {
                    throw CommandFailure(
                        .invalidInput, "cannot tell which format to write \(output) in from its extension",
                        details: [OutputFormat.supported, "for pictures use 'entitygraph render'"])
                }
                chosen = guessed
            }
            // Check where the files go before reading anything: never onto an input.
            let inputs = OutputGuard.inputFiles(of: input)
            var folder: URL? = nil
            if case .interop(let interop) = chosen, interop.writesFolder {
                folder = try Convert.folder(for: output)
            } else {
                try OutputGuard.check(output, against: inputs, suggestion: "choose another OUT")
            }
            let graph = try GraphInput.load(input, format: inputOptions.inputFormat)
            let url = URL(fileURLWithPath: output)
            switch chosen {
            case .interop(let interop):
                let result = graph.export(as: interop, formulaSafety: rawCells ? .raw : .neutralize)
                for file in result.files where folder != nil {
                    try OutputGuard.check(
                        folder!.appendingPathComponent(file.name).relativePath, against: inputs,
                        suggestion: "choose another OUT folder")
                }
                do {
                    if let folder {
                        try result.write(toFolder: folder)
                    } else {
                        try result.write(to: url)
                    }
                } catch {
                    throw CommandFailure.unwritable(error)
                }
                for warning in result.warnings { Console.warn(warning) }
            case .document:
                do {
                    try GraphDocument.write(graph, to: url)
                } catch {
                    throw CommandFailure.unwritable(error)
                }
            case .dot:
                let exported: DOTExport.Output
                do {
                    exported = try DOTExport.export(graph)
                } catch {
                    throw CommandFailure(.invalidInput, "cannot write \(output) as DOT", details: [error.message])
                }
                if let failure = exported.data.withUnsafeBytes({ AtomicWrite.write($0, to: output) }) {
                    throw CommandFailure(.outputFailure, "cannot write \(output): \(failure)")
                }
                for warning in exported.warnings { Console.warn(warning) }
                let dropped = Convert.droppedByDOT(graph)
                if !dropped.isEmpty {
                    Console.warn("DOT cannot hold everything in \(input); \(output) leaves out:")
                    Console.writeError(dropped.map { "  " + $0 + "\n" }.joined())
                }
            }
        }

        /// The folder a folder format writes into: OUT itself when it ends in `/`, is a directory or
        /// has no extension; the folder holding it when OUT names `nodes.csv` or `edges.csv`.
        static func folder(for output: String) throws(CommandFailure) -> URL {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
            if output.hasSuffix("/") || (exists && isDirectory.boolValue) {
                return URL(fileURLWithPath: output, isDirectory: true)
            }
            let url = URL(fileURLWithPath: output)
            let name = url.lastPathComponent.lowercased()
            if ["nodes.csv", "edges.csv", "relationships.csv"].contains(name) {
                return url.deletingLastPathComponent()
            }
            if url.pathExtension.isEmpty, !exists { return URL(fileURLWithPath: output, isDirectory: true) }
            throw CommandFailure(
                .invalidInput, "cannot write CSV sheets to \(output): they are two files",
                details: ["give a folder (e.g. sheets/) or the path of nodes.csv"])
        }

        /// What ``DOTExport`` leaves out of `graph`, for the warning: only what the graph actually has.
        ///
        /// DOT keeps every entity and relation with their fields and attributes; it has no place for
        /// source documents, citations, the graph's description, or the labels of declared kinds and
        /// relation types.
        static func droppedByDOT(_ graph: Graph) -> [String] {
            var dropped: [String] = []
            if graph.description != nil { dropped.append("the graph description") }
            if !graph.documents.isEmpty {
                dropped.append("\(plural(graph.documents.count, "source document")) (titles, publishers, dates, URLs)")
            }
            let citations =
                graph.entities.values.reduce(0) { $0 + $1.sources.count }
                + graph.relations.values.reduce(0) { $0 + $1.sources.count }
            if citations > 0 { dropped.append("\(plural(citations, "citation"))") }
            if !graph.declaredKinds.isEmpty {
                dropped.append("the labels of \(plural(graph.declaredKinds.count, "declared kind"))")
            }
            if !graph.declaredRelationTypes.isEmpty {
                let count = plural(graph.declaredRelationTypes.count, "declared relation type")
                dropped.append("the labels, inverse labels and categories of \(count)")
            }
            return dropped
        }
    }
}
