import Foundation
import OrderedCollections

/// Writes a graph as FollowTheMoney JSON lines (``InteropFormat/ftm``): one object per entity, then
/// one per relation, in graph order, each on its own line.
///
/// Entities and relations read by ``FtMReader`` (they carry `ftm:schema`) are written back as they
/// were read: the schema, every property from its attribute, and the other top-level keys
/// (`caption`, `datasets`, `referents`, …) from their `ftm:` attributes. Relations the reader made
/// from an entity-valued property (`ftm:property`) are not written: the property is on the entity.
///
/// Other entities get a schema from their kind — `person` → `Person`, `organization` →
/// `Organization`, `state` → `PublicBody`, `facility` → `RealEstate`, `place` → `Address` (name also
/// as `full`), `event` → `Event`, any other kind → `LegalEntity` — with `name`, `alias` (aliases),
/// `description` and `sourceUrl` (the URLs of cited documents). Other relations get the edge schema
/// of their type (`owns` → `Ownership`, `memberOf` → `Membership`, `directorOf` → `Directorship`,
/// `employedBy` → `Employment`, `familyOf` → `Family`, `associateOf` → `Associate`, `paid` →
/// `Payment`, `represents` → `Representation`, `holdsPost` → `Occupancy`, `succeededBy` →
/// `Succession`, `owes` → `Debt`, `controls` → `Control`, `awardedTo` → `ContractAward`, `partyTo` →
/// `CourtCaseParty`, `participantIn` → `ProjectParticipant`, `documents` → `Documentation`,
/// `relatedTo` → `UnknownLink`), `sanctions` becomes a `Sanction` of
/// the target with the source's name as `authority`, and any other type an `UnknownLink` whose
/// `role` is the type's label; `since`/`until` → `startDate`/`endDate`, a certainty other than
/// confirmed and the asserting entity → `summary`. FtM ids are ASCII letters, digits, `.` and `-`, one
/// id space for entities and relations: other ids (and a relation id an entity has) are respelled
/// (`x a` → `x-a`, `-2` when taken), each named in a warning, and references follow them. What FtM has no place for (attributes of native
/// entities and relations, kinds and relation types beyond the schema) is named in the warnings.
struct FtMExporter {
    let graph: Graph
    private var warnings: [String] = []
    private var droppedAttributes = (entities: 0, relations: 0)
    private var genericKinds: OrderedSet<KindID> = []
    private var unknownLinks: OrderedSet<RelationTypeID> = []
    private var summaries = 0
    private var convertedValues = 0
    /// The spelling of each entity id FtM cannot carry as it is; relation ids likewise.
    private var entityIDs: [EntityID: String] = [:]
    private var relationIDs: [RelationID: String] = [:]

    init(graph: Graph) { self.graph = graph }

    /// True for an id FtM accepts: ASCII letters and digits, with `.` and `-` inside, at most 200
    /// characters (followthemoney's entity id rule).
    static func isFtMID(_ id: String) -> Bool {
        let scalars = Array(id.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 200 else { return false }
        func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        }
        guard alphanumeric(scalars[0]), alphanumeric(scalars[scalars.count - 1]) else { return false }
        return scalars.allSatisfy { alphanumeric($0) || $0 == "." || $0 == "-" }
    }

    /// `id` with every character FtM cannot carry as `-` (runs as one), trimmed to letters and digits
    /// at both ends and to 190 characters; `id` when nothing is left.
    static func respelled(_ id: String) -> String {
        var text = ""
        for scalar in id.unicodeScalars {
            let kept =
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == ".")
            if kept {
                text.unicodeScalars.append(scalar)
            } else if !text.hasSuffix("-") {
                text += "-"
            }
        }
        let trimmed = String(text.prefix(190)).trimmingCharacters(in: CharacterSet.alphanumerics.inverted)
        return trimmed.isEmpty ? "id" : trimmed
    }

    /// Spells every id FtM can carry as it is and respells the others, unique across entities and
    /// relations (FtM has one id space): `-2`, `-3`, … when a spelling is taken.
    private mutating func spellIDs() {
        var taken = Set(graph.entities.keys.map(\.rawValue).filter(Self.isFtMID))
        var changed: [String] = []
        func spelling(_ id: String, extra: Bool) -> String? {
            if Self.isFtMID(id), !extra { return nil }
            let base = Self.respelled(id)
            var candidate = base
            var suffix = 2
            while taken.contains(candidate) {
                candidate = base + "-\(suffix)"
                suffix += 1
            }
            taken.insert(candidate)
            changed.append("\(warningQuoted(id)) → \(warningQuoted(candidate))")
            return candidate
        }
        for id in graph.entities.keys where !Self.isFtMID(id.rawValue) {
            entityIDs[id] = spelling(id.rawValue, extra: false)
        }
        for relation in graph.relations.values where relation.attributes[FtMVocabulary.propertyKey] == nil {
            let id = relation.id.rawValue
            let clash = Self.isFtMID(id) && taken.contains(id)
            if let spelled = spelling(id, extra: clash) {
                relationIDs[relation.id] = spelled
            } else {
                taken.insert(id)
            }
        }
        guard !changed.isEmpty else { return }
        let listed = changed.prefix(8).joined(separator: ", ")
        let more = changed.count > 8 ? " and \(changed.count - 8) more" : ""
        warnings.append(
            "FtM ids are ASCII letters, digits, '.' and '-' (one id space for entities and relations): "
                + "\(pluralize(changed.count, "id")) respelled: \(listed)\(more)")
    }

    private func spelled(_ id: EntityID) -> String { entityIDs[id] ?? id.rawValue }

    mutating func export() -> ExportResult {
        spellIDs()
        var output = ""
        for entity in graph.entities.values {
            output += line(for: entity)
            output += "\n"
        }
        for relation in graph.relations.values where relation.attributes[FtMVocabulary.propertyKey] == nil {
            output += line(for: relation)
            output += "\n"
        }
        var inventory = GraphInventory(graph)
        let richDocuments = graph.documents.values.count { document in
            document.attributes["ftm:dataset"] == nil
                && (document.title != (document.url ?? "") || document.publisher != nil || document.date != nil
                    || !document.attributes.isEmpty)
        }
        inventory.documents = richDocuments
        warnings += inventory.graphLevelDrops(
            "FtM",
            documentsNote: "only their URLs are kept, as sourceUrl; titles, publishers, dates and locators are not")
        if droppedAttributes.entities > 0 || droppedAttributes.relations > 0 {
            warnings.append(
                "FtM drops the attributes of \(pluralize(droppedAttributes.entities, "entity", "entities")) and "
                    + "\(pluralize(droppedAttributes.relations, "relation")) not read from FtM (no FtM property holds them)"
            )
        }
        if !genericKinds.isEmpty {
            warnings.append(
                "FtM has no schema for the kinds \(genericKinds.map { warningQuoted($0.rawValue) }.joined(separator: ", ")); "
                    + "their entities are written as LegalEntity")
        }
        if !unknownLinks.isEmpty {
            warnings.append(
                "FtM has no edge schema for the relation types "
                    + "\(unknownLinks.map { warningQuoted($0.rawValue) }.joined(separator: ", ")); they are written as "
                    + "UnknownLink with the type's label as role")
        }
        if summaries > 0 {
            warnings.append(
                "FtM has no certainty or asserting entity: \(pluralize(summaries, "relation")) say them in 'summary'")
        }
        if convertedValues > 0 {
            warnings.append(
                "\(pluralize(convertedValues, "FtM property value")) that were not arrays of strings were written as "
                    + "strings (numbers as their text, other values as JSON)")
        }
        let file = ExportedFile(name: "graph.ftm.json", bytes: Array(output.utf8))
        return ExportResult(format: .ftm, files: [file], warnings: warnings)
    }

    // MARK: Objects

    /// One object as a line: `id`, `schema`, `caption`, `properties`, then the other top-level keys.
    private func object(
        id: String, schema: String, caption: JSONValue?, properties: OrderedDictionary<String, [String]>,
        meta: OrderedDictionary<String, JSONValue>
    ) -> String {
        var members: OrderedDictionary<String, JSONValue> = ["id": .string(id), "schema": .string(schema)]
        if let caption { members["caption"] = caption }
        members["properties"] = .object(properties.mapValues { .array($0.map(JSONValue.string)) })
        for (key, value) in meta where members[key] == nil { members[key] = value }
        return CompactJSON.encode(.object(members))
    }

    /// The object of something read from FtM: schema, properties and top-level keys from attributes.
    private mutating func restored(id: String, schema: String, attributes: Attributes) -> String {
        var properties: OrderedDictionary<String, [String]> = [:]
        var meta: OrderedDictionary<String, JSONValue> = [:]
        var caption: JSONValue?
        for (key, value) in attributes {
            if key.hasPrefix(FtMVocabulary.metaPrefix) {
                let name = String(key.dropFirst(FtMVocabulary.metaPrefix.count))
                switch name {
                case "schema", "property": break
                case "caption": caption = value
                default: meta[name] = value
                }
            } else {
                properties[key] = strings(value)
            }
        }
        return object(id: id, schema: schema, caption: caption, properties: properties, meta: meta)
    }

    /// A property's values as strings: an array of strings as it is; anything else converted (counted).
    private mutating func strings(_ value: JSONValue) -> [String] {
        if case .array(let items) = value, let texts = Optional(items.compactMap(\.stringValue)),
            texts.count == items.count
        {
            return texts
        }
        convertedValues += 1
        switch value {
        case .array(let items): return items.map(\.cellText)
        case .null: return []
        default: return [value.cellText]
        }
    }

    /// The URLs of the documents `citations` name, in order, without repeats.
    private func urls(_ citations: [Citation]) -> [String] {
        var result: [String] = []
        for citation in citations {
            if let url = graph.documents[citation.document]?.url, !url.isEmpty, !result.contains(url) {
                result.append(url)
            }
        }
        return result
    }

    private mutating func line(for entity: Entity) -> String {
        if case .string(let schema)? = entity.attributes[FtMVocabulary.schemaKey] {
            return restored(id: spelled(entity.id), schema: schema, attributes: entity.attributes)
        }
        let schema = FtMVocabulary.schema(for: entity.kind)
        if schema == "LegalEntity", entity.kind != "legalEntity" { genericKinds.append(entity.kind) }
        if !entity.attributes.isEmpty { droppedAttributes.entities += 1 }
        var properties: OrderedDictionary<String, [String]> = [:]
        properties["name"] = [entity.name]
        if !entity.aliases.isEmpty { properties["alias"] = entity.aliases }
        if let description = entity.description { properties["description"] = [description] }
        if schema == "Address" { properties["full"] = [entity.name] }
        let sources = urls(entity.sources)
        if !sources.isEmpty { properties["sourceUrl"] = sources }
        return object(
            id: spelled(entity.id), schema: schema, caption: .string(entity.name), properties: properties, meta: [:])
    }

    private mutating func line(for relation: Relation) -> String {
        if case .string(let schema)? = relation.attributes[FtMVocabulary.schemaKey] {
            return restored(
                id: relationIDs[relation.id] ?? relation.id.rawValue, schema: schema, attributes: relation.attributes)
        }
        if !relation.attributes.isEmpty { droppedAttributes.relations += 1 }
        var properties: OrderedDictionary<String, [String]> = [:]
        let schema: String
        if relation.type == "sanctions" {
            schema = "Sanction"
            properties["entity"] = [spelled(relation.target)]
            properties["authority"] = [graph.entities[relation.source]?.name ?? relation.source.rawValue]
        } else if let (edgeSchema, edge) = FtMVocabulary.edgeSchema(for: relation.type) {
            schema = edgeSchema
            properties[edge.source] = [spelled(relation.source)]
            properties[edge.target] = [spelled(relation.target)]
        } else {
            schema = "UnknownLink"
            unknownLinks.append(relation.type)
            properties["subject"] = [spelled(relation.source)]
            properties["object"] = [spelled(relation.target)]
            properties["role"] = [graph.relationType(relation.type)?.label ?? relation.type.rawValue]
        }
        if let since = relation.since { properties["startDate"] = [since.description] }
        if let until = relation.until { properties["endDate"] = [until.description] }
        if relation.certainty != .confirmed || relation.assertedBy != nil {
            summaries += 1
            var summary = relation.certainty.rawValue
            if let asserter = relation.assertedBy {
                summary += " (according to \(graph.entities[asserter]?.name ?? asserter.rawValue))"
            }
            properties["summary"] = [summary]
        }
        let sources = urls(relation.sources)
        if !sources.isEmpty { properties["sourceUrl"] = sources }
        return object(
            id: relationIDs[relation.id] ?? relation.id.rawValue, schema: schema, caption: nil, properties: properties,
            meta: [:])
    }
}
