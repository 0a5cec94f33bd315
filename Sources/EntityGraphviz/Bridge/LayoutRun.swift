internal import CGraphviz
import EntityGraph
import Foundation

/// Lays out a ``RenderPlan`` with Graphviz and renders it, entirely in process.
///
/// Runs inside ``Graphviz/withLock(_:)``: builds the plan's ``DOTGraph`` as a ``CGraph``
/// (``Session/build(_:releasing:checked:engine:format:)``, never DOT text), calls `gvLayout`, then
/// `gvRenderData` once per format, and frees the render buffers (`gvFreeRenderData`), the layout
/// (`gvFreeLayout`) and the graph (the ``CGraph``'s deinit) on every path.
enum LayoutRun {
    /// Renders `plan` with `engine` into each of `formats`, from one layout, in memory (Graphviz never
    /// writes files: its own write failures call `exit`). Formats that annotate the graph (`xdot`,
    /// `json`, …) are rendered after the others so they cannot change them. `progress` hears each stage
    /// as it starts (the layout, then each format's render), for a worker to tell its parent.
    ///
    /// The plan is consumed: it is released as soon as the cgraph graph is built, before the layout,
    /// so a large map's plan and its layout are never in memory at the same time. The outputs wrap
    /// Graphviz's own buffers (freed with `gvFreeRenderData` when the `Data` goes), without a copy.
    static func render(
        _ plan: consuming RenderPlan, engine: String, formats: [String], session: inout Session,
        progress: (GraphvizError.Stage, String?) -> Void = { _, _ in }
    ) throws(GraphvizError) -> [String: Data] {
        let capabilities = session.discover()
        // Only formats this Graphviz lists reach it (a display device such as x11 would crash).
        if let format = formats.first(where: { !capabilities.formats.contains($0) }) {
            throw GraphvizError(
                code: .unknownFormat, stage: .render, engine: engine, format: format,
                message: Session.displayDevices.contains(format)
                    ? "'\(format)' draws in a window, not to a file; choose a file format such as svg, png or pdf"
                    : Session.sideFileDevices.contains(format)
                        ? "'\(format)' writes an image file per entity into the current folder; it is not offered"
                        : "no output format '\(format)' in this Graphviz"
                            + (Suggest.closest(to: format, in: capabilities.formats).map { " — did you mean '\($0)'?" }
                                ?? ""))
        }
        var working = consume plan
        if eg_graphviz_is_legacy() != 0, formats.contains("vdx") {
            // Graphviz 2.x's Visio (vdx) renderer passes a missing link to strdup and segfaults on any
            // object with a tooltip or link; vdx has no use for either, so it gets a layout of its own
            // without them (the other formats keep theirs).
            if formats != ["vdx"] {
                var results = try render(
                    working, engine: engine, formats: formats.filter { $0 != "vdx" }, session: &session,
                    progress: progress)
                results.merge(
                    try render(working, engine: engine, formats: ["vdx"], session: &session, progress: progress)
                ) { $1 }
                return results
            }
            working.removeAnchors()
        }
        if formats.isEmpty { return [:] }
        applyWorkarounds(&working, engine: engine)
        let seed = working.seed
        let overlay = working.overlay
        let svgStyle = working.svgStyle
        let fit = working.fit
        // Closed when `owner` goes, after the layout is freed (every use below is through it).
        let owner = try session.build(&working.dot, releasing: true, checked: true, engine: engine)
        working = RenderPlan()

        session.resetErrors()
        // Some engines (fdp's cluster layouts, for one) draw from the C library's global generators
        // without reseeding them; reseed so the picture does not depend on what ran before.
        srand48(seed)
        srand(UInt32(truncatingIfNeeded: seed))
        eg_reset_layout_state()
        progress(.layout, nil)
        if gvLayout(session.context, owner.root, engine) != 0 || session.hadError {
            let messages = session.takeMessages()
            if !capabilities.engines.contains(engine) {
                throw GraphvizError(
                    code: .unknownEngine, stage: .layout, engine: engine, graphvizMessages: messages,
                    message: "no layout engine '\(engine)' in this Graphviz"
                        + (Suggest.closest(to: engine, in: capabilities.engines).map { " — did you mean '\($0)'?" }
                            ?? "")
                        + " (available: \(capabilities.engines.joined(separator: ", ")))")
            }
            // gvLayout may have allocated layout data before failing.
            _ = gvFreeLayout(session.context, owner.root)
            throw GraphvizError(
                code: .layoutFailed, stage: .layout, engine: engine, graphvizMessages: messages,
                message: "the \(engine) layout failed")
        }
        var warning: String?
        if !overlay.isEmpty || fit != nil {
            progress(.layout, nil)
            warning = try session.placeOverlay(overlay, fit: fit, on: owner, engine: engine)
        }
        defer { _ = gvFreeLayout(session.context, owner.root) }

        let annotating: Set<String> = [
            "xdot", "xdot1.2", "xdot1.4", "json", "json0", "dot_json", "xdot_json", "dot", "gv",
        ]
        let ordered = formats.filter { !annotating.contains($0) } + formats.filter { annotating.contains($0) }
        var results: [String: Data] = [:]
        for format in ordered where results[format] == nil {
            session.resetErrors()
            progress(.render, format)
            var buffer: UnsafeMutablePointer<CChar>?
            var length = 0
            let status = eg_render_data(session.context, owner.root, format, &buffer, &length)
            var handedOver = false
            defer { if !handedOver, let buffer { gvFreeRenderData(buffer) } }
            if status != 0 || buffer == nil {
                // A failed render leaves a job with a dangling format in the context; drop it so the next
                // successful render does not also write to stdout.
                gvjobs_delete(session.context)
                // (Unknown formats never get here: they are refused before the layout.)
                throw GraphvizError(
                    code: .renderFailed, stage: .render, engine: engine, format: format,
                    graphvizMessages: session.takeMessages(), message: "rendering \(format) failed")
            }
            if format == "svg", !svgStyle.isEmpty, let current = buffer,
                let grown = LayoutRun.insertingStyle(svgStyle, into: current, length: length)
            {
                buffer = grown.pointer
                length = grown.length
            }
            if let buffer {
                handedOver = true
                results[format] = Data(
                    bytesNoCopy: buffer, count: length,
                    deallocator: .custom { pointer, _ in
                        gvFreeRenderData(pointer.assumingMemoryBound(to: CChar.self))
                    })
            }
        }
        _ = session.takeMessages()  // warnings from a successful render are not errors
        if let warning { results[LayoutRun.warningsKey] = Data(warning.utf8) }
        return results
    }

    /// The key of the results that holds the render's warnings (lines of UTF-8 text), beside the
    /// formats; no format has this name.
    static let warningsKey = "\u{0}warnings"

    /// Puts a `<style>` element holding `css` (from the theme's checked values, never user text) just
    /// before the closing `</svg>` of Graphviz's SVG buffer, in place: the buffer is grown with
    /// `realloc` (for a large map's SVG, glibc remaps the pages rather than copying them) and only the
    /// closing tag is moved, so a 20 MB SVG is never held twice. `nil` (the buffer untouched) when there
    /// is no `</svg>` or the memory cannot grow. O(size) for the search from the end, usually a few bytes.
    static func insertingStyle(
        _ css: String, into buffer: UnsafeMutablePointer<CChar>, length: Int
    ) -> (pointer: UnsafeMutablePointer<CChar>, length: Int)? {
        let closing = Array("</svg>".utf8)
        var position = length - closing.count
        while position >= 0 {
            var matches = true
            for offset in 0..<closing.count where UInt8(bitPattern: buffer[position + offset]) != closing[offset] {
                matches = false
                break
            }
            if matches { break }
            position -= 1
        }
        guard position >= 0 else { return nil }
        let element = Array("<style type=\"text/css\">\(css)</style>\n".utf8)
        guard let raw = realloc(buffer, length + element.count) else { return nil }
        let grown = raw.assumingMemoryBound(to: CChar.self)
        memmove(grown + position + element.count, grown + position, length - position)
        element.withUnsafeBytes { bytes in
            _ = memcpy(grown + position, bytes.baseAddress!, element.count)
        }
        return (grown, length + element.count)
    }

    /// The plan as DOT text written by cgraph's `agwrite`, without layout (so without positions).
    static func dotSource(_ plan: RenderPlan, engine: String, session: inout Session) throws(GraphvizError) -> Data {
        var plan = workingAround(plan, engine: engine)
        let owner = try session.build(&plan.dot, releasing: false, checked: true, engine: engine)
        guard let data = session.dotText(of: owner) else {
            throw GraphvizError(
                code: .renderFailed, stage: .render, engine: engine, format: "dot",
                graphvizMessages: session.takeMessages(), message: "agwrite failed")
        }
        return data
    }

    /// Graphviz 2.x's dot layout, with its default cluster ranking, corrupts memory on graphs that have
    /// clusters and labelled edges: `gvFreeLayout` then frees a block twice (inside `flat_edges`' rank
    /// reallocation) and the process aborts. The `dot` CLI never notices because it exits without
    /// freeing. Measured here on random clustered graphs with labelled edges (`Benchmarks/tools/
    /// dot_cluster_crash.py`): 212 of 300 crash with the default ranking, none with `newrank=true` (and
    /// none with `xlabel`s). Without clusters, the default ranking leaks: `gvFreeLayout` leaves one
    /// virtual edge chain (`new_virtual_edge`, 368 bytes on the 12-entity map) per layout, which
    /// `make leakcheck` found once maps stopped carrying the legend as a cluster; `newrank=true` leaks
    /// nothing and gave the same readability figures. On those versions every dot layout therefore
    /// uses `newrank=true`. Graphviz 3+ headers define `GRAPHVIZ_VERSION_MAJOR` and are left alone.
    static func applyWorkarounds(_ plan: inout RenderPlan, engine: String) {
        guard engine == "dot", eg_graphviz_is_legacy() != 0 else { return }
        plan.dot.graphAttributes["newrank"] = "true"
    }

    /// ``applyWorkarounds(_:engine:)`` on a copy.
    static func workingAround(_ plan: RenderPlan, engine: String) -> RenderPlan {
        var plan = plan
        applyWorkarounds(&plan, engine: engine)
        return plan
    }
}
