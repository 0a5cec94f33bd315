/// Why ``DOTImport`` refused a DOT file, with the file name, the line when known, and Graphviz's own
/// words.
///
/// Catch by ``code`` (stable) rather than by message (Graphviz's text varies across versions):
///
/// ```swift
/// do { graph = try DOTImport.read(contentsOf: url) }
/// catch let error where error.code == .syntax { print(error.line ?? 0, error.graphvizMessages) }
/// ```
public struct DOTImportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of failure. New codes may be added; switch with a default.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name, e.g. `syntax`.
        public var description: String { rawValue }

        /// Graphviz's parser rejected the text ("syntax error in line N near ...", "memory exhausted").
        public static let syntax = Code(rawValue: "syntax")
        /// A ``DOTImportOptions`` limit was exceeded before the text reached the parser; see
        /// ``DOTImportError/limit``.
        public static let limitExceeded = Code(rawValue: "limitExceeded")
        /// The input holds more than one graph and `DOTImport.read` takes exactly one (`DOTImport.readAll`
        /// returns them all).
        public static let multipleGraphs = Code(rawValue: "multipleGraphs")
        /// The input holds no graph at all (only whitespace and comments, or nothing).
        public static let empty = Code(rawValue: "empty")
        /// The bytes are not UTF-8 (only with ``DOTImportOptions/InvalidUTF8Handling/reject``).
        public static let invalidUTF8 = Code(rawValue: "invalidUTF8")
        /// The input holds a NUL byte, which no DOT file can hold.
        public static let nulCharacter = Code(rawValue: "nulCharacter")
        /// The file could not be read.
        public static let unreadable = Code(rawValue: "unreadable")
        /// The graph parsed but cannot be expressed as a ``/EntityGraph/Graph`` (e.g. two node names that decode to
        /// the same text).
        public static let unrepresentable = Code(rawValue: "unrepresentable")
        /// Graphviz itself could not be used (no context).
        public static let graphvizUnavailable = Code(rawValue: "graphvizUnavailable")
    }

    /// The ``DOTImportOptions`` limit that was exceeded, for ``Code/limitExceeded``.
    public enum Limit: String, Hashable, Sendable, CustomStringConvertible {
        /// ``DOTImportOptions/maximumBytes``.
        case bytes = "maximumBytes"
        /// ``DOTImportOptions/maximumNestingDepth``.
        case nestingDepth = "maximumNestingDepth"
        /// ``DOTImportOptions/maximumStringLength``.
        case stringLength = "maximumStringLength"
        /// ``DOTImportOptions/maximumEdgeChainLength``.
        case edgeChainLength = "maximumEdgeChainLength"
        /// ``DOTImportOptions/maximumStringWork``.
        case stringWork = "maximumStringWork"

        /// The limit's full name, e.g. `DOTImportOptions.maximumBytes`.
        public var description: String { "DOTImportOptions." + rawValue }
    }

    /// The stable kind of failure; match on it rather than on ``message``.
    public var code: Code
    /// The name the input was read under (a file name), when the caller gave one.
    public var fileName: String?
    /// The 1-based line the problem is on, when known (Graphviz's "in line N", or where a limit tripped).
    public var line: Int?
    /// For ``Code/limitExceeded``: which limit.
    public var limit: Limit?
    /// What Graphviz itself said (errors and warnings, in order), trimmed. Empty when it said nothing.
    public var graphvizMessages: [String]
    /// Our own explanation (for syntax errors, Graphviz's error text without its "Error: " prefix).
    public var message: String

    /// Creates an error. ``DOTImport`` makes these.
    public init(
        code: Code, fileName: String? = nil, line: Int? = nil, limit: Limit? = nil,
        graphvizMessages: [String] = [], message: String
    ) {
        self.code = code
        self.fileName = fileName
        self.line = line
        self.limit = limit
        self.graphvizMessages = graphvizMessages
        self.message = message
    }

    /// `file.gv:12: syntax error in line 12 near ']'`, followed by Graphviz's messages, one per line.
    public var description: String {
        var text = fileName ?? "<DOT input>"
        if let line { text += ":\(line)" }
        text += ": " + message
        for line in graphvizMessages where line != "Error: " + message { text += "\n  graphviz: " + line }
        return text
    }
}

extension DOTImportError.Code {
    /// Lets `catch DOTImportError.Code.syntax` match a thrown ``DOTImportError`` by code.
    public static func ~= (code: DOTImportError.Code, error: any Error) -> Bool {
        (error as? DOTImportError)?.code == code
    }
}
