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
    /// Writes `bytes` to `path`; on failure returns why, in words that name the cause but not the
    /// file ("the folder out does not exist", "the disk is full"), and leaves an existing file as it was.
    ///
    /// A symbolic link is followed: the file it names is replaced, the link stays. A file that
    /// exists keeps its permission bits (and, when the process may, its owner); a read-only file
    /// is refused rather than replaced.
    package static func write(_ bytes: UnsafeRawBufferPointer, to path: String) -> String? {
        let target = followingSymbolicLinks(path)
        let directory = folder(of: target)
        var existing = stat()
        let exists = stat(target, &existing) == 0
        if exists, (existing.st_mode & S_IFMT) == S_IFDIR { return "it is a folder" }
        if exists, access(target, W_OK) != 0, errno == EACCES { return "the file is read-only" }
        sweepStaleTemporaries(beside: target)
        let temporary = temporaryPath(beside: target)
        let mode: mode_t = exists ? existing.st_mode & 0o7777 : 0o666
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return reason(errno, creatingIn: directory) }
        if exists {
            // open() applied the umask; the replacement gets the old file's bits back.
            _ = fchmod(descriptor, mode)
            if existing.st_uid != geteuid() || existing.st_gid != getegid() {
                _ = fchown(descriptor, existing.st_uid, existing.st_gid)
            }
        }
        var failure: String?
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = reason(errno)
                break
            }
            offset += written
        }
        if failure == nil, fsync(descriptor) != 0 { failure = reason(errno) }
        if close(descriptor) != 0, failure == nil { failure = reason(errno) }
        if failure == nil, rename(temporary, target) != 0 { failure = reason(errno, creatingIn: directory) }
        if failure != nil { unlink(temporary) }
        return failure
    }

    /// Creates the folder `path` and any missing parents (like `mkdir -p`); on failure returns why,
    /// in words. An existing folder is fine; an existing file of that name is not.
    package static func createFolder(_ path: String) -> String? {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            var info = stat()
            if stat(prefix, &info) == 0 {
                if (info.st_mode & S_IFMT) != S_IFDIR { return "\(prefix) is a file, not a folder" }
                continue
            }
            if mkdir(prefix, 0o777) != 0, errno != EEXIST { return reason(errno, creatingIn: folder(of: prefix)) }
        }
        return nil
    }

    /// Why a file could not be created in `folder`, in words.
    private static func reason(_ code: Int32, creatingIn folder: String) -> String {
        switch code {
        case ENOENT: return "the folder \(folder) does not exist"
        case ENOTDIR: return "\(folder) is not a folder"
        case EACCES, EPERM: return "no permission to create files in \(folder)"
        case EROFS: return "\(folder) is on a read-only file system"
        case ENOSPC: return "the disk holding \(folder) is full"
        case EDQUOT: return "the disk quota for \(folder) is used up"
        default: return "cannot create a file in \(folder) (\(systemMessage(code)))"
        }
    }

    /// Why writing the temporary file failed, in words.
    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC: return "the disk is full"
        case EDQUOT: return "the disk quota is used up"
        case EIO: return "the disk reported an input/output error"
        default: return "\(systemMessage(code))"
        }
    }

    /// The folder part of `path` as written (`.` for a bare name, `/` for the root).
    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// `path`, or the file a symbolic link at `path` names (links to links followed, at most 40).
    private static func followingSymbolicLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { return current }
            let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : folder(of: current) + "/" + link
        }
        return current
    }

    /// A fresh temporary path in the folder of `path`.
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

    private static func systemMessage(_ code: Int32) -> String { String(cString: strerror(code)) }
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
