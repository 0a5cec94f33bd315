import Foundation
import OrderedCollections

// Helpers shared by the exporters: what a graph holds (for "drops …" warnings), naming attribute
// columns so they never collide with the fixed ones, typing attribute columns, compact JSON text,
// and a log of characters a format could not carry.

/// `1 relation`, `2 relations`.
func pluralize(_ count: Int, _ word: String, _ pluralWord: String? = nil) -> String {
    "\(count) \(count == 1 ? word : pluralWord ?? word + "s")"
}

/// Counts of every optional field a graph uses, so warnings name only what the graph actually has.
struct GraphInventory {
    /// "`format` drops …" warnings for the graph-level fields a tabular format has no place for: title,
    /// description, graph attributes and source documents (`documentsNote` says what survives of them).
    func graphLevelDrops(_ format: String, documentsNote: String) -> [String] {
        var warnings: [String] = []
        if hasTitle { warnings.append("\(format) drops the graph title") }
        if hasDescription { warnings.append("\(format) drops the graph description") }
        if graphAttributes > 0 { warnings.append("\(format) drops \(pluralize(graphAttributes, "graph attribute"))") }
        if documents > 0 {
            warnings.append("\(format) drops \(pluralize(documents, "source document")) (\(documentsNote))")
        }
        return warnings
    }

    var hasTitle = false
    var hasDescription = false
    var graphAttributes = 0
    var documents = 0
    var declaredKinds = 0
    var declaredRelationTypes = 0
    var entityCitations = 0
    var relationCitations = 0
    var aliases = 0
    var entityDescriptions = 0
    var entityAttributes = 0
    var relationAttributes = 0
    var datedRelations = 0
    var assertedRelations = 0
    var uncertainRelations = 0
    var symmetricRelations = 0
    /// Declared relation types whose inverse label, symmetric flag, category or attributes say more than the label.
    var richRelationTypes = 0
    /// Declared kinds with attributes.
    var richKinds = 0

    init(_ graph: Graph) {
        hasTitle = graph.title != nil
        hasDescription = graph.description != nil
        graphAttributes = graph.attributes.count
        documents = graph.documents.count
        declaredKinds = graph.declaredKinds.count
        declaredRelationTypes = graph.declaredRelationTypes.count
        richKinds = graph.declaredKinds.values.count { !$0.attributes.isEmpty }
        richRelationTypes = graph.declaredRelationTypes.values.count {
            $0.inverseLabel != $0.label || $0.symmetric || $0.category != .other || !$0.attributes.isEmpty
        }
        for entity in graph.entities.values {
            entityCitations += entity.sources.count
            aliases += entity.aliases.count
            if entity.description != nil { entityDescriptions += 1 }
            entityAttributes += entity.attributes.count
        }
        for relation in graph.relations.values {
            relationCitations += relation.sources.count
            if relation.since != nil || relation.until != nil { datedRelations += 1 }
            if relation.assertedBy != nil { assertedRelations += 1 }
            if relation.certainty != .confirmed { uncertainRelations += 1 }
            if graph.relationType(relation.type)?.symmetric == true { symmetricRelations += 1 }
            relationAttributes += relation.attributes.count
        }
    }

    var citations: Int { entityCitations + relationCitations }
}

/// A header name as the CSV reader matches it against the columns it knows: lowercased, without
/// spaces, `_` and `-` (so `Asserted By`, `asserted_by` and `assertedBy` all name `assertedby`).
func normalizedHeader(_ name: String) -> String {
    String(name.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" })
}

/// Attribute keys in first-appearance order, each with the column (or property) name it is written
/// under. A key is written as `attr.KEY` when it would collide with a fixed column (compared as
/// ``normalizedHeader(_:)``), when it starts with `attr.` in any case, is empty, or has leading or
/// trailing whitespace; every other key is written under its own name. The readers strip one
/// `attr.` prefix, so the map is one-to-one and every key reads back unchanged, also keys that
/// differ only in case (`Country`, `COUNTRY`). A key in `plain` is written under its own name even
/// when it is reserved (the CSV writer's `weight` when every value is a number).
struct AttributeColumns {
    static let prefix = "attr."

    var keys: [String] = []
    var columns: [String] = []

    init(reserved: [String], plain: Set<String> = [], attributes: some Sequence<Attributes>) {
        let reservedNames = Set(reserved.map(normalizedHeader))
        var seen = Set<String>()
        for dictionary in attributes {
            for key in dictionary.keys where seen.insert(key).inserted {
                var column = key
                let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines)
                if key.isEmpty || trimmed != key || key.lowercased().hasPrefix(AttributeColumns.prefix)
                    || (reservedNames.contains(normalizedHeader(key)) && !plain.contains(key))
                {
                    column = AttributeColumns.prefix + key
                }
                keys.append(key)
                columns.append(column)
            }
        }
    }

    var count: Int { keys.count }
}

/// The value type of one attribute column, from every value it holds.
enum ColumnType {
    case long, double, boolean, string

    /// The narrowest type that holds every value: all integers → long, all numbers → double, all
    /// booleans → boolean, otherwise string (scalars as text, containers and null as JSON).
    init(_ values: some Sequence<JSONValue>) {
        var sawInteger = false
        var sawDouble = false
        var sawBool = false
        var sawOther = false
        for value in values {
            switch value {
            case .integer: sawInteger = true
            case .double(let number): if number.isFinite { sawDouble = true } else { sawOther = true }
            case .bool: sawBool = true
            default: sawOther = true
            }
        }
        if sawOther || (sawBool && (sawInteger || sawDouble)) {
            self = .string
        } else if sawBool {
            self = .boolean
        } else if sawDouble {
            self = .double
        } else if sawInteger {
            self = .long
        } else {
            self = .string
        }
    }
}

extension JSONValue {
    /// True for strings, numbers and booleans.
    var isScalar: Bool {
        switch self {
        case .string, .integer, .double, .bool: return true
        case .null, .array, .object: return false
        }
    }

    /// The value as one line of text: strings as they are, numbers and booleans in JSON notation,
    /// null, arrays and objects as compact JSON.
    var cellText: String {
        switch self {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .double(let number): return CompactJSON.number(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null, .array, .object: return CompactJSON.encode(self)
        }
    }
}

/// JSON text on one line, no spaces; keys in their stored order. Strings escape `"`, `\`, control
/// characters, U+2028 and U+2029, so the text never contains a raw line break. Shared with the
/// renderer's HTML page (`package`), which also needs `<`, `>` and `&` escaped.
package enum CompactJSON {
    static func encode(_ value: JSONValue) -> String {
        var output = ""
        append(value, to: &output)
        return output
    }

    static func encode(_ citations: [Citation]) -> String {
        encode(
            .array(
                citations.map { citation in
                    var object: OrderedDictionary<String, JSONValue> = ["document": .string(citation.document.rawValue)]
                    if let locator = citation.locator { object["locator"] = .string(locator) }
                    return .object(object)
                }))
    }

    static func encode(_ strings: [String]) -> String {
        encode(.array(strings.map { .string($0) }))
    }

    /// A double as JSON: the shortest text that reads back to the same value; `null` when not finite.
    static func number(_ number: Double) -> String {
        number.isFinite ? number.description : "null"
    }

    static func append(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .double(let number): output += number.isFinite ? number.description : "null"
        case .string(let text): appendString(text, to: &output)
        case .array(let values):
            output += "["
            for (index, item) in values.enumerated() {
                if index > 0 { output += "," }
                append(item, to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, (key, item)) in members.enumerated() {
                if index > 0 { output += "," }
                appendString(key, to: &output)
                output += ":"
                append(item, to: &output)
            }
            output += "}"
        }
    }

    /// Appends `text` as a JSON string. `forHTML`: also write `<`, `>` and `&` as `\u` escapes, so the
    /// JSON can sit inside an HTML `<script>` block without being able to end it.
    package static func appendString(_ text: String, to output: inout String, forHTML: Bool = false) {
        output += "\""
        for scalar in text.unicodeScalars {
            if forHTML, scalar == "<" || scalar == ">" || scalar == "&" {
                output += "\\u" + hex4(scalar.value)
                continue
            }
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                // U+FFFE/U+FFFF as escapes too: JSON text inside XML then keeps them exactly.
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    output += "\\u" + hex4(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

/// Four lowercase hex digits.
func hex4(_ value: UInt32) -> String {
    let digits = Array("0123456789abcdef")
    return String([
        digits[Int(value >> 12 & 0xF)], digits[Int(value >> 8 & 0xF)],
        digits[Int(value >> 4 & 0xF)], digits[Int(value & 0xF)],
    ])
}

/// The fields in which a format had to replace characters it cannot carry, for one warning.
struct ReplacementLog {
    private(set) var fields: [String] = []
    private(set) var characters = 0

    mutating func record(_ count: Int, in field: String) {
        guard count > 0 else { return }
        characters += count
        fields.append(field)
    }

    /// `"<format> replaced 3 characters … with U+FFFD in: entity 'a' name, …"`, or `nil`.
    func warning(format: String, what: String) -> String? {
        guard characters > 0 else { return nil }
        let shown = fields.prefix(8).joined(separator: ", ")
        let more = fields.count > 8 ? " and \(fields.count - 8) more" : ""
        return
            "\(format) replaced \(pluralize(characters, "character")) \(what) with U+FFFD (dropped) in: \(shown)\(more)"
    }
}

/// True for the characters XML 1.0 cannot hold even as character references: C0 controls other
/// than tab, line feed and carriage return, and U+FFFE / U+FFFF.
func isForbiddenInXML(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x20 { return value != 0x09 && value != 0x0A && value != 0x0D }
    return value == 0xFFFE || value == 0xFFFF
}

/// Converts free text to a lowerCamelCase identifier: words are runs of letters and digits;
/// the first word is lowercased (entirely when it is all capitals, else its first letter), the
/// others capitalized. `"Military unit"` → `militaryUnit`, `"NGO"` → `ngo`, `"think-tank"` →
/// `thinkTank`. Empty when the text has no letters or digits.
func lowerCamelIdentifier(_ text: String) -> String {
    var words: [String] = []
    var current = ""
    for character in text {
        if character.isLetter || character.isNumber {
            current.append(character)
        } else if !current.isEmpty {
            words.append(current)
            current = ""
        }
    }
    if !current.isEmpty { words.append(current) }
    var result = ""
    for (index, word) in words.enumerated() {
        if index == 0 {
            if word == word.uppercased() {
                result += word.lowercased()
            } else {
                result += word.prefix(1).lowercased() + word.dropFirst()
            }
        } else {
            result += word.prefix(1).uppercased() + word.dropFirst()
        }
    }
    return result
}
