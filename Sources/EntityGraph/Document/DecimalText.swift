/// Compares numbers by the decimal value their text spells, so the reader can tell whether a
/// `Double` keeps a JSON number exactly (`1.50` and `1.5` are the same number; `0.1` is kept, since
/// `0.1` is what it is written back as; `123456789012345678901234567890` is not).
enum DecimalText {
    /// True when the two numerals (JSON number syntax, or `Double.description`'s) spell the same value.
    static func sameValue(_ first: String, _ second: String) -> Bool {
        guard let a = normalized(first), let b = normalized(second) else { return false }
        return a == b
    }

    /// The value as a sign, significant digits (no leading or trailing zeros) and the exponent of
    /// `0.DIGITS × 10^exponent`; zero is `(false, [], 0)` whatever its sign. `nil` for text that is
    /// not a numeral (or has an exponent too large to matter).
    private static func normalized(_ text: String) -> (negative: Bool, digits: [UInt8], exponent: Int)? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        } else if bytes.first == UInt8(ascii: "+") {
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        while let byte = bytes.first {
            if byte >= 0x30, byte <= 0x39 {
                digits.append(byte)
            } else if byte == UInt8(ascii: "."), pointPosition == nil {
                pointPosition = digits.count
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard let value = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)), abs(value) < 1_000_000
                else { return nil }
                exponent = value
                break
            } else {
                return nil
            }
            bytes = bytes.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        exponent += pointPosition ?? digits.count
        while digits.first == 0x30 {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.last == 0x30 { digits.removeLast() }
        if digits.isEmpty { return (false, [], 0) }
        return (negative, digits, exponent)
    }
}
