import EntityGraph
import EntityGraphviz
import Foundation

/// Where a drawing goes: a file (written atomically by ``Renderer/write(_:to:format:)``) or, for
/// `-`, standard output.
struct MapOutput {
    /// The path as typed, or `-` for standard output.
    var path: String
    /// The Graphviz format.
    var format: String

    var isStandardOutput: Bool { path == "-" }

    /// The output for `-o PATH` / `--render PATH` and an optional `--format`: the format is the one
    /// given, else the one PATH's extension names, else SVG for standard output.
    ///
    /// Fails when PATH is the file `input` names (or one of its CSV sheets): no command overwrites
    /// what it reads.
    init(path: String, format explicitFormat: String?, reading input: String) throws(CommandFailure) {
        try OutputGuard.check(path, against: OutputGuard.inputFiles(of: input))
        self.path = path
        if let explicitFormat {
            format = explicitFormat.lowercased()
        } else if path == "-" {
            format = "svg"
        } else {
            let pathExtension = URL(fileURLWithPath: path).pathExtension
            guard let found = Renderer.format(forExtension: pathExtension) else {
                throw CommandFailure(
                    .invalidInput,
                    pathExtension.isEmpty
                        ? "cannot tell the output format of \(path): it has no extension"
                        : "cannot tell the output format of \(path) from '.\(pathExtension)'",
                    details: ["name the file .svg, .png, .pdf, .dot/.gv, .json, … or give --format"])
            }
            format = found
        }
    }

    /// The default output of `render`: FILE's base name with the format's extension, in the
    /// current directory (`Graphs/map.json` → `./map.svg`).
    static func defaultPath(for input: String, format: String) -> String {
        let base = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        return base + "." + fileExtension(for: format)
    }

    /// The usual file extension of a Graphviz format (from the one format registry).
    static func fileExtension(for format: String) -> String {
        FileFormats.fileExtension(forMap: format)
    }

    /// Renders `graph` and writes it; nothing is written when rendering fails. Takes the graph over, so
    /// that a file render can free the model before the layout (see `Renderer.write(_:to:format:)`).
    func write(_ graph: consuming Graph, with renderer: Renderer, progress: Progress) throws(CommandFailure) {
        let engine = renderer.options.effectiveEngine(for: graph)
        let stage = "laying out \(plural(graph.entities.count, "entity", "entities")) with \(engine)"
        var pending: Graph? = consume graph
        do {
            let warnings: [String]
            if isStandardOutput {
                let output = try progress.run(stage) { () throws(GraphvizError) in
                    try renderer.renderDetailed(pending.take()!, formats: [format])[0]
                }
                Console.write(output.data)
                warnings = output.warnings
            } else {
                let output = try progress.run(stage) { () throws(GraphvizError) in
                    try renderer.write(pending.take()!, to: URL(fileURLWithPath: path), format: format)
                }
                warnings = output.warnings
            }
            for warning in warnings { Console.warn(warning) }
        } catch {
            throw CommandFailure.render(error)
        }
    }
}

extension RenderOptions {
    /// The command's render options: Graphviz always runs in a worker (a copy of this executable started
    /// with `LayoutWorker.argument`), so a Graphviz crash is a render error, and with a deadline.
    static func commandLine(engine: String? = nil, title: String? = nil, timeout: Double?) -> RenderOptions {
        var options = RenderOptions(engine: engine, title: title)
        options.isolation = .workers(commandLineWorkers)
        options.timeout = timeout.flatMap { $0 > 0 ? Duration.milliseconds(Int64(($0 * 1000).rounded())) : nil }
        return options
    }

    /// The default `--timeout`, in seconds.
    static let commandLineTimeout = 120.0
}

/// The worker pool of the `entitygraph` command: itself, serving as a layout worker.
let commandLineWorkers = LayoutWorkerPool(
    executable: LayoutWorkerPool.runningExecutable ?? URL(fileURLWithPath: CommandLine.arguments[0]),
    arguments: [LayoutWorker.argument])
