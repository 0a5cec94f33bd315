internal import CGraphviz
import Foundation

extension Session {
    /// Adds `overlay` (title lines and legend) around a graph that has just been laid out, and redraws
    /// the whole with Graphviz's `nop2` engine, which keeps every node position and edge route of the
    /// first layout and computes only the new bounding box. The overlay never takes part in the layout.
    ///
    /// Steps: `attach_attrs` writes the layout into the graph's attributes (`pos`, `lp`, `bb`, …), the
    /// map's bounding box is read from `bb`, the first layout is freed, the overlay's nodes and line
    /// samples are created with fixed positions (``MapOverlay/placed(around:)``), and `gvLayout(nop2)`
    /// lays out the result. An edge the first engine did not route (patchwork draws none) is made
    /// invisible, as it was, and `splines=line` keeps `nop2` from routing it with the engine whose
    /// router crashes on parallel edges. On success the graph holds the `nop2` layout, which the caller
    /// frees; on failure no layout is left. O(objects).
    @discardableResult
    func placeOverlay(
        _ overlay: MapOverlay, fit: MapFit? = nil, on graph: borrowing CGraph, engine: String
    ) throws(GraphvizError) -> String? {
        let root = graph.root
        func fail(_ message: String) -> GraphvizError {
            GraphvizError(
                code: .layoutFailed, stage: .layout, engine: engine, graphvizMessages: takeMessages(),
                message: message)
        }
        attach_attrs(root)
        let boxText = eg_get(UnsafeMutableRawPointer(root), "bb").map { String(cString: $0) } ?? ""
        let box = boxText.split(separator: ",").compactMap { Double($0) }
        guard box.count == 4 else {
            _ = gvFreeLayout(context, root)
            throw fail("the \(engine) layout left no bounding box")
        }
        var unrouted: [UnsafeMutablePointer<Agedge_t>] = []
        var node = agfstnode(root)
        while let current = node {
            var edge = agfstout(root, current)
            while let each = edge {
                let pos = eg_get(UnsafeMutableRawPointer(each), "pos")
                if pos == nil || pos!.pointee == 0 { unrouted.append(each) }
                edge = agnxtout(root, each)
            }
            node = agnxtnode(root, current)
        }
        _ = gvFreeLayout(context, root)

        func set(_ object: UnsafeMutableRawPointer, kind: Int32, _ name: String, _ value: String) throws(GraphvizError)
        {
            guard let symbol = eg_find_attribute(root, kind, name) ?? eg_declare(root, kind, name, "") else {
                throw fail("agattr refused attribute '\(name)'")
            }
            if eg_set(object, symbol, value) != 0 { throw fail("agxset refused '\(name)'") }
        }
        for edge in unrouted { try set(UnsafeMutableRawPointer(edge), kind: Int32(AGEDGE), "style", "invis") }
        if engine == "patchwork" {
            // patchwork sizes each node to its cell, smaller than its label; without this `nop2` would
            // grow the nodes back to their labels' size, over each other and past the map's box.
            var each = agfstnode(root)
            while let current = each {
                try set(UnsafeMutableRawPointer(current), kind: Int32(AGNODE), "fixedsize", "true")
                each = agnxtnode(root, current)
            }
        }
        try set(UnsafeMutableRawPointer(root), kind: Int32(AGRAPH), "splines", "line")

        let placement = overlay.placed(
            around: MapOverlay.Box(minX: box[0], minY: box[1], maxX: box[2], maxY: box[3]))
        func coordinate(_ value: Double) -> String { format((value * 100).rounded() / 100) }
        var created: [UnsafeMutablePointer<Agnode_t>] = []
        created.reserveCapacity(overlay.graph.nodes.count)
        for (index, item) in overlay.graph.nodes.enumerated() {
            if eg_find_node(root, item.name) != nil { throw fail("the overlay's node '\(item.name)' exists") }
            guard let made = eg_node(root, item.name) else { throw fail("agnode failed for '\(item.name)'") }
            let object = UnsafeMutableRawPointer(made)
            for (name, value) in item.attributes { try set(object, kind: Int32(AGNODE), name, value) }
            let centre = placement.centres[index]
            try set(object, kind: Int32(AGNODE), "pos", "\(coordinate(centre.x)),\(coordinate(centre.y))")
            if index == overlay.frame, let legend = placement.legend {
                try set(object, kind: Int32(AGNODE), "width", MapOverlay.inches(legend.width))
                try set(object, kind: Int32(AGNODE), "height", MapOverlay.inches(legend.height))
            }
            created.append(made)
        }
        for item in overlay.graph.edges {
            guard let made = eg_edge(root, created[item.tail], created[item.head], item.key) else {
                throw fail("agedge failed in the legend")
            }
            let object = UnsafeMutableRawPointer(made)
            for (name, value) in item.attributes { try set(object, kind: Int32(AGEDGE), name, value) }
            let from = placement.centres[item.tail]
            let to = placement.centres[item.head]
            let a = "\(coordinate(from.x)),\(coordinate(from.y))"
            let b = "\(coordinate(to.x)),\(coordinate(to.y))"
            try set(object, kind: Int32(AGEDGE), "pos", "\(a) \(a) \(b) \(b)")
        }
        // Scaled to a publication size: the picture's box is the map's with the legend and title lines.
        var warning: String?
        if let fit {
            var whole = MapOverlay.Box(minX: box[0], minY: box[1], maxX: box[2], maxY: box[3])
            if let legend = placement.legend {
                whole.minX = min(whole.minX, legend.minX)
                whole.minY = min(whole.minY, legend.minY)
                whole.maxX = max(whole.maxX, legend.maxX)
                whole.maxY = max(whole.maxY, legend.maxY)
            }
            for line in overlay.header {
                let centre = placement.centres[line.node]
                whole.minX = min(whole.minX, centre.x - line.width / 2)
                whole.maxX = max(whole.maxX, centre.x + line.width / 2)
                whole.maxY = max(whole.maxY, centre.y + line.height / 2)
            }
            let attributes = fit.attributes(for: whole)
            try set(UnsafeMutableRawPointer(root), kind: Int32(AGRAPH), "size", attributes.size)
            try set(UnsafeMutableRawPointer(root), kind: Int32(AGRAPH), "pad", attributes.pad)
            // PDF and PostScript add a device margin of half an inch; the pad already holds the margin.
            try set(UnsafeMutableRawPointer(root), kind: Int32(AGRAPH), "margin", "0")
            warning = attributes.warning
        }
        resetErrors()
        if gvLayout(context, root, "nop2") != 0 || hadError {
            _ = gvFreeLayout(context, root)
            throw fail("placing the legend and title around the \(engine) layout failed")
        }
        return warning
    }
}
