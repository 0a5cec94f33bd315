import Foundation

/// Finds entities by id, name or alias, ignoring case, diacritics and spacing.
///
/// Build one from a graph in O(total length of ids, names and aliases) and keep it as long as the
/// graph does not change (the index is a snapshot: it does not see entities added later).
/// ``Graph/lookup(_:suggestionLimit:)`` builds one per call for one-off lookups.
///
/// Text is compared after ``normalize(_:)``: `"volodya"` finds the alias `Volodya`,
/// `"chisinau"` the name `Chișinău`, `"LUKASHENKO"` the id `lukashenko`.
public struct LookupIndex: Sendable {
    /// Where a key of the index comes from.
    internal enum Field: Sendable { case id, name, alias }

    /// One searchable text of one entity.
    internal struct Entry: Sendable {
        var key: String
        var scalars: [Unicode.Scalar]
        var text: String
        var entity: Int32
        var field: Field
    }

    internal var ids: [EntityID]
    internal var names: [String]
    internal var rawIDs: [EntityID: Int32]
    internal var exact: [String: [Int32]]
    internal var entries: [Entry]

    /// Indexes the ids, names and aliases of every entity of `graph`.
    ///
    /// - Complexity: O(n) in the total length of the indexed texts.
    public init(_ graph: Graph) {
        ids = Array(graph.entities.keys)
        names = graph.entities.values.map(\.name)
        rawIDs = [:]
        exact = [:]
        entries = []
        rawIDs.reserveCapacity(ids.count)
        for (position, entity) in graph.entities.values.enumerated() {
            let index = Int32(position)
            rawIDs[entity.id] = index
            add(entity.id.rawValue, entity: index, field: .id)
            add(entity.name, entity: index, field: .name)
            for alias in entity.aliases { add(alias, entity: index, field: .alias) }
        }
    }

    private mutating func add(_ text: String, entity: Int32, field: Field) {
        let key = LookupIndex.normalize(text)
        guard !key.isEmpty else { return }
        if exact[key]?.last != entity { exact[key, default: []].append(entity) }
        entries.append(Entry(key: key, scalars: Array(key.unicodeScalars), text: text, entity: entity, field: field))
    }

    /// The letters ``normalize(_:)`` makes plain: ``Suggest/baseLetters``.
    public static var baseLetters: [Unicode.Scalar: String] { Suggest.baseLetters }

    /// The form texts are compared in: ``Suggest/fold(_:)``, the package's one text fold.
    /// `"  Chișinău "` → `"chisinau"`, `"Belarus–Ukraine border"` → `"belarus ukraine border"`.
    ///
    /// - Complexity: O(length of `text`).
    public static func normalize(_ text: String) -> String { Suggest.fold(text) }

    /// Looks an entity up by id, name or alias.
    ///
    /// 1. An exact id (as written) wins.
    /// 2. Otherwise the normalized text is compared with every normalized id, name and alias. One
    ///    entity matching gives ``LookupResult/found(_:)``; several give ``LookupResult/ambiguous(_:)``
    ///    (in insertion order) unless exactly one of them matches by id, which then wins.
    /// 3. Otherwise the result is ``LookupResult/notFound(suggestions:)``, ranked by how well the
    ///    best text of each entity matches: the query as a prefix of the text or of one of its
    ///    words, then as a substring, then by edit distance (``Suggest``'s distance and threshold);
    ///    ties go to the text with fewer extra characters, then to insertion order.
    ///
    /// - Parameters:
    ///   - query: An id, name or alias, in any case, with or without diacritics.
    ///   - suggestionLimit: The most candidates a ``LookupResult/notFound(suggestions:)`` lists.
    /// - Complexity: O(1) expected for a match (plus the query's length); a miss compares the query
    ///   with every indexed text: O(n × q × w) for n texts of up to w characters and a query of q.
    public func lookup(_ query: String, suggestionLimit: Int = 5) -> LookupResult {
        if let index = rawIDs[EntityID(query)] { return .found(ids[Int(index)]) }
        let key = LookupIndex.normalize(query)
        guard !key.isEmpty else { return .notFound(suggestions: []) }
        if let matches = exact[key] {
            var unique: [Int32] = []
            for entity in matches where !unique.contains(entity) { unique.append(entity) }
            unique.sort()
            if unique.count == 1 { return .found(ids[Int(unique[0])]) }
            let byID = entries.filter { $0.field == .id && $0.key == key }.map(\.entity)
            if Set(byID).count == 1 { return .found(ids[Int(byID[0])]) }
            return .ambiguous(
                unique.map { entity in
                    let entry = entries.first { $0.entity == entity && $0.key == key }!
                    return candidate(entry, .exact)
                })
        }
        return .notFound(suggestions: suggestions(for: key, limit: suggestionLimit))
    }

    private func candidate(_ entry: Entry, _ match: LookupCandidate.Match) -> LookupCandidate {
        LookupCandidate(
            entity: ids[Int(entry.entity)], name: names[Int(entry.entity)],
            matchedText: entry.text, match: match)
    }

    /// True when `needle` appears in `haystack`. O(n × m) for the short texts of an index.
    private static func contains(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0] && haystack[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }

    private func suggestions(for key: String, limit: Int) -> [LookupCandidate] {
        guard limit > 0 else { return [] }
        let query = Array(key.unicodeScalars)
        let maxDistance = Suggest.threshold(forLength: query.count)
        // Best (match, extra characters, entry) per entity.
        var best: [Int32: (match: LookupCandidate.Match, extra: Int, entry: Int)] = [:]
        for (position, entry) in entries.enumerated() {
            let match: LookupCandidate.Match
            // Compared as Unicode scalars, as the fold leaves them: String's own `contains` trapped
            // ("String index is out of bounds") on some texts with NULs and broken UTF-8 on Linux.
            let words = entry.scalars.split(separator: " ", omittingEmptySubsequences: true)
            if entry.scalars.starts(with: query) || words.contains(where: { $0.starts(with: query) }) {
                match = .prefix
            } else if Self.contains(entry.scalars, query) {
                match = .substring
            } else {
                var distance = Suggest.distance(query, entry.scalars, limit: maxDistance)
                if words.count > 1 {
                    for word in words {
                        distance = min(distance, Suggest.distance(query, Array(word), limit: maxDistance))
                    }
                }
                guard distance <= maxDistance else { continue }
                match = .similar(distance: distance)
            }
            let extra = abs(entry.scalars.count - query.count)
            if let current = best[entry.entity],
                (current.match, current.extra) <= (match, extra)
            {
                continue
            }
            best[entry.entity] = (match, extra, position)
        }
        let ranked = best.sorted { lhs, rhs in
            (lhs.value.match, lhs.value.extra, lhs.key) < (rhs.value.match, rhs.value.extra, rhs.key)
        }
        return ranked.prefix(limit).map { candidate(entries[$0.value.entry], $0.value.match) }
    }
}

/// The outcome of ``LookupIndex/lookup(_:suggestionLimit:)``.
public enum LookupResult: Sendable, Hashable {
    /// Exactly one entity matches.
    case found(EntityID)
    /// Several entities match exactly; the candidates are in insertion order.
    case ambiguous([LookupCandidate])
    /// No entity matches exactly; the suggestions are ranked best first (possibly empty).
    case notFound(suggestions: [LookupCandidate])

    /// The entity found, or `nil` when the lookup was ambiguous or failed.
    public var entity: EntityID? {
        if case .found(let id) = self { return id }
        return nil
    }
}

/// An entity a lookup could mean, with how its text matched.
public struct LookupCandidate: Sendable, Hashable {
    /// How a candidate's text matched the query, best first (`Comparable` in that order).
    public enum Match: Sendable, Hashable, Comparable {
        /// The normalized texts are equal.
        case exact
        /// The query begins the text or one of its words.
        case prefix
        /// The query appears inside the text.
        case substring
        /// The query is `distance` edits (insertions, deletions, substitutions, adjacent
        /// transpositions) from the text or one of its words.
        case similar(distance: Int)
    }

    /// The candidate entity.
    public var entity: EntityID
    /// Its display name.
    public var name: String
    /// The id, name or alias that matched, as written in the graph.
    public var matchedText: String
    /// How it matched.
    public var match: Match

    /// Creates a candidate.
    public init(entity: EntityID, name: String, matchedText: String, match: Match) {
        self.entity = entity
        self.name = name
        self.matchedText = matchedText
        self.match = match
    }
}

extension Graph {
    /// Looks an entity up by id, name or alias; see ``LookupIndex/lookup(_:suggestionLimit:)``.
    ///
    /// Builds a ``LookupIndex`` on every call: O(n) in the total length of ids, names and aliases.
    /// For repeated lookups build a ``LookupIndex`` once and keep it.
    public func lookup(_ query: String, suggestionLimit: Int = 5) -> LookupResult {
        LookupIndex(self).lookup(query, suggestionLimit: suggestionLimit)
    }
}
