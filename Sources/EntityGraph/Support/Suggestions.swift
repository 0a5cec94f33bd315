/// "Did you mean …?" suggestions by edit distance.
public enum Suggest {
    /// The Levenshtein distance between two strings, over Unicode scalars. O(a·b) time, O(b) space.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidates within a plausible edit distance of `word` (a third of its length, at least 2),
    /// closest first, ties in the candidates' sorted order. O(candidates · length²).
    public static func ranked(_ word: String, in candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let threshold = max(2, word.count / 3)
        let lowered = word.lowercased()
        var scored: [(candidate: String, distance: Int)] = []
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= threshold { scored.append((candidate, distance)) }
        }
        scored.sort { lhs, rhs in
            lhs.distance != rhs.distance ? lhs.distance < rhs.distance : lhs.candidate < rhs.candidate
        }
        return scored.prefix(limit).map { $0.candidate }
    }

    /// The single closest candidate, if any is plausibly what was meant.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        ranked(word, in: candidates, limit: 1).first
    }
}
