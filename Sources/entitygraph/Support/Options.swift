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
            """
            Follow only relations of this type (an id or a label in any case, such as leads or \
            "allied with"; repeat or separate with commas).
            """,
            valueName: "type"))
    var types: [String] = []

    @Option(
        name: .customLong("kind"),
        help: ArgumentHelp(
            """
            Reach only entities of this kind (person, state, organization, facility, place, event, \
            or one the file declares; an id or a label in any case; repeatable).
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

    /// The library filter these options describe, after resolving type and kind names against the
    /// graph's vocabulary (``Graph/resolveRelationType(_:)``, ``Graph/resolveKind(_:)``: an id, or an
    /// id or label in any case). A misspelt or ambiguous name is an error, not an empty result.
    func queryFilter(for graph: Graph) throws(CommandFailure) -> QueryFilter {
        let typeNames = FilterOptions.split(types)
        let kindNames = FilterOptions.split(kinds)
        var typeIDs: Set<RelationTypeID> = []
        for name in typeNames {
            do { typeIDs.insert(try graph.resolveRelationType(name)) } catch { throw FilterOptions.failure(error) }
        }
        var kindIDs: Set<KindID> = []
        for name in kindNames {
            do { kindIDs.insert(try graph.resolveKind(name)) } catch { throw FilterOptions.failure(error) }
        }
        var filter = QueryFilter(
            relationTypes: typeNames.isEmpty ? nil : typeIDs,
            entityKinds: kindNames.isEmpty ? nil : kindIDs,
            certainties: certainties.isEmpty ? nil : Set(certainties.map(\.certainty)),
            time: asOf.map { .inForce(on: $0) })
        if onlyConfirmed { filter = filter.confirmed() }
        return filter
    }

    private static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// `unknown relation type 'crushd'` with a did-you-mean and the known ids, or `'allied with'
    /// could mean 2 relation types` listing them.
    private static func failure(_ error: VocabularyError) -> CommandFailure {
        switch error {
        case .unknown(_, _, let suggestions, let known):
            var details: [String] = []
            if let best = suggestions.first { details.append("did you mean \(describe(best))?") }
            details.append("known: " + known.map(\.id).joined(separator: ", "))
            return CommandFailure(.invalidInput, error.description, details: details)
        case .ambiguous(_, _, let candidates):
            return CommandFailure(
                .invalidInput, error.description,
                details: candidates.map { "\($0.id) (\($0.label))" } + ["use the id to pick one"])
        }
    }

    /// `'suppressed' (crushed)`; just `'leads'` when the label is the id in another case.
    private static func describe(_ entry: VocabularyEntry) -> String {
        Suggest.fold(entry.label) == Suggest.fold(entry.id) ? "'\(entry.id)'" : "'\(entry.id)' (\(entry.label))"
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
