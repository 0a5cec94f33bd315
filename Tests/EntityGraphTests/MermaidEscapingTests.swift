import Foundation
import Testing

@testable import EntityGraph

/// The hostile-strings fixture shared by the escaping tests of every exporter.
enum HostileFixture {
    static let url = DocumentTestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/hostile-strings.json")

    static func graph() throws -> Graph {
        try GraphDocument.read(contentsOf: url)
    }
}

/// Reads a Mermaid label back the way Mermaid renders it: entity codes (`#35;`, `#quot;`) become
/// their characters and `<br>` a line feed. Returns `nil` when the label holds a character Mermaid
/// would read as syntax (so the exporter failed to escape it).
enum MermaidLabel {
    static let named: [String: String] = ["quot": "\"", "amp": "&", "lt": "<", "gt": ">"]
    /// Characters that must never appear raw inside a label.
    static let forbidden: Set<Unicode.Scalar> = [
        "\"", "#", "&", "<", ">", "`", "|", "%", "\\", ":", "\t", "\n", "\r", "{", "}", "\u{FB02}", "\u{B6}",
        "\u{202E}", "\u{2028}", "\u{2029}", "\u{85}", "\u{FEFF}",
    ]

    static func decode(_ label: Substring) -> String? {
        var text = String(label)
        text = text.replacingOccurrences(of: "<br>", with: "\n")
        var output = ""
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.first {
            scalars.removeFirst()
            if scalar == "#" {
                guard let end = scalars.firstIndex(of: ";") else { return nil }
                let code = String(String.UnicodeScalarView(scalars[..<end]))
                scalars = scalars[scalars.index(after: end)...]
                if let value = UInt32(code), let decoded = Unicode.Scalar(value) {
                    output.unicodeScalars.append(decoded)
                } else if let decoded = named[code] {
                    output += decoded
                } else {
                    return nil
                }
            } else if scalar == "\n" {
                output += "\n"
            } else if forbidden.contains(scalar) {
                return nil
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// What the exporter may change, each named in a warning: characters no Mermaid chart can hold
    /// become U+FFFD, and every kind of line break becomes `<br>` (a line feed).
    static func expected(_ text: String) -> String {
        var output = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar.value {
            case 0x0A: if !previousWasCR { output += "\n" }
            case 0x0D, 0x2028, 0x2029, 0x85: output += "\n"
            case 0x09: output += "\t"
            case 0..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF: output += "\u{FFFD}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

/// Mermaid output cannot be turned against its reader: user text never opens a directive, a
/// comment, a link or a style line, never ends a label, never breaks a line.
@Suite struct MermaidEscapingTests {
    @Test func escapesEveryCharacterMermaidReadsAsSyntax() {
        #expect(
            MermaidExporter.escape("x %%{init: {'theme':'dark'}}%% y").0
                == "x #37;#37;#123;init#58; #123;'theme'#58;'dark'#125;#125;#37;#37; y")
        #expect(MermaidExporter.escape(#"C:\new \n"#).0 == "C#58;#92;new #92;n")
        #expect(MermaidExporter.escape("fa:fa-car").0 == "fa#58;fa-car")
        #expect(MermaidExporter.escape("ﬂ°lt¶ß").0 == "#64258;°lt#182;ß")
        #expect(MermaidExporter.escape("a\u{202E}b").0 == "a#8238;b")
        #expect(MermaidExporter.escape("esc\u{1B}[2J\u{9B}").replaced == 2)
        // Mermaid trims labels: the whitespace at either end is written as entity codes.
        #expect(MermaidExporter.escape(" \u{A0}a b\u{3000} ").0 == "#32;#160;a b#12288;#32;")
        #expect(MermaidExporter.escape("\nx\u{FEFF}").0 == "<br>x#65279;")
    }

    @Test func lineBreaksOtherThanLineFeedAreCounted() {
        #expect(MermaidExporter.escape("a\nb").lineBreaks == 0)
        #expect(MermaidExporter.escape("a\r\nb\rc\u{2028}d").lineBreaks == 3)
        #expect(MermaidExporter.escape("a\r\nb\rc\u{2028}d").0 == "a<br>b<br>c<br>d")
    }

    @Test func everyFixtureNameAppearsOnlyEscapedInsideItsQuotedLabel() throws {
        let graph = try HostileFixture.graph()
        let result = graph.export(as: .mermaid)
        let lines = result.text.split(separator: "\n", omittingEmptySubsequences: false)
        // Three front-matter lines, the header, one line per entity, relation and kind class
        // (two each), and the final empty string after the last line feed.
        let kinds = Set(graph.entities.values.map(\.kind)).count
        #expect(lines.count == 4 + graph.entities.count + graph.relations.count + 2 * kinds + 1)
        #expect(lines[0] == "---" && lines[2] == "---" && lines[3] == "flowchart LR")
        #expect(lines.last == "")

        let nodeLines = lines[4..<(4 + graph.entities.count)]
        for (line, entity) in zip(nodeLines, graph.entities.values) {
            let opening = try #require(line.range(of: "[\""), "not a node: \(line)")
            #expect(line.hasSuffix("\"]"), "label not closed at the end: \(line)")
            #expect(
                line[..<opening.lowerBound].allSatisfy {
                    $0 == " " || $0 == "_" || $0.isASCII && $0.isLetter || $0.isNumber
                })
            let label = line[opening.upperBound..<line.index(line.endIndex, offsetBy: -2)]
            #expect(MermaidLabel.decode(label) == MermaidLabel.expected(entity.name), "\(entity.id): \(line)")
        }
        let relationLines = lines[(4 + graph.entities.count)..<(4 + graph.entities.count + graph.relations.count)]
        for line in relationLines {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
            #expect(parts.count == 3, "user text opened or closed an edge label: \(line)")
            if parts.count == 3 {
                #expect(parts[1].hasPrefix("\"") && parts[1].hasSuffix("\""))
                #expect(MermaidLabel.decode(parts[1].dropFirst().dropLast()) != nil, "\(line)")
            }
        }
        for line in lines.dropFirst(4 + graph.entities.count + graph.relations.count).dropLast() {
            #expect(line.hasPrefix("  classDef kind_") || line.hasPrefix("  class n_"), "\(line)")
        }
        // No directive or comment anywhere (the exporter itself writes none), and outside the
        // labels only what the exporter writes.
        #expect(!result.text.contains("%"))
        for line in lines.dropFirst(4) {
            let outside = line.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 0 }.map(\.element).joined()
            for name in ["click", "href", "call", "style ", "linkStyle", "%%", ":::", "&"] {
                #expect(!outside.contains(name), "\(name) outside the labels: \(line)")
            }
        }
        let warnings = result.warnings.joined(separator: "\n")
        #expect(warnings.contains("entity 'back\\\\slash' name"))
        #expect(warnings.contains("entity 'x a' name"))
        #expect(warnings.contains("entity 'zw\\u{200b}id' name"))
        #expect(warnings.contains("entity 'e18' name"))
        #expect(!warnings.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test func theTitleIsAPlainYAMLStringThatReadsBackExactly() throws {
        let titles = [
            "---\ntitle: x\n---\n%%{init: {'theme':'dark'}}%%",
            "a: b # c\n- [x] {y} &z *w !v |u >t 'q' \"p\"",
            "tab\tCR\rNEL\u{85}LS\u{2028}BOM\u{FEFF}\u{FFFE} ﬂ°x¶ß \u{202E}rtl",
            try HostileFixture.graph().title!,
        ]
        for title in titles {
            let text = Graph(title: title).export(as: .mermaid).text
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 5, "the title broke a line: \(text.debugDescription)")
            #expect(lines[0] == "---" && lines[2] == "---" && lines[3] == "flowchart LR")
            let line = lines[1]
            #expect(line.hasPrefix("title: \"") && line.hasSuffix("\""))
            #expect(!line.contains("%") && !line.contains("<") && !line.contains(">"))
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
            // A YAML double-quoted scalar that is also JSON: the same decoder reads it.
            let quoted = line.dropFirst("title: ".count)
            let decoded = try JSONDecoder().decode(String.self, from: Data(quoted.utf8))
            #expect(decoded == title)
        }
    }

    @Test func outputIsDeterministic() throws {
        let graph = try HostileFixture.graph()
        #expect(graph.export(as: .mermaid) == graph.export(as: .mermaid))
    }
}
