import EntityGraph
import Foundation

/// Renders ``/EntityGraph/Graph``s to SVG, PNG, PDF, DOT and the other formats the installed Graphviz has,
/// through Graphviz's C libraries — in layout worker processes where the worker executable is
/// available (``RenderOptions/isolation``), so that a Graphviz crash fails one render with a
/// ``GraphvizError`` instead of ending the process.
///
/// A `Renderer` is a `Sendable` value; use one from any number of tasks. In each process every
/// Graphviz call is serialized on one lock (Graphviz itself is not thread-safe), so concurrent renders
/// are safe and give the same bytes as sequential ones; with workers, up to one render per worker runs
/// at once.
///
/// ```swift
/// let graph = try GraphDocument.read(contentsOf: URL(fileURLWithPath: "Graphs/zelensky-lukashenko-mozyr.json"))
/// let svg = try Renderer().render(graph, format: "svg")
/// ```
public struct Renderer: Sendable {
    /// Theme, engine, clustering and title used by every render of this renderer.
    public var options: RenderOptions

    /// Creates a renderer that draws with `options`.
    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Creates a renderer that draws with `theme` and default options otherwise.
    public init(theme: Theme) {
        self.options = RenderOptions(theme: theme)
    }

    /// The result of one render: the bytes and what is worth telling the user.
    public struct Output: Sendable, Hashable {
        /// The rendered bytes; empty for ``Renderer/write(_:to:format:)``, which has written them to the file.
        public var data: Data
        /// The layout engine used (chosen by size when none was given).
        public var engine: String
        /// The output format, e.g. `svg`.
        public var format: String
        /// Things that did not stop the render, e.g. a link with a refused URL scheme.
        public var warnings: [String]
    }

    /// Renders `graph` to `format` (`svg`, `png`, `pdf`, `dot` with positions, `canon` without,
    /// `xdot`, `json`, `plain`, …, and `html`: a self-contained interactive page around the SVG map —
    /// search, neighbour highlighting, tooltips, a date slider and a legend; see ``htmlFormat``).
    ///
    /// Throws ``GraphvizError`` (stage, engine, format and Graphviz's own messages); nothing is
    /// printed to stderr and the next render is unaffected. With layout workers a crash, an `exit` or
    /// an overrun ``RenderOptions/timeout`` is an error too (``GraphvizError/Code/workerCrashed``,
    /// ``GraphvizError/Code/workerFailed``, ``GraphvizError/Code/timedOut``), and cancelling the task
    /// stops the layout (``GraphvizError/Code/cancelled``).
    public func render(_ graph: Graph, format: String) throws(GraphvizError) -> Data {
        try renderDetailed(graph, formats: [format])[0].data
    }

    /// The name of the interactive HTML format (`"html"`): one self-contained page (no network, no
    /// external scripts or fonts; works from a `file://` URL) holding the SVG map and a small script —
    /// a search box (names and aliases, case- and diacritic-insensitive) that selects and centres an
    /// entity; clicking an entity highlights its neighbours and relations and dims the rest; tooltips
    /// with description, dates, certainty and sources; a date field and slider that show the map as of
    /// a day; a legend; zoom and pan. User text is escaped everywhere and a Content-Security-Policy lets
    /// only the page's own script run. The SVG inside is drawn without Graphviz's legend box and title
    /// (the page has its own) and with one edge per relation (``RenderOptions/separateRelations``), so
    /// that its script can show and highlight each; requesting `html` with another format therefore costs
    /// a second layout.
    public static let htmlFormat = "html"

    /// Renders `graph` into several formats from a single layout; outputs follow `formats`' order.
    public func renderDetailed(_ graph: consuming Graph, formats: [String]) throws(GraphvizError) -> [Output] {
        let graphvizFormats = formats.filter { $0 != Renderer.htmlFormat }
        var outputs: [String: Output] = [:]
        // The page first, so that the graph's last use is the plan below: a caller that handed it over
        // has the model freed before the layout takes its memory.
        if formats.contains(Renderer.htmlFormat) { outputs[Renderer.htmlFormat] = try renderHTML(graph) }
        if !graphvizFormats.isEmpty {
            let engine = options.effectiveEngine(for: graph)
            let backend = GraphvizBackend(options)
            try options.limits.check(graph, engine: engine, guarded: backend.enforcesDeadline)
            let advice = options.limits.advice(for: graph, engine: engine, guarded: backend.enforcesDeadline)
            let plan = try RenderPlan(graph: consume graph, options: options, engine: engine)
            var warnings = plan.warnings + advice
            var rendered = try backend.render(consume plan, engine: engine, formats: graphvizFormats)
            if let layoutWarnings = rendered.removeValue(forKey: LayoutRun.warningsKey) {
                warnings += String(decoding: layoutWarnings, as: UTF8.self).split(separator: "\n").map(String.init)
            }
            for format in graphvizFormats {
                outputs[format] = Output(
                    data: rendered[format] ?? Data(), engine: engine, format: format, warnings: warnings)
            }
        }
        return formats.map { outputs[$0]! }
    }

    /// The interactive page: the SVG map without Graphviz's legend, wrapped by ``InteractiveMap``.
    private func renderHTML(_ graph: Graph) throws(GraphvizError) -> Output {
        var svgOptions = options
        svgOptions.theme.showLegend = false
        svgOptions.theme.showTitle = false
        // The page's script shows, hides and highlights each relation's own edge.
        svgOptions.separateRelations = true
        svgOptions.edgeLabelNodes = false
        svgOptions.embedsStyleSheet = false
        let svg = try Renderer(options: svgOptions).renderDetailed(graph, formats: ["svg"])[0]
        let page = InteractiveMap.page(
            graph: graph, svg: svg.data, theme: options.theme, title: options.title, subtitle: options.subtitle)
        return Output(data: page, engine: svg.engine, format: Renderer.htmlFormat, warnings: svg.warnings)
    }

    /// The map as DOT text, exactly as it would be handed to the layout engine (themed attributes,
    /// clusters; not the legend or title, which are placed after the layout) but without layout: no positions. Written by cgraph's own `agwrite`, so
    /// Graphviz reads it back to the same graph. Faster than rendering the `canon` format, which lays
    /// the graph out first.
    public func dotSource(_ graph: Graph) throws(GraphvizError) -> Data {
        let engine = options.effectiveEngine(for: graph)
        let plan = try RenderPlan(graph: graph, options: options, engine: engine)
        return try GraphvizBackend(options).dotSource(plan, engine: engine)
    }

    /// Renders `graph` and writes it to `url` atomically: the bytes are rendered into memory (Graphviz
    /// never writes files; where it runs in a worker, the worker hands them back), then written to a
    /// temporary file in the same folder, flushed, and renamed over `url`. A failed render or write
    /// (a full disk, a folder that cannot be written) leaves an existing file untouched and no
    /// temporary file behind; temporary files that a killed process left in that folder are removed.
    /// The returned ``Output`` carries no data.
    ///
    /// For a large map the caller no longer needs, hand it over — `write(consume graph, to: url)` —
    /// and the model is freed as soon as the render plan is built, before the layout takes its memory.
    ///
    /// - Parameters:
    ///   - graph: The graph to draw; taken over when the caller passes its last reference.
    ///   - url: The file to create or replace.
    ///   - format: The output format; `nil` takes it from the file extension (`.svg`, `.png`,
    ///     `.pdf`, `.dot`/`.gv`, `.json`, …).
    @discardableResult
    public func write(_ graph: consuming Graph, to url: URL, format: String? = nil) throws(GraphvizError) -> Output {
        let format = format ?? Renderer.format(forExtension: url.pathExtension) ?? url.pathExtension.lowercased()
        var output =
            format == Renderer.htmlFormat
            ? try renderHTML(graph) : try renderDetailed(consume graph, formats: [format])[0]
        try AtomicFile.write(output.data, to: url, format: format, engine: output.engine)
        output.data = Data()
        return output
    }

    /// The layout engines and output formats the installed Graphviz provides (`gvPluginList`).
    /// `html` is listed among the formats whenever `svg` is: the renderer builds it from the SVG.
    public static func capabilities() throws(GraphvizError) -> Capabilities {
        var found = try Graphviz.withLock { session in session.discover() }
        if found.formats.contains("svg"), !found.formats.contains(htmlFormat) {
            found.formats = (found.formats + [htmlFormat]).sorted()
        }
        return found
    }

    /// The engine used when none is given: `dot` (its layered drawings read best) for maps of up to 200
    /// entities with at most 100 relations more than entities, `sfdp` beyond. dot's time grows with the
    /// relations beyond a tree: on random graphs measured here, 100 extra relations took at most 0.8 s
    /// (50 entities / 150 relations, 150 / 250, 200 / 300) and 150 extra 2–7 s. Together with the edge
    /// routing chosen by size (see ``RenderOptions``), any map up to 1,000 entities and 3,000 relations
    /// renders in a few seconds. O(1).
    public static func suggestedEngine(for graph: Graph) -> String {
        graph.entities.count <= 200 && graph.relations.count <= graph.entities.count + 100 ? "dot" : "sfdp"
    }

    /// The Graphviz format for a file extension, or `nil` when the extension is not a known one
    /// (``FileFormats/mapFormat(forExtension:)``).
    public static func format(forExtension pathExtension: String) -> String? {
        FileFormats.mapFormat(forExtension: pathExtension)
    }
}

/// Atomic file replacement, through the package's one atomic writer.
enum AtomicFile {
    static func write(_ data: Data, to url: URL, format: String?, engine: String?) throws(GraphvizError) {
        if let failure = data.withUnsafeBytes({ AtomicWrite.write($0, to: url.relativePath) }) {
            throw GraphvizError(
                code: .writeFailed, stage: .write, engine: engine, format: format,
                message: "cannot write \(url.relativePath): \(failure)")
        }
    }
}
