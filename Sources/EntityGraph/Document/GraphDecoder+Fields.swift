// The keys of each kind of object in the format, by name. The decoder switches over these enums, so
// a key's meaning never depends on its position in a list.

/// The keys one kind of object in the format may hold: one case per key. The raw value is the key's
/// bit in a ``FieldSet``; ``keys`` lists the spellings in case order for the scanner's matcher.
protocol FormatField: RawRepresentable<Int>, CaseIterable where AllCases == [Self] {
    /// The key as a file spells it.
    var key: StaticString { get }
    /// Every key's spelling, in case order (each type stores it once).
    static var keys: [StaticString] { get }
}

/// The fields of one object seen so far, so that a repeated key is reported once and a missing
/// required one at the end.
struct FieldSet<Field: FormatField> {
    private var bits: UInt32 = 0

    func contains(_ field: Field) -> Bool { bits & (1 << UInt32(field.rawValue)) != 0 }

    /// Adds `field`; `false` when it was already there.
    @inline(__always)
    mutating func insert(_ field: Field) -> Bool {
        let bit: UInt32 = 1 << UInt32(field.rawValue)
        defer { bits |= bit }
        return bits & bit == 0
    }
}

enum TopLevelField: Int, FormatField {
    case formatVersion, title, description, attributes, documents, kinds, relationTypes, entities, relations

    var key: StaticString {
        switch self {
        case .formatVersion: "formatVersion"
        case .title: "title"
        case .description: "description"
        case .attributes: "attributes"
        case .documents: "documents"
        case .kinds: "kinds"
        case .relationTypes: "relationTypes"
        case .entities: "entities"
        case .relations: "relations"
        }
    }
    static let keys = allCases.map(\.key)
}

enum DocumentField: Int, FormatField {
    case id, title, publisher, date, url, attributes

    var key: StaticString {
        switch self {
        case .id: "id"
        case .title: "title"
        case .publisher: "publisher"
        case .date: "date"
        case .url: "url"
        case .attributes: "attributes"
        }
    }
    static let keys = allCases.map(\.key)
}

enum KindField: Int, FormatField {
    case id, label, attributes

    var key: StaticString {
        switch self {
        case .id: "id"
        case .label: "label"
        case .attributes: "attributes"
        }
    }
    static let keys = allCases.map(\.key)
}

enum RelationTypeField: Int, FormatField {
    case id, label, inverseLabel, symmetric, category, attributes

    var key: StaticString {
        switch self {
        case .id: "id"
        case .label: "label"
        case .inverseLabel: "inverseLabel"
        case .symmetric: "symmetric"
        case .category: "category"
        case .attributes: "attributes"
        }
    }
    static let keys = allCases.map(\.key)
}

enum EntityField: Int, FormatField {
    case id, name, kind, aliases, description, attributes, sources

    var key: StaticString {
        switch self {
        case .id: "id"
        case .name: "name"
        case .kind: "kind"
        case .aliases: "aliases"
        case .description: "description"
        case .attributes: "attributes"
        case .sources: "sources"
        }
    }
    static let keys = allCases.map(\.key)
}

enum RelationField: Int, FormatField {
    case id, type, source, target, since, until, certainty, assertedBy, sources, attributes

    var key: StaticString {
        switch self {
        case .id: "id"
        case .type: "type"
        case .source: "source"
        case .target: "target"
        case .since: "since"
        case .until: "until"
        case .certainty: "certainty"
        case .assertedBy: "assertedBy"
        case .sources: "sources"
        case .attributes: "attributes"
        }
    }
    static let keys = allCases.map(\.key)
}

enum CitationField: Int, FormatField {
    case document, locator

    var key: StaticString {
        switch self {
        case .document: "document"
        case .locator: "locator"
        }
    }
    static let keys = allCases.map(\.key)
}

extension Certainty {
    /// The value as a file spells it (its raw value), for the scanner's matcher.
    var spelling: StaticString {
        switch self {
        case .confirmed: "confirmed"
        case .reported: "reported"
        case .claimed: "claimed"
        case .alleged: "alleged"
        case .disputed: "disputed"
        case .denied: "denied"
        }
    }
    /// Every spelling in `allCases` order.
    static let spellings = allCases.map(\.spelling)
}
