#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file atomically: the bytes go to a new temporary file in the same folder, are flushed
/// to disk, and the temporary file is renamed over the target. A failure at any step removes the
/// temporary file and leaves an existing target untouched. Shared by every writer in the package.
///
/// Temporary files are named `.NAME.tmp-PID-N`. A process killed during a write (SIGKILL, a power cut)
/// cannot remove its own, so each write first removes those in its folder whose process no longer
/// runs.
package enum AtomicWrite {
    /// Writes `bytes` to `path`; on failure returns why, in words ("cannot create a file in …").
    package static func write(_ bytes: UnsafeRawBufferPointer, to path: String) -> String? {
        sweepStaleTemporaries(beside: path)
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

    /// Removes the temporary files in the folder of `path` that a process which no longer runs left
    /// behind (names `.NAME.tmp-PID-N` whose PID is not a live process). O(files in the folder).
    package static func sweepStaleTemporaries(beside path: String) {
        guard let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else { return }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let folder = directory.isEmpty ? "/" : directory
        guard let stream = opendir(folder) else { return }
        defer { closedir(stream) }
        let ownProcess = getpid()
        while let entry = readdir(stream) {
            // The name is read in place: readdir's record is only as long as its name (d_reclen),
            // so copying the whole `dirent` (its 256-byte d_name) would read past the end.
            let name = String(
                cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            guard let owner = temporaryOwner(name), owner != ownProcess else { continue }
            // kill(pid, 0) fails with ESRCH only when no such process exists (EPERM: it runs, as another user).
            guard kill(owner, 0) != 0, errno == ESRCH else { continue }
            let full = (folder == "/" ? "" : folder) + "/" + name
            var info = stat()
            guard lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            unlink(full)
        }
    }

    /// The process id in a temporary file's name `.NAME.tmp-PID-N`, or `nil` for any other name.
    package static func temporaryOwner(_ name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards),
            marker.lowerBound > name.index(after: name.startIndex)
        else { return nil }
        let parts = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let pid = pid_t(parts[0]), pid > 0, UInt32(parts[1]) != nil
        else { return nil }
        return pid
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
