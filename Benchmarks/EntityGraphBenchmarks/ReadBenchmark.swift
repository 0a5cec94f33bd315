import EntityGraph
import EntityGraphviz
import Foundation

/// Issue 18's rows ("bring your own data"): reading the interchange files a user brings, against the
/// Python library that user would otherwise load them with, on the same file:
/// - FollowTheMoney JSON lines: `FtMReader.read` against followthemoney (`json.loads` and
///   `model.get_proxy` per line), on zala (`../shared/corpus/ftm/zala.ftm.json`, 91 lines) and on
///   zala copied 600 times with fresh ids (54,600 lines);
/// - GraphML and GEXF: `GraphMLReader.read` / `GEXFReader.read` against networkx's `read_graphml` /
///   `read_gexf`, on our export of a generated 10,000-entity / 30,000-relation graph;
/// - DOT: `DOTImport.read` (Graphviz's own parser) against networkx's `nx_pydot.read_dot`, on the
///   largest files of `../shared/corpus/dot`.
///
/// The generated files go into a temporary folder, removed afterwards. Each side reads in a fresh
/// process (`EntityGraphBenchmarks read --child FORMAT FILE`, `Benchmarks/python/read_formats.py
/// FORMAT FILE`), the two interleaved over ``rounds`` rounds (ours, theirs, ours, theirs …). In each
/// process the first load measures memory: the peak resident set above the resident set before it
/// (the kernel's high-water mark reset through `/proc/self/clear_refs`); the second load is timed.
/// Times are medians over the rounds; the ratio is the median of the rounds' ratios, with its range.
///
/// Run: `swift run -c release EntityGraphBenchmarks read [ftm|graphml|gexf|dot] [--keep-files]` (part
/// of `make bench`, which measures every format).
enum ReadBenchmark {
    static let rounds = 5
    static let ftmCopies = 600
    static let xmlEntities = 10_000
    static let xmlRelations = 30_000
    /// The DOT files read, the largest of the shared corpus that both parsers accept.
    static let dotFiles = 2

    enum Format: String {
        case ftm, graphml, gexf, dot
    }

    /// One file both sides read.
    struct Case {
        var title: String
        var format: Format
        var file: URL
    }

    /// What one process reported about its loads.
    struct Sample {
        var seconds: Double
        var cpuSeconds: Double
        var firstSeconds: Double
        var peakBytes: Int
        var objects: Int
        var edges: Int
        var library: String
    }

    static func run() throws {
        let arguments = CommandLine.arguments
        if let flag = arguments.firstIndex(of: "--child"), flag + 2 < arguments.count,
            let format = Format(rawValue: arguments[flag + 1])
        {
            try child(format: format, path: arguments[flag + 2])
            return
        }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("entitygraph-read-bench-\(getpid())", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let keep = arguments.contains("--keep-files")  // to read a failing file by hand
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }

        print("")
        print("ReadBenchmark: preparing the files in \(folder.path) …")
        var cases: [Case] = []
        let zala = URL(fileURLWithPath: "../shared/corpus/ftm/zala.ftm.json")
        if FileManager.default.fileExists(atPath: zala.path) {
            let big = folder.appendingPathComponent("zala-x\(ftmCopies).ftm.json")
            let lines = try replicateFtM(zala, copies: ftmCopies, to: big)
            cases.append(Case(title: "FtM: zala (\(try lineCount(zala)) lines)", format: .ftm, file: zala))
            cases.append(
                Case(
                    title: "FtM: zala × \(ftmCopies) with fresh ids (\(grouped(lines)) lines)", format: .ftm,
                    file: big))
        } else {
            print("  FtM rows skipped: \(zala.path) is missing (the shared corpus beside the work tree)")
        }
        let graph = BenchGraph.generate(entities: xmlEntities, relations: xmlRelations, seed: 18)
        for format in [Format.graphml, .gexf] {
            let file = folder.appendingPathComponent("generated.\(format.rawValue)")
            try graph.export(as: format == .graphml ? .graphml : .gexf).write(to: file)
            cases.append(
                Case(
                    title:
                        "\(format == .graphml ? "GraphML" : "GEXF"): our export of a generated \(grouped(xmlEntities)) "
                        + "entities / \(grouped(xmlRelations)) relations", format: format, file: file))
        }
        for file in largestDOTFiles(count: dotFiles) {
            cases.append(Case(title: "DOT: \(file.path)", format: .dot, file: file))
        }

        print(
            "Read interchange files (\(ProcessInfo.processInfo.activeProcessorCount) cores, "
                + "\(IsolationBenchmark.loadText()); \(rounds) rounds, each side a fresh process per round, interleaved; "
                + "time: the second load in the process, median; peak: resident memory above the process's before the "
                + "first load)")
        // `read graphml` (or ftm, gexf, dot) measures one format only.
        let only = arguments.dropFirst(2).first.flatMap(Format.init(rawValue:))
        for item in cases where only == nil || item.format == only {
            try measure(item)
            fflush(nil)
        }
    }

    // MARK: Measuring

    private static func measure(_ item: Case) throws {
        let size = (try FileManager.default.attributesOfItem(atPath: item.file.path)[.size] as? Int) ?? 0
        print("")
        print("\(item.title), \(RenderBenchmark.mb(size))")
        var ours: [Sample] = []
        var theirs: [Sample] = []
        var pythonFailure: String?
        for _ in 0..<rounds {
            switch ourSample(item) {
            case .success(let sample): ours.append(sample)
            case .failure(let failure):
                print("  \(ourReaderName(item.format)): failed, not measured (\(failure.description))")
                return
            }
            if pythonFailure == nil {
                switch pythonSample(item) {
                case .success(let sample): theirs.append(sample)
                case .failure(let failure): pythonFailure = failure.description
                }
            }
        }
        let oursName = ourReaderName(item.format)
        print(line(oursName, ours, objects: "entities", edges: "relations"))
        guard pythonFailure == nil, let library = theirs.first?.library else {
            print("  \(pythonSide(item.format)): not measured (\(pythonFailure ?? "no sample"))")
            return
        }
        print(
            line(
                "\(library) \(pythonSide(item.format))", theirs,
                objects: item.format == .ftm ? "proxies" : "nodes", edges: "edges"))
        let ratios = zip(ours, theirs).map { $1.seconds / $0.seconds }.sorted()
        let cpuRatio = median(theirs.map(\.cpuSeconds)) / median(ours.map(\.cpuSeconds))
        let memoryRatio = Double(medianInt(ours.map(\.peakBytes))) / Double(max(1, medianInt(theirs.map(\.peakBytes))))
        let wallRatio = median(ratios)
        print(
            "  ratio: "
                + String(
                    format: "%.2f× %@ wall (%.2f–%.2f over %d rounds), %.2f× CPU; peak memory ours/theirs %.2f×",
                    wallRatio >= 1 ? wallRatio : 1 / wallRatio, wallRatio >= 1 ? "faster" : "slower", ratios.first!,
                    ratios.last!, ratios.count, cpuRatio, memoryRatio))
        if item.format == .graphml || item.format == .gexf || item.format == .dot,
            ours[0].objects != theirs[0].objects || ours[0].edges != theirs[0].edges
        {
            print("  note: the two sides read different counts (ours \(ours[0].objects)/\(ours[0].edges))")
        }
    }

    private static func line(_ name: String, _ samples: [Sample], objects: String, edges: String) -> String {
        "  " + RenderBenchmark.pad(name, 56) + RenderBenchmark.pad(seconds(median(samples.map(\.seconds))), 10)
            + RenderBenchmark.pad("CPU " + seconds(median(samples.map(\.cpuSeconds))), 14)
            + RenderBenchmark.pad("peak " + RenderBenchmark.mb(medianInt(samples.map(\.peakBytes))), 16)
            + "first load \(seconds(median(samples.map(\.firstSeconds)))); "
            + "\(grouped(samples[0].objects)) \(objects), \(grouped(samples[0].edges)) \(edges)"
    }

    private static func ourReaderName(_ format: Format) -> String {
        switch format {
        case .ftm: return "EntityGraph FtMReader.read"
        case .graphml: return "EntityGraph GraphMLReader.read"
        case .gexf: return "EntityGraph GEXFReader.read"
        case .dot: return "EntityGraph DOTImport.read (Graphviz's parser)"
        }
    }

    private static func pythonSide(_ format: Format) -> String {
        switch format {
        case .ftm: return "json.loads + model.get_proxy"
        case .graphml: return "read_graphml"
        case .gexf: return "read_gexf"
        case .dot: return "nx_pydot.read_dot"
        }
    }

    private static func ourSample(_ item: Case) -> Result<Sample, BenchmarkFailure> {
        do {
            let (status, output) = try capture(
                selfExecutable(), ["read", "--child", item.format.rawValue, item.file.path])
            guard status == 0, let sample = parse(output) else {
                return .failure(BenchmarkFailure("the read child exited with \(status) on \(item.file.path)"))
            }
            return .success(sample)
        } catch {
            return .failure(BenchmarkFailure("cannot run the read child: \(error)"))
        }
    }

    private static func pythonSample(_ item: Case) -> Result<Sample, BenchmarkFailure> {
        do {
            let (status, output) = try capture(
                "/usr/bin/env", ["python3", "Benchmarks/python/read_formats.py", item.format.rawValue, item.file.path])
            guard status == 0, let sample = parse(output) else {
                return .failure(BenchmarkFailure("exit \(status): \(output.suffix(300))"))
            }
            return .success(sample)
        } catch {
            return .failure(BenchmarkFailure("python3: \(error)"))
        }
    }

    private static func parse(_ output: String) -> Sample? {
        guard let last = output.split(separator: "\n").last,
            let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
            let seconds = object["seconds"] as? Double
        else { return nil }
        return Sample(
            seconds: seconds, cpuSeconds: object["cpu_seconds"] as? Double ?? seconds,
            firstSeconds: object["first_seconds"] as? Double ?? seconds, peakBytes: object["peak_bytes"] as? Int ?? 0,
            objects: object["objects"] as? Int ?? 0, edges: object["edges"] as? Int ?? 0,
            library: object["library"] as? String ?? "?")
    }

    // MARK: The child

    /// Child mode: one load for memory, one timed; prints the JSON object `read_formats.py` prints.
    private static func child(format: Format, path: String) throws {
        let url = URL(fileURLWithPath: path)
        func load() throws -> Graph {
            switch format {
            case .ftm: return try FtMReader.read(contentsOf: url)
            case .graphml: return try GraphMLReader.read(contentsOf: url)
            case .gexf: return try GEXFReader.read(contentsOf: url)
            case .dot: return try DOTImport.read(contentsOf: url)
            }
        }
        resetHighWaterMark()
        let before = LoadBenchmark.residentBytes()
        let firstStart = ContinuousClock.now
        var counts = (0, 0)
        do {
            let graph = try load()
            counts = (graph.entities.count, graph.relations.count)
        }
        let first = ContinuousClock.now - firstStart
        let peak = highWaterMark() - before
        let start = ContinuousClock.now
        let cpuStart = LoadBenchmark.cpuSeconds()
        do {
            let graph = try load()
            precondition(graph.entities.count == counts.0)
        }
        let cpu = LoadBenchmark.cpuSeconds() - cpuStart
        let elapsed = ContinuousClock.now - start
        let object: [String: Any] = [
            "seconds": RenderBenchmark.milliseconds(elapsed) / 1000, "cpu_seconds": cpu,
            "first_seconds": RenderBenchmark.milliseconds(first) / 1000, "peak_bytes": peak, "objects": counts.0,
            "edges": counts.1, "library": "EntityGraph",
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Resets the kernel's peak resident set (VmHWM) to the current one (Linux; nothing elsewhere).
    private static func resetHighWaterMark() {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        try? handle.write(contentsOf: Data("5".utf8))
        try? handle.close()
    }

    /// This process's VmHWM in bytes (0 where there is no /proc).
    private static func highWaterMark() -> Int { RenderBenchmark.highWaterMark(pid: getpid()) ?? 0 }

    // MARK: Files

    /// Writes `copies` copies of an FtM file: copy `n` gives every id of the file (and every property
    /// value naming one) the suffix `-cN`, so each copy is new entities linked among themselves as the
    /// original's are. Returns the number of lines written.
    static func replicateFtM(_ source: URL, copies: Int, to destination: URL) throws -> Int {
        let text = try String(contentsOf: source, encoding: .utf8)
        let objects = try text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw BenchmarkFailure("\(source.path): a line is not a JSON object")
            }
            return object
        }
        let ids = Set(objects.compactMap { $0["id"] as? String })
        var output = Data()
        for copy in 0..<copies {
            let suffix = "-c\(copy)"
            for var object in objects {
                if let id = object["id"] as? String { object["id"] = id + suffix }
                if let properties = object["properties"] as? [String: [Any]] {
                    object["properties"] = properties.mapValues { values in
                        values.map { value -> Any in
                            guard let text = value as? String, ids.contains(text) else { return value }
                            return text + suffix
                        }
                    }
                }
                output.append(
                    try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                output.append(0x0A)
            }
        }
        try output.write(to: destination)
        return objects.count * copies
    }

    private static func lineCount(_ url: URL) throws -> Int {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").count { !$0.allSatisfy(\.isWhitespace) }
    }

    /// The `count` largest `.gv`/`.dot` files under `../shared/corpus/dot` that our reader accepts.
    private static func largestDOTFiles(count: Int) -> [URL] {
        let root = URL(fileURLWithPath: "../shared/corpus/dot", isDirectory: true)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey]) else {
            return []
        }
        var files: [(URL, Int)] = []
        for case let url as URL in walker where ["gv", "dot"].contains(url.pathExtension) {
            let size = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
            files.append((url, size))
        }
        var chosen: [URL] = []
        for (url, _) in files.sorted(by: { $0.1 > $1.1 }) where chosen.count < count {
            if (try? DOTImport.read(contentsOf: url)) != nil { chosen.append(url) }
        }
        return chosen
    }

    // MARK: Processes and formatting

    private static func selfExecutable() -> String {
        let resolved = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return FileManager.default.fileExists(atPath: resolved) ? resolved : CommandLine.arguments[0]
    }

    /// Runs a program and returns its exit status and standard output (standard error is left to
    /// the terminal, so installs and failures show).
    private static func capture(_ program: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    private static func medianInt(_ values: [Int]) -> Int { values.sorted()[values.count / 2] }

    private static func seconds(_ value: Double) -> String {
        value < 1 ? String(format: "%.1f ms", value * 1000) : String(format: "%.2f s", value)
    }

    private static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }
}
