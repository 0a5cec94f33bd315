import EntityGraph

/// What a map shows beside its network — the title and subtitle above it and the legend beside or
/// below it — placed after the layout, so that none of it takes part in the layout: the engine lays
/// out the entities and relations alone, and the bridge then adds these objects at fixed positions
/// around the map's bounding box (``placed(around:)``) and draws the whole with Graphviz's `nop2`
/// engine, which keeps every position and edge route of the first layout.
///
/// All values are plain Swift, so the overlay travels to a layout worker with the rest of the plan.
/// Sizes are in points; text widths are estimated from the font size (DejaVu Sans), generously, and
/// every label is left-justified inside its box, so an estimate that is too wide only adds space.
struct MapOverlay: Hashable, Sendable {
    /// The overlay's nodes (the legend's frame, swatches and labels, the title lines) and edges (line
    /// samples between invisible end points), without positions. None is in a subgraph.
    var graph = DOTGraph(name: nil)
    /// Title lines, centred above the map in this order.
    var header: [Block] = []
    /// The legend's frame (a box drawn around its sections), when there is a legend.
    var frame: Int?
    /// The legend's sections (entity kinds, relation categories, certainties): a heading and entries.
    var sections: [Section] = []

    /// A node and its size.
    struct Block: Hashable, Sendable {
        var node: Int
        var width: Double
        var height: Double
    }

    /// One legend entry: a swatch and its label.
    struct Entry: Hashable, Sendable {
        /// A sample of a kind's node, or the two (invisible) ends of a sample line.
        var swatch: [Int]
        var label: Block
    }

    /// A heading and its entries.
    struct Section: Hashable, Sendable {
        var heading: Block
        var entries: [Entry]
    }

    /// Width of a swatch (a kind's sample node or a sample line), in points.
    static let swatchWidth = 34.0
    /// Height of one legend row, in points.
    static let rowHeight = 19.0
    /// Space between the map and the legend, between swatch and label, and inside the frame.
    static let gap = 20.0
    static let swatchGap = 6.0
    static let padding = 10.0
    /// Space between two entries of a row.
    static let columnGap = 16.0

    var isEmpty: Bool { header.isEmpty && sections.isEmpty }

    /// A point, in Graphviz's coordinates (points, y up).
    struct Point: Hashable, Sendable {
        var x: Double
        var y: Double
    }

    /// A box, in Graphviz's coordinates.
    struct Box: Hashable, Sendable {
        var minX: Double
        var minY: Double
        var maxX: Double
        var maxY: Double
        var width: Double { maxX - minX }
        var height: Double { maxY - minY }
    }

    /// Where each overlay object goes around a map whose bounding box is `map`.
    struct Placement: Hashable, Sendable {
        /// Centre of each overlay node, by index into ``MapOverlay/graph``'s nodes.
        var centres: [Point]
        /// The legend's frame, when there is a legend.
        var legend: Box?
        /// Whether the legend went beside the map (else below it).
        var beside: Bool
    }

    /// Places the legend below the map or to its right, whichever makes the smaller picture (below on
    /// a tie), and the title lines centred above both. Below, each section's entries flow in as many
    /// columns as the map's width (at least 440 points) allows; beside, they stack in one column.
    /// O(overlay objects).
    func placed(around map: Box) -> Placement {
        var centres = [Point](repeating: Point(x: 0, y: 0), count: graph.nodes.count)
        var legendBox: Box?
        var beside = false
        if !sections.isEmpty {
            let below = arrangement(width: max(map.width, 440))
            let column = arrangement(width: 0)
            let belowArea = max(map.width, below.width) * (map.height + MapOverlay.gap + below.height)
            let besideArea = (map.width + MapOverlay.gap + column.width) * max(map.height, column.height)
            beside = besideArea < belowArea * 0.98
            let chosen = beside ? column : below
            let origin =
                beside
                ? Point(x: map.maxX + MapOverlay.gap, y: map.maxY - chosen.height)
                : Point(x: map.minX, y: map.minY - MapOverlay.gap - chosen.height)
            for (node, point) in chosen.centres {
                centres[node] = Point(x: origin.x + point.x, y: origin.y + point.y)
            }
            let box = Box(
                minX: origin.x, minY: origin.y, maxX: origin.x + chosen.width, maxY: origin.y + chosen.height)
            legendBox = box
            if let frame { centres[frame] = Point(x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2) }
        }
        // The title lines, centred over the map and the legend together.
        var minX = map.minX
        var maxX = map.maxX
        var top = map.maxY
        if let legendBox {
            minX = min(minX, legendBox.minX)
            maxX = max(maxX, legendBox.maxX)
            top = max(top, legendBox.maxY)
        }
        var y = top + (header.isEmpty ? 0 : 8)
        for block in header.reversed() {
            centres[block.node] = Point(x: (minX + maxX) / 2, y: y + block.height / 2)
            y += block.height
        }
        return Placement(centres: centres, legend: legendBox, beside: beside)
    }

    /// The legend's entries laid out in a box whose lower-left corner is the origin, in rows of at most
    /// `width` points (`0`: one entry per row). Each section starts a new row; its heading sits on a
    /// row of its own above its entries.
    private func arrangement(width: Double) -> (width: Double, height: Double, centres: [(Int, Point)]) {
        var rows: [[(Int, Double, Double)]] = []  // per row: (node, x of centre, width)
        var lines: [(node: Int, x: Double, row: Int)] = []
        var usedWidth = 0.0
        let inner = max(width - 2 * MapOverlay.padding, 0)
        for section in sections {
            rows.append([(section.heading.node, section.heading.width / 2, section.heading.width)])
            usedWidth = max(usedWidth, section.heading.width)
            let cell =
                MapOverlay.swatchWidth + MapOverlay.swatchGap
                + (section.entries.map(\.label.width).max() ?? 0)
            let columns = max(
                1, min(section.entries.count, Int((inner + MapOverlay.columnGap) / (cell + MapOverlay.columnGap))))
            for (position, entry) in section.entries.enumerated() {
                let column = position % columns
                if column == 0 { rows.append([]) }
                let left = Double(column) * (cell + MapOverlay.columnGap)
                var row = rows.removeLast()
                if entry.swatch.count == 2 {
                    lines.append((entry.swatch[0], left, rows.count))
                    lines.append((entry.swatch[1], left + MapOverlay.swatchWidth, rows.count))
                } else if let swatch = entry.swatch.first {
                    row.append((swatch, left + MapOverlay.swatchWidth / 2, MapOverlay.swatchWidth))
                }
                let labelLeft = left + MapOverlay.swatchWidth + MapOverlay.swatchGap
                row.append((entry.label.node, labelLeft + entry.label.width / 2, entry.label.width))
                rows.append(row)
                usedWidth = max(usedWidth, labelLeft + entry.label.width)
            }
        }
        let height = Double(rows.count) * MapOverlay.rowHeight + 2 * MapOverlay.padding
        var centres: [(Int, Point)] = []
        func rowCentre(_ row: Int) -> Double {
            height - MapOverlay.padding - (Double(row) + 0.5) * MapOverlay.rowHeight
        }
        for (index, row) in rows.enumerated() {
            for (node, x, _) in row { centres.append((node, Point(x: MapOverlay.padding + x, y: rowCentre(index)))) }
        }
        for line in lines {
            centres.append((line.node, Point(x: MapOverlay.padding + line.x, y: rowCentre(line.row))))
        }
        return (usedWidth + 2 * MapOverlay.padding, height, centres)
    }

    /// A generous estimate of the width of `text` in DejaVu Sans at `fontSize` points: the widest of
    /// its lines, counting wide (CJK) characters as one em, capitals and digits as 0.72 em, spaces as
    /// 0.34 em and everything else as 0.6 em. O(characters).
    static func estimatedWidth(of text: String, fontSize: Double) -> Double {
        var widest = 0.0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var ems = 0.0
            for scalar in line.unicodeScalars {
                switch scalar.value {
                case 0x20: ems += 0.34
                case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60,
                    0x20000...0x3FFFD:
                    ems += 1.0
                case 0x41...0x5A, 0x30...0x39: ems += 0.72
                case 0x0300...0x036F: break  // combining marks
                default: ems += 0.6
                }
            }
            widest = max(widest, ems)
        }
        return widest * fontSize + 4
    }
}

extension MapOverlay {
    /// The overlay for `graph`: the title lines (when `title` or `subtitle` is non-empty and the theme
    /// shows titles) and the legend (when the theme shows one and the graph has entities), listing
    /// only the kinds, relation categories and certainties present. `usedNames` are the map's node
    /// names, which the overlay's names avoid. O(entities + relations).
    init(
        of model: Graph, theme: Theme, font: String, title: String, subtitle: String?, usedNames: Set<String>,
        certaintyStyles: (Certainty) -> DOTGraph.Attributes
    ) {
        var used = usedNames
        func uniqueName(_ base: String) -> String {
            var name = base
            while used.contains(name) { name += "'" }
            used.insert(name)
            return name
        }
        func textNode(
            _ base: String, text: String, fontSize: Double, color: String, id: String?, className: String
        ) -> Block {
            let escaped = GraphvizText.escaped(text)
            let width = MapOverlay.estimatedWidth(of: text, fontSize: fontSize)
            let lines = Double(text.split(separator: "\n", omittingEmptySubsequences: false).count)
            let height = fontSize * 1.25 * lines + 4
            var attributes: DOTGraph.Attributes = [
                "shape": "plaintext", "label": escaped + "\\l", "fontsize": format(fontSize), "fontcolor": color,
                "fontname": font, "margin": "0", "fixedsize": "true", "width": MapOverlay.inches(width),
                "height": MapOverlay.inches(height), "class": className,
            ]
            if let id { attributes["id"] = id }
            graph.nodes.append(DOTGraph.Node(name: uniqueName(base), attributes: attributes))
            return Block(node: graph.nodes.count - 1, width: width, height: height)
        }
        let showTitle = theme.showTitle ?? true
        if showTitle, !title.isEmpty {
            var block = textNode(
                "title", text: title, fontSize: 18, color: "#1a1a1a", id: "map-title", className: "map-title")
            // Centred: the only line of its row.
            graph.nodes[block.node].attributes["label"] = GraphvizText.escaped(title)
            block.height += 2
            header.append(block)
        }
        if showTitle, let subtitle, !subtitle.isEmpty {
            let block = textNode(
                "subtitle", text: subtitle, fontSize: 12, color: "#555555", id: "map-subtitle",
                className: "map-subtitle")
            graph.nodes[block.node].attributes["label"] = GraphvizText.escaped(subtitle)
            header.append(block)
        }
        guard theme.showLegend ?? true, !model.entities.isEmpty else { return }

        let present = LegendContents(model)
        graph.nodes.append(
            DOTGraph.Node(
                name: uniqueName("legend"),
                attributes: [
                    "shape": "box", "style": "rounded", "color": "#bdbdbd", "label": "", "fixedsize": "true",
                    "id": "legend", "class": "legend", "penwidth": "1",
                ]))
        frame = graph.nodes.count - 1

        func heading(_ text: String, _ key: String) -> Block {
            textNode(
                "legend:\(key)", text: text, fontSize: 10, color: "#616161", id: "legend-heading-\(key)",
                className: "legend legend-heading")
        }
        func label(_ text: String, id: String) -> Block {
            textNode(
                "legend:\(id)", text: text, fontSize: 10, color: "#333333", id: "legend-" + id,
                className: "legend")
        }
        func line(_ id: String, attributes: DOTGraph.Attributes, className: String) -> [Int] {
            var ends: [Int] = []
            for end in ["a", "b"] {
                graph.nodes.append(
                    DOTGraph.Node(
                        name: uniqueName("legend:\(id):\(end)"),
                        attributes: [
                            "shape": "point", "style": "invis", "width": "0.01", "height": "0.01", "label": "",
                            "fixedsize": "true", "class": "legend",
                        ]))
                ends.append(graph.nodes.count - 1)
            }
            var edge = attributes
            edge["dir"] = "none"
            edge["label"] = nil
            edge["id"] = "legend-\(id)-sample"
            edge["class"] = className
            graph.edges.append(DOTGraph.Edge(tail: ends[0], head: ends[1], key: nil, attributes: edge))
            return ends
        }

        if !present.kinds.isEmpty {
            var entries: [Entry] = []
            for kind in present.kinds {
                let name = model.kind(kind)?.label ?? kind.rawValue
                var attributes = RenderPlan.attributes(of: theme.nodeStyle(forKind: kind))
                attributes["label"] = ""
                attributes["fixedsize"] = "true"
                attributes["width"] = MapOverlay.inches(MapOverlay.swatchWidth - 8)
                attributes["height"] = MapOverlay.inches(13)
                attributes["penwidth"] = "1"
                attributes["id"] = "legend-kind-" + GraphvizText.token(kind.rawValue) + "-swatch"
                attributes["class"] = "legend legend-swatch"
                attributes["fontsize"] = nil
                graph.nodes.append(
                    DOTGraph.Node(name: uniqueName("legend:kind:\(kind.rawValue):swatch"), attributes: attributes))
                let swatch = graph.nodes.count - 1
                entries.append(
                    Entry(swatch: [swatch], label: label(name, id: "kind-" + GraphvizText.token(kind.rawValue))))
            }
            sections.append(Section(heading: heading("Entities", "kinds"), entries: entries))
        }
        if !present.categories.isEmpty {
            var entries: [Entry] = []
            for category in present.categories {
                var attributes = RenderPlan.attributes(of: theme.edgeStyle(forCategory: category))
                attributes["style"] = "solid"
                attributes["penwidth"] = "2"
                let id = "category-" + GraphvizText.token(category.rawValue)
                let ends = line(id, attributes: attributes, className: "legend legend-category")
                entries.append(Entry(swatch: ends, label: label(category.rawValue, id: id)))
            }
            sections.append(Section(heading: heading("Relations", "categories"), entries: entries))
        }
        if !present.certainties.isEmpty {
            var entries: [Entry] = []
            for certainty in present.certainties {
                var attributes = certaintyStyles(certainty)
                attributes["color"] = attributes["color"] ?? "#444444"
                let id = "certainty-" + certainty.rawValue
                let ends = line(
                    id, attributes: attributes, className: "legend legend-certainty line-\(certainty.rawValue)")
                entries.append(Entry(swatch: ends, label: label(certainty.rawValue, id: id)))
            }
            sections.append(Section(heading: heading("Certainty", "certainties"), entries: entries))
        }
    }

    /// `points` as inches, the unit of Graphviz's `width` and `height`.
    static func inches(_ points: Double) -> String { format((points / 72 * 1000).rounded() / 1000) }
}
