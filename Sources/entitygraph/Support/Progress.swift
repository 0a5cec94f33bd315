import Dispatch
import Foundation

/// A one-line progress display on standard error for long-running stages, such as
/// `laying out 10,000 entities with sfdp… 3.1 s`.
///
/// It appears only when standard error is a terminal, `--quiet` was not given, and the stage has
/// run for longer than ``delay`` — so fast commands, pipes, files and tests see nothing. The line is
/// redrawn in place every tenth of a second and erased when the stage ends.
final class Progress: @unchecked Sendable {
    // `lock` guards `stage`, `started` and `shown`; the timer runs on its own queue.
    private let lock = NSLock()
    private var stage: String?
    private var started = DispatchTime.now()
    private var shown = false
    private let enabled: Bool
    private var timer: DispatchSourceTimer?

    /// How long a stage must run before its line appears.
    static let delay = 0.5

    init(quiet: Bool) {
        enabled = !quiet && Console.standardErrorIsTerminal
    }

    deinit { timer?.cancel() }

    /// Runs `body` as the stage described by `text`, showing progress while it runs when enabled.
    func run<T, E: Error>(_ text: String, _ body: () throws(E) -> T) throws(E) -> T {
        begin(text)
        defer { end() }
        return try body()
    }

    private func begin(_ text: String) {
        guard enabled else { return }
        lock.lock()
        stage = text
        started = .now()
        lock.unlock()
        if timer == nil {
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "entitygraph.progress"))
            source.schedule(deadline: .now() + Progress.delay, repeating: 0.1)
            source.setEventHandler { [weak self] in self?.tick() }
            source.resume()
            timer = source
        }
    }

    private func end() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        stage = nil
        if shown {
            Console.writeControl("\r\u{1B}[2K")
            shown = false
        }
    }

    private func tick() {
        lock.lock()
        defer { lock.unlock() }
        guard let stage else { return }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        guard elapsed >= Progress.delay else { return }
        Console.writeControl("\r\u{1B}[2K\(TerminalText.visible(stage))… \(String(format: "%.1f", elapsed)) s")
        shown = true
    }
}
