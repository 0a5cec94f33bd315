import EntityGraph
import Foundation

/// Issue 3's target: load + index a generated 50k-entity / 200k-relation document at least 3×
/// faster than networkx's `json.load` + `node_link_graph` on the same graph, with at most 300
/// bytes of resident memory per relation.
///
/// Writes `out/bench/graph-50k.json` and `out/bench/graph-50k.nodelink.json`, times
/// `GraphDocument.read` (median of 5 after a warm-up), measures resident memory in a fresh child
/// process (`EntityGraphBenchmarks load --rss-child FILE`), runs
/// `Benchmarks/python/load_networkx.py` on the node-link file, and prints one table.
enum LoadBenchmark {
    static let entityCount = 50_000
    static let relationCount = 200_000

    static func run() throws {
        let arguments = CommandLine.arguments
        if let flag = arguments.firstIndex(of: "--rss-child"), flag + 1 < arguments.count {
            try measureResidentMemory(path: arguments[flag + 1])
            return
        }

        let directory = URL(fileURLWithPath: "out/bench", isDirectory: true)
        print("LoadBenchmark: generating \(entityCount) entities / \(relationCount) relations …")
        let generationStart = ContinuousClock.now
        let (graph, document, nodeLink) = try BenchGraph.writeFiles(
            to: directory, name: "50k", entities: entityCount, relations: relationCount)
        let generation = ContinuousClock.now - generationStart
        let ourSize = try fileSize(document)
        let nodeLinkSize = try fileSize(nodeLink)
        print(
            "  generated and wrote both files in \(format(generation)) (ours \(megabytes(ourSize)), node-link \(megabytes(nodeLinkSize)))"
        )

        // Sanity: the file reads back to the generated graph.
        let check = try GraphDocument.read(contentsOf: document)
        guard check == graph else {
            throw LoadBenchmarkFailure("the document did not read back to the generated graph")
        }

        var samples: [Duration] = []
        var cpuSamples: [Double] = []
        for run in 0..<6 {
            let start = ContinuousClock.now
            let cpuStart = cpuSeconds()
            let loaded = try GraphDocument.read(contentsOf: document)
            let elapsed = ContinuousClock.now - start
            let cpu = cpuSeconds() - cpuStart
            precondition(loaded.relations.count == relationCount)
            if run > 0 {  // run 0 warms up
                samples.append(elapsed)
                cpuSamples.append(cpu)
            }
        }
        let ours = median(samples)
        let oursCPU = cpuSamples.sorted()[cpuSamples.count / 2]

        let writeStart = ContinuousClock.now
        let written = GraphDocument.write(graph)
        let writeTime = ContinuousClock.now - writeStart
        precondition(written.count == ourSize)

        let rss = try childResidentMemory(path: document.path)
        let python = runNetworkx(path: nodeLink.path)

        let oursSeconds = seconds(ours)
        print("")
        print(
            "Load + index, \(entityCount) entities / \(relationCount) relations (medians: ours of 5 after a warm-up, networkx of 3)"
        )
        print(pad("", 34) + pad("file", 10) + pad("wall", 10) + pad("CPU", 10) + "RSS/relation")
        print(
            pad("EntityGraph GraphDocument.read", 34) + pad(megabytes(ourSize), 10) + pad(format(ours), 10)
                + pad(format(seconds: oursCPU), 10) + "\(rss / relationCount) B")
        if let python {
            print(
                pad("networkx \(python.version) json.load+node_link", 34) + pad(megabytes(nodeLinkSize), 10)
                    + pad(format(seconds: python.seconds), 10) + pad(format(seconds: python.cpuSeconds), 10)
                    + "\(python.rss / relationCount) B")
            let ratio = python.seconds / oursSeconds
            let cpuRatio = python.cpuSeconds / oursCPU
            print(
                "speed-up vs networkx: \(String(format: "%.1f", ratio))× wall, \(String(format: "%.1f", cpuRatio))× CPU"
                    + " (target ≥ 3×: \(ratio >= 3 ? "met" : "NOT met"))")
        } else {
            print("networkx: not measured (python3 or networkx unavailable)")
        }
        print(
            "resident memory: \(rss / relationCount) bytes/relation (target ≤ 300: \(rss / relationCount <= 300 ? "met" : "NOT met"))"
        )
        print(
            "write (GraphDocument.write, in memory): \(format(writeTime)); read throughput \(String(format: "%.0f", Double(ourSize) / 1_000_000 / oursSeconds)) MB/s"
        )
        runManyIssues()
    }

    /// Validation of a minified (one-line) document with an error on every relation, at two sizes:
    /// the time per issue must stay flat as the file grows. Counting each issue's column from its
    /// line's start, or folding every suggestion candidate per issue, would make it grow with the file.
    static func runManyIssues() {
        print("")
        print("Validate a one-line document with an unknown type on every relation (median of 3)")
        print(pad("relations", 12) + pad("file", 10) + pad("issues", 10) + pad("wall", 10) + "per issue")
        var perIssue: [Double] = []
        for relations in [25_000, 100_000] {
            var text = #"{"formatVersion":1,"entities":[{"id":"a","kind":"person","name":"A"}],"relations":["#
            for index in 0..<relations {
                if index > 0 { text += "," }
                text += #"{"id":"r\#(index)","type":"undeclared","source":"a","target":"a"}"#
            }
            text += "]}"
            let bytes = Array(text.utf8)
            var samples: [Duration] = []
            var issues = 0
            for _ in 0..<3 {
                let start = ContinuousClock.now
                issues = GraphDocument.validate(bytes).count
                samples.append(ContinuousClock.now - start)
            }
            let wall = median(samples)
            perIssue.append(seconds(wall) / Double(max(issues, 1)))
            print(
                pad("\(relations)", 12) + pad(megabytes(bytes.count), 10) + pad("\(issues)", 10) + pad(format(wall), 10)
                    + String(format: "%.1f µs", perIssue.last! * 1e6))
        }
        let growth = perIssue[1] / perIssue[0]
        print(
            "time per issue, 4× the file: \(String(format: "%.2f", growth))× (linear if ≤ 1.5×: \(growth <= 1.5 ? "met" : "NOT met"))"
        )
    }

    /// CPU time of this process (user + system), robust against other load on the machine.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // MARK: Memory

    /// Child mode: load the file once and print the growth of resident memory.
    static func measureResidentMemory(path: String) throws {
        let before = residentBytes()
        let graph = try GraphDocument.read(contentsOf: URL(fileURLWithPath: path))
        let after = residentBytes()
        withExtendedLifetime(graph) {
            print("rss-delta \(after - before) relations \(graph.relations.count)")
        }
    }

    private static func childResidentMemory(path: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if !FileManager.default.fileExists(atPath: process.executableURL!.path) {
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        }
        process.arguments = ["load", "--rss-child", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = output.split(whereSeparator: \.isWhitespace)
        guard let index = fields.firstIndex(of: "rss-delta"), index + 1 < fields.count,
            let bytes = Int(fields[index + 1])
        else { throw LoadBenchmarkFailure("the memory child printed: \(output)") }
        return bytes
    }

    /// Resident set size from /proc/self/statm (Linux); 0 elsewhere.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    // MARK: networkx

    private static func runNetworkx(path: String) -> (seconds: Double, cpuSeconds: Double, rss: Int, version: String)? {
        let script = "Benchmarks/python/load_networkx.py"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, path, "--repeat", "3"]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let seconds = object["seconds"] as? Double
        else { return nil }
        return (
            seconds, object["cpu_seconds"] as? Double ?? seconds, object["rss_bytes"] as? Int ?? 0,
            object["networkx"] as? String ?? "?"
        )
    }

    // MARK: Formatting

    private static func fileSize(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    private static func median(_ samples: [Duration]) -> Duration { samples.sorted()[samples.count / 2] }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func format(_ duration: Duration) -> String { format(seconds: seconds(duration)) }

    private static func format(seconds: Double) -> String {
        seconds < 1 ? String(format: "%.0f ms", seconds * 1000) : String(format: "%.2f s", seconds)
    }

    private static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

struct LoadBenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
