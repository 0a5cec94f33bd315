import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The worker side of ``LayoutWorkerPool``: a loop that reads requests from fd 3, runs them with
/// Graphviz in this process, and writes the responses back.
///
/// The `entitygraph-worker` executable and `entitygraph` (started with ``argument``) call ``serve()``.
/// Whatever Graphviz does to this process — an assertion, a segfault, `exit` — the parent sees as a
/// lost worker. Standard output is `/dev/null` (Graphviz sometimes writes there by itself) and standard
/// error goes to the parent, which keeps its last lines for error messages.
package enum LayoutWorker {
    /// The argument that makes `entitygraph` serve as a layout worker.
    package static let argument = "--entitygraph-layout-worker"

    /// The descriptor the parent's socket arrives on.
    static let channel: Int32 = 3

    /// Serves requests until the parent closes the socket or goes away, then exits.
    package static func serve() -> Never {
        var info = stat()
        guard fstat(channel, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK else {
            let text =
                "This is EntityGraph's layout worker; renderers start it themselves. Run 'entitygraph' instead.\n"
            _ = text.withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
        watchParent()
        send(hello())
        while let payload = receive() {
            send(handle(payload))
        }
        exit(0)
    }

    /// Exits when the parent process goes away (its socket would tell only once a request arrives, and a
    /// long layout could otherwise outlive it).
    private static func watchParent() {
        let parent = getppid()
        let thread = Thread {
            while true {
                sleep(1)
                if getppid() != parent { _exit(0) }
            }
        }
        thread.stackSize = 1 << 16
        thread.start()
    }

    private static func hello() -> [UInt8] {
        var writer = WireWriter(kind: Wire.Response.hello.rawValue)
        writer.string(Graphviz.version)
        writer.int(Int(getpid()))
        return writer.bytes
    }

    /// The next request's payload, or `nil` at the end of input (or on a malformed frame).
    private static func receive() -> [UInt8]? {
        var header = [UInt8](repeating: 0, count: Wire.headerSize)
        guard readFully(&header), let length = Wire.payloadLength(header: header) else { return nil }
        var payload = [UInt8](repeating: 0, count: length)
        guard readFully(&payload) else { return nil }
        return payload
    }

    private static func readFully(_ buffer: inout [UInt8]) -> Bool {
        var offset = 0
        let total = buffer.count
        while offset < total {
            let count = buffer.withUnsafeMutableBytes { read(channel, $0.baseAddress! + offset, total - offset) }
            if count > 0 {
                offset += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// Writes one frame; a parent that went away ends the worker (SIGPIPE or the exit here).
    private static func send(_ payload: [UInt8]) {
        for part in [Wire.header(count: payload.count), payload] {
            var offset = 0
            while offset < part.count {
                let count = part.withUnsafeBytes { write(channel, $0.baseAddress! + offset, part.count - offset) }
                if count > 0 {
                    offset += count
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    exit(0)
                }
            }
        }
    }

    private static func progress(_ stage: GraphvizError.Stage, format: String?) {
        var writer = WireWriter(kind: Wire.Response.progress.rawValue)
        writer.string(stage.rawValue)
        writer.optionalString(format)
        send(writer.bytes)
    }

    /// Runs one request; the response payload.
    private static func handle(_ payload: [UInt8]) -> [UInt8] {
        do throws(WireError) {
            var reader = try WireReader(payload)
            switch Wire.Request(rawValue: reader.kind) {
            case .render:
                let engine = try reader.string()
                let formats = try reader.strings()
                let plan = try reader.plan()
                return respond { () throws(GraphvizError) in
                    let rendered = try Graphviz.withLock { session throws(GraphvizError) in
                        try LayoutRun.render(plan, engine: engine, formats: formats, session: &session) {
                            progress($0, format: $1)
                        }
                    }
                    var writer = WireWriter(kind: Wire.Response.success.rawValue)
                    let keys = formats + (rendered[LayoutRun.warningsKey] == nil ? [] : [LayoutRun.warningsKey])
                    writer.int(keys.count)
                    for key in keys {
                        writer.string(key)
                        writer.data(rendered[key] ?? Data())
                    }
                    return writer.bytes
                }
            case .capabilities:
                return respond { () throws(GraphvizError) in
                    let found = try Graphviz.withLock { session in session.discover() }
                    var writer = WireWriter(kind: Wire.Response.success.rawValue)
                    writer.strings(found.engines)
                    writer.strings(found.formats)
                    writer.string(found.version)
                    return writer.bytes
                }
            case .dotSource:
                let engine = try reader.string()
                let plan = try reader.plan()
                return respond { () throws(GraphvizError) in
                    let text = try Graphviz.withLock { session throws(GraphvizError) in
                        try LayoutRun.dotSource(plan, engine: engine, session: &session)
                    }
                    var writer = WireWriter(kind: Wire.Response.success.rawValue)
                    writer.data(text)
                    return writer.bytes
                }
            case .fault:
                misbehave(try reader.string())
                return respond { () throws(GraphvizError) in WireWriter(kind: Wire.Response.success.rawValue).bytes }
            case nil:
                throw WireError(message: "an unknown request kind \(reader.kind)")
            }
        } catch {
            return respond { () throws(GraphvizError) in
                throw GraphvizError(
                    code: .workerFailed, stage: .build,
                    message: "the layout worker could not read the request: \(error.message)")
            }
        }
    }

    private static func respond(_ body: () throws(GraphvizError) -> [UInt8]) -> [UInt8] {
        do {
            return try body()
        } catch {
            var writer = WireWriter(kind: Wire.Response.failure.rawValue)
            writer.error(error)
            return writer.bytes
        }
    }

    /// The test-only faults of ``Wire/Request/fault``.
    private static func misbehave(_ fault: String) {
        switch fault {
        case "abort":
            _ = "worker: aborting on request\n".withCString { write(2, $0, strlen($0)) }
            abort()
        case "exit": exit(7)
        case "segfault": raise(SIGSEGV)
        case "hang": while true { sleep(60) }
        case "garbage":
            let junk: [UInt8] = Array("this is not a frame at all".utf8)
            _ = junk.withUnsafeBytes { write(channel, $0.baseAddress!, $0.count) }
            while true { sleep(60) }
        default: break
        }
    }
}
