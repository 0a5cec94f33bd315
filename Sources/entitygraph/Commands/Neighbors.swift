import ArgumentParser
import EntityGraph
import EntityGraphviz
import Foundation

extension EntityGraphCommand {
    /// `entitygraph neighbors FILE ENTITY …`: who is next to an entity, and through what.
    struct Neighbors: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "neighbors",
            abstract: "List the entities linked to an entity, with the relations that link them.",
            discussion: """
                The table has one row per relation. DIR is → when ENTITY is the relation's source, ← when \
                it is its target, — when the relation type is symmetric; RELATION reads from source to \
                target. With --depth K above 1 the table lists every entity within K hops, nearest first, \
                with the relations that reach it from one hop closer (LINK, in the notation of 'path').

                --json prints an array of objects with id, name, kind, hops and relations (each with id, \
                type, label, direction, since, until, certainty, assertedBy; direction is out when the \
                nearer entity is the source).

                Examples:
                  entitygraph neighbors Graphs/zelensky-lukashenko-mozyr.json Lukashenko
                  entitygraph neighbors Graphs/zelensky-lukashenko-mozyr.json volodya \\
                      --direction in --certainty claimed
                  entitygraph neighbors Graphs/zelensky-lukashenko-mozyr.json \\
                      "Mozyr refinery" --depth 2 --render mozyr.svg
                  entitygraph neighbors Graphs/zelensky-lukashenko-mozyr.json putin \\
                      --as-of 2022 --json
                """,
            aliases: ["neighbours"])

        @Argument(help: "The graph file (.json).", completion: .file(extensions: ["json"]))
        var file: String

        @OptionGroup
        var inputOptions: InputFormatOptions

        @Argument(help: "The entity: an id, a name or an alias.")
        var entity: String

        @Option(
            help: "Which relations to follow: out of ENTITY, into it, or both (symmetric ones: always both ways).")
        var direction: DirectionArgument = .both

        @Option(help: ArgumentHelp("How many hops to go.", valueName: "k"))
        var depth = 1

        @OptionGroup(title: "Filters")
        var filter: FilterOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Option(
            name: .customLong("render"),
            help: ArgumentHelp(
                "Also draw the neighbourhood to this file (format from its extension).", valueName: "out"),
            completion: .file())
        var renderPath: String?

        @OptionGroup
        var progress: ProgressOptions

        func validate() throws {
            if depth < 1 { throw ValidationError("--depth must be 1 or more (got \(depth))") }
        }

        func run() throws {
            let graph = try GraphInput.load(file, format: inputOptions.inputFormat)
            let center = try EntityResolver(graph: graph, path: file).resolve(entity)
            let queryFilter = try filter.queryFilter(for: graph)
            let output = try renderPath.map { path throws(CommandFailure) in
                try MapOutput(path: path, format: nil, reading: file)
            }

            let rows: [Row]
            let neighbourhood: Graph?
            do {
                if depth == 1 {
                    rows = try graph.neighbors(of: center, direction: direction.traversal, filter: queryFilter)
                        .map { Row(entity: $0.entity, hops: 1, links: $0.links) }
                    // The drawing needs the ego graph (it also holds the relations among the neighbours).
                    neighbourhood = try output.map { _ throws(QueryError) in
                        try graph.egoGraph(
                            around: center, radius: 1, direction: direction.traversal, filter: queryFilter)
                    }
                } else {
                    let ego = try graph.egoGraph(
                        around: center, radius: depth, direction: direction.traversal, filter: queryFilter)
                    rows = try Neighbors.layers(
                        of: ego, around: center, direction: direction.traversal, filter: queryFilter)
                    neighbourhood = ego
                }
            } catch {
                throw CommandFailure.query(error)
            }

            if json {
                try JSONOutput.write(rows.map { NeighborJSON($0, in: graph) })
            } else {
                Console.write(table(rows, graph: graph, center: center))
            }

            if let output, let neighbourhood {
                let title = "Around \(graph.name(of: center))"
                try output.write(
                    neighbourhood,
                    with: Renderer(options: .commandLine(title: title, timeout: RenderOptions.commandLineTimeout)),
                    progress: Progress(quiet: progress.quiet))
            }
        }

        /// One entity of the result and the relations that reach it from one hop closer.
        struct Row {
            var entity: EntityID
            /// Hops from the centre; `nil` for an entity that is in the neighbourhood only because it
            /// asserts one of its relations.
            var hops: Int?
            /// Seen from the nearer entity: ``Traversal/forward`` when the nearer entity is the source.
            var links: [Neighbor.Link]
        }

        /// The entities of `ego` other than `center`, nearest first (then in graph order), each with
        /// the relations that reach it from an entity one hop nearer.
        static func layers(
            of ego: Graph, around center: EntityID, direction: TraversalDirection, filter: QueryFilter
        ) throws(QueryError) -> [Row] {
            var hops: [EntityID: Int] = [:]
            let rings = try ego.neighborhoodRings(
                of: center, radius: ego.entities.count, direction: direction, filter: filter)
            for (distance, ring) in rings.enumerated() {
                for id in ring { hops[id] = distance }
            }
            let backwards: TraversalDirection
            switch direction {
            case .outgoing: backwards = .incoming
            case .incoming: backwards = .outgoing
            case .both: backwards = .both
            }
            // The ego graph holds only admitted entities; the nearer one may be the centre, whatever its kind.
            var lookBack = filter
            lookBack.entityKinds = nil
            var rows: [Row] = []
            for id in ego.entities.keys where id != center {
                guard let distance = hops[id] else {
                    rows.append(Row(entity: id, hops: nil, links: []))
                    continue
                }
                let links = try ego.neighbors(of: id, direction: backwards, filter: lookBack)
                    .filter { hops[$0.entity] == distance - 1 }
                    .flatMap(\.links)
                    .map {
                        Neighbor.Link(relation: $0.relation, traversal: $0.traversal == .forward ? .backward : .forward)
                    }
                rows.append(Row(entity: id, hops: distance, links: links))
            }
            // Stable: nearest first, graph order within a layer, asserting entities last.
            return rows.enumerated().sorted { lhs, rhs in
                let (a, b) = (lhs.element.hops ?? .max, rhs.element.hops ?? .max)
                return a != b ? a < b : lhs.offset < rhs.offset
            }.map(\.element)
        }

        private func table(_ rows: [Row], graph: Graph, center: EntityID) -> String {
            let centerName = TerminalText.visible("\(graph.name(of: center)) (\(center))")
            let relationCount = rows.reduce(0) { $0 + $1.links.count }
            guard !rows.isEmpty else {
                return "\(centerName) has no neighbours" + (filterNote.isEmpty ? "" : " " + filterNote) + "\n"
            }
            var text: String
            if depth == 1 {
                text = "\(centerName): \(plural(rows.count, "neighbour")), \(plural(relationCount, "relation"))\n\n"
                var table = TextTable("NEIGHBOUR", "ID", "KIND", "DIR", "RELATION", "DATES", "CERTAINTY", "ASSERTED BY")
                for row in rows {
                    let entity = graph.entities[row.entity]
                    for (position, link) in row.links.enumerated() {
                        guard let relation = graph.relations[link.relation] else { continue }
                        let first = position == 0
                        table.append([
                            first ? entity?.name ?? row.entity.rawValue : "",
                            first ? row.entity.rawValue : "",
                            first ? entity?.kind.rawValue ?? "" : "",
                            Describe.arrow(link.traversal, symmetric: graph.isSymmetric(relation)),
                            graph.label(of: relation),
                            Describe.dates(relation),
                            relation.certainty.rawValue,
                            relation.assertedBy.map { graph.name(of: $0) } ?? "",
                        ])
                    }
                }
                text += table.rendered
            } else {
                text = "\(centerName): \(plural(rows.count, "entity", "entities")) within \(plural(depth, "hop"))\n\n"
                var table = TextTable("HOPS", "NAME", "ID", "KIND", "LINK")
                for row in rows {
                    let entity = graph.entities[row.entity]
                    table.append([
                        row.hops.map(String.init) ?? "-",
                        entity?.name ?? row.entity.rawValue,
                        row.entity.rawValue,
                        entity?.kind.rawValue ?? "",
                        reachedFrom(row, graph: graph),
                    ])
                }
                text += table.rendered
            }
            return text
        }

        /// How the row's entity hangs off the nearer one, in `path` notation with the row's entity left
        /// out: `Alexander Lukashenko —[leads]→` (the nearer entity is the source) or
        /// `—[suggested a strike on]→ Mozyr oil refinery` (the row's entity is). Several joined with `; `.
        private func reachedFrom(_ row: Row, graph: Graph) -> String {
            guard row.hops != nil else { return "(asserts a relation shown)" }
            return row.links.compactMap { link -> String? in
                guard let relation = graph.relations[link.relation] else { return nil }
                let symmetric = graph.isSymmetric(relation)
                let label = graph.label(of: relation)
                if link.traversal == .forward {
                    let hop = Describe.hop(label, .forward, symmetric: symmetric)
                    return graph.name(of: relation.source) + hop.dropLast()
                } else {
                    let hop = Describe.hop(label, .forward, symmetric: symmetric)
                    return hop.dropFirst() + graph.name(of: relation.target)
                }
            }.joined(separator: "; ")
        }

        private var filterNote: String {
            var parts: [String] = []
            if direction != .both { parts.append("--direction \(direction.rawValue)") }
            if !filter.types.isEmpty || !filter.kinds.isEmpty || !filter.certainties.isEmpty || filter.onlyConfirmed
                || filter.asOf != nil
            {
                parts.append("the filters")
            }
            return parts.isEmpty ? "" : "with " + parts.joined(separator: " and ")
        }
    }
}

/// One neighbour in `neighbors --json`.
struct NeighborJSON: Encodable {
    var id: String
    var name: String
    var kind: String
    var hops: Int?
    var relations: [RelationJSON]

    init(_ row: EntityGraphCommand.Neighbors.Row, in graph: Graph) {
        id = row.entity.rawValue
        name = graph.name(of: row.entity)
        kind = graph.entities[row.entity]?.kind.rawValue ?? ""
        hops = row.hops
        relations = row.links.compactMap { link in
            graph.relations[link.relation].map { RelationJSON($0, traversal: link.traversal, in: graph) }
        }
    }

    enum CodingKeys: String, CodingKey { case id, name, kind, hops, relations }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(hops, forKey: .hops)
        try container.encode(relations, forKey: .relations)
    }
}
