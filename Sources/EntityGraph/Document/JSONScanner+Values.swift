import OrderedCollections

extension JSONScanner {
    // MARK: Values

    /// Parses any JSON value at `pos` (after whitespace). With `build: false` it only validates and
    /// returns `.null`. Iterative: depth is bounded by the nesting limit, not by the stack.
    mutating func parseValue(build: Bool = true) throws(StopReading) -> JSONValue {
        skipWhitespace()
        guard pos < bytes.count else { throw unexpected(expected: "a value", at: pos) }
        let first = bytes[pos]
        guard first == JSONByte.openBrace || first == JSONByte.openBracket else { return try parseScalar(build: build) }

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
        func open(_ reader: inout JSONScanner, _ stack: inout [Frame]) throws(StopReading) {
            let isObject = reader.bytes[reader.pos] == JSONByte.openBrace
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
                if byte == JSONByte.openBrace || byte == JSONByte.openBracket {
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

    mutating func parseScalar(build: Bool) throws(StopReading) -> JSONValue {
        let byte = bytes[pos]
        switch byte {
        case JSONByte.quote:
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

    mutating func literal(_ word: StaticString) throws(StopReading) {
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

    mutating func parseNumber() throws(StopReading) -> JSONValue {
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
        if pos < bytes.count, bytes[pos] == JSONByte.quote {
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
        if pos < bytes.count, bytes[pos] == JSONByte.quote { return try scanString() }
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
