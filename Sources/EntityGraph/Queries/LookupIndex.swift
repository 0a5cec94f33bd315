import Foundation

/// Finds entities by id, name or alias, ignoring case, diacritics and spacing, and — for names —
/// script, romanization and word order.
///
/// Build one from a graph in O(total length of ids, names and aliases) and keep it as long as the
/// graph does not change (the index is a snapshot: it does not see entities added later).
/// ``Graph/lookup(_:suggestionLimit:)`` builds one per call for one-off lookups.
///
/// Text is compared after ``normalize(_:)``: `"volodya"` finds the alias `Volodya`,
/// `"chisinau"` the name `Chișinău`, `"LUKASHENKO"` the id `lukashenko`. When no text matches so, the
/// query's words (``Suggest/nameWords(_:droppingTitles:)``) are matched: `"Лукашенко"`,
/// `"PUTIN, Vladimir"`, `"President Putin"` and `"putin"` all find `Vladimir Putin`.
public struct LookupIndex: Sendable {
    /// Where a key of the index comes from.
    internal enum Field: Sendable { case id, name, alias }

    /// One searchable text of one entity.
    internal struct Entry: Sendable {
        var key: String
        var scalars: [Unicode.Scalar]
        /// The text's name words (``Suggest/nameWords(_:droppingTitles:)``), sorted.
        var words: [String]
        var text: String
        var entity: Int32
        var field: Field
    }

    internal var ids: [EntityID]
    internal var names: [String]
    internal var rawIDs: [EntityID: Int32]
    internal var exact: [String: [Int32]]
    internal var entries: [Entry]
    /// For each name word, the entries that hold it, in order.
    internal var entriesByWord: [String: [Int32]]

    /// Indexes the ids, names and aliases of every entity of `graph`.
    ///
    /// - Complexity: O(n) in the total length of the indexed texts.
    public init(_ graph: Graph) {
        ids = Array(graph.entities.keys)
        names = graph.entities.values.map(\.name)
        rawIDs = [:]
        exact = [:]
        entries = []
        entriesByWord = [:]
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
        let words = Suggest.nameWords(text)
        for word in words { entriesByWord[word, default: []].append(Int32(entries.count)) }
        entries.append(
            Entry(
                key: key, scalars: Array(key.unicodeScalars), words: words, text: text, entity: entity, field: field))
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
    /// 3. Otherwise the query's name words are matched (``Suggest/nameWords(_:droppingTitles:)``:
    ///    any script, romanization and word order; titles such as "President" that begin the query
    ///    are left out). Texts with the same words as the query come first
    ///    (``LookupCandidate/Match/sameWords``); failing those, texts holding all of the query's words
    ///    (``LookupCandidate/Match/allWords``): a surname alone. One entity matching gives
    ///    ``LookupResult/found(_:)``; several give ``LookupResult/ambiguous(_:)``, ranked by how few
    ///    other words the text has, then by insertion order.
    /// 4. Otherwise the result is ``LookupResult/notFound(suggestions:)``, ranked by how well the
    ///    best text of each entity matches: the query as a prefix of the text or of one of its
    ///    words (also as name words, so a name being typed in another script is suggested), then as
    ///    a substring, then by edit distance (``Suggest``'s distance and threshold, on the text and
    ///    word by word on the name words); ties go to the text with fewer extra characters, then to
    ///    insertion order.
    ///
    /// - Parameters:
    ///   - query: An id, name or alias, in any case, with or without diacritics, in any script.
    ///   - suggestionLimit: The most candidates a ``LookupResult/notFound(suggestions:)`` lists.
    /// - Complexity: O(1) expected for a match (plus the query's length); a match by words costs
    ///   O(t × w) for the t texts holding the query's rarest word, of up to w words; a miss compares
    ///   the query with every indexed text: O(n × q × w) for n texts of up to w characters and a
    ///   query of q.
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
        if let byWords = wordMatch(Suggest.nameWords(query, droppingTitles: true)) { return byWords }
        return .notFound(suggestions: suggestions(for: key, query: query, limit: suggestionLimit))
    }

    /// The entities whose texts hold all of `words`: ``LookupResult/found(_:)`` for one,
    /// ``LookupResult/ambiguous(_:)`` for several, `nil` for none. Texts with exactly those words
    /// win over texts with more.
    private func wordMatch(_ words: [String]) -> LookupResult? {
        guard !words.isEmpty else { return nil }
        var rarest: [Int32]?
        for word in words {
            guard let holders = entriesByWord[word] else { return nil }
            if rarest == nil || holders.count < rarest!.count { rarest = holders }
        }
        let holding = rarest!.filter { position in
            let entryWords = entries[Int(position)].words
            return words.allSatisfy { word in entryWords.contains(word) }
        }
        let same = holding.filter { entries[Int($0)].words.count == words.count }
        let chosen = same.isEmpty ? holding : same
        let match: LookupCandidate.Match = same.isEmpty ? .allWords : .sameWords
        // Best entry per entity: fewest other words, then the name before aliases and the id.
        var best: [Int32: Int32] = [:]
        func rank(_ position: Int32) -> (Int, Int, Int32) {
            let entry = entries[Int(position)]
            let field = entry.field == .name ? 0 : entry.field == .alias ? 1 : 2
            return (entry.words.count, field, position)
        }
        for position in chosen {
            let entity = entries[Int(position)].entity
            if let current = best[entity], rank(current) <= rank(position) { continue }
            best[entity] = position
        }
        guard !best.isEmpty else { return nil }
        if best.count == 1 { return .found(ids[Int(best.first!.key)]) }
        let ranked = best.sorted { lhs, rhs in
            let (l, r) = (rank(lhs.value), rank(rhs.value))
            return (l.0, lhs.key) < (r.0, rhs.key)
        }
        return .ambiguous(ranked.map { candidate(entries[Int($0.value)], match) })
    }

    /// True when the query's name words but the last are words of the entry and the last begins
    /// one: a name being typed, in any script or word order.
    private func startsByWords(_ entry: Entry, _ queryWords: [[Unicode.Scalar]]) -> Bool {
        guard let last = queryWords.last, !entry.words.isEmpty else { return false }
        let entryWords = entry.words.map { Array($0.unicodeScalars) }
        return queryWords.dropLast().allSatisfy { entryWords.contains($0) }
            && entryWords.contains { $0.starts(with: last) }
    }

    /// The sum, over the query's name words, of each one's edit distance to the closest word of the
    /// entry, or `Int.max` when a word has none within ``Suggest/threshold(forLength:)``.
    private func wordDistance(_ entry: Entry, _ queryWords: [[Unicode.Scalar]]) -> Int {
        guard !queryWords.isEmpty, !entry.words.isEmpty else { return Int.max }
        var total = 0
        for word in queryWords {
            let bound = Suggest.threshold(forLength: word.count)
            var closest = bound + 1
            for candidate in entry.words {
                closest = min(closest, Suggest.distance(word, Array(candidate.unicodeScalars), limit: bound))
            }
            guard closest <= bound else { return Int.max }
            total += closest
        }
        return total
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

    private func suggestions(for key: String, query text: String, limit: Int) -> [LookupCandidate] {
        guard limit > 0 else { return [] }
        let query = Array(key.unicodeScalars)
        let maxDistance = Suggest.threshold(forLength: query.count)
        let queryWords = Suggest.nameWords(text, droppingTitles: true).map { Array($0.unicodeScalars) }
        // Best (match, extra characters, entry) per entity.
        var best: [Int32: (match: LookupCandidate.Match, extra: Int, entry: Int)] = [:]
        for (position, entry) in entries.enumerated() {
            let match: LookupCandidate.Match
            // Compared as Unicode scalars, as the fold leaves them: String's own `contains` trapped
            // ("String index is out of bounds") on some texts with NULs and broken UTF-8 on Linux.
            let words = entry.scalars.split(separator: " ", omittingEmptySubsequences: true)
            if entry.scalars.starts(with: query) || words.contains(where: { $0.starts(with: query) })
                || startsByWords(entry, queryWords)
            {
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
                // Word by word, each query word within its own threshold: a name in another spelling.
                let byWords = wordDistance(entry, queryWords)
                if distance > maxDistance { distance = byWords } else { distance = min(distance, byWords) }
                guard distance != Int.max else { continue }
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
    /// Several entities match: exactly, in insertion order; or by name words, ranked best first
    /// (``LookupCandidate/Match/sameWords`` or ``LookupCandidate/Match/allWords``).
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
        /// The texts have the same name words, in any order, script or romanization
        /// (``Suggest/nameWords(_:droppingTitles:)``): `PUTIN, Vladimir` for `Vladimir Putin`.
        case sameWords
        /// The text holds all of the query's name words, and others: `Putin` for `Vladimir Putin`.
        case allWords
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
