import OrderedCollections

// The document layer of the reader: walks the JSON with `JSONScanner` and builds the `Graph`
// directly (no intermediate tree for entities and relations), checking every rule of the format
// and collecting every problem.
//
// Sections may come in any order. In the usual order (documents, kinds, relationTypes, entities,
// relations) everything is checked as it is read. A reference to a kind, relation type or document
// not declared yet is re-checked at the end; relations read before the entities are kept aside and
// added at the end.

/// Which id convention a section recommends (a warning when not followed).
enum IDStyle {
    /// `[a-z0-9][a-z0-9._-]*`
    case slug
    /// `[a-z][A-Za-z0-9]*`
    case lowerCamelCase
    case any

    func accepts(_ id: String) -> Bool {
        var first = true
        for byte in id.utf8 {
            let lower = byte >= 0x61 && byte <= 0x7A
            let upper = byte >= 0x41 && byte <= 0x5A
            let digit = byte >= 0x30 && byte <= 0x39
            switch self {
            case .slug:
                guard lower || digit || (!first && (byte == 0x2E || byte == 0x5F || byte == 0x2D)) else { return false }
            case .lowerCamelCase:
                guard lower || (!first && (upper || digit)) else { return false }
            case .any:
                return true
            }
            first = false
        }
        return true
    }

    var explanation: String {
        switch self {
        case .slug: return "lowercase letters, digits and . _ - (e.g. 'mozyr-refinery')"
        case .lowerCamelCase: return "lowerCamelCase (e.g. 'militaryUnit')"
        case .any: return ""
        }
    }
}

struct GraphDecoder {
    var reader: JSONScanner
    var graph = Graph()

    var sawFormatVersion = false
    var unsupportedVersion = false
    var sawEntities = false
    var topLevelObjectOffset = 0
    var unknownTopLevelKeys: [(name: String, offset: Int, path: String)] = []

    // Where each id was first defined, for "already defined at line …".
    let entityIDOffsets = ScratchInts()
    /// Entity id bytes → entity index in `graph.entities`.
    let entityMap = ByteMap(expectedCount: 1024)
    /// Relation ids seen (added or rejected), and where each was first defined.
    let relationMap = ByteMap(expectedCount: 4096)
    let relationIDOffsets = ScratchInts()
    /// Where the relations array starts and how many relations were read, to size the graph.
    var relationsStart = 0
    var relationsRead = 0
    var documentIDOffsets: [String: Int] = [:]
    var kindIDOffsets: [String: Int] = [:]
    var typeIDOffsets: [String: Int] = [:]

    enum ReferenceKind { case kind, relationType, document }

    /// The declared ids a reference of this kind may name.
    func candidates(for kind: ReferenceKind) -> [String] {
        switch kind {
        case .kind: graph.kinds.map(\.id.rawValue)
        case .relationType: graph.relationTypes.map(\.id.rawValue)
        case .document: graph.documents.keys.map(\.rawValue)
        }
    }
    struct PendingReference {
        var kind: ReferenceKind
        var value: String
        var offset: Int
        var path: String
    }
    var pendingReferences: [PendingReference] = []

    /// A string read as its raw bytes; `decoded` is set only when the bytes are not the text
    /// (escapes).
    struct Ref {
        var token: StringToken
        var offset: Int
        var decoded: String?
    }

    struct RelationRefs {
        var id: Ref? = nil
        var source: Ref? = nil
        var target: Ref? = nil
        var asserter: Ref? = nil
    }
    var pendingRelations: [(relation: Relation, refs: RelationRefs, path: String)] = []

    var kindNames = Interner()
    var typeNames = Interner()
    var documentNames = Interner()
    var suggester: EntitySuggester? = nil
    // Values written identically in the file are stored once and shared (copy-on-write makes this
    // invisible): the same bytes always decode to the same value, so the bytes are the key.
    let citationSpans = ByteMap(expectedCount: 256)
    var citationValues: [[Citation]] = []
    let attributeSpans = ByteMap(expectedCount: 256)
    var attributeValues: [Attributes] = []
    let textSpans = ByteMap(expectedCount: 256)
    var textValues: [String] = []
    /// Entity ids by entity index (the graph's own key storage, shared by the relations).
    var entityIDs: [EntityID] = []
    private(set) var stopped = false

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ReadLimits = .standard) {
        reader = JSONScanner(bytes: bytes, limits: limits)
    }

    // MARK: Top level

    /// Reads the whole document; afterwards `reader.issues` holds every problem and `graph` is
    /// complete when none of them is an error.
    mutating func decode() {
        // The adjacency lists are built once, at their exact sizes, when the reading ends.
        graph.beginDeferredAdjacency()
        defer { graph.finishDeferredAdjacency() }
        do {
            reader.skipByteOrderMark()
            reader.skipWhitespace()
            guard reader.pos < reader.bytes.count else {
                reader.report(
                    .notAGraphDocument,
                    "the document is empty; an EntityGraph document is a JSON object with \"formatVersion\": 1 and \"entities\"",
                    at: reader.pos)
                return
            }
            topLevelObjectOffset = reader.pos
            let kind = reader.kind(at: reader.pos)
            if kind != .object {
                try reader.skipValue()
                try reader.expectEnd()
                reader.report(
                    .notAGraphDocument,
                    "this is not an EntityGraph document: the top level is \(kind.phrase), but a document is a JSON object with \"formatVersion\": 1 and \"entities\"",
                    at: topLevelObjectOffset, path: "$")
                return
            }
            try decodeTopLevel()
            try reader.expectEnd()
        } catch {
            stopped = true
            return
        }
        finish()
    }

    mutating func decodeTopLevel() throws(StopReading) {
        try reader.beginObject()
        var seen = FieldSet<TopLevelField>()
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let index = reader.match(key, in: TopLevelField.keys) else {
                // Unknown keys are judged at the end, once it is known whether this is a graph at all.
                unknownTopLevelKeys.append((reader.quietString(key), key.start - 1, reader.renderPath()))
                try reader.skipValue()
                continue
            }
            let field = TopLevelField.allCases[index]
            guard seen.insert(field) else {
                try duplicateKey(key, in: "the document")
                continue
            }
            switch field {
            case .formatVersion: try decodeFormatVersion()
            case .title: graph.title = try reader.readString()
            case .description: graph.description = try reader.readString()
            case .attributes: graph.attributes = try reader.readAttributes()
            case .documents:
                try decodeSection(item: "a document") { (decoder: inout GraphDecoder) throws(StopReading) in
                    try decoder.decodeDocument()
                }
            case .kinds:
                try decodeSection(item: "a kind") { (decoder: inout GraphDecoder) throws(StopReading) in
                    try decoder.decodeKind()
                }
            case .relationTypes:
                try decodeSection(item: "a relation type") { (decoder: inout GraphDecoder) throws(StopReading) in
                    try decoder.decodeRelationType()
                }
            case .entities:
                sawEntities = true
                try decodeSection(
                    item: "an entity", limit: (reader.limits.maximumEntities, "entities", "maximumEntities")
                ) { (decoder: inout GraphDecoder) throws(StopReading) in
                    try decoder.decodeEntity()
                }
                // Relations read before the entities can now be checked.
                let waiting = pendingRelations
                pendingRelations = []
                for var item in waiting { resolve(&item.relation, item.refs, path: item.path) }
            case .relations:
                relationsStart = reader.pos
                try decodeSection(
                    item: "a relation", limit: (reader.limits.maximumRelations, "relations", "maximumRelations")
                ) { (decoder: inout GraphDecoder) throws(StopReading) in
                    try decoder.decodeRelation()
                }
            }
        }
    }

    mutating func decodeFormatVersion() throws(StopReading) {
        sawFormatVersion = true
        let offset = reader.pos
        let value = try reader.parseValue()
        switch value {
        case .integer(Int64(GraphDocument.formatVersion)):
            break
        case .integer(let version) where version > GraphDocument.formatVersion:
            unsupportedVersion = true
            reader.report(
                .unsupportedFormatVersion,
                "this document uses format version \(version); this version of EntityGraph reads version \(GraphDocument.formatVersion)",
                at: offset, suggestion: "upgrade EntityGraph to read it")
        case .integer(let version):
            unsupportedVersion = true
            reader.report(
                .unsupportedFormatVersion, "format version \(version) does not exist", at: offset,
                suggestion: "write \"formatVersion\": \(GraphDocument.formatVersion)")
        case .string(let text) where text == String(GraphDocument.formatVersion):
            reader.report(
                .wrongType, "expected the number \(GraphDocument.formatVersion), found a string", at: offset,
                suggestion: "write \"formatVersion\": \(GraphDocument.formatVersion) without quotes")
        default:
            reader.report(
                .wrongType,
                "expected the number \(GraphDocument.formatVersion), found \(reader.kind(at: offset).phrase)",
                at: offset, suggestion: "write \"formatVersion\": \(GraphDocument.formatVersion)")
        }
    }

    /// Reads an array of objects, calling `item` with the reader on each object's `{`.
    /// `limit`: the most items read, with the plural noun and the ``ReadLimits`` property naming it.
    mutating func decodeSection(
        item noun: String, limit: (count: Int, items: String, name: String) = (.max, "", ""),
        _ item: (inout GraphDecoder) throws(StopReading) -> Void
    ) throws(StopReading) {
        guard reader.kind(at: reader.pos) == .array else {
            if reader.kind(at: reader.pos) == .null {
                _ = try reader.parseValue()
                return
            }
            try reader.wrongType(expected: "an array")
            return
        }
        try reader.beginArray()
        var index = 0
        while try reader.nextElement(index) {
            if index >= limit.count {
                throw reader.stop(
                    .limitExceeded,
                    "more than \(limit.count) \(limit.items); ReadLimits.\(limit.name) is \(limit.count)",
                    at: reader.pos, suggestion: "split the data, or read it with larger ReadLimits")
            }
            index += 1
            if reader.pos < reader.bytes.count, reader.bytes[reader.pos] == 0x7B {
                try item(&self)
            } else {
                try reader.wrongType(expected: "an object (\(noun))")
            }
        }
    }

    // MARK: Sharing

    /// Where in `map` the bytes from `start` to the reader's position are, and their hash; `nil`
    /// entry when new. Spans longer than 512 bytes are not shared (`hash` is then 0).
    @inline(__always)
    func span(from start: Int, in map: ByteMap) -> (entry: Int?, hash: UInt64, count: Int) {
        let count = reader.pos - start
        guard count > 0, count <= 512 else { return (nil, 0, 0) }
        let base = reader.bytes.baseAddress! + start
        let hash = ByteMap.hash(base, count)
        return (map.find(base, count, hash: hash), hash, count)
    }

    mutating func shared(_ citations: [Citation], from start: Int) -> [Citation] {
        guard !citations.isEmpty else { return citations }
        let (entry, hash, count) = span(from: start, in: citationSpans)
        if let entry { return citationValues[entry] }
        guard count > 0 else { return citations }
        citationSpans.insert(reader.bytes.baseAddress! + start, count, hash: hash)
        citationValues.append(citations)
        return citations
    }

    mutating func shared(_ attributes: Attributes, from start: Int) -> Attributes {
        guard !attributes.isEmpty else { return attributes }
        let (entry, hash, count) = span(from: start, in: attributeSpans)
        if let entry { return attributeValues[entry] }
        guard count > 0 else { return attributes }
        attributeSpans.insert(reader.bytes.baseAddress! + start, count, hash: hash)
        attributeValues.append(attributes)
        return attributes
    }

    /// Texts of 16 bytes or more (shorter ones are stored inline in the `String` anyway).
    mutating func shared(_ text: String, from start: Int) -> String {
        guard text.utf8.count > 15 else { return text }
        let (entry, hash, count) = span(from: start, in: textSpans)
        if let entry { return textValues[entry] }
        guard count > 0 else { return text }
        textSpans.insert(reader.bytes.baseAddress! + start, count, hash: hash)
        textValues.append(text)
        return text
    }

    // MARK: Values

    mutating func readDate(field: String) throws(StopReading) -> PartialDate? {
        if reader.kind(at: reader.pos) == .number {
            try reader.wrongType(expected: "a date string", suggestion: "put the date in quotes, e.g. \"2022\"")
            return nil
        }
        guard let text = try reader.readString(expected: "a date string") else { return nil }
        if let date = PartialDate(text) { return date }
        reader.report(
            .invalidDate, partialDateProblem(text) ?? "'\(text)' is not a date", at: reader.valueOffset,
            suggestion: "write YYYY, YYYY-MM or YYYY-MM-DD")
        return nil
    }

    mutating func readCertainty() throws(StopReading) -> Certainty {
        guard let token = try reader.readStringToken(nullable: true) else { return .confirmed }
        if let index = reader.match(token, in: Certainty.spellings) { return Certainty.allCases[index] }
        let text = reader.makeString(token)
        let allowed = Certainty.allCases.map(\.rawValue)
        var suggestion = "use one of " + allowed.joined(separator: ", ")
        if let phrase = Suggest.phrase(text, among: allowed) { suggestion = phrase + " (" + suggestion + ")" }
        reader.report(.unknownCertainty, "unknown certainty '\(text)'", at: reader.valueOffset, suggestion: suggestion)
        return .confirmed
    }

    // MARK: End of document

    mutating func finish() {
        let jsonCodes: Set<ValidationIssue.Code> = [
            .invalidJSON, .invalidUTF8, .nestingTooDeep, .numberOutOfRange, .loneSurrogate, .duplicateKey,
        ]
        if !sawFormatVersion && !sawEntities {
            reader.issues.removeAll { !jsonCodes.contains($0.code) }
            let names = Set(unknownTopLevelKeys.map(\.name))
            var message = "this is not an EntityGraph document: "
            var suggestion =
                "an EntityGraph document is a JSON object with \"formatVersion\": 1 and \"entities\"; see Graphs/README.md"
            if names.contains("nodes") && (names.contains("links") || names.contains("edges")) {
                message +=
                    "it looks like a networkx node-link graph (\"nodes\" and \"\(names.contains("links") ? "links" : "edges")\")"
                suggestion =
                    "convert it: nodes become \"entities\" (id, name, kind), links become \"relations\" (id, type, source, target)"
            } else if names.contains("type") && (names.contains("features") || names.contains("geometry")) {
                message += "it looks like a GeoJSON file"
            } else if names.contains("elements") {
                message += "it looks like a Cytoscape.js graph"
            } else if names.contains("graph") || names.contains("graphs") {
                message += "it looks like a JSON Graph Format file"
            } else {
                let shown = unknownTopLevelKeys.prefix(5).map { "\"\($0.name)\"" }.joined(separator: ", ")
                message +=
                    shown.isEmpty
                    ? "the object has no \"formatVersion\" or \"entities\""
                    : "the object has \(shown) but no \"formatVersion\" or \"entities\""
            }
            reader.report(.notAGraphDocument, message, at: topLevelObjectOffset, suggestion: suggestion, path: "$")
            return
        }
        if unsupportedVersion {
            reader.issues.removeAll { !jsonCodes.contains($0.code) && $0.code != .unsupportedFormatVersion }
            return
        }
        if !sawFormatVersion {
            reader.report(
                .missingField, "the document has no \"formatVersion\"", at: topLevelObjectOffset,
                suggestion: "add \"formatVersion\": \(GraphDocument.formatVersion) at the top", path: "$")
        }
        if !sawEntities {
            reader.report(
                .missingField, "the document has no \"entities\"", at: topLevelObjectOffset,
                suggestion: "add \"entities\": [] (relations need entities to connect)", path: "$")
            for var item in pendingRelations { resolve(&item.relation, item.refs, path: item.path) }
            pendingRelations = []
        }
        for key in unknownTopLevelKeys {
            var suggestion = "custom data belongs in \"attributes\""
            let known = TopLevelField.keys.map(\.description)
            if let phrase = Suggest.phrase(key.name, among: known) { suggestion = phrase }
            reader.report(
                .unknownKey, "unknown key '\(key.name)' in the document", at: key.offset,
                suggestion: suggestion, path: key.path)
        }
        // Each candidate list is folded once and each distinct unknown value looked up once, at most
        // `EntitySuggester.maximumLookups` of them: a file with an undeclared type on every relation
        // costs one lookup, not one per relation.
        var candidateLists: [ReferenceKind: Suggest.FoldedCandidates] = [:]
        var answers: [ReferenceKind: [String: String?]] = [:]
        var lookups = 0
        for reference in pendingReferences where !exists(reference.kind, reference.value) {
            let code: ValidationIssue.Code
            let noun: String
            let fix: String
            switch reference.kind {
            case .kind:
                code = .unknownKind
                noun = "kind"
                fix = "declare it in \"kinds\", or use one of " + graph.kinds.map(\.id.rawValue).joined(separator: ", ")
            case .relationType:
                code = .unknownRelationType
                noun = "relation type"
                fix = "declare it in \"relationTypes\", or use a built-in type such as relatedTo"
            case .document:
                code = .unknownDocument
                noun = "document"
                fix = "declare it in \"documents\""
            }
            var phrase: String?
            if let answer = answers[reference.kind]?[reference.value] {
                phrase = answer
            } else if lookups < EntitySuggester.maximumLookups {
                lookups += 1
                if candidateLists[reference.kind] == nil {
                    candidateLists[reference.kind] = Suggest.FoldedCandidates(candidates(for: reference.kind))
                }
                phrase = candidateLists[reference.kind]!.phrase(reference.value)
                answers[reference.kind, default: [:]][reference.value] = phrase
            }
            let suggestion = phrase ?? fix
            reader.report(
                code, "unknown \(noun) '\(reference.value)'", at: reference.offset, suggestion: suggestion,
                path: reference.path)
        }
    }
}
