#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file atomically: the bytes go to a new temporary file in the same folder, are flushed
/// to disk, and the temporary file is renamed over the target. A failure at any step removes the
/// temporary file and leaves an existing target untouched. Shared by every writer in the package.
package enum AtomicWrite {
    /// Writes `bytes` to `path`; on failure returns why, in words ("cannot create a file in …").
    package static func write(_ bytes: UnsafeRawBufferPointer, to path: String) -> String? {
        let temporary = temporaryPath(beside: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
            return "cannot create a file in \(directory.isEmpty ? "/" : directory): \(lastError())"
        }
        var failure: String?
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = "cannot write: \(lastError())"
                break
            }
            offset += written
        }
        if failure == nil, fsync(descriptor) != 0 { failure = "cannot flush: \(lastError())" }
        if close(descriptor) != 0, failure == nil { failure = "cannot close: \(lastError())" }
        if failure == nil, rename(temporary, path) != 0 { failure = "cannot replace the file: \(lastError())" }
        if failure != nil { unlink(temporary) }
        return failure
    }

    /// A fresh temporary path in the folder of `path`, for a writer that cannot use ``write(_:to:)``.
    package static func temporaryPath(beside path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return (directory.isEmpty ? "" : directory + "/") + "." + name
            + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Flushes the finished file at `temporary` to disk and renames it over `path`; on failure removes
    /// it and returns why.
    package static func commit(_ temporary: String, to path: String) -> String? {
        let descriptor = open(temporary, O_RDONLY)
        guard descriptor >= 0 else { return "cannot reopen the new file: \(lastError())" }
        var failure: String?
        if fsync(descriptor) != 0 { failure = "cannot flush: \(lastError())" }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = "cannot replace the file: \(lastError())" }
        if failure != nil { unlink(temporary) }
        return failure
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
