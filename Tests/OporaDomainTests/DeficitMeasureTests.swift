import OporaDomain
import XCTest

/// The support cycle's wording for a ВПР deficit: one measure per requirement, dated within the year, naming where.
final class DeficitMeasureTests: XCTestCase {
    func testTheMeasureNamesTheRequirementTheTasksAndADeadlineTheReaderDates() {
        let cases: [(requirement: String, places: [String], year: Int, text: String, deadline: String)] = [
            ("Умение решать текстовые задачи", ["5 класс, математика: № 2"], 2023,
             "Коррекция дефицита «Умение решать текстовые задачи» (ВПР: 5 класс, математика: № 2)", "до 31.12.2023"),
            ("Геометрия", [], 2024, "Коррекция дефицита «Геометрия»:", "до 31.12.2024"),
        ]
        for item in cases {
            let measure = DeficitMeasure.measure(requirement: item.requirement, where: item.places, year: item.year)
            XCTAssertTrue(measure.text.hasPrefix(item.text), measure.text)
            XCTAssertEqual(measure.deadline, item.deadline)
            let period: DatePeriod = CalendarDay(year: item.year, month: 1, day: 1)...CalendarDay(year: item.year, month: 12, day: 31)
            let read = DeadlineReader.read(measure.deadline, period: period)
            XCTAssertEqual(read.due, [CalendarDay(year: item.year, month: 12, day: 31)], "a date the roadmap reads")
        }
        XCTAssertEqual(DeficitMeasure.teacherDeficit(requirement: "Геометрия"), "Методика формирования умения «Геометрия»")
        XCTAssertTrue(DeficitMeasure.courseTitle(requirement: "Геометрия").contains("«Геометрия»"))
    }
}

extension DeficitMeasureTests {
    func testTheCommonDeficitsCountEachSchoolOnceMostSchoolsFirst() {
        let common = DeficitMeasure.common([
            1: ["Геометрия", "Текстовые задачи", "Геометрия"],
            2: ["Текстовые задачи"],
            3: ["Текстовые задачи", "Вычисления"],
        ])
        XCTAssertEqual(common.map(\.requirement), ["Текстовые задачи", "Вычисления", "Геометрия"])
        XCTAssertEqual(common.map(\.schools), [[1, 2, 3], [3], [1]])
        XCTAssertTrue(DeficitMeasure.common([:]).isEmpty)
    }
}
