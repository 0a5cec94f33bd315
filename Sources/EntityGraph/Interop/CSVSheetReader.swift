import Foundation
import OrderedCollections

// MARK: - Reader

/// The columns the reader recognizes, by normalized header name.
enum CSVColumns {
    static let nodeID = ["id"]
    static let nodeName = ["name", "label"]
    static let nodeKind = ["kind", "type"]
    static let nodeAliases = ["aliases"]
    static let nodeDescription = ["description"]
    static let nodeReserved =
        ["id", "name", "label", "kind", "type", "aliases", "description"] + CSVSources.reserved + numbers

    static let edgeID = ["id"]
    static let edgeSource = ["source", "from"]
    static let edgeTarget = ["target", "to"]
    static let edgeType = ["type", "relation"]
    static let edgeTypeFallback = ["label"]
    static let edgeSince = ["since"]
    static let edgeUntil = ["until"]
    static let edgeCertainty = ["certainty"]
    static let edgeAssertedBy = ["assertedby"]
    static let edgeReserved =
        [
            "id", "source", "from", "target", "to", "type", "relation", "label", "since", "until", "certainty",
            "assertedBy",
        ] + CSVSources.reserved + numbers
    /// Attribute columns whose cells are numbers, in either sheet: the attribute of that name (the
    /// header matched as the others are: `Weight`, `WEIGHT`) holds a JSON number (``DecimalText``).
    static let numbers = ["weight"]
}

/// One file's header: which column holds which field, and the attribute columns.
struct CSVHeader {
    var roles: [String: Int] = [:]
    /// (column index, attribute key)
    var attributes: [(index: Int, key: String)] = []
    /// The attribute columns whose cells are numbers (``CSVColumns/numbers``).
    var numberColumns: Set<Int> = []
    var columnCount = 0
    var names: [String] = []

    subscript(role: String) -> Int? { roles[role] }
}

struct CSVSheetReader {
    let nodesFileName: String?
    let edgesFileName: String?

    var graph = Graph()
    var kinds = CSVVocabulary.kinds()
    var types = CSVVocabulary.relationTypes()
    var nodeIssues: [ValidationIssue] = []
    var edgeIssues: [ValidationIssue] = []

    /// Entity id → line of its row.
    var entityLines: [String: Int] = [:]
    /// Ids of node rows that could not be read (wrong field count); edges naming them are not reported again.
    var brokenEntityIDs: Set<String> = []
    /// Kumu mode: the nodes sheet has no id column; labels name entities. Label → id.
    var kumuLabels: [String: String]? = nil
    var nodesUsable = true
    /// The nodes file ends inside a quoted field: rows after it are lost, so unknown references are not reported.
    var nodesTruncated = false
    /// Unknown entity references seen so far.
    var unknownReferences = 0
    /// The documents the source columns cite.
    var sourceDocuments = CSVSources.Documents()
    /// Finds the entities an edge names by name or alias (built once the nodes are read).
    var lookup: LookupIndex?
    /// Endpoints named by a name or alias, not by id: how many, and the first (line, text, id).
    var endpointsByName = 0
    var firstEndpointByName: (line: Int, text: String, id: EntityID)?
    /// Each file's delimiter as messages name it in the plural ("commas", "semicolons", "tabs").
    var delimiters: [CSVFile: String] = [.nodes: "commas", .edges: "commas"]
    static let maximumSuggestions = 100

    init(nodesFileName: String?, edgesFileName: String?) {
        self.nodesFileName = nodesFileName
        self.edgesFileName = edgesFileName
    }

    // MARK: Issues

    mutating func report(
        _ file: CSVFile, _ code: ValidationIssue.Code, _ message: String, column: String = "$",
        line: Int?, at position: Int? = nil, severity: ValidationIssue.Severity = .error, suggestion: String? = nil
    ) {
        let issue = ValidationIssue(
            severity: severity, code: code, message: message, path: column, line: line, column: position,
            fileName: file == .nodes ? nodesFileName : edgesFileName, suggestion: suggestion)
        if file == .nodes { nodeIssues.append(issue) } else { edgeIssues.append(issue) }
    }

    enum CSVFile { case nodes, edges }

    // MARK: Whole read

    mutating func read(
        nodes: UnsafeBufferPointer<UInt8>, edges: UnsafeBufferPointer<UInt8>, limits: ReadLimits
    ) -> GraphDocument.Decoded {
        var nodeParser = CSVParser(bytes: nodes)
        delimiters[.nodes] = nodeParser.delimiterName + "s"
        nodeParser.parse()
        if let broken = check(nodeParser.records, .nodes, limits) {
            return GraphDocument.Decoded(graph: nil, issues: [broken])
        }
        for problem in nodeParser.problems {
            report(
                .nodes, problem.code, problem.message, line: problem.line, at: problem.column,
                suggestion: problem.suggestion)
        }
        var edgeParser = CSVParser(bytes: edges)
        delimiters[.edges] = edgeParser.delimiterName + "s"
        edgeParser.parse()
        if let broken = check(edgeParser.records, .edges, limits) {
            return GraphDocument.Decoded(graph: nil, issues: [broken])
        }
        for problem in edgeParser.problems {
            report(
                .edges, problem.code, problem.message, line: problem.line, at: problem.column,
                suggestion: problem.suggestion)
        }
        readNodes(CSVSheetReader.unneutralized(nodeParser.records))
        readEdges(CSVSheetReader.unneutralized(edgeParser.records))

        let issues = CSVSheetReader.ordered(nodeIssues) + CSVSheetReader.ordered(edgeIssues)
        let hasErrors = issues.contains { $0.severity == .error }
        return GraphDocument.Decoded(graph: hasErrors ? nil : graph, issues: issues)
    }

    /// The issue for the first limit a parsed file breaks: too many rows (the header excluded), or a
    /// field longer than ``ReadLimits/maximumStringBytes``.
    func check(_ records: [CSVRecord], _ file: CSVFile, _ limits: ReadLimits) -> ValidationIssue? {
        let fileName = file == .nodes ? nodesFileName : edgesFileName
        let (maximum, noun, name) =
            file == .nodes
            ? (limits.maximumEntities, "entities", "maximumEntities")
            : (limits.maximumRelations, "relations", "maximumRelations")
        if records.count - 1 > maximum {
            let first = records[maximum + 1]
            return ValidationIssue(
                severity: .error, code: .limitExceeded,
                message: "more than \(maximum) rows of \(noun); ReadLimits.\(name) is \(maximum)", path: "$",
                line: first.line, column: 1, fileName: fileName,
                suggestion: "split the data, or read it with larger ReadLimits")
        }
        guard limits.maximumStringBytes < Int.max else { return nil }
        for record in records {
            for field in record.fields where field.text.utf8.count > limits.maximumStringBytes {
                return ValidationIssue(
                    severity: .error, code: .limitExceeded,
                    message:
                        "a field of \(field.text.utf8.count) bytes; ReadLimits.maximumStringBytes is \(limits.maximumStringBytes)",
                    path: "$", line: field.line, column: field.column, fileName: fileName,
                    suggestion: "shorten it, or read the file with larger ReadLimits")
            }
        }
        return nil
    }

    /// Every cell without the leading `'` a formula-safe writer added (see ``CSVSheets/FormulaSafety``).
    static func unneutralized(_ records: [CSVRecord]) -> [CSVRecord] {
        var records = records
        for record in records.indices {
            for field in records[record].fields.indices where FormulaCells.hasPrefix(records[record].fields[field].text)
            {
                records[record].fields[field].text = FormulaCells.unneutralized(records[record].fields[field].text)
            }
        }
        return records
    }

    /// One file's issues in file order, at most ``CSVSheets/maximumIssuesPerFile`` of them.
    static func ordered(_ issues: [ValidationIssue]) -> [ValidationIssue] {
        ValidationIssue.listed(issues, fileName: issues.first?.fileName)
    }

    // MARK: Headers

    /// Maps header names to roles. `roles` lists, for each role, the names that may hold it in
    /// priority order; the first present wins and the other synonyms become attributes.
    mutating func header(
        _ record: CSVRecord?, file: CSVFile, roles: [(role: String, names: [String])]
    ) -> CSVHeader? {
        guard let record else {
            report(
                file, .missingColumn, "the file is empty: it needs a header row", line: 1, at: 1,
                suggestion: file == .nodes ? "start it with: id,name,kind" : "start it with: source,target,type")
            return nil
        }
        var header = CSVHeader()
        header.columnCount = record.fields.count
        let roleNames = Set(roles.flatMap(\.names))
        var seen: [String: Int] = [:]
        var usable: [(index: Int, name: String)] = []
        for (index, field) in record.fields.enumerated() {
            let name = field.text.trimmingCharacters(in: .whitespacesAndNewlines)
            header.names.append(name)
            if name.isEmpty {
                report(
                    file, .duplicateColumn, "column \(index + 1) has no name; its cells are ignored",
                    line: field.line, at: field.column, severity: .warning, suggestion: "name the column or delete it")
                continue
            }
            // Attribute columns are told apart by their exact name (`Country` and `COUNTRY` are two
            // attributes, as the writers write them); a column that names a role must be unique in any
            // case and spacing, or the sheet would be ambiguous.
            let normalized = normalizedHeader(name)
            let identity = roleNames.contains(normalized) ? "role:" + normalized : name
            if let first = seen[identity] {
                report(
                    file, .duplicateColumn, "the column '\(name)' appears twice (first as column \(first + 1))",
                    line: field.line, at: field.column, suggestion: "rename or remove one of them")
                continue
            }
            seen[identity] = index
            usable.append((index, name))
        }
        var claimed = Set<Int>()
        for (role, names) in roles {
            for candidate in names {
                if let column = usable.first(where: {
                    normalizedHeader($0.name) == candidate && !claimed.contains($0.index)
                }) {
                    header.roles[role] = column.index
                    claimed.insert(column.index)
                    break
                }
            }
        }
        var attributeColumns: [String: String] = [:]
        for column in usable where !claimed.contains(column.index) {
            var key = column.name
            if key.lowercased().hasPrefix(AttributeColumns.prefix) {
                // The writer's escape: `attr.KEY` is the attribute KEY (original spacing kept).
                let raw = record.fields[column.index].text
                let start = raw.range(of: AttributeColumns.prefix, options: [.caseInsensitive])!.upperBound
                key = String(raw[start...])
            } else if CSVColumns.numbers.contains(normalizedHeader(key)) {
                key = normalizedHeader(key)
                header.numberColumns.insert(column.index)
            }
            if let first = attributeColumns[key] {
                let field = record.fields[column.index]
                report(
                    file, .duplicateColumn,
                    "the columns '\(first)' and '\(column.name)' both hold the attribute '\(key)'", column: column.name,
                    line: field.line, at: field.column, suggestion: "rename or remove one of them")
                header.numberColumns.remove(column.index)
                continue
            }
            attributeColumns[key] = column.name
            header.attributes.append((column.index, key))
        }
        return header
    }

    /// " (the header has 2 columns, separated by semicolons: 'Name', 'Land')": what was read as the
    /// header, for a message about a missing column, so a sheet read with the wrong delimiter shows it.
    func describeHeader(_ header: CSVHeader, file: CSVFile) -> String {
        let names = header.names.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
        let more = header.names.count > 8 ? ", …" : ""
        return " (the header has \(pluralize(header.columnCount, "column")), separated by "
            + "\(delimiters[file] ?? "commas"): \(names)\(more))"
    }

    /// True (and reported) when a row's field count differs from the header's.
    mutating func wrongFieldCount(_ record: CSVRecord, _ header: CSVHeader, file: CSVFile) -> Bool {
        guard record.fields.count != header.columnCount else { return false }
        let position = record.fields.count > header.columnCount ? record.fields[header.columnCount].column : nil
        let lineOfExtra =
            record.fields.count > header.columnCount ? record.fields[header.columnCount].line : record.line
        let delimiter = delimiters[file] ?? "commas"
        let example = ["semicolons": "\"a; b\"", "tabs": "\"a<tab>b\""][delimiter] ?? "\"a, b\""
        report(
            file, .wrongFieldCount,
            "this row has \(pluralize(record.fields.count, "field")); the header has "
                + "\(pluralize(header.columnCount, "column")) (fields separated by \(delimiter))",
            line: lineOfExtra, at: position,
            suggestion: "quote fields that contain \(delimiter) (\(example)) and give every row one field per column")
        return true
    }

    func cell(_ record: CSVRecord, _ index: Int?) -> CSVField? {
        guard let index, index < record.fields.count else { return nil }
        return record.fields[index]
    }

    /// The field's text without the whitespace around it (Unicode's White_Space, the writer's
    /// rule for quoting), unless it was quoted: a quoted field is exactly what its quotes hold.
    func trimmed(_ field: CSVField?) -> String {
        guard let field else { return "" }
        if field.isQuoted { return field.text }
        let scalars = field.text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    // MARK: Nodes

    mutating func readNodes(_ records: [CSVRecord]) {
        guard
            let header = self.header(
                records.first, file: .nodes,
                roles: [
                    ("id", CSVColumns.nodeID), ("name", CSVColumns.nodeName), ("kind", CSVColumns.nodeKind),
                    ("aliases", CSVColumns.nodeAliases), ("description", CSVColumns.nodeDescription),
                ] + CSVSources.roles(nodes: true))
        else {
            nodesUsable = false
            return
        }
        let headerRecord = records[0]
        var kumu = false
        if header["id"] == nil {
            if let labelColumn = header["name"], normalizedHeader(header.names[labelColumn]) == "label" {
                kumu = true
                kumuLabels = [:]
            } else {
                report(
                    .nodes, .missingColumn, "there is no id column" + describeHeader(header, file: .nodes),
                    line: headerRecord.line, at: 1,
                    suggestion: "add an 'id' column with a short unique id per row (Kumu sheets may use 'Label')")
                nodesUsable = false
                for record in records.dropFirst() { _ = wrongFieldCount(record, header, file: .nodes) }
                return
            }
        }
        var slugs = Set<String>()
        for record in records.dropFirst() {
            if record.isTruncated {
                // The file ends inside a quoted field (reported by the parser): entities after it are
                // unknown, so references are not checked.
                if let id = cell(record, header["id"] ?? header["name"]) { brokenEntityIDs.insert(trimmed(id)) }
                nodesTruncated = true
                continue
            }
            if wrongFieldCount(record, header, file: .nodes) {
                if let id = cell(record, header["id"] ?? header["name"]) { brokenEntityIDs.insert(trimmed(id)) }
                continue
            }
            let nameField = cell(record, header["name"])
            let id: String
            let idField: CSVField
            if kumu {
                idField = nameField!
                let label = trimmed(idField)
                guard !label.isEmpty else {
                    report(
                        .nodes, .emptyValue, "the label is empty", column: header.names[header["name"]!],
                        line: idField.line, at: idField.column, suggestion: "every element needs a unique label")
                    continue
                }
                if let existing = kumuLabels?[label] {
                    report(
                        .nodes, .duplicateID,
                        "the label '\(label)' is used twice (first at line \(entityLines[existing] ?? 0))",
                        column: header.names[header["name"]!], line: idField.line, at: idField.column,
                        suggestion: "labels name elements in Kumu sheets: make them unique")
                    continue
                }
                id = CSVSheetReader.slug(label, taken: &slugs)
                kumuLabels?[label] = id
            } else {
                idField = cell(record, header["id"])!
                guard let checked = checkID(idField, column: header.names[header["id"]!], noun: "entity", file: .nodes)
                else {
                    continue
                }
                if let first = entityLines[checked] {
                    report(
                        .nodes, .duplicateID, "the entity id '\(checked)' is used twice (first at line \(first))",
                        column: header.names[header["id"]!], line: idField.line, at: idField.column,
                        suggestion: "give each row its own id")
                    continue
                }
                id = checked
            }
            entityLines[id] = record.line

            var name = nameField?.text ?? ""
            if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { name = kumu ? trimmed(nameField) : id }

            let kindField = cell(record, header["kind"])
            var kindText = trimmed(kindField)
            if kindText.isEmpty { kindText = "Entity" }
            let kind = resolveKind(kindText, field: kindField, column: header["kind"].map { header.names[$0] })

            var aliases: [String] = []
            if let field = cell(record, header["aliases"]) { aliases = CSVSheetReader.splitAliases(field.text) }
            let descriptionText = cell(record, header["description"])?.text ?? ""
            let attributes = self.attributes(record, header, file: .nodes)
            guard let sources = citations(record, header, file: .nodes) else { continue }
            let entity = Entity(
                id: EntityID(id), name: name, kind: kind, aliases: aliases,
                description: descriptionText.isEmpty ? nil : descriptionText, attributes: attributes, sources: sources)
            do { try graph.add(entity) } catch { report(.nodes, .invalidCSV, error.description, line: record.line) }
        }
    }

    /// A row's attributes: each non-empty cell of an attribute column as a string, or as a number in
    /// a number column (``CSVColumns/numbers``; an empty or blank cell there is no value). A cell that
    /// is not a number the model keeps exactly is reported and left out.
    mutating func attributes(_ record: CSVRecord, _ header: CSVHeader, file: CSVFile) -> Attributes {
        var attributes: Attributes = [:]
        for (index, key) in header.attributes {
            let field = record.fields[index]
            guard header.numberColumns.contains(index) else {
                if !field.text.isEmpty { attributes[key] = .string(field.text) }
                continue
            }
            guard !trimmed(field).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            if let number = number(field, key: key, column: header.names[index], file: file) {
                attributes[key] = number
            }
        }
        return attributes
    }

    /// The number in a number column's cell, read by ``DecimalText/read(_:decimalComma:)`` with a
    /// decimal comma in sheets separated by semicolons or tabs; `nil` (reported) for anything else.
    mutating func number(_ field: CSVField, key: String, column: String, file: CSVFile) -> JSONValue? {
        let text = trimmed(field).trimmingCharacters(in: .whitespacesAndNewlines)
        let decimalComma = delimiters[file] != "commas"
        let shown = text.unicodeScalars.count > 40 ? String(text.unicodeScalars.prefix(40)) + "…" : text
        let keepText = "name the column '\(AttributeColumns.prefix)\(key)' to keep text"
        let accepted =
            "write a number such as 3, -2.5, 0.1 or 1e-3 (leave the cell empty for no \(key)), or \(keepText)"
        func fail(_ code: ValidationIssue.Code, _ message: String, _ suggestion: String) -> JSONValue? {
            report(
                file, code, message, column: column, line: field.line, at: field.column, suggestion: suggestion)
            return nil
        }
        switch DecimalText.read(text, decimalComma: decimalComma) {
        case .number(let value):
            return value
        case .notANumber:
            if !decimalComma, case .number(let value) = DecimalText.read(text, decimalComma: true) {
                return fail(
                    .invalidNumber,
                    "'\(shown)' is not a number: in a sheet separated by commas the decimal mark is a point",
                    "write \(value.cellText) (a decimal comma is read only in sheets separated by semicolons or tabs)")
            }
            return fail(.invalidNumber, "'\(shown)' is not a number", accepted)
        case .notFinite:
            return fail(.invalidNumber, "'\(shown)' is not a finite number", accepted)
        case .tooLarge:
            return fail(
                .numberOutOfRange,
                "'\(shown)' is too large: a \(key) must fit a 64-bit floating-point number (at most about 1.8e308)",
                "write a smaller number, or \(keepText)")
        case .inexact(let writtenAs):
            return fail(
                .numberOutOfRange, "'\(shown)' cannot be kept exactly: it would be written back as \(writtenAs)",
                "round it to at most 17 significant digits, or \(keepText)")
        }
    }

    /// A trimmed id, or `nil` (reported) when empty or holding a control character.
    mutating func checkID(_ field: CSVField, column: String, noun: String, file: CSVFile) -> String? {
        let id = trimmed(field)
        if id.isEmpty {
            report(
                file, .emptyValue, "the \(noun) id is empty", column: column, line: field.line, at: field.column,
                suggestion: "give it a short, unique id")
            return nil
        }
        if let control = IDRules.firstControlCharacter(in: id) {
            report(
                file, .controlCharacterInID, "the \(noun) id contains the control character \(control)",
                column: column, line: field.line, at: field.column,
                suggestion: "remove it: an id may hold any other character, spaces included")
            return nil
        }
        return id
    }

    mutating func resolveKind(_ text: String, field: CSVField?, column: String?) -> KindID {
        let (id, isNew) = kinds.resolve(text)
        if isNew {
            try? graph.declare(Kind(id: KindID(id), label: text))
            if let near = kinds.nearBuiltIn(text), let field, let column {
                report(
                    .nodes, .undeclaredVocabulary, "the kind '\(text)' is not built in; it was declared as a new kind",
                    column: column, line: field.line, at: field.column, severity: .warning,
                    suggestion: "did you mean '\(near)'?")
            }
        }
        return KindID(id)
    }

    mutating func resolveType(_ text: String, field: CSVField?, column: String?) -> RelationTypeID {
        let (id, isNew) = types.resolve(text)
        if isNew {
            try? graph.declare(RelationType(id: RelationTypeID(id), label: text, category: .other))
            if let near = types.nearBuiltIn(text), let field, let column {
                report(
                    .edges, .undeclaredVocabulary,
                    "the relation type '\(text)' is not built in; it was declared as a new type",
                    column: column, line: field.line, at: field.column, severity: .warning,
                    suggestion: "did you mean '\(near)'?")
            }
        }
        return RelationTypeID(id)
    }

    /// `a|b\|c` → `["a", "b|c"]`; `\\` is a backslash; empty items are dropped.
    static func splitAliases(_ text: String) -> [String] {
        CSVSources.split(text).filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    static func slug(_ label: String, taken: inout Set<String>) -> String {
        var slug = ""
        var pendingDash = false
        for character in label.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash, !slug.isEmpty { slug.append("-") }
                slug.append(character)
                pendingDash = false
            } else {
                pendingDash = true
            }
        }
        if slug.isEmpty { slug = "entity" }
        var candidate = slug
        var counter = 2
        while taken.contains(candidate) {
            candidate = slug + "-" + String(counter)
            counter += 1
        }
        taken.insert(candidate)
        return candidate
    }
}
