import ArgumentParser
import EntityGraph
import Foundation

extension EntityGraphCommand {
    /// `entitygraph info FILE`: what a graph holds.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarize a graph: counts by kind and type, most connected, components, dates.",
            discussion: """
                --json prints an object with title, entities, relations, documents, entitiesByKind, \
                relationsByType, mostConnected (id, name, degree, incoming, outgoing), components (sizes) \
                and dates (earliest, latest; null when nothing is dated).

                Examples:
                  entitygraph info Graphs/zelensky-lukashenko-mozyr.json
                  entitygraph info Graphs/zelensky-lukashenko-mozyr.json --json
                """)

        @Argument(help: "The graph file (.json).", completion: .file(extensions: ["json"]))
        var file: String

        @OptionGroup
        var inputOptions: InputFormatOptions

        @Option(help: ArgumentHelp("How many of the most connected entities to list.", valueName: "n"))
        var top = 5

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            if top < 0 { throw ValidationError("--top must be 0 or more (got \(top))") }
        }

        func run() throws {
            let graph = try GraphInput.load(file, format: inputOptions.inputFormat)
            let statistics = graph.statistics()
            let summary = InfoJSON(graph, statistics, top: top)
            if json {
                try JSONOutput.write(summary)
                return
            }

            var text = TerminalText.visible(graph.title ?? file) + "\n"
            text +=
                "\(plural(statistics.entityCount, "entity", "entities")), "
                + "\(plural(statistics.relationCount, "relation")), "
                + "\(plural(graph.documents.count, "source document"))\n"

            text += "\nEntities by kind\n"
            var kinds = TextTable("KIND", "COUNT", "LABEL")
            for (kind, count) in statistics.entitiesByKind {
                kinds.append([kind.rawValue, String(count), graph.kind(kind)?.label ?? ""])
            }
            text += indent(kinds.rendered)

            text += "\nRelations by type\n"
            var types = TextTable("TYPE", "COUNT", "LABEL")
            for (type, count) in statistics.relationsByType {
                types.append([type.rawValue, String(count), graph.relationType(type)?.label ?? ""])
            }
            text += indent(types.rendered)

            if !summary.mostConnected.isEmpty {
                text += "\nMost connected\n"
                var ranked = TextTable("NAME", "ID", "RELATIONS", "OUT", "IN")
                for entry in summary.mostConnected {
                    ranked.append([
                        entry.name, entry.id, String(entry.degree), String(entry.outgoing), String(entry.incoming),
                    ])
                }
                text += indent(ranked.rendered)
            }

            let sizes = statistics.componentSizes
            text += "\nComponents: \(sizes.count)"
            if sizes.count > 1 {
                let shown = sizes.prefix(10).map(String.init).joined(separator: ", ")
                text += " (sizes \(shown)\(sizes.count > 10 ? ", …" : ""))"
            }
            text += "\n"
            if let span = statistics.dateSpan {
                text += "Dates: \(span.earliest) – \(span.latest)\n"
            } else {
                text += "Dates: none\n"
            }
            Console.write(text)
        }

        private func indent(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }
                .joined(separator: "\n")
        }
    }
}

/// `info --json`.
struct InfoJSON: Encodable {
    struct Count: Encodable {
        var id: String
        var count: Int
    }
    struct Ranked: Encodable {
        var id: String
        var name: String
        var degree: Int
        var incoming: Int
        var outgoing: Int
    }
    struct Dates: Encodable {
        var earliest: String
        var latest: String
    }

    var title: String?
    var entities: Int
    var relations: Int
    var documents: Int
    var entitiesByKind: [Count]
    var relationsByType: [Count]
    var mostConnected: [Ranked]
    var components: [Int]
    var dates: Dates?

    init(_ graph: Graph, _ statistics: GraphStatistics, top: Int) {
        title = graph.title
        entities = statistics.entityCount
        relations = statistics.relationCount
        documents = graph.documents.count
        entitiesByKind = statistics.entitiesByKind.map { Count(id: $0.key.rawValue, count: $0.value) }
        relationsByType = statistics.relationsByType.map { Count(id: $0.key.rawValue, count: $0.value) }
        mostConnected = statistics.mostConnected(top).map { entry in
            Ranked(
                id: entry.entity.rawValue, name: graph.name(of: entry.entity), degree: entry.degree.total,
                incoming: entry.degree.incoming, outgoing: entry.degree.outgoing)
        }
        components = statistics.componentSizes
        dates = statistics.dateSpan.map { Dates(earliest: $0.earliest.description, latest: $0.latest.description) }
    }

    enum CodingKeys: String, CodingKey {
        case title, entities, relations, documents, entitiesByKind, relationsByType, mostConnected, components, dates
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(entities, forKey: .entities)
        try container.encode(relations, forKey: .relations)
        try container.encode(documents, forKey: .documents)
        try container.encode(entitiesByKind, forKey: .entitiesByKind)
        try container.encode(relationsByType, forKey: .relationsByType)
        try container.encode(mostConnected, forKey: .mostConnected)
        try container.encode(components, forKey: .components)
        try container.encode(dates, forKey: .dates)
    }
}
