import OporaDomain
import XCTest

/// Deadlines as the seed programmes write them, read into kinds and due dates (CONTRACT.md, `roadmap`).
final class DeadlineTests: XCTestCase {
    func days(_ list: String) -> [CalendarDay] {
        list.split(separator: " ").map { CalendarDay(parsing: String($0))! }
    }

    func testDeadlinesOfTheSeedProgrammes() {
        let period = DatePeriod.calendarYears(2023...2025)
        let cases: [(text: String, year: Int?, kind: Deadline.Kind, due: String)] = [
            ("До 10.09.2024", nil, .date, "10.09.2024"),
            // Seed 004's 2024–2025 roadmap: the second week ends on the 14th.
            ("2 неделя февраля 2024, 2 неделя февраля 2025", nil, .date, "14.02.2024 14.02.2025"),
            ("вторая неделя марта", 2024, .date, "14.03.2024"),
            ("в соответствии с планом ИРО", nil, .schedule, ""),
            ("2023-2025 гг. в соответствии с ежегодным планом повышения квалификации ОО, ИРО", nil, .date, "31.12.2025"),
            ("До 23.10.2024 до 25.10.2025", nil, .date, "23.10.2024 25.10.2025"),
            ("4 квартал", 2024, .date, "31.12.2024"),
            ("До 30.12.2023", nil, .date, "30.12.2023"),
            ("18.03.2024", nil, .date, "18.03.2024"),
            ("29.04. 2024  года", nil, .date, "29.04.2024"),
            ("01.06. 2024- 20.06.2024  года", nil, .date, "20.06.2024"),
            ("до 25 марта", 2024, .date, "25.03.2024"),
            ("до 25 марта", nil, .date, "25.03.2023 25.03.2024 25.03.2025"),
            ("Август 2023 г.", nil, .date, "31.08.2023"),
            ("февраль", 2024, .date, "29.02.2024"),
            ("Январь-май", 2024, .date, "31.05.2024"),
            ("Январь- май.", 2023, .date, "31.05.2023"),
            ("март, октябрь, ноябрь", 2024, .date, "31.03.2024 31.10.2024 30.11.2024"),
            ("Октябрь Февраль", 2025, .date, "28.02.2025 31.10.2025"),
            ("ноябрь - декабрь 2024 года", nil, .date, "31.12.2024"),
            ("с апреля по ноябрь 2024 года", nil, .date, "30.11.2024"),
            ("апрель, 2024г.", nil, .date, "30.04.2024"),
            ("До апреля 2023 года", nil, .date, "30.04.2023"),
            ("Январь 2023 г. Январь 2024 г. Январь 2025 г.", nil, .date, "31.01.2023 31.01.2024 31.01.2025"),
            ("октябрь 2024 октябрь 2025", nil, .date, "31.10.2024 31.10.2025"),
            ("2023 год 2024 год 2025 год", nil, .date, "31.12.2023 31.12.2024 31.12.2025"),
            ("2023 -2025 гг.", nil, .date, "31.12.2025"),
            ("2024-2025гг.", nil, .date, "31.12.2025"),
            ("запланировано в 2024 г.", nil, .date, "31.12.2024"),
            ("2022-23", nil, .date, "31.12.2023"),
            ("1 квартал 2024 года", nil, .date, "31.03.2024"),
            ("IV квартал", 2024, .date, "31.12.2024"),
            ("2-е полугодие 2023", nil, .date, "31.12.2023"),
            ("первое полугодие", 2025, .date, "30.06.2025"),
            ("ежеквартально", 2024, .recurring, "31.03.2024 30.06.2024 30.09.2024 31.12.2024"),
            ("1 раз в год", nil, .recurring, "31.12.2023 31.12.2024 31.12.2025"),
            ("Один раз в год", 2024, .recurring, "31.12.2024"),
            ("Два раза в год", 2024, .recurring, "30.06.2024 31.12.2024"),
            (
                "1 раз в месяц", 2025, .recurring,
                "31.01.2025 28.02.2025 31.03.2025 30.04.2025 31.05.2025 30.06.2025 31.07.2025 31.08.2025 30.09.2025 31.10.2025 " +
                "30.11.2025 31.12.2025"
            ),
            ("раз в полугодие", 2024, .recurring, "30.06.2024 31.12.2024"),
            ("Ежегодно", nil, .recurring, "31.12.2023 31.12.2024 31.12.2025"),
            ("Ежегодное проведение:", 2025, .recurring, "31.12.2025"),
            ("16-18.10.2024", nil, .date, "18.10.2024"),
            ("До 01.11.2024 до 01.11.2025", nil, .date, "01.11.2024 01.11.2025"),
            ("До 31.03.", 2024, .date, "31.03.2024"),
            ("до 2 декабря 2024", nil, .date, "02.12.2024"),
            ("4 квартал 2024 2 квартал 2025", nil, .date, "31.12.2024 30.06.2025"),
            ("в течение уч.года", nil, .continuous, ""),
            ("в течение уч. года", nil, .continuous, ""),
            ("В течение\tгода.", nil, .continuous, ""),
            ("по итогам РКР, ВПР, итогового сочинения", nil, .event, ""),
            ("По графику", nil, .schedule, ""),
            ("Январь 2024 ( далее – ежемесячно)", nil, .recurring, ""),
            ("Ежемесячно", nil, .recurring, ""),   // checked below: 36 month ends
            ("Второй вторник месяца 2023-2025 гг.", nil, .recurring, ""),
            ("Постоянно", nil, .continuous, ""),
            ("В течение года", nil, .continuous, ""),
            ("В течение учебного года", nil, .continuous, ""),
            ("Постоянно, в течение всего периода", nil, .continuous, ""),
            ("с мая 2024 года", nil, .continuous, ""),
            ("по отдельному графику", nil, .schedule, ""),
            ("2023-2025гг. по плану Управления образования", nil, .schedule, ""),
            ("Ежегодно по графику ОО", nil, .schedule, ""),
            ("В весенние школьные каникулы 2023 г. 2024 г. 2025 г.", nil, .schedule, ""),
            ("по итогам ВПР", nil, .event, ""),
            ("При тарификации пед. кадров", nil, .event, ""),
            ("в период после снятия ограничительных мер", nil, .event, ""),
            ("По необходимости", nil, .onDemand, ""),
            ("Декабрь 202", nil, .unparsed, ""),
            ("Оценка ИКТ-компетенций, март 2022:", nil, .unparsed, ""),
            ("", nil, .unparsed, ""),
            ("31.02.2024", nil, .unparsed, ""),
        ]
        for (text, year, kind, due) in cases {
            let deadline = DeadlineReader.read(text, year: year, period: period)
            XCTAssertEqual(deadline.kind, kind, text)
            XCTAssertEqual(deadline.text, text)
            if !due.isEmpty || kind != .recurring { XCTAssertEqual(deadline.due, days(due), text) }
        }
        XCTAssertEqual(DeadlineReader.read("Ежемесячно", period: period).due.count, 36)
        XCTAssertEqual(DeadlineReader.read("Ежемесячно", period: period).due.first, CalendarDay(year: 2023, month: 1, day: 31))
        let tuesdays = DeadlineReader.read("Второй вторник месяца 2023-2025 гг.", period: period).due
        XCTAssertEqual(tuesdays.count, 36)
        XCTAssertEqual(tuesdays.prefix(3).map(\.russian), ["10.01.2023", "14.02.2023", "14.03.2023"])
        XCTAssertTrue(tuesdays.allSatisfy { $0.weekday == 2 })
        XCTAssertEqual(DeadlineReader.read("Третий четверг месяца", year: 2024, period: period).due.first?.russian, "18.01.2024")
    }

    func testDueDatesOutsideThePeriodAreLeftOut() {
        XCTAssertEqual(DeadlineReader.read("До 30.12.2022", period: .calendarYears(2023...2025)).due, [])
        XCTAssertEqual(DeadlineReader.read("2022-2024", period: .calendarYears(2023...2025)).due.map(\.russian), ["31.12.2024"])
        XCTAssertEqual(DeadlineReader.read("октябрь 2022 октябрь 2023", period: .calendarYears(2023...2025)).due.map(\.russian),
                       ["31.10.2023"])
    }

    func testCalendarDays() {
        XCTAssertEqual(CalendarDay(parsing: "28.02.2023")?.iso, "2023-02-28")
        XCTAssertEqual(CalendarDay(parsing: "2024-09-10")?.russian, "10.09.2024")
        XCTAssertNil(CalendarDay(parsing: "29.02.2023"))
        XCTAssertNil(CalendarDay(parsing: "10.09.24"))
        XCTAssertNil(CalendarDay(parsing: "вчера"))
        // One range for every date a person enters: 2000–2100 (a year 99999 was taken for an order's date).
        for outside in ["31.12.99999", "1999-12-31", "01.01.2101", "2023--01", "01..2023", "-1.01.2023"] {
            XCTAssertNil(CalendarDay(parsing: outside), outside)
            XCTAssertNil(RussianFormat.parseDate(outside), outside)
        }
        XCTAssertEqual(CalendarDay(parsing: "01.01.2000")?.iso, "2000-01-01")
        XCTAssertEqual(CalendarDay(parsing: "2100-12-31")?.russian, "31.12.2100")
        XCTAssertEqual(RussianFormat.parseDate("28.02.2023").map(RussianFormat.date), "28.02.2023")
        XCTAssertEqual(CalendarDay.lastDay(month: 2, year: 2024).day, 29)
        XCTAssertEqual(CalendarDay.lastDay(month: 2, year: 2100).day, 28)
        XCTAssertEqual(CalendarDay(year: 2026, month: 11, day: 23).weekday, 1)   // a Monday
        XCTAssertEqual(CalendarDay.nthWeekday(-1, weekday: 5, month: 11, year: 2026).russian, "27.11.2026")
    }
}
