import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

/// The `html` format's page, checked as text and data; `make browser-test` checks it in Chromium.
@Suite("Interactive HTML map")
struct InteractiveMapTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func seed() throws -> Graph {
        try GraphDocument.read(contentsOf: root.appendingPathComponent("Graphs/zelensky-lukashenko-mozyr.json"))
    }

    /// The texts between `<tag>` and `</tag>` (exact opening tag), in order.
    static func blocks(_ html: String, open: String, close: String) -> [String] {
        var found: [String] = []
        var rest = html[...]
        while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
            found.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// The page's `eg-data` block, parsed.
    static func pageData(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let json = try #require(
            blocks(html, open: "<script type=\"application/json\" id=\"eg-data\">", close: "</script>").first,
            sourceLocation: sourceLocation)
        return try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], sourceLocation: sourceLocation)
    }

    @Test("SHA-256 matches the standard test vectors")
    func sha256() {
        #expect(SHA256.base64Digest("") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        #expect(SHA256.base64Digest("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
        let million = SHA256.digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(
            million.map { String(format: "%02x", $0) }.joined()
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // 55 and 56 bytes straddle the padding boundary.
        #expect(
            SHA256.base64Digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=")
    }

    @Test("the page is self-contained, and its policy allows exactly its own script and style")
    func selfContained() throws {
        let graph = try Self.seed()
        let html = String(decoding: try Renderer().render(graph, format: "html"), as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>\n"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<title>Zelensky, Lukashenko and the Mozyr refinery</title>"))
        // Nothing loaded from anywhere: no src, no stylesheet links, no imports.
        #expect(!html.contains(" src="))
        #expect(!html.contains("<link"))
        #expect(!html.contains("@import"))
        #expect(!html.contains("<?xml"))
        #expect(!html.contains("<!--"))
        let scripts = Self.blocks(html, open: "<script>", close: "</script>")
        let styles = Self.blocks(html, open: "<style>", close: "</style>")
        #expect(scripts.count == 1)
        #expect(styles.count == 1)
        #expect(html.components(separatedBy: "<script").count - 1 == 2)
        let policy = try #require(Self.blocks(html, open: "Content-Security-Policy\" content=\"", close: "\"").first)
        #expect(policy.hasPrefix("default-src 'none'; "))
        #expect(policy.contains("script-src 'sha256-\(SHA256.base64Digest(scripts[0]))'"))
        #expect(policy.contains("style-src 'sha256-\(SHA256.base64Digest(styles[0]))'"))
        #expect(!policy.contains("unsafe"))
        // The SVG has a group per entity and relation, and no legend box or title of its own.
        #expect(html.contains("<g id=\"entity&#45;lukashenko\""))
        #expect(!html.contains("id=\"legend\""))
    }

    @Test("the data block lists every entity and relation with the dates the slider needs")
    func dataBlock() throws {
        let graph = try Self.seed()
        let html = String(decoding: try Renderer().render(graph, format: "html"), as: UTF8.self)
        let data = try Self.pageData(html)
        let entities = try #require(data["entities"] as? [[String: Any]])
        let relations = try #require(data["relations"] as? [[String: Any]])
        #expect(entities.count == graph.entities.count)
        #expect(relations.count == graph.relations.count)
        let zelensky = try #require(entities.first { $0["id"] as? String == "zelensky" })
        #expect((zelensky["keys"] as? [String])?.contains("volodya") == true)
        #expect(zelensky["g"] as? String == "entity-zelensky")
        let sanctions = try #require(relations.first { $0["id"] as? String == "nsdc-sanctions-mozyr-refinery" })
        #expect(sanctions["from"] as? String == "2022-10-19")
        #expect(sanctions["to"] == nil)
        #expect(sanctions["source"] as? String == "entity-nsdc")
        // Partial dates become the first and last day they cover.
        let dated = graph.relations.values.filter { $0.until?.precision == .month }
        for relation in dated {
            let row = try #require(relations.first { $0["id"] as? String == relation.id.rawValue })
            #expect((row["to"] as? String)?.count == 10)
            #expect(row["to"] as? String == relation.until?.lastDay.description)
        }
        #expect(data["first"] as? String != nil)
    }

    @Test("hostile text cannot leave the data block or become markup")
    func hostileText() throws {
        var graph = Graph(title: "</title><script>alert('title')</script>")
        let names = [
            "</script><script>alert(1)</script>", "<img src=x onerror=alert(2)>", "a\u{2028}b\u{2029}c",
            "\"quoted\" & 'single' <!-- comment -->", "C:\\orders\\new", "\u{202E}rtl\u{202C} zero\u{200B}width 🇺🇦",
        ]
        for (index, name) in names.enumerated() {
            try graph.add(
                Entity(id: EntityID("e\(index)"), name: name, kind: .person, aliases: [name], description: name))
        }
        try graph.add(Relation(id: "r", type: "relatedTo", source: "e0", target: "e1"))
        let html = String(decoding: try Renderer().render(graph, format: "html"), as: UTF8.self)
        #expect(html.components(separatedBy: "<script").count - 1 == 2)
        #expect(!html.contains("<img"))
        #expect(!html.contains("</script><script>alert"))
        #expect(!html.contains("\u{2028}"))
        #expect(html.contains("<title>&lt;/title&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;</title>"))
        let data = try Self.pageData(html)
        let entities = try #require(data["entities"] as? [[String: Any]])
        #expect(entities.map { $0["name"] as? String } == names)
        #expect(entities.map { $0["description"] as? String } == names)
    }

    @Test("html is a format: by extension, in the capabilities, and written atomically")
    func format() throws {
        #expect(Renderer.format(forExtension: "html") == "html")
        #expect(Renderer.format(forExtension: "HTM") == "html")
        #expect(try Renderer.capabilities().formats.contains("html"))
        let graph = try tinyGraph()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("map-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: url) }
        let output = try Renderer().write(graph, to: url)
        #expect(output.format == "html")
        #expect(output.engine == "dot")
        let written = try Data(contentsOf: url)
        #expect(written == (try Renderer().render(graph, format: "html")))
        // Several formats at once: the html page and the svg each as if rendered alone.
        let both = try Renderer().renderDetailed(graph, formats: ["svg", "html"])
        #expect(both.map(\.format) == ["svg", "html"])
        #expect(both[0].data == (try Renderer().render(graph, format: "svg")))
        #expect(both[1].data == written)
    }

    @Test("an undated graph has no date control data")
    func undated() throws {
        var graph = Graph()
        try graph.add(Entity(id: "a", name: "A", kind: .person))
        let html = String(decoding: try Renderer().render(graph, format: "html"), as: UTF8.self)
        #expect(!html.contains("\"first\":"))
        #expect(html.contains("<title>EntityGraph map</title>"))
    }

    @Test("gradient fills keep their colours under the policy: style attributes become presentation attributes")
    func gradients() throws {
        var theme = Theme()
        theme.kinds = ["person": .init(fillColor: "#ffcc00:#0066ff", style: "filled")]
        let graph = try tinyGraph()
        let svg = String(decoding: try Renderer(theme: theme).render(graph, format: "svg"), as: UTF8.self)
        try #require(svg.contains(" style=\"stop-color:"))  // Graphviz's own output has inline styles
        let html = String(decoding: try Renderer(theme: theme).render(graph, format: "html"), as: UTF8.self)
        #expect(!html.contains(" style="))
        #expect(html.contains("stop-color=\"#ffcc00\""))
        #expect(
            InteractiveMap.svgElement(
                Data(#"<?xml?><svg><stop style="stop-color:red;stop-opacity:1.0;" x="1"/></svg>"#.utf8))
                == #"<svg><stop stop-color="red" stop-opacity="1.0" x="1"/></svg>"#)
        #expect(
            InteractiveMap.svgElement(Data(#"<svg><a style="x:url('e');bad;Upper:1;ok:2"/></svg>"#.utf8))
                == #"<svg><a ok="2"/></svg>"#)
        #expect(InteractiveMap.cssColor("#ffcc00:#0066ff") == "#ffcc00")
    }

    @Test("search keys carry the text they came from; open-ended relations let the slider reach today")
    func searchKeysAndOpenEnds() throws {
        let graph = try Self.seed()
        let html = String(decoding: try Renderer().render(graph, format: "html"), as: UTF8.self)
        let data = try Self.pageData(html)
        let entities = try #require(data["entities"] as? [[String: Any]])
        let zelensky = try #require(entities.first { $0["id"] as? String == "zelensky" })
        let keys = try #require(zelensky["keys"] as? [String])
        let texts = try #require(zelensky["keyTexts"] as? [String])
        #expect(keys.count == texts.count)
        #expect(texts[try #require(keys.firstIndex(of: "volodya"))] == "Volodya")
        #expect(data["openEnded"] as? Bool == true)
    }

    @Test(
        "the page's letter-by-letter transliteration gives the library's name words",
        arguments: [
            "Лукашенко", "Зеленский", "Зеленський", "Путин", "Владимир Путин", "ПУТИН, Владимир", "Александр Лукашенко",
        ])
    func transliterationAgreesWithNameWords(name: String) throws {
        #expect(Suggest.nameWords(InteractiveMap.transliterated(name)) == Suggest.nameWords(name))
        let table = Dictionary(uniqueKeysWithValues: InteractiveMap.transliterations.map { ($0.letter, $0.latin) })
        #expect(table["ш"] == "s" && table["л"] == "l")
        #expect(table["Л"] == nil, "capitals are folded before the table is read")
    }

    @Test("the page carries each key's name words and the spelling and title tables")
    func searchNameWordsData() throws {
        let graph = try Self.seed()
        let html = String(decoding: try Renderer().render(graph, format: "html"), as: UTF8.self)
        let data = try Self.pageData(html)
        let entities = try #require(data["entities"] as? [[String: Any]])
        let putin = try #require(entities.first { $0["id"] as? String == "putin" })
        let keys = try #require(putin["keys"] as? [String])
        let words = try #require(putin["keyWords"] as? [String])
        #expect(words.count == keys.count)
        #expect(words.first == Suggest.nameWords("Vladimir Putin").joined(separator: " "))
        let spellings = try #require(data["nameSpellings"] as? [[[String]]])
        #expect(spellings.map(\.count) == Suggest.nameSpellings.map(\.count))
        #expect(Set(try #require(data["nameTitles"] as? [String])) == Suggest.nameTitles)
        let latin = try #require(data["latin"] as? [String: String])
        #expect(latin.count == InteractiveMap.transliterations.count)
        #expect(latin["ж"] == "z")
    }

    // Not timed: speed is the benchmark suite's concern. This checks that every comment goes and
    // every element stays when there are many of them, back to back.
    @Test("comments are removed and every element kept, from a map with 20,000 comments")
    func largeSVG() {
        let count = 20_000
        var svg = "<?xml version=\"1.0\"?>\n<!-- head -->\n<svg>\n"
        for index in 0..<count { svg += "<!-- e\(index) -->\n<g id=\"n\(index)\"><text>x</text></g>\n" }
        svg += "</svg>\n"
        let element = InteractiveMap.svgElement(Data(svg.utf8))
        #expect(element.hasPrefix("<svg>"))
        #expect(!element.contains("<!--"))
        #expect(element.components(separatedBy: "<g id=").count - 1 == count)
        #expect(element.contains("<g id=\"n\(count - 1)\"><text>x</text></g>\n</svg>"))
    }

    @Test("a source with an empty publisher is named by its id, in the SVG tooltip and on the page alike")
    func emptySourceNames() throws {
        var graph = Graph()
        try graph.add(SourceDocument(id: "memo", title: "Memo", publisher: ""))
        try graph.add(Entity(id: "a", name: "A", kind: .person, sources: [Citation(document: "memo", locator: "¶1")]))
        let groups = try SVGGroups(try Renderer().render(graph, format: "svg"))
        #expect(groups.group(id: "entity-a")?.tooltip?.contains("Sources: memo ¶1") == true)
        let data = try Self.pageData(String(decoding: try Renderer().render(graph, format: "html"), as: UTF8.self))
        let entity = try #require((data["entities"] as? [[String: Any]])?.first)
        #expect((entity["sources"] as? [[String: Any]])?.first?["text"] as? String == "memo ¶1")
    }
}
