import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

/// User text must render literally: no escape sequence, entity or markup in a name may change what is drawn.
@Suite("Label safety")
struct LabelSafetyTests {
    static let cases: [(id: String, name: String, lines: [String])] = [
        ("quotes", #"He said "stop""#, [#"He said "stop""#]),
        ("backslash", #"C:\orders\new"#, [#"C:\orders\new"#]),
        ("escapes", #"\N \G \E \T \H \L \l \r"#, [#"\N \G \E \T \H \L \l \r"#]),
        ("html", "<b>bold</b> <i>x</i>", ["<b>bold</b> <i>x</i>"]),
        ("entity", "AT&amp;T &lt;x&gt; &#65;", ["AT&amp;T &lt;x&gt; &#65;"]),
        ("newline", "first line\nsecond line", ["first line", "second line"]),
        ("rtl", "مرحبا بالعالم", ["مرحبا بالعالم"]),
        ("emoji", "🇺🇦 flag 👍", ["🇺🇦 flag 👍"]),
        ("zerowidth", "zero\u{200B}width\u{200D}joiner", ["zero\u{200B}width\u{200D}joiner"]),
        ("script", "<script>alert(1)</script>", ["<script>alert(1)</script>"]),
        ("trailing-backslash", #"ends with \"#, [#"ends with \"#]),
        ("braces", "{a|b} <port>", ["{a|b} <port>"]),
    ]

    static func graph() throws -> Graph {
        var graph = Graph(title: #"Title with \N and <b>"#)
        for item in cases {
            try graph.add(Entity(id: EntityID(item.id), name: item.name, kind: .person, description: item.name))
        }
        try graph.add(Relation(id: "r", type: "relatedTo", source: "quotes", target: "backslash"))
        return graph
    }

    static var renderer: Renderer {
        var theme = Theme.standard
        theme.wrapWidth = 0
        return Renderer(theme: theme)
    }

    @Test("every name renders as the exact text the user wrote")
    func namesRenderLiterally() throws {
        let svg = try Self.renderer.render(try Self.graph(), format: "svg")
        let groups = try SVGGroups(svg)
        for item in Self.cases {
            let group = try #require(groups.group(id: "entity-" + item.id), "no group for \(item.id)")
            #expect(group.texts == item.lines, "\(item.id)")
            #expect(group.title == item.id)
            #expect(group.tooltip?.contains(item.name) == true, "tooltip of \(item.id): \(group.tooltip ?? "nil")")
        }
    }

    @Test("the title renders literally")
    func title() throws {
        let svg = try Self.renderer.render(try Self.graph(), format: "svg")
        let title = try #require(try SVGGroups(svg).group(id: "map-title"))
        #expect(title.texts == [#"Title with \N and <b>"#])
    }

    @Test("user text never produces markup: no script element, no foreign element in the SVG")
    func noMarkup() throws {
        let svg = String(decoding: try Self.renderer.render(try Self.graph(), format: "svg"), as: UTF8.self)
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<b>"))
        #expect(!svg.contains("<i>"))
    }

    @Test("the same names render in DOT output with their backslashes doubled, not interpreted")
    func dotOutput() throws {
        let dot = String(decoding: try Self.renderer.render(try Self.graph(), format: "canon"), as: UTF8.self)
        #expect(dot.contains(#"C:\\orders\\new"#))
        #expect(!dot.contains("<<"))  // no HTML-like label
    }

    @Test("ids Graphviz cannot carry as they are (NUL, controls, U+FFFF, a % prefix) stay distinct nodes")
    func awkwardIdentifiers() throws {
        var graph = Graph()
        let ids = ["a\0b", "a", "y\u{1}", "y\u{2}", "y\u{FFFD}", "\u{FFFE}\u{FFFF}", "%3", "%x", "_%x"]
        for id in ids { try graph.add(Entity(id: EntityID(id), name: "N " + id, kind: .person)) }
        try graph.add(Relation(id: "r\0", type: "relatedTo", source: "a\0b", target: "a"))
        try graph.add(Relation(id: "r", type: "relatedTo", source: "a\0b", target: "a"))
        for engine in ["dot", "sfdp"] {
            var renderer = Self.renderer
            renderer.options.engine = engine
            renderer.options.separateRelations = true
            let svg = try renderer.render(graph, format: "svg")
            let groups = try SVGGroups(svg)  // parses as XML
            for id in ids { #expect(groups.group(id: "entity-" + GraphvizText.token(id)) != nil, "\(engine): \(id)") }
            #expect(groups.group(id: "relation-" + GraphvizText.token("r\0")) != nil)
            #expect(groups.group(id: "relation-" + GraphvizText.token("r")) != nil)
        }
        #expect(Set(GraphvizText.safeNames(ids)).count == ids.count)
    }

    @Test("the hostile-strings fixture renders to SVG that an XML parser accepts, one group per entity")
    func hostileFixture() throws {
        let url = DOTImportCorpusTests.repositoryRoot.appendingPathComponent("Tests/Fixtures/hostile-strings.json")
        let graph = try GraphDocument.read(contentsOf: url)
        let groups = try SVGGroups(try Renderer().render(graph, format: "svg"))
        for id in graph.entities.keys {
            #expect(
                groups.group(id: "entity-" + GraphvizText.token(id.rawValue)) != nil, "\(id.rawValue.debugDescription)")
        }
    }

    @Test("control characters in names become U+FFFD so the SVG stays well-formed XML")
    func controlCharacters() throws {
        var graph = Graph()
        try graph.add(Entity(id: "c", name: "bell\u{07}null\u{0}esc\u{1B}", kind: .person))
        let groups = try SVGGroups(try Self.renderer.render(graph, format: "svg"))
        #expect(groups.group(id: "entity-c")?.texts == ["bell\u{FFFD}null\u{FFFD}esc\u{FFFD}"])
    }

    /// A name in a script without spaces between words (the Japanese programme names of the zala
    /// FtM fixture) is broken between characters, two columns per wide character, so its box is not
    /// thousands of points wide; removing the line breaks gives the name back. Latin text wraps at
    /// spaces as before and keeps long words whole.
    @Test func namesWithoutSpacesInWideScriptsAreBrokenBetweenCharacters() {
        let japanese = "資産凍結等の措置の対象となるロシア連邦の団体及び個人（団体（特定銀行を除く）） （注）資産凍結等の措置は"
        let wrapped = GraphvizText.wrapped(japanese, width: 22)
        let lines = wrapped.split(separator: "\n")
        #expect(lines.count > 4)
        #expect(lines.allSatisfy { $0.count <= 11 }, "\(lines)")
        #expect(wrapped.replacingOccurrences(of: "\n", with: "") == japanese.replacingOccurrences(of: " ", with: ""))
        #expect(
            GraphvizText.wrapped("Ордонанс Ordinance of 4 March 2022 on measures", width: 22)
                == "Ордонанс Ordinance of\n4 March 2022 on\nmeasures")
        #expect(
            GraphvizText.wrapped("Antidisestablishmentarianism forever", width: 22)
                == "Antidisestablishmentarianism\nforever")
        #expect(GraphvizText.wrapped("Kim 김정은 Jong-un", width: 22) == "Kim 김정은 Jong-un")
    }
}
