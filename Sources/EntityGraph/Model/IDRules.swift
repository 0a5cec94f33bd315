/// What an id may hold, for every reader: any non-empty text without control characters. Spaces,
/// capitals, any script are fine (`Evelyn Jefferson`, `Лукашенко`); the slug style
/// (`mozyr-refinery`) is a recommendation, reported as a warning by the document reader.
package enum IDRules {
    /// The first control character (Unicode general category Cc: U+0000–U+001F, U+007F–U+009F) in
    /// `id`, spelled `U+001B`, or `nil` when there is none. O(length).
    package static func firstControlCharacter(in id: String) -> String? {
        // One pass over the UTF-8 bytes: C0 and DEL are single bytes, C1 is 0xC2 0x80…0x9F. (The
        // reader checks every id; Unicode property lookups per scalar cost it 8% of a load.)
        var value: UInt32?
        var previous: UInt8 = 0
        for byte in id.utf8 {
            if byte < 0x20 || byte == 0x7F {
                value = UInt32(byte)
                break
            }
            if previous == 0xC2, byte >= 0x80, byte <= 0x9F {
                value = UInt32(byte)
                break
            }
            previous = byte
        }
        guard let value else { return nil }
        let digits = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
