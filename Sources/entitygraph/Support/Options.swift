import ArgumentParser
import EntityGraph

/// `--direction out|in|both`.
enum DirectionArgument: String, CaseIterable, ExpressibleByArgument {
    case out
    case `in`
    case both

    var traversal: TraversalDirection {
        switch self {
        case .out: return .outgoing
        case .in: return .incoming
        case .both: return .both
        }
    }
}

/// A `--certainty` value: one of the library's ``Certainty`` names.
struct CertaintyArgument: ExpressibleByArgument {
    var certainty: Certainty

    init?(argument: String) {
        guard let certainty = Certainty(rawValue: argument.lowercased()) else { return nil }
        self.certainty = certainty
    }

    static var allValueStrings: [String] { Certainty.allCases.map(\.rawValue) }
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` for options such as `--as-of`.
@Sendable func parseDate(_ text: String) throws -> PartialDate {
    guard let date = PartialDate(text) else {
        throw ValidationError("'\(text)' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2022-10-19")
    }
    return date
}

/// The relation and entity filters shared by `render`, `neighbors` and `path`.
struct FilterOptions: ParsableArguments {
    @Option(
        name: .customLong("type"),
        help: ArgumentHelp(
            "Follow only relations of this type (an id such as leads; repeat or separate with commas).",
            valueName: "type"))
    var types: [String] = []

    @Option(
        name: .customLong("kind"),
        help: ArgumentHelp(
            """
            Reach only entities of this kind (person, state, organization, facility, place, event, \
            or one the file declares; repeatable).
            """,
            valueName: "kind"))
    var kinds: [String] = []

    @Option(
        name: .customLong("certainty"),
        help: ArgumentHelp("Follow only relations of this certainty (repeatable).", valueName: "certainty"))
    var certainties: [CertaintyArgument] = []

    @Flag(help: "Follow only confirmed relations (same as --certainty confirmed).")
    var onlyConfirmed = false

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Follow only relations in force on this date (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"),
        transform: parseDate)
    var asOf: PartialDate?

    /// The library filter these options describe, after checking type and kind names against the
    /// graph's vocabulary (a misspelt name is an error with a suggestion, not an empty result).
    func queryFilter(for graph: Graph) throws(CommandFailure) -> QueryFilter {
        let typeNames = FilterOptions.split(types)
        let kindNames = FilterOptions.split(kinds)
        let knownTypes = graph.relationTypes.map(\.id.rawValue)
        for name in typeNames where graph.relationType(RelationTypeID(name)) == nil {
            throw FilterOptions.unknown("relation type", name, among: knownTypes)
        }
        let knownKinds = graph.kinds.map(\.id.rawValue)
        for name in kindNames where graph.kind(KindID(name)) == nil {
            throw FilterOptions.unknown("kind", name, among: knownKinds)
        }
        var filter = QueryFilter(
            relationTypes: typeNames.isEmpty ? nil : Set(typeNames.map(RelationTypeID.init)),
            entityKinds: kindNames.isEmpty ? nil : Set(kindNames.map(KindID.init)),
            certainties: certainties.isEmpty ? nil : Set(certainties.map(\.certainty)),
            time: asOf.map { .inForce(on: $0) })
        if onlyConfirmed { filter = filter.confirmed() }
        return filter
    }

    private static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    private static func unknown(_ what: String, _ name: String, among known: [String]) -> CommandFailure {
        var details: [String] = []
        if let best = Suggest.closest(to: name, in: known) { details.append("did you mean '\(best)'?") }
        details.append("known: " + known.joined(separator: ", "))
        return CommandFailure(.invalidInput, "unknown \(what) '\(name)'", details: details)
    }
}

/// `--input-format NAME`, for every command that reads a graph: FILE's format whatever its extension
/// (an FtM stream saved as `entities.json`, DOT in a `.txt`).
struct InputFormatOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Read FILE in this format whatever its extension: json, dot, graphml, gexf, ftm, csv.",
            valueName: "format"))
    var inputFormat: String?
}

/// `--quiet`, for the commands that can take long enough to show progress.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Never show progress (shown only on a terminal, for long layouts).")
    var quiet = false
}
