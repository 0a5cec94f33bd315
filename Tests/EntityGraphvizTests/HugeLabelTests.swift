import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

/// A 50 MB single-line label, generated at test time: every reader takes it or refuses it with a
/// precise error, and nothing of it reaches Graphviz's parser or layout.
@Suite("Huge label")
struct HugeLabelTests {
    static let size = 50 * 1024 * 1024

    @Test("the JSON reader keeps a 50 MB name losslessly and the renderer refuses it by name")
    func jsonDocument() throws {
        var document = Array(#"{"formatVersion": 1, "entities": [{"id": "big", "kind": "person", "name": ""#.utf8)
        document.reserveCapacity(Self.size + 200)
        document.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: Self.size))
        document.append(contentsOf: Array(#""}], "relations": []}"#.utf8))
        let graph = try GraphDocument.read(document, fileName: "huge.json")
        #expect(graph.entities["big"]?.name.utf8.count == Self.size)
        do {
            _ = try Renderer().render(graph, format: "svg")
            Issue.record("a 50 MB label reached Graphviz")
        } catch {
            #expect(error.code == .limitExceeded)
            #expect(error.message.contains("maximumTextBytes"))
        }
    }

    @Test("the DOT reader refuses a 50 MB label before Graphviz's parser sees it")
    func dotFile() throws {
        var text = Array(#"digraph { a [label=""#.utf8)
        text.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: Self.size))
        text.append(contentsOf: Array(#""] }"#.utf8))
        #expect(throws: DOTImportError.self) { try DOTImport.read(Data(text), fileName: "huge.dot") }
    }
}
