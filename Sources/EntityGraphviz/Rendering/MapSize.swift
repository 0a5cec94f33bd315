/// A size a map is drawn at, for publication (``RenderOptions/size``). The whole drawing — map,
/// title and legend — is scaled to fit (up or down), and the renderer warns when its smallest text
/// would be too small to read at that size.
///
/// Pixel sizes assume 96 pixels per inch, the PNG default and the CSS pixel of an SVG shown at 100 %
/// (an SVG's `pt` is 4/3 of a CSS pixel).
public enum MapSize: Hashable, Sendable, CustomStringConvertible {
    /// A web article: 1,600 pixels wide, as tall as the map needs; text at least 11 pixels tall.
    case article
    /// A presentation slide: a 1,920 × 1,080 pixel canvas, the map centred on it; text at least 14
    /// pixels tall.
    case slide
    /// A printed page (for PDF): the map scaled to fit within half-inch margins and centred on a canvas
    /// of exactly the paper's size; text at least 6 points tall.
    case page(Paper, landscape: Bool)

    /// A paper size.
    public enum Paper: String, Hashable, Sendable, CaseIterable {
        /// ISO A4, 210 × 297 mm.
        case a4
        /// US Letter, 8.5 × 11 inches.
        case letter
    }

    /// `article`, `slide`, `a4`, `letter landscape`, ….
    public var description: String {
        switch self {
        case .article: return "article"
        case .slide: return "slide"
        case .page(let paper, let landscape): return paper.rawValue + (landscape ? " landscape" : "")
        }
    }

    /// The canvas in inches (`height` `nil`: as tall as the drawing needs), whether the canvas is
    /// padded to exactly that size, and the smallest readable text in pixels at 96 per inch.
    var target: (width: Double, height: Double?, exact: Bool, minimumTextPixels: Double) {
        switch self {
        case .article: return (1600 / 96, nil, false, 11)
        case .slide: return (20, 11.25, true, 14)
        case .page(let paper, let landscape):
            let (short, long) = paper == .a4 ? (8.27, 11.69) : (8.5, 11.0)
            // 6 points is 8 pixels at 96 per inch.
            return landscape ? (long, short, true, 8) : (short, long, true, 8)
        }
    }
}

/// How the bridge scales a laid-out map to a ``MapSize`` (plain values, for the worker).
struct MapFit: Hashable, Sendable {
    /// The size's name, for the warning.
    var name: String
    /// The canvas, in inches; `height` `nil` for "as tall as needed".
    var width: Double
    var height: Double?
    /// Pad the canvas to exactly `width` × `height`.
    var exact: Bool
    /// Margin around the drawing, in inches (half an inch for pages, the standard 0.3 otherwise).
    var margin: Double
    /// The smallest text size on the map, in points, and the least readable size in pixels.
    var smallestFont: Double
    var minimumTextPixels: Double

    init(_ size: MapSize, smallestFont: Double) {
        let target = size.target
        name = size.description
        width = target.width
        height = target.height
        exact = target.exact
        if case .page = size { margin = 0.5 } else { margin = 0.3 }
        self.smallestFont = smallestFont
        minimumTextPixels = target.minimumTextPixels
    }

    init(
        name: String, width: Double, height: Double?, exact: Bool, margin: Double, smallestFont: Double,
        minimumTextPixels: Double
    ) {
        self.name = name
        self.width = width
        self.height = height
        self.exact = exact
        self.margin = margin
        self.smallestFont = smallestFont
        self.minimumTextPixels = minimumTextPixels
    }

    /// The graph attributes that draw a picture whose box is `box` (points) at this size — `size`
    /// (with `!`, so Graphviz scales up as well as down) and `pad` — and the warning when its smallest
    /// text would be smaller than readable. Graphviz adds `pad` to the box before scaling it to `size`,
    /// so the pad is given at layout scale: the margin divided by the scale. O(1).
    func attributes(for box: MapOverlay.Box) -> (size: String, pad: String, warning: String?) {
        let availableWidth = max(width - 2 * margin, 0.5) * 72
        let availableHeight = height.map { max($0 - 2 * margin, 0.5) * 72 } ?? .infinity
        let scale = min(availableWidth / max(box.width, 1), availableHeight / max(box.height, 1))
        let drawnWidth = box.width * scale / 72
        let drawnHeight = box.height * scale / 72
        let canvasWidth = exact ? width : drawnWidth + 2 * margin
        let canvasHeight = exact ? (height ?? drawnHeight + 2 * margin) : drawnHeight + 2 * margin
        let padX = max((canvasWidth - drawnWidth) / 2, 0) / scale
        let padY = max((canvasHeight - drawnHeight) / 2, 0) / scale
        func text(_ value: Double) -> String { format((value * 10000).rounded() / 10000) }
        let pixels = smallestFont * scale * 96 / 72
        var warning: String?
        if pixels < minimumTextPixels {
            warning =
                "the map is too dense for the \(name) size: its smallest text would be "
                + String(format: "%.1f", pixels) + " px tall (\(format(minimumTextPixels)) px reads well); "
                + "draw part of it (a focus map around one entity) or summarize it"
        }
        return ("\(text(canvasWidth)),\(text(canvasHeight))!", "\(text(padX)),\(text(padY))", warning)
    }
}
