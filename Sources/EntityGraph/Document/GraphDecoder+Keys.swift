import OrderedCollections

extension GraphDecoder {
    // MARK: Keys and ids

    /// Reports an unknown key (with the closest known one) and skips its value.
    mutating func unknownKey(_ key: StringToken, in keys: [StaticString], of noun: String) throws(StopReading) {
        let name = reader.quietString(key)
        var suggestion = "custom data belongs in \"attributes\""
        if let phrase = Suggest.phrase(name, among: keys.map(\.description)) {
            suggestion = phrase
        }
        reader.report(.unknownKey, "unknown key '\(name)' in \(noun)", at: key.start - 1, suggestion: suggestion)
        try reader.skipValue()
    }

    mutating func duplicateKey(_ key: StringToken, in noun: String) throws(StopReading) {
        reader.report(
            .duplicateKey, "key '\(reader.quietString(key))' appears twice in \(noun)", at: key.start - 1,
            suggestion: "keep one; only the first is read")
        try reader.skipValue()
    }

    /// The field a known key names, the first time it is seen; unknown and repeated keys are
    /// reported and skipped (`nil`).
    @inline(__always)
    mutating func field<Field: FormatField>(
        of key: StringToken, of noun: String, seen: inout FieldSet<Field>
    )
        throws(StopReading) -> Field?
    {
        guard let index = reader.match(key, in: Field.keys) else {
            try unknownKey(key, in: Field.keys, of: noun)
            return nil
        }
        let field = Field.allCases[index]
        guard seen.insert(field) else {
            try duplicateKey(key, in: noun)
            return nil
        }
        return field
    }

    /// Reads an id and reports empty ids, control characters and (as a warning) unusual style.
    mutating func readID(of noun: String, style: IDStyle) throws(StopReading) -> (String, Ref)? {
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
    mutating func readText(_ field: String) throws(StopReading) -> String? {
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
    mutating func readRef() throws(StopReading) -> Ref? {
        guard let token = try reader.readStringToken(nullable: false) else { return nil }
        var ref = Ref(token: token, offset: reader.valueOffset, decoded: nil)
        if token.flags != 0 {
            let decoded = reader.makeString(token)
            if token.hasEscapes { ref.decoded = decoded }
        }
        return ref
    }

    func text(of ref: Ref) -> String {
        if let decoded = ref.decoded { return decoded }
        return String(
            decoding: UnsafeBufferPointer(rebasing: reader.bytes[ref.token.start..<ref.token.end]),
            as: UTF8.self)
    }

    /// Looks a reference up in a map: its entry number (or `nil`) and its hash, for a later insert.
    @inline(__always)
    func lookUp(_ ref: Ref, in map: ByteMap) -> (entry: Int?, hash: UInt64) {
        if var decoded = ref.decoded {
            return decoded.withUTF8 { bytes in
                // An empty string may have no storage: hash and find it through a pointer that lives
                // for the whole call.
                ByteMap.withBase(bytes) { base in
                    let hash = ByteMap.hash(base, bytes.count)
                    return (map.find(base, bytes.count, hash: hash), hash)
                }
            }
        }
        let base = reader.bytes.baseAddress! + ref.token.start
        let hash = ByteMap.hash(base, ref.token.count)
        return (map.find(base, ref.token.count, hash: hash), hash)
    }

    /// Adds a reference's text to a map (after `lookUp` found it absent); returns its entry number.
    @discardableResult
    func insert(_ ref: Ref, hash: UInt64, in map: ByteMap) -> Int {
        if var decoded = ref.decoded {
            return decoded.withUTF8 { bytes in
                ByteMap.withBase(bytes) { base in map.insert(base, bytes.count, hash: hash) }
            }
        }
        return map.insert(reader.bytes.baseAddress! + ref.token.start, ref.token.count, hash: hash)
    }

    /// Empty or only whitespace (ASCII fast path).
    func isBlank(_ text: String) -> Bool {
        for byte in text.utf8 {
            if byte >= 0x80 { return text.unicodeScalars.allSatisfy(\.properties.isWhitespace) }
            if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0B && byte != 0x0C {
                return false
            }
        }
        return true
    }

    mutating func missing(_ field: String, in noun: String, at offset: Int, example: String) {
        reader.report(
            .missingField, "\(noun) has no \"\(field)\"", at: offset, suggestion: "add \"\(field)\": \(example)")
    }

    // MARK: References

    /// Reads a reference to a kind, relation type or document through its interner.
    mutating func readReference(_ kind: ReferenceKind) throws(StopReading) -> String? {
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

    func exists(_ kind: ReferenceKind, _ value: String) -> Bool {
        switch kind {
        case .kind: return graph.kind(KindID(value)) != nil
        case .relationType: return graph.relationType(RelationTypeID(value)) != nil
        case .document: return graph.documents[DocumentID(value)] != nil
        }
    }

    mutating func readCitations() throws(StopReading) -> [Citation] {
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
            var seen = FieldSet<CitationField>()
            var count = 0
            while let key = try reader.nextKey(&count) {
                guard let field = try field(of: key, of: "a citation", seen: &seen) else { continue }
                switch field {
                case .document: document = try readReference(.document)
                case .locator: locator = try reader.readString()
                }
            }
            guard let document else {
                if !seen.contains(.document) {
                    missing("document", in: "the citation", at: objectOffset, example: "the id of a declared document")
                }
                continue
            }
            citations.append(Citation(document: DocumentID(document), locator: locator))
        }
        return citations
    }
}
