import EntityGraph

/// Bounds a render must stay within, so that a server embedding the renderer cannot be stalled by one
/// request. Each failure is a ``GraphvizError`` with code ``GraphvizError/Code/limitExceeded`` that
/// names the limit and its value.
///
/// The layered budgets keep Graphviz's worst cases out of reach of a call that nothing else guards:
/// `dot` on a few hundred densely linked entities runs for minutes (random graphs measured here: 150
/// entities / 400 labelled relations 5 s; 300 / 900 more than 120 s), so without a deadline dot is
/// refused beyond 250 entities or 500 relations, where `sfdp` is the engine to use. When the render runs
/// in a worker process with a deadline (``RenderOptions/timeout``), the deadline is the guard: the
/// budgets become advice, given as a warning in ``Renderer/Output/warnings``, and the layout is tried.
public struct RenderLimits: Hashable, Sendable {
    /// Most entities in one map.
    public var maximumEntities: Int
    /// Most relations in one map.
    public var maximumRelations: Int
    /// Longest text (UTF-8 bytes) of any one name, description or label handed to Graphviz.
    public var maximumTextBytes: Int
    /// Most entities laid out with `dot` (and `circo`, `twopi`, which share its cost profile).
    public var maximumLayeredEntities: Int
    /// Most relations laid out with `dot` (and `circo`, `twopi`).
    public var maximumLayeredRelations: Int

    /// Creates limits; each one left out takes the ``standard`` value.
    public init(
        maximumEntities: Int = 50_000, maximumRelations: Int = 200_000, maximumTextBytes: Int = 16_384,
        maximumLayeredEntities: Int = 250, maximumLayeredRelations: Int = 500
    ) {
        self.maximumEntities = maximumEntities
        self.maximumRelations = maximumRelations
        self.maximumTextBytes = maximumTextBytes
        self.maximumLayeredEntities = maximumLayeredEntities
        self.maximumLayeredRelations = maximumLayeredRelations
    }

    /// The defaults described above.
    public static let standard = RenderLimits()

    /// No limits: for trusted input and batch jobs that may take as long as they need.
    public static let unlimited = RenderLimits(
        maximumEntities: .max, maximumRelations: .max, maximumTextBytes: .max, maximumLayeredEntities: .max,
        maximumLayeredRelations: .max)

    /// True when `engine` on `graph` is beyond the layered budgets.
    private func exceedsLayeredBudget(_ graph: Graph, engine: String) -> Bool {
        ["dot", "circo", "twopi"].contains(engine)
            && (graph.entities.count > maximumLayeredEntities || graph.relations.count > maximumLayeredRelations)
    }

    /// The layered-budget advice for a render guarded by a deadline (`guarded`), else none.
    func advice(for graph: Graph, engine: String, guarded: Bool) -> [String] {
        guard guarded, exceedsLayeredBudget(graph, engine: engine) else { return [] }
        return [
            "\(engine) on \(graph.entities.count) entities and \(graph.relations.count) relations could run for "
                + "minutes (beyond RenderLimits' layered budget of \(maximumLayeredEntities) entities and "
                + "\(maximumLayeredRelations) relations); sfdp draws such maps in seconds"
        ]
    }

    /// Throws when `graph` laid out with `engine` would break a limit; the layered budgets only when the
    /// render is not `guarded` by a deadline in a worker process. O(entities + relations).
    func check(_ graph: Graph, engine: String, guarded: Bool = false) throws(GraphvizError) {
        func exceeded(_ message: String) -> GraphvizError {
            GraphvizError(code: .limitExceeded, stage: .build, engine: engine, message: message)
        }
        if graph.entities.count > maximumEntities {
            throw exceeded(
                "the map has \(graph.entities.count) entities; RenderLimits.maximumEntities is \(maximumEntities)")
        }
        if graph.relations.count > maximumRelations {
            throw exceeded(
                "the map has \(graph.relations.count) relations; RenderLimits.maximumRelations is \(maximumRelations)")
        }
        if !guarded, exceedsLayeredBudget(graph, engine: engine) {
            throw exceeded(
                "\(engine) on \(graph.entities.count) entities and \(graph.relations.count) relations could run for "
                    + "minutes; RenderLimits.maximumLayeredEntities is \(maximumLayeredEntities) and "
                    + "maximumLayeredRelations is \(maximumLayeredRelations) — use sfdp, set a timeout, or raise the limits"
            )
        }
        func checkText(_ text: String?, _ what: @autoclosure () -> String) throws(GraphvizError) {
            guard let text, text.utf8.count > maximumTextBytes else { return }
            throw exceeded(
                "\(what()) is \(text.utf8.count) bytes long; RenderLimits.maximumTextBytes is \(maximumTextBytes)")
        }
        try checkText(graph.title, "the title")
        for entity in graph.entities.values {
            try checkText(entity.name, "the name of entity '\(entity.id)'")
            try checkText(entity.description, "the description of entity '\(entity.id)'")
        }
        for type in graph.declaredRelationTypes.values {
            try checkText(type.label, "the label of relation type '\(type.id)'")
        }
    }
}
