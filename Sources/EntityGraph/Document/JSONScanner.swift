import OrderedCollections

// The JSON layer of the document reader: a hand-written scanner over UTF-8 bytes.
//
// - No recursion: nested attribute values are parsed with an explicit stack, and every array or
//   object counts against `ReadLimits.maximumNestingDepth`, so hostile nesting fails cleanly.
// - Positions are byte offsets; line:column is computed only for the issues reported
//   (`SourceLines`), so the hot path never counts lines.
// - Structural damage (a missing comma, an unterminated string) stops reading: the issue is
//   recorded and `StopReading` unwinds. Damage that leaves the structure intact (invalid UTF-8, a
//   lone surrogate, a bad escape, a duplicate key, a number out of range) is recorded and reading
//   goes on, so one pass reports as much as possible.

/// Unwinds the reader after a structural JSON error; the issue is already recorded.
struct StopReading: Error {}

/// One step of a JSON path, kept cheap: keys are byte ranges into the input, rendered on demand.
enum PathComponent {
    case index(Int)
    case key(start: Int, end: Int)
    case name(String)
}

/// An issue as found by the reader, positioned by byte offset.
struct RawIssue {
    var severity: ValidationIssue.Severity
    var code: ValidationIssue.Code
    var message: String
    var path: String
    var offset: Int
    var suggestion: String?
    /// Where the thing this issue clashes with is (the first definition of a duplicate id).
    var relatedOffset: Int? = nil
}

/// A JSON string as scanned: the bytes between the quotes, and whether they need more than a copy.
struct StringToken {
    /// Offset of the first byte after the opening quote.
    var start: Int
    /// Offset of the closing quote.
    var end: Int
    /// Bit 0: contains a backslash escape. Bit 1: contains non-ASCII bytes.
    var flags: UInt8

    var isPlainASCII: Bool { flags == 0 }
    var hasEscapes: Bool { flags & 1 != 0 }
    var count: Int { end - start }
}

/// The JSON type of the value at some position, for "expected a string, found a number".
enum JSONKind {
    case object, array, string, number, bool, null, invalid

    var phrase: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .invalid: return "something that is not JSON"
        }
    }
}

/// The bytes of JSON's structure.
enum JSONByte {
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let comma: UInt8 = 0x2C
    static let colon: UInt8 = 0x3A
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
}

struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: ReadLimits
    var pos = 0
    var depth = 0
    var path: [PathComponent] = []
    var issues: [RawIssue] = []
    /// Offset of the most recent value read by one of the `read…` helpers.
    var valueOffset = 0
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ReadLimits = .standard) {
        self.bytes = bytes
        self.limits = limits
        path.reserveCapacity(16)
    }

    // MARK: Issues and paths

    /// The current JSON path, e.g. `$.relations[12].target`.
    func renderPath(appending field: String? = nil) -> String {
        var text = "$"
        for component in path { append(component, to: &text) }
        if let field { append(.name(field), to: &text) }
        return text
    }

    func append(_ component: PathComponent, to text: inout String) {
        switch component {
        case .index(let index):
            text += "[\(max(index, 0))]"
        case .key(let start, let end):
            append(
                .name(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)),
                to: &text)
        case .name(let name):
            let simple =
                !name.isEmpty
                && name.utf8.allSatisfy { byte in
                    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                        || byte == 0x5F
                }
            if simple {
                text += "." + name
            } else {
                text += "[\"" + name.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\"]"
            }
        }
    }

    mutating func report(
        _ code: ValidationIssue.Code, _ message: String, at offset: Int,
        severity: ValidationIssue.Severity = .error, suggestion: String? = nil,
        path explicitPath: String? = nil
    ) {
        issues.append(
            RawIssue(
                severity: severity, code: code, message: message,
                path: explicitPath ?? renderPath(), offset: offset, suggestion: suggestion))
    }

    /// Records a structural error and returns the error that stops reading.
    mutating func stop(
        _ code: ValidationIssue.Code = .invalidJSON, _ message: String, at offset: Int,
        suggestion: String? = nil
    ) -> StopReading {
        report(code, message, at: offset, suggestion: suggestion)
        return StopReading()
    }

    /// "expected …, found …" with a hint for the usual mistakes.
    mutating func unexpected(expected: String, at offset: Int, afterComma: Bool = false) -> StopReading {
        let found = describe(at: offset)
        var hint: String? = nil
        if offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case 0x27: hint = "JSON strings and keys use double quotes (\")"
            case 0x2F: hint = "JSON has no comments; put notes in \"description\" or \"attributes\""
            default:
                if afterComma, byte == JSONByte.closeBrace || byte == JSONByte.closeBracket {
                    hint = "remove the trailing comma before it"
                } else if found == "'True'" || found == "'False'" || found == "'None'" || found == "'NULL'"
                    || found == "'Null'"
                {
                    hint = "JSON literals are lowercase: true, false, null"
                } else if found == "'NaN'" || found == "'Infinity'" || found == "'undefined'" {
                    hint = "JSON has no \(found.dropFirst().dropLast()); use null or a string"
                } else if found.contains("U+201C") || found.contains("U+201D") {
                    hint = "use straight double quotes (\") instead of typographic quotes"
                } else if expected.hasPrefix("a key"), byte >= 0x41 {
                    hint = "object keys must be strings in double quotes"
                }
            }
        }
        return stop(.invalidJSON, "expected \(expected), found \(found)", at: offset, suggestion: hint)
    }

    /// A short description of what is at `offset`: `'x'`, `the end of the file`, `a NUL byte`, …
    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        switch byte {
        case 0x00: return "a NUL byte"
        case 0x01..<0x20, 0x7F:
            return "control character U+\(hex(UInt32(byte), width: 4))"
        case 0x41...0x5A, 0x61...0x7A:
            var end = offset
            while end < bytes.count, end - offset < 24 {
                let next = bytes[end]
                guard
                    (next >= 0x41 && next <= 0x5A) || (next >= 0x61 && next <= 0x7A) || (next >= 0x30 && next <= 0x39)
                        || next == 0x5F
                else { break }
                end += 1
            }
            return "'" + String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self) + "'"
        case 0x27:
            return "a single quote"
        case 0x20..<0x80:
            return "'" + String(UnicodeScalar(byte)) + "'"
        default:
            if let (scalar, _) = decodeScalar(at: offset) {
                return "'\(Character(scalar))' (U+\(hex(scalar.value, width: 4)))"
            }
            return "byte 0x\(hex(UInt32(byte), width: 2)) (not valid UTF-8)"
        }
    }

    /// The JSON type of the value starting at `offset` (whitespace already skipped).
    func kind(at offset: Int) -> JSONKind {
        guard offset < bytes.count else { return .invalid }
        switch bytes[offset] {
        case JSONByte.openBrace: return .object
        case JSONByte.openBracket: return .array
        case JSONByte.quote: return .string
        case 0x74, 0x66: return .bool
        case 0x6E: return .null
        case 0x2D, 0x30...0x39: return .number
        default: return .invalid
        }
    }

    // MARK: Bytes

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < bytes.count {
            let byte = bytes[pos]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            pos += 1
        }
    }

    /// Skips a UTF-8 byte order mark at the start.
    mutating func skipByteOrderMark() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
    }

    /// After the top-level value: only whitespace may follow.
    mutating func expectEnd() throws(StopReading) {
        skipWhitespace()
        if pos < bytes.count {
            path.removeAll()
            throw stop(
                .invalidJSON, "unexpected \(describe(at: pos)) after the end of the document", at: pos,
                suggestion: "a file holds exactly one JSON object; remove what follows it")
        }
    }

    // MARK: Containers

    mutating func enter(at offset: Int) throws(StopReading) {
        depth += 1
        if depth > limits.maximumNestingDepth {
            throw stop(
                .nestingTooDeep,
                "arrays and objects are nested deeper than \(limits.maximumNestingDepth) levels "
                    + "(ReadLimits.maximumNestingDepth)",
                at: offset, suggestion: "flatten the data; no EntityGraph document needs this depth")
        }
    }

    /// Consumes the `{` at `pos` and starts a key slot in the path.
    @inline(__always)
    mutating func beginObject() throws(StopReading) {
        try enter(at: pos)
        pos += 1
        path.append(.index(-1))
    }

    /// Moves to the next key of the current object and past its colon; `nil` (and the object
    /// closed) at `}`. `count` is the number of members read so far.
    @inline(__always)
    mutating func nextKey(_ count: inout Int) throws(StopReading) -> StringToken? {
        skipWhitespace()
        var afterComma = false
        if count > 0 {
            guard pos < bytes.count else { throw unexpected(expected: "',' or '}'", at: pos) }
            let byte = bytes[pos]
            if byte == JSONByte.comma {
                pos += 1
                afterComma = true
                skipWhitespace()
            } else if byte == JSONByte.closeBrace {
                pos += 1
                depth -= 1
                path.removeLast()
                return nil
            } else {
                throw unexpected(expected: "',' or '}' after an object member", at: pos)
            }
        } else if pos < bytes.count, bytes[pos] == JSONByte.closeBrace {
            pos += 1
            depth -= 1
            path.removeLast()
            return nil
        }
        guard pos < bytes.count, bytes[pos] == JSONByte.quote else {
            throw unexpected(
                expected: afterComma ? "a key in double quotes" : "a key in double quotes or '}'",
                at: pos, afterComma: afterComma)
        }
        let key = try scanString()
        count += 1
        if key.isPlainASCII {
            path[path.count - 1] = .key(start: key.start, end: key.end)
        } else {
            path[path.count - 1] = .name(makeString(key))
        }
        skipWhitespace()
        guard pos < bytes.count, bytes[pos] == JSONByte.colon else {
            throw unexpected(expected: "':' after the key", at: pos)
        }
        pos += 1
        skipWhitespace()
        return key
    }

    /// Consumes the `[` at `pos` and starts an index slot in the path.
    @inline(__always)
    mutating func beginArray() throws(StopReading) {
        try enter(at: pos)
        pos += 1
        path.append(.index(-1))
    }

    /// Moves to element `index` of the current array; `false` (and the array closed) at `]`.
    @inline(__always)
    mutating func nextElement(_ index: Int) throws(StopReading) -> Bool {
        skipWhitespace()
        var afterComma = false
        if index > 0 {
            guard pos < bytes.count else { throw unexpected(expected: "',' or ']'", at: pos) }
            let byte = bytes[pos]
            if byte == JSONByte.comma {
                pos += 1
                afterComma = true
                skipWhitespace()
            } else if byte == JSONByte.closeBracket {
                pos += 1
                depth -= 1
                path.removeLast()
                return false
            } else {
                throw unexpected(expected: "',' or ']' after an array element", at: pos)
            }
        } else if pos < bytes.count, bytes[pos] == JSONByte.closeBracket {
            pos += 1
            depth -= 1
            path.removeLast()
            return false
        }
        if afterComma, pos < bytes.count, bytes[pos] == JSONByte.closeBracket {
            throw unexpected(expected: "a value", at: pos, afterComma: true)
        }
        path[path.count - 1] = .index(index)
        return true
    }

}

// MARK: Helpers

func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension String {
    /// Replaces every occurrence of `target` (Foundation-free).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
