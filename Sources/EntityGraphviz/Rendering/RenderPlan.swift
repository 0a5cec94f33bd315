import EntityGraph

/// A Graphviz-ready description of a map: nodes, edges, clusters and attributes, all plain Swift
/// values. Built from a ``Graph`` and a ``Theme`` by ``RenderPlan/init(graph:options:)``; the bridge
/// turns it into a cgraph graph without ever writing DOT text.
///
/// Every attribute value in a plan is already safe for Graphviz: user text is escaped so it renders
/// literally, attribute names come from ``AttributePolicy``'s allow-list, and links carry only
/// `http`, `https` or `mailto` URLs.
struct RenderPlan: Hashable, Sendable {
    typealias Attribute = (name: String, value: String)

    struct Node: Hashable, Sendable {
        var name: String
        var attributes: [String: String]
        /// Index into ``RenderPlan/clusters``, or `nil` for the root graph.
        var cluster: Int?
    }

    struct Edge: Hashable, Sendable {
        var tail: String
        var head: String
        /// Distinguishes parallel edges (the relation id).
        var key: String
        var attributes: [String: String]
        var cluster: Int?
    }

    struct Cluster: Hashable, Sendable {
        var name: String
        var attributes: [String: String]
    }

    var graphAttributes: [String: String] = [:]
    var nodeDefaults: [String: String] = [:]
    var edgeDefaults: [String: String] = [:]
    var nodes: [Node] = []
    var edges: [Edge] = []
    var clusters: [Cluster] = []
    /// Seed for the layout engines' random generators.
    var seed: Int = 1
    /// Index in ``clusters`` of the legend, if drawn.
    var legendCluster: Int?
    /// Groups of legend node names to keep on one rank each (`rank=same` subgraphs inside the legend).
    var legendColumns: [[String]] = []
    /// Things worth telling the user that did not stop the render (e.g. a link with a refused scheme).
    var warnings: [String] = []
}

/// Which attribute names may reach Graphviz, per object kind. Everything else is refused, in
/// particular the attributes that make Graphviz read files (`image`, `shapefile`, `fontpath`,
/// `imagepath`, `fontnames`, `stylesheet`, …).
public enum AttributePolicy {
    public static let graph: Set<String> = [
        "label", "labelloc", "labeljust", "fontname", "fontsize", "fontcolor", "bgcolor", "rankdir", "nodesep",
        "ranksep", "pad", "margin", "splines", "overlap", "sep", "start", "outputorder", "newrank", "compound",
        "concentrate", "nslimit", "nslimit1", "mclimit", "maxiter", "searchsize", "K", "style", "color",
        "fillcolor", "penwidth", "id", "class", "tooltip", "pencolor", "packmode", "pack", "ratio", "size",
        "charset", "forcelabels", "esep", "mode", "model", "epsilon", "remincross", "ordering", "peripheries",
    ]
    public static let node: Set<String> = [
        "label", "shape", "style", "fillcolor", "color", "fontcolor", "fontname", "fontsize", "penwidth", "id",
        "class", "tooltip", "URL", "target", "margin", "width", "height", "fixedsize", "peripheries", "group",
        "ordering",
    ]
    public static let edge: Set<String> = [
        "label", "xlabel", "color", "fontcolor", "fontname", "fontsize", "style", "penwidth", "arrowhead",
        "arrowtail", "arrowsize", "dir", "id", "class", "tooltip", "labeltooltip", "edgetooltip", "URL", "target",
        "weight", "constraint", "minlen", "decorate", "headclip", "tailclip", "len",
    ]
    /// Attributes that read files or load code; never set, whatever their source.
    public static let forbidden: Set<String> = [
        "image", "imagepath", "imagescale", "shapefile", "fontpath", "fontnames", "stylesheet", "labelfontname",
        "headURL", "tailURL", "labelURL", "edgeURL", "href", "headhref", "tailhref", "labelhref", "edgehref",
    ]

    /// URL schemes that may be linked from a map.
    public static let allowedURLSchemes: Set<String> = ["http", "https", "mailto"]

    /// The URL if its scheme is allowed (case-insensitive) and it holds no control characters; else `nil`.
    public static func safeURL(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        let scheme = trimmed[..<colon].lowercased()
        guard allowedURLSchemes.contains(scheme) else { return nil }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return trimmed
    }
}

/// Turns user text into Graphviz attribute text that renders literally.
enum GraphvizText {
    /// For plain (never HTML-like) labels and tooltips, which Graphviz reads as "escString":
    /// backslashes are doubled (so `C:\orders\new` and `\N` stay literal), `&` becomes `&amp;` (Graphviz
    /// decodes entities in labels), line breaks become centred `\n` breaks, tabs become spaces, and other
    /// control characters — which XML output cannot carry — become U+FFFD.
    static func escaped(_ text: String) -> String {
        escaped(text, backslash: "\\\\")
    }

    /// For tooltips. Graphviz unescapes a tooltip twice (once as an escString, once while substituting
    /// `\N`, `\G`, …), so a literal backslash needs four; otherwise as ``escaped(_:)``. Measured on
    /// Graphviz 2.42/2.43; the label-safety tests fail if a version behaves differently.
    static func escapedTooltip(_ text: String) -> String {
        escaped(text, backslash: "\\\\\\\\")
    }

    private static func escaped(_ text: String, backslash: String) -> String {
        if !needsEscaping(text) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": result += backslash
            case "&": result += "&amp;"
            case "\n":
                if !previousWasCR { result += "\\n" }
            case "\r", "\u{2028}", "\u{2029}", "\u{85}": result += "\\n"
            case "\t": result += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    result.unicodeScalars.append("\u{FFFD}")
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// True when `text` holds a byte that ``escaped(_:backslash:)`` would change: `\\`, `&`, a C0 or C1
    /// control character, DEL, or U+2028/U+2029. One pass over the UTF-8 bytes; most names need nothing.
    private static func needsEscaping(_ text: String) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case 0x00..<0x20, 0x7F, UInt8(ascii: "\\"), UInt8(ascii: "&"): return true
            case 0x80...0x9F where previous == 0xC2: return true  // U+0080…U+009F
            case 0xA8 where previous == 0x80 && beforePrevious == 0xE2: return true  // U+2028
            case 0xA9 where previous == 0x80 && beforePrevious == 0xE2: return true  // U+2029
            default: break
            }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    /// Breaks `text` at spaces so that no line is longer than `width` characters (where possible).
    static func wrapped(_ text: String, width: Int) -> String {
        guard width > 0, text.count > width, !text.contains("\n") else { return text }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    /// A token usable in an XML id and a CSS class: ASCII letters, digits and `-` pass through; every
    /// other byte of the UTF-8 encoding (including `_`) becomes `_XX` in hex. Injective, so distinct
    /// ids stay distinct.
    static func token(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "_" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
