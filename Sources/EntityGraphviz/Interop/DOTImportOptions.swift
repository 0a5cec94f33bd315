import EntityGraph

/// How ``DOTImport`` maps DOT onto the model, and the limits it enforces before Graphviz's parser sees
/// the text.
///
/// The limits exist because Graphviz's parser is not safe on hostile input (measured on Graphviz
/// 2.42/2.43): a quoted string's cost grows with its length times its raw line breaks (a 10 MB string
/// took 35 s, fifty 100 KB multi-line labels 17 s); about 2,500 chained edge operators (`a -> b -> …`) or
/// 3,300 nested braces overflow its parser stack ("memory exhausted"). A cheap pre-scan checks every
/// limit and fails with ``DOTImportError/Code/limitExceeded`` naming it, so such text never reaches the
/// parser. The defaults accept every real-world file we have seen (see the corpus test) and bound the
/// parse to well under a second on the reference machine.
public struct DOTImportOptions: Hashable, Sendable {
    /// What to do with bytes that are not UTF-8 (only ``DOTImport``'s `Data` and URL readers see raw
    /// bytes; a `String` is always valid).
    public enum InvalidUTF8Handling: Hashable, Sendable {
        /// Read a string that is not valid UTF-8 as Latin-1, as Graphviz itself does for labels (a
        /// warning in ``DOTImport/decode(contentsOf:options:)``). Strings of a graph that declares `charset=latin1` (or
        /// `latin-1`, `l1`, `iso-8859-1`, …) are always read as Latin-1.
        case readAsLatin1
        /// Fail with ``DOTImportError/Code/invalidUTF8`` and the line of the first bad byte, unless the
        /// graph declares a Latin-1 charset.
        case reject
    }

    /// The kind of a node with no `kind` attribute and no shape in ``kindsByShape``. Default
    /// ``/EntityGraph/KindID/organization``. A kind that is neither built in nor declared is declared (label = id).
    public var defaultKind: KindID = .organization

    /// Kinds by node `shape` (lowercased). Only a shape the file actually sets counts: Graphviz draws an
    /// ellipse for a node without one, but such a node gets ``defaultKind``, not `person`. The default
    /// follows the built-in theme (``Theme``): ellipse → person, doubleoctagon → state, box → organization,
    /// cylinder → facility, house → place.
    public var kindsByShape: [String: KindID] = DOTImportOptions.themeKindsByShape

    /// The type of an edge with no `type`, `relation` or `label` attribute. Default `relatedTo`.
    public var defaultRelationType: RelationTypeID = "relatedTo"

    /// The largest input accepted, in bytes. Default 5 MiB (about 0.2 s of parsing for a plain graph).
    public var maximumBytes: Int = 5 * 1024 * 1024

    /// The deepest `{ … }` nesting accepted (subgraphs, edge groups). Default 200; the parser runs out of
    /// stack at about 3,300.
    public var maximumNestingDepth: Int = 200

    /// The longest string accepted, in bytes: a quoted string (with its `+` continuations) or an HTML-like
    /// `<…>` string. Default 100 KiB. (The `dot` command-line tool itself rejects quoted strings over
    /// 16 KiB; the library does not.)
    public var maximumStringLength: Int = 100 * 1024

    /// The most edge operators (`->`, `--`) pending at once: the length of one edge chain `a -> b -> c …`
    /// plus those of the chains it is nested in. Default 1,000; the parser runs out of stack at about 2,500.
    public var maximumEdgeChainLength: Int = 1_000

    /// A budget for the parser's quadratic string handling, summed over the file: for each quoted string,
    /// its length times its raw line breaks, plus (about 12 times cheaper) its total length times its `+`
    /// continuations. One unit is roughly 3 ns here; the default 250,000,000 is about 0.7 s. Ordinary files
    /// use a tiny fraction (a 5,000-node graph with two-line labels: about 250,000).
    public var maximumStringWork: Int = 250_000_000

    /// What to do with text that is not UTF-8. Default ``InvalidUTF8Handling/reject``: an error with
    /// the line of the first bad byte, as the JSON and CSV readers give.
    public var invalidUTF8: InvalidUTF8Handling = .reject

    /// Options with the defaults above.
    public init() {}

    /// The shapes the built-in theme draws each kind with.
    public static let themeKindsByShape: [String: KindID] = [
        "ellipse": .person, "oval": .person,
        "doubleoctagon": .state,
        "box": .organization, "rect": .organization, "rectangle": .organization,
        "cylinder": .facility,
        "house": .place,
    ]
}
