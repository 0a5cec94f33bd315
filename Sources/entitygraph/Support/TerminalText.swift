/// Text made safe for a terminal: user strings (names, ids, messages that quote them) are never
/// interpreted by it. Control characters — C0 (ESC, BEL, NUL, …) and C1 (U+0080–U+009F, which some
/// terminals read as escape sequences), DEL — the bidirectional overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069, which reorder what is shown) and the line and paragraph
/// separators are shown as Swift-style escapes: `\u{1B}`, `\n`, `\r`, `\t`. Every other character,
/// any script and emoji included, is shown as it is.
enum TerminalText {
    /// `text` with every character above shown as an escape; line breaks too, so the result is one
    /// line. Use for a value inside a line (a table cell, a name in a message).
    static func visible(_ text: String) -> String {
        visible(text, keepingLineBreaks: false)
    }

    /// As ``visible(_:)``, but LF stays a line break and tab stays a tab: for text whose lines and
    /// columns the command itself laid out.
    static func visible(lines text: String) -> String {
        visible(text, keepingLineBreaks: true)
    }

    private static func visible(_ text: String, keepingLineBreaks: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLineBreaks) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, keepingLineBreaks) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, _ keepingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !keepingLineBreaks
        case 0x00..<0x20, 0x7F..<0xA0: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
        default: return false
        }
    }
}
