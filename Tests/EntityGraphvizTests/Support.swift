import EntityGraph
import Foundation
import Testing

@testable import EntityGraphviz

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small graph with each kind, a parallel pair, a self-loop and a claimed relation.
func tinyGraph() throws -> Graph {
    var graph = Graph(title: "Tiny")
    try graph.add(SourceDocument(id: "doc", title: "A document", publisher: "Publisher"))
    try graph.add(Entity(id: "alice", name: "Alice", kind: .person, description: "A person."))
    try graph.add(Entity(id: "bob", name: "Bob", kind: .person))
    try graph.add(Entity(id: "acme", name: "Acme Corp", kind: .organization))
    try graph.add(Relation(id: "r1", type: "memberOf", source: "alice", target: "acme", since: PartialDate("2020")))
    try graph.add(
        Relation(
            id: "r2", type: "spokeWith", source: "alice", target: "bob", certainty: .claimed,
            assertedBy: "bob", sources: [Citation(document: "doc", locator: "¶2")]))
    try graph.add(Relation(id: "r3", type: "spokeWith", source: "alice", target: "bob"))
    try graph.add(Relation(id: "r4", type: "relatedTo", source: "acme", target: "acme"))
    return graph
}

/// Parses an SVG (as XML, with Foundation's XMLParser) and returns every `<g>` element's id, class
/// and `<title>` text.
struct SVGGroups {
    struct Group {
        var id: String
        var classes: Set<String>
        var title: String?
        var tooltip: String?
        /// The content of every `<text>` element inside the group, in document order.
        var texts: [String] = []
        /// The `xlink:href` of a link inside the group, if any.
        var link: String?
    }
    var groups: [Group] = []

    init(_ data: Data) throws {
        let delegate = Collector()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        guard parser.parse() else {
            throw SVGParseError(message: parser.parserError.map { "\($0)" } ?? "unknown XML error")
        }
        groups = delegate.groups
    }

    func group(id: String) -> Group? { groups.first { $0.id == id } }
    func groups(withClass name: String) -> [Group] { groups.filter { $0.classes.contains(name) } }

    struct SVGParseError: Error { var message: String }

    private final class Collector: NSObject, XMLParserDelegate {
        var groups: [Group] = []
        var stack: [Int] = []  // indices of open <g> elements
        var inTitle = false
        var titleText = ""
        var inText = false
        var text = ""

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "g":
                let classes = Set((attributes["class"] ?? "").split(separator: " ").map(String.init))
                groups.append(Group(id: attributes["id"] ?? "", classes: classes, title: nil, tooltip: nil))
                stack.append(groups.count - 1)
            case "title":
                inTitle = true
                titleText = ""
            case "text":
                inText = true
                text = ""
            case "a":
                if let href = attributes["xlink:href"] {
                    for index in stack where groups[index].link == nil { groups[index].link = href }
                }
                if let top = stack.last, let tip = attributes["xlink:title"], groups[top].tooltip == nil {
                    groups[top].tooltip = tip
                    // The <a> sits in an inner <g id="a_…">; record the tooltip on its parent group too.
                    if stack.count >= 2, groups[stack[stack.count - 2]].tooltip == nil {
                        groups[stack[stack.count - 2]].tooltip = tip
                    }
                }
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inTitle { titleText += string }
            if inText { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "g": _ = stack.popLast()
            case "text":
                inText = false
                for index in stack { groups[index].texts.append(text) }
            case "title":
                inTitle = false
                if let top = stack.last, groups[top].title == nil { groups[top].title = titleText }
            default: break
            }
        }
    }
}

/// Runs `body` with file descriptors 1 and 2 redirected to a temporary file; returns what was written
/// there. Serialized: the redirection is process-wide (and the test runner's own progress lines may land
/// in it, so callers look for specific text).
func capturingStandardError<T>(_ body: () throws -> T) rethrows -> (T, String) {
    StandardErrorCapture.lock.lock()
    defer { StandardErrorCapture.lock.unlock() }
    fflush(nil)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)").path
    let file = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
    let savedOut = dup(1)
    let saved = dup(2)
    dup2(file, 1)
    dup2(file, 2)
    defer {
        fflush(nil)
        dup2(savedOut, 1)
        dup2(saved, 2)
        close(savedOut)
        close(saved)
        close(file)
        try? FileManager.default.removeItem(atPath: path)
    }
    let result = try body()
    fflush(nil)
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return (result, text)
}

enum StandardErrorCapture {
    static let lock = NSLock()
}

/// A random graph of `entities` entities and `relations` relations (uniform ends, parallel relations
/// and self-loops allowed), for layouts that take a while: dot on 100 / 300 runs for many seconds.
func randomGraph(entities: Int, relations: Int, seed: UInt64) throws -> Graph {
    var random = SplitMix64(seed: seed)
    var graph = Graph(title: "Random \(entities)/\(relations)")
    for index in 0..<entities {
        try graph.add(Entity(id: EntityID("e\(index)"), name: "Entity number \(index)", kind: .organization))
    }
    for index in 0..<relations {
        let source = Int.random(in: 0..<entities, using: &random)
        let target = Int.random(in: 0..<entities, using: &random)
        try graph.add(
            Relation(
                id: RelationID("r\(index)"), type: "memberOf", source: EntityID("e\(source)"),
                target: EntityID("e\(target)"), since: PartialDate("\(1990 + index % 30)")))
    }
    return graph
}

/// A generated map for the crash matrix: parallel labelled relations, self-loops, symmetric and
/// directed types, every certainty, clusters by country, isolated entities, and long, non-Latin,
/// right-to-left and emoji names. Small enough for every engine (4–40 entities).
func matrixGraph(seed: UInt64) throws -> Graph {
    var random = SplitMix64(seed: seed)
    let names = [
        "Alexander Lukashenko", "Лукашенко Александр Григорьевич", "Volodymyr Zelensky", "李明", "محمد بن سلمان",
        "Øresund Holding ApS", "Zoë “Z” O'Brien", "C:\\orders\\new", "a <b>bold</b> & \"quoted\" name",
        "🛢️ Refinery", "X", String(repeating: "Very long organisation name ", count: 12), "עִבְרִית", "e\u{301}cole",
    ]
    let types: [RelationTypeID] = ["memberOf", "spokeWith", "alliedWith", "leads", "supplies", "relatedTo", "accuses"]
    let kinds: [KindID] = [.person, .organization, .state, .facility, .place, .event]
    let entityCount = Int.random(in: 4...40, using: &random)
    var graph = Graph(title: "Matrix \(seed)")
    try graph.add(SourceDocument(id: "doc", title: "A document", publisher: "Publisher"))
    for index in 0..<entityCount {
        let name = names[Int.random(in: 0..<names.count, using: &random)] + (index.isMultiple(of: 3) ? " \(index)" : "")
        var attributes: Attributes = [:]
        if Bool.random(using: &random) { attributes["country"] = .string(["by", "ua", "ru"][index % 3]) }
        try graph.add(
            Entity(
                id: EntityID("e\(index)"), name: name, kind: kinds[Int.random(in: 0..<kinds.count, using: &random)],
                description: Bool.random(using: &random) ? "Described: \(name)" : nil, attributes: attributes))
    }
    // About a fifth of the entities stay isolated.
    let linked = max(2, entityCount - entityCount / 5)
    let relationCount = Int.random(in: 0...(linked * 3), using: &random)
    for index in 0..<relationCount {
        let source = Int.random(in: 0..<linked, using: &random)
        // Self-loops and repeated pairs on purpose.
        let target =
            index.isMultiple(of: 7)
            ? source : index.isMultiple(of: 3) ? (source + 1) % linked : Int.random(in: 0..<linked, using: &random)
        let certainty = Certainty.allCases[Int.random(in: 0..<Certainty.allCases.count, using: &random)]
        try graph.add(
            Relation(
                id: RelationID("r\(index)"), type: types[Int.random(in: 0..<types.count, using: &random)],
                source: EntityID("e\(source)"), target: EntityID("e\(target)"),
                since: Bool.random(using: &random) ? PartialDate("\(1990 + index % 35)") : nil, certainty: certainty,
                assertedBy: certainty == .confirmed
                    ? nil : EntityID("e\(Int.random(in: 0..<entityCount, using: &random))"),
                sources: [Citation(document: "doc", locator: "¶\(index)")]))
    }
    return graph
}
