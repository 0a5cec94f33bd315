internal import CGraphviz
import Foundation

/// The one gate to Graphviz: every cgraph and gvc call in this module runs inside
/// ``Graphviz/withLock(_:)``.
///
/// Graphviz is not thread-safe at all — building graphs, laying out, rendering and its error state
/// are process-global — so one process-wide lock serializes every call. The lock also owns the
/// process's single `GVC_t` context (created on first use, before any graph is opened, and never
/// freed) and the buffer that Graphviz's error callback writes into.
enum Graphviz {
    /// The process-wide lock. The statics below are only touched while it is held. A pthread mutex
    /// (NSLock) rather than Synchronization's futex-based `Mutex`, so ThreadSanitizer sees the
    /// ordering it provides (`swift test --sanitize=thread` runs clean).
    private static let lock = NSLock()
    /// The process's `GVC_t *`, created on first use. Guarded by ``lock``.
    nonisolated(unsafe) private static var context: OpaquePointer?
    /// Cached discovery results. Guarded by ``lock``.
    nonisolated(unsafe) private static var capabilities: Capabilities?

    /// Runs `body` holding the process-wide Graphviz lock, with a session bound to the shared context.
    /// Graphviz's error state and the message buffer are reset before `body` runs.
    static func withLock<T>(_ body: (inout Session) throws(GraphvizError) -> T) throws(GraphvizError) -> T {
        lock.lock()
        defer { lock.unlock() }
        if context == nil {
            // The error callback is installed before anything else can report an error.
            _ = agseterrf(captureGraphvizMessage)
            _ = agseterr(AGWARN)
            context = gvContext()
        }
        guard let context else {
            throw GraphvizError(code: .buildFailed, stage: .build, message: "Graphviz could not create a context")
        }
        var session = Session(context: context, capabilities: capabilities)
        session.resetErrors()
        defer { capabilities = session.capabilities }
        return try body(&session)
    }

    /// The Graphviz version this process is linked against, e.g. "2.43.0".
    static var version: String { String(cString: eg_graphviz_version()) }
}

/// Access to Graphviz while the lock is held. Valid only inside ``Graphviz/withLock(_:)``.
struct Session: ~Copyable {
    /// The shared `GVC_t *`.
    let context: OpaquePointer
    fileprivate(set) var capabilities: Capabilities?

    /// Clears Graphviz's error level (`agreseterrors`) and our captured messages, so one bad graph
    /// never poisons the next call.
    func resetErrors() {
        _ = agreseterrors()
        capturedMessages = ""
    }

    /// The messages Graphviz reported since the last reset, one per line, and clears them.
    func takeMessages() -> [String] {
        let lines = capturedMessages.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        capturedMessages = ""
        return lines
    }

    /// True when Graphviz reported an error (not only warnings) since the last reset (`agerrors`).
    var hadError: Bool { agerrors() > 0 }

    /// Graphviz devices that draw in a window rather than produce bytes; never offered or used (without a
    /// display, `x11` and `xlib` segfault and `gtk` calls `exit`).
    static let displayDevices: Set<String> = ["gtk", "x11", "xlib"]
    /// Graphviz devices that write files of their own beside the output: `vrml` writes a `nodeN.png`
    /// per node into the current folder. Never offered or used: Graphviz must not write to disk.
    static let sideFileDevices: Set<String> = ["vrml"]

    /// The layout engines and output formats this Graphviz has (`gvPluginList`, less the
    /// ``displayDevices`` and ``sideFileDevices``), cached per process.
    mutating func discover() -> Capabilities {
        if let capabilities { return capabilities }
        func plugins(_ kind: String) -> [String] {
            var count: Int32 = 0
            guard let list = eg_plugin_list(context, kind, &count) else { return [] }
            defer { eg_free_plugin_list(list, count) }
            var names: [String] = []
            for index in 0..<Int(count) {
                guard let item = list[index] else { continue }
                // Entries may read "name:plugin"; keep the name.
                let name = String(cString: item).split(separator: ":").first.map(String.init) ?? ""
                if !name.isEmpty, !names.contains(name) { names.append(name) }
            }
            return names
        }
        let engines = plugins("layout").filter { !$0.hasPrefix("nop") }
        let formats = plugins("device").filter {
            !Session.displayDevices.contains($0) && !Session.sideFileDevices.contains($0)
        }
        resetErrors()
        let found = Capabilities(engines: engines.sorted(), formats: formats.sorted(), version: Graphviz.version)
        capabilities = found
        return found
    }
}

/// The one owner of a cgraph root graph: made only by the locked ``Session`` — opened with
/// ``Session/openGraph(_:directed:strict:)``, or taken over from Graphviz's parser with
/// ``Session/adopt(_:)`` — and closed with `eg_close` (agclose, plus the id discipline's cleanup when
/// agclose gives up half-way) in its `deinit`, so every path closes it exactly once. Non-copyable: no
/// second owner can close it again, and it cannot leave the session that opened it by accident.
struct CGraph: ~Copyable {
    /// The root graph, valid for this value's lifetime.
    let root: UnsafeMutablePointer<Agraph_t>

    fileprivate init(root: UnsafeMutablePointer<Agraph_t>) { self.root = root }

    deinit { _ = eg_close(root) }
}

extension Session {
    /// A new, empty root graph (`agopen` with the package's id discipline on Graphviz 2.x), or a
    /// ``GraphvizError/Code/buildFailed`` error (naming `engine` and `format`) when cgraph refuses.
    func openGraph(
        _ name: String?, directed: Bool = true, strict: Bool = false, engine: String? = nil, format: String? = nil
    ) throws(GraphvizError) -> CGraph {
        let descriptor =
            directed
            ? (strict ? eg_strict_directed() : eg_directed()) : (strict ? eg_strict_undirected() : eg_undirected())
        guard let root = eg_open(name, descriptor) else {
            throw GraphvizError(
                code: .buildFailed, stage: .build, engine: engine, format: format, graphvizMessages: takeMessages(),
                message: "agopen returned NULL")
        }
        return CGraph(root: root)
    }

    /// Takes over a graph Graphviz made (the parser's `agread`), to be closed like one we opened.
    func adopt(_ root: UnsafeMutablePointer<Agraph_t>) -> CGraph { CGraph(root: root) }
}

/// The layout engines and output formats the installed Graphviz provides.
public struct Capabilities: Hashable, Sendable {
    /// Layout engine names, e.g. `["circo", "dot", "fdp", "neato", "osage", "patchwork", "sfdp", "twopi"]`.
    public var engines: [String]
    /// Output format names, e.g. `["dot", "json", "pdf", "plain", "png", "svg", "xdot", …]`.
    public var formats: [String]
    /// The Graphviz version, e.g. "2.43.0".
    public var version: String
}

/// Text Graphviz reported through the error callback since the last reset.
/// Guarded by ``Graphviz``'s lock: the callback only runs during Graphviz calls, which all hold it.
nonisolated(unsafe) private var capturedMessages = ""

/// Graphviz's user error callback (`agseterrf`): receives message fragments ("Error", ": ", text).
private let captureGraphvizMessage: @convention(c) (UnsafeMutablePointer<CChar>?) -> Int32 = { fragment in
    guard let fragment else { return 0 }
    capturedMessages += String(cString: fragment)
    return 0
}
