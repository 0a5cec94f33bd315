/// How firmly a relation is established, from the point of view of the graph's sources.
///
/// Ordered from strongest to weakest. Renderers draw anything weaker than ``confirmed`` dashed
/// or dotted; queries can keep only confirmed relations.
public enum Certainty: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    /// Established fact, stated as such by the sources.
    case confirmed
    /// Reported by a source without independent confirmation.
    case reported
    /// One party's account (see ``Relation/assertedBy``), e.g. "Zelensky says Lukashenko apologized".
    case claimed
    /// An accusation by a party.
    case alleged
    /// Contested by another party or by other sources.
    case disputed
    /// Denied by the party concerned.
    case denied

    private var rank: Int { Certainty.allCases.firstIndex(of: self)! }
    /// Orders from strongest to weakest: `confirmed < reported < … < denied`.
    public static func < (lhs: Certainty, rhs: Certainty) -> Bool { lhs.rank < rhs.rank }
}
