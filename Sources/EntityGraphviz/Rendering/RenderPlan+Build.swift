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
        dot.nodeDefaults["fontname"] = font
        // Graphviz's own default, declared so that DOT output keeps the overlay's empty labels empty
        // (cgraph writes no value equal to an empty default, and a reader would then show the name).
        dot.nodeDefaults["label"] = "\\N"
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
        let summary = options.summarize ? RenderPlan.leafSummary(of: graph) : LeafSummary()
        // Entities are the first nodes, in the graph's order (but those folded by `summarize`).
        var nodeIndex: [EntityID: Int] = [:]
        nodeIndex.reserveCapacity(graph.entities.count)
        for (position, entity) in graph.entities.values.enumerated() where !summary.folded.contains(entity.id) {
            let style = theme.nodeStyle(forKind: entity.kind)
            var attributes = RenderPlan.attributes(of: style)
            var label = GraphvizText.wrapped(entity.name, width: theme.wrapWidth ?? 22)
            var tooltip = RenderPlan.tooltip(for: entity, in: graph)
            if let badge = summary.badges[entity.id] {
                label += "\n" + badge.line
                tooltip += "\n" + badge.tooltip.joined(separator: "\n")
                attributes["peripheries"] = "2"
            }
            attributes["label"] = GraphvizText.escaped(label)
            attributes["id"] = "entity-" + GraphvizText.token(entity.id.rawValue)
            attributes["class"] =
                "entity kind-" + GraphvizText.token(entity.kind.rawValue)
                + (summary.badges[entity.id] == nil ? "" : " summarized")
            attributes["tooltip"] = GraphvizText.escapedTooltip(tooltip)
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
            nodeIndex[entity.id] = dot.nodes.count
            dot.nodes.append(
                DOTGraph.Node(name: nodeNames[position], attributes: attributes, subgraph: cluster(for: entity)))
        }

        // Relations: one edge per pair of entities and direction (symmetric relations: per pair), or one
        // per relation with `separateRelations`.
        dot.edges.reserveCapacity(graph.relations.count)
        struct PairKey: Hashable {
            var tail: Int
            var head: Int
            var symmetric: Bool
        }
        var groups: [[(relation: Relation, type: RelationType, key: String)]] = []
        var groupOf: [PairKey: Int] = [:]
        var ends: [(tail: Int, head: Int)] = []
        for (position, relation) in graph.relations.values.enumerated() {
            let type =
                graph.relationType(relation.type) ?? RelationType(id: relation.type, label: relation.type.rawValue)
            if summary.folded.contains(relation.source) || summary.folded.contains(relation.target) { continue }
            guard let tail = nodeIndex[relation.source], let head = nodeIndex[relation.target] else {
                throw GraphvizError(
                    code: .buildFailed, stage: .build, engine: engine,
                    message: "relation '\(relation.id)' joins an entity the graph does not have")
            }
            let member = (relation: relation, type: type, key: edgeKeys[position])
            if options.separateRelations {
                groups.append([member])
                ends.append((tail, head))
                continue
            }
            let pair =
                type.symmetric
                ? PairKey(tail: min(tail, head), head: max(tail, head), symmetric: true)
                : PairKey(tail: tail, head: head, symmetric: false)
            if let group = groupOf[pair] {
                groups[group].append(member)
            } else {
                groupOf[pair] = groups.count
                groups.append([member])
                ends.append((tail, head))
            }
        }
        let showLabels = theme.showRelationLabels ?? !large
        let showDates = theme.showDates ?? true
        for (index, members) in groups.enumerated() {
            // Styled by the most certain relation (the first of those, in the graph's order).
            let lead = members.min { $0.relation.certainty < $1.relation.certainty }!
            var attributes = RenderPlan.attributes(of: theme.edgeStyle(for: lead.relation, type: lead.type))
            if lead.type.symmetric { attributes["dir"] = "none" }
            if showLabels {
                let text =
                    members.count == 1
                    ? RenderPlan.label(for: lead.relation, type: lead.type, in: graph, showDates: showDates)
                    : members.map {
                        RenderPlan.label(for: $0.relation, type: $0.type, in: graph, showDates: showDates)
                            .replacingOccurrences(of: "\n", with: " · ")
                    }.joined(separator: "\n")
                attributes["label"] = GraphvizText.escaped(text)
            }
            attributes["id"] = "relation-" + GraphvizText.token(members[0].relation.id.rawValue)
            var classes = ["relation"]
            var seen = Set(classes)
            func add(_ name: String) { if seen.insert(name).inserted { classes.append(name) } }
            if members.count > 1 { add("relations-merged") }
            add("line-" + lead.relation.certainty.rawValue)
            for member in members {
                add("type-" + GraphvizText.token(member.type.id.rawValue))
                add("category-" + GraphvizText.token(member.type.category.rawValue))
                add("certainty-" + member.relation.certainty.rawValue)
            }
            if members.count > 1 {
                for member in members { add("rel-" + GraphvizText.token(member.relation.id.rawValue)) }
            }
            attributes["class"] = classes.joined(separator: " ")
            let tooltip = GraphvizText.escapedTooltip(
                members.map { RenderPlan.tooltip(for: $0.relation, type: $0.type, in: graph) }
                    .joined(separator: "\n\n"))
            attributes["tooltip"] = tooltip
            attributes["labeltooltip"] = tooltip
            dot.edges.append(
                DOTGraph.Edge(
                    tail: ends[index].tail, head: ends[index].head, key: members[0].key, attributes: attributes))
        }

        // An entity that only asserts relations (no relation of its own on this map) would float
        // unconnected: a thin "asserts" line joins it to the subject of each claim it makes.
        var touched = [Bool](repeating: false, count: graph.entities.count)
        for edge in dot.edges {
            touched[edge.tail] = true
            touched[edge.head] = true
        }
        var assertsDrawn = Set<[Int]>()
        for relation in graph.relations.values {
            guard let asserter = relation.assertedBy, let from = nodeIndex[asserter], !touched[from],
                let to = nodeIndex[relation.source], to != from, assertsDrawn.insert([from, to]).inserted
            else { continue }
            let name = graph.entities[asserter]?.name ?? asserter.rawValue
            dot.edges.append(
                DOTGraph.Edge(
                    tail: from, head: to, key: nil,
                    attributes: [
                        "color": "#9e9e9e", "style": "dotted", "penwidth": "0.8", "arrowhead": "none",
                        "label": showLabels ? "asserts" : "", "fontsize": "8", "fontcolor": "#9e9e9e",
                        "class": "asserts",
                        "tooltip": GraphvizText.escapedTooltip("\(name) asserts relations of this entity"),
                    ]))
        }

        if showLabels, options.edgeLabelNodes, RenderPlan.labelNodeEngines.contains(engine) {
            splitLabelledEdges(usedNames: Set(nodeNames))
        }

        if engine != "dot" {
            dot.graphAttributes["splines"] = RenderPlan.splines(
                for: dot.edges, nodeCount: graph.entities.count, large: large)
        }

        // Title, subtitle and legend: placed around the map after its layout, never part of it.
        let title = options.title ?? graph.title ?? ""
        overlay = MapOverlay(
            of: graph, theme: theme, font: font, title: title, subtitle: options.subtitle,
            usedNames: Set(nodeNames),
            certaintyStyles: { certainty in RenderPlan.attributes(of: theme.edgeStyle(forCertainty: certainty)) })
        if options.embedsStyleSheet { svgStyle = theme.svgStyleSheet() }
        if let dpi = options.dpi {
            guard dpi.isFinite, (10...2400).contains(dpi) else {
                throw GraphvizError(
                    code: .attributeRejected, stage: .build, engine: engine,
                    message: "dpi \(format(dpi)) is out of range (10 to 2400 pixels per inch)")
            }
            dot.graphAttributes["dpi"] = format(dpi)
        }
        if let size = options.size { fit = MapFit(size, smallestFont: smallestFontSize()) }
        // A title alone needs no second pass: Graphviz's own graph label places it above the map
        // (saving the pass's time and memory, which on a 10k-entity sfdp map is a second layout's).
        if overlay.sections.isEmpty, fit == nil, overlay.header.count == 1, let line = overlay.header.first,
            overlay.graph.nodes[line.node].attributes["id"] == "map-title"
        {
            dot.graphAttributes["label"] = GraphvizText.escaped(title)
            dot.graphAttributes["labelloc"] = "t"
            dot.graphAttributes["labeljust"] = "c"
            dot.graphAttributes["fontsize"] = "18"
            overlay = MapOverlay()
        }
    }

    /// The smallest font size of any text drawn (entity names, shown relation labels, title and
    /// legend), in points; Graphviz's default 14 where none is set. O(objects).
    func smallestFontSize() -> Double {
        func size(_ attributes: DOTGraph.Attributes, defaults: DOTGraph.Attributes) -> Double {
            Double(attributes["fontsize"] ?? defaults["fontsize"] ?? "14") ?? 14
        }
        var smallest = Double.infinity
        for node in dot.nodes where node.attributes["label"] != "" {
            smallest = min(smallest, size(node.attributes, defaults: dot.nodeDefaults))
        }
        for edge in dot.edges where !(edge.attributes["label"] ?? "").isEmpty {
            smallest = min(smallest, size(edge.attributes, defaults: dot.edgeDefaults))
        }
        for node in overlay.graph.nodes where !(node.attributes["label"] ?? "").isEmpty {
            smallest = min(smallest, size(node.attributes, defaults: [:]))
        }
        return smallest.isFinite ? smallest : 14
    }

    /// The engines whose relation labels are drawn as nodes of their own (``splitLabelledEdges(usedNames:)``).
    static let labelNodeEngines: Set<String> = ["neato", "fdp", "sfdp"]

    /// The force-directed engines place an edge's label at its middle after the layout, with nothing to
    /// keep labels off each other: the seed map had 17 (neato) to 50 (fdp) pairs of overlapping labels.
    /// Each labelled edge (but a self-loop) becomes two edges through a plain-text node holding the
    /// label, so the engine's overlap removal keeps labels apart from each other and from the entities.
    /// The first half keeps the relation's id and classes and has no arrowhead; the second, with the
    /// arrowhead, has the id with `-head`; the label node has the id with `-label` and the class
    /// `relation-label`. O(edges).
    mutating func splitLabelledEdges(usedNames: Set<String>) {
        var used = usedNames
        var edges: [DOTGraph.Edge] = []
        edges.reserveCapacity(dot.edges.count * 2)
        for var edge in dot.edges {
            guard edge.tail != edge.head, let label = edge.attributes["label"], !label.isEmpty,
                edge.attributes["class"]?.hasPrefix("relation") == true
            else {
                edges.append(edge)
                continue
            }
            let id = edge.attributes["id"] ?? "relation"
            var name = "label:" + (edge.key ?? id)
            while used.contains(name) { name += "'" }
            used.insert(name)
            var node: DOTGraph.Attributes = [
                "shape": "plaintext", "label": label, "margin": "0.03,0.01", "id": id + "-label",
                "class": "relation-label " + (edge.attributes["class"] ?? ""),
            ]
            for key in ["fontcolor", "fontsize", "tooltip"] { node[key] = edge.attributes[key] }
            dot.nodes.append(DOTGraph.Node(name: name, attributes: node))
            let middle = dot.nodes.count - 1
            edge.attributes["label"] = nil
            edge.attributes["labeltooltip"] = nil
            var second = edge
            edge.attributes["arrowhead"] = "none"
            if edge.attributes["dir"] == nil { edge.attributes["dir"] = "forward" }
            let head = edge.head
            edge.head = middle
            second.tail = middle
            second.head = head
            second.attributes["id"] = id + "-head"
            edges.append(edge)
            edges.append(second)
        }
        dot.edges = edges
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
            if let dashes = style.dashArray {
                let numbers = dashes.split(separator: ",", omittingEmptySubsequences: false).map {
                    String($0).trimmingWhitespace()
                }
                let valid =
                    dashes == "none"
                    || (numbers.count <= 12
                        && numbers.allSatisfy { number in
                            Double(number).map { $0 >= 0 && $0 <= 1000 } ?? false
                                && number.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == "." }
                        })
                if !valid {
                    throw reject(
                        "\(place): dashArray '\(dashes)' is not a dash pattern (up to 12 lengths in points, "
                            + "separated by commas, such as '8,3,1.5,3'; or 'none')")
                }
            }
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

    /// The style of `relation`: its certainty's over its type's over its category's over the default.
    func edgeStyle(for relation: Relation, type: RelationType) -> EdgeStyle {
        var style = edgeStyle(forCategory: type.category)
        if let byType = relationTypes?[type.id.rawValue] { style = byType.over(style) }
        if let byCertainty = certainties?[relation.certainty.rawValue] { style = byCertainty.over(style) }
        return style
    }

    /// The CSS the SVG output carries for line patterns Graphviz cannot draw: one rule per certainty
    /// with a ``EdgeStyle/dashArray``, matching the `line-CERTAINTY` class of the edges (and legend
    /// samples) drawn in that certainty's style. Values are checked by `check()` (numbers, commas,
    /// spaces or `none`), so the sheet holds nothing a user could inject. Empty when no certainty has a
    /// dash array. `scope` (e.g. `#eg-map `) is put before each selector.
    func svgStyleSheet(scope: String = "") -> String {
        var rules: [String] = []
        for certainty in Certainty.allCases {
            guard let dashes = edgeStyle(forCertainty: certainty).dashArray else { continue }
            rules.append("\(scope).line-\(certainty.rawValue) path { stroke-dasharray: \(dashes); }")
        }
        return rules.joined(separator: " ")
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
