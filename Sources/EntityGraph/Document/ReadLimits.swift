/// Bounds on what the JSON and CSV readers accept, so that a server reading files from strangers
/// can cap the memory and time one request may take.
///
/// Each limit that is broken is reported as one ``ValidationIssue`` with code
/// ``ValidationIssue/Code/limitExceeded`` whose message names the limit and its value
/// (`"… ReadLimits.maximumEntities is 10000"`), and reading stops there: the rest of the input is
/// not parsed. A file larger than ``maximumBytes`` is refused before it is read.
///
/// The readers are linear in their input (no quadratic case), so the defaults are generous: they
/// stop absurd input — a 2 GiB file, a hundred million relations — without getting in the way of
/// real data sets (the 50,000-entity / 200,000-relation benchmark document is 63 MB). A server
/// sets its own:
///
/// ```swift
/// let limits = ReadLimits(maximumBytes: 8 << 20, maximumEntities: 20_000, maximumRelations: 100_000,
///                         maximumStringBytes: 64 << 10)
/// let decoded = GraphDocument.decode(upload, fileName: "upload.json", limits: limits)
/// ```
public struct ReadLimits: Hashable, Sendable {
    /// The largest input accepted, in bytes (for CSV: each of the two files). Default 1 GiB.
    public var maximumBytes: Int
    /// Most entities (JSON `entities` items; CSV rows of the nodes file). Default 10,000,000.
    public var maximumEntities: Int
    /// Most relations (JSON `relations` items; CSV rows of the edges file). Default 50,000,000.
    public var maximumRelations: Int
    /// The longest string accepted, in bytes as written in the file (a JSON string between its quotes,
    /// a CSV field). Default 64 MiB: a 50 MB name is read losslessly; renderers apply their own,
    /// much smaller bound (`RenderLimits.maximumTextBytes` in EntityGraphviz).
    public var maximumStringBytes: Int
    /// The deepest nesting of JSON arrays and objects (attribute values included). Default 512.
    public var maximumNestingDepth: Int

    /// Limits with the defaults above unless given.
    public init(
        maximumBytes: Int = 1 << 30, maximumEntities: Int = 10_000_000, maximumRelations: Int = 50_000_000,
        maximumStringBytes: Int = 64 << 20, maximumNestingDepth: Int = 512
    ) {
        self.maximumBytes = maximumBytes
        self.maximumEntities = maximumEntities
        self.maximumRelations = maximumRelations
        self.maximumStringBytes = maximumStringBytes
        self.maximumNestingDepth = maximumNestingDepth
    }

    /// The defaults described above.
    public static let standard = ReadLimits()

    /// No limits beyond a nesting depth of 10,000 (the reader is iterative, so depth costs no stack):
    /// for trusted files of any size.
    public static let unlimited = ReadLimits(
        maximumBytes: .max, maximumEntities: .max, maximumRelations: .max, maximumStringBytes: .max,
        maximumNestingDepth: 10_000)

    /// The issue for input of `count` bytes over ``maximumBytes``, or `nil`.
    func checkBytes(_ count: Int, fileName: String?) -> ValidationIssue? {
        guard count > maximumBytes else { return nil }
        return ValidationIssue(
            severity: .error, code: .limitExceeded,
            message: "the input is \(count) bytes; ReadLimits.maximumBytes is \(maximumBytes)", path: "$",
            fileName: fileName, suggestion: "split the data, or read it with larger ReadLimits")
    }
}
