/// One field of a CSV record: its text and where it starts (1-based line and column, the column
/// counted in Unicode scalars).
struct CSVField {
    var text: String
    var line: Int
    var column: Int
    /// True when the field was written in double quotes: its text is exactly what is between them.
    var isQuoted = false
}

/// One record: its fields and the line it starts on.
struct CSVRecord {
    var line: Int
    var fields: [CSVField]
    /// True for the last record of a file that ends inside a quoted field: its fields are not reliable.
    var isTruncated = false
}

/// An RFC 4180 reader over UTF-8 bytes.
///
/// - Fields are separated by the ``delimiter``: `,`, or `;` or a tab as spreadsheets in many locales
///   export them (``detectDelimiter(in:)`` reads it off the header). Records end with CRLF, LF or a
///   lone CR (all three count as one line break for line numbers). A field that starts with `"` is
///   quoted: it runs to the next `"` not doubled, and may hold delimiters, doubled quotes and line
///   breaks.
/// - A leading UTF-8 byte-order mark is skipped. Blank lines are skipped.
/// - A `"` inside an unquoted field is kept as a character (as spreadsheets do).
/// - Problems are reported, never trapped on: bytes that are not UTF-8 (the field is decoded with
///   U+FFFD and reported once), text after a closing quote (reported; the rest of the field is kept),
///   and a quote that is never closed (reported at the opening quote; reading stops there).
///
/// One pass, O(bytes) time; a field is copied once.
struct CSVParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The byte between fields: `,`, `;` or a tab.
    let delimiter: UInt8
    private var index = 0
    private var line = 1
    private var column = 1

    private(set) var records: [CSVRecord] = []
    /// Problems as (code, message, line, column, suggestion).
    private(set) var problems:
        [(code: ValidationIssue.Code, message: String, line: Int, column: Int, suggestion: String?)] = []

    /// A reader over `bytes`, with the delimiter `delimiter`, or the one its header uses.
    init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8? = nil) {
        self.bytes = bytes
        self.delimiter = delimiter ?? Self.detectDelimiter(in: bytes)
    }

    /// The delimiters a sheet may use: comma, semicolon, tab.
    static let delimiters: [UInt8] = [0x2C, 0x3B, 0x09]

    /// The delimiter the header (the first record with text) uses most often outside quotes: `;` for
    /// a sheet exported by a German or French spreadsheet, a tab for a TSV, else `,` (also on a tie,
    /// and for a header of one column). O(length of the header).
    static func detectDelimiter(in bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var counts = [0, 0, 0]
        var index = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var quoted = false
        var started = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 0x22 {
                quoted.toggle()
                started = true
            } else if !quoted, byte == 0x0A || byte == 0x0D {
                if started { break }
            } else if !quoted, let which = delimiters.firstIndex(of: byte) {
                counts[which] += 1
                started = true
            } else if byte != 0x20 {
                started = true
            }
        }
        let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
        return counts[best] > 0 ? delimiters[best] : 0x2C
    }

    /// How messages name the delimiter: "comma", "semicolon", "tab".
    var delimiterName: String {
        switch delimiter {
        case 0x3B: "semicolon"
        case 0x09: "tab"
        default: "comma"
        }
    }

    /// Reads every record.
    mutating func parse() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        var fields: [CSVField] = []
        var recordLine = line
        var buffer: [UInt8] = []
        while index < bytes.count {
            if fields.isEmpty { recordLine = line }
            let fieldLine = line
            let fieldColumn = column
            buffer.removeAll(keepingCapacity: true)
            var quoted = false
            if bytes[index] == 0x22 {
                quoted = true
                guard readQuoted(into: &buffer, line: fieldLine, column: fieldColumn) else {
                    // Unterminated: the rest of the file is inside the quotes. Keep what came before.
                    fields.append(
                        CSVField(text: decode(buffer, fieldLine, fieldColumn), line: fieldLine, column: fieldColumn))
                    records.append(CSVRecord(line: recordLine, fields: fields, isTruncated: true))
                    return
                }
            } else {
                readUnquoted(into: &buffer)
            }
            fields.append(
                CSVField(
                    text: decode(buffer, fieldLine, fieldColumn), line: fieldLine, column: fieldColumn, isQuoted: quoted
                ))
            // Now at a delimiter, a line break or the end.
            if index < bytes.count, bytes[index] == delimiter {
                advance()
                if index == bytes.count {
                    fields.append(CSVField(text: "", line: line, column: column))
                }
                continue
            }
            if index < bytes.count { consumeLineBreak() }
            let blank = fields.count == 1 && !quoted && fields[0].text.isEmpty
            if !blank { records.append(CSVRecord(line: recordLine, fields: fields)) }
            fields = []
        }
        if !fields.isEmpty { records.append(CSVRecord(line: recordLine, fields: fields)) }
    }

    // MARK: Fields

    private mutating func readUnquoted(into buffer: inout [UInt8]) {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
            if byte & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    /// Reads a quoted field starting at its opening quote. Returns false when the quote is never closed.
    private mutating func readQuoted(into buffer: inout [UInt8], line fieldLine: Int, column fieldColumn: Int) -> Bool {
        advance()  // the opening quote
        while true {
            guard index < bytes.count else {
                problems.append(
                    (
                        .invalidCSV, "this quoted field is never closed (the file ends inside it)", fieldLine,
                        fieldColumn,
                        "close it with \", and double every quote inside it (\"\")"
                    ))
                return false
            }
            let byte = bytes[index]
            if byte == 0x22 {
                if index + 1 < bytes.count, bytes[index + 1] == 0x22 {
                    buffer.append(0x22)
                    advance()
                    advance()
                    continue
                }
                advance()  // the closing quote
                break
            }
            if byte == 0x0A || byte == 0x0D {
                buffer.append(byte)
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                    buffer.append(0x0A)
                    index += 1
                }
                index += 1
                line += 1
                column = 1
                continue
            }
            buffer.append(byte)
            advance()
        }
        // After the closing quote only a delimiter, a line break or the end may follow.
        if index < bytes.count, bytes[index] != delimiter, bytes[index] != 0x0A, bytes[index] != 0x0D {
            problems.append(
                (
                    .invalidCSV, "text after the closing quote of a quoted field", line, column,
                    "quote the whole field, and double every quote inside it (\"\")"
                ))
            readUnquoted(into: &buffer)
        }
        return true
    }

    /// Decodes a field, reporting bytes that are not UTF-8 (replaced with U+FFFD).
    private mutating func decode(_ buffer: [UInt8], _ fieldLine: Int, _ fieldColumn: Int) -> String {
        if let text = String(validating: buffer, as: UTF8.self) { return text }
        problems.append(
            (
                .invalidUTF8, "this field holds bytes that are not valid UTF-8", fieldLine, fieldColumn,
                "save the file as UTF-8"
            ))
        return String(decoding: buffer, as: UTF8.self)
    }

    // MARK: Position

    /// Moves past one byte on the current line.
    private mutating func advance() {
        if bytes[index] & 0xC0 != 0x80 { column += 1 }
        index += 1
    }

    /// Moves past CRLF, LF or CR at `index`.
    private mutating func consumeLineBreak() {
        if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
        index += 1
        line += 1
        column = 1
    }
}

extension ValidationIssue.Code {
    /// Malformed CSV: a quoted field that is never closed, or text after a closing quote.
    public static let invalidCSV: ValidationIssue.Code = "invalidCSV"
    /// A CSV row with more or fewer fields than the header has columns.
    public static let wrongFieldCount: ValidationIssue.Code = "wrongFieldCount"
    /// A CSV file without a column it needs (`id` in nodes.csv; `source` and `target` in edges.csv),
    /// or without a header at all.
    public static let missingColumn: ValidationIssue.Code = "missingColumn"
    /// Two CSV columns with the same name (exactly, or ignoring case and spacing for a column that
    /// names a role such as `name`), or a column without a name.
    public static let duplicateColumn: ValidationIssue.Code = "duplicateColumn"
    /// A CSV cell with a kind or relation type that is not built in, close to one that is: it was
    /// declared, but it may be a typo.
    public static let undeclaredVocabulary: ValidationIssue.Code = "undeclaredVocabulary"
    /// A CSV row whose locator (page, paragraph) cites no document.
    public static let missingSource: ValidationIssue.Code = "missingSource"
    /// A CSV `source id` given again with another title, publisher or URL (the first is kept): a warning.
    public static let conflictingSource: ValidationIssue.Code = "conflictingSource"
    /// An edge sheet's endpoint that names several entities by name or alias.
    public static let ambiguousEntity: ValidationIssue.Code = "ambiguousEntity"
    /// Edge endpoints matched to entities by name or alias (in any case) rather than by id: a warning.
    public static let endpointByName: ValidationIssue.Code = "endpointByName"
    /// A CSV cell in a number column (`weight`) that is not a finite decimal number (`12abc`, `NaN`,
    /// `1,5` in a sheet separated by commas). Numbers beyond a double, or that a double would change,
    /// are ``numberOutOfRange``.
    public static let invalidNumber: ValidationIssue.Code = "invalidNumber"
    /// More problems than ``CSVSheets/maximumIssuesPerFile`` in one file; the rest are not listed.
    public static let tooManyIssues: ValidationIssue.Code = "tooManyIssues"
}
