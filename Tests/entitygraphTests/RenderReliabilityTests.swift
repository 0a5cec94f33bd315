import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The command never dies with Graphviz: every engine on the seed, compressed formats written to files,
/// a full disk, a render killed during its write, and deadlines.
@Suite("render: crashes, disks, kills")
struct RenderReliabilityTests {
    static let engines = ["dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage", "patchwork"]

    @Test("the seed map renders with every engine to PNG and HTML", arguments: engines)
    func everyEngine(engine: String) throws {
        try withTemporaryFolder { folder in
            for name in ["map.png", "map.html"] {
                let out = folder.appendingPathComponent(name)
                let result = try CLI.run(["render", seedGraph, "-o", out.path, "--engine", engine])
                #expect(result.status == 0, "\(engine) \(name): \(result.standardError)")
                #expect(result.standardError.isEmpty, "\(result.standardError)")
                #expect((try? Data(contentsOf: out).count) ?? 0 > 1000)
            }
        }
    }

    @Test("compressed formats written to a file are gzip data and leave no temporary file")
    func compressedFormats() throws {
        try withTemporaryFolder { folder in
            for format in ["svgz", "vmlz"] {
                let out = folder.appendingPathComponent("map.\(format)")
                let result = try CLI.run(["render", seedGraph, "-o", out.path, "--format", format])
                #expect(result.status == 0, "\(format): \(result.standardError)")
                let bytes = try Data(contentsOf: out)
                #expect(bytes.starts(with: [0x1F, 0x8B]), "\(format) is not gzip data")
            }
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["map.svgz", "map.vmlz"])
        }
    }

    @Test("a full disk is a write error naming the cause; the old file stays and no temporary file remains")
    func fullDisk() throws {
        try withTemporaryFolder { folder in
            let mount = Process()
            mount.executableURL = URL(fileURLWithPath: "/bin/mount")
            mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path]
            mount.standardError = FileHandle.nullDevice
            guard (try? mount.run()) != nil else { return }
            mount.waitUntilExit()
            guard mount.terminationStatus == 0 else {
                print("full-disk test skipped: cannot mount a tmpfs here (needs root)")
                return
            }
            defer {
                let unmount = Process()
                unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
                unmount.arguments = [folder.path]
                try? unmount.run()
                unmount.waitUntilExit()
            }
            let out = folder.appendingPathComponent("map.png")
            let before = Data("the previous map\n".utf8)
            try before.write(to: out)
            let result = try CLI.run(["render", seedGraph, "-o", out.path])
            #expect(result.status == 3)
            #expect(result.standardError.contains("write failed"), "\(result.standardError)")
            #expect(result.standardError.contains("the disk is full"), "\(result.standardError)")
            #expect(try Data(contentsOf: out) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["map.png"])
        }
    }

    @Test("a write killed half-way leaves the old file; the next write to the folder sweeps its temporary file")
    func killedWrite() throws {
        try withTemporaryFolder { folder in
            // A document of some 30 MB, so that writing it takes a while.
            var entities: [String] = []
            for index in 0..<120_000 {
                entities.append(
                    #"{"id": "e\#(index)", "name": "Entity \#(index) with a longer name to make the file big", "kind": "person", "description": "A description that is long enough to make the written file large, entity \#(index)."}"#
                )
            }
            let big = folder.appendingPathComponent("big.json")
            try Data((#"{"formatVersion": 1, "entities": ["# + entities.joined(separator: ",\n") + "]}\n").utf8).write(
                to: big)
            let out = folder.appendingPathComponent("out.json")
            let before = Data(#"{"formatVersion": 1, "entities": []}"#.utf8)
            try before.write(to: out)

            var killedDuringWrite = false
            for _ in 0..<10 where !killedDuringWrite {
                let process = Process()
                process.executableURL = CLI.binary
                process.arguments = ["convert", big.path, out.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                // Wait for the temporary file to appear, then kill the writer.
                let deadline = Date().addingTimeInterval(60)
                while process.isRunning, Date() < deadline {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                    if names.contains(where: { $0.hasPrefix(".out.json.tmp-") }) {
                        kill(process.processIdentifier, SIGKILL)
                        killedDuringWrite = true
                        break
                    }
                    usleep(200)
                }
                process.waitUntilExit()
                if !killedDuringWrite { try before.write(to: out) }
            }
            try #require(killedDuringWrite, "never caught the writer mid-write")
            #expect(try Data(contentsOf: out) == before)
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(left.contains { $0.hasPrefix(".out.json.tmp-") }, "the kill left no temporary file: \(left)")

            // Any later write to the folder removes what the dead process left.
            let small = try CLI.run(["convert", seedGraph, folder.appendingPathComponent("seed.json").path])
            #expect(small.status == 0, "\(small.standardError)")
            let after = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(after == ["big.json", "out.json", "seed.json"])
        }
    }

    @Test("--timeout stops a layout that would run for a long time, with exit status 3")
    func timeout() throws {
        try withTemporaryFolder { folder in
            // 100 random entities and 300 relations: dot runs for well over 10 s.
            var random = UInt64(7)
            func next(_ bound: Int) -> Int {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int((random >> 33) % UInt64(bound))
            }
            let entities = (0..<100).map { #"{"id": "e\#($0)", "name": "Entity \#($0)", "kind": "organization"}"# }
            let relations = (0..<300).map {
                #"{"id": "r\#($0)", "type": "memberOf", "source": "e\#(next(100))", "target": "e\#(next(100))"}"#
            }
            let file = folder.appendingPathComponent("slow.json")
            try Data(
                (#"{"formatVersion": 1, "entities": ["# + entities.joined(separator: ",") + #"], "relations": ["#
                    + relations.joined(separator: ",") + "]}").utf8
            ).write(to: file)
            let started = Date()
            let result = try CLI.run([
                "render", file.path, "-o", folder.appendingPathComponent("slow.svg").path, "--engine", "dot",
                "--timeout", "1",
            ])
            #expect(Date().timeIntervalSince(started) < 5)
            #expect(result.status == 3)
            #expect(result.standardError.contains("did not finish the layout within 1 s"), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("slow.svg").path))
        }
    }
}
