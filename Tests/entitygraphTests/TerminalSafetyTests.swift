import Foundation
import Testing

/// No control character, C1 code or bidirectional override from a user's data reaches the terminal,
/// and line-oriented output keeps one line per item whatever the names hold.
@Suite("Terminal output shows user text, never acts on it")
struct TerminalSafetyTests {
    static let fixture = "Tests/Fixtures/hostile-strings.json"

    /// Scalars a terminal acts on: C0 controls but LF and tab, DEL, C1, bidi controls, separators.
    static func actsOnTerminal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
        default: return false
        }
    }

    static func expectClean(
        _ result: CommandResult, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (stream, text) in [("stdout", result.output), ("stderr", result.standardError)] {
            let bad = text.unicodeScalars.filter(actsOnTerminal)
            #expect(
                bad.isEmpty, "\(arguments) \(stream) holds \(bad.map { String($0.value, radix: 16) })",
                sourceLocation: sourceLocation)
        }
    }

    @Test(
        "info, neighbors, path and validate on the hostile fixture print only visible text",
        arguments: [
            ["info", fixture], ["neighbors", fixture, "say-hi"], ["neighbors", fixture, "x", "--depth", "2"],
            ["path", fixture, "say-hi", "x", "--ignore-direction"], ["validate", fixture],
            ["neighbors", fixture, "no such \u{1B}[31mentity\u{7}"], ["path", fixture, "say-hi", "\u{202E}evil"],
        ])
    func hostileFixture(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        Self.expectClean(result, arguments)
        #expect(result.status == 0 || result.status == 1, "\(result.standardError)")
    }

    @Test("validate prints one line per problem even when an id holds a line break")
    func validateOneLinePerProblem() throws {
        try withTemporaryFolder { folder in
            let document = """
                {"formatVersion": 1, "entities": [
                  {"id": "a\\nb", "kind": "person", "name": "A"},
                  {"id": "c", "kind": "person", "name": "C\\u001b[2J"}],
                 "relations": [{"id": "r", "type": "spokeWith", "source": "a\\nb", "target": "missing\\rid"}]}
                """
            let file = folder.appendingPathComponent("g.json")
            try Data(document.utf8).write(to: file)
            let result = try CLI.run(["validate", file.path])
            Self.expectClean(result, ["validate"])
            let lines = result.output.split(separator: "\n")
            // Every line is a problem or the count; each names the file.
            #expect(lines.allSatisfy { $0.hasPrefix(file.path) }, "\(result.output)")
            #expect(lines.last?.contains("error") == true)
            #expect(result.output.contains("a\\nb") || result.output.contains("missing\\rid"), "\(result.output)")
        }
    }
}
