import ArgumentParser
import EntityGraph
import EntityGraphviz
import Foundation

extension EntityGraphCommand {
    /// `entitygraph path FILE FROM TO …`: how two entities are connected.
    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how one entity leads to another, by the fewest relations.",
            discussion: """
                Each step reads —[label]→ when the path follows the relation, ←[label]— when it goes \
                against it (allowed with --ignore-direction), —[label]— for symmetric relation types. \
                Without --ignore-direction every step goes from a relation's source to its target, \
                except that a symmetric relation (allied with, spoke with, …) reads the same both ways \
                and is crossed either way. Exits with status 1 when there is no path.

                --json prints an object with from, to, length, complete and paths; each path is an array \
                of steps with from, to, relation, type, label and direction (forward or backward).

                Examples:
                  entitygraph path Graphs/zelensky-lukashenko-mozyr.json \\
                      Putin "Mozyr refinery" --ignore-direction
                  entitygraph path Graphs/zelensky-lukashenko-mozyr.json zelensky belarus --all
                  entitygraph path Graphs/zelensky-lukashenko-mozyr.json \\
                      lukashenko mozyr-refinery --json
                  entitygraph path Graphs/zelensky-lukashenko-mozyr.json putin sbu \\
                      --ignore-direction --all --render putin-sbu.svg
                """)

        @Argument(help: "The graph file (.json).", completion: .file(extensions: ["json"]))
        var file: String

        @OptionGroup
        var inputOptions: InputFormatOptions

        @Argument(help: "Where the path starts: an id, a name or an alias.")
        var from: String

        @Argument(help: "Where it ends: an id, a name or an alias.")
        var to: String

        @Flag(help: "List every shortest path (up to \(Path.limit)), not just one.")
        var all = false

        @Flag(help: "Walk relations in either direction.")
        var ignoreDirection = false

        @OptionGroup(title: "Filters")
        var filter: FilterOptions

        @Flag(help: "Print JSON instead of text.")
        var json = false

        @Option(
            name: .customLong("render"),
            help: ArgumentHelp("Also draw the path (with --all: every shortest path) to this file.", valueName: "out"),
            completion: .file())
        var renderPath: String?

        @OptionGroup
        var progress: ProgressOptions

        static let limit = 100

        func run() throws {
            let graph = try GraphInput.load(file, format: inputOptions.inputFormat)
            let resolver = EntityResolver(graph: graph, path: file)
            let source = try resolver.resolve(from)
            let target = try resolver.resolve(to)
            let queryFilter = try filter.queryFilter(for: graph)
            let output = try renderPath.map { path throws(CommandFailure) in
                try MapOutput(path: path, format: nil, reading: file)
            }
            let direction: TraversalDirection = ignoreDirection ? .both : .outgoing

            let found: ShortestPaths
            do {
                if all {
                    found = try graph.allShortestPaths(
                        from: source, to: target, direction: direction, filter: queryFilter, limit: Path.limit)
                } else {
                    let path = try graph.shortestPath(
                        from: source, to: target, direction: direction, filter: queryFilter)
                    found = ShortestPaths(paths: path.map { [$0] } ?? [], length: path?.length, isComplete: true)
                }
            } catch {
                throw CommandFailure.query(error)
            }
            guard !found.paths.isEmpty else {
                throw try noPath(graph, source, target, direction, queryFilter)
            }

            if json {
                try JSONOutput.write(PathsJSON(found, from: source, to: target, in: graph))
            } else {
                var text = ""
                if all {
                    let count =
                        found.isComplete
                        ? plural(found.paths.count, "shortest path")
                        : "the first \(found.paths.count) shortest paths"
                    let ends = TerminalText.visible("from \(graph.name(of: source)) to \(graph.name(of: target))")
                    text += "\(count) of \(plural(found.length ?? 0, "hop")) \(ends)\n"
                    // Parallel relations give paths that read the same: name their relations.
                    let lines = found.paths.map { line($0, graph) }
                    var occurrences: [String: Int] = [:]
                    for line in lines { occurrences[line, default: 0] += 1 }
                    for (number, path) in found.paths.enumerated() {
                        text += "\(number + 1). " + lines[number]
                        if occurrences[lines[number], default: 0] > 1 {
                            text += "  (" + path.relations.map(\.rawValue).joined(separator: ", ") + ")"
                        }
                        text += "\n"
                    }
                } else {
                    text += line(found.paths[0], graph) + "\n"
                }
                Console.write(text)
            }

            if let output {
                let drawn: Graph
                do {
                    if all {
                        drawn =
                            try graph.connectionGraph(
                                from: source, to: target, direction: direction, filter: queryFilter)
                            ?? graph.subgraph(entities: [source, target], relations: [])
                    } else {
                        // A relation is kept only with the entity asserting it, so keep those too.
                        let path = found.paths[0]
                        let asserters = path.relations.compactMap { graph.relations[$0]?.assertedBy }
                        drawn = graph.subgraph(entities: Set(path.entities + asserters), relations: Set(path.relations))
                    }
                } catch {
                    throw CommandFailure.query(error)
                }
                let title = "\(graph.name(of: source)) to \(graph.name(of: target))"
                try output.write(
                    drawn,
                    with: Renderer(options: .commandLine(title: title, timeout: RenderOptions.commandLineTimeout)),
                    progress: Progress(quiet: progress.quiet))
            }
        }

        /// `Vladimir Putin —[allied with]— Alexander Lukashenko —[suggested a strike on]→ Mozyr oil refinery`.
        private func line(_ path: GraphPath, _ graph: Graph) -> String {
            var text = graph.name(of: path.start)
            for step in path.steps {
                guard let relation = graph.relations[step.relation] else { continue }
                text += Describe.hop(graph.label(of: relation), step.traversal, symmetric: graph.isSymmetric(relation))
                text += graph.name(of: step.to)
            }
            return TerminalText.visible(text)
        }

        /// The failure for an unconnected pair, with a hint when ignoring direction would connect them.
        private func noPath(
            _ graph: Graph, _ source: EntityID, _ target: EntityID, _ direction: TraversalDirection,
            _ queryFilter: QueryFilter
        ) throws(CommandFailure) -> CommandFailure {
            let ends = "\(graph.name(of: source)) (\(source)) to \(graph.name(of: target)) (\(target))"
            var message = "no path from \(ends)"
            if direction == .outgoing { message += " following the relations' direction" }
            if !queryFilter.isUnrestricted { message += " with these filters" }
            var details: [String] = []
            if direction == .outgoing {
                do {
                    if let path = try graph.shortestPath(
                        from: source, to: target, direction: .both, filter: queryFilter)
                    {
                        details.append(
                            "ignoring direction they are \(plural(path.length, "hop")) apart: add --ignore-direction")
                    }
                } catch {
                    throw CommandFailure.query(error)
                }
            }
            return CommandFailure(.invalidInput, message, details: details)
        }
    }
}

/// `path --json`.
struct PathsJSON: Encodable {
    struct Step: Encodable {
        var from: String
        var to: String
        var relation: String
        var type: String
        var label: String
        /// `forward` when the step follows the relation (from its source), `backward` otherwise.
        var direction: String
    }

    var from: String
    var to: String
    var length: Int?
    /// False when more shortest paths exist than were listed.
    var complete: Bool
    var paths: [[Step]]

    init(_ found: ShortestPaths, from source: EntityID, to target: EntityID, in graph: Graph) {
        from = source.rawValue
        to = target.rawValue
        length = found.length
        complete = found.isComplete
        paths = found.paths.map { path in
            path.steps.map { step in
                let relation = graph.relations[step.relation]
                return Step(
                    from: step.from.rawValue, to: step.to.rawValue, relation: step.relation.rawValue,
                    type: relation?.type.rawValue ?? "", label: relation.map { graph.label(of: $0) } ?? "",
                    direction: step.traversal == .forward ? "forward" : "backward")
            }
        }
    }
}
