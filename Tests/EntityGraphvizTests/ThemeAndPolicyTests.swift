import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

@Suite("Theme, legend and allow-list")
struct ThemeAndPolicyTests {
    @Test("the legend lists exactly the kinds, categories and certainties present")
    func legend() throws {
        let groups = try SVGGroups(try Renderer().render(try tinyGraph(), format: "svg"))
        let legendIDs = Set(groups.groups(withClass: "legend").map(\.id)).filter {
            !$0.hasSuffix("-swatch") && !$0.hasSuffix("-sample") && !$0.hasPrefix("legend-heading-")
                && $0.hasPrefix("legend")
        }
        #expect(
            legendIDs == [
                "legend", "legend-kind-person", "legend-kind-organization", "legend-category-membership",
                "legend-category-communication", "legend-category-other", "legend-certainty-confirmed",
                "legend-certainty-claimed",
            ])
        #expect(groups.group(id: "legend-kind-person")?.texts == ["Person"])
        #expect(groups.group(id: "legend-kind-person-swatch")?.texts.isEmpty == true)  // never looks like an entity
        #expect(groups.group(id: "legend-certainty-claimed-sample")?.classes.contains("line-claimed") == true)
    }

    @Test("the six certainties have six distinct dash patterns in SVG")
    func certaintyStyles() throws {
        let theme = Theme.standard
        let patterns = Certainty.allCases.compactMap { theme.edgeStyle(forCertainty: $0).dashArray }
        #expect(patterns.count == 6)
        #expect(Set(patterns).count == 6)
        let css = theme.svgStyleSheet()
        let svg = String(decoding: try Renderer().render(try tinyGraph(), format: "svg"), as: UTF8.self)
        #expect(svg.contains("<style type=\"text/css\">\(css)</style>"))
        for certainty in Certainty.allCases { #expect(css.contains(".line-\(certainty.rawValue) path")) }
    }

    @Test("a dash pattern that is not a list of numbers is refused")
    func badDashArray() throws {
        var theme = Theme()
        theme.certainties = ["claimed": Theme.EdgeStyle(dashArray: "4,3; } svg { display: none")]
        #expect(throws: GraphvizError.self) { try Renderer(theme: theme).render(try tinyGraph(), format: "svg") }
    }

    @Test("no legend when the theme turns it off")
    func noLegend() throws {
        var theme = Theme.standard
        theme.showLegend = false
        let groups = try SVGGroups(try Renderer(theme: theme).render(try tinyGraph(), format: "svg"))
        #expect(groups.groups(withClass: "legend").isEmpty)
    }

    @Test("a theme adjusts a kind's shape and a relation type's colour")
    func adjustments() throws {
        var theme = Theme()
        theme.kinds = ["person": .init(shape: "box", fillColor: "#123456")]
        theme.relationTypes = ["memberOf": .init(color: "#abcdef")]
        let svg = String(decoding: try Renderer(theme: theme).render(try tinyGraph(), format: "svg"), as: UTF8.self)
        #expect(svg.contains("#123456"))
        #expect(svg.contains("#abcdef"))
    }

    @Test("themes load from JSON over the standard theme, and unknown keys are refused with a suggestion")
    func jsonTheme() throws {
        let theme = try Theme.decode(Data(#"{"rankDirection": "TB", "kinds": {"person": {"fillColor": "red"}}}"#.utf8))
        #expect(theme.rankDirection == "TB")
        #expect(theme.kinds?["person"]?.fillColor == "red")
        #expect(theme.kinds?["person"]?.shape == "ellipse")  // from the standard theme
        #expect(theme.kinds?["state"] != nil)
        do {
            _ = try Theme.decode(Data(#"{"rankDirecton": "TB"}"#.utf8), fileName: "t.json")
            Issue.record("expected an error")
        } catch let error as ThemeError {
            #expect(error.description.contains("did you mean 'rankDirection'"))
        }
    }

    @Test("file-reading shapes, font paths, bad arrows and styles are rejected before Graphviz sees them")
    func rejections() throws {
        let graph = try tinyGraph()
        var theme = Theme()
        theme.kinds = ["person": .init(shape: "epsf")]
        #expect(throws: GraphvizError.self) { try Renderer(theme: theme).render(graph, format: "svg") }
        theme = Theme()
        theme.fontName = "/etc/passwd"
        #expect(throws: GraphvizError.self) { try Renderer(theme: theme).render(graph, format: "svg") }
        theme = Theme()
        theme.defaultEdge = .init(arrowHead: "normall")
        do {
            _ = try Renderer(theme: theme).render(graph, format: "svg")
            Issue.record("expected a rejection")
        } catch {
            #expect(error.code == .attributeRejected)
            #expect(error.message.contains("did you mean 'normal'"))
        }
        theme = Theme()
        theme.kinds = ["person": .init(fillColor: "red\"; image=\"/etc/passwd")]
        #expect(throws: GraphvizError.self) { try Renderer(theme: theme).render(graph, format: "svg") }
    }

    @Test("file-reading attributes are not on any allow-list")
    func forbiddenNames() {
        for name in ["image", "shapefile", "fontpath", "imagepath", "fontnames", "stylesheet"] {
            #expect(!AttributePolicy.graph.contains(name))
            #expect(!AttributePolicy.node.contains(name))
            #expect(!AttributePolicy.edge.contains(name))
            #expect(AttributePolicy.forbidden.contains(name))
        }
    }

    @Test("only http, https and mailto links reach the SVG; others become warnings")
    func links() throws {
        var graph = Graph()
        try graph.add(
            Entity(id: "ok", name: "OK", kind: .organization, attributes: ["url": "https://example.org/a?b=1&c=2"]))
        try graph.add(Entity(id: "js", name: "JS", kind: .organization, attributes: ["url": "javascript:alert(1)"]))
        try graph.add(Entity(id: "file", name: "File", kind: .organization, attributes: ["url": "file:///etc/passwd"]))
        let outputs = try Renderer().renderDetailed(graph, formats: ["svg"])
        let groups = try SVGGroups(outputs[0].data)
        #expect(groups.group(id: "entity-ok")?.link == "https://example.org/a?b=1&c=2")
        #expect(groups.group(id: "entity-js")?.link == nil)
        #expect(groups.group(id: "entity-file")?.link == nil)
        #expect(outputs[0].warnings.count == 2)
        #expect(outputs[0].warnings.contains { $0.contains("javascript:alert(1)") })
        #expect(AttributePolicy.safeURL("HTTPS://EXAMPLE.ORG") != nil)
        #expect(AttributePolicy.safeURL("mailto:desk@example.org") != nil)
        #expect(AttributePolicy.safeURL(" javascript:x") == nil)
    }

    @Test("a link cannot break out of its attribute: quotes, angle brackets and the like are percent-encoded")
    func linkEscaping() throws {
        let hostile = #"https://example.org/"><script>alert(1)</script><meta http-equiv="refresh" content="0"><a x=""#
        var graph = Graph()
        try graph.add(Entity(id: "evil", name: "Evil", kind: .organization, attributes: ["url": .string(hostile)]))
        try graph.add(
            Entity(
                id: "odd", name: "Odd", kind: .organization,
                attributes: ["url": "https://example.org/ä b?q='x'&r={1}|2^`\\"]))
        let svg = String(decoding: try Renderer().render(graph, format: "svg"), as: UTF8.self)
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<meta"))
        let groups = try SVGGroups(Data(svg.utf8))  // still well-formed XML
        #expect(
            groups.group(id: "entity-evil")?.link
                == "https://example.org/%22%3E%3Cscript%3Ealert(1)%3C/script%3E%3Cmeta%20http-equiv=%22refresh%22%20content=%220%22%3E%3Ca%20x=%22"
        )
        #expect(
            groups.group(id: "entity-odd")?.link
                == "https://example.org/%C3%A4%20b?q=%27x%27&r=%7B1%7D%7C2%5E%60%5C")
        #expect(AttributePolicy.safeURL("https://example.org/a%20b#top") == "https://example.org/a%20b#top")
    }

    @Test("a font name is a family name: letters, digits, spaces and . , _ + - only")
    func fontNames() throws {
        let graph = try tinyGraph()
        for bad in [#"Evil"><meta http-equiv="refresh">"#, "Sans<b>", "a&#47;b", String(repeating: "x", count: 65)] {
            var theme = Theme()
            theme.fontName = bad
            #expect(throws: GraphvizError.self) { try Renderer(theme: theme).render(graph, format: "svg") }
        }
        var theme = Theme()
        theme.fontName = "Noto Sans CJK JP, DejaVu Sans"
        #expect(try Renderer(theme: theme).render(graph, format: "svg").count > 100)
    }

    @Test("ids become injective XML/CSS tokens")
    func tokens() {
        #expect(GraphvizText.token("mozyr-refinery") == "mozyr-refinery")
        #expect(GraphvizText.token("a_b") == "a_5Fb")
        #expect(GraphvizText.token("a b") == "a_20b")
        #expect(GraphvizText.token("chișinău") != GraphvizText.token("chisinau"))
    }
}

/// `--cluster-by` / `RenderOptions.clustering` finds the attribute as a user types it.
@Suite("Clustering by attribute")
struct ClusteringTests {
    static func graph() throws -> Graph {
        var graph = Graph()
        for (id, country) in [("a", "UA"), ("b", "UA"), ("c", "BY")] {
            try graph.add(
                Entity(
                    id: EntityID(id), name: id.uppercased(), kind: .person, attributes: ["Country": .string(country)]))
        }
        return graph
    }

    static func clusters(_ name: String) throws -> (count: Int, warnings: [String]) {
        var options = RenderOptions(clustering: .attribute(name))
        options.isolation = .inProcess
        let output = try Renderer(options: options).renderDetailed(try Self.graph(), formats: ["svg"])[0]
        let svg = String(decoding: output.data, as: UTF8.self)
        return (svg.components(separatedBy: "class=\"cluster cluster\"").count - 1, output.warnings)
    }

    @Test("case, spaces, _ and - do not matter; an attribute no entity has is a warning with a suggestion")
    func attributeNamesAreMatchedAsTyped() throws {
        #expect(try Self.clusters("Country").count == 2)
        #expect(try Self.clusters("country").count == 2)
        #expect(try Self.clusters("COUNTRY").count == 2)
        let missing = try Self.clusters("contry")
        #expect(missing.count == 0)
        #expect(
            missing.warnings.contains {
                $0.contains("no entity has the attribute 'contry'") && $0.contains("did you mean 'Country'?")
            })
        #expect(try Self.clusters("Country").warnings.allSatisfy { !$0.contains("cluster by") })
    }
}
