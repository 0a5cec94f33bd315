/// One of a graph's two vocabularies: its kinds or its relation types.
public enum Vocabulary: Sendable, Hashable, CustomStringConvertible {
    /// Kinds of entity (``Kind``), built in and declared.
    case kinds
    /// Relation types (``RelationType``), built in and declared.
    case relationTypes

    /// The singular noun for an entry: `kind` or `relation type`.
    public var description: String {
        switch self {
        case .kinds: return "kind"
        case .relationTypes: return "relation type"
        }
    }
}

/// A kind or relation type as a resolution names it: its id and label.
public struct VocabularyEntry: Sendable, Hashable {
    /// The id (``KindID`` or ``RelationTypeID`` raw value).
    public var id: String
    /// The label, as the graph has it.
    public var label: String

    /// Creates an entry.
    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }
}

/// Why ``Graph/resolveKind(_:)`` or ``Graph/resolveRelationType(_:)`` found no single entry for the
/// text a user typed.
public enum VocabularyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No id or label matches. `suggestions` are the closest entries (``Suggest``'s threshold), best
    /// first, possibly none; `known` is every entry, built-in first.
    case unknown(Vocabulary, String, suggestions: [VocabularyEntry], known: [VocabularyEntry])
    /// The text matches several entries — two labels (or an id and a label) that fold the same, such
    /// as a declared `ally` labelled "Allied With" and the built-in `alliedWith` ("allied with").
    /// The candidates are in vocabulary order, built-in first; an id picks one.
    case ambiguous(Vocabulary, String, candidates: [VocabularyEntry])

    /// One line: `unknown relation type 'crushd'`, `'allied with' could mean 2 relation types`.
    public var description: String {
        switch self {
        case .unknown(let vocabulary, let text, _, _):
            return "unknown \(vocabulary) '\(text)'"
        case .ambiguous(let vocabulary, let text, let candidates):
            return "'\(text)' could mean \(pluralize(candidates.count, vocabulary.description))"
        }
    }
}

extension Graph {
    /// The relation type a user typed: an id exactly (`memberOf`); else the one type whose id or
    /// label equals the text after ``Suggest/fold(_:)`` — case, diacritics, dashes, underscores and
    /// spacing ignored (`member of`, `MEMBEROF`, `Member-Of`). Every spelling the CSV reader matches
    /// in a type cell (id or label, case ignored) resolves here too, so a type a sheet named by its
    /// label can be filtered by that label.
    ///
    /// ```swift
    /// let type = try graph.resolveRelationType("Crushed")   // suppressed (declared, label "crushed")
    /// let filter = QueryFilter(relationTypes: [type])
    /// ```
    ///
    /// - Throws: ``VocabularyError/unknown(_:_:suggestions:known:)`` with ranked suggestions when
    ///   nothing matches, ``VocabularyError/ambiguous(_:_:candidates:)`` when several types match.
    /// - Complexity: O(1) expected for an exact id; otherwise O(types × length) to fold every id and
    ///   label, and for suggestions O(types × length²).
    public func resolveRelationType(_ text: String) throws(VocabularyError) -> RelationTypeID {
        if relationType(RelationTypeID(text)) != nil { return RelationTypeID(text) }
        let entries = relationTypes.map { VocabularyEntry(id: $0.id.rawValue, label: $0.label) }
        return RelationTypeID(try Graph.resolve(text, among: entries, in: .relationTypes))
    }

    /// The kind a user typed: an id exactly (`person`); else the one kind whose id or label equals
    /// the text after ``Suggest/fold(_:)`` (`Person`, `MILITARY UNIT`), as for
    /// ``resolveRelationType(_:)``.
    ///
    /// - Throws: ``VocabularyError/unknown(_:_:suggestions:known:)`` or
    ///   ``VocabularyError/ambiguous(_:_:candidates:)``.
    /// - Complexity: O(1) expected for an exact id; otherwise O(kinds × length), and for suggestions
    ///   O(kinds × length²).
    public func resolveKind(_ text: String) throws(VocabularyError) -> KindID {
        if kind(KindID(text)) != nil { return KindID(text) }
        let entries = kinds.map { VocabularyEntry(id: $0.id.rawValue, label: $0.label) }
        return KindID(try Graph.resolve(text, among: entries, in: .kinds))
    }

    /// The id of the one entry whose folded id or label is the folded `text`.
    private static func resolve(
        _ text: String, among entries: [VocabularyEntry], in vocabulary: Vocabulary
    ) throws(VocabularyError) -> String {
        let folded = Suggest.fold(text)
        let matches =
            folded.isEmpty ? [] : entries.filter { Suggest.fold($0.id) == folded || Suggest.fold($0.label) == folded }
        if matches.count == 1 { return matches[0].id }
        if matches.count > 1 { throw .ambiguous(vocabulary, text, candidates: matches) }
        // Rank ids and labels together; an entry is suggested once, where its better spelling ranks.
        let spellings = entries.indices.flatMap { [(entries[$0].id, $0), (entries[$0].label, $0)] }
        var seen = Set<Int>()
        let suggestions = Suggest.ranked(text, in: spellings.map(\.0), limit: spellings.count)
            .compactMap { spelling in spellings.first { $0.0 == spelling }?.1 }
            .filter { seen.insert($0).inserted }
            .prefix(3)
            .map { entries[$0] }
        throw .unknown(vocabulary, text, suggestions: Array(suggestions), known: entries)
    }
}
