import Foundation

extension Suggest {
    /// The words a name is matched by, so that one person is found however the name is written:
    /// in another script, in another romanization, or in another word order.
    ///
    /// 1. Text in a non-Latin script is transliterated to Latin with ICU (`Any-Latin`, through
    ///    Foundation's `applyingTransform(.toLatin, reverse:)`): `Лукашенко` → `Lukašenko`.
    /// 2. It is folded as every text is compared (``fold(_:)``): `lukasenko`.
    /// 3. It is split into words at every character that is not a letter or a digit; apostrophes
    ///    (with a possessive `'s`) and modifier letters such as the soft sign's `ʹ` are dropped.
    /// 4. Each word is reduced to a spelling skeleton (``nameSpellings``), so that the common
    ///    romanizations agree: `Lukashenko` and `Lukašenko` both give `lukasenko`, `Zelenskyy` and
    ///    `Зеленський` both `zelenski`, `Wagner` and `Вагнер` both `vagner`.
    ///
    /// The words come back sorted and without repeats: `"PUTIN, Vladimir"` and `"Vladimir Putin"`
    /// have the same words. With `droppingTitles`, titles and honorifics that begin the text
    /// (``nameTitles``) are left out unless nothing else is left: `President Putin` gives `putin`,
    /// `General Staff` gives `staf`, `The President` stays as it is. Skeletons are for matching only;
    /// they are never shown.
    ///
    /// - Complexity: O(length of `text`); ICU's transform runs only on text with non-Latin letters.
    public static func nameWords(_ text: String, droppingTitles: Bool = false) -> [String] {
        var words: [String] = []
        var current: [Unicode.Scalar] = []
        func flush() {
            if !current.isEmpty { words.append(spelled(current)) }
            current.removeAll(keepingCapacity: true)
        }
        let scalars = Array(fold(latin(text)).unicodeScalars)
        func isWordScalar(_ index: Int) -> Bool {
            guard index < scalars.count else { return false }
            let properties = scalars[index].properties
            return properties.isAlphabetic || properties.numericType != nil
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar.properties.generalCategory == .modifierLetter { continue }
            if scalar == "'" {
                // Inside a word (O'Brien, ICU's Greek "Loukasén'ko") it joins; a possessive 's goes.
                if scalars.indices.contains(index), scalars[index] == "s", !isWordScalar(index + 1) { index += 1 }
                continue
            }
            if isWordScalar(index - 1) { current.append(scalar) } else { flush() }
        }
        flush()
        if droppingTitles, let first = words.firstIndex(where: { !nameTitles.contains($0) }) {
            words.removeFirst(first)
        }
        return Array(Set(words)).sorted()
    }

    /// `text` in Latin letters: ICU's `Any-Latin` transform when it holds a letter of another script,
    /// else `text` unchanged.
    ///
    /// - Complexity: O(length of `text`).
    public static func latin(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsTransliteration) else { return text }
        return text.applyingTransform(.toLatin, reverse: false) ?? text
    }

    /// True for a letter outside the Latin blocks (Greek, Cyrillic, Arabic, CJK, …).
    static func needsTransliteration(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case ..<0x0370, 0x1D00...0x1EFF, 0x2000...0x2BFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xFB00...0xFB06,
            0xFF00...0xFF5E:
            return false
        default:
            return scalar.properties.isAlphabetic
        }
    }

    /// The spelling skeleton's rewrites, in two passes. In each pass, at each position of a folded
    /// word the first rewrite that matches there is applied, and runs of one letter are collapsed
    /// (`ss` → `s`); the second pass reads what the first wrote. They make the usual English, German,
    /// ISO and ICU romanizations of Slavic and Greek names agree: `sh`/`š` → `s`, `kh`/`h` → `h`,
    /// `ts`/`c` → `c`, `y`/`j`/`ij` → `i`, `ya`/`ia`/`â` → `a`, `ou`/`u` → `u`, `w`/`v` → `v`. The
    /// interactive map's search applies the same table to what the reader types.
    public static let nameSpellings: [[(from: String, to: String)]] = [
        [
            ("shch", "s"), ("sch", "s"), ("tch", "c"), ("sh", "s"), ("ch", "c"), ("zh", "z"), ("kh", "h"),
            ("ts", "c"), ("tz", "c"), ("ph", "f"), ("ye", "e"), ("yu", "u"), ("ya", "a"), ("x", "ks"),
            ("w", "v"), ("y", "i"), ("j", "i"),
        ],
        [("ck", "k"), ("ia", "a"), ("iu", "u"), ("ou", "u")],
    ]

    /// Titles and honorifics a lookup ignores (as skeletons, ``nameWords(_:droppingTitles:)``):
    /// `president`, `mr`, `dr`, `general`, …, and `the`.
    public static let nameTitles: Set<String> = Set(
        [
            "the", "president", "prime", "minister", "pm", "mr", "mrs", "ms", "miss", "mx", "dr", "prof",
            "professor", "sir", "dame", "lord", "lady", "sheikh", "general", "gen", "colonel", "col",
            "captain", "capt", "lieutenant", "lt", "admiral", "senator", "sen", "governor", "gov", "mayor",
            "chancellor", "premier", "chairman", "chairwoman", "rev", "reverend", "hon", "excellency",
            "herr", "frau", "monsieur", "madame", "mme",
        ].map { word in spelled(Array(word.unicodeScalars)) })

    /// A folded word's spelling skeleton: the passes of ``nameSpellings`` applied in turn.
    static func spelled(_ word: [Unicode.Scalar]) -> String {
        var word = word
        for rules in spellingRules { word = rewritten(word, rules) }
        return String(String.UnicodeScalarView(word))
    }

    /// One pass of ``nameSpellings``: rewrites applied left to right, repeated letters collapsed.
    private static func rewritten(
        _ word: [Unicode.Scalar], _ rules: [(from: [Unicode.Scalar], to: [Unicode.Scalar])]
    ) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(word.count)
        var position = 0
        func emit(_ scalar: Unicode.Scalar) {
            if out.last != scalar { out.append(scalar) }
        }
        scan: while position < word.count {
            for rule in rules where rule.from.count <= word.count - position {
                if word[position..<position + rule.from.count].elementsEqual(rule.from) {
                    rule.to.forEach(emit)
                    position += rule.from.count
                    continue scan
                }
            }
            emit(word[position])
            position += 1
        }
        return out
    }

    private static let spellingRules: [[(from: [Unicode.Scalar], to: [Unicode.Scalar])]] = nameSpellings.map {
        pass in pass.map { (Array($0.from.unicodeScalars), Array($0.to.unicodeScalars)) }
    }
}
