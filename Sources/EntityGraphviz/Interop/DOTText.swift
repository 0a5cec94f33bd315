import Foundation

/// Text conversions between DOT attribute strings and the model.
enum DOTText {
    // MARK: Labels

    /// The text a plain (not HTML-like) DOT label displays, as Graphviz reads it (an "escString"):
    /// `\N` → the node's name, `\G` → the graph's name, `\n` `\l` `\r` → a line break, `\\` → `\`, any
    /// other `\x` → `x`; the character entities `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;` and numeric
    /// `&#NN;`/`&#xHH;` are decoded; it undoes `GraphvizText.escaped` for text without control characters.
    static func displayedLabel(_ raw: String, objectName: String, graphName: String) -> String {
        guard raw.contains(where: { $0 == "\\" || $0 == "&" }) else { return raw }
        var result = ""
        var scalars = raw.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\\":
                guard let next = scalars.popFirst() else {
                    result.append("\\")
                    break
                }
                switch next {
                case "N": result += objectName
                case "G": result += graphName
                case "n", "l", "r": result.append("\n")
                default: result.unicodeScalars.append(next)
                }
            case "&":
                if let (decoded, rest) = entity(in: scalars) {
                    result.unicodeScalars.append(decoded)
                    scalars = rest
                } else {
                    result.append("&")
                }
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// True when `label` is the label ``DOTExport`` draws for an entity named `name`: the map's label
    /// escaping (`GraphvizText.escaped`), or that with U+FF3C for each backslash (when the writer could
    /// not hold it).
    static func isLabelDrawn(_ label: String, from name: String) -> Bool {
        let drawn = GraphvizText.escaped(name)
        return label == drawn || label == drawn.replacingOccurrences(of: "\\\\", with: "\u{FF3C}")
    }

    // MARK: What cgraph's writer can hold

    /// True when Graphviz reads `text` back unchanged once agwrite has quoted it: no NUL (C strings end
    /// there), and no odd run of backslashes before a double quote, a line break or the end — DOT's
    /// scanner reads `\"` as a quote, `\` + line break as a continuation, and a backslash pair as a
    /// pair, so such a run cannot be written. (agwrite's splitting of long lines is checked after the
    /// fact, by reading the written text back.)
    static func survivesWriter(_ text: String) -> Bool {
        var run = 0
        for byte in text.utf8 {
            switch byte {
            case 0: return false
            case 0x5C: run += 1
            case 0x22, 0x0A, 0x0D:
                if run % 2 == 1 { return false }
                run = 0
            default: run = 0
            }
        }
        return run % 2 == 0
    }

    /// True when cgraph keeps `text` as a node name or edge key: as ``survivesWriter(_:)``, and not
    /// starting with `%`, which cgraph takes for one of its own anonymous ids (`%3`) and drops.
    static func survivesAsName(_ text: String) -> Bool {
        !text.hasPrefix("%") && survivesWriter(text)
    }

    /// The spelling a node or edge gets when its id is not ``survivesAsName(_:)``: the id
    /// ``percentEncoded(_:)``, with `_` in front when that starts with `%`.
    static func escapedName(_ text: String) -> String {
        let escaped = percentEncoded(text)
        return escaped.hasPrefix("%") ? "_" + escaped : escaped
    }

    /// `text` with `%`, `\` and the control characters U+0000–U+001F and U+007F percent-encoded
    /// (`%25`, `%5C`, `%00`, `%0A`, …): no backslash and no line break, so cgraph's writer and DOT's
    /// scanner always keep it. ``percentDecoded(_:)`` is its inverse.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar == "%" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F {
                let digits = String(scalar.value, radix: 16, uppercase: true)
                result += "%" + (digits.count == 1 ? "0" : "") + digits
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Decodes ``percentEncoded(_:)`` text; a `%` not followed by one of the codes it writes is kept.
    static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var result = ""
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "%", scalars.count >= 2,
                let value = UInt32(String(String.UnicodeScalarView(scalars.prefix(2))), radix: 16),
                value == 0x25 || value == 0x5C || value < 0x20 || value == 0x7F,
                scalars.prefix(2).allSatisfy({ $0.properties.isASCIIHexDigit })
            else {
                result.unicodeScalars.append(scalar)
                continue
            }
            result.unicodeScalars.append(Unicode.Scalar(value)!)
            scalars = scalars.dropFirst(2)
        }
        return result
    }

    /// Decodes one character entity at the start of `text` (just after its `&`).
    private static func entity(in text: Substring.UnicodeScalarView) -> (Unicode.Scalar, Substring.UnicodeScalarView)? {
        guard let semicolon = text.prefix(12).firstIndex(of: ";") else { return nil }
        let body = String(String.UnicodeScalarView(text[..<semicolon]))
        let rest = text[text.index(after: semicolon)...]
        let named: [String: Unicode.Scalar] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        ]
        if let scalar = named[body] { return (scalar, rest) }
        guard body.hasPrefix("#") else { return nil }
        let digits = body.dropFirst()
        let value: UInt32?
        if digits.hasPrefix("x") || digits.hasPrefix("X") {
            value = UInt32(digits.dropFirst(), radix: 16)
        } else {
            value = UInt32(digits, radix: 10)
        }
        guard let value, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, rest)
    }

    // MARK: Identifiers

    /// True when `text` is a lowerCamelCase id: `[a-z][A-Za-z0-9]*`.
    static func isLowerCamelCase(_ text: String) -> Bool {
        var first = true
        for byte in text.utf8 {
            let lower = byte >= 0x61 && byte <= 0x7A
            let upper = byte >= 0x41 && byte <= 0x5A
            let digit = byte >= 0x30 && byte <= 0x39
            guard lower || (!first && (upper || digit)) else { return false }
            first = false
        }
        return !first
    }

    /// A lowerCamelCase id for free text: `"Military unit"` → `militaryUnit`, `"apologized to"` →
    /// `apologizedTo`, `"Über-Allianz"` → `uberAllianz`, `"2nd tier"` → `kind2ndTier` (with `prefix` "kind").
    /// Text with no ASCII letter or digit left after folding diacritics gets `prefix` + a stable hash.
    static func lowerCamelCaseID(_ text: String, prefix: String) -> String {
        if isLowerCamelCase(text) { return text }
        let folded = text.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for scalar in folded.unicodeScalars {
            let value = scalar.value
            let isUpper = value >= 0x41 && value <= 0x5A
            let isLower = value >= 0x61 && value <= 0x7A
            let isDigit = value >= 0x30 && value <= 0x39
            guard isUpper || isLower || isDigit else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
                continue
            }
            if isUpper, previousWasLower, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.unicodeScalars.append(scalar)
            previousWasLower = isLower || isDigit
        }
        if !current.isEmpty { words.append(current) }
        guard !words.isEmpty else { return prefix + hash(text) }
        var id = words[0].lowercased()
        for word in words.dropFirst() {
            id += word.prefix(1).uppercased() + word.dropFirst().lowercased()
        }
        if let first = id.utf8.first, first >= 0x30, first <= 0x39 { id = prefix + id }
        return id
    }

    /// FNV-1a over the UTF-8 bytes, as eight hex digits.
    private static func hash(_ text: String) -> String {
        var value: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    // MARK: Bytes

    /// The C string's bytes as UTF-8, or `nil` when they are not valid UTF-8.
    static func utf8String(_ pointer: UnsafePointer<CChar>) -> String? {
        let buffer = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
        var iterator = buffer.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The C string's bytes read as ISO-8859-1 (every byte is the code point of the same value).
    static func latin1String(_ pointer: UnsafePointer<CChar>) -> String {
        let buffer = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
        var view = String.UnicodeScalarView()
        for byte in buffer { view.append(Unicode.Scalar(byte)) }
        return String(view)
    }

    /// True for the `charset` values Graphviz reads as Latin-1.
    static func isLatin1Charset(_ charset: String) -> Bool {
        [
            "latin1", "latin-1", "l1", "iso-8859-1", "iso_8859-1", "iso8859-1", "iso-ir-100", "ibm819", "cp819",
            "csisolatin1",
        ].contains(charset.lowercased())
    }

    /// The 1-based line of the first byte that is not part of valid UTF-8, or `nil` when all are.
    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }
}
