/// A Mermaid flowchart (`flowchart LR`) that GitHub and GitLab render inside Markdown.
///
/// - The title goes in the front matter (`title: "…"`).
/// - One node per entity: `n_<id>["Name"]`, the id reduced to `[A-Za-z0-9_]` (runs of other
///   characters become `_`, duplicates get `_2`, `_3`, …; the `n_` prefix keeps ids clear of
///   Mermaid keywords such as `end` and of the `o`/`x` edge markers).
/// - One link per relation, labelled with the type's label: `-->` when confirmed, dashed `-.->`
///   otherwise (the certainty is added to the label: `apologized to (claimed)`); symmetric types
///   use `---` / `-.-` (no arrowhead).
/// - Kinds become classes (`kind_person`, …) with a fill colour per built-in kind.
///
/// Labels are written in double quotes with Mermaid's entity codes (`#quot;`, `#35;`, …, which
/// Mermaid turns into HTML character references only after it has parsed the chart) for every
/// character that Mermaid or the browser would read as syntax: `"` ends the label, `` ` `` opens a
/// Markdown string, `%` opens a directive (`%%{init: …}%%`, applied even inside quotes) or a
/// comment, `\` followed by `n` is a line break, `:` makes `fa:fa-icon` an icon (and `style…:…#…;`
/// a style), `#` and `&` start entities, `<` and `>` HTML, `|` ends an edge label, `{` `}` frame
/// directives, tab; `ﬂ` and `¶` (Mermaid's own entity markers) and the bidirectional formatting
/// characters, which could reorder the chart's source as an editor shows it. See ``escape(_:)``.
/// So no user text can open a directive, comment, link, click, style or class line, end a label or
/// break a line: each label stays on its own line inside its quotes. Line breaks become `<br>`;
/// control characters become U+FFFD. Both are named in a warning (entity id and field).
///
/// The title is a YAML double-quoted string in the front matter, written with escapes that YAML and
/// JSON read the same way (see ``yamlQuoted(_:)``), so it is always one plain string on one line.
///
/// Mermaid drops dates, sources, aliases, descriptions, attributes, asserting entities and relation
/// ids; the warnings name each one the graph has.
struct MermaidExporter {
    let graph: Graph

    /// Fill and stroke colours for the built-in kinds; declared kinds are grey.
    static let palette: [String: String] = [
        "person": "fill:#dbeafe,stroke:#1e40af,color:#111827",
        "state": "fill:#dcfce7,stroke:#166534,color:#111827",
        "organization": "fill:#fef3c7,stroke:#92400e,color:#111827",
        "facility": "fill:#fee2e2,stroke:#991b1b,color:#111827",
        "place": "fill:#ede9fe,stroke:#5b21b6,color:#111827",
        "event": "fill:#fce7f3,stroke:#9d174d,color:#111827",
    ]
    static let otherStyle = "fill:#f3f4f6,stroke:#374151,color:#111827"

    /// Mermaid's default limits (GitHub uses the defaults).
    static let maximumEdges = 500
    static let maximumTextSize = 50_000

    func export() -> ExportResult {
        var replacements = ReplacementLog()
        var lineBreaks: [String] = []
        var output = ""
        if let title = graph.title {
            output += "---\ntitle: \(MermaidExporter.yamlQuoted(title))\n---\n"
        }
        output += "flowchart LR\n"

        // Node ids.
        var nodeIDs: [EntityID: String] = [:]
        var taken = Set<String>()
        var changedIDs = 0
        for id in graph.entities.keys {
            let base = "n_" + MermaidExporter.sanitize(id.rawValue)
            if base != "n_" + id.rawValue { changedIDs += 1 }
            nodeIDs[id] = uniqueName(base, taken: &taken, suffix: { "_\($0)" })
        }

        var kindMembers: [(kind: KindID, nodes: [String])] = []
        var kindIndex: [KindID: Int] = [:]
        for entity in graph.entities.values {
            let node = nodeIDs[entity.id]!
            let (label, replaced, breaks) = MermaidExporter.escape(entity.name)
            let field = "entity \(warningQuoted(entity.id.rawValue)) name"
            replacements.record(replaced, in: field)
            if breaks > 0 { lineBreaks.append(field) }
            output += "  \(node)[\"\(label)\"]\n"
            if let index = kindIndex[entity.kind] {
                kindMembers[index].nodes.append(node)
            } else {
                kindIndex[entity.kind] = kindMembers.count
                kindMembers.append((entity.kind, [node]))
            }
        }
        for relation in graph.relations.values {
            let type = graph.relationType(relation.type)
            var text = type?.label ?? relation.type.rawValue
            if relation.certainty != .confirmed { text += " (\(relation.certainty.rawValue))" }
            let (label, replaced, breaks) = MermaidExporter.escape(text)
            let field = "relation \(warningQuoted(relation.id.rawValue)) label"
            replacements.record(replaced, in: field)
            if breaks > 0 { lineBreaks.append(field) }
            let symmetric = type?.symmetric ?? false
            let link: String
            switch (relation.certainty == .confirmed, symmetric) {
            case (true, false): link = "-->"
            case (false, false): link = "-.->"
            case (true, true): link = "---"
            case (false, true): link = "-.-"
            }
            output += "  \(nodeIDs[relation.source]!) \(link)|\"\(label)\"| \(nodeIDs[relation.target]!)\n"
        }
        var classNames = Set<String>()
        for (kind, nodes) in kindMembers {
            var className = "kind_" + MermaidExporter.sanitize(kind.rawValue)
            while classNames.contains(className) { className += "_" }
            classNames.insert(className)
            let style =
                graph.declaredKinds[kind] == nil
                ? MermaidExporter.palette[kind.rawValue] ?? MermaidExporter.otherStyle : MermaidExporter.otherStyle
            output += "  classDef \(className) \(style)\n"
            output += "  class \(nodes.joined(separator: ",")) \(className)\n"
        }

        let inventory = GraphInventory(graph)
        var dropped: [String] = []
        if inventory.hasDescription { dropped.append("the graph description") }
        if inventory.graphAttributes > 0 { dropped.append(pluralize(inventory.graphAttributes, "graph attribute")) }
        if inventory.documents > 0 { dropped.append(pluralize(inventory.documents, "source document")) }
        if inventory.citations > 0 { dropped.append(pluralize(inventory.citations, "citation")) }
        if inventory.aliases > 0 { dropped.append(pluralize(inventory.aliases, "alias", "aliases")) }
        if inventory.entityDescriptions > 0 {
            dropped.append("the descriptions of \(pluralize(inventory.entityDescriptions, "entity", "entities"))")
        }
        if inventory.entityAttributes > 0 { dropped.append(pluralize(inventory.entityAttributes, "entity attribute")) }
        if inventory.datedRelations > 0 {
            dropped.append("the dates (since/until) of \(pluralize(inventory.datedRelations, "relation"))")
        }
        if inventory.assertedRelations > 0 {
            dropped.append("the asserting entity (assertedBy) of \(pluralize(inventory.assertedRelations, "relation"))")
        }
        if inventory.relationAttributes > 0 {
            dropped.append(pluralize(inventory.relationAttributes, "relation attribute"))
        }
        if !graph.relations.isEmpty { dropped.append("the ids of \(pluralize(graph.relations.count, "relation"))") }
        if inventory.declaredKinds > 0 {
            dropped.append("the labels of \(pluralize(inventory.declaredKinds, "declared kind")) (kept as class names)")
        }
        if inventory.declaredRelationTypes > 0 {
            dropped.append(
                "the inverse labels, categories and attributes of \(pluralize(inventory.declaredRelationTypes, "declared relation type"))"
            )
        }
        var warnings = dropped.map { "Mermaid drops " + $0 }
        if changedIDs > 0 {
            warnings.append(
                "Mermaid rewrites \(pluralize(changedIDs, "entity id")) to fit [A-Za-z0-9_] (node ids are not entity ids)"
            )
        }
        if let warning = replacements.warning(format: "Mermaid", what: "(control characters)") {
            warnings.append(warning)
        }
        if !lineBreaks.isEmpty {
            let more = lineBreaks.count > 8 ? " and \(lineBreaks.count - 8) more" : ""
            warnings.append(
                "Mermaid writes CR, CRLF, U+0085, U+2028 and U+2029 line breaks as <br> (one line feed) in: "
                    + lineBreaks.prefix(8).joined(separator: ", ") + more)
        }
        if graph.relations.count > MermaidExporter.maximumEdges || output.utf8.count > MermaidExporter.maximumTextSize {
            warnings.append(
                "Mermaid: this chart has \(pluralize(graph.relations.count, "link")) and \(output.utf8.count) bytes; "
                    + "Mermaid's defaults (used by GitHub) stop at \(MermaidExporter.maximumEdges) links and "
                    + "\(MermaidExporter.maximumTextSize) characters: export a neighbourhood instead")
        }
        return ExportResult(
            format: .mermaid, files: [ExportedFile(name: "graph.mmd", bytes: Array(output.utf8))], warnings: warnings)
    }

    /// `[A-Za-z0-9_]` only: each run of other characters becomes one `_`.
    static func sanitize(_ id: String) -> String {
        var result = ""
        var pendingUnderscore = false
        for scalar in id.unicodeScalars {
            let ok =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_"
            if ok {
                if pendingUnderscore { result += "_" }
                result.unicodeScalars.append(scalar)
                pendingUnderscore = false
            } else {
                pendingUnderscore = true
            }
        }
        if pendingUnderscore { result += "_" }
        return result
    }

    /// Text for inside a double-quoted Mermaid label; how many characters became U+FFFD (C0 and
    /// C1 controls other than tab and line breaks, DEL, U+FFFE, U+FFFF: an SVG cannot hold some of
    /// them and a terminal showing the file runs others); and how many line breaks other than a
    /// lone LF were written as `<br>`.
    ///
    /// Entity codes: `"` `#quot;`, `&` `#amp;`, `<` `#lt;`, `>` `#gt;`, and `#N;` (decimal) for `#`,
    /// `%`, `\`, `:`, `` ` ``, `|`, `{`, `}`, tab, U+FEFF, `ﬂ` (U+FB02), `¶` (U+00B6), the
    /// bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
    /// and leading and trailing whitespace (which Mermaid would trim). Line breaks
    /// (LF, CRLF, CR, U+0085, U+2028, U+2029) become `<br>`, the only line break Mermaid has.
    static func escape(_ text: String) -> (String, replaced: Int, lineBreaks: Int) {
        var output = ""
        var replaced = 0
        var lineBreaks = 0
        var previousWasCR = false
        // Mermaid trims labels (JavaScript's `trim()`): leading and trailing whitespace is written
        // as entity codes, which it does not trim.
        let scalars = Array(text.unicodeScalars)
        let kept = { (scalar: Unicode.Scalar) in
            scalar.properties.isWhitespace && !MermaidExporter.isLineBreak(scalar)
        }
        let firstKept = scalars.firstIndex { !kept($0) } ?? scalars.count
        let lastKept = scalars.lastIndex { !kept($0) } ?? -1
        for (index, scalar) in scalars.enumerated() {
            defer { previousWasCR = scalar == "\r" }
            if index < firstKept || index > lastKept {
                output += "#\(scalar.value);"
                continue
            }
            switch scalar {
            case "\"": output += "#quot;"
            case "&": output += "#amp;"
            case "<": output += "#lt;"
            case ">": output += "#gt;"
            case "#", "%", "\\", ":", "`", "|", "{", "}", "\t", "\u{FB02}", "\u{B6}", "\u{FEFF}":
                output += "#\(scalar.value);"
            case "\n": if !previousWasCR { output += "<br>" }
            case "\r", "\u{85}", "\u{2028}", "\u{2029}":
                output += "<br>"
                lineBreaks += 1
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF {
                    output += "\u{FFFD}"
                    replaced += 1
                } else if MermaidExporter.isBidiControl(scalar) {
                    output += "#\(value);"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return (output, replaced, lineBreaks)
    }

    /// True for LF, CR, U+0085, U+2028 and U+2029.
    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// True for the characters that reorder text as it is shown (Unicode's bidirectional
    /// formatting characters: ALM, LRM, RLM, LRE–RLO, LRI–PDI).
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value == 0x061C || value == 0x200E || value == 0x200F || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    /// A YAML double-quoted scalar on one line that JSON reads the same way: `"` and `\` escaped,
    /// LF, CR and tab as `\n`, `\r`, `\t`, and as `\uXXXX`: every other control character (C0, DEL,
    /// C1 — YAML readers reject most of them raw, and U+0085 is a YAML line break), U+2028, U+2029,
    /// U+FEFF, U+FFFE, U+FFFF, the bidirectional formatting characters, and `%`, `<`, `>` (so the
    /// raw line cannot look like a directive or an HTML tag to anything that scans the text before
    /// it reads the front matter).
    static func yamlQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "%", "<", ">", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "\u{FFFF}":
                output += "\\u" + hex4(value)
            default:
                if value < 0x20 || (0x7F...0x9F).contains(value) || MermaidExporter.isBidiControl(scalar) {
                    output += "\\u" + hex4(value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
