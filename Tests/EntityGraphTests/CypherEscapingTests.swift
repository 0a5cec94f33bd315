import Foundation
import Testing

@testable import EntityGraph

/// A small reader for one statement of our Cypher scripts: string literals (decoded), backtick
/// identifiers (which may not hold a backtick: FalkorDB cannot quote one) and the keys of each
/// property map, depth first.
struct CypherStatement {
    var literals: [String] = []
    var identifiers: [String] = []
    /// The keys of every `{…}` map, outermost first, in order.
    var mapKeys: [[String]] = []
    var balanced = false

    init(_ line: String) {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        var stack: [Unicode.Scalar] = []
        var openMaps: [Int] = []
        var pendingKey: String? = nil
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "'", "\"":
                var value = ""
                index += 1
                while index < scalars.count, scalars[index] != scalar {
                    if scalars[index] == "\\", index + 1 < scalars.count {
                        let next = scalars[index + 1]
                        let simple: [Unicode.Scalar: String] = [
                            "\\": "\\", "'": "'", "\"": "\"", "n": "\n", "r": "\r", "t": "\t", "b": "\u{8}",
                            "f": "\u{C}",
                        ]
                        if let decoded = simple[next] {
                            value += decoded
                            index += 2
                        } else if next == "u", index + 6 <= scalars.count,
                            let code = UInt32(text((index + 2)..<(index + 6)), radix: 16),
                            let decoded = Unicode.Scalar(code)
                        {
                            value.unicodeScalars.append(decoded)
                            index += 6
                        } else {
                            return
                        }
                    } else {
                        value.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                }
                guard index < scalars.count else { return }
                literals.append(value)
                index += 1
                pendingKey = nil
            case "`":
                guard let end = scalars[(index + 1)...].firstIndex(of: "`") else { return }
                let name = text((index + 1)..<end)
                identifiers.append(name)
                pendingKey = name
                index = end + 1
            case "{", "(", "[":
                stack.append(scalar)
                if scalar == "{" {
                    openMaps.append(mapKeys.count)
                    mapKeys.append([])
                }
                pendingKey = nil
                index += 1
            case "}", ")", "]":
                let open: Unicode.Scalar = scalar == "}" ? "{" : scalar == ")" ? "(" : "["
                guard stack.popLast() == open else { return }
                if scalar == "}" { openMaps.removeLast() }
                index += 1
            case ":":
                if stack.last == "{", let key = pendingKey, let map = openMaps.last { mapKeys[map].append(key) }
                pendingKey = nil
                index += 1
            default:
                if scalar.properties.isAlphabetic || scalar == "_" {
                    var end = index
                    while end < scalars.count,
                        scalars[end].properties.isAlphabetic || scalars[end] == "_"
                            || ("0"..."9").contains(scalars[end])
                    {
                        end += 1
                    }
                    pendingKey = text(index..<end)
                    index = end
                } else {
                    if scalar != " " { pendingKey = nil }
                    index += 1
                }
            }
        }
        balanced = stack.isEmpty
    }
}

/// The Cypher script and the neo4j-admin CSV files cannot be broken by names or keys, and never
/// merge two keys, kinds or relation types into one.
@Suite struct CypherEscapingTests {
    @Test func everyFixtureStatementIsOneBalancedLineWhoseKeysAreTheFixturesKeys() throws {
        let graph = try HostileFixture.graph()
        let result = graph.export(as: .cypher)
        let statements = result.text.split(separator: "\n").filter { !$0.hasPrefix("//") }
        #expect(statements.count == graph.documents.count + graph.entities.count + graph.relations.count)
        var parsed: [CypherStatement] = []
        for line in statements {
            #expect(line.hasSuffix(";"))
            #expect(line.dropLast().firstIndex(of: ";").map { _ in CypherStatement(String(line)).balanced } ?? true)
            let statement = CypherStatement(String(line))
            #expect(statement.balanced, "unbalanced: \(line)")
            parsed.append(statement)
        }
        let renamed = ["weird`key": "weird_key"]
        let entityFixed = ["id", "name", "kind", "aliases", "description", "sources"]
        for (statement, entity) in zip(parsed.dropFirst(graph.documents.count), graph.entities.values) {
            #expect(statement.literals.prefix(3) == [entity.id.rawValue, entity.name, entity.kind.rawValue])
            let keys = try #require(statement.mapKeys.first)
            let attributeKeys = keys.filter { !entityFixed.contains($0) }
            #expect(attributeKeys == entity.attributes.keys.map { renamed[$0] ?? $0 }, "\(entity.id)")
            for case .string(let value) in entity.attributes.values {
                #expect(statement.literals.contains(value), "value \(value.debugDescription) of \(entity.id)")
            }
        }
        for (statement, relation) in zip(parsed.suffix(graph.relations.count), graph.relations.values) {
            #expect(
                statement.literals.prefix(4) == [
                    relation.source.rawValue, relation.target.rawValue, relation.id.rawValue, relation.type.rawValue,
                ])
            let keys = try #require(statement.mapKeys.last)
            #expect(keys.suffix(relation.attributes.count) == relation.attributes.keys.map { renamed[$0] ?? $0 })
        }
        let warnings = result.warnings.joined(separator: "\n")
        #expect(warnings.contains("'weird`key' as 'weird_key'"), "\(warnings)")
        #expect(warnings.contains("entity 'say-hi'"))
        #expect(warnings.contains("relation 'r\"0\u{a0}'") || warnings.contains("relation 'r\"0"))
    }

    @Test func stringsKeepEveryCharacterAValueCanHold() {
        for text in ["nul\u{0}x", "\u{2028}\u{2029}\u{85}", "it's", "say \"hi\"", "back\\slash \\n", "`tick``"] {
            let statement = CypherStatement("RETURN \(CypherNames.string(text));")
            #expect(statement.balanced)
            #expect(statement.literals == [text])
        }
    }

    @Test func keysThatCollideAfterRenamingStayApart() throws {
        var graph = Graph()
        try graph.add(
            Entity(
                id: "a", name: "A", kind: .person,
                attributes: ["a`b": "backtick", "a_b": "underscore", "A_B": "upper", "name": "fixed"]))
        try graph.add(Entity(id: "b", name: "B", kind: .person))
        try graph.add(Relation(id: "r", type: "leads", source: "a", target: "b", attributes: ["x`": 1, "x_": 2]))
        let result = graph.export(as: .cypher)
        let statements = result.text.split(separator: "\n").filter { !$0.hasPrefix("//") }.map {
            CypherStatement(String($0))
        }
        let entityKeys = try #require(statements.first?.mapKeys.first)
        #expect(Set(entityKeys).count == entityKeys.count, "\(entityKeys)")
        // Property names are case-sensitive: `A_B` stays `A_B` beside `a_b`; a renamed key avoids both.
        #expect(entityKeys.suffix(4) == ["a_b_2", "a_b", "A_B", "attr.name"])
        #expect(!entityKeys.contains { $0.contains("`") })
        let relationKeys = try #require(statements.last?.mapKeys.last)
        #expect(Set(relationKeys).count == relationKeys.count, "\(relationKeys)")
        let warnings = result.warnings.joined(separator: "\n")
        #expect(warnings.contains("'a`b'"))
        #expect(warnings.contains("'x`'"))
    }

    @Test func labelsAndTypesThatReduceToTheSameNameStayApart() throws {
        var graph = Graph()
        for (id, kind) in [("a", "thinkTank"), ("b", "think-tank"), ("c", "sourceDocument"), ("d", "entity")] {
            try graph.declare(Kind(id: KindID(kind), label: kind))
            try graph.add(Entity(id: EntityID(id), name: id, kind: KindID(kind)))
        }
        for type in ["apologizedTo", "apologized_to", "APOLOGIZED_TO"] {
            try graph.declare(RelationType(id: RelationTypeID(type), label: type, category: .other))
        }
        try graph.add(Relation(id: "r1", type: "apologizedTo", source: "a", target: "b"))
        try graph.add(Relation(id: "r2", type: "apologized_to", source: "a", target: "b"))
        try graph.add(Relation(id: "r3", type: "APOLOGIZED_TO", source: "a", target: "b"))
        let result = graph.export(as: .cypher)
        let statements = result.text.split(separator: "\n").filter { !$0.hasPrefix("//") }.map {
            CypherStatement(String($0))
        }
        #expect(statements.map(\.identifiers.first) == Array(repeating: "Entity", count: 7))
        #expect(statements[0].identifiers[1] == "ThinkTank")
        #expect(statements[1].identifiers[1] == "ThinkTank_2")
        #expect(statements[2].identifiers[1] == "SourceDocument_2")
        #expect(statements[3].identifiers.count == 1, "the kind 'entity' is the Entity label itself")
        let types = statements.suffix(3).map { $0.identifiers.last }
        #expect(types == ["APOLOGIZED_TO", "APOLOGIZED_TO_2", "APOLOGIZED_TO_3"])
        let warnings = result.warnings.joined(separator: "\n")
        #expect(warnings.contains("'think-tank' as ThinkTank_2"), "\(warnings)")
        #expect(warnings.contains("'apologized_to' as APOLOGIZED_TO_2"))

        let neo4j = graph.export(as: .neo4jCSV)
        let nodes = CSVSheetsParse.records(neo4j.files[0].bytes)
        #expect(
            nodes.dropFirst().map { $0[3] } == [
                "Entity;ThinkTank", "Entity;ThinkTank_2", "Entity;SourceDocument_2", "Entity",
            ])
        let relationships = CSVSheetsParse.records(neo4j.files[1].bytes)
        #expect(relationships.dropFirst().map { $0[2] } == ["APOLOGIZED_TO", "APOLOGIZED_TO_2", "APOLOGIZED_TO_3"])
    }

    @Test func neo4jHeadersThatCollideAfterRenamingStayApart() throws {
        var graph = Graph()
        try graph.add(Entity(id: "a", name: "A", kind: .person, attributes: ["a:b": "colon", "a_b": "underscore"]))
        let result = graph.export(as: .neo4jCSV, formulaSafety: .raw)
        let header = CSVSheetsParse.records(result.files[0].bytes)[0]
        #expect(Set(header.map { $0.lowercased() }).count == header.count, "\(header)")
        #expect(header.suffix(2) == ["a_b_2", "a_b"])
        #expect(result.warnings.joined(separator: "\n").contains("'a:b' as 'a_b_2'"))
    }
}
