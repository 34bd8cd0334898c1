import OporaDomain
import XCTest

/// The report model: figures formatted as officials print them, untrustworthy ones flagged with one numbering.
final class ReportTests: XCTestCase {
    func testCellsPrintRussianNumbers() {
        XCTAssertEqual(ReportCell.percent(64.2857).text, "64,3")
        XCTAssertEqual(ReportCell.percent(nil).text, "—")
        XCTAssertEqual(ReportCell.number(3.456, digits: 2).text, "3,46")
        XCTAssertEqual(ReportCell.integer(1500).text, RussianFormat.integer(1500))
        XCTAssertEqual(("Математика" as ReportCell).text, "Математика")
    }

    func testSharesFromSmallGroupsAndImpossibleFiguresAreFlagged() {
        XCTAssertNil(ReportChecks.share(Share(count: 9, base: 14)).flag)
        XCTAssertEqual(ReportChecks.share(Share(count: 9, base: 14)).text, "64,3")
        XCTAssertNotNil(ReportChecks.share(Share(count: 2, base: 4)).flag, "4 pupils: one moves the rate by 25 points")
        XCTAssertNotNil(ReportChecks.benchmark(nil, name: "показатель региона").flag)
        XCTAssertNotNil(ReportChecks.benchmark(120, name: "показатель региона").flag)
        XCTAssertNil(ReportChecks.benchmark(92, name: "показатель региона").flag)
        // Seed 000, grade 4 mathematics: 0 % success and 100 % quality.
        XCTAssertNotNil(ReportChecks.quality(100, success: 0))
        XCTAssertNil(ReportChecks.quality(14.3, success: 64.3))
    }

    func testFlagsAreNumberedOnceForTheWholeDocument() {
        var document = ReportDocument(title: "Справка")
        document.table(ReportTable(header: ["a", "b"], rows: [[.percent(50, flag: "мало"), .percent(nil, flag: "нет региона")]]))
        document.table(ReportTable(header: ["a"], rows: [[.percent(10, flag: "нет региона")], [.percent(20, flag: "мало")]]))
        XCTAssertEqual(document.flags, ["мало", "нет региона"])
        guard case .table(let second) = document.blocks[1] else { return XCTFail() }
        XCTAssertEqual(second.textRows(notes: document.flags), [["10 *2"], ["20 *1"]], "the same note keeps its number in every table")
    }

    func testFiocoChecks() {
        let cases: [([Double?], String?)] = [
            ([10, 15, 21], "отрицательная динамика: доля «2» выросла на 11 п. п."),
            ([20, nil, 29.9], nil),
            ([35.7, 20, 14.3], "доля «2» снизилась на 21,4 п. п."),
            ([nil, 30], nil),
        ]
        for (shares, expected) in cases { XCTAssertEqual(FiocoChecks.failureTrend(shares), expected, "\(shares)") }
        XCTAssertNotNil(FiocoChecks.sampleNote(14))
        XCTAssertTrue(FiocoChecks.sampleNote(30)?.contains("приблизительная") == true)
        XCTAssertNil(FiocoChecks.sampleNote(50))
    }

    func testAChartCarriesItsFiguresAsATable() {
        let chart = ReportChart(title: "Успеваемость", series: ["Школа", "Регион"], groups: [("Математика", [64.2857, nil])])
        XCTAssertEqual(chart.table.header, ["", "Школа, %", "Регион, %"])
        XCTAssertEqual(chart.table.textRows(notes: []), [["Математика", "64,3", "—"]])
    }
}
