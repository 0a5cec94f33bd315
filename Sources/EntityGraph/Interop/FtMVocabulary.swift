import OrderedCollections

/// The FollowTheMoney vocabulary both directions share: which schemata are kinds, which are edges
/// (and their source and target properties), which properties of things point to other entities,
/// and the relation types the reader declares. Facts from followthemoney's schema definitions
/// (`followthemoney/schema/*.yaml`); see ``FtMReader`` for the tables in prose.
enum FtMVocabulary {
    /// The prefix of the attributes that carry an FtM object's top-level keys (`ftm:schema`,
    /// `ftm:caption`, `ftm:datasets`, …) rather than one of its properties.
    static let metaPrefix = "ftm:"
    /// The attribute holding the schema; present on every entity and relation read from FtM.
    static let schemaKey = "ftm:schema"
    /// The attribute marking a relation made from an entity-valued property (its name): the property
    /// itself stays on the entity, so the writer skips such relations.
    static let propertyKey = "ftm:property"

    /// A schema whose objects are relations: the property naming the source and the one naming the
    /// target, and the relation type they become.
    struct Edge {
        var source: String
        var target: String
        var type: RelationTypeID
    }

    /// The edge schemata (FtM's `edge:` sections) the reader turns into relations.
    static let edges: [String: Edge] = [
        "Ownership": Edge(source: "owner", target: "asset", type: "owns"),
        "Directorship": Edge(source: "director", target: "organization", type: "directorOf"),
        "Membership": Edge(source: "member", target: "organization", type: "memberOf"),
        "Employment": Edge(source: "employee", target: "employer", type: "employedBy"),
        "Family": Edge(source: "person", target: "relative", type: "familyOf"),
        "Associate": Edge(source: "person", target: "associate", type: "associateOf"),
        "UnknownLink": Edge(source: "subject", target: "object", type: "relatedTo"),
        "Payment": Edge(source: "payer", target: "beneficiary", type: "paid"),
        "Representation": Edge(source: "agent", target: "client", type: "represents"),
        "Occupancy": Edge(source: "holder", target: "post", type: "holdsPost"),
        "Succession": Edge(source: "predecessor", target: "successor", type: "succeededBy"),
        "Debt": Edge(source: "debtor", target: "creditor", type: "owes"),
        "Control": Edge(source: "controller", target: "controlled", type: "controls"),
        "ContractAward": Edge(source: "contract", target: "supplier", type: "awardedTo"),
        "CourtCaseParty": Edge(source: "party", target: "case", type: "partyTo"),
        "ProjectParticipant": Edge(source: "participant", target: "project", type: "participantIn"),
        "Documentation": Edge(source: "document", target: "entity", type: "documents"),
    ]

    /// The relation types the reader declares (the others it uses are built in: `owns`, `memberOf`,
    /// `relatedTo`, `sanctions`, `locatedIn`, `partOf`). Each edge schema has its own
    /// type, so the writer maps each type back to one schema.
    static let declaredTypes: [RelationType] = [
        RelationType(id: "directorOf", label: "director of", inverseLabel: "has director", category: .economic),
        RelationType(id: "employedBy", label: "employed by", inverseLabel: "employs", category: .economic),
        RelationType(id: "familyOf", label: "family of", inverseLabel: "family of", category: .personal),
        RelationType(id: "associateOf", label: "associate of", symmetric: true, category: .personal),
        RelationType(id: "paid", label: "paid", inverseLabel: "paid by", category: .economic),
        RelationType(id: "represents", label: "represents", inverseLabel: "represented by", category: .legal),
        RelationType(id: "holdsPost", label: "holds post", inverseLabel: "post held by", category: .political),
        RelationType(id: "succeededBy", label: "succeeded by", inverseLabel: "succeeds", category: .other),
        RelationType(id: "owes", label: "owes", inverseLabel: "owed by", category: .economic),
        RelationType(id: "controls", label: "controls", inverseLabel: "controlled by", category: .economic),
        RelationType(id: "awardedTo", label: "awarded to", inverseLabel: "was awarded", category: .economic),
        RelationType(id: "partyTo", label: "party to", inverseLabel: "has party", category: .legal),
        RelationType(id: "participantIn", label: "participant in", inverseLabel: "has participant", category: .event),
        RelationType(id: "documents", label: "documents", inverseLabel: "documented by", category: .other),
        RelationType(id: "heldBy", label: "held by", inverseLabel: "holds", category: .other),
        RelationType(id: "concerns", label: "concerns", inverseLabel: "concerned by", category: .other),
    ]

    /// Entity-valued properties of things that become relations (from the entity to the one named)
    /// when they name an entity in the file; `entity` of a `Sanction` becomes `sanctions`.
    static func referenceType(schema: String, property: String) -> RelationTypeID? {
        switch property {
        case "addressEntity": return "locatedIn"
        case "parent", "organization": return "partOf"
        case "holder": return "heldBy"
        case "entity": return schema == "Sanction" ? "sanctions" : "concerns"
        default: return nil
        }
    }

    /// The kind an FtM schema becomes; `nil` for a schema with no built-in kind (it gets a declared
    /// kind named after it: ``declaredKind(for:)``).
    static func builtInKind(for schema: String) -> KindID? {
        switch schema {
        case "Person": return .person
        case "Organization", "Company", "LegalEntity", "PublicBody": return .organization
        case "Address": return .place
        case "Vessel", "Airplane", "RealEstate", "Vehicle", "Asset": return .facility
        case "Event": return .event
        default: return nil
        }
    }

    /// The kind declared for a schema with no built-in kind: its name with a lowercase first letter
    /// (`Sanction` → `sanction`, `CryptoWallet` → `cryptoWallet`), labelled with the schema's name.
    static func declaredKind(for schema: String) -> Kind {
        Kind(id: KindID(schema.prefix(1).lowercased() + schema.dropFirst()), label: schema)
    }

    /// The schema a native entity of `kind` is written as.
    static func schema(for kind: KindID) -> String {
        switch kind {
        case .person: return "Person"
        case .organization: return "Organization"
        case .state: return "PublicBody"
        case .facility: return "RealEstate"
        case .place: return "Address"
        case .event: return "Event"
        default: return "LegalEntity"
        }
    }

    /// The edge schema a native relation of `type` is written as, and its source and target
    /// properties; `nil` for `sanctions` (written as a `Sanction`) and for types with no edge schema
    /// (written as `UnknownLink` with the type's label as `role`).
    static func edgeSchema(for type: RelationTypeID) -> (schema: String, edge: Edge)? {
        guard type != "sanctions" else { return nil }
        let found = edges.first { $0.value.type == type }
        return found.map { ($0.key, $0.value) }
    }

    /// True for a schema name as FtM spells them: ASCII letters and digits, starting with a capital.
    static func isSchemaName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
    }
}
