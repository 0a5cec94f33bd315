import ArgumentParser
import EntityGraphviz
import Foundation

extension EntityGraphCommand {
    /// `entitygraph engines`: what this Graphviz can do.
    struct Engines: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the layout engines and output formats of the Graphviz in use, and its version.",
            discussion: """
                --json prints an object with version, engines and formats.

                Examples:
                  entitygraph engines
                  entitygraph engines --json
                """)

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            let capabilities: Capabilities
            do {
                capabilities = try Renderer.capabilities()
            } catch {
                throw CommandFailure.render(error)
            }
            if json {
                try JSONOutput.write(
                    EnginesJSON(
                        version: capabilities.version, engines: capabilities.engines, formats: capabilities.formats))
            } else {
                Console.write(
                    """
                    Graphviz \(capabilities.version)
                    engines: \(capabilities.engines.joined(separator: " "))
                    formats: \(capabilities.formats.joined(separator: " "))

                    """)
            }
        }
    }
}

/// `engines --json`.
struct EnginesJSON: Encodable {
    var version: String
    var engines: [String]
    var formats: [String]
}
