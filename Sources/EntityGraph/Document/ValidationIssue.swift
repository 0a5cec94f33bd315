/// One problem found in an EntityGraph document: what is wrong, where (JSON path and line:column),
/// how bad it is, and how to fix it.
///
/// ```
/// graph.json:34:17: error: relations[12].target: unknown entity 'lukashenk' — did you mean 'lukashenko'?
/// ```
public struct ValidationIssue: Hashable, Sendable, CustomStringConvertible {
    /// Errors make ``GraphDocument/read(_:fileName:limits:)`` fail; warnings never do.
    public enum Severity: String, Hashable, Sendable, Comparable {
        /// The document cannot be used as it is: reading fails.
        case error
        /// Advice (style, a claim without its claimant, a link renderers will not follow); reading succeeds.
        case warning

        /// Orders errors before warnings.
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    /// A stable, machine-readable name for the kind of problem.
    ///
    /// Match on it instead of on the message text, which may change:
    ///
    /// ```swift
    /// switch issue.code {
    /// case .unknownEntity: …
    /// case .duplicateID: …
    /// default: …
    /// }
    /// ```
    /// New codes may be added in later versions, so `switch` statements need a `default`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        /// The code's name, e.g. `unknownEntity`.
        public var description: String { rawValue }

        // JSON syntax and encoding (the file cannot be read as JSON).
        /// Malformed JSON: unexpected character, unterminated string, trailing garbage, bad escape.
        public static let invalidJSON: Code = "invalidJSON"
        /// A string holds bytes that are not valid UTF-8.
        public static let invalidUTF8: Code = "invalidUTF8"
        /// Arrays and objects nested deeper than ``ReadLimits/maximumNestingDepth``.
        public static let nestingTooDeep: Code = "nestingTooDeep"
        /// The input breaks one of the ``ReadLimits`` (bytes, entities, relations, string length); the
        /// message names the limit and its value.
        public static let limitExceeded: Code = "limitExceeded"
        /// A number too large for a 64-bit floating-point value (it would be infinite).
        public static let numberOutOfRange: Code = "numberOutOfRange"
        /// A `\uD800`–`\uDFFF` escape that is not part of a surrogate pair.
        public static let loneSurrogate: Code = "loneSurrogate"
        /// The same key twice in one JSON object.
        public static let duplicateKey: Code = "duplicateKey"

        // The document as a whole.
        /// Valid JSON, but not an EntityGraph document (e.g. a networkx node-link file or GeoJSON).
        public static let notAGraphDocument: Code = "notAGraphDocument"
        /// `formatVersion` names a version this library does not read.
        public static let unsupportedFormatVersion: Code = "unsupportedFormatVersion"

        // Fields.
        /// A required field is absent.
        public static let missingField: Code = "missingField"
        /// A field holds the wrong JSON type ("expected a string, found a number").
        public static let wrongType: Code = "wrongType"
        /// A key the format does not define (custom data belongs in `attributes`).
        public static let unknownKey: Code = "unknownKey"
        /// An id, name, label or alias that is empty or only whitespace.
        public static let emptyValue: Code = "emptyValue"
        /// An id containing whitespace. No reader reports it any more: ids may hold spaces (a name
        /// is a good id); kept so code that matches on it still compiles.
        public static let whitespaceInID: Code = "whitespaceInID"
        /// An id containing a control character (U+0000–U+001F, U+007F–U+009F): the one thing an id
        /// may not hold, besides being empty.
        public static let controlCharacterInID: Code = "controlCharacterInID"
        /// Two entities, relations, documents, kinds or relation types with the same id.
        public static let duplicateID: Code = "duplicateID"

        // References.
        /// `source`, `target` or `assertedBy` names no entity.
        public static let unknownEntity: Code = "unknownEntity"
        /// An entity's `kind` is neither built in nor declared.
        public static let unknownKind: Code = "unknownKind"
        /// A relation's `type` is neither built in nor declared.
        public static let unknownRelationType: Code = "unknownRelationType"
        /// A citation names no declared document.
        public static let unknownDocument: Code = "unknownDocument"
        /// A document declares a kind or relation type that is built in.
        public static let redeclaredBuiltIn: Code = "redeclaredBuiltIn"

        // Values.
        /// A date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or not a real calendar date.
        public static let invalidDate: Code = "invalidDate"
        /// `since` is after `until`.
        public static let sinceAfterUntil: Code = "sinceAfterUntil"
        /// A certainty other than confirmed, reported, claimed, alleged, disputed, denied.
        public static let unknownCertainty: Code = "unknownCertainty"

        // Warnings.
        /// An id that does not follow the recommended style (slugs for entities and relations,
        /// lowerCamelCase for kinds and relation types).
        public static let idStyle: Code = "idStyle"
        /// A `claimed` or `alleged` relation that does not say who claims it (`assertedBy`).
        public static let missingAsserter: Code = "missingAsserter"
        /// A document URL that renderers will not link (only http, https and mailto are linked).
        public static let unlinkableURL: Code = "unlinkableURL"

        // Files.
        /// The file could not be read.
        public static let unreadableFile: Code = "unreadableFile"
        /// The file could not be written.
        public static let unwritableFile: Code = "unwritableFile"

        /// Matches an issue by code: `switch issue { case ValidationIssue.Code.unknownEntity: … }`.
        public static func ~= (code: Code, issue: ValidationIssue) -> Bool { issue.code == code }
    }

    /// Whether the issue makes reading fail (``Severity/error``) or is advice (``Severity/warning``).
    public var severity: Severity
    /// The stable name of the kind of problem; match on it rather than on ``message``.
    public var code: Code
    /// What is wrong, in one sentence, without the location.
    public var message: String
    /// Where in the JSON, e.g. `$.relations[12].target`; `$` for the whole document.
    public var path: String
    /// 1-based line, or `nil` when the problem has no position (e.g. an unreadable file).
    public var line: Int?
    /// 1-based column, counted in Unicode scalars.
    public var column: Int?
    /// The file the issue is in, when the document was read from a file or given a name.
    public var fileName: String?
    /// How to fix it: "did you mean 'lukashenko'?", "add \"kind\": \"person\"", …
    public var suggestion: String?

    /// Creates an issue. Readers make these; create your own to report problems in the same shape.
    public init(
        severity: Severity, code: Code, message: String, path: String, line: Int? = nil,
        column: Int? = nil, fileName: String? = nil, suggestion: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.fileName = fileName
        self.suggestion = suggestion
    }

    /// `file.json:34:17: error: relations[12].target: unknown entity 'lukashenk' — did you mean 'lukashenko'?`
    public var description: String {
        var text = ""
        var location: [String] = []
        if let fileName { location.append(fileName) }
        if let line { location.append(String(line)) }
        if let column, line != nil { location.append(String(column)) }
        if !location.isEmpty { text += location.joined(separator: ":") + ": " }
        text += severity.rawValue + ": "
        if path != "$" {
            text += (path.hasPrefix("$.") ? String(path.dropFirst(2)) : path) + ": "
        }
        text += message
        if let suggestion { text += " — " + suggestion }
        return text
    }
}

/// The error thrown when a document cannot be read or written. Holds *every* problem found,
/// errors and warnings, in file order.
public struct DocumentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Every issue found, errors and warnings, in file order.
    public var issues: [ValidationIssue]

    /// Creates an error holding `issues`.
    public init(issues: [ValidationIssue]) { self.issues = issues }

    /// Only the issues of severity ``ValidationIssue/Severity/error``.
    public var errors: [ValidationIssue] { issues.filter { $0.severity == .error } }

    /// True when some issue has this code.
    public func contains(_ code: ValidationIssue.Code) -> Bool { issues.contains { $0.code == code } }

    /// One line per issue, then a count: `2 errors, 1 warning`.
    public var description: String {
        let errorCount = issues.count { $0.severity == .error }
        let warningCount = issues.count - errorCount
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var lines = issues.map(\.description)
        lines.append(plural(errorCount, "error") + (warningCount > 0 ? ", " + plural(warningCount, "warning") : ""))
        return lines.joined(separator: "\n")
    }
}

extension ValidationIssue {
    /// How many issues a reader lists for one file; the rest are counted in one last issue.
    static let maximumPerFile = 1000

    /// One file's issues as the readers (CSV, GraphML, GEXF, FollowTheMoney) report them: in file
    /// order (by line, column, then the order they were found; issues without a line last), at most
    /// ``maximumPerFile`` of them, then one ``Code/tooManyIssues`` issue counting the rest.
    ///
    /// - Complexity: O(n log n) for n issues.
    static func listed(_ issues: [ValidationIssue], fileName: String?) -> [ValidationIssue] {
        let sorted = issues.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? Int.max, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? Int.max, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
        guard sorted.count > maximumPerFile else { return sorted }
        var listed = Array(sorted.prefix(maximumPerFile))
        let rest = sorted.dropFirst(listed.count)
        let restErrors = rest.count { $0.severity == .error }
        listed.append(
            ValidationIssue(
                severity: restErrors > 0 ? .error : .warning, code: .tooManyIssues,
                message: "\(pluralize(rest.count, "more issue")) in this file not listed "
                    + "(\(pluralize(restErrors, "error")))",
                path: "$", fileName: fileName, suggestion: "fix the ones above and read the file again"))
        return listed
    }
}
