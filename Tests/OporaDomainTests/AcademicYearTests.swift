import XCTest
@testable import OporaDomain

final class AcademicYearTests: XCTestCase {
    func testTheAcademicYearStartsOnTheFirstOfSeptember() {
        let cases: [(CalendarDay, String)] = [
            (CalendarDay(year: 2026, month: 12, day: 6), "2026/27"),
            (CalendarDay(year: 2026, month: 9, day: 1), "2026/27"),
            (CalendarDay(year: 2026, month: 8, day: 31), "2025/26"),
            (CalendarDay(year: 2027, month: 1, day: 1), "2026/27"),
            (CalendarDay(year: 2000, month: 5, day: 20), "1999/00"),
        ]
        for (day, label) in cases {
            XCTAssertEqual(AcademicYearLabel.containing(day).label, label, "\(day)")
        }
    }
}
