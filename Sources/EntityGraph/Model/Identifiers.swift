/// A string identifier with a distinct type per kind of thing it names, so an entity id cannot be
/// passed where a relation id is expected.
public protocol StringIdentifier: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String {
    /// Creates an identifier from its text, as written in a document.
    init(_ rawValue: String)
}

extension StringIdentifier {
    public init(rawValue: String) { self.init(rawValue) }
    public init(stringLiteral value: String) { self.init(value) }
    /// The identifier's text.
    public var description: String { rawValue }
    /// Orders identifiers by their text (Unicode scalar order).
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Identifies an ``Entity`` within a ``Graph`` (a slug such as `"lukashenko"`).
public struct EntityID: StringIdentifier {
    public let rawValue: String
    /// Creates an entity id from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// Identifies a ``Relation`` within a ``Graph``.
public struct RelationID: StringIdentifier {
    public let rawValue: String
    /// Creates a relation id from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// Identifies an entity ``Kind`` (`person`, `state`, … or one a document declares).
public struct KindID: StringIdentifier {
    public let rawValue: String
    /// Creates a kind id from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// A person.
    public static let person: KindID = "person"
    /// A state or country.
    public static let state: KindID = "state"
    /// An organization: a government body, a party, a company, an armed group.
    public static let organization: KindID = "organization"
    /// A facility: a refinery, a plant, a base.
    public static let facility: KindID = "facility"
    /// A place: a city, a region, a border.
    public static let place: KindID = "place"
    /// An event: a call, a meeting, an attack, a war.
    public static let event: KindID = "event"
}

/// Identifies a ``RelationType`` (`memberOf`, `sanctions`, … or one a document declares).
public struct RelationTypeID: StringIdentifier {
    public let rawValue: String
    /// Creates a relation type id from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// Identifies a ``SourceDocument`` cited by entities and relations.
public struct DocumentID: StringIdentifier {
    public let rawValue: String
    /// Creates a document id from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// The styling family of a relation type: political, military, economic, legal, communication,
/// membership, geographic, event, personal, other — or any name a document uses.
public struct RelationCategory: StringIdentifier {
    public let rawValue: String
    /// Creates a category from its name.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Leadership, citizenship, alliances, opposition.
    public static let political: RelationCategory = "political"
    /// Attacks and military support.
    public static let military: RelationCategory = "military"
    /// Ownership, operation, supply.
    public static let economic: RelationCategory = "economic"
    /// Sanctions, accusations, charges.
    public static let legal: RelationCategory = "legal"
    /// Calls, meetings, statements.
    public static let communication: RelationCategory = "communication"
    /// Membership and being part of something.
    public static let membership: RelationCategory = "membership"
    /// Location.
    public static let geographic: RelationCategory = "geographic"
    /// Taking part in events.
    public static let event: RelationCategory = "event"
    /// Family and personal ties.
    public static let personal: RelationCategory = "personal"
    /// Anything else; the default for declared types.
    public static let other: RelationCategory = "other"
}
