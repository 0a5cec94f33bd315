import EntityGraph
import EntityGraphviz
import Foundation

/// The exit statuses of `entitygraph`, documented in the root command's help and in docs/CLI.md.
enum ExitStatus: Int32 {
    /// Everything worked.
    case success = 0
    /// The input was wrong: an unreadable or invalid file, an unknown entity, validation errors,
    /// no path between two entities.
    case invalidInput = 1
    /// The command line was wrong (ArgumentParser's own errors).
    case usage = 2
    /// The output failed: Graphviz could not lay out or render the map, or a file could not be
    /// written (any command).
    case outputFailure = 3
}

/// Ends the process with `status`, flushing standard output first.
func terminate(_ status: ExitStatus) -> Never {
    fflush(nil)
    exit(status.rawValue)
}

/// A failure to report: one `error: …` line, then detail lines, then exit with ``status``.
struct CommandFailure: Error {
    var status: ExitStatus
    var message: String
    var details: [String]

    init(_ status: ExitStatus = .invalidInput, _ message: String, details: [String] = []) {
        self.status = status
        self.message = message
        self.details = details
    }

    /// An invalid document: one line per issue (`file:line:col: error: …`), warnings included.
    static func invalidDocument(_ path: String, _ error: DocumentError) -> CommandFailure {
        let count = error.errors.count
        return CommandFailure(
            .invalidInput, "\(path) is not a valid EntityGraph document (\(plural(count, "error")))",
            details: error.issues.map(\.description))
    }

    /// A file that could not be written: `cannot write PATH: why` (exit status 3).
    static func unwritable(_ error: DocumentError) -> CommandFailure {
        guard let issue = error.errors.first else {
            return CommandFailure(.outputFailure, "cannot write the output")
        }
        return CommandFailure(.outputFailure, "cannot write \(issue.fileName ?? "the output"): \(issue.message)")
    }

    /// A failed render or write: Graphviz's own words as detail lines.
    static func render(_ error: GraphvizError) -> CommandFailure {
        var details = error.graphvizMessages.map { "graphviz: " + $0 }
        if error.code == .unknownFormat {
            details.append("run 'entitygraph engines' to list the formats this Graphviz has")
        }
        var context: [String] = []
        if let engine = error.engine { context.append("engine \(engine)") }
        if let format = error.format { context.append("format \(format)") }
        let where_ = context.isEmpty ? "" : " (" + context.joined(separator: ", ") + ")"
        return CommandFailure(.outputFailure, "\(error.stage) failed\(where_): \(error.message)", details: details)
    }

    /// A query that could not run (an id vanished, a negative bound): a bug in the caller, reported plainly.
    static func query(_ error: QueryError) -> CommandFailure {
        CommandFailure(.invalidInput, error.description)
    }
}

/// `1 error`, `2 errors`.
func plural(_ count: Int, _ word: String, _ pluralWord: String? = nil) -> String {
    "\(count.formatted()) \(count == 1 ? word : pluralWord ?? word + "s")"
}

extension Int {
    /// `10,000`: digits grouped by thousands with commas, whatever the locale.
    func formatted() -> String {
        let digits = String(magnitude)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (self < 0 ? "-" : "") + result
    }
}
