import EntityGraph

/// A Graphviz-ready description of a map: a ``DOTGraph`` (nodes, edges, clusters and attributes, all
/// plain Swift values) and what the layout needs beside it. Built from a ``Graph`` and a ``Theme`` by
/// `RenderPlan.init(graph:options:engine:)`; the bridge turns it into a cgraph graph without ever
/// writing DOT text.
///
/// Every attribute value in a plan is already safe for Graphviz: user text is escaped so it renders
/// literally, attribute names come from ``AttributePolicy``'s allow-list, and links carry only
/// `http`, `https` or `mailto` URLs.
struct RenderPlan: Hashable, Sendable {
    /// The map as a DOT graph: clusters as subgraphs, entities as nodes, relations as edges (one per
    /// pair of entities and direction unless ``RenderOptions/separateRelations``).
    var dot = DOTGraph(name: "entitygraph")
    /// Seed for the layout engines' random generators.
    var seed: Int = 1
    /// The title, subtitle and legend, placed around the map after its layout.
    var overlay = MapOverlay()
    /// How to scale the drawing to a publication size, if one was asked for.
    var fit: MapFit?
    /// CSS for the SVG output (``Theme/svgStyleSheet()``); empty for none.
    var svgStyle = ""
    /// Things worth telling the user that did not stop the render (e.g. a link with a refused scheme).
    var warnings: [String] = []

    /// The attributes that make Graphviz write anchors: tooltips and links.
    static let anchorAttributes = ["tooltip", "labeltooltip", "edgetooltip", "URL", "target"]

    /// Drops every tooltip and link (for renderers that cannot take them).
    mutating func removeAnchors() {
        for name in RenderPlan.anchorAttributes {
            dot.graphAttributes[name] = nil
            dot.nodeDefaults[name] = nil
            dot.edgeDefaults[name] = nil
        }
        for index in dot.nodes.indices {
            for name in RenderPlan.anchorAttributes { dot.nodes[index].attributes[name] = nil }
        }
        for index in dot.edges.indices {
            for name in RenderPlan.anchorAttributes { dot.edges[index].attributes[name] = nil }
        }
        for index in dot.subgraphs.indices {
            for name in RenderPlan.anchorAttributes { dot.subgraphs[index].attributes[name] = nil }
        }
    }
}

/// Which attribute names may reach Graphviz, per object kind. Everything else is refused, in
/// particular the attributes that make Graphviz read files (`image`, `shapefile`, `fontpath`,
/// `imagepath`, `fontnames`, `stylesheet`, …).
public enum AttributePolicy {
    /// Attributes that may be set on the graph and its clusters.
    public static let graph: Set<String> = [
        "label", "labelloc", "labeljust", "fontname", "fontsize", "fontcolor", "bgcolor", "rankdir", "nodesep",
        "ranksep", "pad", "margin", "splines", "overlap", "sep", "start", "outputorder", "newrank", "compound",
        "concentrate", "nslimit", "nslimit1", "mclimit", "dpi", "maxiter", "searchsize", "K", "style", "color",
        "fillcolor", "penwidth", "id", "class", "tooltip", "pencolor", "packmode", "pack", "ratio", "size",
        "charset", "forcelabels", "esep", "mode", "model", "epsilon", "remincross", "ordering", "peripheries",
        "rank",
    ]
    /// Attributes that may be set on nodes.
    public static let node: Set<String> = [
        "label", "shape", "style", "fillcolor", "color", "fontcolor", "fontname", "fontsize", "penwidth", "id",
        "class", "tooltip", "URL", "target", "margin", "width", "height", "fixedsize", "peripheries", "group",
        "ordering",
    ]
    /// Attributes that may be set on edges.
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
    ///
    /// The URL comes back percent-encoded: every byte other than letters, digits and
    /// `-._~:/?#[]@!$&()*+,;=%` becomes `%XX` (UTF-8), so quotes, angle brackets, spaces, backslashes
    /// and non-ASCII text can never end the attribute it is written into (Graphviz writes links into
    /// SVG without escaping `"` or `<`). Existing `%XX` escapes are kept as they are.
    public static func safeURL(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        let scheme = trimmed[..<colon].lowercased()
        guard allowedURLSchemes.contains(scheme) else { return nil }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(trimmed.utf8.count)
        for byte in trimmed.utf8 {
            if urlSafeBytes[Int(byte)] {
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// The bytes a link keeps as they are: RFC 3986's unreserved and reserved characters (but `'`) and `%`.
    private static let urlSafeBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&()*+,;=%".utf8) {
            table[Int(byte)] = true
        }
        return table
    }()
}

/// Turns user text into Graphviz attribute text that renders literally.
enum GraphvizText {
    /// For plain (never HTML-like) labels and tooltips, which Graphviz reads as "escString":
    /// backslashes are doubled (so `C:\orders\new` and `\N` stay literal), `&` becomes `&amp;` (Graphviz
    /// decodes entities in labels), line breaks become centred `\n` breaks, tabs become spaces, and other
    /// control characters and U+FFFE/U+FFFF — which XML output cannot carry — become U+FFFD. The one
    /// label escaping of the package: maps and ``DOTExport`` both use it.
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
        // Works on UTF-8 bytes: every byte that needs care is ASCII or starts a known sequence.
        let input = Array(text.utf8)
        let slashes = Array(backslash.utf8)
        let lineBreak: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]  // U+FFFD
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 16)
        var index = 0
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "\\"): output += slashes
            case UInt8(ascii: "&"): output += Array("&amp;".utf8)
            case 0x0D:  // CR, or CR LF: one line break
                output += lineBreak
                if index + 1 < input.count, input[index + 1] == 0x0A { index += 1 }
            case 0x0A: output += lineBreak
            case 0x09: output.append(UInt8(ascii: " "))
            case 0x00..<0x20, 0x7F: output += replacement
            case 0xC2 where index + 1 < input.count && (0x80...0x9F).contains(input[index + 1]):
                output += input[index + 1] == 0x85 ? lineBreak : replacement  // U+0085 is a line break
                index += 1
            case 0xE2
            where index + 2 < input.count && input[index + 1] == 0x80
                && (input[index + 2] == 0xA8 || input[index + 2] == 0xA9):
                output += lineBreak  // U+2028, U+2029
                index += 2
            case 0xEF where index + 2 < input.count && input[index + 1] == 0xBF && input[index + 2] >= 0xBE:
                output += replacement  // U+FFFE, U+FFFF: not characters XML can carry
                index += 2
            default: output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// True when `text` holds a byte that ``escaped(_:backslash:)`` would change: `\\`, `&`, a C0 or C1
    /// control character, DEL, U+2028/U+2029 or U+FFFE/U+FFFF. One pass over the UTF-8 bytes; most names need nothing.
    private static func needsEscaping(_ text: String) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case 0x00..<0x20, 0x7F, UInt8(ascii: "\\"), UInt8(ascii: "&"): return true
            case 0x80...0x9F where previous == 0xC2: return true  // U+0080…U+009F
            case 0xA8 where previous == 0x80 && beforePrevious == 0xE2: return true  // U+2028
            case 0xA9 where previous == 0x80 && beforePrevious == 0xE2: return true  // U+2029
            case 0xBE...0xBF where previous == 0xBF && beforePrevious == 0xEF: return true  // U+FFFE, U+FFFF
            default: break
            }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    /// Breaks `text` at spaces so that no line is wider than `width` columns (where possible). A
    /// wide character (CJK ideographs, kana, hangul, fullwidth forms) takes two columns, and a run
    /// of text with such characters and no spaces (a Japanese programme name) is broken between
    /// characters, since those scripts do not separate words; a long word in other scripts stays
    /// whole. Only line breaks are added: removing them gives the text back.
    static func wrapped(_ text: String, width: Int) -> String {
        // Byte length bounds the character count from above: short names return at once.
        guard width > 0, text.utf8.count > width, text.count > width, !text.contains("\n") else { return text }
        func columns(_ character: Character) -> Int {
            guard let value = character.unicodeScalars.first?.value else { return 1 }
            switch value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                return 2
            default: return 1
            }
        }
        var pieces: [(text: Substring, width: Int)] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let wordWidth = word.reduce(0) { $0 + columns($1) }
            guard wordWidth > width, wordWidth > word.count else {
                pieces.append((word, wordWidth))
                continue
            }
            var start = word.startIndex
            var used = 0
            var index = word.startIndex
            while index < word.endIndex {
                let step = columns(word[index])
                if used > 0, used + step > width {
                    pieces.append((word[start..<index], used))
                    start = index
                    used = 0
                }
                used += step
                index = word.index(after: index)
            }
            pieces.append((word[start...], used))
        }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for (position, piece) in pieces.enumerated() {
            // Pieces of one broken run never get a space between them.
            let joinsRun = position > 0 && pieces[position - 1].text.endIndex == piece.text.startIndex
            if line.isEmpty {
                line = String(piece.text)
                lineWidth = piece.width
            } else if !joinsRun, lineWidth + 1 + piece.width <= width {
                line += " " + piece.text
                lineWidth += 1 + piece.width
            } else {
                lines.append(line)
                line = String(piece.text)
                lineWidth = piece.width
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    /// A token usable in an XML id and a CSS class: ASCII letters, digits and `-` pass through; every
    /// other byte of the UTF-8 encoding (including `_`) becomes `_XX` in hex. Injective, so distinct
    /// ids stay distinct.
    /// Node names (or edge keys) for `ids`, in order, that Graphviz keeps as they are: each id
    /// itself when it can, else the id with U+FFFD for each character Graphviz or XML cannot carry
    /// (NUL, which ends a C string; other C0 controls but tab and line breaks; U+FFFE, U+FFFF) and `_`
    /// before a leading `%` (cgraph's prefix for anonymous objects), made unique with ` (2)`, ` (3)`, …
    /// so two ids never become one node. O(ids).
    static func safeNames(_ ids: [String]) -> [String] {
        func unsafe(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0xFFFE
                || scalar.value == 0xFFFF
        }
        return uniqueSpellings(
            ids, isCarried: { !$0.hasPrefix("%") && !$0.unicodeScalars.contains(where: unsafe) },
            respell: { id in
                let replaced = String(String.UnicodeScalarView(id.unicodeScalars.map { unsafe($0) ? "\u{FFFD}" : $0 }))
                return replaced.hasPrefix("%") ? "_" + replaced : replaced
            })
    }

    static func token(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                output.append(byte)
            default:
                output += [UInt8(ascii: "_"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
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
