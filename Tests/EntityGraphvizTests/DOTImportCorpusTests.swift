import EntityGraph
import EntityGraphviz
import Foundation
import Testing

/// Real-world DOT files checked against Graphviz's own verdict: every file `nop` parses must import with
/// the node and edge counts `gc` reports, and every file it rejects must be rejected with its message.
///
/// Two sets: the full corpus in `../shared/corpus/dot` beside the repository (skipped when absent, e.g.
/// in a fresh clone without it), and the small subset under `Fixtures/dot`, always checked.
@Suite("DOTImport corpus")
struct DOTImportCorpusTests {
    /// The repository's root: three levels up from this file (`Tests/EntityGraphvizTests/<file>.swift`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let sharedCorpus = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/dot")
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/EntityGraphvizTests/Fixtures/dot")
    static var hasSharedCorpus: Bool {
        FileManager.default.fileExists(atPath: sharedCorpus.appendingPathComponent("expected.json").path)
    }

    /// A guard against a hang, not a speed target (speed is the benchmark suite's): the largest file
    /// takes ~5 s in a debug build, and 24 s once on a CI machine busy with sanitizer builds.
    static let budget: Duration = .seconds(180)

    @Test(
        "the shared corpus: every file imports or is rejected as Graphviz does",
        .enabled(
            if: hasSharedCorpus,
            "no corpus at ../shared/corpus/dot (a clone without shared/); the fixtures test still runs"))
    func sharedCorpus() throws {
        let report = try Self.check(folder: Self.sharedCorpus, manifest: "expected.json")
        print("DOT corpus (\(Self.sharedCorpus.path)): \(report.summary)")
        #expect(report.mismatches.isEmpty, "\(report.mismatches.joined(separator: "\n"))")
        #expect(report.imported + report.rejected == report.total)
    }

    @Test("the fixture subset: every file imports or is rejected as Graphviz does")
    func fixtureSubset() throws {
        let report = try Self.check(folder: Self.fixtures, manifest: "fixtures.json")
        print("DOT fixtures: \(report.summary)")
        #expect(report.total >= 25)
        #expect(report.rejected >= 3)
        #expect(report.mismatches.isEmpty, "\(report.mismatches.joined(separator: "\n"))")
    }

    @Test("the fixture manifest agrees with the shared corpus", .enabled(if: hasSharedCorpus))
    func fixturesMatchCorpus() throws {
        let corpus = try Manifest.load(Self.sharedCorpus.appendingPathComponent("expected.json"))
        let fixtures = try Manifest.load(Self.fixtures.appendingPathComponent("fixtures.json"))
        let byFile = Dictionary(uniqueKeysWithValues: corpus.files.map { ($0.file, $0) })
        for entry in fixtures.files {
            let original = try #require(byFile[entry.file], "\(entry.file) is not in the corpus")
            #expect(entry == original)
            let copy = try Data(contentsOf: Self.fixtures.appendingPathComponent(entry.file))
            let source = try Data(contentsOf: Self.sharedCorpus.appendingPathComponent(entry.file))
            #expect(copy == source, "\(entry.file) differs from the corpus copy")
        }
    }

    @Test(
        "every graph of the shared corpus converts to a JSON document that validate accepts",
        .enabled(if: hasSharedCorpus, "no corpus at ../shared/corpus/dot"))
    func corpusConvertsToValidDocuments() throws {
        let manifest = try Manifest.load(Self.sharedCorpus.appendingPathComponent("expected.json"))
        var checked = 0
        var failures: [String] = []
        for entry in manifest.files where entry.parse_ok {
            var latin1 = DOTImportOptions()
            latin1.invalidUTF8 = .readAsLatin1
            guard
                let graphs = try? DOTImport.readAll(
                    contentsOf: Self.sharedCorpus.appendingPathComponent(entry.file), options: latin1)
            else { continue }
            for graph in graphs {
                let issues = GraphDocument.decode(GraphDocument.write(graph), fileName: entry.file).errors
                failures += issues.map(\.description)
                checked += 1
            }
        }
        #expect(checked > 150)
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
    }

    // MARK: Checking

    struct Manifest: Decodable {
        struct Entry: Decodable, Equatable {
            struct GraphCounts: Decodable, Equatable {
                var name: String
                var nodes: Int
                var edges: Int
                var type: String
            }
            var file: String
            var bytes: Int
            var parse_ok: Bool
            var parse_stderr_first_line: String
            var graph_count: Int
            var graphs: [GraphCounts]
        }
        var files: [Entry]

        static func load(_ url: URL) throws -> Manifest {
            try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url))
        }
    }

    struct Report {
        var total = 0
        var imported = 0
        var graphs = 0
        var rejected = 0
        var mismatches: [String] = []
        var slowest: (file: String, duration: Duration) = ("", .zero)

        var summary: String {
            "\(total) files: imported \(imported) (\(graphs) graphs), rejected \(rejected) as Graphviz does, "
                + "\(mismatches.count) mismatches; slowest \(slowest.file) in \(slowest.duration)"
        }
    }

    /// Graphviz's first message for a file, without the file's name (the CLI names the file; an in-memory
    /// parse says "input"): "Error: x.dot: syntax error in line 3" → "Error: syntax error in line 3".
    static func normalized(_ message: String, fileName: String) -> String {
        message.replacingOccurrences(of: "\(fileName): ", with: "")
            .replacingOccurrences(of: " of \(fileName) ", with: " of input ")
    }

    static func check(folder: URL, manifest: String) throws -> Report {
        let entries = try Manifest.load(folder.appendingPathComponent(manifest)).files
        var report = Report()
        let clock = ContinuousClock()
        for entry in entries {
            report.total += 1
            let url = folder.appendingPathComponent(entry.file)
            let name = url.lastPathComponent
            let start = clock.now
            if entry.parse_ok {
                do {
                    // Graphviz reads stray non-UTF-8 bytes as Latin-1; so does this check (the default
                    // rejects them, see DOTImportTests).
                    var latin1 = DOTImportOptions()
                    latin1.invalidUTF8 = .readAsLatin1
                    let graphs = try DOTImport.readAll(contentsOf: url, options: latin1)
                    let counts = graphs.map { [$0.entities.count, $0.relations.count] }
                    let expected = entry.graphs.map { [$0.nodes, $0.edges] }
                    if counts == expected {
                        report.imported += 1
                        report.graphs += graphs.count
                    } else {
                        report.mismatches.append(
                            "\(entry.file): nodes/edges per graph \(counts), Graphviz says \(expected)")
                    }
                    // `read` takes exactly one graph.
                    do {
                        let single = try DOTImport.read(contentsOf: url, options: latin1)
                        if graphs.count != 1 || single != graphs[0] {
                            report.mismatches.append("\(entry.file): read disagrees with readAll")
                        }
                    } catch  where graphs.count > 1 && error.code == .multipleGraphs {
                    }
                } catch {
                    report.mismatches.append("\(entry.file): Graphviz parses it, we fail: \(error)")
                }
            } else {
                do {
                    _ = try DOTImport.readAll(contentsOf: url)
                    report.mismatches.append("\(entry.file): Graphviz rejects it, we import it")
                } catch {
                    let expected = normalized(entry.parse_stderr_first_line, fileName: name)
                    if error.code != .syntax {
                        report.mismatches.append(
                            "\(entry.file): rejected with \(error.code), not as a syntax error: \(error)")
                    } else if !error.graphvizMessages.contains(expected) {
                        report.mismatches.append(
                            "\(entry.file): Graphviz says '\(expected)', we have \(error.graphvizMessages)")
                    } else if error.fileName != name
                        || error.line != error.graphvizMessages.compactMap(lineNumber).first
                    {
                        report.mismatches.append("\(entry.file): error without file name or line: \(error)")
                    } else {
                        report.rejected += 1
                    }
                }
            }
            let duration = clock.now - start
            if duration > report.slowest.duration { report.slowest = (entry.file, duration) }
            if duration > budget {
                report.mismatches.append("\(entry.file): took \(duration), over the \(budget) budget")
            }
        }
        return report
    }

    /// The line of the first "Error" message.
    static func lineNumber(_ message: String) -> Int? {
        guard message.hasPrefix("Error"), let range = message.range(of: "in line ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }
}
