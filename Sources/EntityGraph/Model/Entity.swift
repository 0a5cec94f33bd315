import OrderedCollections

/// A reference from an entity or relation to the document that supports it.
public struct Citation: Hashable, Sendable {
    /// The cited ``SourceDocument``.
    public var document: DocumentID
    /// Where in the document, e.g. `"¶12"` for the twelfth paragraph; `nil` for the whole document.
    public var locator: String?

    /// Creates a citation of `document`, optionally at `locator` (e.g. `"¶12"`).
    public init(document: DocumentID, locator: String? = nil) {
        self.document = document
        self.locator = locator
    }
}

/// A document the graph's facts come from: an article, a podcast, a court filing.
public struct SourceDocument: Hashable, Sendable, Identifiable {
    /// The document's id, cited by ``Citation/document``.
    public var id: DocumentID
    /// The title; empty when unknown.
    public var title: String
    /// Who published it, e.g. "Kyiv Post".
    public var publisher: String?
    /// When it was published, as precisely as known.
    public var date: PartialDate?
    /// Kept as text so nothing is lost; renderers only link `http`, `https` and `mailto` URLs.
    public var url: String?
    /// Anything else about the document, e.g. `["medium": "podcast"]`.
    public var attributes: Attributes

    /// Creates a source document.
    public init(
        id: DocumentID, title: String, publisher: String? = nil, date: PartialDate? = nil,
        url: String? = nil, attributes: Attributes = [:]
    ) {
        self.id = id
        self.title = title
        self.publisher = publisher
        self.date = date
        self.url = url
        self.attributes = attributes
    }
}

/// A kind of entity. Six are built in (``KindID/person`` … ``KindID/event``); documents may declare more.
public struct Kind: Hashable, Sendable, Identifiable {
    /// The kind's id, named by ``Entity/kind``.
    public var id: KindID
    /// Human-readable name for legends, e.g. "Military unit".
    public var label: String
    /// Free-form data about the kind, e.g. styling hints.
    public var attributes: Attributes

    /// Creates a kind; declare it in a graph with ``Graph/declare(_:)-(Kind)`` before using it.
    public init(id: KindID, label: String, attributes: Attributes = [:]) {
        self.id = id
        self.label = label
        self.attributes = attributes
    }

    /// The kinds every graph knows without declaring them.
    public static let builtIn: [Kind] = [
        Kind(id: .person, label: "Person"),
        Kind(id: .state, label: "State"),
        Kind(id: .organization, label: "Organization"),
        Kind(id: .facility, label: "Facility"),
        Kind(id: .place, label: "Place"),
        Kind(id: .event, label: "Event"),
    ]
}

/// Something in the world that takes part in relations: a person, a state, an organization,
/// a facility, a place, an event.
public struct Entity: Hashable, Sendable, Identifiable {
    /// Stable identifier, unique in its graph.
    public var id: EntityID
    /// Display name.
    public var name: String
    /// What sort of thing it is: a built-in kind such as ``KindID/person`` or one the graph declares.
    public var kind: KindID
    /// Other names the entity goes by; lookups match them like the name.
    public var aliases: [String]
    /// A short description in the graph author's own words.
    public var description: String?
    /// Anything else about the entity, e.g. `["country": "belarus"]`, kept losslessly.
    public var attributes: Attributes
    /// The documents that support what the graph says about this entity.
    public var sources: [Citation]

    /// Creates an entity; add it to a graph with ``Graph/add(_:)-(Entity)``.
    public init(
        id: EntityID, name: String, kind: KindID, aliases: [String] = [], description: String? = nil,
        attributes: Attributes = [:], sources: [Citation] = []
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.description = description
        self.attributes = attributes
        self.sources = sources
    }
}
