import EntityGraph
import EntityGraphviz
import Foundation
import Testing

/// Graphviz's own command-line tools read ``DOTExport``'s output back (`Tests/interop/check_dot.py`):
/// `dot -Tjson` parses it and draws every label literally, `gc` counts the nodes and edges, `gvpr` reads
/// the edge keys, and all of it is compared with the document (the seed graph and
/// `Tests/Fixtures/hostile-strings.json`). The script installs the `graphviz` package when `dot` is
/// missing. Exit status 77 (it could not) fails the test unless `ENTITYGRAPH_ALLOW_SKIP=1`.
@Suite struct DOTConsumerTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let documents = [
        "Graphs/zelensky-lukashenko-mozyr.json", "Tests/Fixtures/hostile-strings.json",
    ]
    static let timeout: TimeInterval = 900

    static let python: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appending(path: "python3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    @Test(arguments: documents)
    func graphvizReadsTheDOTExportBack(document: String) throws {
        let allowSkip = ProcessInfo.processInfo.environment["ENTITYGRAPH_ALLOW_SKIP"] == "1"
        guard let python = DOTConsumerTests.python else {
            if !allowSkip { Issue.record("python3 is not on PATH: check_dot.py cannot run") }
            return
        }
        let source = DOTConsumerTests.repositoryRoot.appending(path: document)
        let graph = try GraphDocument.read(contentsOf: source)
        let folder = FileManager.default.temporaryDirectory.appending(path: "dot-consumer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dot = folder.appending(path: "graph.gv")
        try DOTExport.write(graph).write(to: dot)

        let log = folder.appending(path: "check.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = python
        process.arguments = [
            DOTConsumerTests.repositoryRoot.appending(path: "Tests/interop/check_dot.py").path,
            "--document", source.path, "--dot", dot.path,
        ]
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        while process.isRunning && Date().timeIntervalSince(started) < DOTConsumerTests.timeout {
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("check_dot.py did not finish within \(Int(DOTConsumerTests.timeout)) s")
        }
        try handle.close()
        let output = String(decoding: try Data(contentsOf: log), as: UTF8.self)
        print("check_dot.py \(document): \(output.split(separator: "\n").last ?? "")")
        switch process.terminationStatus {
        case 0: #expect(output.contains(" 0 failed"), "\(output)")
        case 77 where allowSkip: print("check_dot.py: skipped (ENTITYGRAPH_ALLOW_SKIP=1): \(output)")
        case 77:
            Issue.record("check_dot.py could not install Graphviz (ENTITYGRAPH_ALLOW_SKIP=1 allows this):\n\(output)")
        default: Issue.record("check_dot.py failed (exit \(process.terminationStatus)):\n\(output)")
        }
    }
}
