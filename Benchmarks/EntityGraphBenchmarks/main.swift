import Foundation

// Entry point of `make bench`. Each suite lives in its own file and prints its own table.
//   swift run -c release EntityGraphBenchmarks [load|read|queries|render|isolation|readability|all]
let suite = CommandLine.arguments.dropFirst().first ?? "all"
let known = ["load", "read", "queries", "render", "isolation", "readability", "leakcheck", "all"]
guard known.contains(suite) else {
    print("usage: EntityGraphBenchmarks [\(known.joined(separator: "|"))]")
    exit(2)
}
if suite == "load" || suite == "all" { try LoadBenchmark.run() }
if suite == "read" || suite == "all" { try ReadBenchmark.run() }
if suite == "queries" || suite == "all" { try QueryBenchmark.run() }
if suite == "render" || suite == "all" { try RenderBenchmark.run() }
if suite == "isolation" || suite == "all" { try IsolationBenchmark.run() }
if suite == "readability" || suite == "all" { try ReadabilityBenchmark.run() }
if suite == "leakcheck" { try LeakCheck.run() }
