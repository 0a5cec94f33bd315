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
                .json → .json rewrites the document deterministically (same graph, same bytes). \
                .json → .dot or .gv writes Graphviz DOT without positions (Graphviz's canon format), \
                keeping ids, names, kinds, relation types, dates and certainty as labels, classes and \
                tooltips; what DOT cannot keep is named in a warning. OUT is replaced atomically.

                Examples:
                  entitygraph convert Graphs/zelensky-lukashenko-mozyr.json copy.json
                  entitygraph convert Graphs/zelensky-lukashenko-mozyr.json map.gv
                """)

        @Argument(help: "The graph to read (.json).", completion: .file(extensions: ["json"]))
        var input: String

        @Argument(help: "The file to write (.json, .dot, .gv).", completion: .file(extensions: ["json", "dot", "gv"]))
        var output: String

        @OptionGroup
        var progress: ProgressOptions

        /// The formats `convert` writes.
        enum OutputFormat {
            case document
            case dot

            init?(path: String) {
                switch URL(fileURLWithPath: path).pathExtension.lowercased() {
                case "json": self = .document
                case "dot", "gv": self = .dot
                default: return nil
                }
            }
        }

        func run() throws {
            guard let format = OutputFormat(path: output) else {
                throw CommandFailure(
                    .invalidInput, "cannot tell which format to write \(output) in from its extension",
                    details: [
                        "supported: .json (EntityGraph document), .dot / .gv (Graphviz DOT)",
                        "for pictures use 'entitygraph render'",
                    ])
            }
            let graph = try GraphInput.load(input)
            let url = URL(fileURLWithPath: output)
            switch format {
            case .document:
                do {
                    try GraphDocument.write(graph, to: url)
                } catch {
                    throw CommandFailure(
                        .invalidInput, "cannot write \(output)", details: error.issues.map(\.description))
                }
            case .dot:
                var theme = Theme.standard
                theme.showLegend = false
                let destination = MapOutput(dotTo: output)
                try destination.write(
                    graph, with: Renderer(options: RenderOptions(theme: theme)),
                    progress: Progress(quiet: progress.quiet))
                let dropped = Convert.droppedByDOT(graph)
                if !dropped.isEmpty {
                    Console.warn("DOT cannot hold everything in \(input); \(output) leaves out:")
                    Console.writeError(dropped.map { "  " + $0 + "\n" }.joined())
                }
            }
        }

        /// What a DOT export leaves out of `graph`, for the warning: only what the graph actually has.
        ///
        /// DOT keeps names, kinds, relation types, dates, certainty and asserting entities as
        /// labels, classes and tooltips; aliases, descriptions and sources survive only as tooltip text.
        static func droppedByDOT(_ graph: Graph) -> [String] {
            var dropped: [String] = []
            if graph.description != nil { dropped.append("the graph description") }
            if !graph.attributes.isEmpty { dropped.append("graph attributes") }
            if !graph.documents.isEmpty {
                dropped.append("\(plural(graph.documents.count, "source document")) (titles, publishers, dates, URLs)")
            }
            let citations =
                graph.entities.values.reduce(0) { $0 + $1.sources.count }
                + graph.relations.values.reduce(0) { $0 + $1.sources.count }
            if citations > 0 { dropped.append("\(plural(citations, "citation")) (kept only as tooltip text)") }
            let aliases = graph.entities.values.reduce(0) { $0 + $1.aliases.count }
            if aliases > 0 { dropped.append("\(plural(aliases, "alias", "aliases")) (kept only as tooltip text)") }
            let attributes =
                graph.entities.values.reduce(0) { $0 + $1.attributes.count }
                + graph.relations.values.reduce(0) { $0 + $1.attributes.count }
            if attributes > 0 {
                dropped.append("\(plural(attributes, "entity and relation attribute")) (except url links)")
            }
            if !graph.declaredKinds.isEmpty {
                dropped.append("\(plural(graph.declaredKinds.count, "kind declaration"))")
            }
            if !graph.declaredRelationTypes.isEmpty {
                let count = plural(graph.declaredRelationTypes.count, "relation type declaration")
                dropped.append("\(count) (inverse labels, categories)")
            }
            return dropped
        }
    }
}

extension MapOutput {
    /// DOT without positions (Graphviz's `canon` format) to `path`.
    init(dotTo path: String) {
        self.path = path
        self.format = "canon"
    }
}
