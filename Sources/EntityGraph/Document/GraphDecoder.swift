import OrderedCollections

// The document layer of the reader: walks the JSON with `DocumentReader` and builds the `Graph`
// directly (no intermediate tree for entities and relations), checking every rule of the format
// and collecting every problem.
//
// Sections may come in any order. In the usual order (documents, kinds, relationTypes, entities,
// relations) everything is checked as it is read. A reference to a kind, relation type or document
// not declared yet is re-checked at the end; relations read before the entities are kept aside and
// added at the end.

private enum Keys {
    static let topLevel: [StaticString] = [
        "formatVersion", "title", "description", "attributes", "documents", "kinds", "relationTypes", "entities",
        "relations",
    ]
    static let document: [StaticString] = ["id", "title", "publisher", "date", "url", "attributes"]
    static let kind: [StaticString] = ["id", "label", "attributes"]
    static let relationType: [StaticString] = ["id", "label", "inverseLabel", "symmetric", "category", "attributes"]
    static let entity: [StaticString] = ["id", "name", "kind", "aliases", "description", "attributes", "sources"]
    static let relation: [StaticString] = [
        "id", "type", "source", "target", "since", "until", "certainty", "assertedBy", "sources", "attributes",
    ]
    static let citation: [StaticString] = ["document", "locator"]
    static let certainties: [StaticString] = ["confirmed", "reported", "claimed", "alleged", "disputed", "denied"]
}

/// Which id convention a section recommends (a warning when not followed).
private enum IDStyle {
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
    var reader: DocumentReader
    var graph = Graph()

    private var sawFormatVersion = false
    private var unsupportedVersion = false
    private var sawEntities = false
    private var topLevelObjectOffset = 0
    private var unknownTopLevelKeys: [(name: String, offset: Int, path: String)] = []

    // Where each id was first defined, for "already defined at line …".
    private let entityIDOffsets = ScratchInts()
    /// Entity id bytes → entity index in `graph.entities`.
    private let entityMap = ByteMap(expectedCount: 1024)
    /// Relation ids seen (added or rejected), and where each was first defined.
    private let relationMap = ByteMap(expectedCount: 4096)
    private let relationIDOffsets = ScratchInts()
    /// Where the relations array starts and how many relations were read, to size the graph.
    private var relationsStart = 0
    private var relationsRead = 0
    private var documentIDOffsets: [String: Int] = [:]
    private var kindIDOffsets: [String: Int] = [:]
    private var typeIDOffsets: [String: Int] = [:]

    private enum ReferenceKind { case kind, relationType, document }
    private struct PendingReference {
        var kind: ReferenceKind
        var value: String
        var offset: Int
        var path: String
    }
    private var pendingReferences: [PendingReference] = []

    /// A string read as its raw bytes; `decoded` is set only when the bytes are not the text
    /// (escapes).
    private struct Ref {
        var token: StringToken
        var offset: Int
        var decoded: String?
    }

    private struct RelationRefs {
        var id: Ref? = nil
        var source: Ref? = nil
        var target: Ref? = nil
        var asserter: Ref? = nil
    }
    private var pendingRelations: [(relation: Relation, refs: RelationRefs, path: String)] = []

    private var kindNames = Interner()
    private var typeNames = Interner()
    private var documentNames = Interner()
    private var suggester: EntitySuggester? = nil
    // Values written identically in the file are stored once and shared (copy-on-write makes this
    // invisible): the same bytes always decode to the same value, so the bytes are the key.
    private let citationSpans = ByteMap(expectedCount: 256)
    private var citationValues: [[Citation]] = []
    private let attributeSpans = ByteMap(expectedCount: 256)
    private var attributeValues: [Attributes] = []
    private let textSpans = ByteMap(expectedCount: 256)
    private var textValues: [String] = []
    /// Entity ids by entity index (the graph's own key storage, shared by the relations).
    private var entityIDs: [EntityID] = []
    private(set) var stopped = false

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ReadLimits = .standard) {
        reader = DocumentReader(bytes: bytes, limits: limits)
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

    private mutating func decodeTopLevel() throws(StopReading) {
        try reader.beginObject()
        var seen: UInt32 = 0
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let slot = reader.match(key, in: Keys.topLevel) else {
                // Unknown keys are judged at the end, once it is known whether this is a graph at all.
                unknownTopLevelKeys.append((reader.quietString(key), key.start - 1, reader.renderPath()))
                try reader.skipValue()
                continue
            }
            guard seen & (1 << slot) == 0 else {
                try duplicateKey(key, in: "the document")
                continue
            }
            seen |= 1 << slot
            switch slot {
            case 0: try decodeFormatVersion()
            case 1: graph.title = try reader.readString()
            case 2: graph.description = try reader.readString()
            case 3: graph.attributes = try reader.readAttributes()
            case 4:
                try decodeSection(item: "a document") { (decoder: inout GraphDecoder) throws(StopReading) in
                    try decoder.decodeDocument()
                }
            case 5:
                try decodeSection(item: "a kind") { (decoder: inout GraphDecoder) throws(StopReading) in
                    try decoder.decodeKind()
                }
            case 6:
                try decodeSection(item: "a relation type") { (decoder: inout GraphDecoder) throws(StopReading) in
                    try decoder.decodeRelationType()
                }
            case 7:
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
            default:
                relationsStart = reader.pos
                try decodeSection(
                    item: "a relation", limit: (reader.limits.maximumRelations, "relations", "maximumRelations")
                ) { (decoder: inout GraphDecoder) throws(StopReading) in
                    try decoder.decodeRelation()
                }
            }
        }
    }

    private mutating func decodeFormatVersion() throws(StopReading) {
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
    private mutating func decodeSection(
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

    // MARK: Keys and ids

    /// Reports an unknown key (with the closest known one) and skips its value.
    private mutating func unknownKey(_ key: StringToken, in keys: [StaticString], of noun: String) throws(StopReading) {
        let name = reader.quietString(key)
        var suggestion = "custom data belongs in \"attributes\""
        if let phrase = Suggest.phrase(name, among: keys.map(\.description)) {
            suggestion = phrase
        }
        reader.report(.unknownKey, "unknown key '\(name)' in \(noun)", at: key.start - 1, suggestion: suggestion)
        try reader.skipValue()
    }

    private mutating func duplicateKey(_ key: StringToken, in noun: String) throws(StopReading) {
        reader.report(
            .duplicateKey, "key '\(reader.quietString(key))' appears twice in \(noun)", at: key.start - 1,
            suggestion: "keep one; only the first is read")
        try reader.skipValue()
    }

    /// The slot of a known key seen for the first time; unknown and repeated keys are reported
    /// and skipped (`nil`).
    @inline(__always)
    private mutating func slot(
        of key: StringToken, in keys: [StaticString], of noun: String, seen: inout UInt32
    )
        throws(StopReading) -> Int?
    {
        guard let slot = reader.match(key, in: keys) else {
            try unknownKey(key, in: keys, of: noun)
            return nil
        }
        guard seen & (1 << slot) == 0 else {
            try duplicateKey(key, in: noun)
            return nil
        }
        seen |= 1 << slot
        return slot
    }

    /// Reads an id and reports empty ids, control characters and (as a warning) unusual style.
    private mutating func readID(of noun: String, style: IDStyle) throws(StopReading) -> (String, Ref)? {
        guard let ref = try readRef() else { return nil }
        let id = text(of: ref)
        let offset = ref.offset
        if isBlank(id) {
            reader.report(.emptyValue, "the \(noun) id is empty", at: offset, suggestion: "give it a short, unique id")
        } else if let control = IDRules.firstControlCharacter(in: id) {
            reader.report(
                .controlCharacterInID, "the \(noun) id contains the control character \(control)", at: offset,
                suggestion: "remove it: an id may hold any other character, spaces included")
        } else if !style.accepts(id) {
            reader.report(
                .idStyle, "the \(noun) id '\(id)' is not in the recommended style", at: offset,
                severity: .warning, suggestion: "use \(style.explanation)")
        }
        return (id, ref)
    }

    /// Reads a required human-readable text (a name or label) and reports it when blank.
    private mutating func readText(_ field: String) throws(StopReading) -> String? {
        guard let text = try reader.readString(nullable: false) else { return nil }
        if isBlank(text) {
            reader.report(
                .emptyValue, "the \(field) is empty", at: reader.valueOffset,
                suggestion: "write the \(field), or leave the key out")
        }
        return text
    }

    /// Reads a string as a reference: raw bytes when they are the text, decoded otherwise. Reports
    /// encoding problems once, here.
    @inline(__always)
    private mutating func readRef() throws(StopReading) -> Ref? {
        guard let token = try reader.readStringToken(nullable: false) else { return nil }
        var ref = Ref(token: token, offset: reader.valueOffset, decoded: nil)
        if token.flags != 0 {
            let decoded = reader.makeString(token)
            if token.hasEscapes { ref.decoded = decoded }
        }
        return ref
    }

    private func text(of ref: Ref) -> String {
        if let decoded = ref.decoded { return decoded }
        return String(
            decoding: UnsafeBufferPointer(rebasing: reader.bytes[ref.token.start..<ref.token.end]),
            as: UTF8.self)
    }

    /// Looks a reference up in a map: its entry number (or `nil`) and its hash, for a later insert.
    @inline(__always)
    private func lookUp(_ ref: Ref, in map: ByteMap) -> (entry: Int?, hash: UInt64) {
        if var decoded = ref.decoded {
            return decoded.withUTF8 { bytes in
                // An empty string may have no storage: hash and find it through a pointer that lives
                // for the whole call (the old code let a pointer escape its closure).
                Self.withBase(bytes) { base in
                    let hash = ByteMap.hash(base, bytes.count)
                    return (map.find(base, bytes.count, hash: hash), hash)
                }
            }
        }
        let base = reader.bytes.baseAddress! + ref.token.start
        let hash = ByteMap.hash(base, ref.token.count)
        return (map.find(base, ref.token.count, hash: hash), hash)
    }

    /// Calls `body` with the buffer's base address, or, for an empty buffer without one, with the
    /// address of a byte that lives until `body` returns.
    @inline(__always)
    private static func withBase<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>) -> T) -> T {
        if let base = bytes.baseAddress { return body(base) }
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { body($0) }
    }

    /// Adds a reference's text to a map (after `lookUp` found it absent); returns its entry number.
    @discardableResult
    private func insert(_ ref: Ref, hash: UInt64, in map: ByteMap) -> Int {
        if var decoded = ref.decoded {
            return decoded.withUTF8 { bytes in
                Self.withBase(bytes) { base in map.insert(base, bytes.count, hash: hash) }
            }
        }
        return map.insert(reader.bytes.baseAddress! + ref.token.start, ref.token.count, hash: hash)
    }

    /// Empty or only whitespace (ASCII fast path).
    private func isBlank(_ text: String) -> Bool {
        for byte in text.utf8 {
            if byte >= 0x80 { return text.unicodeScalars.allSatisfy(\.properties.isWhitespace) }
            if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0B && byte != 0x0C {
                return false
            }
        }
        return true
    }

    private mutating func missing(_ field: String, in noun: String, at offset: Int, example: String) {
        reader.report(
            .missingField, "\(noun) has no \"\(field)\"", at: offset, suggestion: "add \"\(field)\": \(example)")
    }

    // MARK: References

    /// Reads a reference to a kind, relation type or document through its interner.
    private mutating func readReference(_ kind: ReferenceKind) throws(StopReading) -> String? {
        guard let token = try reader.readStringToken(nullable: false) else { return nil }
        let offset = reader.valueOffset
        let value: String
        var isKnown: Bool
        if token.hasEscapes {
            value = reader.makeString(token)
            isKnown = exists(kind, value)
        } else {
            if token.flags != 0 { _ = reader.makeString(token) }  // report invalid UTF-8
            let raw = UnsafeBufferPointer(rebasing: reader.bytes[token.start..<token.end])
            switch kind {
            case .kind:
                let index = kindNames.intern(raw)
                value = kindNames.strings[index]
                if !kindNames.known[index] { kindNames.known[index] = exists(kind, value) }
                isKnown = kindNames.known[index]
            case .relationType:
                let index = typeNames.intern(raw)
                value = typeNames.strings[index]
                if !typeNames.known[index] { typeNames.known[index] = exists(kind, value) }
                isKnown = typeNames.known[index]
            case .document:
                let index = documentNames.intern(raw)
                value = documentNames.strings[index]
                if !documentNames.known[index] { documentNames.known[index] = exists(kind, value) }
                isKnown = documentNames.known[index]
            }
        }
        if value.isEmpty {
            reader.report(.emptyValue, "the reference is empty", at: offset, suggestion: "name an existing id")
        } else if !isKnown {
            // It may still be declared later in the file: judged at the end.
            pendingReferences.append(
                PendingReference(kind: kind, value: value, offset: offset, path: reader.renderPath()))
        }
        return value
    }

    private func exists(_ kind: ReferenceKind, _ value: String) -> Bool {
        switch kind {
        case .kind: return graph.kind(KindID(value)) != nil
        case .relationType: return graph.relationType(RelationTypeID(value)) != nil
        case .document: return graph.documents[DocumentID(value)] != nil
        }
    }

    private mutating func readCitations() throws(StopReading) -> [Citation] {
        switch reader.kind(at: reader.pos) {
        case .array: break
        case .null:
            _ = try reader.parseValue()
            return []
        default:
            try reader.wrongType(
                expected: "an array of citations",
                suggestion: "write \"sources\": [{\"document\": \"…\", \"locator\": \"¶3\"}]")
            return []
        }
        var citations: [Citation] = []
        try reader.beginArray()
        var index = 0
        while try reader.nextElement(index) {
            index += 1
            guard reader.kind(at: reader.pos) == .object else {
                try reader.wrongType(
                    expected: "an object (a citation)",
                    suggestion: "write {\"document\": \"…\", \"locator\": \"¶3\"}")
                continue
            }
            let objectOffset = reader.pos
            try reader.beginObject()
            var document: String? = nil
            var locator: String? = nil
            var seen: UInt32 = 0
            var count = 0
            while let key = try reader.nextKey(&count) {
                guard let slot = try slot(of: key, in: Keys.citation, of: "a citation", seen: &seen) else { continue }
                if slot == 0 {
                    document = try readReference(.document)
                } else {
                    locator = try reader.readString()
                }
            }
            guard let document else {
                if seen & 1 == 0 {
                    missing("document", in: "the citation", at: objectOffset, example: "the id of a declared document")
                }
                continue
            }
            citations.append(Citation(document: DocumentID(document), locator: locator))
        }
        return citations
    }

    // MARK: Sections

    private mutating func decodeDocument() throws(StopReading) {
        let objectOffset = reader.pos
        try reader.beginObject()
        var id: String? = nil
        var idOffset = objectOffset
        var document = SourceDocument(id: "", title: "")
        var seen: UInt32 = 0
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let slot = try slot(of: key, in: Keys.document, of: "a document", seen: &seen) else { continue }
            switch slot {
            case 0:
                if let (text, ref) = try readID(of: "document", style: .slug) {
                    id = text
                    idOffset = ref.offset
                }
            case 1: document.title = try reader.readString() ?? ""
            case 2: document.publisher = try reader.readString()
            case 3: document.date = try readDate(field: "date")
            case 4:
                document.url = try reader.readString()
                if let url = document.url {
                    let lowered = url.lowercased()
                    if !(lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || lowered.hasPrefix("mailto:"))
                    {
                        reader.report(
                            .unlinkableURL, "the URL '\(url)' will not be linked", at: reader.valueOffset,
                            severity: .warning, suggestion: "renderers only link http, https and mailto URLs")
                    }
                }
            default: document.attributes = try reader.readAttributes()
            }
        }
        guard let id else {
            if seen & 1 == 0 { missing("id", in: "the document", at: objectOffset, example: "\"kyivpost-2025-01-06\"") }
            return
        }
        document.id = DocumentID(id)
        if let first = documentIDOffsets[id] {
            duplicateID("document", id, at: idOffset, first: first)
            return
        }
        documentIDOffsets[id] = idOffset
        try? graph.add(document)
    }

    private mutating func decodeKind() throws(StopReading) {
        let objectOffset = reader.pos
        try reader.beginObject()
        var id: String? = nil
        var idOffset = objectOffset
        var label: String? = nil
        var attributes: Attributes = [:]
        var seen: UInt32 = 0
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let slot = try slot(of: key, in: Keys.kind, of: "a kind", seen: &seen) else { continue }
            switch slot {
            case 0:
                if let (text, ref) = try readID(of: "kind", style: .lowerCamelCase) {
                    id = text
                    idOffset = ref.offset
                }
            case 1: label = try readText("label")
            default: attributes = try reader.readAttributes()
            }
        }
        guard let id else {
            if seen & 1 == 0 { missing("id", in: "the kind", at: objectOffset, example: "\"militaryUnit\"") }
            return
        }
        if Kind.builtIn.contains(where: { $0.id.rawValue == id }) {
            reader.report(
                .redeclaredBuiltIn, "kind '\(id)' is built in and cannot be declared again", at: idOffset,
                suggestion: "remove this declaration, or choose another id", path: reader.renderPath(appending: "id"))
            return
        }
        if let first = kindIDOffsets[id] {
            duplicateID("kind", id, at: idOffset, first: first)
            return
        }
        kindIDOffsets[id] = idOffset
        try? graph.declare(Kind(id: KindID(id), label: label ?? id, attributes: attributes))
    }

    private mutating func decodeRelationType() throws(StopReading) {
        let objectOffset = reader.pos
        try reader.beginObject()
        var id: String? = nil
        var idOffset = objectOffset
        var label: String? = nil
        var inverseLabel: String? = nil
        var symmetric = false
        var category = RelationCategory.other
        var attributes: Attributes = [:]
        var seen: UInt32 = 0
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let slot = try slot(of: key, in: Keys.relationType, of: "a relation type", seen: &seen) else {
                continue
            }
            switch slot {
            case 0:
                if let (text, ref) = try readID(of: "relation type", style: .lowerCamelCase) {
                    id = text
                    idOffset = ref.offset
                }
            case 1: label = try readText("label")
            case 2: inverseLabel = try readText("inverse label")
            case 3: symmetric = try reader.readBool() ?? false
            case 4:
                if let text = try reader.readString() {
                    if text.isEmpty {
                        reader.report(
                            .emptyValue, "the category is empty", at: reader.valueOffset,
                            suggestion:
                                "use one of political, military, economic, legal, communication, membership, geographic, event, personal, other"
                        )
                    }
                    category = RelationCategory(text)
                }
            default: attributes = try reader.readAttributes()
            }
        }
        guard let id else {
            if seen & 1 == 0 { missing("id", in: "the relation type", at: objectOffset, example: "\"apologizedTo\"") }
            return
        }
        if RelationType.builtIn.contains(where: { $0.id.rawValue == id }) {
            reader.report(
                .redeclaredBuiltIn, "relation type '\(id)' is built in and cannot be declared again",
                at: idOffset, suggestion: "remove this declaration, or choose another id",
                path: reader.renderPath(appending: "id"))
            return
        }
        if let first = typeIDOffsets[id] {
            duplicateID("relation type", id, at: idOffset, first: first)
            return
        }
        typeIDOffsets[id] = idOffset
        try? graph.declare(
            RelationType(
                id: RelationTypeID(id), label: label ?? id, inverseLabel: inverseLabel,
                symmetric: symmetric, category: category, attributes: attributes))
    }

    private mutating func decodeEntity() throws(StopReading) {
        let objectOffset = reader.pos
        try reader.beginObject()
        var idRef: Ref? = nil
        var entity = Entity(id: "", name: "", kind: "")
        var seen: UInt32 = 0
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let slot = try slot(of: key, in: Keys.entity, of: "an entity", seen: &seen) else { continue }
            switch slot {
            case 0:
                if let (id, ref) = try readID(of: "entity", style: .slug) {
                    entity.id = EntityID(id)
                    idRef = ref
                }
            case 1:
                let start = reader.pos
                entity.name = shared(try readText("name") ?? "", from: start)
            case 2: entity.kind = KindID(try readReference(.kind) ?? "")
            case 3:
                entity.aliases = try reader.readStringArray()
                if entity.aliases.contains(where: isBlank) {
                    reader.report(
                        .emptyValue, "an alias is empty", at: reader.valueOffset,
                        suggestion: "remove the empty alias")
                }
            case 4:
                let start = reader.pos
                if let text = try reader.readString() { entity.description = shared(text, from: start) }
            case 5:
                let start = reader.pos
                entity.attributes = shared(try reader.readAttributes(), from: start)
            default:
                let start = reader.pos
                entity.sources = shared(try readCitations(), from: start)
            }
        }
        if seen & 0b111 != 0b111 {
            if seen & 0b001 == 0 { missing("id", in: "the entity", at: objectOffset, example: "\"mozyr-refinery\"") }
            if seen & 0b010 == 0 {
                missing("name", in: "the entity", at: objectOffset, example: "\"Mozyr oil refinery\"")
            }
            if seen & 0b100 == 0 {
                missing(
                    "kind", in: "the entity", at: objectOffset,
                    example: "\"person\" (or state, organization, facility, place, event, or a declared kind)")
            }
        }
        guard let idRef else { return }
        let (existing, hash) = lookUp(idRef, in: entityMap)
        if let existing {
            duplicateID("entity", entity.id.rawValue, at: idRef.offset, first: entityIDOffsets[existing])
            return
        }
        insert(idRef, hash: hash, in: entityMap)
        entityIDs.append(entity.id)
        graph.appendUnchecked(entity)
        entityIDOffsets.append(idRef.offset)
    }

    private mutating func decodeRelation() throws(StopReading) {
        relationsRead += 1
        if relationsRead == 1024 { reserveForRelations() }
        let objectOffset = reader.pos
        try reader.beginObject()
        var refs = RelationRefs()
        var relation = Relation(id: "", type: "", source: "", target: "")
        var sinceOffset = 0
        var seen: UInt32 = 0
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let slot = try slot(of: key, in: Keys.relation, of: "a relation", seen: &seen) else { continue }
            switch slot {
            case 0:
                if let (id, ref) = try readID(of: "relation", style: .slug) {
                    relation.id = RelationID(id)
                    refs.id = ref
                }
            case 1:
                if let type = try readReference(.relationType) { relation.type = RelationTypeID(type) }
            case 2: refs.source = try readRef()
            case 3: refs.target = try readRef()
            case 4:
                relation.since = try readDate(field: "since")
                sinceOffset = reader.valueOffset
            case 5: relation.until = try readDate(field: "until")
            case 6: relation.certainty = try readCertainty()
            case 7:
                if reader.kind(at: reader.pos) == .null {
                    _ = try reader.parseValue()
                } else {
                    refs.asserter = try readRef()
                }
            case 8:
                let start = reader.pos
                relation.sources = shared(try readCitations(), from: start)
            default:
                let start = reader.pos
                relation.attributes = shared(try reader.readAttributes(), from: start)
            }
        }
        if seen & 0b1111 != 0b1111 {
            if seen & 0b0001 == 0 {
                missing("id", in: "the relation", at: objectOffset, example: "\"lukashenko-apologized-to-zelensky\"")
            }
            if seen & 0b0010 == 0 {
                missing(
                    "type", in: "the relation", at: objectOffset, example: "\"relatedTo\" (or another relation type)")
            }
            if seen & 0b0100 == 0 { missing("source", in: "the relation", at: objectOffset, example: "an entity id") }
            if seen & 0b1000 == 0 { missing("target", in: "the relation", at: objectOffset, example: "an entity id") }
        }
        if let since = relation.since, let until = relation.until, since.firstDay.ordinal > until.lastOrdinal {
            reader.report(
                .sinceAfterUntil, "since \(since) is after until \(until)", at: sinceOffset,
                suggestion: "swap them, or fix the dates", path: reader.renderPath(appending: "since"))
        }
        if refs.asserter == nil, relation.certainty == .claimed || relation.certainty == .alleged {
            reader.report(
                .missingAsserter,
                "\(relation.certainty == .alleged ? "an" : "a") \(relation.certainty.rawValue) relation does not say who \(relation.certainty == .claimed ? "claims" : "alleges") it",
                at: objectOffset, severity: .warning,
                suggestion: "add \"assertedBy\": the id of the entity making the claim")
        }
        if sawEntities {
            resolve(&relation, refs, path: nil)
        } else {
            pendingRelations.append((relation, refs, reader.renderPath()))
        }
    }

    /// Sizes the graph for all the relations, estimated from the bytes the first ones took, so the
    /// relation storage is allocated once instead of growing by doubling (which leaves the
    /// outgrown buffers behind as freed-but-resident memory).
    private mutating func reserveForRelations() {
        let used = reader.pos - relationsStart
        guard used > 0 else { return }
        let remaining = reader.bytes.count - reader.pos
        let expected = relationsRead + Int(Double(remaining) * Double(relationsRead) / Double(used) * 1.05)
        graph.reserveCapacity(entities: graph.entities.count, relations: expected)
        relationIDOffsets.reserve(expected)
    }

    /// Checks a relation's id and entity references and adds it to the graph when they hold.
    /// `path` is the relation's JSON path when it is no longer the reader's current one.
    private mutating func resolve(_ relation: inout Relation, _ refs: RelationRefs, path: String?) {
        func fieldPath(_ reader: DocumentReader, _ field: String) -> String {
            if let path { return path + "." + field }
            return reader.renderPath(appending: field)
        }
        var isDuplicate = false
        if let idRef = refs.id {
            let (existing, hash) = lookUp(idRef, in: relationMap)
            if let existing {
                duplicateID(
                    "relation", relation.id.rawValue, at: idRef.offset, first: relationIDOffsets[existing],
                    path: fieldPath(reader, "id"))
                isDuplicate = true
            } else {
                insert(idRef, hash: hash, in: relationMap)
                relationIDOffsets.append(idRef.offset)
            }
        }
        var complete = refs.source != nil && refs.target != nil && sawEntities
        if sawEntities {
            if let ref = refs.source {
                if let index = lookUp(ref, in: entityMap).entry {
                    relation.source = entityIDs[index]
                } else {
                    unknownEntity(text(of: ref), at: ref.offset, path: fieldPath(reader, "source"))
                    complete = false
                }
            }
            if let ref = refs.target {
                if let index = lookUp(ref, in: entityMap).entry {
                    relation.target = entityIDs[index]
                } else {
                    unknownEntity(text(of: ref), at: ref.offset, path: fieldPath(reader, "target"))
                    complete = false
                }
            }
            if let ref = refs.asserter {
                if let index = lookUp(ref, in: entityMap).entry {
                    relation.assertedBy = entityIDs[index]
                } else {
                    unknownEntity(text(of: ref), at: ref.offset, path: fieldPath(reader, "assertedBy"))
                    complete = false
                }
            }
        }
        if complete, refs.id != nil, !isDuplicate { graph.appendUnchecked(relation) }
    }

    private mutating func unknownEntity(_ id: String, at offset: Int, path: String) {
        if suggester == nil { suggester = EntitySuggester(graph: graph) }
        let suggestion = suggester!.suggestion(for: id)
        reader.report(
            .unknownEntity, "unknown entity '\(id)'", at: offset,
            suggestion: suggestion ?? "add an entity with this id to \"entities\", or fix the id",
            path: path)
    }

    private mutating func duplicateID(_ noun: String, _ id: String, at offset: Int, first: Int, path: String? = nil) {
        reader.report(
            .duplicateID, "\(noun) id '\(id)' is already used", at: offset,
            suggestion: "ids must be unique: rename one of them", path: path ?? reader.renderPath(appending: "id"))
        reader.issues[reader.issues.count - 1].relatedOffset = first
    }

    // MARK: Sharing

    /// Where in `map` the bytes from `start` to the reader's position are, and their hash; `nil`
    /// entry when new. Spans longer than 512 bytes are not shared (`hash` is then 0).
    @inline(__always)
    private func span(from start: Int, in map: ByteMap) -> (entry: Int?, hash: UInt64, count: Int) {
        let count = reader.pos - start
        guard count > 0, count <= 512 else { return (nil, 0, 0) }
        let base = reader.bytes.baseAddress! + start
        let hash = ByteMap.hash(base, count)
        return (map.find(base, count, hash: hash), hash, count)
    }

    private mutating func shared(_ citations: [Citation], from start: Int) -> [Citation] {
        guard !citations.isEmpty else { return citations }
        let (entry, hash, count) = span(from: start, in: citationSpans)
        if let entry { return citationValues[entry] }
        guard count > 0 else { return citations }
        citationSpans.insert(reader.bytes.baseAddress! + start, count, hash: hash)
        citationValues.append(citations)
        return citations
    }

    private mutating func shared(_ attributes: Attributes, from start: Int) -> Attributes {
        guard !attributes.isEmpty else { return attributes }
        let (entry, hash, count) = span(from: start, in: attributeSpans)
        if let entry { return attributeValues[entry] }
        guard count > 0 else { return attributes }
        attributeSpans.insert(reader.bytes.baseAddress! + start, count, hash: hash)
        attributeValues.append(attributes)
        return attributes
    }

    /// Texts of 16 bytes or more (shorter ones are stored inline in the `String` anyway).
    private mutating func shared(_ text: String, from start: Int) -> String {
        guard text.utf8.count > 15 else { return text }
        let (entry, hash, count) = span(from: start, in: textSpans)
        if let entry { return textValues[entry] }
        guard count > 0 else { return text }
        textSpans.insert(reader.bytes.baseAddress! + start, count, hash: hash)
        textValues.append(text)
        return text
    }

    // MARK: Values

    private mutating func readDate(field: String) throws(StopReading) -> PartialDate? {
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

    private mutating func readCertainty() throws(StopReading) -> Certainty {
        guard let token = try reader.readStringToken(nullable: true) else { return .confirmed }
        if let index = reader.match(token, in: Keys.certainties) { return Certainty.allCases[index] }
        let text = reader.makeString(token)
        let allowed = Certainty.allCases.map(\.rawValue)
        var suggestion = "use one of " + allowed.joined(separator: ", ")
        if let phrase = Suggest.phrase(text, among: allowed) { suggestion = phrase + " (" + suggestion + ")" }
        reader.report(.unknownCertainty, "unknown certainty '\(text)'", at: reader.valueOffset, suggestion: suggestion)
        return .confirmed
    }

    // MARK: End of document

    private mutating func finish() {
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
            if let phrase = Suggest.phrase(key.name, among: Keys.topLevel.map(\.description)) { suggestion = phrase }
            reader.report(
                .unknownKey, "unknown key '\(key.name)' in the document", at: key.offset,
                suggestion: suggestion, path: key.path)
        }
        for reference in pendingReferences where !exists(reference.kind, reference.value) {
            let code: ValidationIssue.Code
            let candidates: [String]
            let noun: String
            let fix: String
            switch reference.kind {
            case .kind:
                code = .unknownKind
                candidates = graph.kinds.map(\.id.rawValue)
                noun = "kind"
                fix = "declare it in \"kinds\", or use one of " + candidates.joined(separator: ", ")
            case .relationType:
                code = .unknownRelationType
                candidates = graph.relationTypes.map(\.id.rawValue)
                noun = "relation type"
                fix = "declare it in \"relationTypes\", or use a built-in type such as relatedTo"
            case .document:
                code = .unknownDocument
                candidates = graph.documents.keys.map(\.rawValue)
                noun = "document"
                fix = "declare it in \"documents\""
            }
            let suggestion = Suggest.phrase(reference.value, among: candidates) ?? fix
            reader.report(
                code, "unknown \(noun) '\(reference.value)'", at: reference.offset, suggestion: suggestion,
                path: reference.path)
        }
    }
}
