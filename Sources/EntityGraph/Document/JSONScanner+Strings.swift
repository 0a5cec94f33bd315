import OrderedCollections

extension JSONScanner {
    // MARK: Strings

    /// Scans a string starting at the opening quote at `pos`; leaves `pos` after the closing quote.
    @inline(__always)
    mutating func scanString() throws(StopReading) -> StringToken {
        let open = pos
        var index = pos + 1
        var flags: UInt8 = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == JSONByte.quote {
                pos = index + 1
                if index - open - 1 > limits.maximumStringBytes { try stringTooLong(from: open, to: index) }
                return StringToken(start: open + 1, end: index, flags: flags)
            }
            if byte == JSONByte.backslash {
                flags |= 1
                index += 2
                continue
            }
            if byte < 0x20 {
                pos = index
                if byte == 0x0A || byte == 0x0D {
                    throw stop(
                        .invalidJSON, "a string cannot contain a line break", at: index,
                        suggestion: "close the string with \" or write the line break as \\n")
                }
                throw stop(
                    .invalidJSON, "a string cannot contain \(describe(at: index)) unescaped", at: index,
                    suggestion: "write it as \\u\(hex(UInt32(byte), width: 4))")
            }
            flags |= (byte >> 7) << 1
            index += 1
        }
        pos = count
        throw stop(.invalidJSON, "unterminated string", at: open, suggestion: "add the closing \"")
    }

    mutating func stringTooLong(from open: Int, to close: Int) throws(StopReading) {
        throw stop(
            .limitExceeded,
            "a string of \(close - open - 1) bytes; ReadLimits.maximumStringBytes is \(limits.maximumStringBytes)",
            at: open, suggestion: "shorten it, or read the file with larger ReadLimits")
    }

    /// The text of a scanned string. Reports invalid UTF-8, bad escapes and lone surrogates (and
    /// repairs them with U+FFFD) without stopping.
    @inline(__always)
    mutating func makeString(_ token: StringToken) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        if token.isPlainASCII { return String(decoding: raw, as: UTF8.self) }
        return makeStringSlow(token, reporting: true)
    }

    /// The text of a string already validated by an earlier `makeString` (keys are validated by
    /// `nextKey`): repairs the same way, reports nothing.
    mutating func quietString(_ token: StringToken) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        if token.isPlainASCII { return String(decoding: raw, as: UTF8.self) }
        let count = issues.count
        let text = makeStringSlow(token, reporting: false)
        issues.removeSubrange(count...)
        return text
    }

    mutating func makeStringSlow(_ token: StringToken, reporting: Bool) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        if reporting, token.flags & 2 != 0, String(validating: raw, as: UTF8.self) == nil {
            let bad = firstInvalidUTF8(in: token.start..<token.end) ?? token.start
            report(
                .invalidUTF8, "the string contains \(describe(at: bad)); the file must be UTF-8", at: bad,
                suggestion: "re-save the file as UTF-8")
        }
        guard token.hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        scratch.removeAll(keepingCapacity: true)
        var index = token.start
        let end = token.end
        while index < end {
            let byte = bytes[index]
            guard byte == JSONByte.backslash else {
                scratch.append(byte)
                index += 1
                continue
            }
            let escapeStart = index
            let code = index + 1 < end ? bytes[index + 1] : 0
            index += 2
            switch code {
            case JSONByte.quote, JSONByte.backslash, 0x2F: scratch.append(code)
            case 0x62: scratch.append(0x08)
            case 0x66: scratch.append(0x0C)
            case 0x6E: scratch.append(0x0A)
            case 0x72: scratch.append(0x0D)
            case 0x74: scratch.append(0x09)
            case 0x75:
                guard let unit = hexQuad(at: index, end: end) else {
                    report(.invalidJSON, "\\u must be followed by four hexadecimal digits", at: escapeStart)
                    appendScalar(0xFFFD)
                    continue
                }
                index += 4
                if unit >= 0xD800 && unit < 0xDC00 {
                    if index + 1 < end, bytes[index] == JSONByte.backslash, bytes[index + 1] == 0x75,
                        let low = hexQuad(at: index + 2, end: end), low >= 0xDC00, low < 0xE000
                    {
                        index += 6
                        appendScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    } else {
                        report(
                            .loneSurrogate,
                            "\\u\(hex(unit, width: 4)) is a high surrogate without a low surrogate after it",
                            at: escapeStart, suggestion: "write the character itself, or a complete pair")
                        appendScalar(0xFFFD)
                    }
                } else if unit >= 0xDC00 && unit < 0xE000 {
                    report(
                        .loneSurrogate,
                        "\\u\(hex(unit, width: 4)) is a low surrogate without a high surrogate before it",
                        at: escapeStart, suggestion: "write the character itself, or a complete pair")
                    appendScalar(0xFFFD)
                } else {
                    appendScalar(unit)
                }
            default:
                report(
                    .invalidJSON, "invalid escape \\\(code < 0x80 && code >= 0x20 ? String(UnicodeScalar(code)) : "?")",
                    at: escapeStart, suggestion: "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                index = escapeStart + 1
            }
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    func hexQuad(at index: Int, end: Int) -> UInt32? {
        guard index + 4 <= end else { return nil }
        var value: UInt32 = 0
        for offset in index..<index + 4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    mutating func appendScalar(_ value: UInt32) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        scratch.append(contentsOf: UTF8.encode(scalar)!)
    }

    /// Decodes one UTF-8 scalar at `offset`, or `nil` when the bytes there are not valid UTF-8.
    func decodeScalar(at offset: Int) -> (Unicode.Scalar, length: Int)? {
        guard offset < bytes.count else { return nil }
        let lead = bytes[offset]
        let length: Int
        var value: UInt32
        var lowest: UInt8 = 0x80
        var highest: UInt8 = 0xBF
        switch lead {
        case 0x00..<0x80: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF:
            length = 2
            value = UInt32(lead & 0x1F)
        case 0xE0:
            length = 3
            value = 0
            lowest = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF:
            length = 3
            value = UInt32(lead & 0x0F)
        case 0xED:
            length = 3
            value = 0xD
            highest = 0x9F
        case 0xF0:
            length = 4
            value = 0
            lowest = 0x90
        case 0xF1...0xF3:
            length = 4
            value = UInt32(lead & 0x07)
        case 0xF4:
            length = 4
            value = 4
            highest = 0x8F
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        for index in offset + 1..<offset + length {
            let byte = bytes[index]
            let (low, high) = index == offset + 1 ? (lowest, highest) : (0x80, 0xBF)
            guard byte >= low, byte <= high else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    func firstInvalidUTF8(in range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            guard let (_, length) = decodeScalar(at: index), index + length <= range.upperBound else { return index }
            index += length
        }
        return nil
    }

    /// True when the string's bytes equal `key` exactly (no escapes).
    @inline(__always)
    func token(_ token: StringToken, equals key: StaticString) -> Bool {
        let count = key.utf8CodeUnitCount
        guard token.end - token.start == count else { return false }
        let keyBytes = key.utf8Start
        var index = 0
        while index < count {
            if bytes[token.start + index] != keyBytes[index] { return false }
            index += 1
        }
        return true
    }

    /// The index in `keys` of the key a string token spells, or `nil`.
    @inline(__always)
    mutating func match(_ token: StringToken, in keys: [StaticString]) -> Int? {
        if token.hasEscapes {
            let text = quietString(token)
            return keys.firstIndex { $0.description == text }
        }
        for index in keys.indices where self.token(token, equals: keys[index]) { return index }
        return nil
    }
}
