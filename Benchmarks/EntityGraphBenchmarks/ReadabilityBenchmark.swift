import EntityGraph
import EntityGraphviz
import Foundation

/// How readable the maps are, measured from Graphviz's own `json` output of each render (positions,
/// sizes, edge control points and the drawn text): for the seed overview and three focus maps, with
/// every engine —
/// - **crossings**: pairs of relation edges that cross without sharing an entity (each edge's Bézier
///   curves flattened to 16 segments per curve);
/// - **label overlaps**: pairs of text boxes of different objects (entity names, relation labels,
///   title, legend) that intersect by more than 1 point each way;
/// - **node overlaps**: pairs of entity boxes that intersect by more than 1 point each way;
/// - **canvas**: the share of the canvas taken by the box around the entities;
/// - **text @1600**: the smallest text's height in pixels when the whole map is shown 1,600 pixels wide.
///
/// Issue 19's targets: 0 label and 0 node overlaps with every engine, at most 45 crossings for the seed
/// overview with dot, focus maps using at least half their canvas. Run:
/// `swift run -c release EntityGraphBenchmarks readability`.
enum ReadabilityBenchmark {
    struct Map {
        var name: String
        var graph: Graph
    }

    struct Measure {
        var crossings = 0
        var labelOverlaps = 0
        var nodeOverlaps = 0
        var canvasShare = 0.0
        var smallestText = 0.0
    }

    static func run() throws {
        // `readability --json FILE…`: measure layouts made elsewhere (e.g. by the dot CLI).
        if let flag = CommandLine.arguments.firstIndex(of: "--json") {
            for path in CommandLine.arguments[(flag + 1)...] {
                let m = try measure(try Data(contentsOf: URL(fileURLWithPath: path)))
                print(
                    "\(path): \(m.crossings) crossings, \(m.labelOverlaps) label overlaps, \(m.nodeOverlaps) node overlaps, "
                        + "canvas \(Int(m.canvasShare * 100)) %, text \(String(format: "%.1f", m.smallestText)) px")
            }
            return
        }
        let seed = try GraphDocument.read(contentsOf: URL(fileURLWithPath: "Graphs/zelensky-lukashenko-mozyr.json"))
        func focus(_ name: String, _ id: EntityID) throws -> Map {
            Map(name: name, graph: try seed.egoGraph(around: id, radius: 1))
        }
        let maps = [
            Map(name: "seed overview", graph: seed),
            try focus("focus: Mozyr oil refinery", "mozyr-refinery"),
            try focus("focus: Mozyr", "mozyr"),
            try focus("focus: Lukashenko", "lukashenko"),
        ]
        let engines = ["dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage", "patchwork"]
        print("\n== Readability (from Graphviz's json output; issue 19)")
        print(
            "map".padding(toLength: 28, withPad: " ", startingAt: 0)
                + "engine     crossings  label ov.  node ov.  canvas  text @1600")
        var unmet: [String] = []
        for map in maps {
            for engine in engines {
                var options = RenderOptions(engine: engine)
                options.isolation = .inProcess
                let json = try Renderer(options: options).render(map.graph, format: "json")
                let measure = try measure(json)
                let row =
                    map.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + engine.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + String(
                        format: " %9d  %9d  %8d  %5.0f %%  %7.1f px", measure.crossings, measure.labelOverlaps,
                        measure.nodeOverlaps, measure.canvasShare * 100, measure.smallestText)
                print(row)
                if measure.labelOverlaps > 0 || measure.nodeOverlaps > 0 {
                    unmet.append("\(map.name), \(engine): overlaps")
                }
                if map.name == "seed overview", engine == "dot", measure.crossings > 45 {
                    unmet.append("seed overview, dot: \(measure.crossings) crossings > 45")
                }
                if map.name.hasPrefix("focus"), measure.canvasShare < 0.5 {
                    unmet.append("\(map.name), \(engine): canvas \(Int(measure.canvasShare * 100)) % < 50 %")
                }
            }
        }
        print("targets: 0 label and 0 node overlaps, seed overview with dot ≤ 45 crossings, focus maps ≥ 50 % canvas")
        print(unmet.isEmpty ? "all met" : "not met (\(unmet.count)): " + unmet.joined(separator: "; "))
    }

    struct Box {
        var minX, minY, maxX, maxY: Double
        func overlaps(_ other: Box, by margin: Double) -> Bool {
            min(maxX, other.maxX) - max(minX, other.minX) > margin
                && min(maxY, other.maxY) - max(minY, other.minY) > margin
        }
    }

    static func measure(_ json: Data) throws -> Measure {
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any] else { return Measure() }
        let bb = (root["bb"] as? String ?? "").split(separator: ",").compactMap { Double($0) }
        let objects = root["objects"] as? [[String: Any]] ?? []
        let edges = root["edges"] as? [[String: Any]] ?? []
        var result = Measure()
        var entityBoxes: [Box] = []
        for object in objects where (object["class"] as? String ?? "").hasPrefix("entity") {
            guard let pos = point(object["pos"]), let w = Double(object["width"] as? String ?? ""),
                let h = Double(object["height"] as? String ?? "")
            else { continue }
            entityBoxes.append(
                Box(minX: pos.0 - w * 36, minY: pos.1 - h * 36, maxX: pos.0 + w * 36, maxY: pos.1 + h * 36))
        }
        for i in entityBoxes.indices {
            for j in entityBoxes.indices where j > i && entityBoxes[i].overlaps(entityBoxes[j], by: 1) {
                result.nodeOverlaps += 1
            }
        }
        // Text boxes of every object, and the smallest font size.
        var texts: [(owner: Int, box: Box)] = []
        var smallest = Double.infinity
        func collect(_ operations: Any?, owner: Int) {
            var size = 14.0
            for operation in operations as? [[String: Any]] ?? [] {
                switch operation["op"] as? String {
                case "F": size = operation["size"] as? Double ?? size
                case "T":
                    guard let pt = operation["pt"] as? [Double], pt.count == 2,
                        let width = operation["width"] as? Double, let text = operation["text"] as? String,
                        !text.trimmingCharacters(in: .whitespaces).isEmpty
                    else { continue }
                    let left: Double
                    switch operation["align"] as? String {
                    case "l": left = pt[0]
                    case "r": left = pt[0] - width
                    default: left = pt[0] - width / 2
                    }
                    texts.append(
                        (
                            owner,
                            Box(minX: left, minY: pt[1] - size * 0.25, maxX: left + width, maxY: pt[1] + size * 0.8)
                        ))
                    smallest = min(smallest, size)
                default: continue
                }
            }
        }
        for (index, object) in objects.enumerated() { collect(object["_ldraw_"], owner: index) }
        for (index, edge) in edges.enumerated() { collect(edge["_ldraw_"], owner: objects.count + index) }
        for i in texts.indices {
            for j in texts.indices where j > i && texts[i].owner != texts[j].owner {
                if texts[i].box.overlaps(texts[j].box, by: 1) { result.labelOverlaps += 1 }
            }
        }
        // Relation edges as polylines.
        var lines: [(tail: Int, head: Int, points: [(Double, Double)])] = []
        for edge in edges where (edge["class"] as? String ?? "").hasPrefix("relation") {
            guard let tail = edge["tail"] as? Int, let head = edge["head"] as? Int else { continue }
            var points: [(Double, Double)] = []
            for operation in edge["_draw_"] as? [[String: Any]] ?? [] where operation["op"] as? String == "b" {
                let controls = (operation["points"] as? [[Double]] ?? []).compactMap {
                    $0.count == 2 ? ($0[0], $0[1]) : nil
                }
                var index = 0
                while index + 3 < controls.count {
                    let (p0, p1, p2, p3) = (
                        controls[index], controls[index + 1], controls[index + 2], controls[index + 3]
                    )
                    for step in 0...16 {
                        let t = Double(step) / 16
                        let u = 1 - t
                        let x = u * u * u * p0.0 + 3 * u * u * t * p1.0 + 3 * u * t * t * p2.0 + t * t * t * p3.0
                        let y = u * u * u * p0.1 + 3 * u * u * t * p1.1 + 3 * u * t * t * p2.1 + t * t * t * p3.1
                        points.append((x, y))
                    }
                    index += 3
                }
            }
            if points.count >= 2 { lines.append((tail, head, points)) }
        }
        func crosses(_ a: [(Double, Double)], _ b: [(Double, Double)]) -> Bool {
            func orientation(_ p: (Double, Double), _ q: (Double, Double), _ r: (Double, Double)) -> Double {
                (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
            }
            for i in 0..<(a.count - 1) {
                for j in 0..<(b.count - 1) {
                    let (p1, p2, q1, q2) = (a[i], a[i + 1], b[j], b[j + 1])
                    if max(p1.0, p2.0) < min(q1.0, q2.0) || max(q1.0, q2.0) < min(p1.0, p2.0)
                        || max(p1.1, p2.1) < min(q1.1, q2.1) || max(q1.1, q2.1) < min(p1.1, p2.1)
                    {
                        continue
                    }
                    let d1 = orientation(q1, q2, p1)
                    let d2 = orientation(q1, q2, p2)
                    let d3 = orientation(p1, p2, q1)
                    let d4 = orientation(p1, p2, q2)
                    if d1 * d2 < 0, d3 * d4 < 0 { return true }
                }
            }
            return false
        }
        for i in lines.indices {
            for j in lines.indices where j > i {
                let a = lines[i]
                let b = lines[j]
                if a.tail == b.tail || a.tail == b.head || a.head == b.tail || a.head == b.head { continue }
                if crosses(a.points, b.points) { result.crossings += 1 }
            }
        }
        if bb.count == 4, let first = entityBoxes.first {
            var hull = first
            for box in entityBoxes {
                hull.minX = min(hull.minX, box.minX)
                hull.minY = min(hull.minY, box.minY)
                hull.maxX = max(hull.maxX, box.maxX)
                hull.maxY = max(hull.maxY, box.maxY)
            }
            let canvas = (bb[2] - bb[0]) * (bb[3] - bb[1])
            result.canvasShare = canvas > 0 ? (hull.maxX - hull.minX) * (hull.maxY - hull.minY) / canvas : 0
            if smallest.isFinite, bb[2] > bb[0] { result.smallestText = smallest * 1600 / (bb[2] - bb[0]) }
        }
        return result
    }

    static func point(_ value: Any?) -> (Double, Double)? {
        let parts = (value as? String ?? "").split(separator: ",").compactMap { Double($0) }
        return parts.count >= 2 ? (parts[0], parts[1]) : nil
    }
}
