import Testing

@testable import EntityGraph

@Suite struct PartialDateTests {
    @Test(
        arguments: [
            ("2022", 2022, nil, nil, PartialDate.Precision.year),
            ("2022-10", 2022, 10, nil, .month),
            ("2022-10-19", 2022, 10, 19, .day),
            ("0001-01-01", 1, 1, 1, .day),
            ("9999-12-31", 9999, 12, 31, .day),
            ("2024-02-29", 2024, 2, 29, .day),
            ("2000-02-29", 2000, 2, 29, .day),
        ] as [(String, Int, Int?, Int?, PartialDate.Precision)])
    func parsesTheThreeForms(
        _ text: String, _ year: Int, _ month: Int?, _ day: Int?,
        _ precision: PartialDate.Precision
    ) throws {
        let date = try #require(PartialDate(text))
        #expect(date.year == year)
        #expect(date.month == month)
        #expect(date.day == day)
        #expect(date.precision == precision)
        #expect(date.description == text)
    }

    @Test(arguments: [
        "", "22", "20222", "2022-1", "2022-1-01", "2022/10/19", "2022-10-19T00:00", " 2022", "2022 ", "０２０２",
        "2022-13", "2022-00", "2022-02-30", "2023-02-29", "1900-02-29", "2022-04-31", "0000", "2022-10-00", "-202",
        "abcd",
    ])
    func rejectsEverythingElse(_ text: String) {
        #expect(PartialDate(text) == nil)
    }

    @Test func componentInitializerValidates() {
        #expect(PartialDate(year: 2022, month: 2, day: 28) != nil)
        #expect(PartialDate(year: 2022, month: 2, day: 29) == nil)
        #expect(PartialDate(year: 2022, day: 3) == nil)
        #expect(PartialDate(year: 10_000) == nil)
        #expect(PartialDate(year: 0) == nil)
        #expect(PartialDate(year: 2022, month: 12)?.description == "2022-12")
        #expect(PartialDate(year: 5)?.description == "0005")
    }

    @Test func ordersByEarliestDayThenPrecision() throws {
        let texts = ["2022-01-01", "2021-12-31", "2022", "2022-01", "2021", "2022-02", "2021-12"]
        let sorted = texts.compactMap(PartialDate.init).sorted().map(\.description)
        #expect(sorted == ["2021", "2021-12", "2021-12-31", "2022", "2022-01", "2022-01-01", "2022-02"])
        #expect(try #require(PartialDate("2022")) < #require(PartialDate("2022-01")))
        #expect(try #require(PartialDate("2022-01")) < #require(PartialDate("2022-01-01")))
        #expect(try #require(PartialDate("2022-12-31")) < #require(PartialDate("2023")))
    }

    @Test func coverage() throws {
        let year = try #require(PartialDate("2024"))
        #expect(year.firstDay.description == "2024-01-01")
        #expect(year.lastDay.description == "2024-12-31")
        let february = try #require(PartialDate("2024-02"))
        #expect(february.lastDay.description == "2024-02-29")
        #expect(try #require(PartialDate("2023-02")).lastDay.description == "2023-02-28")
        #expect(february.ordinal == 20_240_201)
        #expect(february.lastOrdinal == 20_240_229)
        #expect(year.overlaps(february))
        #expect(february.overlaps(try #require(PartialDate("2024-02-29"))))
        #expect(!february.overlaps(try #require(PartialDate("2024-03-01"))))
        #expect(PartialDate.daysIn(month: 2, year: 1900) == 28)
        #expect(PartialDate.daysIn(month: 2, year: 2000) == 29)
        #expect(PartialDate.daysIn(month: 11, year: 2001) == 30)
    }

    @Test func relationsInForce() throws {
        let relation = Relation(
            id: "r", type: "leads", source: "a", target: "b",
            since: PartialDate("2022-05"), until: PartialDate("2022"))
        #expect(relation.isInForce(on: try #require(PartialDate("2022-05-01"))))
        #expect(relation.isInForce(on: try #require(PartialDate("2022-12-31"))))
        #expect(!relation.isInForce(on: try #require(PartialDate("2022-04-30"))))
        #expect(!relation.isInForce(on: try #require(PartialDate("2023"))))
        #expect(relation.isInForce(on: try #require(PartialDate("2022"))))
        let open = Relation(id: "o", type: "leads", source: "a", target: "b", since: PartialDate("1994"))
        #expect(open.isInForce(on: try #require(PartialDate("9999"))))
        #expect(!open.isInForce(on: try #require(PartialDate("1993-12-31"))))
        #expect(open.overlaps(from: try #require(PartialDate("1990")), to: try #require(PartialDate("1994-01"))))
        #expect(!open.overlaps(from: try #require(PartialDate("1990")), to: try #require(PartialDate("1993"))))
    }

    @Test func explainsWhyADateIsInvalid() {
        #expect(partialDateProblem("2022-10-19") == nil)
        #expect(partialDateProblem("2022-02-30") == "'2022-02-30' does not exist: February 2022 has 28 days")
        #expect(partialDateProblem("2022-13") == "'2022-13' has month 13; months run from 01 to 12")
        #expect(partialDateProblem("2022-00-10") == "'2022-00-10' has month 00; months run from 01 to 12")
        #expect(partialDateProblem("0000") == "'0000' has year 0000; years run from 0001 to 9999")
        #expect(
            partialDateProblem("19.10.2022")
                == "'19.10.2022' is not a partial date: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2022, 2022-10 or 2022-10-19"
        )
    }
}
