import Foundation

/// Standard output and standard error, written unbuffered through `FileHandle` so text and binary
/// output (an SVG on `-o -`) never interleave out of order.
///
/// Every text written here goes through ``TerminalText/visible(lines:)``: no control character or
/// bidirectional override from a user's data reaches the terminal. (Bytes — a map on `-o -`, JSON
/// output — are written as they are; JSON escapes control characters itself.)
enum Console {
    /// Writes text to standard output.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(TerminalText.visible(lines: text).utf8))
    }

    /// Writes bytes to standard output.
    static func write(_ data: Data) {
        FileHandle.standardOutput.write(data)
    }

    /// Writes text to standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(TerminalText.visible(lines: text).utf8))
    }

    /// Writes the progress line's own terminal controls (and text already made visible) to
    /// standard error, as they are.
    static func writeControl(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `warning: …` on standard error.
    static func warn(_ message: String) {
        writeError("warning: " + TerminalText.visible(message) + "\n")
    }

    /// `error: …` on standard error, then each detail line indented by two spaces; each is one line
    /// whatever the message holds.
    static func report(_ failure: CommandFailure) {
        var text = "error: " + TerminalText.visible(failure.message) + "\n"
        for line in failure.details {
            text += "  " + TerminalText.visible(line) + "\n"
        }
        writeError(text)
    }

    /// True when standard error is a terminal (progress is shown only then).
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
}

/// A plain-text table with aligned columns, each column as wide as its widest cell.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func append(_ row: [String]) { rows.append(row) }

    /// The table, two spaces between columns, no trailing spaces, one line per row.
    var rendered: String {
        // Cells are shown with ``TerminalText/visible(_:)``: a line break in a name cannot split a row.
        var widths = header.map { TerminalText.visible($0).count }
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], TerminalText.visible(cell).count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (column, cell) in cells.map({ TerminalText.visible($0) }).enumerated() {
                if column > 0 { text += "  " }
                text += cell
                if column < cells.count - 1 { text += String(repeating: " ", count: widths[column] - cell.count) }
            }
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// Encodes command results as JSON: pretty-printed, keys sorted, so output is byte-stable.
enum JSONOutput {
    static func write<T: Encodable>(_ value: T) throws(CommandFailure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(value)
            data.append(0x0A)
            Console.write(data)
        } catch {
            throw CommandFailure(.invalidInput, "cannot encode the result as JSON: \(error)")
        }
    }
}
