import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a worker ended a request: the parent's view of one exchange.
enum WorkerOutcome {
    /// A success or failure payload (kind byte first).
    case response([UInt8])
    /// The worker died, was killed for its deadline or cancellation, or broke the protocol.
    case lost(GraphvizError)
}

/// One layout worker process: a child spawned with `posix_spawn` (never `fork` without `exec`), a
/// Unix stream socket to it (the worker's fd 3) and a pipe from its standard error.
///
/// Used by one thread at a time (the pool hands a worker to one caller), so it needs no lock of its own.
/// The process is killed and reaped in ``terminate()`` or `deinit`, so no worker outlives its handle
/// and none is left a zombie.
final class WorkerProcess {
    let pid: pid_t
    /// The socket to the worker and its standard-error pipe; -1 once closed (closed exactly once, since a
    /// descriptor number closed twice may by then belong to another part of the program).
    private var socket: Int32
    private var errors: Int32
    /// The last bytes the worker wrote to standard error (assertion messages, fontconfig).
    private var errorTail: [UInt8] = []
    private var reaped = false
    /// The Graphviz version the worker reported in its hello.
    private(set) var graphvizVersion = ""
    /// Where the current request is (from the worker's progress frames), and in which format; set by
    /// ``begin(format:)`` for each request.
    private(set) var stage = GraphvizError.Stage.build
    private(set) var format: String?

    /// Starts following a new request, rendering `format` first.
    func begin(format: String?) {
        stage = .build
        self.format = format
    }

    /// Bytes of standard error kept for error messages.
    static let errorTailLimit = 8192

    private init(pid: pid_t, socket: Int32, errors: Int32) {
        self.pid = pid
        self.socket = socket
        self.errors = errors
    }

    deinit { terminate() }

    /// Starts `executable` with `arguments` and waits up to `startupTimeout` for its hello.
    static func spawn(
        executable: String, arguments: [String], startupTimeout: Double
    ) throws(GraphvizError) -> WorkerProcess {
        func unavailable(_ why: String) -> GraphvizError {
            GraphvizError(
                code: .workerUnavailable, stage: .build,
                message: "cannot start the layout worker \(executable): \(why)")
        }
        var pair: [Int32] = [-1, -1]
        guard makeSocketPair(&pair) else { throw unavailable("socketpair: \(errnoText())") }
        var errorPipe: [Int32] = [-1, -1]
        guard makePipe(&errorPipe) else {
            close(pair[0])
            close(pair[1])
            throw unavailable("pipe: \(errnoText())")
        }
        let parentSocket = pair[0]
        let childSocket = pair[1]
        let errorRead = errorPipe[0]
        let errorWrite = errorPipe[1]
        var pid: pid_t = 0
        let status = spawnProcess(
            &pid, executable: executable, arguments: arguments, socket: childSocket, standardError: errorWrite)
        // The child has its own copies now; keeping ours would hide its end of input from us.
        close(childSocket)
        close(errorWrite)
        guard status == 0 else {
            close(parentSocket)
            close(errorRead)
            throw unavailable(String(cString: strerror(status)))
        }
        setNonBlocking(parentSocket)
        setNonBlocking(errorRead)
        let worker = WorkerProcess(pid: pid, socket: parentSocket, errors: errorRead)
        let deadline = Deadline(seconds: startupTimeout)
        switch worker.receive(deadline: deadline, cancellable: true) {
        case .response(let payload):
            guard payload.first == Wire.Response.hello.rawValue,
                var reader = try? WireReader(payload), let version = try? reader.string()
            else {
                throw unavailable("it answered with something other than a hello: is it a layout worker?")
            }
            worker.graphvizVersion = version
            return worker
        case .lost(var error):
            if error.code != .cancelled {
                error.code = .workerUnavailable
                error.message = "cannot start the layout worker \(executable): " + error.message
            }
            throw error
        }
    }

    /// True while the process runs (checked without blocking); an idle worker that died since its last
    /// render is then replaced rather than handed out.
    var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            reaped = true
            return false
        }
        return true
    }

    /// False once the process has been given up (killed or found dead): the pool then replaces it.
    var isUsable: Bool { !reaped }

    /// Sends one request payload; the error when the worker is gone (its socket refused the bytes) or the
    /// deadline passed while it would not read.
    func send(_ payload: [UInt8], deadline: Deadline) -> GraphvizError? {
        let frame = Wire.header(count: payload.count)
        for part in [frame, payload] {
            var offset = 0
            while offset < part.count {
                let sent = part.withUnsafeBytes { buffer in
                    sendBytes(socket, buffer.baseAddress! + offset, part.count - offset)
                }
                if sent > 0 {
                    offset += sent
                    continue
                }
                if sent < 0 && errno == EINTR { continue }
                if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    var descriptor = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
                    let wait = deadline.pollTimeout(cap: 100)
                    if wait == 0 { return lose(.timedOut(deadline.seconds)) }
                    _ = poll(&descriptor, 1, wait)
                    continue
                }
                return lose(nil)
            }
        }
        return nil
    }

    /// Why a worker was given up.
    enum Abandon {
        case timedOut(Double)
        case cancelled
        case protocolViolation(String)
    }

    /// Waits for the next success, failure or hello payload. Progress frames move ``stage`` and
    /// ``format`` on, so a lost worker's error says where it was. Kills the worker at the deadline, on
    /// task cancellation (checked every 100 ms when `cancellable`) and on a malformed frame.
    func receive(deadline: Deadline, cancellable: Bool) -> WorkerOutcome {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            // Whole frames first: a response may already be buffered.
            while buffer.count >= Wire.headerSize {
                guard let length = Wire.payloadLength(header: buffer) else {
                    return .lost(lose(.protocolViolation("a frame without the protocol's magic")))
                }
                guard buffer.count >= Wire.headerSize + length else { break }
                let payload = Array(buffer[Wire.headerSize..<Wire.headerSize + length])
                buffer.removeFirst(Wire.headerSize + length)
                guard let kind = payload.first else {
                    return .lost(lose(.protocolViolation("an empty frame")))
                }
                if kind == Wire.Response.progress.rawValue {
                    do throws(WireError) {
                        var reader = try WireReader(payload)
                        guard let stage = GraphvizError.Stage(rawValue: try reader.string()) else {
                            throw WireError(message: "an unknown stage")
                        }
                        self.stage = stage
                        if let format = try reader.optionalString() { self.format = format }
                    } catch {
                        return .lost(lose(.protocolViolation("a malformed progress frame: \(error.message)")))
                    }
                    continue
                }
                guard buffer.isEmpty else {
                    return .lost(lose(.protocolViolation("bytes after the response")))
                }
                return .response(payload)
            }
            if cancellable, Task.isCancelledInSyncContext { return .lost(lose(.cancelled)) }
            let wait = deadline.pollTimeout(cap: cancellable ? 100 : 1000)
            if wait == 0, deadline.expired { return .lost(lose(.timedOut(deadline.seconds))) }
            var descriptors = [
                pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                pollfd(fd: errors, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, wait)
            if ready < 0 && errno != EINTR { return .lost(lose(nil)) }
            if descriptors[1].revents != 0 { drainErrors() }
            if descriptors[0].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(socket, $0.baseAddress!, $0.count) }
                if count > 0 {
                    buffer.append(contentsOf: chunk[0..<count])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
                    return .lost(lose(nil))
                }
            }
        }
    }

    /// Kills the worker (if it still runs), reaps it and describes how it ended: `abandon` says why the
    /// parent gave it up, `nil` means it went away by itself.
    private func lose(_ abandon: Abandon?) -> GraphvizError {
        let ended = finish(grace: abandon == nil)
        drainErrors()
        let messages = standardErrorLines()
        let message: String
        let code: GraphvizError.Code
        switch abandon {
        case .timedOut(let seconds):
            code = .timedOut
            let step = stage == .build ? "layout" : "\(stage)"
            message = "Graphviz did not finish the \(step) within \(Deadline.describe(seconds)); the worker was stopped"
        case .cancelled:
            code = .cancelled
            message = "the render was cancelled; the worker was stopped"
        case .protocolViolation(let what):
            code = .workerFailed
            message = "the layout worker broke the protocol (\(what)); it was stopped"
        case nil:
            switch ended {
            case .signaled(let signal):
                code = .workerCrashed
                message = "Graphviz crashed the layout worker with signal \(signal) (\(signalName(signal)))"
            case .exited(let status):
                code = .workerFailed
                message = "Graphviz ended the layout worker with exit status \(status)"
            case .unknown:
                code = .workerFailed
                message = "the layout worker went away"
            }
        }
        return GraphvizError(code: code, stage: stage, format: format, graphvizMessages: messages, message: message)
    }

    /// How the process ended.
    enum Ending {
        case exited(Int32)
        case signaled(Int32)
        case unknown
    }

    /// Reaps the process, killing it first unless it has ended: with `grace` (it closed its socket, so it
    /// is normally dying already) it gets up to 100 ms to end by itself, so that its own exit status or
    /// signal is what the caller hears about.
    @discardableResult
    private func finish(grace: Bool) -> Ending {
        guard !reaped else { return .unknown }
        reaped = true
        var status: Int32 = 0
        for _ in 0..<(grace ? 50 : 0) {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return ending(status) }
            if result < 0 { return .unknown }
            usleep(2000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .unknown }
        }
        return ending(status)
    }

    /// Ends the worker now (SIGKILL, then reap) and closes its descriptors. Idempotent.
    func terminate() {
        finish(grace: false)
        if socket >= 0 { close(socket) }
        if errors >= 0 { close(errors) }
        socket = -1
        errors = -1
    }

    private func ending(_ status: Int32) -> Ending {
        // WIFEXITED / WIFSIGNALED, written out: the macros are not imported into Swift.
        let low = status & 0x7F
        if low == 0 { return .exited((status >> 8) & 0xFF) }
        if low != 0x7F { return .signaled(low) }
        return .unknown
    }

    /// Reads what is waiting on the standard-error pipe, keeping the last ``errorTailLimit`` bytes.
    private func drainErrors() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(errors, $0.baseAddress!, $0.count) }
            guard count > 0 else { return }
            errorTail.append(contentsOf: chunk[0..<count])
            if errorTail.count > WorkerProcess.errorTailLimit {
                errorTail.removeFirst(errorTail.count - WorkerProcess.errorTailLimit)
            }
        }
    }

    /// Forgets what the worker wrote to standard error so far (after a successful request).
    func clearErrors() {
        drainErrors()
        errorTail.removeAll(keepingCapacity: true)
    }

    /// The kept standard-error text as trimmed, non-empty lines (the last 20).
    private func standardErrorLines() -> [String] {
        let lines = String(decoding: errorTail, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return Array(lines.suffix(20))
    }
}

/// A point in time a wait must not pass; `nil` seconds means none.
struct Deadline {
    let seconds: Double
    private let end: UInt64?

    init(seconds: Double?) {
        self.seconds = seconds ?? 0
        if let seconds, seconds > 0, seconds.isFinite {
            end = DispatchTime.now().uptimeNanoseconds &+ UInt64(min(seconds, 1e9) * 1e9)
        } else {
            end = nil
        }
    }

    var expired: Bool { end.map { DispatchTime.now().uptimeNanoseconds >= $0 } ?? false }

    /// Milliseconds to wait in `poll`: at most `cap`, never past the deadline.
    func pollTimeout(cap: Int32) -> Int32 {
        guard let end else { return cap }
        let now = DispatchTime.now().uptimeNanoseconds
        if now >= end { return 0 }
        return Int32(min(UInt64(cap), (end - now + 999_999) / 1_000_000))
    }

    /// `2 s`, `0.5 s`.
    static func describe(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}

extension Task where Success == Never, Failure == Never {
    /// Whether the task running this synchronous code (if any) has been cancelled.
    static var isCancelledInSyncContext: Bool {
        withUnsafeCurrentTask { $0?.isCancelled ?? false }
    }
}

// MARK: - System calls

private func errnoText() -> String { String(cString: strerror(errno)) }

/// The signal's name, e.g. `SIGABRT`.
func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGABRT: return "SIGABRT"
    case SIGSEGV: return "SIGSEGV"
    case SIGBUS: return "SIGBUS"
    case SIGFPE: return "SIGFPE"
    case SIGILL: return "SIGILL"
    case SIGKILL: return "SIGKILL"
    case SIGTERM: return "SIGTERM"
    case SIGPIPE: return "SIGPIPE"
    case SIGTRAP: return "SIGTRAP"
    default: return "signal \(signal)"
    }
}

/// Moves `descriptor` to a number of 10 or more, close-on-exec, closing the original: a worker's
/// descriptors are then never 0–3, which the child's `dup2` targets need free.
private func raised(_ descriptor: Int32) -> Int32 {
    let moved = fcntl(descriptor, F_DUPFD_CLOEXEC, 10)
    close(descriptor)
    return moved
}

private func makeSocketPair(_ pair: inout [Int32]) -> Bool {
    #if os(Linux)
    let type = Int32(SOCK_STREAM.rawValue)
    #else
    let type = SOCK_STREAM
    #endif
    guard socketpair(AF_UNIX, type, 0, &pair) == 0 else { return false }
    pair[0] = raised(pair[0])
    pair[1] = raised(pair[1])
    #if canImport(Darwin)
    var on: Int32 = 1
    setsockopt(pair[0], SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
    #endif
    return pair[0] >= 0 && pair[1] >= 0
}

private func makePipe(_ pair: inout [Int32]) -> Bool {
    guard pipe(&pair) == 0 else { return false }
    pair[0] = raised(pair[0])
    pair[1] = raised(pair[1])
    return pair[0] >= 0 && pair[1] >= 0
}

private func setNonBlocking(_ descriptor: Int32) {
    let flags = fcntl(descriptor, F_GETFL)
    _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
}

/// `send` without SIGPIPE: a dead worker is an error code, never a signal that ends the host.
private func sendBytes(_ socket: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if os(Linux)
    return send(socket, bytes, count, Int32(MSG_NOSIGNAL))
    #else
    return send(socket, bytes, count, 0)
    #endif
}

/// `posix_spawn`s the worker with `socket` as its fd 3, `standardError` as fd 2, `/dev/null` as fds 0
/// and 1 (Graphviz's stray writes to stdout go nowhere), default signal handling and an empty signal
/// mask, and the parent's environment plus `SWIFT_BACKTRACE=enable=no` (a crash then reports
/// Graphviz's own message, not a backtrace). Returns 0 or an errno value.
private func spawnProcess(
    _ pid: inout pid_t, executable: String, arguments: [String], socket: Int32, standardError: Int32
) -> Int32 {
    #if os(Linux)
    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    #else
    var actions: posix_spawn_file_actions_t? = nil
    var attributes: posix_spawnattr_t? = nil
    #endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, standardError, 2)
    posix_spawn_file_actions_adddup2(&actions, socket, 3)

    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] {
        sigaddset(&defaults, signal)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var environment = ProcessInfo.processInfo.environment
    environment["SWIFT_BACKTRACE"] = "enable=no"
    let argv = ([executable] + arguments).map { strdup($0) }
    let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
    defer {
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
    }
    return (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
        (envp + [nil]).withUnsafeBufferPointer { envpBuffer in
            posix_spawn(&pid, executable, &actions, &attributes, argvBuffer.baseAddress!, envpBuffer.baseAddress!)
        }
    }
}
