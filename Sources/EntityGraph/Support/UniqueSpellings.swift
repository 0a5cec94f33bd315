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
        isCarried(id) ? id : uniqueName(respell(id), taken: &taken, suffix: { " (\($0))" })
    }
}

/// `base`, or `base` + `suffix(2)`, `suffix(3)`, …: the first spelling not in `taken`, which it joins.
/// The one place the package makes a name unique (ids, node names, property keys, labels).
package func uniqueName(_ base: String, taken: inout Set<String>, suffix: (Int) -> String) -> String {
    var candidate = base
    var counter = 2
    while taken.contains(candidate) {
        candidate = base + suffix(counter)
        counter += 1
    }
    taken.insert(candidate)
    return candidate
}
