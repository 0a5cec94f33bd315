import EntityGraph
import Foundation

/// How a map looks: node styles per entity kind, edge styles per relation category, type and
/// certainty, fonts, layout direction, labels and legend.
///
/// A theme is a value: start from ``Theme/standard`` and adjust, or load a JSON file whose fields
/// override the standard theme's (``Theme/load(from:)``). Every style field is optional; a `nil`
/// field falls back to the next, more general layer: relation type → category → default, and
/// certainty styles are applied on top.
public struct Theme: Hashable, Sendable, Codable {
    /// The look of an entity's node.
    public struct NodeStyle: Hashable, Sendable, Codable {
        /// Graphviz shape name (from a fixed list; see ``Theme/allowedShapes``).
        public var shape: String?
        /// Fill colour: a Graphviz colour name or `#rrggbb`.
        public var fillColor: String?
        /// Outline colour.
        public var borderColor: String?
        /// Colour of the name.
        public var fontColor: String?
        /// Graphviz style list: `filled`, `rounded`, `dashed`, `dotted`, `bold`, `striped`, `wedged`, `diagonals`.
        public var style: String?
        /// Outline width, in points.
        public var penWidth: Double?
        /// Font size of the name, in points.
        public var fontSize: Double?

        /// Creates a node style; fields left `nil` come from the next, more general layer.
        public init(
            shape: String? = nil, fillColor: String? = nil, borderColor: String? = nil,
            fontColor: String? = nil, style: String? = nil, penWidth: Double? = nil, fontSize: Double? = nil
        ) {
            self.shape = shape
            self.fillColor = fillColor
            self.borderColor = borderColor
            self.fontColor = fontColor
            self.style = style
            self.penWidth = penWidth
            self.fontSize = fontSize
        }

        /// This style with every `nil` field taken from `base`.
        public func over(_ base: NodeStyle) -> NodeStyle {
            NodeStyle(
                shape: shape ?? base.shape, fillColor: fillColor ?? base.fillColor,
                borderColor: borderColor ?? base.borderColor, fontColor: fontColor ?? base.fontColor,
                style: style ?? base.style, penWidth: penWidth ?? base.penWidth,
                fontSize: fontSize ?? base.fontSize)
        }
    }

    /// The look of a relation's edge.
    public struct EdgeStyle: Hashable, Sendable, Codable {
        /// Line colour: a Graphviz colour name or `#rrggbb`.
        public var color: String?
        /// Colour of the label.
        public var fontColor: String?
        /// `solid`, `dashed`, `dotted`, `bold` (comma-separated).
        public var style: String?
        /// Line width, in points.
        public var penWidth: Double?
        /// Graphviz arrow name (from a fixed list; see ``Theme/allowedArrows``).
        public var arrowHead: String?
        /// Font size of the label, in points.
        public var fontSize: Double?
        /// The line's dash pattern in SVG (and the HTML page): lengths of dashes and gaps in points,
        /// e.g. `8,3,1.5,3` for dash-dot; `none` for a solid line. Other formats draw ``style``, since
        /// Graphviz offers only `solid`, `dashed` and `dotted` there.
        public var dashArray: String?

        /// Creates an edge style; fields left `nil` come from the next, more general layer.
        public init(
            color: String? = nil, fontColor: String? = nil, style: String? = nil, penWidth: Double? = nil,
            arrowHead: String? = nil, fontSize: Double? = nil, dashArray: String? = nil
        ) {
            self.color = color
            self.fontColor = fontColor
            self.style = style
            self.penWidth = penWidth
            self.arrowHead = arrowHead
            self.fontSize = fontSize
            self.dashArray = dashArray
        }

        /// This style with every `nil` field taken from `base`.
        public func over(_ base: EdgeStyle) -> EdgeStyle {
            EdgeStyle(
                color: color ?? base.color, fontColor: fontColor ?? base.fontColor, style: style ?? base.style,
                penWidth: penWidth ?? base.penWidth, arrowHead: arrowHead ?? base.arrowHead,
                fontSize: fontSize ?? base.fontSize, dashArray: dashArray ?? base.dashArray)
        }
    }

    /// Font family for all text. Only fonts installed on the machine render as such.
    public var fontName: String?
    /// A theme-wide font size, in points. The renderer does not read it at present: sizes come from
    /// ``NodeStyle/fontSize`` and ``EdgeStyle/fontSize`` (the title is drawn at 18 points).
    public var fontSize: Double?
    /// Background colour; `white` in the standard theme.
    public var background: String?
    /// Layout direction for `dot`: `LR`, `TB`, `RL`, `BT`.
    public var rankDirection: String?
    /// Spacing between nodes of one rank / between ranks, in inches.
    public var nodeSeparation: Double?
    /// Spacing between ranks (layers), in inches.
    public var rankSeparation: Double?

    /// The node style every kind's style is layered over.
    public var defaultNode: NodeStyle?
    /// Node style per entity kind id.
    public var kinds: [String: NodeStyle]?
    /// The edge style every category's, type's and certainty's style is layered over.
    public var defaultEdge: EdgeStyle?
    /// Edge style per relation category.
    public var categories: [String: EdgeStyle]?
    /// Edge style per relation type id; overrides the category's.
    public var relationTypes: [String: EdgeStyle]?
    /// Edge style per certainty (`confirmed`, `reported`, …); applied over the type's.
    public var certainties: [String: EdgeStyle]?

    /// Show the relation type's label on each edge. `nil` (the standard theme) shows them on maps of
    /// up to 300 entities and leaves them to the tooltips on larger ones.
    public var showRelationLabels: Bool?
    /// Append the date range (`2022-10-19 –`) to relation labels when known.
    public var showDates: Bool?
    /// Draw a legend listing the kinds, categories and certainties present.
    public var showLegend: Bool?
    /// Draw the graph's title above the map.
    public var showTitle: Bool?
    /// Wrap entity names longer than this many characters onto several lines.
    public var wrapWidth: Int?

    /// Creates a theme with every field `nil`. The renderer layers any theme over ``standard``, so an
    /// empty theme draws like the standard one: set only the fields you want to change.
    public init() {}

    /// The default theme: a readable, newspaper-style map.
    public static let standard: Theme = {
        var theme = Theme()
        theme.fontName = "DejaVu Sans"
        theme.fontSize = 11
        theme.background = "white"
        theme.rankDirection = "LR"
        theme.nodeSeparation = 0.35
        theme.rankSeparation = 0.9
        theme.defaultNode = NodeStyle(
            shape: "box", fillColor: "#eeeeee", borderColor: "#555555",
            fontColor: "#1a1a1a", style: "filled", penWidth: 1.2, fontSize: 11)
        theme.kinds = [
            "person": NodeStyle(shape: "ellipse", fillColor: "#fde2c8", borderColor: "#b5651d"),
            "state": NodeStyle(shape: "doubleoctagon", fillColor: "#cfe0f5", borderColor: "#2b5797", fontSize: 12),
            "organization": NodeStyle(
                shape: "box", fillColor: "#d7ecd4", borderColor: "#2e7d32", style: "filled,rounded"),
            "facility": NodeStyle(shape: "cylinder", fillColor: "#f3d9d9", borderColor: "#a12b2b"),
            "place": NodeStyle(shape: "house", fillColor: "#ece3f3", borderColor: "#6a3d9a"),
            "event": NodeStyle(shape: "box", fillColor: "#fff5c2", borderColor: "#9c7c00", style: "filled,diagonals"),
        ]
        theme.defaultEdge = EdgeStyle(
            color: "#666666", fontColor: "#333333", style: "solid", penWidth: 1.2,
            arrowHead: "normal", fontSize: 9)
        // Paul Tol's "muted" scheme, made to stay apart under protanopia, deuteranopia and tritanopia
        // (checked by simulating each on the seed's legend); labels use darker shades of the light ones.
        theme.categories = [
            "political": EdgeStyle(color: "#332288", fontColor: "#332288"),
            "military": EdgeStyle(color: "#882255", fontColor: "#882255", penWidth: 1.6),
            "economic": EdgeStyle(color: "#117733", fontColor: "#117733"),
            "legal": EdgeStyle(color: "#AA4499", fontColor: "#8A2F7B"),
            "communication": EdgeStyle(color: "#CC6677", fontColor: "#A3404F"),
            "membership": EdgeStyle(color: "#44AA99", fontColor: "#23786A"),
            "geographic": EdgeStyle(color: "#8d8d8d", fontColor: "#6d6d6d", penWidth: 0.9),
            "event": EdgeStyle(color: "#999933", fontColor: "#6B6B1F"),
            "personal": EdgeStyle(color: "#88CCEE", fontColor: "#2F7FA8"),
            "other": EdgeStyle(color: "#666666", fontColor: "#444444"),
        ]
        theme.relationTypes = [:]
        // Six line styles a reader can tell apart: in SVG by their dash patterns (solid, long dash,
        // short dash, dots, dash-dot, and a grey dash-dot-dot ending in a bar for denied); in PNG and PDF,
        // where Graphviz has only solid, dashed and dotted lines, by pattern, width and colour.
        theme.certainties = [
            "confirmed": EdgeStyle(style: "solid", penWidth: 1.6, dashArray: "none"),
            "reported": EdgeStyle(style: "dashed", penWidth: 1.4, dashArray: "10,4"),
            "claimed": EdgeStyle(style: "dashed", penWidth: 0.9, dashArray: "4,3"),
            "alleged": EdgeStyle(style: "dotted", penWidth: 1.6, dashArray: "1.5,3.5"),
            "disputed": EdgeStyle(style: "dotted", penWidth: 0.9, dashArray: "8,3,1.5,3"),
            "denied": EdgeStyle(
                color: "#9e9e9e", fontColor: "#757575", style: "dashed", penWidth: 0.9, arrowHead: "tee",
                dashArray: "2,2,2,6"),
        ]
        theme.showDates = true
        theme.showLegend = true
        theme.showTitle = true
        theme.wrapWidth = 22
        return theme
    }()

    /// This theme with every `nil` field (and every missing dictionary entry) taken from `base`.
    public func over(_ base: Theme) -> Theme {
        func merge<S>(_ top: [String: S]?, _ bottom: [String: S]?, _ combine: (S, S) -> S) -> [String: S]? {
            guard let top else { return bottom }
            guard let bottom else { return top }
            return bottom.merging(top) { old, new in combine(new, old) }
        }
        var result = Theme()
        result.fontName = fontName ?? base.fontName
        result.fontSize = fontSize ?? base.fontSize
        result.background = background ?? base.background
        result.rankDirection = rankDirection ?? base.rankDirection
        result.nodeSeparation = nodeSeparation ?? base.nodeSeparation
        result.rankSeparation = rankSeparation ?? base.rankSeparation
        result.defaultNode = defaultNode.map { $0.over(base.defaultNode ?? NodeStyle()) } ?? base.defaultNode
        result.kinds = merge(kinds, base.kinds) { $0.over($1) }
        result.defaultEdge = defaultEdge.map { $0.over(base.defaultEdge ?? EdgeStyle()) } ?? base.defaultEdge
        result.categories = merge(categories, base.categories) { $0.over($1) }
        result.relationTypes = merge(relationTypes, base.relationTypes) { $0.over($1) }
        result.certainties = merge(certainties, base.certainties) { $0.over($1) }
        result.showRelationLabels = showRelationLabels ?? base.showRelationLabels
        result.showDates = showDates ?? base.showDates
        result.showLegend = showLegend ?? base.showLegend
        result.showTitle = showTitle ?? base.showTitle
        result.wrapWidth = wrapWidth ?? base.wrapWidth
        return result
    }

    /// Loads a theme from JSON; fields it leaves out come from ``standard``. Unknown keys are an error
    /// (so a typo does not silently do nothing).
    public static func load(from url: URL) throws -> Theme {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ThemeError(file: url.path, message: "cannot read the theme file: \(error.localizedDescription)")
        }
        return try decode(data, fileName: url.path)
    }

    /// Decodes a theme from JSON bytes; fields left out come from ``standard``.
    public static func decode(_ data: Data, fileName: String = "theme") throws -> Theme {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw ThemeError(file: fileName, message: "not valid JSON: \(error.localizedDescription)")
        }
        guard let dictionary = object as? [String: Any] else {
            throw ThemeError(file: fileName, message: "a theme is a JSON object")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        for key in dictionary.keys.sorted() where !known.contains(key) {
            let hint = Suggest.closest(to: key, in: known).map { " — did you mean '\($0)'?" } ?? ""
            throw ThemeError(file: fileName, message: "unknown key '\(key)'\(hint)")
        }
        do {
            return try JSONDecoder().decode(Theme.self, from: data).over(.standard)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ThemeError(file: fileName, message: "\(path): \(context.debugDescription)")
        } catch {
            throw ThemeError(file: fileName, message: "\(error)")
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case fontName, fontSize, background, rankDirection, nodeSeparation, rankSeparation, defaultNode, kinds,
            defaultEdge, categories, relationTypes, certainties, showRelationLabels, showDates, showLegend,
            showTitle, wrapWidth
    }

    /// Node shapes a theme may use. Shapes that read files (`custom`, `epsf`) and `record` shapes
    /// (whose labels are parsed for `|{}<>`) are not offered.
    public static let allowedShapes: Set<String> = [
        "box", "rect", "rectangle", "square", "ellipse", "oval", "circle", "doublecircle", "point", "egg",
        "triangle", "plaintext", "plain", "diamond", "trapezium", "parallelogram", "house", "pentagon",
        "hexagon", "septagon", "octagon", "doubleoctagon", "tripleoctagon", "invtriangle", "invtrapezium",
        "invhouse", "Mdiamond", "Msquare", "Mcircle", "note", "tab", "folder", "box3d", "component",
        "cylinder", "underline", "star", "cds", "none",
    ]

    /// Arrowheads a theme may use.
    public static let allowedArrows: Set<String> = [
        "normal", "inv", "dot", "odot", "invdot", "invodot", "none", "tee", "empty", "invempty", "diamond",
        "odiamond", "ediamond", "crow", "box", "obox", "open", "halfopen", "vee",
    ]
}

/// A theme file could not be used.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The theme file (or the name given to ``Theme/decode(_:fileName:)``).
    public var file: String
    /// What is wrong, e.g. `unknown key 'fontsize' — did you mean 'fontSize'?`.
    public var message: String
    /// `file: message`.
    public var description: String { "\(file): \(message)" }
}
