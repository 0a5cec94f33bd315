/// What an id may hold, for every reader: any non-empty text without control characters. Spaces,
/// capitals, any script are fine (`Evelyn Jefferson`, `Лукашенко`); the slug style
/// (`mozyr-refinery`) is a recommendation, reported as a warning by the document reader.
package enum IDRules {
    /// The first control character (Unicode general category Cc: U+0000–U+001F, U+007F–U+009F) in
    /// `id`, spelled `U+001B`, or `nil` when there is none. O(length).
    package static func firstControlCharacter(in id: String) -> String? {
        guard let scalar = id.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) else {
            return nil
        }
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
