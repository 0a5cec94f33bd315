import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading, validating and writing EntityGraph documents (JSON, format version 1; the format is
/// described in `Graphs/README.md`, with a JSON Schema in `Graphs/entitygraph.schema.json`).
///
/// ```swift
/// let graph = try GraphDocument.read(contentsOf: URL(fileURLWithPath: "Graphs/zelensky-lukashenko-mozyr.json"))
/// try GraphDocument.write(graph, to: URL(fileURLWithPath: "copy.json"))
/// ```
///
/// Reading collects *every* problem in one pass, each with its JSON path, line:column and a fix
/// (``ValidationIssue``). The format is strict: unknown keys are errors, so typos such as `"nmae"`
/// are caught; custom data belongs in `attributes`, which keep any JSON losslessly.
///
/// Reading is a single pass over the UTF-8 bytes with no intermediate tree: O(file size) time,
/// and memory for the graph plus the file's bytes.
public enum GraphDocument {
    /// The format version this library reads and writes.
    public static let formatVersion = 1

    /// The default nesting limit (``ReadLimits/maximumNestingDepth``): arrays and objects nested
    /// deeper make a document invalid (``ValidationIssue/Code/nestingTooDeep``).
    public static let maximumNestingDepth = ReadLimits.standard.maximumNestingDepth

    /// The outcome of decoding a document: the graph when there was no error, and every issue.
    public struct Decoded: Sendable {
        /// The graph, or `nil` when some issue is an error.
        public var graph: Graph?
        /// Every error and warning, in file order.
        public var issues: [ValidationIssue]

        /// A result of a reader: the graph (`nil` when some issue is an error) and every issue.
        public init(graph: Graph?, issues: [ValidationIssue]) {
            self.graph = graph
            self.issues = issues
        }

        /// The graph, or a ``DocumentError`` holding every issue when there is none (like
        /// `Result.get()`): what each reader's `read` returns.
        public func get() throws(DocumentError) -> Graph {
            guard let graph else { throw DocumentError(issues: issues) }
            return graph
        }

        /// The issues of severity ``ValidationIssue/Severity/error``, in file order.
        public var errors: [ValidationIssue] { issues.filter { $0.severity == .error } }
        /// The issues of severity ``ValidationIssue/Severity/warning``, in file order.
        public var warnings: [ValidationIssue] { issues.filter { $0.severity == .warning } }
    }

    // MARK: Reading

    /// Decodes a document from UTF-8 bytes (`[UInt8]`, `Data`, `String.UTF8View`, …), returning the
    /// graph (when valid) and every issue. Never throws; never traps on malformed input.
    /// - Parameters:
    ///   - bytes: The document's bytes.
    ///   - fileName: Used in the issues' descriptions (`file.json:3:7: error: …`).
    ///   - limits: Bounds on size, counts and string length (``ReadLimits``); a broken limit is one
    ///     ``ValidationIssue/Code/limitExceeded`` issue naming it, and reading stops there.
    public static func decode(
        _ bytes: some Sequence<UInt8>, fileName: String? = nil, limits: ReadLimits = .standard
    ) -> Decoded {
        if let decoded = bytes.withContiguousStorageIfAvailable({
            decode(buffer: $0, fileName: fileName, limits: limits)
        }) {
            return decoded
        }
        return Array(bytes).withUnsafeBufferPointer { decode(buffer: $0, fileName: fileName, limits: limits) }
    }

    /// Decodes the document in a file. An unreadable file yields one ``ValidationIssue/Code/unreadableFile``
    /// issue; a file over ``ReadLimits/maximumBytes`` is refused before it is read.
    public static func decode(contentsOf url: URL, limits: ReadLimits = .standard) -> Decoded {
        do {
            let bytes = try readFile(url, limits: limits)
            return decode(bytes, fileName: displayName(of: url), limits: limits)
        } catch {
            return Decoded(graph: nil, issues: error.issues)
        }
    }

    /// Reads a graph from UTF-8 bytes. Throws a ``DocumentError`` listing every problem when the
    /// document has errors; warnings alone do not fail.
    public static func read(
        _ bytes: some Sequence<UInt8>, fileName: String? = nil, limits: ReadLimits = .standard
    ) throws(DocumentError) -> Graph {
        return try decode(bytes, fileName: fileName, limits: limits).get()
    }

    /// Reads a graph from a file. Throws a ``DocumentError`` listing every problem.
    public static func read(contentsOf url: URL, limits: ReadLimits = .standard) throws(DocumentError) -> Graph {
        return try decode(contentsOf: url, limits: limits).get()
    }

    /// Every issue in a document, errors and warnings, in file order. Never throws.
    public static func validate(
        _ bytes: some Sequence<UInt8>, fileName: String? = nil, limits: ReadLimits = .standard
    ) -> [ValidationIssue] {
        decode(bytes, fileName: fileName, limits: limits).issues
    }

    /// Every issue in a file, errors and warnings, in file order. Never throws.
    public static func validate(contentsOf url: URL, limits: ReadLimits = .standard) -> [ValidationIssue] {
        decode(contentsOf: url, limits: limits).issues
    }

    static func decode(buffer: UnsafeBufferPointer<UInt8>, fileName: String?, limits: ReadLimits) -> Decoded {
        if let tooBig = limits.checkBytes(buffer.count, fileName: fileName) {
            return Decoded(graph: nil, issues: [tooBig])
        }
        var decoder = GraphDecoder(bytes: buffer, limits: limits)
        decoder.decode()
        let raw = decoder.reader.issues
        guard !raw.isEmpty else { return Decoded(graph: decoder.graph, issues: []) }

        let locations = SourceLines.locations(
            of: raw.lazy.flatMap { [$0.offset] + ($0.relatedOffset.map { [$0] } ?? []) }, in: buffer)
        let ordered = raw.enumerated().sorted { lhs, rhs in
            lhs.element.offset != rhs.element.offset ? lhs.element.offset < rhs.element.offset : lhs.offset < rhs.offset
        }
        var issues: [ValidationIssue] = []
        issues.reserveCapacity(ordered.count)
        for (_, item) in ordered {
            let (line, column) = locations[item.offset]!
            var message = item.message
            if let related = item.relatedOffset {
                let first = locations[related]!
                message += " (first at line \(first.line), column \(first.column))"
            }
            issues.append(
                ValidationIssue(
                    severity: item.severity, code: item.code, message: message, path: item.path,
                    line: line, column: column, fileName: fileName, suggestion: item.suggestion))
        }
        let hasErrors = issues.contains { $0.severity == .error }
        return Decoded(graph: hasErrors ? nil : decoder.graph, issues: issues)
    }

    // MARK: Writing

    /// The document for `graph`: deterministic (the same graph always gives the same bytes),
    /// pretty-printed with two-space indentation and a trailing newline. See `Graphs/README.md`
    /// for the key order and what is left out.
    public static func write(_ graph: Graph) -> [UInt8] {
        var writer = DocumentWriter(capacity: 256 + graph.entities.count * 160 + graph.relations.count * 260)
        writer.write(graph)
        return writer.output
    }

    /// The document for `graph` as a `String` (see ``write(_:)``).
    public static func string(_ graph: Graph) -> String {
        String(decoding: write(graph), as: UTF8.self)
    }

    /// Writes the document for `graph` to a file atomically: the bytes go to a temporary file in
    /// the same directory, which is flushed and then renamed over the destination, so readers see
    /// either the old file or the complete new one — never a partial write.
    public static func write(_ graph: Graph, to url: URL) throws(DocumentError) {
        try writeAtomically(write(graph), to: url)
    }

    // MARK: Files

    /// How issues name a file: its path as given for a file URL, else the whole URL.
    static func displayName(of url: URL) -> String {
        url.isFileURL ? url.relativePath : url.absoluteString
    }

    private static func fileIssue(_ code: ValidationIssue.Code, _ message: String, _ url: URL) -> DocumentError {
        DocumentError(issues: [
            ValidationIssue(severity: .error, code: code, message: message, path: "$", fileName: displayName(of: url))
        ])
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }

    /// The file's bytes; a file over ``ReadLimits/maximumBytes`` is refused by its size before it is
    /// read (and a pipe or other stream once it passes the limit).
    static func readFile(_ url: URL, limits: ReadLimits = .unlimited) throws(DocumentError) -> [UInt8] {
        guard url.isFileURL else { throw fileIssue(.unreadableFile, "only file URLs can be read", url) }
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { throw fileIssue(.unreadableFile, "cannot open the file: \(systemError())", url) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw fileIssue(.unreadableFile, "this is a directory, not a file", url)
        }
        if let tooBig = limits.checkBytes(Int(status.st_size), fileName: displayName(of: url)) {
            throw DocumentError(issues: [tooBig])
        }
        // Read straight into the array when the size is known, then whatever is left (a file that
        // grew, or one that reports no size) in chunks.
        var failure: Int32 = 0
        let size = max(Int(status.st_size), 0)
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            while initialized < size {
                let got = posixRead(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if got < 0, errno == EINTR { continue }
                if got < 0 { failure = errno }
                if got <= 0 { break }
                initialized += got
            }
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while failure == 0 {
            let got = chunk.withUnsafeMutableBytes { posixRead(descriptor, $0.baseAddress, $0.count) }
            if got < 0, errno == EINTR { continue }
            if got < 0 { failure = errno }
            if got <= 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
            if let tooBig = limits.checkBytes(bytes.count, fileName: displayName(of: url)) {
                throw DocumentError(issues: [tooBig])
            }
        }
        if failure != 0 {
            throw fileIssue(.unreadableFile, "cannot read the file: \(String(cString: strerror(failure)))", url)
        }
        return bytes
    }

    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws(DocumentError) {
        guard url.isFileURL else { throw fileIssue(.unwritableFile, "only file URLs can be written", url) }
        if let failure = bytes.withUnsafeBytes({ AtomicWrite.write($0, to: url.relativePath) }) {
            throw fileIssue(.unwritableFile, failure, url)
        }
    }
}

// POSIX `read`, named apart from GraphDocument's own `read`.
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
