import Foundation

/// Text conversions between DOT attribute strings and the model.
enum DOTText {
    // MARK: Labels

    /// The text a plain (not HTML-like) DOT label displays, as Graphviz reads it (an "escString"):
    /// `\N` → the node's name, `\G` → the graph's name, `\n` `\l` `\r` → a line break, `\\` → `\`, any
    /// other `\x` → `x`; the character entities `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;` and numeric
    /// `&#NN;`/`&#xHH;` are decoded. ``escapedLabel(_:)`` is its inverse.
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

    /// A plain DOT label that displays `text` literally: backslashes become `&#92;` (a backslash can never
    /// end up before a closing quote, which cgraph's writer cannot express), `&` becomes `&amp;`, and line
    /// breaks become `\n`.
    static func escapedLabel(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "&" || $0.isNewline }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "&#92;"
            case "&": result += "&amp;"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
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
