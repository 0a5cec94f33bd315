import EntityGraph
import Foundation

/// Reads DOT (Graphviz's graph language) into a ``/EntityGraph/Graph``, with Graphviz's own parser.
///
/// ```swift
/// let graph = try DOTImport.read(contentsOf: URL(fileURLWithPath: "network.gv"))
/// let graphs = try DOTImport.readAll(dotText, fileName: "many.gv")   // every graph in the text
/// ```
///
/// **How it reads.** The text is first checked against ``DOTImportOptions``' limits by a cheap
/// pre-scan, so hostile input (huge strings, deep nesting, endless edge chains) never reaches the parser.
/// Then, under the process-wide Graphviz lock, Graphviz's parser (`agread` over an in-memory channel)
/// builds each graph; every node, edge, cluster and attribute is copied out, the graph is closed
/// (`agclose`), and the parser is drained (`agmemread("")` until it returns NULL) so no leftover text can
/// surface in a later parse. The model is built after the lock is released. Graphviz's messages are
/// captured into ``DOTImportError``; nothing reaches stderr.
///
/// **How DOT maps onto the model.**
/// - *Graph.* ``/EntityGraph/Graph/title`` is the graph's name (none for an anonymous graph). Every
///   non-empty root graph attribute is kept in ``/EntityGraph/Graph/attributes`` as a string, plus
///   `nodeDefaults` / `edgeDefaults` (objects of the defaults declared with `node [...]` /
///   `edge [...]` at the top level), `clusters` (each cluster's `parent` and non-default attributes,
///   by cluster name), `directed: false` for a `graph` (undirected) and `strict: true` for a `strict`
///   graph.
/// - *Nodes → entities.* id = the node's name. Name = a `name` attribute if present, else the displayed
///   text of a plain `label` (escapes such as `\n` and `\N` and entities such as `&amp;` interpreted),
///   else the node's name; an HTML-like label is never interpreted: the name is then the node's name and
///   the label stays an attribute. Kind = the `kind` attribute (free text becomes a lowerCamelCase id,
///   declared with the text as label when it is new), else ``DOTImportOptions/kindsByShape`` for the
///   node's `shape` when the file sets one, else ``DOTImportOptions/defaultKind``. `description` and
///   `aliases` (a JSON array of strings) fill those fields.
/// - *Edges → relations*, parallel edges and self-loops included. Type = the `type`, `relation` or
///   `label` attribute, first found (free text becomes a lowerCamelCase id; new ids are declared with the
///   text as label, symmetric in an undirected graph), else ``DOTImportOptions/defaultRelationType``.
///   id = the edge's key (`key=…`), else `e1`, `e2`, … in file order (skipping ids already taken; a key
///   used again for another pair gets `-2`, `-3`, …). `since` / `until` (`YYYY[-MM[-DD]]`), `certainty`
///   and `assertedBy` (a node's name) fill those fields when they parse. In an undirected graph every
///   relation gets the attribute `directed: false`.
/// - *Clusters.* Each entity inside a cluster gets `group` (the innermost cluster's plain label, else
///   its name) and `groups` (the same for every enclosing cluster, outermost first). A node's own
///   Graphviz `group` attribute then moves to `dotGroup`.
/// - *Attributes.* Every other attribute whose value differs from its declared default is kept as a
///   string; HTML-like values are kept verbatim with their delimiters (`<<b>x</b>>`) and never
///   interpreted; nothing is acted on (`image`, `shapefile`, `URL`, … are only data). A value consumed
///   into a field is dropped only when the field gives it back exactly (e.g. a `kind` of `Person` → the
///   built-in `person`, labelled "Person"); otherwise it stays too. An object written by ``DOTExport``
///   lists its JSON-encoded attributes in `jsonAttributes`; those are decoded back to JSON values.
///
/// **Several graphs.** A DOT file may hold several graphs one after another. `read` takes exactly one and
/// fails with ``DOTImportError/Code/multipleGraphs`` ("the file holds 2 graphs; only one is supported")
/// otherwise; `readAll` returns them all. Text after the last graph that is not a graph is a syntax error,
/// as it is for `dot`.
///
/// **Encoding.** A `String` is read as it is. Bytes (`Data`, files) are UTF-8 (a leading byte order mark
/// is skipped), or Latin-1 when the graph says `charset=latin1`; text that is neither is an error with
/// the line of the first bad byte, unless ``DOTImportOptions/invalidUTF8`` opts into the Latin-1
/// fallback (a warning in ``decode(contentsOf:options:)``).
///
/// **Valid documents.** What the model cannot hold as the file wrote it is kept another way and named
/// in a warning (see ``decode(contentsOf:options:)``), so every graph read converts to a JSON document
/// that ``/EntityGraph/GraphDocument/validate(contentsOf:limits:)`` accepts.
///
/// Thread-safe: any number of tasks may import at once (the Graphviz part is serialized).
public enum DOTImport {
    /// The one graph in `text`.
    /// - Parameters:
    ///   - text: DOT text.
    ///   - fileName: Names the input in errors.
    ///   - options: How nodes and edges map to entities and relations, and the limits checked first.
    /// - Throws: ``DOTImportError``; ``DOTImportError/Code/multipleGraphs`` when `text` holds more than one.
    public static func read(
        _ text: String, fileName: String? = nil,
        options: DOTImportOptions = .init()
    ) throws(DOTImportError) -> Graph {
        try graphs(Array(text.utf8), isText: true, fileName: fileName, options: options, single: true)[0].graph
    }

    /// The one graph in the DOT bytes `data` (UTF-8, or Latin-1 with `charset=latin1`).
    /// - Throws: ``DOTImportError``; ``DOTImportError/Code/multipleGraphs`` when `data` holds more than one.
    public static func read(
        _ data: Data, fileName: String? = nil,
        options: DOTImportOptions = .init()
    ) throws(DOTImportError) -> Graph {
        try graphs(Array(data), isText: false, fileName: fileName, options: options, single: true)[0].graph
    }

    /// The one graph in the DOT file at `url`; errors name the file by its last path component. Reads at
    /// most ``DOTImportOptions/maximumBytes`` (+1) bytes.
    public static func read(contentsOf url: URL, options: DOTImportOptions = .init()) throws(DOTImportError) -> Graph {
        let data = try contents(of: url, options: options)
        return try graphs(Array(data), isText: false, fileName: url.lastPathComponent, options: options, single: true)[
            0
        ].graph
    }

    /// The one graph in the DOT file at `url` and every warning, as the document and CSV readers
    /// give them: ``/EntityGraph/GraphDocument/Decoded/graph`` is `nil` when the file cannot be read
    /// (the error is then the one issue, its code `dot.` + the ``DOTImportError/Code``). Warnings name
    /// what the model could not hold as written and was kept another way: a date that is not one or
    /// that comes after its `until` (kept as an attribute), an empty node name or edge key (a generated
    /// id), text read as Latin-1 under ``DOTImportOptions/InvalidUTF8Handling/readAsLatin1``. Never
    /// throws.
    public static func decode(contentsOf url: URL, options: DOTImportOptions = .init()) -> GraphDocument.Decoded {
        do {
            let data = try contents(of: url, options: options)
            let result = try graphs(
                Array(data), isText: false, fileName: url.lastPathComponent, options: options, single: true)[0]
            return GraphDocument.Decoded(graph: result.graph, issues: result.warnings)
        } catch {
            let issue = ValidationIssue(
                severity: .error, code: ValidationIssue.Code(rawValue: "dot." + error.code.rawValue),
                message: ([error.message] + error.graphvizMessages.filter { $0 != "Error: " + error.message })
                    .joined(separator: "; "),
                path: "$", line: error.line, fileName: url.lastPathComponent)
            return GraphDocument.Decoded(graph: nil, issues: [issue])
        }
    }

    /// Every graph in `text`, in order (at least one).
    public static func readAll(
        _ text: String, fileName: String? = nil,
        options: DOTImportOptions = .init()
    ) throws(DOTImportError) -> [Graph] {
        try graphs(Array(text.utf8), isText: true, fileName: fileName, options: options, single: false).map(\.graph)
    }

    /// Every graph in the DOT bytes `data`, in order (at least one).
    public static func readAll(
        _ data: Data, fileName: String? = nil,
        options: DOTImportOptions = .init()
    ) throws(DOTImportError) -> [Graph] {
        try graphs(Array(data), isText: false, fileName: fileName, options: options, single: false).map(\.graph)
    }

    /// Every graph in the DOT file at `url`, in order (at least one).
    public static func readAll(
        contentsOf url: URL, options: DOTImportOptions = .init()
    ) throws(DOTImportError) -> [Graph] {
        let data = try contents(of: url, options: options)
        return try graphs(Array(data), isText: false, fileName: url.lastPathComponent, options: options, single: false)
            .map(\.graph)
    }

    // MARK: Internals

    private static func contents(of url: URL, options: DOTImportOptions) throws(DOTImportError) -> Data {
        let name = url.lastPathComponent
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let data = try handle.read(upToCount: min(options.maximumBytes, Int.max - 1) + 1) ?? Data()
            if data.count > options.maximumBytes {
                throw DOTImportError(
                    code: .limitExceeded, fileName: name, limit: .bytes,
                    message:
                        "the file is larger than the \(options.maximumBytes) bytes allowed (\(DOTImportError.Limit.bytes))"
                )
            }
            return data
        } catch let error as DOTImportError {
            throw error
        } catch {
            throw DOTImportError(
                code: .unreadable, fileName: name, message: "cannot read the file: \(error.localizedDescription)")
        }
    }

    /// Checks the limits, parses under the lock, then builds the model. `isText`: the bytes came from a
    /// `String` (already decoded, so `charset` is ignored).
    static func graphs(
        _ input: [UInt8], isText: Bool, fileName: String?, options: DOTImportOptions,
        single: Bool
    ) throws(DOTImportError) -> [(graph: Graph, warnings: [ValidationIssue])] {
        var bytes = input
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }

        let prescan = DOTPrescan(options: options)
        let violation: DOTImportError? = bytes.withUnsafeBufferPointer { buffer in
            do throws(DOTImportError) { try prescan.check(buffer) } catch { return error }
            return nil
        }
        if var violation {
            violation.fileName = fileName
            throw violation
        }

        let outcome: Result<(graphs: [ParsedDOTGraph], count: Int), DOTParser.Failure>
        do {
            outcome = try Graphviz.withLock { session in
                DOTParser.parse(bytes, honorCharset: !isText, keep: { single ? $0 == 0 : true }, session: &session)
            }
        } catch {
            throw DOTImportError(code: .graphvizUnavailable, fileName: fileName, message: "\(error)")
        }

        let parsed: [ParsedDOTGraph]
        switch outcome {
        case .failure(let failure):
            throw syntaxError(failure, fileName: fileName)
        case .success(let result):
            if result.count == 0 {
                throw DOTImportError(code: .empty, fileName: fileName, message: "the input holds no graph")
            }
            if single, result.count > 1 {
                throw DOTImportError(
                    code: .multipleGraphs, fileName: fileName,
                    message:
                        "the file holds \(result.count) graphs; only one is supported (DOTImport.readAll reads them all)"
                )
            }
            parsed = result.graphs
        }
        if options.invalidUTF8 == .reject, parsed.contains(where: \.sawInvalidUTF8) {
            throw DOTImportError(
                code: .invalidUTF8, fileName: fileName, line: DOTText.firstInvalidUTF8Line(bytes),
                message: "the text is not valid UTF-8 (declare charset=latin1 if it is Latin-1)")
        }
        var graphs: [(graph: Graph, warnings: [ValidationIssue])] = []
        graphs.reserveCapacity(parsed.count)
        let firstBadLine = DOTText.firstInvalidUTF8Line(bytes)
        for graph in parsed {
            do {
                var result = try DOTModelBuilder(parsed: graph, options: options, fileName: fileName).build()
                if graph.sawInvalidUTF8 {
                    result.warnings.insert(
                        ValidationIssue(
                            severity: .warning, code: .invalidUTF8,
                            message: "text that is not valid UTF-8 was read as Latin-1"
                                + (firstBadLine.map { " (the first bad byte is on line \($0))" } ?? ""),
                            path: "$", line: firstBadLine, fileName: fileName,
                            suggestion: "save the file as UTF-8, or declare charset=latin1 if it is Latin-1"),
                        at: 0)
                }
                graphs.append(result)
            } catch var error {
                error.fileName = fileName
                throw error
            }
        }
        return graphs
    }

    /// Graphviz's "syntax error in line N near 'x'" (or "memory exhausted …") as a typed error.
    private static func syntaxError(_ failure: DOTParser.Failure, fileName: String?) -> DOTImportError {
        let errorLine = failure.messages.first { $0.hasPrefix("Error") } ?? failure.messages.first
        var message =
            errorLine.map { $0.hasPrefix("Error: ") ? String($0.dropFirst(7)) : $0 }
            ?? "Graphviz's parser rejected the input"
        if failure.memoryExhausted, !message.contains("memory exhausted") {
            message += " (the parser ran out of stack)"
        }
        return DOTImportError(
            code: .syntax, fileName: fileName, line: errorLine.flatMap(lineNumber(in:)),
            graphvizMessages: failure.messages, message: message)
    }

    /// N from "… in line N …".
    static func lineNumber(in message: String) -> Int? {
        guard let range = message.range(of: "in line ") else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int(digits)
    }
}
