import EntityGraph

/// A failure inside Graphviz or on the way to or from it, with Graphviz's own words.
///
/// Catch by ``code`` (stable) rather than by message (Graphviz's text varies across versions):
///
/// ```swift
/// do { try renderer.render(graph, format: "svg") }
/// catch let error as GraphvizError where error.code == .unknownEngine { … }
/// ```
public struct GraphvizError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of failure. New codes may be added; switch with a default.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name, e.g. `unknownEngine`.
        public var description: String { rawValue }

        /// The layout engine is not one this Graphviz has.
        public static let unknownEngine = Code(rawValue: "unknownEngine")
        /// The output format is not one this Graphviz has.
        public static let unknownFormat = Code(rawValue: "unknownFormat")
        /// Graphviz refused to create a graph, node, edge or attribute.
        public static let buildFailed = Code(rawValue: "buildFailed")
        /// The layout engine failed.
        public static let layoutFailed = Code(rawValue: "layoutFailed")
        /// Rendering the laid-out graph failed.
        public static let renderFailed = Code(rawValue: "renderFailed")
        /// Graphviz's parser rejected DOT text.
        public static let parseFailed = Code(rawValue: "parseFailed")
        /// Writing the output file failed.
        public static let writeFailed = Code(rawValue: "writeFailed")
        /// An attribute or value was refused before reaching Graphviz (allow-list, URL scheme).
        public static let attributeRejected = Code(rawValue: "attributeRejected")
        /// A configured limit was exceeded (size, label length, layout budget).
        public static let limitExceeded = Code(rawValue: "limitExceeded")
        /// Graphviz crashed the layout worker process (a signal such as SIGABRT from a failed
        /// assertion, or SIGSEGV); the message names the signal. The next render gets a new worker.
        public static let workerCrashed = Code(rawValue: "workerCrashed")
        /// The layout worker ended by itself (Graphviz called `exit`; the message gives the status) or
        /// broke the protocol; the next render gets a new worker.
        public static let workerFailed = Code(rawValue: "workerFailed")
        /// The layout worker could not be started (missing or not executable, or not a worker).
        public static let workerUnavailable = Code(rawValue: "workerUnavailable")
        /// The render overran ``RenderOptions/timeout``; its worker was killed.
        public static let timedOut = Code(rawValue: "timedOut")
        /// The task running the render was cancelled; its worker was killed.
        public static let cancelled = Code(rawValue: "cancelled")
    }

    /// Where in the pipeline the failure happened.
    public enum Stage: String, Hashable, Sendable {
        /// Checking the graph and theme, and building the graph in cgraph.
        case build
        /// Running the layout engine.
        case layout
        /// Rendering the laid-out graph to the output format.
        case render
        /// Writing the output file.
        case write
        /// Parsing DOT text.
        case parse
    }

    /// The stable kind of failure; match on it rather than on ``message``.
    public var code: Code
    /// Where the failure happened.
    public var stage: Stage
    /// The layout engine in use, when there was one.
    public var engine: String?
    /// The output format in use, when there was one.
    public var format: String?
    /// What Graphviz itself said (errors and warnings, in order), trimmed. Empty when it said nothing.
    public var graphvizMessages: [String]
    /// Our own explanation, with a suggestion where one exists.
    public var message: String

    /// Creates an error. The renderer and the DOT interop make these.
    public init(
        code: Code, stage: Stage, engine: String? = nil, format: String? = nil,
        graphvizMessages: [String] = [], message: String
    ) {
        self.code = code
        self.stage = stage
        self.engine = engine
        self.format = format
        self.graphvizMessages = graphvizMessages
        self.message = message
    }

    /// `layout failed (engine nosuch): …`, then Graphviz's own messages, one per line.
    public var description: String {
        var text = "\(stage) failed"
        var context: [String] = []
        if let engine { context.append("engine \(engine)") }
        if let format { context.append("format \(format)") }
        if !context.isEmpty { text += " (" + context.joined(separator: ", ") + ")" }
        text += ": " + message
        for line in graphvizMessages { text += "\n  graphviz: " + line }
        return text
    }
}

extension GraphvizError.Code {
    /// Lets `catch GraphvizError.Code.unknownEngine` match a thrown ``GraphvizError`` by code.
    public static func ~= (code: GraphvizError.Code, error: any Error) -> Bool {
        (error as? GraphvizError)?.code == code
    }
}
