import Foundation
import Testing

@testable import EntityGraph

/// The JSON layer: malformed JSON is reported at the right line:column with what was expected, and
/// hostile input (truncation, bad encodings, NUL bytes, deep nesting, huge numbers, lone
/// surrogates, duplicate keys) never crashes or hangs.
@Suite struct DocumentSyntaxTests {
    typealias Support = DocumentTestSupport

    struct MalformedCase: CustomTestStringConvertible, Sendable {
        var json: String
        var line: Int
        var column: Int
        var message: String
        var suggestion: String? = nil
        var testDescription: String { json }
    }

    static let malformed: [MalformedCase] = [
        MalformedCase(
            json: #"{"formatVersion": 1 "entities": []}"#, line: 1, column: 21,
            message: "expected ',' or '}' after an object member, found '\"'"),
        MalformedCase(
            json: #"{"formatVersion": 1, "entities": [],}"#, line: 1, column: 37,
            message: "expected a key in double quotes, found '}'",
            suggestion: "remove the trailing comma before it"),
        MalformedCase(
            json: "[1, 2,]", line: 1, column: 7, message: "expected a value, found ']'",
            suggestion: "remove the trailing comma before it"),
        MalformedCase(
            json: #"{"formatVersion": 1, "entities": [{"id": "abc}]}"#, line: 1, column: 42,
            message: "unterminated string", suggestion: "add the closing \""),
        MalformedCase(
            json: "{\n  \"title\": \"abc\ndef\"}", line: 2, column: 16,
            message: "a string cannot contain a line break"),
        MalformedCase(
            json: "{'formatVersion': 1}", line: 1, column: 2,
            message: "expected a key in double quotes or '}', found a single quote",
            suggestion: "JSON strings and keys use double quotes (\")"),
        MalformedCase(
            json: "{\n  // comment\n  \"formatVersion\": 1}", line: 2, column: 3,
            message: "expected a key in double quotes or '}', found '/'",
            suggestion: "JSON has no comments; put notes in \"description\" or \"attributes\""),
        MalformedCase(
            json: #"{"formatVersion": 1, "entities": [], "attributes": {"x": True}}"#, line: 1, column: 58,
            message: "expected a value, found 'True'", suggestion: "JSON literals are lowercase: true, false, null"),
        MalformedCase(
            json: #"{"formatVersion": 01}"#, line: 1, column: 19, message: "numbers cannot have leading zeros"),
        MalformedCase(
            json: #"{"formatVersion": 1, "entities": []} x"#, line: 1, column: 38,
            message: "unexpected 'x' after the end of the document"),
        MalformedCase(
            json: #"{"formatVersion": 1, "entities": ["#, line: 1, column: 35,
            message: "expected a value, found the end of the file"),
        MalformedCase(
            json: "{\u{201C}formatVersion\u{201D}: 1}", line: 1, column: 2,
            message: "expected a key in double quotes or '}', found '\u{201C}' (U+201C)",
            suggestion: "use straight double quotes (\") instead of typographic quotes"),
        MalformedCase(
            json: "{\"formatVersion\": 1,\u{0} \"entities\": []}", line: 1, column: 21,
            message: "expected a key in double quotes, found a NUL byte"),
        MalformedCase(
            json: "{\"title\": \"a\u{0}b\"}", line: 1, column: 13,
            message: "a string cannot contain a NUL byte unescaped", suggestion: "write it as \\u0000"),
        MalformedCase(
            json: #"{"formatVersion": 1.}"#, line: 1, column: 21,
            message: "expected a digit after the decimal point, found '}'"),
        MalformedCase(
            json: #"{"formatVersion": -}"#, line: 1, column: 20, message: "expected a digit after '-', found '}'"),
        MalformedCase(json: #"{"formatVersion": nul}"#, line: 1, column: 19, message: "expected a value, found 'nul'"),
        MalformedCase(
            json: "{\n  \"formatVersion\": 1,\n  \"entities\": [\n    {\"id\" \"x\"}\n  ]\n}", line: 4, column: 11,
            message: "expected ':' after the key, found '\"'"),
    ]

    @Test(arguments: malformed)
    func malformedJSONIsReportedWhereItHappens(_ testCase: MalformedCase) throws {
        let issue = try #require(Support.singleIssue(testCase.json))
        #expect(issue.code == .invalidJSON)
        #expect(issue.severity == .error)
        #expect(issue.line == testCase.line)
        #expect(issue.column == testCase.column)
        #expect(issue.message == testCase.message)
        if let suggestion = testCase.suggestion { #expect(issue.suggestion == suggestion) }
    }

    @Test func syntaxErrorsCarryTheJSONPath() throws {
        let issue = try #require(
            Support.singleIssue(
                """
                {
                  "formatVersion": 1,
                  "entities": [
                    {"id": "a", "name": "A", "kind": "person"},
                    {"id": "b", "name": "B" "kind": "person"}
                  ]
                }
                """))
        #expect(issue.path == "$.entities[1].name")
        #expect((issue.line, issue.column) == (5, 29))
    }

    // MARK: Encodings

    @Test func invalidUTF8IsReportedAtTheByte() throws {
        var bytes = Array(#"{"formatVersion": 1, "title": "ab"#.utf8)
        bytes.append(0xFF)
        bytes += Array(#"cd", "entities": []}"#.utf8)
        let issues = GraphDocument.validate(bytes)
        #expect(issues.count == 1)
        let issue = try #require(issues.first)
        #expect(issue.code == .invalidUTF8)
        #expect(issue.message == "the string contains byte 0xFF (not valid UTF-8); the file must be UTF-8")
        #expect((issue.line, issue.column, issue.path) == (1, 34, "$.title"))

        // Truncated multi-byte sequence, and an overlong encoding of '/'.
        for bad: [UInt8] in [[0xC3], [0xE2, 0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80]] {
            let text = Array(#"{"formatVersion": 1, "entities": [], "title": "x"#.utf8) + bad + Array(#""}"#.utf8)
            #expect(GraphDocument.validate(text).map(\.code) == [.invalidUTF8], "bytes \(bad)")
        }
        // Outside strings a stray byte is a syntax error.
        let stray = Array(#"{"formatVersion": 1,"#.utf8) + [0xC3] + Array(#" "entities": []}"#.utf8)
        #expect(
            GraphDocument.validate(stray).first?.message
                == "expected a key in double quotes, found byte 0xC3 (not valid UTF-8)")
    }

    @Test func byteOrderMarkIsAccepted() throws {
        let valid = Array("\u{FEFF}".utf8) + Array(Support.document().utf8)
        let graph = try GraphDocument.read(valid)
        #expect(graph.entities.count == 3)
        // Columns on the first line do not count the mark.
        let issue = try #require(
            GraphDocument.validate(Array("\u{FEFF}{\"formatVersion\": 2, \"entities\": []}".utf8)).first)
        #expect((issue.line, issue.column) == (1, 19))
    }

    @Test func escapesAndSurrogates() throws {
        let pair = try GraphDocument.read(
            Array(#"{"formatVersion": 1, "entities": [], "title": "\ud83d\ude00 \u00e9\n\"\\\/"}"#.utf8))
        #expect(pair.title == "😀 é\n\"\\/")

        let lone = Support.issues(
            #"{"formatVersion": 1, "entities": [], "title": "a\ud800b", "description": "\udc00"}"#)
        #expect(lone.map(\.code) == [.loneSurrogate, .loneSurrogate])
        #expect(lone[0].message == "\\uD800 is a high surrogate without a low surrogate after it")
        #expect((lone[0].line, lone[0].column) == (1, 49))
        #expect(lone[1].message == "\\uDC00 is a low surrogate without a high surrogate before it")

        let badEscape = try #require(Support.singleIssue(#"{"formatVersion": 1, "entities": [], "title": "a\xb"}"#))
        #expect(badEscape.code == .invalidJSON)
        #expect(badEscape.message == "invalid escape \\x")
        #expect((badEscape.line, badEscape.column) == (1, 49))
        let shortUnicode = try #require(Support.singleIssue(#"{"formatVersion": 1, "entities": [], "title": "\u12"}"#))
        #expect(shortUnicode.message == "\\u must be followed by four hexadecimal digits")
    }

    @Test func problemsInKeysAndEscapedValuesAreReportedOnce() throws {
        let surrogateKey = #"{"formatVersion": 1, "entities": [], "attributes": {"a\ud800": 1}}"#
        #expect(Support.issues(surrogateKey).map(\.code) == [.loneSurrogate])
        let badByteKey =
            Array(#"{"formatVersion": 1, "entities": [], "attributes": {"a"#.utf8) + [0xFF]
            + Array(#"": 1}}"#.utf8)
        #expect(GraphDocument.validate(badByteKey).map(\.code) == [.invalidUTF8])
        let escapedUnknownKey = try #require(
            Support.singleIssue(#"{"formatVersion": 1, "entities": [], "n\u0061me": 1}"#))
        #expect(escapedUnknownKey.message == "unknown key 'name' in the document")
        #expect(escapedUnknownKey.path == "$.name")
        let escapedKnownKey = #"{"formatVersion": 1, "entit\u0069es": [], "title": "x"}"#
        #expect(Support.issues(escapedKnownKey).isEmpty)
        let relation =
            #"{"id": "r", "type": "own\u0073", "source": "zelensky", "target": "lukashenko", "certainty": "confirm\u0065d"}"#
        #expect(Support.issues(Support.document(relations: [relation])).isEmpty)
        let badCertainty =
            #"{"id": "r", "type": "owns", "source": "zelensky", "target": "lukashenko", "certainty": "x\ud800"}"#
        #expect(
            Support.issues(Support.document(relations: [badCertainty])).map(\.code) == [
                .unknownCertainty, .loneSurrogate,
            ])
    }

    // MARK: Hostile structure

    @Test func deepNestingFailsCleanly() throws {
        let prefix = #"{"formatVersion": 1, "entities": [], "attributes": {"a": "#
        let deep = prefix + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}}"
        let issue = try #require(Support.singleIssue(deep))
        #expect(issue.code == .nestingTooDeep)
        #expect(
            issue.message == "arrays and objects are nested deeper than 512 levels (ReadLimits.maximumNestingDepth)")
        #expect((issue.line, issue.column) == (1, prefix.count + 511))

        // Exactly at the limit is fine: 2 levels of document + 510 arrays.
        let atLimit = prefix + String(repeating: "[", count: 510) + String(repeating: "]", count: 510) + "}}"
        #expect(Support.issues(atLimit).isEmpty)

        // A top-level tower of 200,000 brackets, unterminated: no stack overflow.
        let tower = String(repeating: "[", count: 200_000)
        #expect(Support.singleIssue(tower)?.code == .nestingTooDeep)
        let objects = String(repeating: "{\"a\":", count: 100_000)
        #expect(Support.singleIssue(objects)?.column == 1 + 5 * 512)
    }

    @Test func numbersAtTheEdges() throws {
        let text =
            #"{"formatVersion": 1, "entities": [], "attributes": {"min": -9223372036854775808, "max": 9223372036854775807, "over": 1e19, "huge": 1.2345678901234568e29, "fraction": 1.50, "exponent": 2E-3, "zero": -0, "tiny": 5e-324}}"#
        let graph = try GraphDocument.read(Array(text.utf8))
        #expect(graph.attributes["min"] == .integer(.min))
        #expect(graph.attributes["max"] == .integer(.max))
        #expect(graph.attributes["over"] == .double(1e19))
        #expect(graph.attributes["huge"] == .double(1.2345678901234568e29))
        #expect(graph.attributes["tiny"] == .double(.leastNonzeroMagnitude))
        #expect(graph.attributes["fraction"] == .double(1.5))
        #expect(graph.attributes["exponent"] == .double(0.002))
        #expect(graph.attributes["zero"] == .integer(0))

        let infinite = try #require(
            Support.singleIssue(#"{"formatVersion": 1, "entities": [], "attributes": {"big": 1e400}}"#))
        #expect(infinite.code == .numberOutOfRange)
        #expect(infinite.message == "the number 1e400 is too large to represent")
        #expect((infinite.line, infinite.column, infinite.path) == (1, 60, "$.attributes.big"))
        // A number no Int64 or Double keeps exactly is an error naming it, never a silent change.
        for (number, back) in [
            ("123456789012345678901234567890123456789", "1.2345678901234568e+38"), ("4.9e-325", "0.0"),
            ("9223372036854775808", "9.223372036854776e+18"), ("0.1000000000000000000000001", "0.1"),
        ] {
            let issue = try #require(
                Support.singleIssue(#"{"formatVersion": 1, "entities": [], "attributes": {"n": \#(number)}}"#))
            #expect(issue.code == .numberOutOfRange)
            #expect(issue.severity == .error)
            #expect(issue.message == "the number \(number) cannot be kept exactly: it would be written back as \(back)")
            #expect(issue.suggestion == "write it as a string if the exact value matters")
        }
        // What a Double keeps, it keeps: the value is the same, read back from the written document.
        for number in ["0.1", "1.50", "2.5e-3", "0.30000000000000004", "1.7976931348623157e308", "-0.0", "5e-324"] {
            let document = #"{"formatVersion": 1, "entities": [], "attributes": {"n": \#(number)}}"#
            let graph = try GraphDocument.read(Array(document.utf8))
            let again = try GraphDocument.read(GraphDocument.write(graph))
            #expect(again.attributes["n"] == graph.attributes["n"])
            #expect(graph.attributes["n"] == .double(Double(number)!))
        }
        let long = String(repeating: "9", count: 5_000)
        #expect(
            Support.singleIssue(#"{"formatVersion": 1, "entities": [], "attributes": {"n": 1\#(long)}}"#)?.code
                == .numberOutOfRange)
    }

    @Test func duplicateKeysAreReported() throws {
        let entity = try #require(
            Support.singleIssue(
                #"{"formatVersion": 1, "entities": [{"id": "a", "name": "A", "name": "B", "kind": "person"}]}"#))
        #expect(entity.code == .duplicateKey)
        #expect(entity.message == "key 'name' appears twice in an entity")
        #expect((entity.line, entity.column, entity.path) == (1, 60, "$.entities[0].name"))

        let attribute = try #require(
            Support.singleIssue(#"{"formatVersion": 1, "entities": [], "attributes": {"x": 1, "x": 2}}"#))
        #expect(attribute.code == .duplicateKey)
        #expect(attribute.message == "duplicate key 'x' in this object")
        #expect((attribute.line, attribute.column, attribute.path) == (1, 61, "$.attributes.x"))

        let topLevel = Support.issues(#"{"formatVersion": 1, "entities": [], "entities": []}"#)
        #expect(topLevel.map(\.code) == [.duplicateKey])
    }

    @Test func everyTruncationOfTheSeedFileFailsCleanly() throws {
        let bytes = try Array(Data(contentsOf: Support.seedURL))
        let significantEnd = bytes.lastIndex { $0 != 0x0A && $0 != 0x20 }!  // the final '}'
        var cuts = Array(0..<min(300, significantEnd))
        cuts += stride(from: 300, to: significantEnd, by: 53)
        cuts.append(significantEnd)
        for cut in cuts {
            let decoded = GraphDocument.decode(bytes[..<cut])
            #expect(decoded.graph == nil, "a document cut at \(cut) bytes must not read")
            #expect(decoded.errors.count >= 1)
            #expect(decoded.issues.allSatisfy { ($0.line ?? 0) >= 1 && ($0.column ?? 0) >= 1 })
        }
        #expect(GraphDocument.decode(bytes[...significantEnd]).graph != nil)
    }

    @Test func randomAndMutatedInputNeverCrashes() throws {
        var random = SplitMix64(seed: 7)
        let seed = try Array(Data(contentsOf: Support.seedURL))
        let alphabet = Array(#"{}[]:,"\ 0123456789.eE+-truefalsnl"#.utf8) + [0x00, 0xFF, 0xC3, 0xE2, 0x0A]
        for round in 0..<400 {
            var input: [UInt8]
            if round % 2 == 0 {
                input = (0..<Int(random.next() % 200)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            } else {
                input = seed
                for _ in 0..<1 + Int(random.next() % 4) {
                    let index = Int(random.next() % UInt64(input.count))
                    input[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            }
            let decoded = GraphDocument.decode(input)
            #expect((decoded.graph == nil) == !decoded.errors.isEmpty)
            #expect(decoded.issues.allSatisfy { ($0.line ?? 0) >= 1 })
        }
    }

    @Test func acceptsAnySequenceOfBytes() throws {
        let text = Support.document()
        let fromString = try GraphDocument.read(text.utf8)
        let fromData = try GraphDocument.read(Data(text.utf8))
        let fromLazy = try GraphDocument.read(text.utf8.lazy.map { $0 })  // not contiguous
        #expect(fromString == fromData)
        #expect(fromString == fromLazy)
    }
}
