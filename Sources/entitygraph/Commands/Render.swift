import ArgumentParser
import EntityGraph
import EntityGraphviz
import Foundation

extension EntityGraphCommand {
    /// `entitygraph render FILE [-o OUT] …`: draws a map.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a graph as SVG, PNG, PDF, DOT or any format Graphviz has.",
            discussion: """
                The format comes from --format, else from OUT's extension, else SVG. Without -o the map \
                is written to FILE's base name with the format's extension in the current directory \
                (Graphs/x.json -> ./x.svg); -o - writes to standard output. Files are replaced \
                atomically: a failed render leaves an existing OUT untouched. Nothing is printed on \
                success.

                Examples:
                  entitygraph render Graphs/zelensky-lukashenko-mozyr.json \\
                      -o map.svg --cluster-by country
                  entitygraph render Graphs/zelensky-lukashenko-mozyr.json \\
                      -o map.png --engine neato
                  entitygraph render Graphs/zelensky-lukashenko-mozyr.json \\
                      -o - --focus Lukashenko --depth 2 > lukashenko.svg
                  entitygraph render Graphs/zelensky-lukashenko-mozyr.json \\
                      -o 2022.pdf --as-of 2022 --only-confirmed
                """)

        @Argument(help: "The graph file (.json).", completion: .file(extensions: ["json"]))
        var file: String

        @OptionGroup
        var inputOptions: InputFormatOptions

        @Option(
            name: [.short, .customLong("output")],
            help: ArgumentHelp("Where to write the map; - for standard output.", valueName: "out"),
            completion: .file())
        var output: String?

        @Option(
            help:
                "Output format: svg, png, pdf, html (interactive page), dot, canon (DOT without positions), json, … (see 'engines')."
        )
        var format: String?

        @Option(
            help: """
                Layout engine: dot, neato, fdp, sfdp, circo, twopi, … \
                (default: dot up to 150 entities and 400 relations, sfdp beyond).
                """
        )
        var engine: String?

        @Option(
            help: ArgumentHelp("A theme file (JSON) over the standard theme.", valueName: "theme.json"),
            completion: .file(extensions: ["json"]))
        var theme: String?

        @Option(
            help: ArgumentHelp("Box entities by 'kind' or by an attribute such as country.", valueName: "attribute"))
        var clusterBy: String?

        @Option(help: ArgumentHelp("Draw only the neighbourhood of this entity.", valueName: "entity"))
        var focus: String?

        @Option(help: ArgumentHelp("With --focus: how many hops around it.", valueName: "k"))
        var depth: Int?

        @OptionGroup(title: "Filters")
        var filter: FilterOptions

        @Option(help: "The title drawn on the map ('' for none; default: the file's title).")
        var title: String?

        @Option(
            help: "The line under the title ('' for none; default: what the filters and --focus show).")
        var subtitle: String?

        @Flag(help: "Draw each relation as its own edge (default: one edge per pair and direction).")
        var separateRelations = false

        @Option(
            help: ArgumentHelp(
                "Scale the map for publication: article (1600 px wide) or slide (1920×1080).", valueName: "size"))
        var size: ScreenSize?

        @Option(help: ArgumentHelp("Scale the map to a printed page (for PDF): a4 or letter.", valueName: "paper"))
        var page: MapSize.Paper?

        @Flag(help: "Fold leaf entities into a badge on their neighbour (\"+3 places\"), listed in its tooltip.")
        var summarize = false

        @Flag(help: "With --page: turn the page sideways.")
        var landscape = false

        @Option(help: ArgumentHelp("Pixels per inch of PNG output (default 96).", valueName: "n"))
        var dpi: Double?

        @Option(
            help: ArgumentHelp(
                "Stop the layout after this many seconds (0: no limit).", valueName: "seconds"))
        var timeout: Double = RenderOptions.commandLineTimeout

        @OptionGroup
        var progress: ProgressOptions

        func validate() throws {
            if let depth, depth < 0 { throw ValidationError("--depth must be 0 or more (got \(depth))") }
            if depth != nil, focus == nil { throw ValidationError("--depth needs --focus ENTITY") }
            if size != nil, page != nil { throw ValidationError("--size and --page cannot be combined; choose one") }
            if landscape, page == nil { throw ValidationError("--landscape needs --page a4|letter") }
            if let dpi, !(10...2400).contains(dpi) {
                throw ValidationError("--dpi must be between 10 and 2400 (got \(dpi))")
            }
            if !(timeout >= 0) || !timeout.isFinite {
                throw ValidationError("--timeout must be a number of seconds, 0 or more (got \(timeout))")
            }
        }

        func run() throws {
            // Where the map goes is settled before anything is read: never onto the input itself.
            let destination: MapOutput
            if let output {
                destination = try MapOutput(path: output, format: format, reading: file)
            } else {
                let chosen = format?.lowercased() ?? "svg"
                destination = try MapOutput(
                    path: MapOutput.defaultPath(for: file, format: chosen), format: chosen, reading: file)
            }
            var graph = try GraphInput.load(file, format: inputOptions.inputFormat)
            let queryFilter = try filter.queryFilter(for: graph)
            var options = RenderOptions.commandLine(engine: engine, title: title, timeout: timeout)
            if let focus {
                let center = try EntityResolver(graph: graph, path: file).resolve(focus)
                let subtitleText =
                    subtitle
                    ?? MapSubtitle.describing(
                        filter: queryFilter, focus: graph.entities[center]?.name ?? center.rawValue,
                        depth: depth ?? 1, in: graph)
                do {
                    graph = try graph.egoGraph(around: center, radius: depth ?? 1, filter: queryFilter)
                } catch {
                    throw CommandFailure.query(error)
                }
                options.subtitle = subtitleText
            } else {
                options.subtitle = subtitle ?? MapSubtitle.describing(filter: queryFilter, in: graph)
                if !queryFilter.isUnrestricted { graph = graph.filtered(by: queryFilter) }
            }

            options.separateRelations = separateRelations
            options.dpi = dpi
            options.summarize = summarize
            if let page {
                options.size = .page(page, landscape: landscape)
            } else if let size {
                options.size = size == .article ? .article : .slide
            }
            if let theme {
                do {
                    options.theme = try Theme.load(from: URL(fileURLWithPath: theme))
                } catch {
                    throw CommandFailure(.invalidInput, "cannot use the theme: \(error)")
                }
            }
            switch clusterBy {
            case nil: break
            case "kind": options.clustering = .kind
            case let attribute?: options.clustering = .attribute(attribute)
            }

            try destination.write(
                consume graph, with: Renderer(options: options), progress: Progress(quiet: progress.quiet))
        }
    }
}

/// The screen sizes `render --size` takes.
enum ScreenSize: String, ExpressibleByArgument, CaseIterable {
    case article, slide
}

extension MapSize.Paper: ExpressibleByArgument {}
