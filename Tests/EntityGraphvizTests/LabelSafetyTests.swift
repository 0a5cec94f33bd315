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
        let root = try #require(try SVGGroups(svg).groups.first)
        #expect(root.texts.first == #"Title with \N and <b>"#)
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

    @Test("NUL in an id is refused with a build error, not truncated")
    func nulIdentifier() throws {
        var graph = Graph()
        try graph.add(Entity(id: EntityID("a\0b"), name: "A", kind: .person))
        #expect(throws: GraphvizError.self) { try Renderer().render(graph, format: "svg") }
    }

    @Test("control characters in names become U+FFFD so the SVG stays well-formed XML")
    func controlCharacters() throws {
        var graph = Graph()
        try graph.add(Entity(id: "c", name: "bell\u{07}null\u{0}esc\u{1B}", kind: .person))
        let groups = try SVGGroups(try Self.renderer.render(graph, format: "svg"))
        #expect(groups.group(id: "entity-c")?.texts == ["bell\u{FFFD}null\u{FFFD}esc\u{FFFD}"])
    }
}
