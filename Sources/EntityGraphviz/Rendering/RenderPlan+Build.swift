import EntityGraph

extension RenderPlan {
    /// Builds the plan for `graph` under `options`. O(entities + relations).
    ///
    /// Throws ``GraphvizError`` with code ``GraphvizError/Code/attributeRejected`` when the theme asks
    /// for a shape, arrow, style or colour outside the allow-lists.
    init(graph: Graph, options: RenderOptions, engine: String) throws(GraphvizError) {
        let theme = options.theme.over(.standard)
        try theme.check()
        let font = theme.fontName ?? "DejaVu Sans"

        // Graph-wide attributes.
        dot.graphAttributes["fontname"] = font
        dot.graphAttributes["bgcolor"] = theme.background ?? "white"
        dot.graphAttributes["rankdir"] = theme.rankDirection ?? "LR"
        dot.graphAttributes["nodesep"] = format(theme.nodeSeparation ?? 0.35)
        dot.graphAttributes["ranksep"] = format(theme.rankSeparation ?? 0.9)
        dot.graphAttributes["pad"] = "0.3"
        dot.graphAttributes["outputorder"] = "edgesfirst"
        dot.graphAttributes["start"] = "random\(options.seed)"
        seed = options.seed
        dot.graphAttributes["charset"] = "UTF-8"
        // Beyond a few hundred entities a map is explored by zooming and tooltips, not read whole:
        // relation labels are left off (they stay in the tooltips) and node margins are not padded.
        let large = graph.entities.count > RenderPlan.largeGraphEntities
        if engine != "dot" {
            dot.graphAttributes["overlap"] = "prism"
            if !large { dot.graphAttributes["sep"] = "+8" }
        }
        if engine == "dot" {
            // Bound network-simplex and crossing-minimisation work on larger graphs.
            if graph.relations.count > 300 {
                dot.graphAttributes["nslimit"] = "2"
                dot.graphAttributes["nslimit1"] = "2"
                dot.graphAttributes["mclimit"] = "0.5"
            }
        }
        let title = options.title ?? graph.title ?? ""
        if theme.showTitle ?? true, !title.isEmpty {
            dot.graphAttributes["label"] = GraphvizText.escaped(title)
            dot.graphAttributes["labelloc"] = "t"
            dot.graphAttributes["labeljust"] = "c"
            dot.graphAttributes["fontsize"] = "18"
        }

        dot.nodeDefaults["fontname"] = font
        dot.edgeDefaults["fontname"] = font

        // Clusters. The attribute is matched as typed, else ignoring case, spaces, `_` and `-`
        // (`--cluster-by country` finds `Country`); one no entity has is a warning, not a silent
        // map without clusters.
        var clusterAttribute: String?
        if case .attribute(let name) = options.clustering {
            clusterAttribute = RenderPlan.attributeName(name, in: graph, warnings: &warnings)
        }
        var clusterIndex: [String: Int] = [:]
        func cluster(for entity: Entity) -> Int? {
            let key: String
            let label: String
            switch options.clustering {
            case nil: return nil
            case .kind:
                key = entity.kind.rawValue
                label = graph.kind(entity.kind)?.label ?? key
            case .attribute:
                guard let name = clusterAttribute, let value = entity.attributes[name] else { return nil }
                key = value.displayText
                label = graph.entities[EntityID(key)]?.name ?? key
            }
            if let index = clusterIndex[key] { return index }
            let index = dot.subgraphs.count
            clusterIndex[key] = index
            dot.subgraphs.append(
                DOTGraph.Subgraph(
                    name: "cluster_\(index)",
                    attributes: [
                        "label": GraphvizText.escaped(label), "style": "rounded,dashed", "color": "#9e9e9e",
                        "fontcolor": "#616161", "fontsize": "13", "id": "cluster-" + GraphvizText.token(key),
                        "class": "cluster", "fontname": font,
                    ]))
            return index
        }

        // Entities. Node names are the ids, but for an id Graphviz cannot carry as it is (see
        // `GraphvizText.safeNames`): it would cut it at a NUL, drop it for a `%` prefix, or write a
        // character XML cannot hold into the SVG's <title> and comments.
        dot.nodes.reserveCapacity(graph.entities.count)
        let nodeNames = GraphvizText.safeNames(graph.entities.keys.map(\.rawValue))
        let edgeKeys = GraphvizText.safeNames(graph.relations.keys.map(\.rawValue))
        for (position, entity) in graph.entities.values.enumerated() {
            let style = theme.nodeStyle(forKind: entity.kind)
            var attributes = RenderPlan.attributes(of: style)
            attributes["label"] = GraphvizText.escaped(GraphvizText.wrapped(entity.name, width: theme.wrapWidth ?? 22))
            attributes["id"] = "entity-" + GraphvizText.token(entity.id.rawValue)
            attributes["class"] = "entity kind-" + GraphvizText.token(entity.kind.rawValue)
            attributes["tooltip"] = GraphvizText.escapedTooltip(RenderPlan.tooltip(for: entity, in: graph))
            if let link = entity.attributes["url"]?.stringValue {
                if let safe = AttributePolicy.safeURL(link) {
                    attributes["URL"] = GraphvizText.escaped(safe)
                    attributes["target"] = "_blank"
                } else {
                    warnings.append(
                        "entity '\(entity.id)': link '\(link)' not drawn (only http, https and mailto links are allowed)"
                    )
                }
            }
            dot.nodes.append(
                DOTGraph.Node(name: nodeNames[position], attributes: attributes, subgraph: cluster(for: entity)))
        }

        // Relations.
        dot.edges.reserveCapacity(graph.relations.count)
        // Entities are the first nodes, in the graph's order.
        var nodeIndex: [EntityID: Int] = [:]
        nodeIndex.reserveCapacity(graph.entities.count)
        for (position, id) in graph.entities.keys.enumerated() { nodeIndex[id] = position }
        for (position, relation) in graph.relations.values.enumerated() {
            let type =
                graph.relationType(relation.type) ?? RelationType(id: relation.type, label: relation.type.rawValue)
            var style = theme.edgeStyle(forCategory: type.category)
            if let byType = theme.relationTypes?[type.id.rawValue] { style = byType.over(style) }
            if let byCertainty = theme.certainties?[relation.certainty.rawValue] { style = byCertainty.over(style) }
            var attributes = RenderPlan.attributes(of: style)
            if type.symmetric { attributes["dir"] = "none" }
            if theme.showRelationLabels ?? !large {
                attributes["label"] = GraphvizText.escaped(
                    RenderPlan.label(for: relation, type: type, in: graph, showDates: theme.showDates ?? true))
            }
            attributes["id"] = "relation-" + GraphvizText.token(relation.id.rawValue)
            attributes["class"] = [
                "relation", "type-" + GraphvizText.token(type.id.rawValue),
                "category-" + GraphvizText.token(type.category.rawValue), "certainty-" + relation.certainty.rawValue,
            ].joined(separator: " ")
            let tooltip = GraphvizText.escapedTooltip(RenderPlan.tooltip(for: relation, type: type, in: graph))
            attributes["tooltip"] = tooltip
            attributes["labeltooltip"] = tooltip
            guard let tail = nodeIndex[relation.source], let head = nodeIndex[relation.target] else {
                throw GraphvizError(
                    code: .buildFailed, stage: .build, engine: engine,
                    message: "relation '\(relation.id)' joins an entity the graph does not have")
            }
            dot.edges.append(DOTGraph.Edge(tail: tail, head: head, key: edgeKeys[position], attributes: attributes))
        }

        if engine != "dot" {
            dot.graphAttributes["splines"] = RenderPlan.splines(
                for: dot.edges, nodeCount: graph.entities.count, large: large)
        }

        if theme.showLegend ?? true, !graph.entities.isEmpty {
            // Only dot ranks nodes; other engines ignore the column, and fdp lays out such nested
            // subgraphs differently from one call to the next.
            addLegend(graph: graph, theme: theme, font: font, column: engine == "dot")
        }
    }

    /// Entity count above which a map counts as large (see ``Theme/showRelationLabels``).
    static let largeGraphEntities = 300

    /// The most entities × relations whose edges are routed around nodes (`splines=true`) by the engines
    /// other than dot: 50 random entities and 100 relations took 0.7 s here.
    static let routedSplinesBudget = 6_000

    /// Edge routing for the engines other than dot.
    ///
    /// - Large maps get straight lines: routing around nodes costs more than the layout there, and
    ///   Graphviz 2.42's router (`Pobsopen`) crashes on some large sfdp layouts.
    /// - Maps with parallel edges (two or more between the same pair, either way) get `line` too (a
    ///   pair's edges are drawn fanned out): with `splines=true` (and `polyline`, `spline`), neato, fdp,
    ///   sfdp and circo abort on them in Graphviz 2.43 (`multispline.c:153: findMap: Assertion 'ip'
    ///   failed`; the seed map with each of them), and `curved` searches the graph's cycles, which took
    ///   over 20 s on 100 random entities.
    /// - So do maps where entities × relations exceeds ``routedSplinesBudget``: routing each edge
    ///   around every node took 3.6 s for 100 random entities and 200 relations, 17 s for 200 / 400.
    /// - Otherwise `true`: edges routed around nodes. O(edges).
    static func splines(for edges: [DOTGraph.Edge], nodeCount: Int, large: Bool) -> String {
        if large || nodeCount * edges.count > routedSplinesBudget { return "line" }
        var pairs = Set<[Int]>()
        pairs.reserveCapacity(edges.count)
        for edge in edges where edge.tail != edge.head {
            let pair = edge.tail < edge.head ? [edge.tail, edge.head] : [edge.head, edge.tail]
            if !pairs.insert(pair).inserted { return "line" }
        }
        return "true"
    }

    // MARK: Legend

    /// A boxed legend listing only the kinds, relation categories and certainties present.
    private mutating func addLegend(graph: Graph, theme: Theme, font: String, column ranked: Bool) {
        var usedNames = Set(graph.entities.keys.map(\.rawValue))
        func uniqueName(_ base: String) -> String {
            var name = base
            while usedNames.contains(name) { name += "'" }
            usedNames.insert(name)
            return name
        }
        let legend = dot.subgraphs.count
        legendCluster = legend
        dot.subgraphs.append(
            DOTGraph.Subgraph(
                name: "cluster_legend",
                attributes: [
                    "label": "Legend", "style": "rounded", "color": "#bdbdbd", "fontcolor": "#424242", "fontsize": "12",
                    "id": "legend", "class": "legend", "fontname": font,
                ]))

        let present = LegendContents(graph)

        // One column (a rank=same group, so it stacks beside the map in dot): a sample node per kind,
        // then one text line per category (in its colour) and per certainty (its line style drawn
        // with box-drawing characters). Only what the graph contains is listed.
        var column: [Int] = []
        for kind in present.kinds {
            let style = theme.nodeStyle(forKind: kind)
            var attributes = RenderPlan.attributes(of: style)
            attributes["label"] = GraphvizText.escaped(graph.kind(kind)?.label ?? kind.rawValue)
            attributes["id"] = "legend-kind-" + GraphvizText.token(kind.rawValue)
            attributes["class"] = "legend legend-kind"
            attributes["fontsize"] = "10"
            attributes["tooltip"] = GraphvizText.escapedTooltip(graph.kind(kind)?.label ?? kind.rawValue)
            column.append(dot.nodes.count)
            dot.nodes.append(
                DOTGraph.Node(
                    name: uniqueName("legend:kind:\(kind.rawValue)"), attributes: attributes, subgraph: legend))
        }
        func line(id: String, label: String, color: String?) {
            let name = uniqueName("legend:\(id)")
            var attributes: DOTGraph.Attributes = [
                "shape": "plaintext", "fontsize": "10", "label": GraphvizText.escaped(label),
            ]
            attributes["fontcolor"] = color ?? "#444444"
            attributes["id"] = "legend-" + GraphvizText.token(id)
            attributes["class"] = "legend"
            attributes["tooltip"] = GraphvizText.escapedTooltip(label)
            column.append(dot.nodes.count)
            dot.nodes.append(DOTGraph.Node(name: name, attributes: attributes, subgraph: legend))
        }
        for category in present.categories {
            let style = theme.edgeStyle(forCategory: category)
            line(id: "category-\(category.rawValue)", label: "━━━  \(category.rawValue)", color: style.color)
        }
        for certainty in present.certainties {
            let style = theme.edgeStyle(forCertainty: certainty)
            let stroke: String
            switch LegendContents.stroke(of: style) {
            case .dotted: stroke = "┈┈┈┈"
            case .dashed: stroke = "╌╌╌╌"
            case .solid: stroke = "────"
            }
            line(id: "certainty-\(certainty.rawValue)", label: "\(stroke)  \(certainty.rawValue)", color: "#444444")
        }
        // One column (a rank=same group, so it stacks beside the map in dot).
        if ranked {
            dot.subgraphs.append(
                DOTGraph.Subgraph(
                    name: "legend_column_0", parent: legend, attributes: ["rank": "same"], members: column))
        }
    }

    // MARK: Text

    /// "apologized to · 2022-02 · per Volodymyr Zelensky" — type label, then date range and asserting
    /// entity on lines of their own.
    static func label(for relation: Relation, type: RelationType, in graph: Graph, showDates: Bool) -> String {
        var lines = [type.label]
        if showDates, let range = dateRange(relation) { lines.append(range) }
        if let asserter = relation.assertedBy {
            lines.append("per " + (graph.entities[asserter]?.name ?? asserter.rawValue))
        }
        return lines.joined(separator: "\n")
    }

    /// `2022-10-19`, `since 2022-10`, `until 2022-10`, `2023-03 – 2023-05`, or `nil` when undated.
    static func dateRange(_ relation: Relation) -> String? {
        switch (relation.since, relation.until) {
        case (nil, nil): return nil
        case (let since?, nil): return "since \(since)"
        case (nil, let until?): return "until \(until)"
        case (let since?, let until?): return since == until ? "\(since)" : "\(since) – \(until)"
        }
    }

    static func tooltip(for entity: Entity, in graph: Graph) -> String {
        var lines = ["\(entity.name) (\(graph.kind(entity.kind)?.label ?? entity.kind.rawValue))"]
        if !entity.aliases.isEmpty { lines.append("Also known as: " + entity.aliases.joined(separator: ", ")) }
        if let description = entity.description, !description.isEmpty { lines.append(description) }
        if let sources = sourcesLine(entity.sources, in: graph) { lines.append(sources) }
        return lines.joined(separator: "\n")
    }

    static func tooltip(for relation: Relation, type: RelationType, in graph: Graph) -> String {
        let source = graph.entities[relation.source]?.name ?? relation.source.rawValue
        let target = graph.entities[relation.target]?.name ?? relation.target.rawValue
        var lines = ["\(source) — \(type.label) — \(target)"]
        if let range = dateRange(relation) { lines.append("When: " + range) }
        var certainty = "Certainty: \(relation.certainty.rawValue)"
        if let asserter = relation.assertedBy {
            certainty += " (according to \(graph.entities[asserter]?.name ?? asserter.rawValue))"
        }
        lines.append(certainty)
        if let sources = sourcesLine(relation.sources, in: graph) { lines.append(sources) }
        return lines.joined(separator: "\n")
    }

    static func sourcesLine(_ citations: [Citation], in graph: Graph) -> String? {
        guard !citations.isEmpty else { return nil }
        return "Sources: " + citations.map { citationText($0, in: graph) }.joined(separator: "; ")
    }

    /// "Kyiv Post ¶3": the cited document's publisher (else its title, else its id) and the locator.
    static func citationText(_ citation: Citation, in graph: Graph) -> String {
        let document = graph.documents[citation.document]
        var text = document?.publisher ?? document?.title ?? citation.document.rawValue
        if text.isEmpty { text = citation.document.rawValue }
        if let locator = citation.locator, !locator.isEmpty { text += " " + locator }
        return text
    }

    // MARK: Styles

    static func attributes(of style: Theme.NodeStyle) -> DOTGraph.Attributes {
        var attributes: DOTGraph.Attributes = [:]
        if let shape = style.shape { attributes["shape"] = shape }
        if let fill = style.fillColor { attributes["fillcolor"] = fill }
        if let border = style.borderColor { attributes["color"] = border }
        if let font = style.fontColor { attributes["fontcolor"] = font }
        if let value = style.style { attributes["style"] = value }
        if let width = style.penWidth { attributes["penwidth"] = format(width) }
        if let size = style.fontSize { attributes["fontsize"] = format(size) }
        return attributes
    }

    static func attributes(of style: Theme.EdgeStyle) -> DOTGraph.Attributes {
        var attributes: DOTGraph.Attributes = [:]
        if let color = style.color { attributes["color"] = color }
        if let font = style.fontColor { attributes["fontcolor"] = font }
        if let value = style.style { attributes["style"] = value }
        if let width = style.penWidth { attributes["penwidth"] = format(width) }
        if let arrow = style.arrowHead { attributes["arrowhead"] = arrow }
        if let size = style.fontSize { attributes["fontsize"] = format(size) }
        return attributes
    }
}

/// Fixed-point text for a number, without a trailing ".0" (Graphviz reads both; this keeps output stable).
func format(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
    return String(value)
}

extension Theme {
    /// Refuses values outside the allow-lists before anything reaches Graphviz.
    func check() throws(GraphvizError) {
        func reject(_ message: String) -> GraphvizError {
            GraphvizError(code: .attributeRejected, stage: .build, message: message)
        }
        let styleWords: Set<String> = [
            "filled", "rounded", "dashed", "dotted", "bold", "solid", "striped", "wedged", "diagonals", "invis",
            "radial",
        ]
        func checkColor(_ color: String?, _ place: String) throws(GraphvizError) {
            guard let color else { return }
            let ok =
                !color.isEmpty && color.count <= 40
                && color.unicodeScalars.allSatisfy {
                    $0.isASCII
                        && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                            || "#:;. /,".unicodeScalars.contains($0))
                }
            if !ok { throw reject("\(place): '\(color)' is not a colour (use a name like 'steelblue' or '#2b5797')") }
        }
        func checkStyle(_ style: String?, _ place: String) throws(GraphvizError) {
            guard let style else { return }
            for word in style.split(separator: ",").map({ String($0).trimmingWhitespace() })
            where !styleWords.contains(word) {
                let hint = Suggest.closest(to: word, in: styleWords).map { " — did you mean '\($0)'?" } ?? ""
                throw reject("\(place): style '\(word)' is not allowed\(hint)")
            }
        }
        func checkNode(_ style: Theme.NodeStyle?, _ place: String) throws(GraphvizError) {
            guard let style else { return }
            if let shape = style.shape, !Theme.allowedShapes.contains(shape) {
                let hint = Suggest.closest(to: shape, in: Theme.allowedShapes).map { " — did you mean '\($0)'?" } ?? ""
                throw reject("\(place): shape '\(shape)' is not allowed\(hint)")
            }
            try checkColor(style.fillColor, place)
            try checkColor(style.borderColor, place)
            try checkColor(style.fontColor, place)
            try checkStyle(style.style, place)
        }
        func checkEdge(_ style: Theme.EdgeStyle?, _ place: String) throws(GraphvizError) {
            guard let style else { return }
            if let arrow = style.arrowHead, !Theme.allowedArrows.contains(arrow) {
                let hint = Suggest.closest(to: arrow, in: Theme.allowedArrows).map { " — did you mean '\($0)'?" } ?? ""
                throw reject("\(place): arrow '\(arrow)' is not allowed\(hint)")
            }
            try checkColor(style.color, place)
            try checkColor(style.fontColor, place)
            try checkStyle(style.style, place)
        }
        if let font = fontName,
            font.isEmpty || font.utf8.count > 64
                || !font.unicodeScalars.allSatisfy({
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                        || " .,_+-".unicodeScalars.contains($0)
                })
        {
            throw reject(
                "fontName: '\(font)' is not a font family name (letters, digits, spaces and . , _ + - only, "
                    + "at most 64; paths are not allowed)")
        }
        try checkColor(background, "background")
        if let direction = rankDirection, !["LR", "RL", "TB", "BT"].contains(direction) {
            throw reject("rankDirection: '\(direction)' must be LR, RL, TB or BT")
        }
        try checkNode(defaultNode, "defaultNode")
        for (key, style) in (kinds ?? [:]).sorted(by: { $0.key < $1.key }) { try checkNode(style, "kinds.\(key)") }
        try checkEdge(defaultEdge, "defaultEdge")
        for (key, style) in (categories ?? [:]).sorted(by: { $0.key < $1.key }) {
            try checkEdge(style, "categories.\(key)")
        }
        for (key, style) in (relationTypes ?? [:]).sorted(by: { $0.key < $1.key }) {
            try checkEdge(style, "relationTypes.\(key)")
        }
        for (key, style) in (certainties ?? [:]).sorted(by: { $0.key < $1.key }) {
            try checkEdge(style, "certainties.\(key)")
        }
    }
}

/// What a legend lists: the kinds, relation categories and certainties a graph has (kinds and
/// categories in first-seen order, certainties in their canonical order). Shared by the map's own
/// legend and the HTML page's. O(entities + relations).
struct LegendContents {
    var kinds: [KindID] = []
    var categories: [RelationCategory] = []
    var certainties: [Certainty] = []

    init(_ graph: Graph) {
        var seenKinds = Set<KindID>()
        for entity in graph.entities.values where seenKinds.insert(entity.kind).inserted { kinds.append(entity.kind) }
        var seenCategories = Set<RelationCategory>()
        var seenCertainties = Set<Certainty>()
        for relation in graph.relations.values {
            let category = graph.relationType(relation.type)?.category ?? .other
            if seenCategories.insert(category).inserted { categories.append(category) }
            seenCertainties.insert(relation.certainty)
        }
        certainties = Certainty.allCases.filter(seenCertainties.contains)
    }

    /// How an edge style's line is drawn, for legend samples.
    enum Stroke { case solid, dashed, dotted }

    static func stroke(of style: Theme.EdgeStyle) -> Stroke {
        let words = Set((style.style ?? "solid").split(separator: ",").map { String($0).trimmingWhitespace() })
        return words.contains("dotted") ? .dotted : words.contains("dashed") ? .dashed : .solid
    }
}

extension Theme {
    /// The style of entities of `kind`: the theme's style for the kind over its default node style.
    /// Call it on a theme already laid over the standard one.
    func nodeStyle(forKind kind: KindID) -> NodeStyle {
        (kinds?[kind.rawValue] ?? NodeStyle()).over(defaultNode ?? NodeStyle())
    }

    /// The style of relations of `category` over the default edge style.
    func edgeStyle(forCategory category: RelationCategory) -> EdgeStyle {
        (categories?[category.rawValue] ?? EdgeStyle()).over(defaultEdge ?? EdgeStyle())
    }

    /// The style the theme gives relations of `certainty`, over the default edge style (the legend's
    /// sample line).
    func edgeStyle(forCertainty certainty: Certainty) -> EdgeStyle {
        (certainties?[certainty.rawValue] ?? EdgeStyle()).over(defaultEdge ?? EdgeStyle())
    }
}

extension RenderPlan {
    /// The entity attribute `typed` names: itself when some entity has it, else the one attribute
    /// whose name is the same ignoring case, spaces, `_` and `-`. `nil` (with a warning, and a
    /// suggestion when one is close) when no entity has such an attribute. O(entities × attributes).
    static func attributeName(_ typed: String, in graph: Graph, warnings: inout [String]) -> String? {
        var names: [String] = []
        var seen = Set<String>()
        for entity in graph.entities.values {
            for key in entity.attributes.keys where seen.insert(key).inserted { names.append(key) }
        }
        if seen.contains(typed) { return typed }
        func loose(_ text: String) -> String {
            String(text.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" }.map(Character.init))
        }
        let matches = names.filter { loose($0) == loose(typed) }
        if matches.count == 1 { return matches[0] }
        var warning = "no entity has the attribute '\(typed)' to cluster by, so the map has no clusters"
        if matches.count > 1 {
            warning += " (it could be any of \(matches.map { "'\($0)'" }.joined(separator: ", ")))"
        } else if let close = Suggest.closest(to: typed, in: names) {
            warning += " — did you mean '\(close)'?"
        }
        warnings.append(warning)
        return nil
    }
}
