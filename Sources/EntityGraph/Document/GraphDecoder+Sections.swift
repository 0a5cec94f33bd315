import OrderedCollections

extension GraphDecoder {
    // MARK: Sections

    mutating func decodeDocument() throws(StopReading) {
        let objectOffset = reader.pos
        try reader.beginObject()
        var id: String? = nil
        var idOffset = objectOffset
        var document = SourceDocument(id: "", title: "")
        var seen = FieldSet<DocumentField>()
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let field = try field(of: key, of: "a document", seen: &seen) else { continue }
            switch field {
            case .id:
                if let (text, ref) = try readID(of: "document", style: .slug) {
                    id = text
                    idOffset = ref.offset
                }
            case .title: document.title = try reader.readString() ?? ""
            case .publisher: document.publisher = try reader.readString()
            case .date: document.date = try readDate(field: "date")
            case .url:
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
            case .attributes: document.attributes = try reader.readAttributes()
            }
        }
        guard let id else {
            if !seen.contains(.id) {
                missing("id", in: "the document", at: objectOffset, example: "\"kyivpost-2025-01-06\"")
            }
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

    mutating func decodeKind() throws(StopReading) {
        let objectOffset = reader.pos
        try reader.beginObject()
        var id: String? = nil
        var idOffset = objectOffset
        var label: String? = nil
        var attributes: Attributes = [:]
        var seen = FieldSet<KindField>()
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let field = try field(of: key, of: "a kind", seen: &seen) else { continue }
            switch field {
            case .id:
                if let (text, ref) = try readID(of: "kind", style: .lowerCamelCase) {
                    id = text
                    idOffset = ref.offset
                }
            case .label: label = try readText("label")
            case .attributes: attributes = try reader.readAttributes()
            }
        }
        guard let id else {
            if !seen.contains(.id) { missing("id", in: "the kind", at: objectOffset, example: "\"militaryUnit\"") }
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

    mutating func decodeRelationType() throws(StopReading) {
        let objectOffset = reader.pos
        try reader.beginObject()
        var id: String? = nil
        var idOffset = objectOffset
        var label: String? = nil
        var inverseLabel: String? = nil
        var symmetric = false
        var category = RelationCategory.other
        var attributes: Attributes = [:]
        var seen = FieldSet<RelationTypeField>()
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let field = try field(of: key, of: "a relation type", seen: &seen) else { continue }
            switch field {
            case .id:
                if let (text, ref) = try readID(of: "relation type", style: .lowerCamelCase) {
                    id = text
                    idOffset = ref.offset
                }
            case .label: label = try readText("label")
            case .inverseLabel: inverseLabel = try readText("inverse label")
            case .symmetric: symmetric = try reader.readBool() ?? false
            case .category:
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
            case .attributes: attributes = try reader.readAttributes()
            }
        }
        guard let id else {
            if !seen.contains(.id) {
                missing("id", in: "the relation type", at: objectOffset, example: "\"apologizedTo\"")
            }
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

    mutating func decodeEntity() throws(StopReading) {
        let objectOffset = reader.pos
        try reader.beginObject()
        var idRef: Ref? = nil
        var entity = Entity(id: "", name: "", kind: "")
        var seen = FieldSet<EntityField>()
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let field = try field(of: key, of: "an entity", seen: &seen) else { continue }
            switch field {
            case .id:
                if let (id, ref) = try readID(of: "entity", style: .slug) {
                    entity.id = EntityID(id)
                    idRef = ref
                }
            case .name:
                let start = reader.pos
                entity.name = shared(try readText("name") ?? "", from: start)
            case .kind: entity.kind = KindID(try readReference(.kind) ?? "")
            case .aliases:
                entity.aliases = try reader.readStringArray()
                if entity.aliases.contains(where: isBlank) {
                    reader.report(
                        .emptyValue, "an alias is empty", at: reader.valueOffset,
                        suggestion: "remove the empty alias")
                }
            case .description:
                let start = reader.pos
                if let text = try reader.readString() { entity.description = shared(text, from: start) }
            case .attributes:
                let start = reader.pos
                entity.attributes = shared(try reader.readAttributes(), from: start)
            case .sources:
                let start = reader.pos
                entity.sources = shared(try readCitations(), from: start)
            }
        }
        if !seen.contains(.id) { missing("id", in: "the entity", at: objectOffset, example: "\"mozyr-refinery\"") }
        if !seen.contains(.name) {
            missing("name", in: "the entity", at: objectOffset, example: "\"Mozyr oil refinery\"")
        }
        if !seen.contains(.kind) {
            missing(
                "kind", in: "the entity", at: objectOffset,
                example: "\"person\" (or state, organization, facility, place, event, or a declared kind)")
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

    mutating func decodeRelation() throws(StopReading) {
        relationsRead += 1
        if relationsRead == 1024 { reserveForRelations() }
        let objectOffset = reader.pos
        try reader.beginObject()
        var refs = RelationRefs()
        var relation = Relation(id: "", type: "", source: "", target: "")
        var sinceOffset = 0
        var seen = FieldSet<RelationField>()
        var count = 0
        while let key = try reader.nextKey(&count) {
            guard let field = try field(of: key, of: "a relation", seen: &seen) else { continue }
            switch field {
            case .id:
                if let (id, ref) = try readID(of: "relation", style: .slug) {
                    relation.id = RelationID(id)
                    refs.id = ref
                }
            case .type:
                if let type = try readReference(.relationType) { relation.type = RelationTypeID(type) }
            case .source: refs.source = try readRef()
            case .target: refs.target = try readRef()
            case .since:
                relation.since = try readDate(field: "since")
                sinceOffset = reader.valueOffset
            case .until: relation.until = try readDate(field: "until")
            case .certainty: relation.certainty = try readCertainty()
            case .assertedBy:
                if reader.kind(at: reader.pos) == .null {
                    _ = try reader.parseValue()
                } else {
                    refs.asserter = try readRef()
                }
            case .sources:
                let start = reader.pos
                relation.sources = shared(try readCitations(), from: start)
            case .attributes:
                let start = reader.pos
                relation.attributes = shared(try reader.readAttributes(), from: start)
            }
        }
        if !seen.contains(.id) {
            missing("id", in: "the relation", at: objectOffset, example: "\"lukashenko-apologized-to-zelensky\"")
        }
        if !seen.contains(.type) {
            missing(
                "type", in: "the relation", at: objectOffset, example: "\"relatedTo\" (or another relation type)")
        }
        if !seen.contains(.source) { missing("source", in: "the relation", at: objectOffset, example: "an entity id") }
        if !seen.contains(.target) { missing("target", in: "the relation", at: objectOffset, example: "an entity id") }
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
    mutating func reserveForRelations() {
        let used = reader.pos - relationsStart
        guard used > 0 else { return }
        let remaining = reader.bytes.count - reader.pos
        let expected = relationsRead + Int(Double(remaining) * Double(relationsRead) / Double(used) * 1.05)
        graph.reserveCapacity(entities: graph.entities.count, relations: expected)
        relationIDOffsets.reserve(expected)
    }

    /// Checks a relation's id and entity references and adds it to the graph when they hold.
    /// `path` is the relation's JSON path when it is no longer the reader's current one.
    mutating func resolve(_ relation: inout Relation, _ refs: RelationRefs, path: String?) {
        func fieldPath(_ reader: JSONScanner, _ field: String) -> String {
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

    mutating func unknownEntity(_ id: String, at offset: Int, path: String) {
        if suggester == nil { suggester = EntitySuggester(graph: graph) }
        let suggestion = suggester!.suggestion(for: id)
        reader.report(
            .unknownEntity, "unknown entity '\(id)'", at: offset,
            suggestion: suggestion ?? "add an entity with this id to \"entities\", or fix the id",
            path: path)
    }

    mutating func duplicateID(_ noun: String, _ id: String, at offset: Int, first: Int, path: String? = nil) {
        reader.report(
            .duplicateID, "\(noun) id '\(id)' is already used", at: offset,
            suggestion: "ids must be unique: rename one of them", path: path ?? reader.renderPath(appending: "id"))
        reader.issues[reader.issues.count - 1].relatedOffset = first
    }
}
