/// Serializes a ``Graph`` as an EntityGraph document: deterministic, pretty-printed with two-space
/// indentation, keys in the documented order, empty optional arrays and objects and `nil` fields
/// left out, one trailing newline.
///
/// Strings: `"` and `\` are escaped, `\n` `\r` `\t` use their short escapes, other control
/// characters become `\u00XX`, U+2028 and U+2029 become `\u2028` and `\u2029` (they end lines in
/// JavaScript); everything else, including non-ASCII text, is written as UTF-8.
/// Numbers: integers as integers; doubles in the shortest form that reads back to the same value
/// (a non-finite double, which only code can create, is written as `null`).
struct DocumentWriter {
    private(set) var output: [UInt8] = []
    private var indent = 0
    private var isFirst: [Bool] = []

    init(capacity: Int = 0) {
        output.reserveCapacity(capacity)
    }

    // MARK: Graph

    mutating func write(_ graph: Graph) {
        beginObject()
        key("formatVersion")
        integer(Int64(GraphDocument.formatVersion))
        optionalString("title", graph.title)
        optionalString("description", graph.description)
        attributes(graph.attributes)
        if !graph.documents.isEmpty {
            key("documents")
            beginArray()
            for document in graph.documents.values {
                element()
                write(document)
            }
            endArray()
        }
        if !graph.declaredKinds.isEmpty {
            key("kinds")
            beginArray()
            for kind in graph.declaredKinds.values {
                element()
                write(kind)
            }
            endArray()
        }
        if !graph.declaredRelationTypes.isEmpty {
            key("relationTypes")
            beginArray()
            for type in graph.declaredRelationTypes.values {
                element()
                write(type)
            }
            endArray()
        }
        key("entities")
        beginArray()
        for entity in graph.entities.values {
            element()
            write(entity)
        }
        endArray()
        if !graph.relations.isEmpty {
            key("relations")
            beginArray()
            for relation in graph.relations.values {
                element()
                write(relation)
            }
            endArray()
        }
        endObject()
        output.append(0x0A)
    }

    private mutating func write(_ document: SourceDocument) {
        beginObject()
        key("id")
        string(document.id.rawValue)
        if !document.title.isEmpty { optionalString("title", document.title) }
        optionalString("publisher", document.publisher)
        optionalString("date", document.date?.description)
        optionalString("url", document.url)
        attributes(document.attributes)
        endObject()
    }

    private mutating func write(_ kind: Kind) {
        beginObject()
        key("id")
        string(kind.id.rawValue)
        key("label")
        string(kind.label)
        attributes(kind.attributes)
        endObject()
    }

    private mutating func write(_ type: RelationType) {
        beginObject()
        key("id")
        string(type.id.rawValue)
        key("label")
        string(type.label)
        if type.inverseLabel != type.label { optionalString("inverseLabel", type.inverseLabel) }
        key("symmetric")
        raw(type.symmetric ? "true" : "false")
        key("category")
        string(type.category.rawValue)
        attributes(type.attributes)
        endObject()
    }

    private mutating func write(_ entity: Entity) {
        beginObject()
        key("id")
        string(entity.id.rawValue)
        key("name")
        string(entity.name)
        key("kind")
        string(entity.kind.rawValue)
        if !entity.aliases.isEmpty {
            key("aliases")
            beginArray()
            for alias in entity.aliases {
                element()
                string(alias)
            }
            endArray()
        }
        optionalString("description", entity.description)
        attributes(entity.attributes)
        citations(entity.sources)
        endObject()
    }

    private mutating func write(_ relation: Relation) {
        beginObject()
        key("id")
        string(relation.id.rawValue)
        key("type")
        string(relation.type.rawValue)
        key("source")
        string(relation.source.rawValue)
        key("target")
        string(relation.target.rawValue)
        optionalString("since", relation.since?.description)
        optionalString("until", relation.until?.description)
        key("certainty")
        string(relation.certainty.rawValue)
        optionalString("assertedBy", relation.assertedBy?.rawValue)
        citations(relation.sources)
        attributes(relation.attributes)
        endObject()
    }

    private mutating func citations(_ citations: [Citation]) {
        guard !citations.isEmpty else { return }
        key("sources")
        beginArray()
        for citation in citations {
            element()
            beginObject()
            key("document")
            string(citation.document.rawValue)
            optionalString("locator", citation.locator)
            endObject()
        }
        endArray()
    }

    private mutating func attributes(_ attributes: Attributes) {
        guard !attributes.isEmpty else { return }
        key("attributes")
        object(attributes)
    }

    private mutating func optionalString(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    // MARK: JSON values

    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): raw(flag ? "true" : "false")
        case .integer(let number): integer(number)
        case .double(let number):
            if number.isFinite {
                output.append(contentsOf: number.description.utf8)
            } else {
                raw("null")
            }
        case .string(let text): string(text)
        case .array(let values):
            beginArray()
            for item in values {
                element()
                self.value(item)
            }
            endArray()
        case .object(let members): object(members)
        }
    }

    private mutating func object(_ members: Attributes) {
        beginObject()
        for (name, item) in members {
            key(name)
            value(item)
        }
        endObject()
    }

    private mutating func integer(_ number: Int64) {
        output.append(contentsOf: String(number).utf8)
    }

    // MARK: Layout

    private mutating func raw(_ text: StaticString) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func newline() {
        output.append(0x0A)
        for _ in 0..<indent {
            output.append(0x20)
            output.append(0x20)
        }
    }

    private mutating func beginObject() {
        output.append(0x7B)
        indent += 1
        isFirst.append(true)
    }

    private mutating func endObject() {
        indent -= 1
        if !isFirst.removeLast() { newline() }
        output.append(0x7D)
    }

    private mutating func beginArray() {
        output.append(0x5B)
        indent += 1
        isFirst.append(true)
    }

    private mutating func endArray() {
        indent -= 1
        if !isFirst.removeLast() { newline() }
        output.append(0x5D)
    }

    /// Starts the next element of the current array.
    private mutating func element() {
        if isFirst[isFirst.count - 1] {
            isFirst[isFirst.count - 1] = false
        } else {
            output.append(0x2C)
        }
        newline()
    }

    private mutating func key(_ name: StaticString) {
        element()
        output.append(0x22)
        output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        output.append(0x22)
        output.append(0x3A)
        output.append(0x20)
    }

    private mutating func key(_ name: String) {
        element()
        string(name)
        output.append(0x3A)
        output.append(0x20)
    }

    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            output.append(0x22)
            var runStart = 0
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                let needsEscape: Bool
                if byte < 0x20 || byte == 0x22 || byte == 0x5C {
                    needsEscape = true
                } else if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80,
                    bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
                {
                    needsEscape = true
                } else {
                    needsEscape = false
                }
                guard needsEscape else {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                switch byte {
                case 0x22: output.append(contentsOf: [0x5C, 0x22])
                case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: output.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: output.append(contentsOf: [0x5C, 0x72])
                case 0x09: output.append(contentsOf: [0x5C, 0x74])
                case 0xE2:
                    output.append(contentsOf: Array("\\u202".utf8))
                    output.append(bytes[index + 2] == 0xA8 ? 0x38 : 0x39)
                    index += 2
                default:
                    output.append(contentsOf: Array("\\u00".utf8))
                    let digits: [UInt8] = Array("0123456789abcdef".utf8)
                    output.append(digits[Int(byte >> 4)])
                    output.append(digits[Int(byte & 0xF)])
                }
                index += 1
                runStart = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
            output.append(0x22)
        }
    }
}
