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

private let quote: UInt8 = 0x22
private let backslash: UInt8 = 0x5C
private let comma: UInt8 = 0x2C
private let colon: UInt8 = 0x3A
private let openBrace: UInt8 = 0x7B
private let closeBrace: UInt8 = 0x7D
private let openBracket: UInt8 = 0x5B
private let closeBracket: UInt8 = 0x5D

struct DocumentReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: ReadLimits
    var pos = 0
    var depth = 0
    var path: [PathComponent] = []
    var issues: [RawIssue] = []
    /// Offset of the most recent value read by one of the `read…` helpers.
    var valueOffset = 0
    private var scratch: [UInt8] = []

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

    private func append(_ component: PathComponent, to text: inout String) {
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
                if afterComma, byte == closeBrace || byte == closeBracket {
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
        case openBrace: return .object
        case openBracket: return .array
        case quote: return .string
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
            if byte == quote {
                pos = index + 1
                if index - open - 1 > limits.maximumStringBytes { try stringTooLong(from: open, to: index) }
                return StringToken(start: open + 1, end: index, flags: flags)
            }
            if byte == backslash {
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

    private mutating func stringTooLong(from open: Int, to close: Int) throws(StopReading) {
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

    private mutating func makeStringSlow(_ token: StringToken, reporting: Bool) -> String {
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
            guard byte == backslash else {
                scratch.append(byte)
                index += 1
                continue
            }
            let escapeStart = index
            let code = index + 1 < end ? bytes[index + 1] : 0
            index += 2
            switch code {
            case quote, backslash, 0x2F: scratch.append(code)
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
                    if index + 1 < end, bytes[index] == backslash, bytes[index + 1] == 0x75,
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

    private func hexQuad(at index: Int, end: Int) -> UInt32? {
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

    private mutating func appendScalar(_ value: UInt32) {
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

    private func firstInvalidUTF8(in range: Range<Int>) -> Int? {
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

    // MARK: Containers

    private mutating func enter(at offset: Int) throws(StopReading) {
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
            if byte == comma {
                pos += 1
                afterComma = true
                skipWhitespace()
            } else if byte == closeBrace {
                pos += 1
                depth -= 1
                path.removeLast()
                return nil
            } else {
                throw unexpected(expected: "',' or '}' after an object member", at: pos)
            }
        } else if pos < bytes.count, bytes[pos] == closeBrace {
            pos += 1
            depth -= 1
            path.removeLast()
            return nil
        }
        guard pos < bytes.count, bytes[pos] == quote else {
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
        guard pos < bytes.count, bytes[pos] == colon else {
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
            if byte == comma {
                pos += 1
                afterComma = true
                skipWhitespace()
            } else if byte == closeBracket {
                pos += 1
                depth -= 1
                path.removeLast()
                return false
            } else {
                throw unexpected(expected: "',' or ']' after an array element", at: pos)
            }
        } else if pos < bytes.count, bytes[pos] == closeBracket {
            pos += 1
            depth -= 1
            path.removeLast()
            return false
        }
        if afterComma, pos < bytes.count, bytes[pos] == closeBracket {
            throw unexpected(expected: "a value", at: pos, afterComma: true)
        }
        path[path.count - 1] = .index(index)
        return true
    }

    // MARK: Values

    /// Parses any JSON value at `pos` (after whitespace). With `build: false` it only validates and
    /// returns `.null`. Iterative: depth is bounded by the nesting limit, not by the stack.
    mutating func parseValue(build: Bool = true) throws(StopReading) -> JSONValue {
        skipWhitespace()
        guard pos < bytes.count else { throw unexpected(expected: "a value", at: pos) }
        let first = bytes[pos]
        guard first == openBrace || first == openBracket else { return try parseScalar(build: build) }

        struct Frame {
            var isObject: Bool
            var count = 0
            var array: [JSONValue] = []
            var object: OrderedDictionary<String, JSONValue> = [:]
            var key = ""
            var keyIsDuplicate = false
        }
        var stack: [Frame] = []
        var value = JSONValue.null

        // Opens the container at `pos`.
        func open(_ reader: inout DocumentReader, _ stack: inout [Frame]) throws(StopReading) {
            let isObject = reader.bytes[reader.pos] == openBrace
            if isObject { try reader.beginObject() } else { try reader.beginArray() }
            stack.append(Frame(isObject: isObject))
        }
        try open(&self, &stack)

        while true {
            // Position on the next member, or close the container.
            var closed = false
            if stack[stack.count - 1].isObject {
                var count = stack[stack.count - 1].count
                if let keyToken = try nextKey(&count) {
                    stack[stack.count - 1].count = count
                    if build {
                        let key = quietString(keyToken)
                        let duplicate = stack[stack.count - 1].object[key] != nil
                        if duplicate {
                            report(
                                .duplicateKey, "duplicate key '\(key)' in this object", at: keyToken.start - 1,
                                suggestion: "keep one of the two; the first value is used")
                        }
                        stack[stack.count - 1].key = key
                        stack[stack.count - 1].keyIsDuplicate = duplicate
                    }
                } else {
                    closed = true
                }
            } else {
                let index = stack[stack.count - 1].count
                if try nextElement(index) {
                    stack[stack.count - 1].count = index + 1
                } else {
                    closed = true
                }
            }

            if closed {
                let frame = stack.removeLast()
                if build { value = frame.isObject ? .object(frame.object) : .array(frame.array) }
                if stack.isEmpty { return value }
            } else {
                skipWhitespace()
                guard pos < bytes.count else { throw unexpected(expected: "a value", at: pos) }
                let byte = bytes[pos]
                if byte == openBrace || byte == openBracket {
                    try open(&self, &stack)
                    continue
                }
                value = try parseScalar(build: build)
            }

            // Attach the finished value to its parent.
            if build {
                let top = stack.count - 1
                if stack[top].isObject {
                    if !stack[top].keyIsDuplicate { stack[top].object[stack[top].key] = value }
                } else {
                    stack[top].array.append(value)
                }
            }
        }
    }

    /// Validates and skips the value at `pos`.
    @inline(__always)
    mutating func skipValue() throws(StopReading) {
        _ = try parseValue(build: false)
    }

    private mutating func parseScalar(build: Bool) throws(StopReading) -> JSONValue {
        let byte = bytes[pos]
        switch byte {
        case quote:
            let token = try scanString()
            if build || token.flags != 0 {
                let text = makeString(token)
                return build ? .string(text) : .null
            }
            return .null
        case 0x74:
            try literal("true")
            return .bool(true)
        case 0x66:
            try literal("false")
            return .bool(false)
        case 0x6E:
            try literal("null")
            return .null
        case 0x2D, 0x30...0x39:
            return try parseNumber()
        default:
            throw unexpected(expected: "a value", at: pos)
        }
    }

    private mutating func literal(_ word: StaticString) throws(StopReading) {
        let count = word.utf8CodeUnitCount
        var index = 0
        while index < count {
            guard pos + index < bytes.count, bytes[pos + index] == word.utf8Start[index] else {
                throw unexpected(expected: "a value", at: pos)
            }
            index += 1
        }
        pos += count
    }

    private mutating func parseNumber() throws(StopReading) -> JSONValue {
        let start = pos
        var index = pos
        let count = bytes.count
        @inline(__always) func isDigit(_ index: Int) -> Bool {
            index < count && bytes[index] >= 0x30 && bytes[index] <= 0x39
        }
        let negative = bytes[index] == 0x2D
        if negative { index += 1 }
        guard isDigit(index) else {
            throw stop(.invalidJSON, "expected a digit after '-', found \(describe(at: index))", at: index)
        }
        if bytes[index] == 0x30 {
            index += 1
            if isDigit(index) {
                throw stop(
                    .invalidJSON, "numbers cannot have leading zeros", at: start,
                    suggestion: "write the number without them, or as a string if it is a code")
            }
        } else {
            while isDigit(index) { index += 1 }
        }
        let integerEnd = index
        var isInteger = true
        if index < count, bytes[index] == 0x2E {
            isInteger = false
            index += 1
            guard isDigit(index) else {
                throw stop(
                    .invalidJSON, "expected a digit after the decimal point, found \(describe(at: index))",
                    at: index)
            }
            while isDigit(index) { index += 1 }
        }
        if index < count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            isInteger = false
            index += 1
            if index < count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard isDigit(index) else {
                throw stop(.invalidJSON, "expected a digit in the exponent, found \(describe(at: index))", at: index)
            }
            while isDigit(index) { index += 1 }
        }
        pos = index

        if isInteger {
            var magnitude: UInt64 = 0
            var overflow = false
            for digitIndex in (negative ? start + 1 : start)..<integerEnd {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[digitIndex] - 0x30))
                if o1 || o2 {
                    overflow = true
                    break
                }
                magnitude = sum
            }
            if !overflow {
                if !negative, magnitude <= UInt64(Int64.max) { return .integer(Int64(magnitude)) }
                if negative, magnitude <= UInt64(Int64.max) + 1 {
                    return .integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
                }
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        let value = Double(text) ?? .nan
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        if !value.isFinite {
            report(
                .numberOutOfRange, "the number \(shown) is too large to represent", at: start,
                suggestion: "write it as a string if the exact value matters")
        } else if !DecimalText.sameValue(text, value.description) {
            // A silent change of data: 123456789012345678901234567890 would come back as
            // 1.2345678901234568e+29, 4.9e-325 as 0.0.
            report(
                .numberOutOfRange,
                "the number \(shown) cannot be kept exactly: it would be written back as \(value.description)",
                at: start, suggestion: "write it as a string if the exact value matters")
        }
        return .double(value)
    }

    // MARK: Typed fields

    /// Reports a wrong JSON type at `pos` and skips the value.
    mutating func wrongType(expected: String, suggestion: String? = nil) throws(StopReading) {
        let found = kind(at: pos)
        if found == .invalid { throw unexpected(expected: "a value", at: pos) }
        report(.wrongType, "expected \(expected), found \(found.phrase)", at: pos, suggestion: suggestion)
        try skipValue()
    }

    /// A string field; `nil` (after reporting and skipping) for any other type. `null` counts as
    /// absent when `nullable`.
    @inline(__always)
    mutating func readString(nullable: Bool = true, expected: String = "a string") throws(StopReading) -> String? {
        valueOffset = pos
        if pos < bytes.count, bytes[pos] == quote {
            let token = try scanString()
            return makeString(token)
        }
        if nullable, kind(at: pos) == .null {
            try literal("null")
            return nil
        }
        try wrongType(expected: expected)
        return nil
    }

    /// A string field as its raw token (for interning); `nil` after reporting anything else.
    @inline(__always)
    mutating func readStringToken(
        nullable: Bool = true, expected: String = "a string"
    ) throws(StopReading)
        -> StringToken?
    {
        valueOffset = pos
        if pos < bytes.count, bytes[pos] == quote { return try scanString() }
        if nullable, kind(at: pos) == .null {
            try literal("null")
            return nil
        }
        try wrongType(expected: expected)
        return nil
    }

    /// A boolean field; `nil` after reporting anything else.
    mutating func readBool() throws(StopReading) -> Bool? {
        valueOffset = pos
        switch kind(at: pos) {
        case .bool:
            let isTrue = bytes[pos] == 0x74
            try literal(isTrue ? "true" : "false")
            return isTrue
        case .null:
            try literal("null")
            return nil
        default:
            try wrongType(expected: "true or false")
            return nil
        }
    }

    /// An object of free-form attributes, kept losslessly.
    mutating func readAttributes() throws(StopReading) -> Attributes {
        valueOffset = pos
        switch kind(at: pos) {
        case .object:
            if case .object(let object) = try parseValue() { return object }
            return [:]
        case .null:
            try literal("null")
            return [:]
        default:
            try wrongType(expected: "an object", suggestion: "attributes map names to values: {\"role\": \"mayor\"}")
            return [:]
        }
    }

    /// An array of strings; non-strings are reported and dropped.
    mutating func readStringArray() throws(StopReading) -> [String] {
        valueOffset = pos
        switch kind(at: pos) {
        case .array:
            var result: [String] = []
            try beginArray()
            var index = 0
            while try nextElement(index) {
                index += 1
                if let text = try readString(nullable: false) { result.append(text) }
            }
            return result
        case .null:
            try literal("null")
            return []
        default:
            try wrongType(expected: "an array of strings")
            return []
        }
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
