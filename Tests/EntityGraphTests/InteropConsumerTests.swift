import Foundation
import Testing

@testable import EntityGraph

/// Runs one consumer check (a Python script in `Tests/interop` or `Tests/Browser`) and judges its exit
/// status: 0 passes; 1 fails with the script's output (each failed assertion on a `FAIL:` line); 77 means
/// the script could not install what it needs, which fails too unless `ENTITYGRAPH_ALLOW_SKIP=1`, so CI
/// never skips a consumer silently. Each script installs its own dependencies (apt, and PyPI into
/// `~/.cache/entitygraph/*-venv`); `make consumers-deps` installs them all ahead of the tests.
enum ConsumerCheck {
    static let repositoryRoot = DocumentTestSupport.repositoryRoot
    /// The one document every format and consumer is checked with: hostile names, ids, keys and values.
    static let hostileURL = repositoryRoot.appending(path: "Tests/Fixtures/hostile-strings.json")
    /// The documents the checks run on: the seed graph and the hostile fixture.
    static let documents = ["seed", "hostile-strings"]
    /// A check that runs longer than this (a first install of every package included) is stopped.
    static let timeout: TimeInterval = 1_200

    static func url(of document: String) -> URL {
        document == "seed" ? DocumentTestSupport.seedURL : hostileURL
    }

    static let python: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appending(path: "python3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    static var skipsAllowed: Bool { ProcessInfo.processInfo.environment["ENTITYGRAPH_ALLOW_SKIP"] == "1" }

    /// Runs `script` (a path relative to the repository) with `arguments`; records an issue unless it
    /// passed. Output goes to a file, so a chatty script cannot fill a pipe and stall.
    static func expectPasses(
        _ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        guard let python else {
            if !skipsAllowed {
                Issue.record("python3 is not on PATH: \(script) cannot run", sourceLocation: sourceLocation)
            }
            return
        }
        let log = FileManager.default.temporaryDirectory.appending(path: "consumer-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = python
        process.arguments = [repositoryRoot.appending(path: script).path] + arguments
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        while process.isRunning && Date().timeIntervalSince(started) < timeout {
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("\(script) did not finish within \(Int(timeout)) s", sourceLocation: sourceLocation)
        }
        try handle.close()
        let output = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        let summary = output.split(separator: "\n").last.map(String.init) ?? ""
        print("\(script) \(arguments.first(where: { $0.hasSuffix(".json") }) ?? ""): \(summary) [\(seconds) s]")
        switch process.terminationStatus {
        case 0:
            #expect(output.contains(" 0 failed"), "\(output)", sourceLocation: sourceLocation)
        case 77 where skipsAllowed:
            print("\(script): skipped (ENTITYGRAPH_ALLOW_SKIP=1): \(output)")
        case 77:
            Issue.record(
                "\(script) could not install what it needs (set ENTITYGRAPH_ALLOW_SKIP=1 to allow this):\n\(output)",
                sourceLocation: sourceLocation)
        default:
            Issue.record(
                "\(script) failed (exit \(process.terminationStatus)):\n\(output)", sourceLocation: sourceLocation)
        }
    }

    /// A temporary folder holding `body`'s exports, removed afterwards.
    static func withFolder<T>(_ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appending(path: "interop-consumer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }
}

/// Real consumers read every export of the seed graph and of `Tests/Fixtures/hostile-strings.json`, and
/// what they read is compared with the document itself: networkx (GraphML, GEXF), FalkorDB (the Cypher
/// script, and the neo4j-admin CSVs through LOAD CSV), ArcadeDB over Bolt with the neo4j driver (the
/// Cypher script), followthemoney (FtM JSON lines) and mermaid.js in headless Chromium (Mermaid).
/// Graphviz reads the DOT export in `EntityGraphvizTests/DOTConsumerTests`. The scripts say what they
/// assert at their top.
@Suite struct InteropConsumerTests {
    @Test(arguments: ConsumerCheck.documents)
    func networkxReadsGraphMLAndGEXF(document: String) throws {
        let source = ConsumerCheck.url(of: document)
        let graph = try GraphDocument.read(contentsOf: source)
        try ConsumerCheck.withFolder { folder in
            try graph.export(as: .graphml).write(to: folder.appending(path: "graph.graphml"))
            try graph.export(as: .gexf).write(to: folder.appending(path: "graph.gexf"))
            try ConsumerCheck.expectPasses(
                "Tests/interop/check_networkx.py",
                [
                    "--document", source.path, "--graphml", folder.appending(path: "graph.graphml").path,
                    "--gexf", folder.appending(path: "graph.gexf").path,
                ])
        }
    }

    @Test(arguments: ConsumerCheck.documents)
    func falkorDBRunsTheCypherScriptAndLoadsTheNeo4jCSV(document: String) throws {
        let source = ConsumerCheck.url(of: document)
        let graph = try GraphDocument.read(contentsOf: source)
        try ConsumerCheck.withFolder { folder in
            try graph.export(as: .cypher).write(to: folder.appending(path: "graph.cypher"))
            // neo4j-admin import is a machine consumer: it gets raw cells, the documented option.
            // (CSVFormulaSafetyTests check that the default neutralises them.)
            _ = try graph.export(as: .neo4jCSV, formulaSafety: .raw).write(toFolder: folder.appending(path: "neo4j"))
            try ConsumerCheck.expectPasses(
                "Tests/interop/check_cypher.py",
                [
                    "--document", source.path, "--cypher", folder.appending(path: "graph.cypher").path,
                    "--neo4j", folder.appending(path: "neo4j").path,
                ])
        }
    }

    @Test(arguments: ConsumerCheck.documents)
    func arcadeDBRunsTheCypherScriptOverBolt(document: String) throws {
        let source = ConsumerCheck.url(of: document)
        let graph = try GraphDocument.read(contentsOf: source)
        try ConsumerCheck.withFolder { folder in
            try graph.export(as: .cypher).write(to: folder.appending(path: "graph.cypher"))
            try ConsumerCheck.expectPasses(
                "Tests/interop/check_arcadedb.py",
                ["--document", source.path, "--cypher", folder.appending(path: "graph.cypher").path])
        }
    }

    @Test(arguments: ConsumerCheck.documents)
    func followTheMoneyValidatesEveryObject(document: String) throws {
        let source = ConsumerCheck.url(of: document)
        let graph = try GraphDocument.read(contentsOf: source)
        let derived = graph.relations.values.count { $0.attributes[FtMVocabulary.propertyKey] != nil }
        try ConsumerCheck.withFolder { folder in
            try graph.export(as: .ftm).write(to: folder.appending(path: "graph.ftm.json"))
            try ConsumerCheck.expectPasses(
                "Tests/interop/check_followthemoney.py",
                [
                    "--ftm", folder.appending(path: "graph.ftm.json").path, "--objects",
                    String(graph.entities.count + graph.relations.count - derived),
                ])
        }
    }

    /// The zala fixture (OpenSanctions data), read, written as a document, read again and written as
    /// FtM: followthemoney accepts every object and it is the original's.
    @Test(.enabled(if: FtMReaderTests.hasCorpus, "no corpus at ../shared/corpus/ftm"))
    func followTheMoneyGetsTheZalaFixtureBack() throws {
        let original = FtMReaderTests.corpus.appending(path: "zala.ftm.json")
        let graph = try GraphDocument.read(GraphDocument.write(try FtMReader.read(contentsOf: original)))
        try ConsumerCheck.withFolder { folder in
            try graph.export(as: .ftm).write(to: folder.appending(path: "zala.ftm.json"))
            try ConsumerCheck.expectPasses(
                "Tests/interop/check_followthemoney.py",
                ["--ftm", folder.appending(path: "zala.ftm.json").path, "--original", original.path])
        }
    }

    @Test(arguments: ConsumerCheck.documents)
    func mermaidRendersTheChartLiterally(document: String) throws {
        let source = ConsumerCheck.url(of: document)
        let graph = try GraphDocument.read(contentsOf: source)
        try ConsumerCheck.withFolder { folder in
            try graph.export(as: .mermaid).write(to: folder.appending(path: "graph.mmd"))
            try ConsumerCheck.expectPasses(
                "Tests/Browser/test_mermaid.py",
                ["--document", source.path, "--mermaid", folder.appending(path: "graph.mmd").path])
        }
    }
}
