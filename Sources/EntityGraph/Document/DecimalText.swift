import Foundation

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

extension DecimalText {
    /// What a number typed as text (a CSV cell, an XML attribute) reads as.
    enum Reading: Hashable {
        /// The number: ``JSONValue/integer(_:)`` for digits without fraction or exponent that fit in
        /// 64 bits, else ``JSONValue/double(_:)``; either way written back as the same value.
        case number(JSONValue)
        /// Not a decimal numeral (`12abc`, `--1`, `0x10`, `1.234,5`, empty).
        case notANumber
        /// `NaN`, `inf`, `infinity` (any case, any sign): a word for a value the formats cannot hold.
        case notFinite
        /// A numeral beyond the range of a double (`1e400`).
        case tooLarge
        /// A numeral a double does not keep exactly: it would be written back as `writtenAs`
        /// (`1e-400` → `0.0`, `12345678901234567890` → `1.2345678901234567e+19`).
        case inexact(writtenAs: String)
    }

    /// Reads `text` as the JSON reader reads a number, with the same exactness rule (see
    /// ``sameValue(_:_:)``), so a value from a CSV cell or an XML attribute is held exactly as it
    /// would be from a JSON document. Accepted: an optional `+` or `-`, ASCII digits with at most one
    /// decimal mark (digits on at least one side of it), and an optional exponent (`e` or `E`, an
    /// optional sign, digits): `3`, `-2.5`, `.5`, `1e-3`, `+7`. Whitespace around it is ignored.
    /// The decimal mark is `.`, or also `,` when `decimalComma` is true (`1,5`); no grouping.
    ///
    /// - Complexity: O(length of `text`).
    static func read(_ text: String, decimalComma: Bool = false) -> Reading {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes = Array(trimmed.utf8)
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        let word = String(decoding: bytes[index...], as: UTF8.self).lowercased()
        if word == "nan" || word == "inf" || word == "infinity" { return .notFinite }
        var digits = 0
        var isInteger = true
        var sawMark = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30, byte <= 0x39 {
                digits += 1
            } else if !sawMark, byte == UInt8(ascii: ".") || (decimalComma && byte == UInt8(ascii: ",")) {
                sawMark = true
                isInteger = false
                bytes[index] = UInt8(ascii: ".")
            } else {
                break
            }
            index += 1
        }
        guard digits > 0 else { return .notANumber }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            let exponentStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > exponentStart else { return .notANumber }
        }
        guard index == bytes.count else { return .notANumber }
        // `5.` and `.5` as `5.0` and `0.5`, the spelling every numeral parser takes.
        var numeral = String(decoding: bytes, as: UTF8.self)
        numeral = numeral.replacingOccurrences(of: ".e", with: ".0e", options: .caseInsensitive)
        if numeral.hasSuffix(".") { numeral += "0" }
        if let mark = numeral.firstIndex(of: "."),
            mark == numeral.startIndex || !numeral[numeral.index(before: mark)].isNumber
        {
            numeral.insert("0", at: mark)
        }
        if isInteger, let integer = Int64(numeral) { return .number(.integer(integer)) }
        guard let value = Double(numeral), value.isFinite else { return .tooLarge }
        guard sameValue(numeral, value.description) else { return .inexact(writtenAs: value.description) }
        return .number(.double(value))
    }
}
