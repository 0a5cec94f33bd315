/// The package's one suggestion engine: one text fold, one edit distance, one threshold. Every
/// "did you mean …?" — `validate`'s unknown keys and references, entity lookup, `--type`, engines,
/// formats, theme keys — and every fuzzy lookup goes through it, so the same typo gets the same
/// answer everywhere.
public enum Suggest {
    /// Letters that have no canonical decomposition (a stroke or a ligature, not a combining mark),
    /// with the plain letters readers type for them: `Łukaszenka` is found as "lukaszenka". Lowercase
    /// only: case is folded first. The interactive HTML map's search folds queries with this table.
    public static let baseLetters: [Unicode.Scalar: String] = [
        "ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ħ": "h", "ŧ": "t",
        "ı": "i", "ŀ": "l", "ß": "ss",
    ]

    /// The form texts are compared in: canonical decomposition with combining marks removed, case
    /// folded (`ß` → `ss`), letters without a decomposition made plain (``baseLetters``: `ł` → `l`),
    /// dashes, underscores and curly apostrophes made plain, runs of whitespace, dashes and
    /// underscores collapsed to one space and trimmed. `"  Chișinău "` → `"chisinau"`,
    /// `"Belarus–Ukraine border"` → `"belarus ukraine border"`, `mozyr-refinery` → `"mozyr refinery"`.
    ///
    /// - Complexity: O(length of `text`).
    public static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            var scalar = scalar
            if scalar == "_" || scalar.properties.generalCategory == .dashPunctuation
                || scalar.properties.isWhitespace
            {
                pendingSpace = true
                continue
            }
            if scalar == "\u{2019}" || scalar == "\u{2018}" { scalar = "'" }
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if pendingSpace, !result.isEmpty { result.append(" ") }
            pendingSpace = false
            if let plain = baseLetters[scalar] {
                result.append(contentsOf: plain.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// The largest edit distance still worth suggesting for a (folded) word of this many characters:
    /// 1 below 4, 2 below 7, else 3.
    public static func threshold(forLength length: Int) -> Int {
        switch length {
        case ..<4: return 1
        case ..<7: return 2
        default: return 3
        }
    }

    /// The optimal-string-alignment distance between two strings, over Unicode scalars, as given
    /// (not folded): Levenshtein plus adjacent transpositions, so `nmae` is one step from `name`.
    /// O(a·b) time, O(b) space.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        return distance(a, b, limit: max(a.count, b.count))
    }

    /// ``editDistance(_:_:)`` on scalars, or `limit + 1` as soon as it must exceed `limit`.
    package static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, before[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }

    /// The candidates within ``threshold(forLength:)`` of `word`, both folded, closest first; ties
    /// keep the candidates' order. O(candidates · length²).
    public static func ranked(_ word: String, in candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        FoldedCandidates(candidates).ranked(word, limit: limit)
    }

    /// A candidate list folded once, for many lookups against it (a document's unknown references,
    /// a sheet's unknown kinds): each lookup then folds only the word.
    package struct FoldedCandidates {
        private let texts: [String]
        private let folded: [[Unicode.Scalar]]

        package init(_ candidates: some Sequence<String>) {
            texts = Array(candidates)
            folded = texts.map { Array(Suggest.fold($0).unicodeScalars) }
        }

        /// ``Suggest/ranked(_:in:limit:)`` against these candidates. O(candidates · length²).
        package func ranked(_ word: String, limit: Int = 3) -> [String] {
            let word = Array(Suggest.fold(word).unicodeScalars)
            let bound = Suggest.threshold(forLength: word.count)
            var scored: [(candidate: String, distance: Int, order: Int)] = []
            for (order, candidate) in folded.enumerated() {
                let distance = Suggest.distance(word, candidate, limit: bound)
                if distance <= bound { scored.append((texts[order], distance, order)) }
            }
            scored.sort { ($0.distance, $0.order) < ($1.distance, $1.order) }
            return scored.prefix(limit).map(\.candidate)
        }

        /// `did you mean 'name'?`, or `nil`: ``Suggest/phrase(_:among:)`` against these candidates.
        package func phrase(_ word: String) -> String? {
            ranked(word, limit: 1).first.map { "did you mean '\($0)'?" }
        }
    }

    /// The single closest candidate, if any is plausibly what was meant (ties: the earlier one).
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        ranked(word, in: candidates, limit: 1).first
    }

    /// `did you mean 'name'?`, or `nil`.
    public static func phrase(_ word: String, among candidates: some Sequence<String>) -> String? {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }
}
