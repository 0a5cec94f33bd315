import ArgumentParser
import EntityGraph
import Foundation

extension EntityGraphCommand {
    /// `entitygraph validate FILE`: every problem in a graph file.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a graph file and list every problem in it.",
            discussion: """
                Prints one line per problem, in file order, as FILE:LINE:COLUMN: error|warning: PATH: \
                message — suggestion, then a count. Exits with status 1 when there is any error; warnings \
                alone exit with 0.

                Examples:
                  entitygraph validate Graphs/zelensky-lukashenko-mozyr.json
                """)

        @Argument(help: "The graph file (.json).", completion: .file(extensions: ["json"]))
        var file: String

        @OptionGroup
        var inputOptions: InputFormatOptions

        func run() throws {
            let issues = try GraphInput.issues(in: file, format: inputOptions.inputFormat)
            let errors = issues.count { $0.severity == .error }
            let warnings = issues.count - errors
            // One line per problem, whatever the ids and names in it hold.
            var text = issues.map { TerminalText.visible($0.description) + "\n" }.joined()
            if issues.isEmpty {
                text += TerminalText.visible(file) + ": no problems\n"
            } else {
                text +=
                    "\(file): \(plural(errors, "error"))" + (warnings > 0 ? ", \(plural(warnings, "warning"))" : "")
                    + "\n"
            }
            Console.write(text)
            if errors > 0 { throw ExitCode(ExitStatus.invalidInput.rawValue) }
        }
    }
}
