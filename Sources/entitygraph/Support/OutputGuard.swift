import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// No command writes to a file it read: before anything is written, each output path is compared
/// with the input files by identity (device and inode, so `./g.json`, `g.json`, a hard link and a
/// symbolic link to it are all the same file).
enum OutputGuard {
    /// Fails (exit status 1) when `output` is one of `inputs`. A path that does not exist yet
    /// cannot be an input; `-` (standard output) never is.
    static func check(_ output: String, against inputs: [String], suggestion: String? = nil) throws(CommandFailure) {
        guard output != "-", let written = identity(of: output) else { return }
        for input in inputs where identity(of: input) == written {
            let same = input == output ? "" : " (the same file as \(input))"
            throw CommandFailure(
                .invalidInput, "refusing to write \(output)\(same): it is an input of this command",
                details: [suggestion ?? "give another output path with -o"])
        }
    }

    /// The files a FILE argument reads: the file itself, or both sheets of a CSV folder.
    static func inputFiles(of path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [path] }
        guard isDirectory.boolValue || InputFormat(path: path, isDirectory: false) == .csvFolder,
            let (nodes, edges) = try? GraphInput.csvFiles(path)
        else { return [path] }
        return [nodes.relativePath, edges.relativePath]
    }

    private struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    private static func identity(of path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
