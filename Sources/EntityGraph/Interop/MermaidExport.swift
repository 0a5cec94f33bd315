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
/// Labels are written in double quotes with Mermaid's entity codes for every character that could
/// end the string or be read as markup: `"` → `#quot;`, `#` → `#35;`, `&` → `#amp;`, `<` → `#lt;`,
/// `>` → `#gt;`, `` ` `` → `#96;`, `|` → `#124;`, tab → `#9;`; line breaks become `<br>`. So
/// `<script>` shows as text. Other control characters become U+FFFD (named in a warning).
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
        var output = ""
        if let title = graph.title {
            var quoted = ""
            CompactJSON.appendString(title, to: &quoted)
            output += "---\ntitle: \(quoted)\n---\n"
        }
        output += "flowchart LR\n"

        // Node ids.
        var nodeIDs: [EntityID: String] = [:]
        var taken = Set<String>()
        var changedIDs = 0
        for id in graph.entities.keys {
            let base = "n_" + MermaidExporter.sanitize(id.rawValue)
            if base != "n_" + id.rawValue { changedIDs += 1 }
            var candidate = base
            var counter = 2
            while taken.contains(candidate) {
                candidate = base + "_\(counter)"
                counter += 1
            }
            taken.insert(candidate)
            nodeIDs[id] = candidate
        }

        var kindMembers: [(kind: KindID, nodes: [String])] = []
        var kindIndex: [KindID: Int] = [:]
        for entity in graph.entities.values {
            let node = nodeIDs[entity.id]!
            let (label, replaced) = MermaidExporter.escape(entity.name)
            replacements.record(replaced, in: "entity '\(entity.id)' name")
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
            let (label, replaced) = MermaidExporter.escape(text)
            replacements.record(replaced, in: "relation '\(relation.id)' label")
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

    /// Text for inside a double-quoted Mermaid label, and how many characters became U+FFFD.
    static func escape(_ text: String) -> (String, replaced: Int) {
        var output = ""
        var replaced = 0
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\"": output += "#quot;"
            case "#": output += "#35;"
            case "&": output += "#amp;"
            case "<": output += "#lt;"
            case ">": output += "#gt;"
            case "`": output += "#96;"
            case "|": output += "#124;"
            case "\t": output += "#9;"
            case "\r": output += "<br>"
            case "\n": if !previousWasCR { output += "<br>" }
            case "\u{2028}", "\u{2029}", "\u{85}": output += "<br>"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    output += "\u{FFFD}"
                    replaced += 1
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return (output, replaced)
    }
}
