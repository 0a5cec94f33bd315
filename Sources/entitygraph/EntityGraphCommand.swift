import ArgumentParser
import EntityGraphviz
import Foundation

/// The `entitygraph` command: parses arguments, calls the EntityGraph libraries, prints.
///
/// Every subcommand is thin: it resolves its arguments (``GraphInput``, ``EntityResolver``), calls
/// one library query or the renderer, and formats the result. Failures are ``CommandFailure``s,
/// printed by ``main()`` as one `error: …` line plus detail lines, with the exit status of
/// ``ExitStatus``.
@main
struct EntityGraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entitygraph",
        abstract: "Explore and draw who is connected to whom.",
        discussion: """
            FILE arguments are EntityGraph documents (.json). ENTITY arguments accept an id, a name or an \
            alias, in any case, with or without diacritics ("lukashenko", "Alexander Lukashenko", "volodya").

            Exit status:
              0  success
              1  invalid input: bad file, unknown entity, validation errors, no path
              2  usage error: unknown option, missing or malformed argument
              3  rendering failed: Graphviz error, unknown engine or format

            Examples:
              entitygraph render Graphs/zelensky-lukashenko-mozyr.json -o map.svg
              entitygraph neighbors Graphs/zelensky-lukashenko-mozyr.json Lukashenko
              entitygraph path Graphs/zelensky-lukashenko-mozyr.json \\
                  Putin "Mozyr refinery" --ignore-direction

            Shell completions: entitygraph --generate-completion-script bash|zsh|fish
            """,
        version: "0.1.0",
        subcommands: [
            Render.self, Neighbors.self, Path.self, Info.self, Validate.self, Convert.self, Engines.self,
        ]
    )

    /// Runs the command, printing ``CommandFailure``s in the `error: …` form and mapping
    /// ArgumentParser's usage errors to exit status 2.
    static func main() {
        // Renders run in copies of this executable (see `Renderer.commandLine`): serve when started as one.
        if CommandLine.arguments.count == 2, CommandLine.arguments[1] == LayoutWorker.argument { LayoutWorker.serve() }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            Console.report(failure)
            terminate(failure.status)
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.writeError(fullMessage(for: error) + "\n")
                terminate(.usage)
            }
            exit(withError: error)
        }
    }
}
