import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// No command writes to a file it read; write failures say the real cause, in one line, with exit
/// status 3; a replaced file keeps its permissions; a symbolic link keeps pointing at its file.
@Suite("Outputs: never onto an input, failures named")
struct OutputSafetyTests {
    /// A folder holding a copy of the seed graph as `g.json`, and the copy's bytes.
    static func withCopy(_ body: (URL, Data) throws -> Void) throws {
        try withTemporaryFolder { folder in
            let bytes = try Data(contentsOf: repositoryRoot.appendingPathComponent(seedGraph))
            try bytes.write(to: folder.appendingPathComponent("g.json"))
            try body(folder, bytes)
        }
    }

    @Test(
        "render and convert refuse to write onto their input, however it is spelled",
        arguments: [
            ["render", "g.json", "--format", "json"],  // the default output ./g.json is the input
            ["render", "g.json", "-o", "g.json"],
            ["render", "g.json", "-o", "./g.json", "--format", "svg"],
            ["render", "link.json", "-o", "g.json"],
            ["render", "g.json", "-o", "hard.json"],
            ["neighbors", "g.json", "Lukashenko", "--render", "g.json"],
            ["path", "g.json", "Lukashenko", "Zelensky", "--render", "./link.json"],
            ["convert", "g.json", "g.json"],
            ["convert", "link.json", "./g.json"],
            ["convert", "g.json", "hard.json"],
        ])
    func refusesToOverwriteInput(arguments: [String]) throws {
        try Self.withCopy { folder, original in
            let input = folder.appendingPathComponent("g.json").path
            #expect(symlink("g.json", folder.appendingPathComponent("link.json").path) == 0)
            #expect(link(input, folder.appendingPathComponent("hard.json").path) == 0)
            let result = try CLI.run(arguments, in: folder)
            #expect(result.status == 1, "\(result.standardError)")
            #expect(result.standardError.contains("refusing to write"), "\(result.standardError)")
            #expect(result.standardError.contains("it is an input of this command"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == original, "the input was changed")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
                $0.hasPrefix(".")
            }
            #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
        }
    }

    @Test("convert refuses CSV sheets written back into the folder they are read from")
    func refusesToOverwriteSheets() throws {
        try Self.withCopy { folder, _ in
            #expect(try CLI.run(["convert", "g.json", "sheets/"], in: folder).status == 0)
            let nodes = folder.appendingPathComponent("sheets/nodes.csv")
            let before = try Data(contentsOf: nodes)
            for arguments in [
                ["convert", "sheets", "sheets/"], ["convert", "sheets/nodes.csv", "./sheets/nodes.csv"],
            ] {
                let result = try CLI.run(arguments, in: folder)
                #expect(result.status == 1, "\(arguments): \(result.standardError)")
                #expect(result.standardError.contains("it is an input of this command"))
            }
            #expect(try Data(contentsOf: nodes) == before)
            // Into another folder it works.
            #expect(try CLI.run(["convert", "sheets", "other/"], in: folder).status == 0)
        }
    }

    @Test("a write failure names its cause in one line and exits with status 3")
    func writeFailuresNameTheCause() throws {
        try Self.withCopy { folder, _ in
            try Data("x".utf8).write(to: folder.appendingPathComponent("plain"))
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("taken.svg"), withIntermediateDirectories: false)
            let cases: [(arguments: [String], message: String)] = [
                (
                    ["convert", "g.json", "missing/x.json"],
                    "error: cannot write missing/x.json: the folder missing does not exist"
                ),
                (
                    ["convert", "g.json", "missing/x.gv"],
                    "error: cannot write missing/x.gv: the folder missing does not exist"
                ),
                (
                    ["convert", "g.json", "missing/x.graphml"],
                    "error: cannot write missing/x.graphml: the folder missing does not exist"
                ),
                (
                    ["convert", "g.json", "plain/sheets/"],
                    "error: cannot write plain/sheets: plain is a file, not a folder"
                ),
                (["render", "g.json", "-o", "taken.svg"], "cannot write taken.svg: it is a folder"),
                (
                    ["render", "g.json", "-o", "missing/x.svg"],
                    "cannot write missing/x.svg: the folder missing does not exist"
                ),
            ]
            for (arguments, message) in cases {
                let result = try CLI.run(arguments, in: folder)
                #expect(result.status == 3, "\(arguments): \(result.standardError)")
                #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
                #expect(!result.standardError.contains("NSCocoaErrorDomain"))
            }
        }
    }

    @Test("a replaced file keeps its permission bits; a symbolic link keeps pointing at its file")
    func replacedFilesKeepModeAndLinks() throws {
        try Self.withCopy { folder, _ in
            let target = folder.appendingPathComponent("private.json").path
            for arguments in [["convert", "g.json", "private.json"], ["render", "g.json", "-o", "private.svg"]] {
                let path = folder.appendingPathComponent(arguments.last!).path
                #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8)))
                #expect(chmod(path, 0o600) == 0)
                let result = try CLI.run(arguments, in: folder)
                #expect(result.status == 0, "\(result.standardError)")
                var info = stat()
                #expect(stat(path, &info) == 0)
                #expect(info.st_mode & 0o777 == 0o600, "mode \(String(info.st_mode & 0o777, radix: 8))")
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)) != Data("old".utf8))
            }
            #expect(symlink("private.json", folder.appendingPathComponent("alias.json").path) == 0)
            #expect(try CLI.run(["convert", "g.json", "alias.json"], in: folder).status == 0)
            var info = stat()
            #expect(lstat(folder.appendingPathComponent("alias.json").path, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFLNK, "the link was replaced by a file")
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)).count > 1000)
        }
    }
}
