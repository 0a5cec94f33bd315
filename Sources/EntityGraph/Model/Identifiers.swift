/// A string identifier with a distinct type per kind of thing it names, so an entity id cannot be
/// passed where a relation id is expected.
public protocol StringIdentifier: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String {
    init(_ rawValue: String)
}

extension StringIdentifier {
    public init(rawValue: String) { self.init(rawValue) }
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { rawValue }
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
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// Identifies a ``Relation`` within a ``Graph``.
public struct RelationID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// Identifies an entity ``Kind`` (`person`, `state`, … or one a document declares).
public struct KindID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let person: KindID = "person"
    public static let state: KindID = "state"
    public static let organization: KindID = "organization"
    public static let facility: KindID = "facility"
    public static let place: KindID = "place"
    public static let event: KindID = "event"
}

/// Identifies a ``RelationType`` (`memberOf`, `sanctions`, … or one a document declares).
public struct RelationTypeID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// Identifies a ``SourceDocument`` cited by entities and relations.
public struct DocumentID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// The styling family of a relation type: political, military, economic, legal, communication,
/// membership, geographic, event, personal, other — or any name a document uses.
public struct RelationCategory: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let political: RelationCategory = "political"
    public static let military: RelationCategory = "military"
    public static let economic: RelationCategory = "economic"
    public static let legal: RelationCategory = "legal"
    public static let communication: RelationCategory = "communication"
    public static let membership: RelationCategory = "membership"
    public static let geographic: RelationCategory = "geographic"
    public static let event: RelationCategory = "event"
    public static let personal: RelationCategory = "personal"
    public static let other: RelationCategory = "other"
}
