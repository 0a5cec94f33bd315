import Foundation
import OrderedCollections

/// One FtM object as read from a line: its id, schema, properties (values in file order, names
/// sorted) and the other top-level keys (as `ftm:`-prefixed attributes, in a fixed order).
struct FtMRecord {
    var id: String
    var schema: String
    var caption: String?
    var properties: OrderedDictionary<String, [String]>
    var meta: OrderedDictionary<String, JSONValue>
    var line: Int

    /// The values of `property`, empty when it has none.
    func values(_ property: String) -> [String] { properties[property] ?? [] }

    /// The top-level `datasets`, when they are strings.
    var datasets: [String] {
        guard case .array(let items)? = meta[FtMVocabulary.metaPrefix + "datasets"] else { return [] }
        return items.compactMap(\.stringValue)
    }
}

/// A JSON value as `JSONDecoder` reads it: object keys sorted (FtM gives them no order), numbers
/// as integers when they have no fraction.
private struct DecodedJSON: Decodable {
    var value: JSONValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Strings first: nearly every FtM value is one, and each failed attempt costs a thrown error.
        if container.decodeNil() {
            value = .null
        } else if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if let items = try? container.decode([DecodedJSON].self) {
            value = .array(items.map(\.value))
        } else if let members = try? container.decode([String: DecodedJSON].self) {
            value = .object(
                OrderedDictionary(
                    uniqueKeysWithValues: members.sorted { $0.key < $1.key }.map { ($0.key, $0.value.value) }))
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            value = .integer(number)
        } else {
            value = .double(try container.decode(Double.self))
        }
    }
}

/// The issues found while reading one FtM file, each naming the file: what the line parser and the
/// graph builder both report into.
struct FtMIssueLog {
    let fileName: String?
    private(set) var issues: [ValidationIssue] = []

    init(fileName: String?) { self.fileName = fileName }

    mutating func report(
        _ severity: ValidationIssue.Severity, _ code: ValidationIssue.Code, _ message: String, path: String = "$",
        line: Int?, suggestion: String? = nil
    ) {
        issues.append(
            ValidationIssue(
                severity: severity, code: code, message: message, path: path, line: line, fileName: fileName,
                suggestion: suggestion))
    }
}

/// Splits FtM JSON lines into records, reporting each problem with its line and JSON path.
struct FtMLineParser {
    let limits: ReadLimits
    private var log: FtMIssueLog
    /// Every issue so far, in the order found.
    var issues: [ValidationIssue] { log.issues }
    private(set) var records: [FtMRecord] = []
    /// Set when a limit was broken: reading stopped there.
    private(set) var stopped = false
    private let decoder = JSONDecoder()

    /// The top-level keys written back in this order (after `id`, `schema`, `caption`, `properties`);
    /// others follow sorted.
    static let metaOrder = ["datasets", "referents", "first_seen", "last_seen", "last_change", "target"]

    init(fileName: String?, limits: ReadLimits) {
        self.log = FtMIssueLog(fileName: fileName)
        self.limits = limits
    }

    mutating func parse(_ bytes: [UInt8]) {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        let recordLimit = limits.maximumEntities.addingReportingOverflow(limits.maximumRelations)
        let maximumRecords = recordLimit.overflow ? Int.max : recordLimit.partialValue
        while start <= bytes.count, !stopped {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var slice = bytes[start..<end]
            if slice.last == 0x0D { slice = slice.dropLast() }
            if !slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                if records.count >= maximumRecords {
                    log.report(
                        .error, .limitExceeded,
                        "the file has more than \(maximumRecords) objects; ReadLimits.maximumEntities + "
                            + "maximumRelations is \(maximumRecords)", line: line,
                        suggestion: "split the data, or read it with larger ReadLimits")
                    stopped = true
                    break
                }
                parseLine(Data(slice), line: line)
            }
            start = end + 1
            line += 1
        }
    }

    private mutating func parseLine(_ data: Data, line: Int) {
        guard String(data: data, encoding: .utf8) != nil else {
            return log.report(.error, .invalidUTF8, "the line is not valid UTF-8", line: line)
        }
        let value: JSONValue
        do {
            value = try decoder.decode(DecodedJSON.self, from: data).value
        } catch {
            return log.report(
                .error, .invalidJSON, "the line is not valid JSON", line: line,
                suggestion: "FtM files hold one JSON object per line")
        }
        if let path = tooLong(value, path: "$") {
            log.report(
                .error, .limitExceeded,
                "a string is longer than ReadLimits.maximumStringBytes (\(limits.maximumStringBytes))",
                path: path, line: line, suggestion: "read it with larger ReadLimits")
            stopped = true
            return
        }
        if depth(value) > limits.maximumNestingDepth {
            log.report(
                .error, .nestingTooDeep,
                "nesting deeper than ReadLimits.maximumNestingDepth (\(limits.maximumNestingDepth))",
                line: line)
            stopped = true
            return
        }
        guard case .object(let object) = value else {
            return log.report(
                .error, .wrongType, "each line must be a JSON object, not \(Self.typeName(value))", line: line)
        }
        guard let id = string(object["id"], "$.id", line: line),
            let schema = string(object["schema"], "$.schema", line: line)
        else { return }
        if let control = IDRules.firstControlCharacter(in: id) {
            return log.report(
                .error, .controlCharacterInID, "the id '\(id)' holds the control character \(control)", path: "$.id",
                line: line)
        }
        guard FtMVocabulary.isSchemaName(schema) else {
            return log.report(
                .error, .wrongType, "'\(schema)' of '\(id)' is not an FtM schema name", path: "$.schema", line: line,
                suggestion: "schema names are spelled like Person, Company, Ownership")
        }
        var properties: OrderedDictionary<String, [String]> = [:]
        switch object["properties"] {
        case nil, .null?: break
        case .object(let members)?:
            for (name, item) in members {
                let path = "$.properties.\(name)"
                guard case .array(let items) = item else {
                    log.report(
                        .error, .wrongType,
                        "property '\(name)' of '\(id)' must be an array of strings, not "
                            + Self.typeName(item), path: path, line: line)
                    continue
                }
                var texts: [String] = []
                for (index, element) in items.enumerated() {
                    guard case .string(let text) = element else {
                        log.report(
                            .error, .wrongType,
                            "value \(index) of property '\(name)' of '\(id)' must be a string, not "
                                + Self.typeName(element), path: "\(path)[\(index)]", line: line)
                        continue
                    }
                    texts.append(text)
                }
                properties[name] = texts
            }
        case let other?:
            return log.report(
                .error, .wrongType, "'properties' of '\(id)' must be an object, not \(Self.typeName(other))",
                path: "$.properties", line: line)
        }
        var caption: String?
        if case .string(let text)? = object["caption"] { caption = text }
        var meta: OrderedDictionary<String, JSONValue> = [:]
        if let captionValue = object["caption"] { meta[FtMVocabulary.metaPrefix + "caption"] = captionValue }
        let known: Set<String> = ["id", "schema", "caption", "properties"]
        for key in Self.metaOrder { if let item = object[key] { meta[FtMVocabulary.metaPrefix + key] = item } }
        for (key, item) in object where !known.contains(key) && !Self.metaOrder.contains(key) {
            meta[FtMVocabulary.metaPrefix + key] = item
        }
        records.append(
            FtMRecord(id: id, schema: schema, caption: caption, properties: properties, meta: meta, line: line))
    }

    private mutating func string(_ value: JSONValue?, _ path: String, line: Int) -> String? {
        let name = String(path.dropFirst(2))
        switch value {
        case nil, .null?:
            log.report(.error, .missingField, "the object has no '\(name)'", path: path, line: line)
        case .string(let text)? where text.isEmpty:
            log.report(.error, .emptyValue, "'\(name)' is empty", path: path, line: line)
        case .string(let text)?:
            return text
        case let other?:
            log.report(
                .error, .wrongType, "'\(name)' must be a string, not \(Self.typeName(other))", path: path, line: line)
        }
        return nil
    }

    /// The path of the first string (or key) longer than the limit, or `nil`.
    private func tooLong(_ value: JSONValue, path: String) -> String? {
        switch value {
        case .string(let text): return text.utf8.count > limits.maximumStringBytes ? path : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = tooLong(item, path: "\(path)[\(index)]") { return found }
            }
        case .object(let members):
            for (key, item) in members {
                if key.utf8.count > limits.maximumStringBytes { return path }
                if let found = tooLong(item, path: "\(path).\(key)") { return found }
            }
        default: break
        }
        return nil
    }

    private func depth(_ value: JSONValue) -> Int {
        switch value {
        case .array(let items): return 1 + (items.map(depth).max() ?? 0)
        case .object(let members): return 1 + (members.values.map(depth).max() ?? 0)
        default: return 0
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Joins objects that share an id (FtM streams may split one entity into fragments): with the same
    /// schema their values are merged, in order, with a warning; with another schema it is an error.
    mutating func mergeFragments() {
        var index: [String: Int] = [:]
        var merged: [FtMRecord] = []
        var fragments = 0
        for record in records {
            guard let first = index[record.id] else {
                index[record.id] = merged.count
                merged.append(record)
                continue
            }
            guard merged[first].schema == record.schema else {
                log.report(
                    .error, .duplicateID,
                    "the id '\(record.id)' is used again, as a \(record.schema) (line \(merged[first].line) has it as a "
                        + "\(merged[first].schema))", path: "$.id", line: record.line,
                    suggestion: "give each entity its own id")
                continue
            }
            fragments += 1
            for (name, values) in record.properties {
                var existing = merged[first].properties[name] ?? []
                for value in values where !existing.contains(value) { existing.append(value) }
                merged[first].properties[name] = existing
            }
            merged[first].properties.sort { $0.key < $1.key }
            for (key, value) in record.meta where merged[first].meta[key] == nil { merged[first].meta[key] = value }
            if merged[first].caption == nil { merged[first].caption = record.caption }
        }
        if fragments > 0 {
            log.report(
                .warning, .readAsNoted,
                "\(pluralize(fragments, "object")) repeated an earlier id with the same schema; their property values "
                    + "were merged into the first", line: nil)
        }
        records = merged
    }
}
