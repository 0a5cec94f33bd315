import Foundation
import OrderedCollections

/// Reads FollowTheMoney (FtM) entity streams — OpenSanctions, Aleph, `ftm` exports; one JSON object
/// per line (`.ftm.json`, `.ftm.jsonl`, `.ijson`) — into a ``Graph``. Each line is decoded with
/// Foundation's `JSONDecoder`.
///
/// ```swift
/// let graph = try FtMReader.read(contentsOf: URL(fileURLWithPath: "entities.ftm.json"))
/// ```
///
/// ## Mapping
/// | FtM | model |
/// | --- | --- |
/// | `id` | entity (or relation) id, unchanged |
/// | `schema` `Person` | kind `person` |
/// | `Organization`, `Company`, `LegalEntity`, `PublicBody` | kind `organization` |
/// | `Address` | kind `place` |
/// | `Vessel`, `Airplane`, `RealEstate`, `Vehicle`, `Asset` | kind `facility` |
/// | `Event` | kind `event` |
/// | any other thing schema (`Sanction`, `Passport`, `Position`, …) | a declared kind named after it (`sanction`, label `Sanction`) |
/// | edge schemata: `Ownership` owner→asset, `Directorship` director→organization, `Membership` member→organization, `Employment` employee→employer, `Family` person→relative, `Associate` person→associate, `UnknownLink` subject→object, `Payment` payer→beneficiary, `Representation` agent→client, `Occupancy` holder→post, `Succession` predecessor→successor, `Debt` debtor→creditor, `Control` controller→controlled, `ContractAward` contract→supplier, `CourtCaseParty` party→case, `ProjectParticipant` participant→project, `Documentation` document→entity | a relation of type `owns`, `directorOf`, `memberOf`, `employedBy`, `familyOf`, `associateOf`, `relatedTo`, `paid`, `represents`, `holdsPost`, `succeededBy`, `owes`, `controls`, `awardedTo`, `partyTo`, `participantIn`, `documents` (in that order; declared when not built in) |
/// | `startDate` (earliest), else `date`; `endDate` (latest) of an edge | `since`, `until` (the date part of a date-time) |
/// | `Sanction` whose `authority` names one entity of the file (its id, or the name of exactly one entity) | a `sanctions` relation from the authority to the sanctioned `entity` |
/// | any other `Sanction` | an entity of kind `sanction` with a `sanctions` relation to each sanctioned `entity` |
/// | `addressEntity`, `parent`, `organization`, `holder`, `entity` of a thing, naming an entity in the file | a relation `locatedIn`, `partOf`, `partOf`, `heldBy`, `concerns` from the thing |
/// | `caption`, else the first `name`, else the id | name |
/// | other `name`, `alias`, `weakAlias`, `previousName` values | aliases |
/// | `description`, else `summary` (first value) | description |
/// | `sourceUrl` values; `datasets` | source documents (id and title the URL; id `dataset:NAME`, title the name) and citations |
///
/// Every property is also kept, exactly, as an attribute named after it whose value is the array of
/// its strings; `schema` is kept as `ftm:schema` and every other top-level key (`caption`,
/// `datasets`, `referents` — needed to merge entities again —, `first_seen`, `last_seen`,
/// `last_change`, `target`, …) as `ftm:KEY`. So FtM → EntityGraph → FtM (``InteropFormat/ftm``)
/// gives back every object's id, schema, properties and top-level values; the fields above are the
/// readable view of them. Relations made from entity-valued properties carry `ftm:property`.
///
/// ## Errors and warnings
/// A line that is not JSON, not an object, without a string `id` or `schema`, an id with a control
/// character, `properties` that are not arrays of strings, and an id used again with another schema
/// are errors naming the file, line and JSON path (`entities.ftm.json:12: error: properties.name[0]:
/// …`). Objects repeating an id with the same schema are fragments of one entity: their values are
/// merged, with a warning. An edge whose source or target is not in the file, or has several values,
/// is a warning and is kept as an entity (of a kind named after its schema) linked to the endpoints
/// that are present, so nothing is lost; a date that cannot be read stays an attribute only, with a
/// warning. ``ReadLimits`` bound the file's size, the number of entities and relations, the length
/// of a string and the nesting of values. Reading never traps and is linear in the file's size.
public enum FtMReader {
    /// Decodes FtM JSON lines from their bytes: the graph (when there is no error) and every issue in
    /// file order. Never throws.
    /// - Parameters:
    ///   - bytes: UTF-8 bytes, one JSON object per line (blank lines are skipped).
    ///   - fileName: Names the file in the issues (`zala.ftm.json:3: error: …`).
    ///   - limits: Bounds on bytes, entities, relations, string length and nesting (``ReadLimits``).
    public static func decode(
        _ bytes: some Sequence<UInt8>, fileName: String? = nil, limits: ReadLimits = .standard
    ) -> GraphDocument.Decoded {
        let array = Array(bytes)
        if let tooBig = limits.checkBytes(array.count, fileName: fileName) {
            return GraphDocument.Decoded(graph: nil, issues: [tooBig])
        }
        var parser = FtMLineParser(fileName: fileName, limits: limits)
        parser.parse(array)
        parser.mergeFragments()
        guard !parser.stopped, !parser.issues.contains(where: { $0.severity == .error }) else {
            return GraphDocument.Decoded(graph: nil, issues: ordered(parser.issues))
        }
        var builder = FtMGraphBuilder(records: parser.records, fileName: fileName, limits: limits)
        builder.build()
        let issues = ordered(parser.issues + builder.issues)
        let failed = issues.contains { $0.severity == .error }
        return GraphDocument.Decoded(graph: failed ? nil : builder.graph, issues: issues)
    }

    /// Decodes the FtM file at `url`; an unreadable file is one ``ValidationIssue/Code/unreadableFile``
    /// issue, and a file over ``ReadLimits/maximumBytes`` is refused before it is read.
    public static func decode(contentsOf url: URL, limits: ReadLimits = .standard) -> GraphDocument.Decoded {
        decodeXMLFile(url, limits: limits) { decode($0, fileName: $1, limits: limits) }
    }

    /// Reads a graph from FtM bytes. Throws a ``DocumentError`` listing every problem when there is
    /// an error; warnings alone do not fail.
    public static func read(
        _ bytes: some Sequence<UInt8>, fileName: String? = nil, limits: ReadLimits = .standard
    ) throws(DocumentError) -> Graph {
        try decode(bytes, fileName: fileName, limits: limits).get()
    }

    /// Reads a graph from an FtM file. Throws a ``DocumentError`` listing every problem.
    public static func read(contentsOf url: URL, limits: ReadLimits = .standard) throws(DocumentError) -> Graph {
        try decode(contentsOf: url, limits: limits).get()
    }

    /// Issues by line (issues without one last), at most ``CSVSheets/maximumIssuesPerFile``.
    static func ordered(_ issues: [ValidationIssue]) -> [ValidationIssue] {
        ValidationIssue.listed(issues, fileName: issues.first?.fileName)
    }
}

/// Turns parsed records into a graph: entities first, then edges, sanctions and references.
struct FtMGraphBuilder {
    let records: [FtMRecord]
    let limits: ReadLimits
    private(set) var graph = Graph()
    private var log: FtMIssueLog
    /// Every issue so far, in the order found.
    var issues: [ValidationIssue] { log.issues }

    /// How each record is read.
    private enum Role {
        case entity
        case relation(source: String, target: String, type: RelationTypeID)
    }

    private var roles: [Role] = []
    /// Entity ids by folded caption or name, for sanction authorities.
    private var namesIndex: [String: Set<String>] = [:]
    private var missingReferences = 0

    init(records: [FtMRecord], fileName: String?, limits: ReadLimits) {
        self.records = records
        self.log = FtMIssueLog(fileName: fileName)
        self.limits = limits
    }

    mutating func build() {
        let thingIDs = Set(
            records.filter { FtMVocabulary.edges[$0.schema] == nil && $0.schema != "Sanction" }.map(\.id))
        for record in records where thingIDs.contains(record.id) {
            for name in [record.caption].compactMap({ $0 }) + record.values("name") {
                let folded = Self.folded(name)
                if !folded.isEmpty { namesIndex[folded, default: []].insert(record.id) }
            }
        }
        for record in records { roles.append(classify(record, things: thingIDs)) }
        let entityIDs = Set(
            zip(records, roles).compactMap { record, role in
                if case .entity = role { return record.id }
                return nil
            })
        let relationCount = roles.count - entityIDs.count
        if entityIDs.count > limits.maximumEntities || relationCount > limits.maximumRelations {
            let (what, limit, value) =
                entityIDs.count > limits.maximumEntities
                ? ("entities", "maximumEntities", limits.maximumEntities)
                : ("relations", "maximumRelations", limits.maximumRelations)
            return log.report(
                .error, .limitExceeded, "the file has more than \(value) \(what); ReadLimits.\(limit) is \(value)",
                line: nil, suggestion: "split the data, or read it with larger ReadLimits")
        }
        declareVocabulary()
        for (record, role) in zip(records, roles) {
            guard case .entity = role else { continue }
            addEntity(record)
        }
        for (record, role) in zip(records, roles) {
            guard case .relation(let source, let target, let type) = role else { continue }
            addRelation(record, source: source, target: target, type: type)
        }
        for (record, role) in zip(records, roles) {
            guard case .entity = role else { continue }
            addReferences(record, entities: entityIDs)
        }
        if missingReferences > 0 {
            log.report(
                .warning, .readAsNoted,
                "\(pluralize(missingReferences, "entity reference")) name entities that are not in the file; they "
                    + "are kept as attribute values only", line: nil)
        }
    }

    // MARK: Classification

    private mutating func classify(_ record: FtMRecord, things: Set<String>) -> Role {
        if let edge = FtMVocabulary.edges[record.schema] {
            let sources = record.values(edge.source)
            let targets = record.values(edge.target)
            if sources.count == 1, targets.count == 1, things.contains(sources[0]), things.contains(targets[0]) {
                return .relation(source: sources[0], target: targets[0], type: edge.type)
            }
            let missing = (sources + targets).filter { !things.contains($0) }
            let problem =
                sources.isEmpty || targets.isEmpty
                ? "has no '\(sources.isEmpty ? edge.source : edge.target)'"
                : !missing.isEmpty
                    ? "names \(missing.map { "'\($0)'" }.joined(separator: ", ")), not in the file"
                    : "has \(sources.count) '\(edge.source)' and \(targets.count) '\(edge.target)' values"
            log.report(
                .warning, .unknownEntity,
                "the \(record.schema) '\(record.id)' \(problem); it is kept as an entity linked to the endpoints "
                    + "that are present", path: "$.properties", line: record.line)
            return .entity
        }
        if record.schema == "Sanction" {
            let targets = record.values("entity")
            let authorities = Set(record.values("authority").compactMap { authority(named: $0, things: things) })
            if targets.count == 1, things.contains(targets[0]), authorities.count == 1, let source = authorities.first {
                return .relation(source: source, target: targets[0], type: "sanctions")
            }
        }
        return .entity
    }

    /// The entity an authority's text names: its id, or the caption or name of exactly one entity.
    private func authority(named text: String, things: Set<String>) -> String? {
        if things.contains(text) { return text }
        guard let matches = namesIndex[Self.folded(text)], matches.count == 1 else { return nil }
        return matches.first
    }

    /// A name compared without case or surrounding spaces.
    private static func folded(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    // MARK: Vocabulary and documents

    private mutating func declareVocabulary() {
        var kinds: OrderedSet<String> = []
        for (record, role) in zip(records, roles) {
            if case .entity = role, FtMVocabulary.builtInKind(for: record.schema) == nil { kinds.append(record.schema) }
        }
        for schema in kinds { try? graph.declare(FtMVocabulary.declaredKind(for: schema)) }
    }

    /// Declares `type` from the vocabulary the first time a relation needs it (built-in types need
    /// nothing), so a graph declares only the types it uses.
    private mutating func declareIfNeeded(_ type: RelationTypeID) {
        guard graph.relationType(type) == nil,
            let declared = FtMVocabulary.declaredTypes.first(where: { $0.id == type })
        else { return }
        try? graph.declare(declared)
    }

    /// Citations of the record's `sourceUrl` values and datasets, adding their documents.
    private mutating func citations(_ record: FtMRecord) -> [Citation] {
        var result: [Citation] = []
        for url in record.values("sourceUrl") {
            guard !url.isEmpty, IDRules.firstControlCharacter(in: url) == nil else {
                log.report(
                    .warning, .readAsNoted,
                    "a sourceUrl of '\(record.id)' is empty or holds a control character; it is "
                        + "kept as an attribute only", path: "$.properties.sourceUrl", line: record.line)
                continue
            }
            let id = DocumentID(url)
            if graph.documents[id] == nil { try? graph.add(SourceDocument(id: id, title: url, url: url)) }
            if !result.contains(where: { $0.document == id }) { result.append(Citation(document: id)) }
        }
        for dataset in record.datasets where !dataset.isEmpty && IDRules.firstControlCharacter(in: dataset) == nil {
            let id = DocumentID("dataset:" + dataset)
            if graph.documents[id] == nil {
                try? graph.add(SourceDocument(id: id, title: dataset, attributes: ["ftm:dataset": .string(dataset)]))
            }
            if !result.contains(where: { $0.document == id }) { result.append(Citation(document: id)) }
        }
        return result
    }

    /// The schema, every property (exactly) and every other top-level key.
    private func attributes(_ record: FtMRecord) -> Attributes {
        var attributes: Attributes = [FtMVocabulary.schemaKey: .string(record.schema)]
        for (name, values) in record.properties { attributes[name] = .array(values.map { .string($0) }) }
        for (key, value) in record.meta { attributes[key] = value }
        return attributes
    }

    // MARK: Entities and relations

    private mutating func addEntity(_ record: FtMRecord) {
        let names = record.values("name")
        var name = record.caption ?? ""
        if name.isEmpty { name = names.first(where: { !$0.isEmpty }) ?? record.id }
        var aliases: [String] = []
        for alias in names + record.values("alias") + record.values("weakAlias") + record.values("previousName")
        where alias != name && !alias.isEmpty && !aliases.contains(alias) {
            aliases.append(alias)
        }
        let description = (record.values("description") + record.values("summary")).first
        let kind = FtMVocabulary.builtInKind(for: record.schema) ?? FtMVocabulary.declaredKind(for: record.schema).id
        let entity = Entity(
            id: EntityID(record.id), name: name, kind: kind, aliases: aliases, description: description,
            attributes: attributes(record), sources: citations(record))
        do {
            try graph.add(entity)
        } catch {
            log.report(.error, .duplicateID, "cannot add '\(record.id)': \(error)", path: "$.id", line: record.line)
        }
    }

    private mutating func addRelation(_ record: FtMRecord, source: String, target: String, type: RelationTypeID) {
        let (since, until) = dates(record)
        declareIfNeeded(type)
        let relation = Relation(
            id: RelationID(record.id), type: type, source: EntityID(source), target: EntityID(target), since: since,
            until: until, sources: citations(record), attributes: attributes(record))
        do {
            try graph.add(relation)
        } catch {
            log.report(.error, .duplicateID, "cannot add '\(record.id)': \(error)", path: "$.id", line: record.line)
        }
    }

    /// Relations for the entity-valued properties of a record kept as an entity.
    private mutating func addReferences(_ record: FtMRecord, entities: Set<String>) {
        var links: [(property: String, type: RelationTypeID)] = []
        if let edge = FtMVocabulary.edges[record.schema] {
            links = [(edge.source, "relatedTo"), (edge.target, "relatedTo")]
        } else {
            for name in record.properties.keys {
                if let type = FtMVocabulary.referenceType(schema: record.schema, property: name) {
                    links.append((name, type))
                }
            }
        }
        for (property, type) in links {
            let targets = record.values(property)
            for (index, target) in targets.enumerated() {
                guard entities.contains(target) else {
                    missingReferences += 1
                    continue
                }
                var id = "\(record.id)/\(property)" + (targets.count > 1 ? "/\(index + 1)" : "")
                var suffix = 2
                while graph.relations[RelationID(id)] != nil {
                    id = "\(record.id)/\(property)~\(suffix)"
                    suffix += 1
                }
                let (since, until) = type == "sanctions" ? dates(record) : (nil, nil)
                declareIfNeeded(type)
                let relation = Relation(
                    id: RelationID(id), type: type, source: EntityID(record.id), target: EntityID(target),
                    since: since, until: until, attributes: [FtMVocabulary.propertyKey: .string(property)])
                do {
                    try graph.add(relation)
                } catch {
                    log.report(.error, .duplicateID, "cannot link '\(record.id)': \(error)", line: record.line)
                }
            }
        }
    }

    /// `since` from the earliest `startDate` (else `date`), `until` from the latest `endDate`;
    /// values that are no date are warned about (they stay attributes).
    private mutating func dates(_ record: FtMRecord) -> (PartialDate?, PartialDate?) {
        func read(_ property: String) -> [PartialDate] {
            var found: [PartialDate] = []
            for (index, text) in record.values(property).enumerated() {
                let datePart = text.split(separator: "T", maxSplits: 1).first.map(String.init) ?? text
                if let date = PartialDate(datePart) {
                    found.append(date)
                } else {
                    log.report(
                        .warning, .invalidDate,
                        "'\(text)' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); kept as an attribute only",
                        path: "$.properties.\(property)[\(index)]", line: record.line)
                }
            }
            return found
        }
        let starts = read("startDate")
        let since = starts.min() ?? read("date").min()
        var until = read("endDate").max()
        if let start = since, let end = until, end.lastOrdinal < start.ordinal {
            log.report(
                .warning, .sinceAfterUntil,
                "'\(record.id)' ends (\(end)) before it starts (\(start)); the end is kept "
                    + "as an attribute only", path: "$.properties.endDate", line: record.line)
            until = nil
        }
        return (since, until)
    }
}
