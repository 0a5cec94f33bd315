import Foundation
import Testing

@testable import EntityGraph

/// Where python3 is, from PATH.
enum InteropPython {
    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("python3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()
}

/// Real consumers read our exports: networkx (GraphML, GEXF) and, for Cypher, a structural check
/// plus FalkorDB when it is installed. Runs `Tests/interop/*.py` with python3; skipped (with a
/// message) when python3 is missing.
@Suite(.enabled(if: InteropPython.executable != nil, "python3 not found on PATH: consumer checks skipped"))
struct InteropConsumerTests {
    static let scripts = DocumentTestSupport.repositoryRoot.appendingPathComponent("Tests/interop")

    /// Exit status 77 from a script means "skipped" (its dependency could not be installed).
    static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = InteropPython.executable
        process.arguments = [scripts.appendingPathComponent(script).path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func withExports<T>(_ graph: Graph, _ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "interop-consumer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try GraphDocument.write(graph, to: folder.appendingPathComponent("graph.json"))
        try graph.export(as: .graphml).write(to: folder.appendingPathComponent("graph.graphml"))
        try graph.export(as: .gexf).write(to: folder.appendingPathComponent("graph.gexf"))
        try graph.export(as: .cypher).write(to: folder.appendingPathComponent("graph.cypher"))
        try graph.export(as: .neo4jCSV).write(toFolder: folder.appendingPathComponent("neo4j"))
        return try body(folder)
    }

    @Test(arguments: ["seed", "hostile"])
    func networkxReadsGraphMLAndGEXF(name: String) throws {
        let graph = name == "seed" ? try InteropFixtures.seed() : InteropFixtures.hostileGraph()
        try InteropConsumerTests.withExports(graph) { folder in
            let result = try InteropConsumerTests.run(
                "check_networkx.py",
                [
                    "--document", folder.appendingPathComponent("graph.json").path,
                    "--graphml", folder.appendingPathComponent("graph.graphml").path,
                    "--gexf", folder.appendingPathComponent("graph.gexf").path,
                ])
            if result.status == 77 {
                print("InteropConsumerTests: skipped networkx check: \(result.output)")
                return
            }
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains(" 0 failed"))
        }
    }

    @Test(arguments: ["seed", "hostile"])
    func cypherScriptAndNeo4jCSVPassTheChecks(name: String) throws {
        let graph = name == "seed" ? try InteropFixtures.seed() : InteropFixtures.hostileGraph()
        try InteropConsumerTests.withExports(graph) { folder in
            var arguments = [
                "--document", folder.appendingPathComponent("graph.json").path,
                "--cypher", folder.appendingPathComponent("graph.cypher").path,
                "--neo4j", folder.appendingPathComponent("neo4j").path,
            ]
            if ProcessInfo.processInfo.environment["ENTITYGRAPH_CYPHER_ENGINE"] == "1" {
                arguments.append("--install-engine")
            }
            let result = try InteropConsumerTests.run("check_cypher.py", arguments)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains(" 0 failed"))
            if result.output.contains("SKIP engine") {
                print(
                    "InteropConsumerTests: Cypher engine check skipped (set ENTITYGRAPH_CYPHER_ENGINE=1 to install FalkorDB)"
                )
            }
        }
    }
}
