import EntityGraph
import Foundation

/// The `html` format: one self-contained page holding the SVG map, the graph's entities and
/// relations as data, a small script and a style sheet — no network, no external scripts or fonts,
/// so it works offline and from a `file://` URL.
///
/// What the page offers: a search box (names, aliases and ids, case- and diacritic-insensitive:
/// "volodya" finds Volodymyr Zelensky; and by name words as the library's lookup matches them, so
/// "Лукашенко", "PUTIN, Vladimir" and "President Zelensky" find their person) that selects and centres the entity; a click on an entity
/// keeps it, its neighbours and the relations between them bright and dims the rest, and lists them
/// in a side panel; hovering shows the entity's or relation's description, dates, certainty and
/// sources; a date field and slider show the map as of a day (relations not in force are hidden,
/// with ``Relation/isInForce(on:)``'s coverage rules); a legend of the kinds, relation categories and
/// certainties present; zoom with the wheel, pan by dragging, and a Fit button.
///
/// Safety: user text reaches the page only as escaped HTML text, as JSON inside a
/// `<script type="application/json">` block with `<`, `>`, `&` and line separators escaped (so it can
/// neither end the block nor run), and inside Graphviz's SVG, which escapes it as XML. The page
/// carries a Content-Security-Policy that allows only its own inline script and style sheet (by
/// SHA-256 hash) and images from `data:` URLs; it loads nothing and submits nothing. The script
/// builds every piece of text with `textContent`, never `innerHTML`.
enum InteractiveMap {
    /// The page for `graph` around `svg` (Graphviz's SVG of the same graph, drawn without its legend).
    static func page(graph: Graph, svg: Data, theme: Theme, title: String?, subtitle: String? = nil) -> Data {
        let heading = title ?? graph.title ?? "EntityGraph map"
        // The theme's dash patterns join the page's own sheet (checked values only), so the policy
        // hashes this page's sheet.
        let style = InteractiveMapAssets.style + "\n" + theme.over(.standard).svgStyleSheet(scope: "#eg-map ")
        let script = InteractiveMapAssets.script
        let policy = contentSecurityPolicy(style: style)
        let subtitleLine = subtitle.map { $0.isEmpty ? "" : "<p class=\"eg-subtitle\">\(escapeHTML($0))</p>" } ?? ""

        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(policy)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="EntityGraph">
            <title>\(escapeHTML(heading))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <div class="eg-heading"><h1>\(escapeHTML(heading))</h1>\(subtitleLine)</div>
            <div class="eg-find">
            <input id="eg-search" type="search" placeholder="Find an entity by name or alias" autocomplete="off" spellcheck="false" aria-label="Find an entity by name or alias" aria-controls="eg-results">
            <ul id="eg-results" role="listbox" hidden></ul>
            </div>
            <div class="eg-when" id="eg-when">
            <label for="eg-date">As of</label>
            <input id="eg-date" type="text" inputmode="numeric" placeholder="YYYY-MM-DD" maxlength="10" size="11" autocomplete="off" spellcheck="false" title="A day, as YYYY-MM-DD">
            <input id="eg-date-range" type="range" aria-label="Date">
            <button id="eg-date-all" type="button">All dates</button>
            </div>
            <button id="eg-fit" type="button">Fit</button>
            </header>
            <main>
            <div id="eg-map">
            """
        html += svgElement(svg)
        html += """
            </div>
            <aside>
            <section id="eg-details" aria-live="polite"><p class="eg-hint">Click an entity to see its neighbours; click the background or press Esc to clear.</p></section>
            <section id="eg-legend"><h2>Legend</h2>
            """
        html += legend(graph: graph, theme: theme)
        html += """
            </section>
            <p id="eg-status" aria-live="polite"></p>
            </aside>
            </main>
            <div id="eg-tooltip" role="tooltip" hidden></div>
            <script type="application/json" id="eg-data">
            """
        html += data(graph: graph)
        html += "</script>\n<script>\(script)</script>\n</body>\n</html>\n"
        return Data(html.utf8)
    }

    /// The page's Content-Security-Policy: nothing but its own script and style sheet (`style`), by
    /// SHA-256 hash. The script is a constant, so its hash is computed once per process.
    static func contentSecurityPolicy(style: String) -> String {
        [
            "default-src 'none'", "script-src '\(scriptHash)'", "style-src 'sha256-\(SHA256.base64Digest(style))'",
            "img-src data:", "base-uri 'none'", "form-action 'none'",
        ].joined(separator: "; ")
    }

    static let scriptHash = "sha256-" + SHA256.base64Digest(InteractiveMapAssets.script)

    // MARK: SVG

    /// The `<svg>` element of Graphviz's output, without the XML declaration, doctype and comments
    /// (Graphviz writes node names into comments; they are not needed and not worth trusting), and with
    /// each `style="name:value;…"` attribute (Graphviz writes them for gradient stops) rewritten as
    /// presentation attributes, which the page's Content-Security-Policy allows where it would block
    /// inline styles. One pass over the UTF-8 bytes: O(size), whatever the number of comments.
    static func svgElement(_ svg: Data) -> String {
        let bytes = [UInt8](svg)
        let count = bytes.count
        func matches(_ pattern: StaticString, at index: Int) -> Bool {
            let length = pattern.utf8CodeUnitCount
            guard index + length <= count else { return false }
            return pattern.withUTF8Buffer { pattern in
                for offset in 0..<length where bytes[index + offset] != pattern[offset] { return false }
                return true
            }
        }
        func find(_ pattern: StaticString, from start: Int) -> Int? {
            var index = start
            while index < count {
                if matches(pattern, at: index) { return index }
                index += 1
            }
            return nil
        }
        var output: [UInt8] = []
        output.reserveCapacity(count)
        var index = find("<svg", from: 0) ?? 0
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<"), matches("<!--", at: index) {
                guard let close = find("-->", from: index + 4) else { break }
                index = close + 3
                if index < count, bytes[index] == UInt8(ascii: "\n") { index += 1 }
                continue
            }
            if byte == UInt8(ascii: " "), matches(" style=\"", at: index) {
                let start = index + 8
                var close = start
                while close < count, bytes[close] != UInt8(ascii: "\"") { close += 1 }
                let declarations = String(decoding: bytes[start..<min(close, count)], as: UTF8.self)
                output += Array(presentationAttributes(fromStyle: declarations).utf8)
                index = close + 1
                continue
            }
            output.append(byte)
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// ` name="value"` for each plain `name:value` declaration of a style attribute; anything else
    /// (quotes, markup, `url(…)` with quotes, names that are not lowercase words) is dropped.
    static func presentationAttributes(fromStyle declarations: String) -> String {
        var output = ""
        for declaration in declarations.split(separator: ";") {
            let parts = declaration.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || $0 == "-" }),
                !value.isEmpty, !value.contains(where: { "\"<>&'".contains($0) })
            else { continue }
            output += " \(name)=\"\(value)\""
        }
        return output
    }

    // MARK: Legend

    private static func legend(graph: Graph, theme: Theme) -> String {
        let theme = theme.over(.standard)
        let present = LegendContents(graph)
        // Each entry is a check box that shows or hides what it names (the page's script).
        func item(_ filter: String, _ value: String, swatch: String, label: String) -> String {
            "<li><label><input type=\"checkbox\" checked data-filter=\"\(filter)\" value=\"\(escapeHTML(value))\">"
                + swatch + escapeHTML(label) + "</label></li>\n"
        }
        var html = "<ul class=\"eg-legend-list\">\n"
        if !present.kinds.isEmpty { html += "<li class=\"eg-legend-group\">Entities</li>\n" }
        for kind in present.kinds {
            let style = theme.nodeStyle(forKind: kind)
            let rounded = ["ellipse", "oval", "circle", "egg", "point"].contains(style.shape ?? "ellipse")
            let fill = cssColor(style.fillColor) ?? "#ffffff"
            let stroke = cssColor(style.borderColor) ?? "#444444"
            let shape =
                rounded
                ? "<ellipse cx=\"14\" cy=\"8\" rx=\"12\" ry=\"6.5\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>"
                : "<rect x=\"2\" y=\"1.5\" width=\"24\" height=\"13\" rx=\"2\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>"
            let swatch = "<svg class=\"eg-swatch\" width=\"28\" height=\"16\" aria-hidden=\"true\">\(shape)</svg>"
            html += item("kind", kind.rawValue, swatch: swatch, label: graph.kind(kind)?.label ?? kind.rawValue)
        }
        if !present.categories.isEmpty { html += "<li class=\"eg-legend-group\">Relations</li>\n" }
        for category in present.categories {
            let style = theme.edgeStyle(forCategory: category)
            let color = cssColor(style.color) ?? "#444444"
            let swatch =
                "<svg class=\"eg-swatch\" width=\"28\" height=\"16\" aria-hidden=\"true\">"
                + "<line x1=\"1\" y1=\"8\" x2=\"27\" y2=\"8\" stroke=\"\(color)\" stroke-width=\"2.5\"/></svg>"
            html += item("category", category.rawValue, swatch: swatch, label: category.rawValue)
        }
        if !present.certainties.isEmpty { html += "<li class=\"eg-legend-group\">Certainty</li>\n" }
        for certainty in present.certainties {
            let style = theme.edgeStyle(forCertainty: certainty)
            // The theme's own dash pattern (checked: numbers and commas, or none), as on the map.
            var dash = ""
            if let pattern = style.dashArray, pattern != "none" {
                dash = " stroke-dasharray=\"\(pattern)\""
            } else if style.dashArray == nil {
                switch LegendContents.stroke(of: style) {
                case .dotted: dash = " stroke-dasharray=\"1.5,3\""
                case .dashed: dash = " stroke-dasharray=\"5,3\""
                case .solid: dash = ""
                }
            }
            let color = cssColor(style.color) ?? "#444444"
            let swatch =
                "<svg class=\"eg-swatch\" width=\"28\" height=\"16\" aria-hidden=\"true\">"
                + "<line x1=\"1\" y1=\"8\" x2=\"27\" y2=\"8\" stroke=\"\(color)\" stroke-width=\"1.6\"\(dash)/></svg>"
            html += item("certainty", certainty.rawValue, swatch: swatch, label: certainty.rawValue)
        }
        var types: [RelationType] = []
        var seenTypes = Set<RelationTypeID>()
        for relation in graph.relations.values where seenTypes.insert(relation.type).inserted {
            types.append(
                graph.relationType(relation.type) ?? RelationType(id: relation.type, label: relation.type.rawValue))
        }
        if types.count > 1 {
            html += "<li class=\"eg-legend-group\">Relation types</li>\n"
            for type in types.sorted(by: { $0.label < $1.label }) {
                html += item("type", type.id.rawValue, swatch: "", label: type.label)
            }
        }
        return html + "</ul>\n"
    }

    /// A theme colour usable in an SVG attribute: `#rgb`/`#rrggbb`/`#rrggbbaa` or a plain colour name;
    /// anything else (Graphviz colour lists, HSV triples) is left to the default.
    static func cssColor(_ value: String?) -> String? {
        // A Graphviz colour list (`#ffcc00:#0066ff`, `red;0.3:blue`) shows as its first colour.
        let value = value?.split(whereSeparator: { $0 == ":" || $0 == ";" }).first.map(String.init)
        guard let value, !value.isEmpty, value.utf8.count <= 40 else { return nil }
        let bytes = Array(value.utf8)
        if bytes[0] == UInt8(ascii: "#") {
            let digits = bytes.dropFirst()
            guard [3, 6, 8].contains(digits.count), digits.allSatisfy({ isHexDigit($0) }) else { return nil }
            return value
        }
        guard bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) }) else { return nil }
        return value
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }

    // MARK: Data

    /// The entities and relations the script works with, as JSON safe inside a `<script>` block.
    static func data(graph: Graph) -> String {
        var json = JSONText()
        var earliest: PartialDate?
        var latest: PartialDate?
        var openEnded = false
        func widen(_ date: PartialDate?) {
            guard let date else { return }
            if earliest.map({ date.firstDay.ordinal < $0.ordinal }) ?? true { earliest = date.firstDay }
            if latest.map({ date.lastDay.ordinal > $0.ordinal }) ?? true { latest = date.lastDay }
        }
        json.open("{")
        json.key("entities")
        json.open("[")
        for entity in graph.entities.values {
            json.open("{")
            json.field("g", "entity-" + GraphvizText.token(entity.id.rawValue))
            json.field("id", entity.id.rawValue)
            json.field("name", entity.name)
            json.field("kind", graph.kind(entity.kind)?.label ?? entity.kind.rawValue)
            json.field("kindId", entity.kind.rawValue)
            json.field("aliases", entity.aliases)
            if let description = entity.description { json.field("description", description) }
            // Search keys (normalized as the library's lookup does) and, for each, the text it came
            // from, shown beside the name in the results when it is an alias or the id.
            var keys = [LookupIndex.normalize(entity.name)]
            var keyTexts = [entity.name]
            for text in entity.aliases + [entity.id.rawValue] {
                let key = LookupIndex.normalize(text)
                if !key.isEmpty, !keys.contains(key) {
                    keys.append(key)
                    keyTexts.append(text)
                }
            }
            json.field("keys", keys)
            json.field("keyTexts", keyTexts)
            // Each key's name words (any script, romanization and word order; titles dropped), space
            // separated: what the search compares the query's words with.
            json.field("keyWords", keyTexts.map { Suggest.nameWords($0, droppingTitles: true).joined(separator: " ") })
            if let link = entity.attributes["url"]?.stringValue, let safe = AttributePolicy.safeURL(link) {
                json.field("url", safe)
            }
            // Every other attribute, as text; the panel links the http(s) ones.
            let attributes = entity.attributes.filter { $0.key != "url" }.sorted { $0.key < $1.key }
            if !attributes.isEmpty {
                json.field("attributeNames", attributes.map(\.key))
                json.field("attributeValues", attributes.map { $0.value.displayText })
            }
            sources(entity.sources, in: graph, into: &json)
            json.close("}")
        }
        json.close("]")
        json.key("relations")
        json.open("[")
        for relation in graph.relations.values {
            let type =
                graph.relationType(relation.type) ?? RelationType(id: relation.type, label: relation.type.rawValue)
            json.open("{")
            json.field("g", "relation-" + GraphvizText.token(relation.id.rawValue))
            json.field("id", relation.id.rawValue)
            json.field("source", "entity-" + GraphvizText.token(relation.source.rawValue))
            json.field("target", "entity-" + GraphvizText.token(relation.target.rawValue))
            json.field("label", type.label)
            json.field("typeId", type.id.rawValue)
            json.field("category", type.category.rawValue)
            if type.symmetric { json.field("symmetric", true) }
            if let when = RenderPlan.dateRange(relation) { json.field("when", when) }
            if let since = relation.since { json.field("from", since.firstDay.description) }
            if let until = relation.until { json.field("to", until.lastDay.description) }
            widen(relation.since)
            widen(relation.until)
            if relation.until == nil { openEnded = true }
            json.field("certainty", relation.certainty.rawValue)
            if let asserter = relation.assertedBy {
                json.field("assertedBy", graph.entities[asserter]?.name ?? asserter.rawValue)
            }
            sources(relation.sources, in: graph, into: &json)
            json.close("}")
        }
        json.close("]")
        json.key("baseLetters")
        json.open("{")
        for (letter, plain) in LookupIndex.baseLetters.sorted(by: { $0.key.value < $1.key.value }) {
            json.field(String(letter), plain)
        }
        json.close("}")
        // The search's name words, from the library's own tables, so the script holds no second copy.
        json.key("nameSpellings")
        json.open("[")
        for pass in Suggest.nameSpellings {
            json.open("[")
            for rule in pass { json.element([rule.from, rule.to]) }
            json.close("]")
        }
        json.close("]")
        json.field("nameTitles", Suggest.nameTitles.sorted())
        json.key("latin")
        json.open("{")
        for (letter, latin) in transliterations { json.field(String(letter), latin) }
        json.close("}")
        if let earliest, let latest {
            json.field("first", earliest.description)
            json.field("last", latest.description)
            // A relation without `until` still holds: the slider then runs to the reader's today.
            if openEnded { json.field("openEnded", true) }
        }
        json.close("}")
        return json.text
    }

    /// The blocks whose letters the page's search transliterates one by one: Greek, Cyrillic,
    /// Armenian, Hebrew, Arabic and Georgian.
    static let transliteratedBlocks: [ClosedRange<UInt32>] = [
        0x0370...0x03FF, 0x0400...0x04FF, 0x0530...0x058F, 0x0590...0x05FF, 0x0600...0x06FF, 0x10A0...0x10FF,
    ]

    /// For each letter of ``transliteratedBlocks`` as the fold leaves it, its Latin letters as the
    /// library's name words see them: `Suggest.fold(Suggest.latin(letter))` (`л` → `l`, `ш` → `s`).
    /// Letters that fold to something else (capitals, letters with marks) are reached through the
    /// fold, which the script applies first; letters with no Latin form, or none different, are left
    /// out. Sorted by letter, so the page is byte-stable.
    static let transliterations: [(letter: Unicode.Scalar, latin: String)] = {
        var table: [Unicode.Scalar: String] = [:]
        for block in transliteratedBlocks {
            for value in block {
                guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else { continue }
                let folded = Suggest.fold(String(scalar)).unicodeScalars
                guard folded.count == 1, let letter = folded.first, table[letter] == nil else { continue }
                let latin = Suggest.fold(Suggest.latin(String(letter)))
                guard !latin.isEmpty, latin != String(letter) else { continue }
                table[letter] = latin
            }
        }
        return table.sorted { $0.key.value < $1.key.value }.map { ($0.key, $0.value) }
    }()

    /// `text` folded and transliterated letter by letter with ``transliterations``, as the page's
    /// search reads a query before splitting it into name words.
    static func transliterated(_ text: String) -> String {
        let table = Dictionary(uniqueKeysWithValues: transliterations.map { ($0.letter, $0.latin) })
        var output = ""
        for scalar in Suggest.fold(text).unicodeScalars {
            if let latin = table[scalar] { output += latin } else { output.unicodeScalars.append(scalar) }
        }
        return output
    }

    private static func sources(_ citations: [Citation], in graph: Graph, into json: inout JSONText) {
        guard !citations.isEmpty else { return }
        json.key("sources")
        json.open("[")
        for citation in citations {
            let document = graph.documents[citation.document]
            json.open("{")
            json.field("text", RenderPlan.citationText(citation, in: graph))
            if let title = document?.title { json.field("title", title) }
            if let url = document?.url.flatMap(AttributePolicy.safeURL) { json.field("url", url) }
            json.close("}")
        }
        json.close("]")
    }

    // MARK: Escaping

    /// Text for HTML element content and double-quoted attribute values.
    static func escapeHTML(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

/// A minimal JSON writer whose strings are safe inside an HTML `<script>` block: `<`, `>`, `&`, the
/// line and paragraph separators and every control character are escaped (by the package's one JSON
/// string writer, `CompactJSON`).
struct JSONText {
    private(set) var text = ""
    private var needsComma = false

    /// Opens an object or array, as a value: after a key, or as the next element of an array.
    mutating func open(_ bracket: String) {
        if needsComma { text += "," }
        text += bracket
        needsComma = false
    }

    mutating func close(_ bracket: String) {
        text += bracket
        needsComma = true
    }

    mutating func key(_ name: String) {
        if needsComma { text += "," }
        string(name)
        text += ":"
        needsComma = false
    }

    mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
        needsComma = true
    }

    mutating func field(_ name: String, _ value: [String]) {
        key(name)
        element(value)
    }

    /// An array of strings, as the next element of an array.
    mutating func element(_ value: [String]) {
        if needsComma { text += "," }
        text += "["
        for (index, item) in value.enumerated() {
            if index > 0 { text += "," }
            string(item)
        }
        text += "]"
        needsComma = true
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
        needsComma = true
    }

    private mutating func string(_ value: String) {
        CompactJSON.appendString(value, to: &text, forHTML: true)
    }
}
