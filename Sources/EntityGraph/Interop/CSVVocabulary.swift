import OrderedCollections

/// Maps the text in a CSV `kind` or `type` cell to a kind or relation type id, declaring a new one
/// when nothing matches. Shared by the reader and by the writer, which simulates the reader to pick
/// cell text that reads back to the same id and label.
///
/// A value resolves, in order, to:
/// 1. a built-in or already declared id, exactly (`person`, `memberOf`);
/// 2. a built-in id or label as ``Suggest/fold(_:)`` compares texts: ignoring case, accents and
///    the difference between spaces, `_` and `-` (`Person`, `member of`, `MEMBEROF`, `member_of`);
/// 3. an already declared id or label, compared the same way;
/// 4. the id its lowerCamelCase form names (`Member Of` → `memberOf`);
/// 5. otherwise a new declaration: id = the lowerCamelCase form (`Military unit` → `militaryUnit`),
///    label = the value as written.
struct CSVVocabulary {
    private let builtInIDs: Set<String>
    private let builtInFolded: [String: String]
    /// Declared so far: id → label.
    private(set) var declared: OrderedDictionary<String, String> = [:]
    private var declaredFolded: [String: String] = [:]
    private let fallbackPrefix: String

    init(builtIn: [(id: String, label: String)], fallbackPrefix: String) {
        builtInIDs = Set(builtIn.map(\.id))
        var folded: [String: String] = [:]
        for entry in builtIn { folded[Suggest.fold(entry.id)] = entry.id }
        for entry in builtIn where folded[Suggest.fold(entry.label)] == nil {
            folded[Suggest.fold(entry.label)] = entry.id
        }
        builtInFolded = folded
        self.fallbackPrefix = fallbackPrefix
    }

    static func kinds() -> CSVVocabulary {
        CSVVocabulary(builtIn: Kind.builtIn.map { ($0.id.rawValue, $0.label) }, fallbackPrefix: "kind")
    }

    static func relationTypes() -> CSVVocabulary {
        CSVVocabulary(builtIn: RelationType.builtIn.map { ($0.id.rawValue, $0.label) }, fallbackPrefix: "type")
    }

    /// True when `id` is built in.
    func isBuiltIn(_ id: String) -> Bool { builtInIDs.contains(id) }

    /// The label of a declared id, or `nil` for built-in and unknown ids.
    func declaredLabel(_ id: String) -> String? { declared[id] }

    /// The id `value` names, and whether it was declared just now.
    mutating func resolve(_ value: String) -> (id: String, isNew: Bool) {
        if builtInIDs.contains(value) || declared[value] != nil { return (value, false) }
        let lowered = Suggest.fold(value)
        if !lowered.isEmpty {
            if let id = builtInFolded[lowered] { return (id, false) }
            if let id = declaredFolded[lowered] { return (id, false) }
        }
        var derived = lowerCamelIdentifier(value)
        if !derived.isEmpty, builtInIDs.contains(derived) || declared[derived] != nil { return (derived, false) }
        if derived.isEmpty {
            var counter = 1
            repeat {
                derived = fallbackPrefix + String(counter)
                counter += 1
            } while builtInIDs.contains(derived) || declared[derived] != nil
        }
        declared[derived] = value
        if declaredFolded[Suggest.fold(derived)] == nil { declaredFolded[Suggest.fold(derived)] = derived }
        if !lowered.isEmpty, declaredFolded[lowered] == nil { declaredFolded[lowered] = derived }
        return (derived, true)
    }

    /// The closest built-in id or label to `value`, for a "did you mean" on a new declaration.
    func nearBuiltIn(_ value: String) -> String? {
        Suggest.closest(to: value, in: builtInFolded.keys.sorted())
            .map { key in builtInFolded[key] ?? key }
    }
}

/// Picks the text a writer puts in a `kind` or `type` cell so the reader maps it back to the same
/// id (and, for declared entries, the same label): the label when that works, else the id.
struct CSVVocabularyWriter {
    private var simulation: CSVVocabulary
    private var chosen: [String: String] = [:]
    /// Ids whose id or label will not read back as they are.
    private(set) var changed: OrderedDictionary<String, Void> = [:]

    init(_ vocabulary: CSVVocabulary) { simulation = vocabulary }

    /// The cell text for `id`, whose label is `label` (declared entries) or the built-in label.
    mutating func cell(id: String, label: String, isBuiltIn: Bool) -> String {
        if let text = chosen[id] { return text }
        var picked: String? = nil
        for candidate in [label, id] where !candidate.isEmpty {
            var trial = simulation
            let resolved = trial.resolve(candidate)
            guard resolved.id == id else { continue }
            if isBuiltIn || trial.declaredLabel(id) == label {
                simulation = trial
                picked = candidate
                break
            }
        }
        if picked == nil {
            _ = simulation.resolve(id)
            changed[id] = ()
        }
        let text = picked ?? id
        chosen[id] = text
        return text
    }
}
