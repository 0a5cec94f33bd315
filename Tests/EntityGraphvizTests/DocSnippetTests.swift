import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every ```swift block in the DocC articles (`Sources/*/*.docc/*.md`) compiles.
///
/// The blocks of one article are joined in order into one file of top-level code, so a later block
/// can use what an earlier one declared, as a reader going through the article would. Each block is
/// preceded by a `#sourceLocation` directive naming the article and the block's first line, so a
/// compiler error reads `Sources/EntityGraph/EntityGraph.docc/Queries.md:57:12: error: …`. The file is
/// type-checked (`swiftc -typecheck`, not run) against the modules of the build running this test.
///
/// Code that is not Swift goes in blocks with another language (`text`, `json`, `sh`, `console`); a
/// fence without any language fails the test, since DocC would show it as Swift.
@Suite("DocC article snippets")
struct DocSnippetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The articles, as paths relative to the package root, sorted.
    static let articles: [String] = {
        let sources = root.appendingPathComponent("Sources")
        let files =
            FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL } ?? []
        return
            files
            .filter { $0.pathExtension == "md" && $0.deletingLastPathComponent().pathExtension == "docc" }
            .map { String($0.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)) }
            .sorted()
    }()

    /// One fenced code block: its language (empty when the fence names none), the 1-based line of
    /// its first content line, and its content with the fence's indentation removed.
    struct Block {
        var language: String
        var firstLine: Int
        var code: String
    }

    /// The fenced blocks of a Markdown text (``` fences, any indentation), in order.
    static func blocks(in markdown: String) -> [Block] {
        var result: [Block] = []
        var open: (language: String, indent: Int, firstLine: Int, lines: [String])?
        for (index, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop(while: { $0 == " " })
            let indent = line.count - trimmed.count
            if var current = open {
                if trimmed.hasPrefix("```") && trimmed.allSatisfy({ $0 == "`" || $0 == " " }) {
                    result.append(
                        Block(
                            language: current.language, firstLine: current.firstLine,
                            code: current.lines.joined(separator: "\n")))
                    open = nil
                } else {
                    current.lines.append(String(line.dropFirst(min(current.indent, indent))))
                    open = current
                }
            } else if trimmed.hasPrefix("```") {
                let language = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
                open = (language, indent, index + 2, [])
            }
        }
        return result
    }

    /// Where the modules of the running build are: the `Modules` folder beside (or above) this test
    /// binary, or `nil` with the places searched.
    static func modulesDirectory() -> (URL?, [String]) {
        var starts: [URL] = Bundle.allBundles.map(\.bundleURL)
        if let executable = Bundle.main.executableURL { starts.append(executable) }
        starts.append(URL(fileURLWithPath: CommandLine.arguments[0]))
        var searched: [String] = []
        for start in starts {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<5 {
                let modules = directory.appendingPathComponent("Modules")
                searched.append(modules.path)
                if FileManager.default.fileExists(
                    atPath: modules.appendingPathComponent("EntityGraphviz.swiftmodule").path)
                {
                    return (modules, searched)
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return (nil, searched)
    }

    /// The Swift compiler of the toolchain running this test: `$SWIFTC`, else the `swiftc` beside the
    /// `libswiftCore` this process loaded (Linux), else the first on `PATH`, else `xcrun`'s.
    static func compiler() -> [String]? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["SWIFTC"], !explicit.isEmpty { return [explicit] }
        if let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8),
            let line = maps.split(separator: "\n").first(where: { $0.hasSuffix("/libswiftCore.so") }),
            let slash = line.firstIndex(of: "/")
        {
            // <toolchain>/usr/lib/swift/linux/libswiftCore.so → <toolchain>/usr/bin/swiftc
            let library = URL(fileURLWithPath: String(line[slash...]))
            let swiftc = library.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("bin/swiftc")
            if FileManager.default.isExecutableFile(atPath: swiftc.path) { return [swiftc.path] }
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let swiftc = "\(directory)/swiftc"
            if FileManager.default.isExecutableFile(atPath: swiftc) { return [swiftc] }
        }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/xcrun") { return ["/usr/bin/xcrun", "swiftc"] }
        return nil
    }

    /// Runs a command, returning its exit status and its standard output and error, interleaved.
    static func run(_ command: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// `-Xcc -I…` for Graphviz's headers, from pkg-config when it is there (CGraphviz's shim.h
    /// includes `<graphviz/gvc.h>`, which is found without it where Graphviz is in /usr/include).
    static let graphvizIncludes: [String] = {
        guard
            let pkgConfig = ["/usr/bin/pkg-config", "/opt/homebrew/bin/pkg-config", "/usr/local/bin/pkg-config"]
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) }),
            let result = try? run([pkgConfig, "--cflags-only-I", "libgvc"]), result.status == 0
        else { return [] }
        return result.output.split(whereSeparator: \.isWhitespace).flatMap { ["-Xcc", String($0)] }
    }()

    @Test("the articles are found and every fence names its language")
    func fencesNameTheirLanguage() throws {
        #expect(Self.articles.count >= 8, "articles found: \(Self.articles)")
        var swiftBlocks = 0
        for article in Self.articles {
            let text = try String(contentsOf: Self.root.appendingPathComponent(article), encoding: .utf8)
            for block in Self.blocks(in: text) {
                #expect(!block.language.isEmpty, "\(article):\(block.firstLine - 1): a fence without a language")
                if block.language == "swift" { swiftBlocks += 1 }
            }
        }
        #expect(swiftBlocks >= 10)
    }

    @Test("every swift block of the article compiles", arguments: articles)
    func snippetsCompile(article: String) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent(article), encoding: .utf8)
        let blocks = Self.blocks(in: text).filter { $0.language == "swift" }
        guard !blocks.isEmpty else { return }

        let (modulesDirectory, searched) = Self.modulesDirectory()
        guard let modules = modulesDirectory, let swiftc = Self.compiler() else {
            // Only when the build's modules genuinely cannot be found (an unusual test runner layout).
            print(
                "DocSnippetTests: skipped \(article): cannot find "
                    + (modulesDirectory == nil
                        ? "the build's Modules folder (searched \(searched.joined(separator: ", ")))"
                        : "swiftc (set SWIFTC)"))
            return
        }

        var source = ""
        for block in blocks {
            source += "#sourceLocation(file: \"\(article)\", line: \(block.firstLine))\n\(block.code)\n"
        }
        source += "#sourceLocation()\n"
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("doc-snippets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("main.swift")
        try source.write(to: file, atomically: true, encoding: .utf8)

        let moduleMaps = ["Sources/CGraphviz/include/module.modulemap", "Sources/CGraphvizLibrary/module.modulemap"]
            .flatMap { ["-Xcc", "-fmodule-map-file=\(Self.root.appendingPathComponent($0).path)"] }
        let command =
            swiftc + [
                "-typecheck", "-swift-version", "6", "-warnings-as-errors", "-I", modules.path,
                "-module-cache-path", work.appendingPathComponent("ModuleCache").path,
            ] + moduleMaps + Self.graphvizIncludes + [file.path]
        let result = try Self.run(command)
        #expect(
            result.status == 0,
            "\(article): the swift blocks (starting at lines \(blocks.map { String($0.firstLine) }.joined(separator: ", "))) do not compile:\n\(result.output)"
        )
    }
}
