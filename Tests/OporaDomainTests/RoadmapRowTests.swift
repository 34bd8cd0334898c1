import XCTest
@testable import OporaDomain

/// Where a roadmap's measure stands today: the rule the roadmap page, its exports and the command line share.
final class RoadmapRowTests: XCTestCase {
    let period = CalendarDay(year: 2023, month: 1, day: 1)...CalendarDay(year: 2025, month: 12, day: 31)

    func stored(_ id: Int, _ deadline: String, status: MeasureStatus = .planned) -> RoadmapRow.Stored {
        RoadmapRow.Stored(id: id, version: 1, measure: RoadmapMeasure(section: "", number: "\(id)", measure: "Мера \(id)",
                                                                       deadline: deadline, status: status),
                          result: nil, comment: nil, evidence: nil)
    }

    func testProgressAndWhatIsDueAreReadFromTheDeadlineAsWritten() {
        let today = CalendarDay(year: 2024, month: 9, day: 11)
        let rows = RoadmapRow.read([stored(1, "до 10.09.2024"), stored(2, "до 10.09.2024", status: .done),
                                    stored(3, "по согласованию"), stored(4, "Ежемесячно")], period: period, today: today)
        XCTAssertEqual(rows.map(\.progress), [.overdue, .done, rows[2].progress, rows[3].progress])
        XCTAssertEqual(rows[0].dueText, "10.09.2024")
        XCTAssertFalse(rows[0].needsDate)
        XCTAssertTrue(rows[2].needsDate, "an unreadable deadline waits for a date")
        XCTAssertEqual(rows[3].reading.due.count, 36)
        XCTAssertEqual(rows[3].dueText, "31.01.2023, 28.02.2023 … 31.12.2025 (36 сроков)")
        XCTAssertEqual(rows[3].nextDue(after: today), CalendarDay(year: 2024, month: 9, day: 30))
    }
}
