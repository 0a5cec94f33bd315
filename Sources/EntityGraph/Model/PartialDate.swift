/// A calendar date known to year, month or day precision: `2022`, `2022-10`, `2022-10-19`.
///
/// Ordering compares the earliest day each value covers, then coarser precision first, so
/// `2022 < 2022-01 < 2022-01-01`. Use ``firstDay`` / ``lastDay`` to compare by coverage:
/// `"2022"` covers every day of 2022.
public struct PartialDate: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// How much of the date is known.
    public enum Precision: Int, Sendable, Comparable, Codable {
        /// A year: `2022`.
        case year = 0
        /// A month: `2022-10`.
        case month = 1
        /// A day: `2022-10-19`.
        case day = 2
        /// Orders coarser precision first: `year < month < day`.
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    // year * 10_000 + month * 100 + day, with 0 for an unknown month or day: four bytes per date.
    private let packed: UInt32

    /// The year, 1...9999.
    public var year: Int { Int(packed / 10_000) }
    /// 1...12, or `nil` at year precision.
    public var month: Int? {
        let m = Int(packed / 100 % 100)
        return m == 0 ? nil : m
    }
    /// 1...31 (valid for the month), or `nil` at year or month precision.
    public var day: Int? {
        let d = Int(packed % 100)
        return d == 0 ? nil : d
    }

    /// Whether the date names a year, a month or a day.
    public var precision: Precision { day != nil ? .day : (month != nil ? .month : .year) }

    /// Creates a date, or returns `nil` when the parts do not form a real calendar date
    /// (month 13, 30 February, a day without a month, a year outside 1...9999).
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard (1...9999).contains(year) else { return nil }
        if let month {
            guard (1...12).contains(month) else { return nil }
            if let day {
                guard (1...PartialDate.daysIn(month: month, year: year)).contains(day) else { return nil }
            }
        } else if day != nil {
            return nil
        }
        self.packed = UInt32(year * 10_000 + (month ?? 0) * 100 + (day ?? 0))
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (ASCII digits, exactly that many); `nil` otherwise.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        switch bytes.count {
        case 4:
            guard let y = number(0..<4) else { return nil }
            self.init(year: y)
        case 7:
            guard bytes[4] == 0x2D, let y = number(0..<4), let m = number(5..<7) else { return nil }
            self.init(year: y, month: m)
        case 10:
            guard bytes[4] == 0x2D, bytes[7] == 0x2D, let y = number(0..<4), let m = number(5..<7),
                let d = number(8..<10)
            else { return nil }
            self.init(year: y, month: m, day: d)
        default:
            return nil
        }
    }

    /// The ISO text: `2022`, `2022-10` or `2022-10-19`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = pad(year, 4)
        if let month { text += "-" + pad(month, 2) }
        if let day { text += "-" + pad(day, 2) }
        return text
    }

    /// The first day this date covers (`2022` → 2022-01-01).
    public var firstDay: PartialDate {
        PartialDate(uncheckedYear: year, month: month ?? 1, day: day ?? 1)
    }

    /// The last day this date covers (`2022` → 2022-12-31, `2024-02` → 2024-02-29).
    public var lastDay: PartialDate {
        let m = month ?? 12
        return PartialDate(uncheckedYear: year, month: m, day: day ?? PartialDate.daysIn(month: m, year: year))
    }

    /// A sortable integer for a full date: `yyyymmdd`. Uses ``firstDay`` for partial dates.
    public var ordinal: Int { Int(firstDay.packed) }

    /// True when the day ranges of the two dates share at least one day.
    public func overlaps(_ other: PartialDate) -> Bool {
        firstDay.ordinal <= other.lastDay.ordinal && other.firstDay.ordinal <= lastDay.ordinal
    }

    /// ``lastDay`` as `yyyymmdd`.
    public var lastOrdinal: Int { Int(lastDay.packed) }

    /// Orders by first day covered, then coarser precision first (`2022 < 2022-01 < 2022-01-01`).
    public static func < (lhs: PartialDate, rhs: PartialDate) -> Bool {
        let (l, r) = (lhs.ordinal, rhs.ordinal)
        if l != r { return l < r }
        return lhs.precision < rhs.precision
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = PartialDate(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(text)' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private init(uncheckedYear year: Int, month: Int, day: Int) {
        self.packed = UInt32(year * 10_000 + month * 100 + day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
