import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

/// Publication sizes, summaries and the colour palette (issue 19).
@Suite("Publication")
struct PublicationTests {
    static func seed() throws -> Graph {
        try GraphDocument.read(
            contentsOf: DOTImportCorpusTests.repositoryRoot.appendingPathComponent(
                "Graphs/zelensky-lukashenko-mozyr.json"))
    }

    static func pngSize(_ data: Data) throws -> (width: Int, height: Int) {
        let bytes = [UInt8](data.prefix(24))
        try #require(bytes.count == 24 && bytes[1] == 0x50 && bytes[2] == 0x4E)
        func number(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }

    @Test("article is 1,600 px wide, slide a 1920×1080 canvas, pages the paper's size", arguments: ["dot", "neato"])
    func sizes(engine: String) throws {
        let graph = try Self.seed()
        func render(_ size: MapSize, _ format: String) throws -> Renderer.Output {
            try Renderer(options: RenderOptions(engine: engine).sized(size)).renderDetailed(graph, formats: [format])[0]
        }
        let article = try render(.article, "png")
        let articleSize = try Self.pngSize(article.data)
        #expect((1590...1600).contains(articleSize.width), "\(articleSize)")
        // The seed overview is too dense to read at that width, and says so.
        #expect(article.warnings.contains { $0.contains("too dense for the article size") })
        let slide = try Self.pngSize(try render(.slide, "png").data)
        #expect((1910...1920).contains(slide.width) && (1070...1080).contains(slide.height), "\(slide)")
        for (size, box) in [
            (MapSize.page(.a4, landscape: false), (595, 842)), (.page(.letter, landscape: true), (792, 612)),
        ] {
            let pdf = String(decoding: try render(size, "pdf").data, as: UTF8.self)
            let media = try #require(pdf.firstRange(of: "/MediaBox [ 0 0 ")).upperBound
            let numbers = pdf[media...].prefix(20).split(separator: " ").prefix(2).compactMap { Int($0) }
            #expect(
                numbers.count == 2 && abs(numbers[0] - box.0) <= 2 && abs(numbers[1] - box.1) <= 2,
                "\(size): \(numbers)")
        }
    }

    @Test("a small map at article size is legible and gets no warning")
    func smallMapFits() throws {
        let output = try Renderer(options: RenderOptions().sized(.article)).renderDetailed(
            try tinyGraph(), formats: ["png"])[0]
        #expect(output.warnings.isEmpty, "\(output.warnings)")
        #expect(try Self.pngSize(output.data).width >= 1590)
    }

    @Test("dpi scales bitmap output")
    func dpi() throws {
        var options = RenderOptions()
        let plain = try Self.pngSize(try Renderer(options: options).render(try tinyGraph(), format: "png"))
        options.dpi = 192
        let double = try Self.pngSize(try Renderer(options: options).render(try tinyGraph(), format: "png"))
        #expect(abs(double.width - plain.width * 2) <= 2)
        options.dpi = 0
        #expect(throws: GraphvizError.self) { try Renderer(options: options).render(try tinyGraph(), format: "png") }
    }

    @Test("summarize folds leaves into a badge on their neighbour and lists them in its tooltip")
    func summarize() throws {
        var graph = Graph(title: "Hub")
        try graph.add(Entity(id: "hub", name: "Hub", kind: .state))
        try graph.add(Entity(id: "other", name: "Other", kind: .person))
        try graph.add(Relation(id: "r0", type: "relatedTo", source: "other", target: "hub"))
        try graph.add(Entity(id: "c", name: "C", kind: .person))
        try graph.add(Relation(id: "r0b", type: "relatedTo", source: "other", target: "c"))
        try graph.add(Relation(id: "r0c", type: "relatedTo", source: "c", target: "hub"))
        for (index, name) in ["Kyiv", "Minsk", "Mozyr"].enumerated() {
            try graph.add(Entity(id: EntityID("p\(index)"), name: name, kind: .place))
            try graph.add(
                Relation(
                    id: RelationID("r\(index + 1)"), type: "locatedIn", source: EntityID("p\(index)"), target: "hub"))
        }
        var options = RenderOptions()
        options.summarize = true
        let groups = try SVGGroups(try Renderer(options: options).render(graph, format: "svg"))
        for index in 0..<3 { #expect(groups.group(id: "entity-p\(index)") == nil) }
        let hub = try #require(groups.group(id: "entity-hub"))
        #expect(hub.texts == ["Hub", "+3 places"])
        #expect(hub.classes.contains("summarized"))
        for name in ["Kyiv", "Minsk", "Mozyr"] { #expect(hub.tooltip?.contains(name) == true) }
        // Entities that are not leaves stay.
        #expect(groups.group(id: "entity-other") != nil && groups.group(id: "entity-c") != nil)
        // Without the option everything is drawn.
        let full = try SVGGroups(try Renderer().render(graph, format: "svg"))
        #expect(full.group(id: "entity-p0") != nil)
    }

    @Test("the category colours stay apart under protanopia, deuteranopia and tritanopia")
    func colourVisionDeficiencies() throws {
        // Machado, Oliveira & Fernandes (2009), severity 1, applied in linear RGB; distances in CIELAB.
        let matrices: [String: [[Double]]] = [
            "protanopia": [
                [0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998],
            ],
            "deuteranopia": [
                [0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881],
            ],
            "tritanopia": [
                [1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900],
            ],
        ]
        func lab(_ hex: String, _ matrix: [[Double]]) -> [Double] {
            let digits = Array(hex.dropFirst())
            let channels = stride(from: 0, to: 6, by: 2).map {
                Double(Int(String(digits[$0..<$0 + 2]), radix: 16)!) / 255
            }
            let linear = channels.map { $0 <= 0.04045 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
            let rgb = matrix.map { row in min(max(zip(row, linear).map(*).reduce(0, +), 0), 1) }
            let x = 0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]
            let y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
            let z = 0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]
            func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16 / 116 }
            return [116 * f(y) - 16, 500 * (f(x / 0.95047) - f(y)), 200 * (f(y) - f(z / 1.08883))]
        }
        let hued = (Theme.standard.categories ?? [:]).filter { !["geographic", "other"].contains($0.key) }
        let colours = hued.compactMap { entry in entry.value.color.map { (entry.key, $0) } }
        #expect(colours.count == 8)
        for (name, matrix) in matrices {
            var closest = (Double.infinity, "", "")
            for (i, a) in colours.enumerated() {
                for b in colours[(i + 1)...] {
                    let distance = sqrt(
                        zip(lab(a.1, matrix), lab(b.1, matrix)).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
                    if distance < closest.0 { closest = (distance, a.0, b.0) }
                }
            }
            // ΔE ≥ 15: clearly different colours (the palette before this one had 0.9 under deuteranopia).
            #expect(closest.0 >= 15, "\(name): \(closest.1) and \(closest.2) are ΔE \(closest.0) apart")
        }
    }

    @Test("the HTML page shows the subtitle and keeps its policy with the dash patterns in its sheet")
    func pageSubtitle() throws {
        var options = RenderOptions()
        options.subtitle = "As of 1 October 2022 <b>"
        let page = String(
            decoding: try Renderer(options: options).render(try tinyGraph(), format: "html"), as: UTF8.self)
        #expect(page.contains(#"<p class="eg-subtitle">As of 1 October 2022 &lt;b&gt;</p>"#))
        #expect(page.contains("#eg-map .line-claimed path { stroke-dasharray: 4,3; }"))
        #expect(!page.contains("<style type=\"text/css\">"))  // no second sheet inside the SVG
    }
}

extension RenderOptions {
    func sized(_ size: MapSize) -> RenderOptions {
        var options = self
        options.size = size
        return options
    }
}
