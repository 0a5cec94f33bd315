import Foundation

/// The framed protocol between a renderer and its layout worker processes.
///
/// Each message is one frame: an 8-byte header (the magic `EGW1` and the payload's length as a
/// little-endian `UInt32`) followed by the payload. A payload starts with its kind (one byte) and
/// holds fixed-width little-endian integers and length-prefixed UTF-8 strings, written and read by
/// ``WireWriter`` and ``WireReader``. Parent and worker are always the same build of this module, so
/// the format carries no version negotiation beyond the magic and the worker's hello.
enum Wire {
    /// The first four bytes of every frame.
    static let magic: [UInt8] = Array("EGW1".utf8)
    /// Header bytes before a payload.
    static let headerSize = 8
    /// The largest payload either side accepts (a frame announcing more is a protocol violation).
    static let maximumPayload = Int(UInt32.max)

    /// Request kinds, parent → worker.
    enum Request: UInt8 {
        /// Lay out a plan and render it into formats: engine, formats, plan.
        case render = 1
        /// The engines and formats the worker's Graphviz has.
        case capabilities = 2
        /// The plan as DOT text without layout: engine, plan.
        case dotSource = 3
        /// Test-only: make the worker misbehave (abort, exit, hang, garbage, segfault, silence).
        case fault = 0xF0
    }

    /// Response kinds, worker → parent.
    enum Response: UInt8 {
        /// Sent once when the worker starts: the Graphviz version and the worker's process id.
        case hello = 1
        /// The worker entered a stage: stage (raw value of ``GraphvizError/Stage``), format.
        case progress = 2
        /// The request succeeded; the body depends on the request.
        case success = 3
        /// The request failed with a ``GraphvizError``.
        case failure = 4
    }

    /// The header for a payload of `count` bytes.
    static func header(count: Int) -> [UInt8] {
        let length = UInt32(count)
        return magic + [
            UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24),
        ]
    }

    /// The payload length a header announces, or `nil` when `bytes` does not start with the magic.
    static func payloadLength(header bytes: some Collection<UInt8>) -> Int? {
        guard bytes.count >= headerSize, bytes.prefix(4).elementsEqual(magic) else { return nil }
        var length = 0
        for (shift, byte) in bytes.dropFirst(4).prefix(4).enumerated() { length |= Int(byte) << (8 * shift) }
        return length
    }
}

/// A malformed payload: the other side is not speaking this protocol.
struct WireError: Error {
    var message: String
}

/// Appends protocol values to a byte buffer.
struct WireWriter {
    private(set) var bytes: [UInt8] = []

    init(kind: UInt8) { bytes.append(kind) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func int(_ value: Int) {
        var value = UInt64(bitPattern: Int64(value))
        for _ in 0..<8 {
            bytes.append(UInt8(value & 0xFF))
            value >>= 8
        }
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func optionalInt(_ value: Int?) {
        bool(value != nil)
        if let value { int(value) }
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func strings(_ values: [String]) {
        int(values.count)
        for value in values { string(value) }
    }

    mutating func ints(_ values: [Int]) {
        int(values.count)
        for value in values { int(value) }
    }

    mutating func data(_ value: Data) {
        int(value.count)
        // Through the raw buffer: appending a `Data` as a sequence would copy byte by byte.
        value.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
}

/// Reads protocol values from a payload, checking every length against what is left.
struct WireReader {
    private let bytes: [UInt8]
    private var offset: Int

    /// A reader over `bytes`, positioned after the kind byte; `kind` is that byte.
    init(_ bytes: [UInt8]) throws(WireError) {
        guard !bytes.isEmpty else { throw WireError(message: "an empty payload") }
        self.bytes = bytes
        self.offset = 1
    }

    var kind: UInt8 { bytes[0] }
    var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ count: Int) throws(WireError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else {
            throw WireError(message: "a value runs past the end of the payload")
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func byte() throws(WireError) -> UInt8 { try take(1).first! }

    mutating func int() throws(WireError) -> Int {
        var value: UInt64 = 0
        for (shift, byte) in try take(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return Int(Int64(bitPattern: value))
    }

    mutating func bool() throws(WireError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw WireError(message: "a flag that is neither 0 nor 1")
        }
    }

    mutating func optionalInt() throws(WireError) -> Int? { try bool() ? try int() : nil }

    mutating func string() throws(WireError) -> String {
        let slice = try take(try int())
        return String(decoding: slice, as: UTF8.self)
    }

    mutating func optionalString() throws(WireError) -> String? { try bool() ? try string() : nil }

    mutating func strings() throws(WireError) -> [String] {
        let count = try int()
        // Each string takes at least its 8-byte length: a count beyond that is corrupt, not a huge array.
        guard count >= 0, count <= (bytes.count - offset) / 8 else { throw WireError(message: "a list too long") }
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try string()) }
        return values
    }

    mutating func ints() throws(WireError) -> [Int] {
        let count = try count(minimumSize: 8)
        var values: [Int] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try int()) }
        return values
    }

    mutating func data() throws(WireError) -> Data {
        try take(try int()).withUnsafeBytes { Data($0) }
    }

    /// A list count, checked against the bytes left (each element takes at least `minimumSize`).
    mutating func count(minimumSize: Int) throws(WireError) -> Int {
        let count = try int()
        guard count >= 0, count <= (bytes.count - offset) / max(minimumSize, 1) else {
            throw WireError(message: "a list longer than its payload")
        }
        return count
    }
}

// MARK: - Values

extension WireWriter {
    mutating func attributes(_ list: DOTGraph.Attributes) {
        strings(list.keys)
        strings(list.map(\.value))
    }

    mutating func graph(_ graph: DOTGraph) {
        optionalString(graph.name)
        bool(graph.directed)
        bool(graph.strict)
        attributes(graph.graphAttributes)
        attributes(graph.nodeDefaults)
        attributes(graph.edgeDefaults)
        int(graph.subgraphs.count)
        for subgraph in graph.subgraphs {
            string(subgraph.name)
            optionalInt(subgraph.parent)
            attributes(subgraph.attributes)
            ints(subgraph.members)
        }
        int(graph.nodes.count)
        for node in graph.nodes {
            string(node.name)
            attributes(node.attributes)
            optionalInt(node.subgraph)
        }
        int(graph.edges.count)
        for edge in graph.edges {
            int(edge.tail)
            int(edge.head)
            optionalString(edge.key)
            attributes(edge.attributes)
            optionalInt(edge.subgraph)
        }
    }

    mutating func plan(_ plan: RenderPlan) {
        graph(plan.dot)
        int(plan.seed)
        overlay(plan.overlay)
        string(plan.svgStyle)
        bool(plan.fit != nil)
        if let fit = plan.fit {
            string(fit.name)
            double(fit.width)
            bool(fit.height != nil)
            double(fit.height ?? 0)
            bool(fit.exact)
            double(fit.margin)
            double(fit.smallestFont)
            double(fit.minimumTextPixels)
        }
    }

    mutating func overlay(_ overlay: MapOverlay) {
        graph(overlay.graph)
        func block(_ block: MapOverlay.Block) {
            int(block.node)
            double(block.width)
            double(block.height)
        }
        int(overlay.header.count)
        for line in overlay.header { block(line) }
        optionalInt(overlay.frame)
        int(overlay.sections.count)
        for section in overlay.sections {
            block(section.heading)
            int(section.entries.count)
            for entry in section.entries {
                ints(entry.swatch)
                block(entry.label)
            }
        }
    }

    mutating func double(_ value: Double) { int(Int(bitPattern: UInt(value.bitPattern))) }

    mutating func error(_ error: GraphvizError) {
        string(error.code.rawValue)
        string(error.stage.rawValue)
        optionalString(error.engine)
        optionalString(error.format)
        strings(error.graphvizMessages)
        string(error.message)
    }
}

extension WireReader {
    mutating func attributes() throws(WireError) -> DOTGraph.Attributes {
        let names = try strings()
        let values = try strings()
        guard names.count == values.count else {
            throw WireError(message: "attribute names and values differ in number")
        }
        var list: DOTGraph.Attributes = [:]
        for (name, value) in zip(names, values) { list[name] = value }
        return list
    }

    /// A graph whose indices hold (``DOTGraph/indexProblem``), or an error.
    mutating func graph() throws(WireError) -> DOTGraph {
        var graph = DOTGraph(name: try optionalString(), directed: try bool(), strict: try bool())
        graph.graphAttributes = try attributes()
        graph.nodeDefaults = try attributes()
        graph.edgeDefaults = try attributes()
        let subgraphCount = try count(minimumSize: 33)
        graph.subgraphs.reserveCapacity(subgraphCount)
        for _ in 0..<subgraphCount {
            graph.subgraphs.append(
                DOTGraph.Subgraph(
                    name: try string(), parent: try optionalInt(), attributes: try attributes(), members: try ints()))
        }
        let nodeCount = try count(minimumSize: 25)
        graph.nodes.reserveCapacity(nodeCount)
        for _ in 0..<nodeCount {
            graph.nodes.append(
                DOTGraph.Node(name: try string(), attributes: try attributes(), subgraph: try optionalInt()))
        }
        let edgeCount = try count(minimumSize: 34)
        graph.edges.reserveCapacity(edgeCount)
        for _ in 0..<edgeCount {
            graph.edges.append(
                DOTGraph.Edge(
                    tail: try int(), head: try int(), key: try optionalString(), attributes: try attributes(),
                    subgraph: try optionalInt()))
        }
        if let problem = graph.indexProblem { throw WireError(message: "a graph whose \(problem)") }
        return graph
    }

    mutating func plan() throws(WireError) -> RenderPlan {
        var plan = RenderPlan()
        plan.dot = try graph()
        plan.seed = try int()
        plan.overlay = try overlay()
        plan.svgStyle = try string()
        if try bool() {
            let name = try string()
            let width = try double()
            let hasHeight = try bool()
            let height = try double()
            plan.fit = MapFit(
                name: name, width: width, height: hasHeight ? height : nil, exact: try bool(), margin: try double(),
                smallestFont: try double(), minimumTextPixels: try double())
        }
        return plan
    }

    mutating func double() throws(WireError) -> Double { Double(bitPattern: UInt64(UInt(bitPattern: try int()))) }

    /// An overlay whose node indices hold, or an error.
    mutating func overlay() throws(WireError) -> MapOverlay {
        var overlay = MapOverlay()
        overlay.graph = try graph()
        let nodes = overlay.graph.nodes.indices
        func node() throws(WireError) -> Int {
            let index = try int()
            guard nodes.contains(index) else { throw WireError(message: "an overlay node out of range") }
            return index
        }
        func block() throws(WireError) -> MapOverlay.Block {
            MapOverlay.Block(node: try node(), width: try double(), height: try double())
        }
        for _ in 0..<(try count(minimumSize: 24)) { overlay.header.append(try block()) }
        overlay.frame = try optionalInt()
        if let frame = overlay.frame, !nodes.contains(frame) {
            throw WireError(message: "an overlay frame out of range")
        }
        for _ in 0..<(try count(minimumSize: 32)) {
            let heading = try block()
            var entries: [MapOverlay.Entry] = []
            for _ in 0..<(try count(minimumSize: 32)) {
                let swatch = try ints()
                guard swatch.allSatisfy(nodes.contains), swatch.count <= 2 else {
                    throw WireError(message: "an overlay swatch out of range")
                }
                entries.append(MapOverlay.Entry(swatch: swatch, label: try block()))
            }
            overlay.sections.append(MapOverlay.Section(heading: heading, entries: entries))
        }
        if overlay.graph.edges.contains(where: { $0.subgraph != nil }) || !overlay.graph.subgraphs.isEmpty {
            throw WireError(message: "an overlay with subgraphs")
        }
        return overlay
    }

    mutating func error() throws(WireError) -> GraphvizError {
        let code = GraphvizError.Code(rawValue: try string())
        let stageName = try string()
        guard let stage = GraphvizError.Stage(rawValue: stageName) else {
            throw WireError(message: "an unknown stage '\(stageName)'")
        }
        return GraphvizError(
            code: code, stage: stage, engine: try optionalString(), format: try optionalString(),
            graphvizMessages: try strings(), message: try string())
    }
}
