import EntityGraph
import EntityGraphviz
import Foundation
import Testing

@Suite("DOTImport")
struct DOTImportTests {
    // MARK: Mapping

    @Test("nodes become entities: id, name from label, kind from the kind attribute or the shape")
    func nodes() throws {
        let graph = try DOTImport.read(
            #"""
            digraph Network {
                a [label="Alice Smith", shape=ellipse];
                b [label="\N", kind="Military unit"];
                c [shape=box];
                d;
                e [label="Line one\nline two &amp; \\ more", kind=Person];
                f [kind=state, shape=ellipse];
            }
            """#)
        #expect(graph.title == "Network")
        #expect(graph.entities.keys.map(\.rawValue) == ["a", "b", "c", "d", "e", "f"])
        let a = try #require(graph.entities["a"])
        #expect(a.name == "Alice Smith")
        #expect(a.kind == .person)
        #expect(a.attributes["shape"] == "ellipse")
        #expect(a.attributes["label"] == nil)  // consumed into the name
        let b = try #require(graph.entities["b"])
        #expect(b.name == "b")
        #expect(b.kind == "militaryUnit")
        #expect(graph.kind("militaryUnit")?.label == "Military unit")
        #expect(b.attributes["kind"] == nil)
        #expect(graph.entities["c"]?.kind == .organization)
        #expect(graph.entities["d"]?.kind == .organization)  // no shape set: the default kind, not "person"
        let e = try #require(graph.entities["e"])
        #expect(e.name == "Line one\nline two & \\ more")
        #expect(e.kind == .person)
        #expect(e.attributes["kind"] == nil)  // "Person" is the built-in kind's label
        #expect(graph.entities["f"]?.kind == .state)  // the kind attribute wins over the shape
    }

    @Test("options choose the default kind, the shape mapping and the default relation type")
    func options() throws {
        var options = DOTImportOptions()
        options.defaultKind = .place
        options.kindsByShape = ["diamond": .event]
        options.defaultRelationType = "locatedIn"
        let graph = try DOTImport.read("digraph { a; b [shape=diamond]; c [shape=ellipse]; a -> b }", options: options)
        #expect(graph.entities["a"]?.kind == .place)
        #expect(graph.entities["b"]?.kind == .event)
        #expect(graph.entities["c"]?.kind == .place)
        #expect(graph.relations["e1"]?.type == "locatedIn")
    }

    @Test("edges become relations: type from type/relation/label, ids from keys or e1, e2, …")
    func edges() throws {
        let graph = try DOTImport.read(
            #"""
            digraph {
                a -> b [type=memberOf];
                a -> c [relation="apologized to", key=apology];
                b -> c [label="allied with"];
                c -> a;
                a -> b [key=e2, label="Weird Label!"];
                b -> c [key=apology];
            }
            """#)
        let ids = graph.relations.keys.map(\.rawValue)
        #expect(ids == ["e1", "apology", "e3", "e4", "e2", "apology-2"])
        #expect(graph.relations["e1"]?.type == "memberOf")
        #expect(graph.relations["apology"]?.type == "apologizedTo")
        #expect(graph.relationType("apologizedTo")?.label == "apologized to")
        #expect(graph.relations["apology"]?.attributes["relation"] == nil)
        #expect(graph.relations["e3"]?.type == "alliedWith")  // the built-in type, found by its slug
        #expect(graph.relations["e4"]?.type == "relatedTo")
        #expect(graph.relations["e2"]?.type == "weirdLabel")
        #expect(graph.relationType("weirdLabel")?.label == "Weird Label!")
        #expect(graph.relations["apology-2"]?.source == "b")
    }

    @Test("since, until, certainty and assertedBy fill the relation's fields when they parse")
    func relationFields() throws {
        let graph = try DOTImport.read(
            #"""
            digraph {
                z; l;
                z -> l [type=spokeWith, since=2022, until="2022-10-19", certainty=claimed, assertedBy=z];
                z -> l [since=yesterday, certainty=maybe, assertedBy=nobody];
            }
            """#)
        let first = try #require(graph.relations["e1"])
        #expect(first.since == PartialDate("2022"))
        #expect(first.until == PartialDate("2022-10-19"))
        #expect(first.certainty == .claimed)
        #expect(first.assertedBy == "z")
        #expect(first.attributes.isEmpty)
        let second = try #require(graph.relations["e2"])
        #expect(second.since == nil && second.certainty == .confirmed && second.assertedBy == nil)
        #expect(second.attributes == ["since": "yesterday", "certainty": "maybe", "assertedBy": "nobody"])
    }

    @Test("parallel edges and self-loops are kept")
    func multigraph() throws {
        let graph = try DOTImport.read("digraph { a -> b; a -> b; a -> b [color=red]; a -> a; a -> a }")
        #expect(graph.relations.count == 5)
        #expect(graph.relations.values.filter { $0.source == "a" && $0.target == "b" }.count == 3)
        #expect(graph.relations.values.filter { $0.source == "a" && $0.target == "a" }.count == 2)
        #expect(graph.relations["e3"]?.attributes["color"] == "red")
    }

    @Test("undirected graphs mark relations directed: false; strict graphs are noted and merged")
    func undirectedAndStrict() throws {
        let undirected = try DOTImport.read("graph { a -- b [label=partner]; b -- a }")
        #expect(undirected.attributes["directed"] == false)
        #expect(undirected.attributes["strict"] == nil)
        #expect(undirected.relations.values.allSatisfy { $0.attributes["directed"] == false })
        #expect(undirected.relationType("partner")?.symmetric == true)
        #expect(undirected.relations.count == 2)

        let strict = try DOTImport.read("strict graph { a -- b; b -- a; a -- b; a -- a; a -- a }")
        #expect(strict.attributes["strict"] == true)
        #expect(strict.attributes["directed"] == false)
        #expect(strict.relations.count == 2)  // Graphviz merges duplicates in a strict graph

        let strictDirected = try DOTImport.read("strict digraph { a -> b; b -> a; a -> b }")
        #expect(strictDirected.attributes["strict"] == true)
        #expect(strictDirected.attributes["directed"] == nil)
        #expect(strictDirected.relations.count == 2)
    }

    @Test("clusters become group and groups attributes; cluster details go to the graph")
    func clusters() throws {
        let graph = try DOTImport.read(
            #"""
            digraph {
                label="Whole graph";
                subgraph cluster_west {
                    label="West";
                    a;
                    subgraph cluster_inner { b [group=g1]; }
                    subgraph plain { c; }
                }
                subgraph cluster_unlabelled { color=blue; d; }
                e;
            }
            """#)
        #expect(graph.entities["a"]?.attributes["group"] == "West")
        #expect(graph.entities["a"]?.attributes["groups"] == ["West"])
        // The inner cluster inherits no label of its own: its name stands in.
        #expect(graph.entities["b"]?.attributes["group"] == "cluster_inner")
        #expect(graph.entities["b"]?.attributes["groups"] == ["West", "cluster_inner"])
        #expect(graph.entities["b"]?.attributes["dotGroup"] == "g1")
        #expect(graph.entities["c"]?.attributes["group"] == "West")
        #expect(graph.entities["d"]?.attributes["group"] == "cluster_unlabelled")
        #expect(graph.entities["e"]?.attributes["group"] == nil)
        #expect(graph.attributes["label"] == "Whole graph")
        let clusters = try #require(graph.attributes["clusters"])
        #expect(
            clusters == [
                "cluster_west": ["label": "West"], "cluster_inner": ["parent": "cluster_west"],
                "cluster_unlabelled": ["color": "blue"],
            ])
    }

    @Test("other attributes are kept as strings; declared defaults are not copied onto every object")
    func attributes() throws {
        let graph = try DOTImport.read(
            #"""
            digraph {
                rankdir=LR; fontname="Helvetica";
                node [shape=box, color=gray];
                edge [color=blue];
                a [color=red, weight=3, URL="https://example.org", image="/etc/passwd"];
                b;
                a -> b [penwidth=2];
                a -> b;
            }
            """#)
        #expect(graph.attributes["rankdir"] == "LR")
        #expect(graph.attributes["fontname"] == "Helvetica")
        #expect(graph.attributes["nodeDefaults"] == ["shape": "box", "color": "gray"])
        #expect(graph.attributes["edgeDefaults"] == ["color": "blue"])
        let a = try #require(graph.entities["a"])
        #expect(a.attributes == ["color": "red", "weight": "3", "URL": "https://example.org", "image": "/etc/passwd"])
        #expect(a.kind == .organization)  // shape=box from the default still maps the kind
        #expect(graph.entities["b"]?.attributes.isEmpty == true)
        #expect(graph.relations["e1"]?.attributes == ["penwidth": "2"])
        #expect(graph.relations["e2"]?.attributes.isEmpty == true)
    }

    @Test("HTML-like labels are kept verbatim as text and never interpreted")
    func htmlLabels() throws {
        let graph = try DOTImport.read(
            #"""
            digraph {
                a [label=<<b>Bold</b> &amp; <i>x</i>>];
                b [label="plain"];
                a -> b [label=<<font color="red">supplies</font>>];
                t [label=<<table><tr><td>"{"</td></tr></table>>];
            }
            """#)
        let a = try #require(graph.entities["a"])
        #expect(a.name == "a")
        #expect(a.attributes["label"] == "<<b>Bold</b> &amp; <i>x</i>>")
        #expect(graph.entities["b"]?.name == "plain")
        let relation = try #require(graph.relations["e1"])
        #expect(relation.type == "relatedTo")  // an HTML label is not a type
        #expect(relation.attributes["label"] == #"<<font color="red">supplies</font>>"#)
        #expect(graph.entities["t"]?.attributes["label"] == #"<<table><tr><td>"{"</td></tr></table>>"#)
    }

    @Test("Latin-1: charset=latin1 bytes are Latin-1; stray non-UTF-8 bytes are an error, or a warned fallback")
    func latin1() throws {
        var bytes = Array("digraph { graph [charset=latin1]; a [label=\"Caf".utf8)
        bytes += [0xE9] + Array("\"]; }".utf8)
        let graph = try DOTImport.read(Data(bytes))
        #expect(graph.entities["a"]?.name == "Café")

        var stray = Array("digraph {\n a [label=\"Caf".utf8)
        stray += [0xE9] + Array("\"]; }".utf8)
        let error = #expect(throws: DOTImportError.self) { try DOTImport.read(Data(stray), fileName: "x.gv") }
        #expect(error?.code == .invalidUTF8)
        #expect(error?.line == 2)
        #expect(error?.description.contains("x.gv:2") == true)

        var fallback = DOTImportOptions()
        fallback.invalidUTF8 = .readAsLatin1
        #expect(try DOTImport.read(Data(stray), options: fallback).entities["a"]?.name == "Café")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("latin1-\(UUID().uuidString).gv")
        try Data(stray).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let decoded = DOTImport.decode(contentsOf: file, options: fallback)
        #expect(decoded.graph?.entities["a"]?.name == "Café")
        #expect(decoded.warnings.map(\.code) == [.invalidUTF8])
        #expect(decoded.warnings.first?.line == 2)
        #expect(DOTImport.decode(contentsOf: file).errors.map(\.code.rawValue) == ["dot.invalidUTF8"])
        // A String is already decoded: its charset attribute changes nothing.
        #expect(try DOTImport.read("digraph { charset=latin1; a [label=\"Café\"] }").entities["a"]?.name == "Café")
    }

    @Test("what a document cannot hold is kept as attributes, with warnings, so the result validates")
    func invalidForTheModel() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString).gv")
        try Data(
            #"""
            digraph "" {
                b -> a [since="2023", until="2022-05"];
                c -> a [since="2022-02-30"];
                "" -> a;
                "  " -> a [label=" "];
                d [name=" "];
            }
            """#.utf8
        ).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let decoded = DOTImport.decode(contentsOf: file)
        let graph = try #require(decoded.graph)
        let codes = decoded.warnings.map(\.code)
        #expect(codes.filter { $0 == .sinceAfterUntil }.count == 1)
        #expect(codes.filter { $0 == .invalidDate }.count == 1)
        #expect(codes.filter { $0 == .emptyValue }.count == 3)
        #expect(decoded.warnings.allSatisfy { $0.severity == .warning && $0.fileName == file.lastPathComponent })
        let late = try #require(graph.relations["e1"])
        #expect(late.since == nil && late.until == nil)
        #expect(late.attributes["since"] == "2023" && late.attributes["until"] == "2022-05")
        #expect(graph.relations["e2"]?.attributes["since"] == "2022-02-30")
        #expect(graph.entities["unnamed"] != nil)
        #expect(graph.entities["unnamed-2"]?.attributes["dotName"] == "  ")
        #expect(graph.entities["d"]?.name == "d" && graph.entities["d"]?.attributes["name"] == " ")
        #expect(graph.title == nil)
        // The JSON document of the result validates.
        #expect(GraphDocument.decode(GraphDocument.write(graph)).errors.isEmpty)
    }

    @Test("a UTF-8 byte order mark is skipped")
    func byteOrderMark() throws {
        let graph = try DOTImport.read(Data([0xEF, 0xBB, 0xBF] + Array("digraph { a -> b }".utf8)))
        #expect(graph.entities.count == 2)
    }

    // MARK: Errors and limits

    @Test("syntax errors carry Graphviz's message, the line and the file name")
    func syntaxErrors() throws {
        let error = #expect(throws: DOTImportError.self) {
            try DOTImport.read("digraph {\n  a -> b;\n  c -> ;\n}\n", fileName: "broken.gv")
        }
        #expect(error?.code == .syntax)
        #expect(error?.line == 3)
        #expect(error?.fileName == "broken.gv")
        #expect(error?.message == "syntax error in line 3 near ';'")
        #expect(error?.graphvizMessages == ["Error: syntax error in line 3 near ';'"])
        #expect(error?.description.hasPrefix("broken.gv:3: syntax error in line 3 near ';'") == true)

        let trailing = #expect(throws: DOTImportError.self) { try DOTImport.read("digraph { a }\n\n\ngarbage {") }
        #expect(trailing?.code == .syntax)
        #expect(trailing?.line == 4)
        // The next parse is unaffected.
        #expect(try DOTImport.read("digraph { x -> y }").entities.count == 2)
    }

    @Test("empty input, comments only, NUL bytes")
    func emptyAndNul() throws {
        #expect(throws: DOTImportError.self) { try DOTImport.read("") }
        let comments = #expect(throws: DOTImportError.self) { try DOTImport.read("// nothing\n/* here */\n") }
        #expect(comments?.code == .empty)
        let nul = #expect(throws: DOTImportError.self) { try DOTImport.read("digraph {\n a [label=\"x\0y\"] }") }
        #expect(nul?.code == .nulCharacter)
        #expect(nul?.line == 2)
    }

    @Test("the leftover-input trap: a second graph is an error, and the next import sees only its own graph")
    func leftoverInput() throws {
        for text in [
            "digraph A { a1 -> a2 } digraph B { b1 -> b2 }", "digraph A { a1 -> a2 }\n\ndigraph B { b1 -> b2 }\n",
        ] {
            let error = #expect(throws: DOTImportError.self) { try DOTImport.read(text, fileName: "two.gv") }
            #expect(error?.code == .multipleGraphs)
            #expect(error?.message.hasPrefix("the file holds 2 graphs; only one is supported") == true)
            let next = try DOTImport.read("digraph C { c1 -> c2 }")
            #expect(next.title == "C")
            #expect(next.entities.keys.map(\.rawValue) == ["c1", "c2"])
        }
        let all = try DOTImport.readAll("digraph A { a1 -> a2 }\ngraph B { b1 -- b2 -- b3 }")
        #expect(all.map(\.title) == ["A", "B"])
        #expect(all.map(\.entities.count) == [2, 3])
        #expect(try DOTImport.read("digraph D { d }").entities.keys.map(\.rawValue) == ["d"])
    }

    @Test("limits fail before the parser with an error naming the limit")
    func limits() throws {
        var options = DOTImportOptions()
        options.maximumBytes = 20
        let big = #expect(throws: DOTImportError.self) {
            try DOTImport.read("digraph { a -> b -> c }", options: options)
        }
        #expect(big?.code == .limitExceeded)
        #expect(big?.limit == .bytes)
        #expect(big?.message.contains("DOTImportOptions.maximumBytes") == true)

        let deep =
            "digraph {" + String(repeating: "subgraph {", count: 4_000) + "x" + String(repeating: "}", count: 4_000)
            + "}"
        let nesting = #expect(throws: DOTImportError.self) { try DOTImport.read(deep) }
        #expect(nesting?.limit == .nestingDepth)
        #expect(nesting?.message.contains("deeper than 200") == true)
        // The graph's own braces are the first level.
        let ok = "digraph {" + String(repeating: "{", count: 199) + "x" + String(repeating: "}", count: 199) + "}"
        #expect(try DOTImport.read(ok).entities.count == 1)

        let long = "digraph { a [label=\"" + String(repeating: "x", count: 200_000) + "\"] }"
        let string = #expect(throws: DOTImportError.self) { try DOTImport.read(long) }
        #expect(string?.limit == .stringLength)
        #expect(string?.line == 1)
        let pieces =
            "digraph { a [label="
            + Array(repeating: "\"" + String(repeating: "y", count: 1_000) + "\"", count: 150)
            .joined(separator: " + ") + "] }"
        #expect((#expect(throws: DOTImportError.self) { try DOTImport.read(pieces) })?.limit == .stringLength)
        let html = "digraph { a [label=<" + String(repeating: "<b>x</b>", count: 20_000) + ">] }"
        #expect((#expect(throws: DOTImportError.self) { try DOTImport.read(html) })?.limit == .stringLength)

        let chain = "digraph {\n" + (0..<3_000).map { "n\($0)" }.joined(separator: " -> ") + "\n}"
        let edges = #expect(throws: DOTImportError.self) { try DOTImport.read(chain) }
        #expect(edges?.limit == .edgeChainLength)
        #expect(edges?.line == 2)
        // Many short chains are fine, with or without semicolons.
        let short = "digraph {\n" + (0..<3_000).map { "n\($0) -> m\($0)" }.joined(separator: "\n") + "\n}"
        #expect(try DOTImport.read(short).relations.count == 3_000)

        let multiline = String(repeating: String(repeating: "z", count: 79) + "\n", count: 1_200)
        let work = "digraph {\n" + (0..<3).map { "n\($0) [label=\"\(multiline)\"]" }.joined(separator: "\n") + "\n}"
        let slow = #expect(throws: DOTImportError.self) { try DOTImport.read(work) }
        #expect(slow?.limit == .stringWork)
        #expect(try DOTImport.read("digraph { a [label=\"\(multiline)\"] }").entities.count == 1)
    }

    @Test("the pre-scan does not count braces or arrows inside strings, HTML and comments")
    func prescanTokens() throws {
        let braces = String(repeating: "{", count: 300)
        let arrows = String(repeating: "-> ", count: 1_500)
        let dashes = String(repeating: "-- ", count: 1_500)  // `>` would end an HTML string
        let text = """
            # \(braces) \(arrows)
            digraph {
                // \(braces) \(arrows)
                /* \(braces)
                   \(arrows) */
                a [label="\(braces) \\" \(arrows)", tooltip=<<b>\(braces)</b>\(dashes)>];
                a -> b; b -> c
                c -> d -> e
            }
            """
        let graph = try DOTImport.read(text)
        #expect(graph.entities.count == 5)
        #expect(graph.relations.count == 4)
        var options = DOTImportOptions()
        options.maximumEdgeChainLength = 2
        #expect(try DOTImport.read(text, options: options).relations.count == 4)
        options.maximumEdgeChainLength = 1
        let error = #expect(throws: DOTImportError.self) { try DOTImport.read(text, options: options) }
        #expect(error?.limit == .edgeChainLength)
        #expect(error?.line == 8)
        #expect(error?.graphvizMessages.isEmpty == true)  // the parser never saw it
    }

    @Test("after the parser runs out of stack, the next parse works")
    func memoryExhausted() throws {
        var options = DOTImportOptions()
        options.maximumNestingDepth = 10_000
        let deep =
            "digraph {" + String(repeating: "subgraph {", count: 4_000) + "x" + String(repeating: "}", count: 4_000)
            + "}"
        let error = #expect(throws: DOTImportError.self) { try DOTImport.read(deep, options: options) }
        #expect(error?.code == .syntax)
        #expect(error?.message.contains("memory exhausted") == true)
        let next = try DOTImport.read("digraph { p -> q }")
        #expect(next.entities.keys.map(\.rawValue) == ["p", "q"])

        options.maximumEdgeChainLength = 10_000
        let chain = "digraph { " + (0..<3_000).map { "n\($0)" }.joined(separator: " -> ") + " }"
        #expect((#expect(throws: DOTImportError.self) { try DOTImport.read(chain, options: options) })?.code == .syntax)
        #expect(try DOTImport.read("digraph { p -> q }").relations.count == 1)
    }

    @Test("read(contentsOf:) names the file in errors and stops reading at the byte limit")
    func files() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "DOTImportTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.gv")
        try Data("digraph { a -> b }".utf8).write(to: good)
        #expect(try DOTImport.read(contentsOf: good).relations.count == 1)
        let bad = folder.appendingPathComponent("bad.gv")
        try Data("digraph { a -> }".utf8).write(to: bad)
        let error = #expect(throws: DOTImportError.self) { try DOTImport.read(contentsOf: bad) }
        #expect(error?.fileName == "bad.gv")
        var options = DOTImportOptions()
        options.maximumBytes = 5
        #expect(
            (#expect(throws: DOTImportError.self) { try DOTImport.read(contentsOf: good, options: options) })?.limit
                == .bytes)
        let missing = #expect(throws: DOTImportError.self) {
            try DOTImport.read(contentsOf: folder.appendingPathComponent("missing.gv"))
        }
        #expect(missing?.code == .unreadable)
    }

    // MARK: Concurrency

    @Test("concurrent imports (8 tasks × 20) give identical graphs")
    func concurrent() async throws {
        let text = #"""
            digraph G {
                node [shape=box];
                subgraph cluster_a { label="A"; a1; a2 [shape=ellipse]; }
                subgraph cluster_b { b1 [kind="Military unit"]; b2; }
                a1 -> b1 [label="supplies"]; a2 -> b2 [key=k]; b1 -> a1; a1 -> a1;
            }
            """#
        let expected = try DOTImport.read(text)
        let results = try await withThrowingTaskGroup(of: [Graph].self) { group in
            for _ in 0..<8 {
                group.addTask { try (0..<20).map { _ in try DOTImport.read(text) } }
            }
            var all: [Graph] = []
            for try await batch in group { all += batch }
            return all
        }
        #expect(results.count == 160)
        #expect(results.allSatisfy { $0 == expected })
    }
}
