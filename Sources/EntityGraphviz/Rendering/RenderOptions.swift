import EntityGraph

/// What to draw and how: theme, layout engine, clusters, title.
public struct RenderOptions: Hashable, Sendable {
    /// How to group entities into boxed clusters.
    public enum Clustering: Hashable, Sendable {
        /// One cluster per entity kind.
        case kind
        /// One cluster per value of this entity attribute (e.g. `country`). When the value is the id of
        /// an entity in the graph, the cluster is labelled with that entity's name. Entities without the
        /// attribute stay outside any cluster.
        case attribute(String)
    }

    /// How the map looks; ``Theme/standard`` by default.
    public var theme: Theme
    /// A Graphviz layout engine (`dot`, `neato`, `fdp`, `sfdp`, `circo`, `twopi`, `osage`,
    /// `patchwork`), or `nil` to choose by size (``Renderer/suggestedEngine(for:)``).
    public var engine: String?
    /// How to box entities into clusters; `nil` (the default) draws no clusters.
    public var clustering: Clustering?
    /// Overrides the graph's own title; an empty string hides it.
    public var title: String?
    /// A line under the title saying what a filtered map shows, e.g. "As of 1 October 2022 · around
    /// Alexander Lukashenko, 1 hop · confirmed only" (``MapSubtitle`` builds it from the filters).
    /// `nil` (the default) draws none.
    public var subtitle: String?
    /// Draw every relation as its own edge. `false` (the default) draws the relations between one pair of
    /// entities in one direction as one edge, labelled with each relation on its own line and styled by
    /// the most certain of them; its SVG group carries every relation's id as a class (`rel-ID`).
    public var separateRelations: Bool = false
    /// A publication size the whole drawing is scaled to (``MapSize``); `nil` (the default) draws at
    /// the layout's natural size. A map too dense for the size still renders, with a warning.
    public var size: MapSize?
    /// Fold leaf entities — those whose relations all join them to one neighbour that has at least two
    /// such leaves — into a badge on that neighbour ("+3 places, 1 event"), listed in its tooltip, so a
    /// dense overview fits a page. Off by default; nothing is dropped without being listed.
    public var summarize: Bool = false
    /// Pixels per inch of bitmap output (PNG, …), 96 by default. Graphviz applies it to SVG too,
    /// whose `pt` sizes then grow by `dpi / 72`.
    public var dpi: Double?
    /// Whether neato, fdp and sfdp draw relation labels as nodes of their own (so that overlap removal
    /// keeps them apart); off for the HTML page, whose script shows and hides each relation's one edge.
    var edgeLabelNodes = true
    /// Whether SVG output carries the theme's dash patterns as a `<style>` element; off for the HTML
    /// page, which puts them in its own style sheet (its Content-Security-Policy allows only that one).
    var embedsStyleSheet = true
    /// Seed for the force-directed engines, so the same input gives the same picture.
    public var seed: Int
    /// Size and time bounds checked before anything reaches Graphviz.
    public var limits: RenderLimits
    /// Where Graphviz runs: in worker processes, where a crash or a runaway layout fails one render
    /// instead of the whole process, or in this process. ``Isolation/automatic`` by default.
    public var isolation: Isolation
    /// The longest a render's layout and rendering may take in a worker process; past it the worker is
    /// killed and the render fails with ``GraphvizError/Code/timedOut``. `nil` (the default) sets no
    /// deadline. Renders in process cannot be stopped, so there it is not enforced.
    public var timeout: Duration?

    /// The engine a render of `graph` uses: ``engine``, or the size rule
    /// (``Renderer/suggestedEngine(for:)``) when it is `nil`. O(1).
    public func effectiveEngine(for graph: Graph) -> String {
        engine ?? Renderer.suggestedEngine(for: graph)
    }

    /// Where a render's Graphviz work runs.
    public enum Isolation: Hashable, Sendable {
        /// In a worker of ``LayoutWorkerPool/standard`` when the worker executable is found (the
        /// `entitygraph-worker` product beside the running program, or `ENTITYGRAPH_WORKER`), otherwise in
        /// process. This is the default.
        case automatic
        /// Always in this process, serialized on one lock; for platforms without subprocesses. A Graphviz
        /// crash or `exit` ends the process, and deadlines and cancellation cannot stop a layout.
        case inProcess
        /// In a worker of this pool.
        case workers(LayoutWorkerPool)
    }

    /// Creates options; the defaults draw with the standard theme, the engine chosen by size, no clusters, the graph's
    /// own title, the standard limits, automatic isolation and no deadline.
    public init(
        theme: Theme = .standard, engine: String? = nil, clustering: Clustering? = nil,
        title: String? = nil, seed: Int = 1, limits: RenderLimits = .standard, isolation: Isolation = .automatic,
        timeout: Duration? = nil
    ) {
        self.theme = theme
        self.engine = engine
        self.clustering = clustering
        self.title = title
        self.seed = seed
        self.limits = limits
        self.isolation = isolation
        self.timeout = timeout
    }
}
