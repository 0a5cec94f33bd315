import Foundation
import Testing

@testable import EntityGraph

/// Shared helpers for the document tests.
enum DocumentTestSupport {
    /// The package root (three levels above this file).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let seedURL = repositoryRoot.appending(path: "Graphs/zelensky-lukashenko-mozyr.json")

    /// A small valid document. Relations start on line 12, indented by four spaces, so an issue at
    /// character `i` (0-based) of relation `n` is at line `12 + n`, column `5 + i`.
    static func document(relations: [String] = [defaultRelation], extraTopLevel: String = "") -> String {
        """
        {
          "formatVersion": 1,
          "documents": [
            {"id": "kyivpost", "title": "Kyiv Post analysis", "url": "https://www.kyivpost.com/x"}
          ],
          "entities": [
            {"id": "lukashenko", "name": "Alexander Lukashenko", "kind": "person"},
            {"id": "zelensky", "name": "Volodymyr Zelensky", "kind": "person", "aliases": ["Zelenskyy"]},
            {"id": "mozyr-refinery", "name": "Mozyr oil refinery", "kind": "facility"}
          ],
          "relations": [
            \(relations.joined(separator: ",\n    "))
          ]\(extraTopLevel)
        }

        """
    }

    static let defaultRelation = #"{"id": "r1", "type": "spokeWith", "source": "zelensky", "target": "lukashenko"}"#

    /// A document with one entity written as given (entities start on line 4, indented by four spaces).
    static func document(entity: String) -> String {
        """
        {
          "formatVersion": 1,
          "entities": [
            \(entity)
          ]
        }

        """
    }

    static func issues(_ text: String, fileName: String? = nil) -> [ValidationIssue] {
        GraphDocument.validate(Array(text.utf8), fileName: fileName)
    }

    /// The single issue of a document, failing the test when there is not exactly one.
    static func singleIssue(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ValidationIssue? {
        let found = issues(text)
        #expect(
            found.count == 1, "expected exactly one issue, got \(found.map(\.description))",
            sourceLocation: sourceLocation)
        return found.first
    }

    /// A graph using every feature of the format, with text that needs escaping.
    static func richGraph() throws -> Graph {
        var graph = Graph(
            title: "Rich \"test\" graph", description: "Line one\nline two\ttabbed — ünïcode ✓",
            attributes: [
                "nested": ["list": [1, 2.5, "three", nil, true], "empty": [:], "none": []],
                "big": .double(1e300), "tiny": .double(.leastNonzeroMagnitude), "negative": .integer(.min),
            ])
        try graph.add(
            SourceDocument(
                id: "kyivpost-2025-01-06", title: "Has Zelensky struck out?", publisher: "Kyiv Post",
                date: PartialDate("2025-01-06"), url: "https://www.kyivpost.com/post/1",
                attributes: ["genre": "analysis"]))
        try graph.add(SourceDocument(id: "untitled", title: ""))
        try graph.declare(Kind(id: "militaryUnit", label: "Military unit", attributes: ["shape": "hexagon"]))
        try graph.declare(
            RelationType(
                id: "apologizedTo", label: "apologized to",
                inverseLabel: "received an apology from", category: .communication))
        try graph.declare(RelationType(id: "metWith", label: "met with", symmetric: true, category: "meetings"))
        try graph.add(
            Entity(
                id: "lukashenko", name: "Alexander Lukashenko", kind: .person,
                aliases: ["Aliaksandr Lukashenka", "Лукашенко"], description: "President of Belarus",
                attributes: ["country": "by", "born": 1954],
                sources: [Citation(document: "kyivpost-2025-01-06", locator: "¶7")]))
        try graph.add(
            Entity(
                id: "zelensky", name: "Volodymyr Zelensky", kind: .person,
                attributes: ["quote\"key": "control \u{01} char", "separators": "a\u{2028}b\u{2029}c"]))
        try graph.add(
            Entity(
                id: "brigade-1", name: "1st brigade", kind: "militaryUnit",
                sources: [Citation(document: "untitled")]))
        try graph.add(
            Relation(
                id: "lukashenko-apologized-to-zelensky", type: "apologizedTo", source: "lukashenko",
                target: "zelensky", since: PartialDate("2022-02"), until: PartialDate("2022-03"),
                certainty: .claimed, assertedBy: "zelensky",
                sources: [Citation(document: "kyivpost-2025-01-06", locator: "¶7")],
                attributes: ["note": "by phone"]))
        try graph.add(
            Relation(
                id: "parallel-1", type: "metWith", source: "lukashenko", target: "zelensky",
                since: PartialDate("2019")))
        try graph.add(
            Relation(
                id: "parallel-2", type: "metWith", source: "lukashenko", target: "zelensky",
                since: PartialDate("2020-10-04"), certainty: .disputed))
        return graph
    }
}
