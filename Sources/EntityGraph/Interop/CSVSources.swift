import Foundation
import OrderedCollections

/// The source columns of the CSV sheets: each row's citations, and the documents they cite.
///
/// Columns (matched as every header is, ignoring case, spaces, `_` and `-`): `source id`, `document`
/// (its title), `publisher`, `source url`, `locator` (or `page`, `paragraph`); in the nodes sheet
/// `source` too, read as a URL when it starts with `http://` or `https://`, else as a title (in the
/// edges sheet `source` is the relation's first end). A row cites several documents with
/// `|`-separated cells, position by position, escaped as aliases are (`\|`, `\\`).
enum CSVSources {
    /// The header roles, for a nodes sheet or an edges sheet.
    static func roles(nodes: Bool) -> [(role: String, names: [String])] {
        [
            ("sourceID", ["sourceid", "documentid"]),
            ("document", ["document", "sourcetitle", "documenttitle"] + (nodes ? ["source"] : [])),
            ("publisher", ["publisher", "sourcepublisher"]),
            ("sourceURL", ["sourceurl", "documenturl"]),
            ("locator", ["locator", "page", "paragraph", "sourcelocator"]),
        ]
    }

    /// Every name that holds a source role, so the writer escapes attributes called so.
    static let reserved = roles(nodes: true).flatMap(\.names)

    /// The columns the writer adds when the graph has citations.
    static let header = ["source id", "document", "publisher", "source url", "locator"]

    /// One cited document as a row gives it.
    struct Reference: Hashable {
        var id: String?
        var title: String?
        var publisher: String?
        var url: String?
        var locator: String?
    }

    /// The references of one row: the source cells split at `|`, position by position. A nodes
    /// sheet's `source` cell is a URL when it looks like one.
    static func references(_ cells: [String: String], nodes: Bool) -> [Reference] {
        var split: [String: [String]] = [:]
        for (role, text) in cells { split[role] = Self.split(text) }
        let count = split.values.map(\.count).max() ?? 0
        var result: [Reference] = []
        for index in 0..<count {
            func value(_ role: String) -> String? {
                guard let values = split[role], index < values.count else { return nil }
                // Kept exactly (a locator may end in a paragraph separator); blank means absent.
                let text = values[index]
                return text.allSatisfy(\.isWhitespace) ? nil : text
            }
            var reference = Reference(
                id: value("sourceID"), title: value("document"), publisher: value("publisher"),
                url: value("sourceURL"), locator: value("locator"))
            if nodes, reference.url == nil, let title = reference.title,
                title.lowercased().hasPrefix("http://") || title.lowercased().hasPrefix("https://")
            {
                reference.url = title
                reference.title = nil
            }
            if reference != Reference() { result.append(reference) }
        }
        return result
    }

    /// The documents the sheets cite, made as rows name them: by `source id`, else by title,
    /// publisher and URL together (the same three name one document). Ids are the given ones, or
    /// made from the title (or URL), unique.
    struct Documents {
        private(set) var documents: OrderedDictionary<String, SourceDocument> = [:]
        private var byContent: [Reference: String] = [:]
        private var taken = Set<String>()

        /// The document id for `reference`, creating the document on first sight, and a problem when
        /// a `source id` seen before comes with other details.
        mutating func id(for reference: Reference) -> (id: String, conflict: String?) {
            let content = Reference(title: reference.title, publisher: reference.publisher, url: reference.url)
            if let id = reference.id {
                if let existing = documents[id] {
                    let differs =
                        (reference.title.map { $0 != existing.title } ?? false)
                        || (reference.publisher.map { $0 != existing.publisher } ?? false)
                        || (reference.url.map { $0 != existing.url } ?? false)
                    return (id, differs ? "the source id '\(id)' was first given other details; they are kept" : nil)
                }
                taken.insert(id)
                documents[id] = SourceDocument(
                    id: DocumentID(id), title: reference.title ?? reference.url ?? id, publisher: reference.publisher,
                    url: reference.url)
                byContent[content] = byContent[content] ?? id
                return (id, nil)
            }
            if let id = byContent[content] { return (id, nil) }
            let id = CSVSheetReader.slug(
                reference.title ?? reference.url ?? reference.publisher ?? "source", taken: &taken)
            documents[id] = SourceDocument(
                id: DocumentID(id), title: reference.title ?? reference.url ?? reference.publisher ?? id,
                publisher: reference.publisher, url: reference.url)
            byContent[content] = id
            return (id, nil)
        }
    }

    /// The five cells the writer puts in a row for `citations`.
    static func cells(_ citations: [Citation], in graph: Graph) -> [String] {
        guard !citations.isEmpty else { return ["", "", "", "", ""] }
        let documents = citations.map { graph.documents[$0.document] }
        return [
            join(citations.map(\.document.rawValue)), join(documents.map { $0?.title ?? "" }),
            join(documents.map { $0?.publisher ?? "" }), join(documents.map { $0?.url ?? "" }),
            join(citations.map { $0.locator ?? "" }),
        ]
    }

    /// Values joined with `|`, position by position (empty ones kept, so the columns line up), `|`
    /// and `\` escaped with `\`; "" when every value is empty.
    static func join(_ values: [String]) -> String {
        guard values.contains(where: { !$0.isEmpty }) else { return "" }
        return values.map { value in
            var escaped = ""
            for character in value {
                if character == "|" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped
        }.joined(separator: "|")
    }

    /// The values ``join(_:)`` wrote, empty ones included.
    static func split(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var result: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                if character != "|" && character != "\\" { current.append("\\") }
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                result.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        result.append(current)
        return result
    }
}
