import Foundation
import Testing

@testable import EntityGraph

/// `Graphs/entitygraph.schema.json` agrees with the reader: documents the library reads and writes
/// pass it, and documents with errors it can express fail it. Needs python3 with `jsonschema`;
/// skipped without them.
@Suite(.enabled(if: PythonTool.hasJSONSchema, "needs python3 with the jsonschema package"))
struct DocumentSchemaTests {
    typealias Support = DocumentTestSupport

    static let schemaURL = Support.repositoryRoot.appending(path: "Graphs/entitygraph.schema.json")

    /// Validates each file against the schema; returns the error count per file.
    static func schemaErrors(_ files: [URL]) throws -> [Int] {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1], encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            for path in sys.argv[2:]:
                errors = list(validator.iter_errors(json.load(open(path, encoding="utf-8"))))
                for error in errors:
                    print(path, error.json_path, error.message, file=sys.stderr)
                print(len(errors))
            """
        let python = try #require(PythonTool.python)
        let result = try PythonTool.run(python, ["-c", script, schemaURL.path] + files.map(\.path))
        #expect(result.status == 0, "\(result.error)")
        return result.output.split(separator: "\n").compactMap { Int($0) }
    }

    @Test func seedAndWrittenDocumentsPassTheSchema() throws {
        let directory = FileManager.default.temporaryDirectory.appending(
            path: "entitygraph-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rich = directory.appending(path: "rich.json")
        try GraphDocument.write(try Support.richGraph(), to: rich)
        let generated = directory.appending(path: "generated.json")
        try GraphDocument.write(try DocumentRoundTripTests.generatedGraph(entities: 200, relations: 600), to: generated)
        let validSample = directory.appending(path: "sample.json")
        try Data(Support.document().utf8).write(to: validSample)

        #expect(try Self.schemaErrors([Support.seedURL, rich, generated, validSample]) == [0, 0, 0, 0])
    }

    @Test func documentsWithErrorsFailTheSchemaToo() throws {
        let cases = [
            Support.document(entity: #"{"id": "a", "nmae": "A", "name": "A", "kind": "person"}"#),  // unknown key
            Support.document(entity: #"{"id": "a\u0007b", "name": "A", "kind": "person"}"#),  // control in id
            Support.document(entity: #"{"id": "a", "name": "  ", "kind": "person"}"#),  // blank name
            Support.document(entity: #"{"id": "a", "kind": "person"}"#),  // missing name
            Support.document(relations: [
                #"{"id": "r", "type": "owns", "source": "zelensky", "target": "lukashenko", "since": "2022-13"}"#
            ]),
            Support.document(relations: [
                #"{"id": "r", "type": "owns", "source": "zelensky", "target": "lukashenko", "certainty": "sure"}"#
            ]),
            #"{"formatVersion": 2, "entities": []}"#,
            #"{"formatVersion": 1, "kinds": [{"id": "person"}], "entities": []}"#,
            #"{"directed": true, "nodes": [], "links": []}"#,
        ]
        let directory = FileManager.default.temporaryDirectory.appending(
            path: "entitygraph-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [URL] = []
        for (index, text) in cases.enumerated() {
            #expect(!GraphDocument.decode(text.utf8).errors.isEmpty, "the reader rejects case \(index)")
            let url = directory.appending(path: "case\(index).json")
            try Data(text.utf8).write(to: url)
            files.append(url)
        }
        let counts = try Self.schemaErrors(files)
        #expect(counts.count == cases.count)
        for (index, count) in counts.enumerated() { #expect(count > 0, "the schema rejects case \(index)") }
    }
}

/// Finds and runs python3 for the schema tests.
enum PythonTool {
    static let python: URL? = findPython()

    static let hasJSONSchema: Bool = {
        guard let python else { return false }
        return (try? run(python, ["-c", "import jsonschema"]).status) == 0
    }()

    /// The first `python3` on `PATH` (so a virtualenv or pyenv python with jsonschema wins).
    static func findPython() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        return nil
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}
