import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

// End-to-end helpers: run the built `entitygraph` binary with Foundation's Process, compare output
// with golden files in Snapshots/, and make scratch folders.

/// The repository root (this file is Tests/entitygraphTests/Support.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The seed graph, relative to ``repositoryRoot`` (commands run there, so messages show this path).
let seedGraph = "Graphs/zelensky-lukashenko-mozyr.json"

/// What one run of the command produced.
struct CommandResult {
    var status: Int32
    var standardOutput: Data
    var standardError: String

    var output: String { String(decoding: standardOutput, as: UTF8.self) }
}

enum CLI {
    /// The built binary: `$ENTITYGRAPH_BINARY`, else `entitygraph` in the products folder that holds
    /// the test bundle (`.build/debug` or `<scratch-path>/debug`), else the newest
    /// `.build*/debug/entitygraph` under the repository.
    static let binary: URL? = {
        let fileManager = FileManager.default
        func executable(_ url: URL) -> URL? { fileManager.isExecutableFile(atPath: url.path) ? url : nil }
        if let explicit = ProcessInfo.processInfo.environment["ENTITYGRAPH_BINARY"] {
            return executable(URL(fileURLWithPath: explicit))
        }
        var folders: [URL] = []
        for bundle in [Bundle.main] + Bundle.allBundles {
            let url = bundle.bundleURL
            folders.append(url.pathExtension == "xctest" ? url.deletingLastPathComponent() : url)
        }
        if let runner = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: runner).deletingLastPathComponent())
        }
        for folder in folders {
            if let found = executable(folder.appendingPathComponent("entitygraph")) { return found }
        }
        let candidates = (try? fileManager.contentsOfDirectory(atPath: repositoryRoot.path)) ?? []
        let built = candidates.filter { $0.hasPrefix(".build") }.compactMap { name in
            executable(repositoryRoot.appendingPathComponent(name).appendingPathComponent("debug/entitygraph"))
        }
        func modified(_ url: URL) -> Date {
            ((try? fileManager.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
        }
        return built.max { modified($0) < modified($1) }
    }()

    /// Runs `entitygraph arguments` in `directory` (the repository root by default) with a fixed
    /// terminal width, and returns its exit status and output.
    static func run(
        _ arguments: [String], in directory: URL = repositoryRoot,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CommandResult {
        let binary = try #require(
            CLI.binary, "no built entitygraph binary found; run 'swift build' (or set ENTITYGRAPH_BINARY)",
            sourceLocation: sourceLocation)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "80"
        environment["LINES"] = "25"
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so a large output cannot fill a pipe and block it.
        let errorReader = PipeReader(error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorReader.finish()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus, standardOutput: outputData,
            standardError: String(decoding: errorData, as: UTF8.self))
    }
}

/// Reads a pipe to its end on a background thread.
final class PipeReader: @unchecked Sendable {
    // `done` is signalled once `data` is final; `data` is read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}

/// Compares `actual` with `Snapshots/<name>`; with `SNAPSHOT_RECORD=1` in the environment, writes it
/// instead. A missing snapshot fails with a hint.
func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record(
            "no snapshot \(name); run the tests with SNAPSHOT_RECORD=1 to record it", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first =
            zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(actualLines.count, expectedLines.count)
        let shownActual = first < actualLines.count ? String(actualLines[first]) : "<end>"
        let shownExpected = first < expectedLines.count ? String(expectedLines[first]) : "<end>"
        Issue.record(
            """
            output differs from Snapshots/\(name) at line \(first + 1) (re-record with SNAPSHOT_RECORD=1)
              expected: \(shownExpected)
              actual:   \(shownActual)
            """, sourceLocation: sourceLocation)
    }
}

/// A fresh empty folder, removed when `body` returns.
func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("entitygraph-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// Parses JSON output.
func parseJSON(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
    try JSONSerialization.jsonObject(with: data)
}

/// The `id` of every element of an SVG, parsed as XML (Graphviz escapes `-` as `&#45;`, so ids are
/// compared after parsing, not as text).
func svgElementIDs(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> Set<String> {
    final class Collector: NSObject, XMLParserDelegate {
        var ids: Set<String> = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if let id = attributes["id"] { ids.insert(id) }
        }
    }
    let collector = Collector()
    let parser = XMLParser(data: data)
    parser.shouldResolveExternalEntities = false
    parser.delegate = collector
    try #require(
        parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))",
        sourceLocation: sourceLocation)
    return collector.ids
}
