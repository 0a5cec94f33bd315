import EntityGraph

// How entities and relations read in command output. Presentation only: every fact comes from the
// graph as the library returns it.

extension Graph {
    /// The entity's display name, or its id when it is missing.
    func name(of id: EntityID) -> String {
        entities[id]?.name ?? id.rawValue
    }

    /// The relation type's label (`allied with`), or the type id when the type is unknown.
    func label(of relation: Relation) -> String {
        relationType(relation.type)?.label ?? relation.type.rawValue
    }

    /// True when the relation's type reads the same both ways.
    func isSymmetric(_ relation: Relation) -> Bool {
        relationType(relation.type)?.symmetric ?? false
    }
}

enum Describe {
    /// `2022-10-19`, `since 2022-10`, `until 2022-10`, `2023-03 – 2023-05`, or empty when undated.
    static func dates(_ relation: Relation) -> String {
        switch (relation.since, relation.until) {
        case (nil, nil): return ""
        case (let since?, nil): return "since \(since)"
        case (nil, let until?): return "until \(until)"
        case (let since?, let until?): return since == until ? "\(since)" : "\(since) – \(until)"
        }
    }

    /// `→` when the relation leads away from the entity it is seen from, `←` when it leads to it,
    /// `—` when its type is symmetric.
    static func arrow(_ traversal: Traversal, symmetric: Bool) -> String {
        if symmetric { return "—" }
        return traversal == .forward ? "→" : "←"
    }

    /// `out` or `in`, as in `--direction`.
    static func direction(_ traversal: Traversal) -> String {
        traversal == .forward ? "out" : "in"
    }

    /// One hop of a path: ` —[leads]→ `, ` ←[leads]— ` or ` —[allied with]— `.
    static func hop(_ label: String, _ traversal: Traversal, symmetric: Bool) -> String {
        if symmetric { return " —[\(label)]— " }
        return traversal == .forward ? " —[\(label)]→ " : " ←[\(label)]— "
    }
}

/// A relation as the `--json` outputs show it. Absent values are written as `null`, so every
/// object has every key.
struct RelationJSON: Encodable {
    var id: String
    var type: String
    var label: String
    /// `out` when the entity the relation is seen from is its source, `in` when it is its target.
    var direction: String
    var since: String?
    var until: String?
    var certainty: String
    var assertedBy: String?

    init(_ relation: Relation, traversal: Traversal, in graph: Graph) {
        id = relation.id.rawValue
        type = relation.type.rawValue
        label = graph.label(of: relation)
        direction = Describe.direction(traversal)
        since = relation.since?.description
        until = relation.until?.description
        certainty = relation.certainty.rawValue
        assertedBy = relation.assertedBy?.rawValue
    }

    enum CodingKeys: String, CodingKey {
        case id, type, label, direction, since, until, certainty, assertedBy
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(label, forKey: .label)
        try container.encode(direction, forKey: .direction)
        try container.encode(since, forKey: .since)
        try container.encode(until, forKey: .until)
        try container.encode(certainty, forKey: .certainty)
        try container.encode(assertedBy, forKey: .assertedBy)
    }
}
