/// A single pass over raw DOT bytes that enforces ``DOTImportOptions``' limits before any byte reaches
/// Graphviz's parser. Pure Swift, no Graphviz, O(n).
///
/// It tokenizes just enough of DOT to measure what hurts the parser: comments (`//`, `/* */`, `#` lines)
/// are skipped; quoted strings are followed through escapes, line continuations and `+` concatenation
/// (measuring length, raw line breaks and pieces); HTML-like `<…>` strings are followed through their
/// nesting; `{`/`}` nesting is counted; and edge operators are counted per pending edge chain (a new
/// statement, a `;` or an attribute list ends a chain). It never decides whether the text is valid DOT:
/// that is the parser's job.
struct DOTPrescan {
    var options: DOTImportOptions

    /// Throws the first limit the bytes exceed, or a NUL byte; the error has no file name yet.
    func check(_ bytes: UnsafeBufferPointer<UInt8>) throws(DOTImportError) {
        if bytes.count > options.maximumBytes {
            throw DOTImportError(
                code: .limitExceeded, limit: .bytes,
                message:
                    "the input is \(bytes.count) bytes, more than the \(options.maximumBytes) allowed (\(DOTImportError.Limit.bytes))"
            )
        }
        var scanner = Scanner(bytes: bytes, options: options)
        try scanner.run()
    }

    private enum Token {
        case none, identifier, subgraphKeyword, subgraphName, edgeOperator, colon, equals, close, other
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let options: DOTImportOptions
        var index = 0
        var line = 1
        /// Pending edge operators per open `{` level (index 0 is the graph body and what precedes it).
        var chains: [Int] = [0]
        var pendingEdgeOperators = 0
        var stringWork = 0
        var bracketDepth = 0
        var previous: Token = .none

        init(bytes: UnsafeBufferPointer<UInt8>, options: DOTImportOptions) {
            self.bytes = bytes
            self.options = options
        }

        func byte(at offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

        func limit(_ limit: DOTImportError.Limit, at line: Int, _ message: String) -> DOTImportError {
            DOTImportError(code: .limitExceeded, line: line, limit: limit, message: message + " (\(limit))")
        }

        mutating func run() throws(DOTImportError) {
            var atLineStart = true
            while index < bytes.count {
                let c = bytes[index]
                switch c {
                case 0x0A:
                    line += 1
                    index += 1
                    atLineStart = true
                    continue
                case 0x20, 0x09, 0x0D, 0x0B, 0x0C:
                    index += 1
                    continue
                case 0x00:
                    throw DOTImportError(code: .nulCharacter, line: line, message: "the input holds a NUL byte")
                default:
                    break
                }
                let lineStart = atLineStart
                atLineStart = false
                switch c {
                case UInt8(ascii: "#") where lineStart:
                    skipToEndOfLine()
                case UInt8(ascii: "/") where byte(at: index + 1) == UInt8(ascii: "/"):
                    skipToEndOfLine()
                case UInt8(ascii: "/") where byte(at: index + 1) == UInt8(ascii: "*"):
                    try skipBlockComment()
                case UInt8(ascii: "\""):
                    try quotedString()
                    operand(.identifier)
                case UInt8(ascii: "<"):
                    try htmlString()
                    operand(.identifier)
                case UInt8(ascii: "{"):
                    if ![.edgeOperator, .subgraphKeyword, .subgraphName].contains(previous) { endChain() }
                    chains.append(0)
                    if chains.count - 1 > options.maximumNestingDepth {
                        throw limit(
                            .nestingDepth, at: line,
                            "braces nest deeper than \(options.maximumNestingDepth) levels")
                    }
                    previous = .other
                    index += 1
                case UInt8(ascii: "}"):
                    if chains.count > 1 { pendingEdgeOperators -= chains.removeLast() }
                    previous = .close
                    index += 1
                case UInt8(ascii: "["):
                    bracketDepth += 1
                    previous = .other
                    index += 1
                case UInt8(ascii: "]"):
                    if bracketDepth > 0 { bracketDepth -= 1 }
                    if bracketDepth == 0 { endChain() }
                    previous = .other
                    index += 1
                case UInt8(ascii: ";"):
                    if bracketDepth == 0 { endChain() }
                    previous = .other
                    index += 1
                case UInt8(ascii: "="):
                    previous = .equals
                    index += 1
                case UInt8(ascii: ":"):
                    previous = .colon
                    index += 1
                case UInt8(ascii: "-")
                where byte(at: index + 1) == UInt8(ascii: ">")
                    || byte(at: index + 1) == UInt8(ascii: "-"):
                    index += 2
                    if bracketDepth == 0 { try edgeOperator() }
                case UInt8(ascii: "-"):
                    index += 1
                    skipIdentifierCharacters()
                    operand(.identifier)
                default:
                    if Self.isIdentifierByte(c) {
                        let start = index
                        skipIdentifierCharacters()
                        operand(Self.isSubgraphKeyword(bytes, start..<index) ? .subgraphKeyword : .identifier)
                    } else {
                        previous = .other
                        index += 1
                    }
                }
            }
        }

        /// An identifier, string or keyword: a new statement starts (ending the chain) unless it follows
        /// an edge operator, a port colon, `=` or the `subgraph` keyword.
        mutating func operand(_ token: Token) {
            if bracketDepth == 0 {
                switch previous {
                case .edgeOperator, .colon, .equals: break
                case .subgraphKeyword where token == .identifier:
                    previous = .subgraphName
                    return
                case .subgraphKeyword: break
                default: endChain()
                }
            }
            previous = token
        }

        mutating func endChain() {
            pendingEdgeOperators -= chains[chains.count - 1]
            chains[chains.count - 1] = 0
        }

        mutating func edgeOperator() throws(DOTImportError) {
            chains[chains.count - 1] += 1
            pendingEdgeOperators += 1
            previous = .edgeOperator
            if pendingEdgeOperators > options.maximumEdgeChainLength {
                throw limit(
                    .edgeChainLength, at: line,
                    "more than \(options.maximumEdgeChainLength) edge operators are chained")
            }
        }

        static func isIdentifierByte(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
                || c == 0x2E || c >= 0x80
        }

        static func isSubgraphKeyword(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
            let keyword = Array("subgraph".utf8)
            guard range.count == keyword.count else { return false }
            for (offset, expected) in keyword.enumerated() where bytes[range.lowerBound + offset] | 0x20 != expected {
                return false
            }
            return true
        }

        mutating func skipIdentifierCharacters() {
            while index < bytes.count, Self.isIdentifierByte(bytes[index]) { index += 1 }
        }

        mutating func skipToEndOfLine() {
            while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        }

        mutating func skipBlockComment() throws(DOTImportError) {
            index += 2
            while index < bytes.count {
                if bytes[index] == 0x0A { line += 1 }
                if bytes[index] == 0x00 { throw nulError() }
                if bytes[index] == UInt8(ascii: "*"), byte(at: index + 1) == UInt8(ascii: "/") {
                    index += 2
                    return
                }
                index += 1
            }
        }

        func nulError() -> DOTImportError {
            DOTImportError(code: .nulCharacter, line: line, message: "the input holds a NUL byte")
        }

        /// Skips whitespace and comments (not `#` lines, which only start a line); true when something
        /// other than the end of input follows.
        mutating func skipTrivia() throws(DOTImportError) {
            while index < bytes.count {
                switch bytes[index] {
                case 0x0A:
                    line += 1
                    index += 1
                case 0x20, 0x09, 0x0D, 0x0B, 0x0C:
                    index += 1
                case UInt8(ascii: "/") where byte(at: index + 1) == UInt8(ascii: "/"):
                    skipToEndOfLine()
                case UInt8(ascii: "/") where byte(at: index + 1) == UInt8(ascii: "*"):
                    try skipBlockComment()
                default:
                    return
                }
            }
        }

        /// One quoted piece starting at the opening quote; returns its length in bytes and raw line breaks.
        /// Mirrors the lexer's longest match at a backslash: `\`+`\`+newline, `\"`, `\`+newline, lone `\`.
        mutating func quotedPiece() throws(DOTImportError) -> (length: Int, lineBreaks: Int) {
            index += 1
            var length = 0
            var lineBreaks = 0
            while index < bytes.count {
                let c = bytes[index]
                switch c {
                case UInt8(ascii: "\""):
                    index += 1
                    return (length, lineBreaks)
                case UInt8(ascii: "\\"):
                    if byte(at: index + 1) == UInt8(ascii: "\\"), byte(at: index + 2) == 0x0A {
                        index += 3
                        length += 2
                        line += 1
                        lineBreaks += 1
                    } else if byte(at: index + 1) == UInt8(ascii: "\"") {
                        index += 2
                        length += 1
                    } else if byte(at: index + 1) == 0x0A {
                        index += 2
                        line += 1
                    } else {
                        index += 1
                        length += 1
                    }
                case 0x0A:
                    index += 1
                    length += 1
                    line += 1
                    lineBreaks += 1
                case 0x00:
                    throw nulError()
                default:
                    index += 1
                    length += 1
                }
            }
            return (length, lineBreaks)
        }

        /// A quoted string with its `+` continuations, measured as one string.
        mutating func quotedString() throws(DOTImportError) {
            let startLine = line
            var total = 0
            var pieces = 0
            var work = 0
            while true {
                let piece = try quotedPiece()
                total += piece.length
                pieces += 1
                work = work.addingSaturating(piece.length.multipliedSaturating(by: piece.lineBreaks))
                if total > options.maximumStringLength {
                    throw limit(
                        .stringLength, at: startLine,
                        "a quoted string is longer than \(options.maximumStringLength) bytes")
                }
                // Look past trivia for `+ "`; otherwise rewind so the main loop sees what follows.
                let (savedIndex, savedLine) = (index, line)
                try skipTrivia()
                guard byte(at: index) == UInt8(ascii: "+") else {
                    (index, line) = (savedIndex, savedLine)
                    break
                }
                index += 1
                try skipTrivia()
                guard byte(at: index) == UInt8(ascii: "\"") else {
                    (index, line) = (savedIndex, savedLine)
                    break
                }
            }
            work = work.addingSaturating((pieces - 1).multipliedSaturating(by: total) / 12)
            stringWork = stringWork.addingSaturating(work)
            if stringWork > options.maximumStringWork {
                throw limit(
                    .stringWork, at: startLine,
                    "quoted strings with many line breaks or `+` pieces would take the parser too long")
            }
        }

        /// An HTML-like string starting at its `<`, through nested `<`/`>`.
        mutating func htmlString() throws(DOTImportError) {
            let startLine = line
            var depth = 0
            var length = 0
            while index < bytes.count {
                let c = bytes[index]
                index += 1
                switch c {
                case UInt8(ascii: "<"): depth += 1
                case UInt8(ascii: ">"): depth -= 1
                case 0x0A: line += 1
                case 0x00: throw nulError()
                default: break
                }
                if depth == 0 { return }
                length += 1
                if length > options.maximumStringLength {
                    throw limit(
                        .stringLength, at: startLine,
                        "an HTML-like string is longer than \(options.maximumStringLength) bytes")
                }
            }
        }
    }
}

extension Int {
    fileprivate func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    fileprivate func multipliedSaturating(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
