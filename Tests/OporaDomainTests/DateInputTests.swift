import OporaDomain
import XCTest

final class DateInputTests: XCTestCase {
    func testTypedDatesAreReadOrExplained() {
        let cases: [(typed: String?, expected: DateInput)] = [
            (nil, .empty),
            ("  ", .empty),
            ("28.02.2023", .day(CalendarDay(year: 2023, month: 2, day: 28))),
            ("2023-02-28", .day(CalendarDay(year: 2023, month: 2, day: 28))),
            (" 29.02.2024 ", .day(CalendarDay(year: 2024, month: 2, day: 29))),
            ("31.02.2024", .problem("«31.02.2024» — такой даты нет: в феврале 2024 года 29 дней")),
            ("29.02.2023", .problem("«29.02.2023» — такой даты нет: в феврале 2023 года 28 дней")),
            ("31.04.2025", .problem("«31.04.2025» — такой даты нет: в апреле 2025 года 30 дней")),
            ("2025-06-31", .problem("«2025-06-31» — такой даты нет: в июне 2025 года 30 дней")),
            ("01.13.2024", .problem("«01.13.2024» — такой даты нет: месяц 13, а месяцев 12")),
            ("31.12.99999", .problem("год 99999 вне допустимого: с 2000 по 2100")),
            ("01.01.1999", .problem("год 1999 вне допустимого: с 2000 по 2100")),
            ("завтра", .problem("«завтра» — не дата: введите ДД.ММ.ГГГГ, например 28.02.2025")),
            ("1.2", .problem("«1.2» — не дата: введите ДД.ММ.ГГГГ, например 28.02.2025")),
        ]
        for (typed, expected) in cases {
            XCTAssertEqual(DateInput(typed), expected, "\(typed ?? "nil")")
        }
    }

    func testDatesFarFromTodayAreRefusedOrAskedAbout() {
        let today = CalendarDay(year: 2026, month: 12, day: 6)
        func day(_ y: Int, _ m: Int, _ d: Int) -> CalendarDay { CalendarDay(year: y, month: m, day: d) }
        // A visit in 2030 cannot have been held; a decision due in 2020 is already past and is asked about.
        XCTAssertEqual(DateExpectation.happened.problem(day(2030, 3, 12), today: today),
                       "12.03.2030 ещё не наступило (сегодня 06.12.2026)")
        XCTAssertNil(DateExpectation.happened.problem(today, today: today))
        XCTAssertNil(DateExpectation.due.problem(day(2030, 3, 12), today: today))
        let warnings: [(DateExpectation, CalendarDay, String?)] = [
            (.due, day(2020, 5, 1), "срок 01.05.2020 уже прошёл (сегодня 06.12.2026)"),
            (.due, day(2026, 12, 6), nil),
            (.due, day(2027, 6, 1), nil),
            (.due, day(2029, 12, 5), nil),
            (.due, day(2029, 12, 6), "06.12.2029 — далеко от сегодняшнего дня (06.12.2026); проверьте год"),
            (.happened, day(2024, 12, 7), nil),
            (.happened, day(2024, 12, 6), "06.12.2024 — больше двух лет назад; проверьте год"),
            (.any, day(2023, 12, 7), nil),
            (.any, day(2023, 12, 6), "06.12.2023 — далеко от сегодняшнего дня (06.12.2026); проверьте год"),
            (.any, day(2031, 1, 1), "01.01.2031 — далеко от сегодняшнего дня (06.12.2026); проверьте год"),
        ]
        for (expectation, typed, expected) in warnings {
            XCTAssertEqual(expectation.warning(typed, today: today), expected, "\(expectation) \(typed)")
        }
    }
}
