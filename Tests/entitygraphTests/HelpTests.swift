import Foundation
import Testing

/// Every command's `--help`, against golden files (80 columns).
@Suite struct HelpTests {
    static let commands = ["", "render", "neighbors", "path", "info", "validate", "convert", "engines"]

    @Test(arguments: HelpTests.commands)
    func helpMatchesSnapshot(command: String) throws {
        let arguments = command.isEmpty ? ["--help"] : [command, "--help"]
        let result = try CLI.run(arguments)
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        try assertSnapshot(result.output, named: "help-\(command.isEmpty ? "entitygraph" : command).txt")
    }

    @Test(arguments: HelpTests.commands.dropFirst())
    func helpShowsExamplesOnTheSeedGraph(command: String) throws {
        let result = try CLI.run([command, "--help"])
        #expect(result.output.contains("Examples:"))
        if command != "engines" {
            #expect(result.output.contains("entitygraph \(command) Graphs/zelensky-lukashenko-mozyr.json"))
        }
    }

    @Test func rootHelpDocumentsExitStatusesAndCompletions() throws {
        let result = try CLI.run(["--help"])
        for line in ["0  success", "1  invalid input", "2  usage error", "3  rendering failed"] {
            #expect(result.output.contains(line))
        }
        #expect(result.output.contains("--generate-completion-script"))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsAreGenerated(shell: String) throws {
        let result = try CLI.run(["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(result.output.contains("neighbors"))
        #expect(result.output.contains("cluster-by"))
    }

    @Test func usageErrorsExitWithStatus2() throws {
        let unknownOption = try CLI.run(["neighbors", seedGraph, "lukashenko", "--bogus"])
        #expect(unknownOption.status == 2)
        #expect(unknownOption.standardError.contains("--bogus"))
        #expect(unknownOption.output.isEmpty)

        let missingArgument = try CLI.run(["path", seedGraph, "putin"])
        #expect(missingArgument.status == 2)

        let badDate = try CLI.run(["neighbors", seedGraph, "putin", "--as-of", "2022-13"])
        #expect(badDate.status == 2)
        #expect(badDate.standardError.contains("YYYY-MM-DD"))

        let badDirection = try CLI.run(["neighbors", seedGraph, "putin", "--direction", "sideways"])
        #expect(badDirection.status == 2)
    }
}
