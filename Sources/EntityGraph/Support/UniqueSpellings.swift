/// Spellings of `ids` that a format can carry, in order: each id itself when `isCarried(id)`, else
/// `respell(id)`, made unique with ` (2)`, ` (3)`, … against every id and every earlier spelling, so
/// two ids never become one. Shared by the exporters and the renderer for ids their format cannot
/// hold as they are. O(ids).
package func uniqueSpellings(
    _ ids: [String], isCarried: (String) -> Bool, respell: (String) -> String
) -> [String] {
    guard !ids.allSatisfy(isCarried) else { return ids }
    var taken = Set(ids)
    return ids.map { id in
        guard !isCarried(id) else { return id }
        let base = respell(id)
        var candidate = base
        var suffix = 1
        while taken.contains(candidate) {
            suffix += 1
            candidate = "\(base) (\(suffix))"
        }
        taken.insert(candidate)
        return candidate
    }
}
