import OporaDomain
import XCTest

/// Deadlines read within a programme's start and end dates (CONTRACT.md, `opora roadmap`): the forms issue 25 found
/// misread, and every rule of the contract's paragraph.
final class DeadlinePeriodTests: XCTestCase {
    typealias Case = (text: String, year: Int?, kind: Deadline.Kind, due: String)

    static func day(_ text: String) -> CalendarDay { CalendarDay(parsing: text)! }
    static func days(_ list: String) -> [CalendarDay] { list.split(separator: " ").map { day(String($0)) } }
    static func period(_ from: String, _ to: String) -> DatePeriod { day(from)...day(to) }

    /// A programme 2023–2025 and a plan «на 2023-2024 учебный год» (September to August).
    static let threeYears = period("01.01.2023", "31.12.2025")
    static let academicYear = period("01.09.2023", "31.08.2024")

    func check(_ cases: [Case], period: DatePeriod, file: StaticString = #filePath, line: UInt = #line) {
        for (text, year, kind, due) in cases {
            let deadline = DeadlineReader.read(text, year: year, period: period)
            XCTAssertEqual(deadline.kind, kind, "«\(text)»", file: file, line: line)
            XCTAssertEqual(deadline.due, Self.days(due), "«\(text)»", file: file, line: line)
            XCTAssertEqual(deadline.text, text, file: file, line: line)
        }
    }

    func testTheFormsIssue25FoundMisread() {
        let months2024 = (1...12).map { CalendarDay.lastDay(month: $0, year: 2024).russian }
        let months2025 = (1...12).map { CalendarDay.lastDay(month: $0, year: 2025).russian }
        check([
            ("Ежегодно в мае", nil, .recurring, "31.05.2023 31.05.2024 31.05.2025"),
            ("Ежегодно до 1 сентября", nil, .recurring, "01.09.2023 01.09.2024 01.09.2025"),
            ("1 декада сентября 2024", nil, .date, "10.09.2024"),
            ("До 30.12.2022", nil, .date, ""),
            ("Январь 2024 (далее ежемесячно)", nil, .recurring, (months2024 + months2025).joined(separator: " ")),
        ], period: Self.threeYears)
        let twentyFifths = DeadlineReader.read("до 25 числа каждого месяца", period: Self.threeYears)
        XCTAssertEqual(twentyFifths.kind, .recurring)
        XCTAssertEqual(twentyFifths.due.count, 36)
        XCTAssertTrue(twentyFifths.due.allSatisfy { $0.day == 25 })
        XCTAssertEqual(twentyFifths.due.first, Self.day("25.01.2023"))
        // «На 2023-2024 учебный год»: March is March 2024 and December is December 2023, nothing else.
        check([
            ("март", nil, .date, "31.03.2024"),
            ("декабрь", nil, .date, "31.12.2023"),
        ], period: Self.academicYear)
    }

    func testADatedDeadlineOutsideThePeriodIsReportedNotDropped() {
        let early = DeadlineReader.read("До 30.12.2022", period: Self.threeYears)
        XCTAssertEqual(early.due, [])
        XCTAssertEqual(early.outside, [Self.day("30.12.2022")])
        let partly = DeadlineReader.read("октябрь 2022 октябрь 2023", period: Self.threeYears)
        XCTAssertEqual(partly.due, [Self.day("31.10.2023")])
        XCTAssertEqual(partly.outside, [Self.day("31.10.2022")])
        // Seed 000's plan «на 2023-2024 учебный год» dates some measures in the spring before it starts.
        XCTAssertEqual(DeadlineReader.read("Февраль- март 2023", period: Self.academicYear).outside, [Self.day("31.03.2023")])
        // A row's year outside the period dates its deadline outside too.
        XCTAssertEqual(DeadlineReader.read("январь", year: 2022, period: Self.threeYears).outside, [Self.day("31.01.2022")])
        // Forms without a year fall in every year where they lie inside the period: nothing is outside.
        XCTAssertEqual(DeadlineReader.read("сентябрь-октябрь", period: Self.academicYear).outside, [])
        XCTAssertEqual(DeadlineReader.read("Ежемесячно", period: Self.academicYear).outside, [])
    }

    func testEveryRuleOfTheContract() {
        check([
            // A date is itself; «до DATE» is DATE; a range of dates ends on its last day.
            ("18.03.2024", nil, .date, "18.03.2024"),
            ("до 15.10.2024", nil, .date, "15.10.2024"),
            ("01.06.2024 - 20.06.2024", nil, .date, "20.06.2024"),
            ("с 01.02.2024 по 15.03.2024", nil, .date, "15.03.2024"),
            // A month, a range or list of months, a quarter, a half-year, a year ends on its last day.
            ("февраль 2024", nil, .date, "29.02.2024"),
            ("март - апрель 2024", nil, .date, "30.04.2024"),
            ("май, октябрь 2024", nil, .date, "31.05.2024 31.10.2024"),
            ("2 квартал 2024", nil, .date, "30.06.2024"),
            ("II полугодие 2024 года", nil, .date, "31.12.2024"),
            ("2024 год", nil, .date, "31.12.2024"),
            // Decades end on the 10th, the 20th or the month's last day.
            ("1 декада сентября 2024", nil, .date, "10.09.2024"),
            ("вторая декада октября 2024", nil, .date, "20.10.2024"),
            ("3 декада февраля 2024", nil, .date, "29.02.2024"),
            ("I декада марта", 2025, .date, "10.03.2025"),
            // A week of a month ends on its last day.
            ("2 неделя февраля 2024", nil, .date, "14.02.2024"),
            ("1-я неделя апреля 2024", nil, .date, "07.04.2024"),
            ("последняя неделя февраля 2024", nil, .date, "29.02.2024"),
            ("последняя неделя августа", 2025, .date, "31.08.2025"),
            // An academic year ends on 31 August of its second year.
            ("2023-2024 учебный год", nil, .date, "31.08.2024"),
            ("2024/2025 уч. год", nil, .date, "31.08.2025"),
            ("2023- 2024 учебный год", nil, .date, "31.08.2024"),
            ("2024-25 учебного года", nil, .date, "31.08.2025"),
            // Without a year: the row's year, else every year of the period.
            ("4 квартал", 2024, .date, "31.12.2024"),
            ("4 квартал", nil, .date, "31.12.2023 31.12.2024 31.12.2025"),
            ("январь-март", nil, .date, "31.03.2023 31.03.2024 31.03.2025"),
            // «Ежегодно в мае» / «ежегодно до 1 сентября» in every year of the period.
            ("ежегодно в мае", 2024, .recurring, "31.05.2024"),
            ("Ежегодно, до 1 сентября", nil, .recurring, "01.09.2023 01.09.2024 01.09.2025"),
            ("ежегодно в апреле и октябре", nil, .recurring, "30.04.2023 31.10.2023 30.04.2024 31.10.2024 30.04.2025 31.10.2025"),
            ("Ежегодно", nil, .recurring, "31.12.2023 31.12.2024 31.12.2025"),
            // Quarterly and monthly end each quarter / month; «до N числа каждого месяца» on that day.
            ("ежеквартально", 2025, .recurring, "31.03.2025 30.06.2025 30.09.2025 31.12.2025"),
            ("до 5 числа каждого месяца", 2024, .recurring,
             (1...12).map { CalendarDay(year: 2024, month: $0, day: 5).russian }.joined(separator: " ")),
            ("Январь 2025 (далее ежеквартально)", nil, .recurring, "31.01.2025 31.03.2025 30.06.2025 30.09.2025 31.12.2025"),
        ], period: Self.threeYears)
        // The 31st of every month is the month's last day where it has fewer.
        let ends = DeadlineReader.read("до 31 числа каждого месяца", year: 2024, period: Self.threeYears).due
        XCTAssertEqual(ends.count, 12)
        XCTAssertEqual(ends[1], Self.day("29.02.2024"))
        // An n-th weekday is that day in every month of the period.
        let mondays = DeadlineReader.read("первый понедельник месяца", period: Self.academicYear)
        XCTAssertEqual(mondays.kind, .recurring)
        XCTAssertEqual(mondays.due.count, 12)
        XCTAssertEqual(mondays.due.first, Self.day("04.09.2023"))
        XCTAssertEqual(mondays.due.last, Self.day("05.08.2024"))
        XCTAssertTrue(mondays.due.allSatisfy { $0.weekday == 1 })
        let fridays = DeadlineReader.read("Третья пятница месяца 2024 - 2025 гг.", period: Self.threeYears).due
        XCTAssertEqual(fridays.count, 24)
        XCTAssertTrue(fridays.allSatisfy { $0.weekday == 5 && (15...21).contains($0.day) })
    }

    /// Forms no seed prints but an official may write, and CONTRACT's other date form.
    func testOtherWaysOfWritingTheSameDates() {
        check([
            ("2024-09-10", nil, .date, "10.09.2024"),
            ("до 2024-09-10", nil, .date, "10.09.2024"),
            ("2024-02-01 – 2024-03-15", nil, .date, "15.03.2024"),
            ("до 01.09.24", nil, .date, "01.09.2024"),
            ("до конца 2024 года", nil, .date, "31.12.2024"),
            ("конец сентября 2024", nil, .date, "30.09.2024"),
            ("2 раза в год (май, декабрь)", 2024, .recurring, "31.05.2024 31.12.2024"),
            ("ежемесячно до 5 числа", 2025, .recurring,
             (1...12).map { CalendarDay(year: 2025, month: $0, day: 5).russian }.joined(separator: " ")),
            ("каждый понедельник", nil, .recurring, ""),
            ("вторник, четверг", nil, .unparsed, ""),
            ("второй вторник марта 2024", nil, .date, "12.03.2024"),
            ("последняя пятница августа", 2025, .date, "29.08.2025"),
            ("каждый второй вторник", 2024, .recurring,
             "09.01.2024 13.02.2024 12.03.2024 09.04.2024 14.05.2024 11.06.2024 09.07.2024 13.08.2024 10.09.2024 08.10.2024 12.11.2024 "
                + "10.12.2024"),
            ("последняя пятница каждого месяца", 2024, .recurring,
             "26.01.2024 23.02.2024 29.03.2024 26.04.2024 31.05.2024 28.06.2024 26.07.2024 30.08.2024 27.09.2024 25.10.2024 29.11.2024 "
                + "27.12.2024"),
        ], period: Self.threeYears)
    }

    func testAPlanForOneAcademicYearKeepsItsDatesBetweenSeptemberAndAugust() {
        check([
            ("ежемесячно", nil, .recurring,
             "30.09.2023 31.10.2023 30.11.2023 31.12.2023 31.01.2024 29.02.2024 31.03.2024 30.04.2024 31.05.2024 30.06.2024 31.07.2024 "
                + "31.08.2024"),
            ("ежеквартально", nil, .recurring, "30.09.2023 31.12.2023 31.03.2024 30.06.2024"),
            ("Ежегодно в мае", nil, .recurring, "31.05.2024"),
            ("сентябрь-октябрь", nil, .date, "31.10.2023"),
            ("август, ноябрь, март", nil, .date, "30.11.2023 31.03.2024 31.08.2024"),
            ("2023-2024 учебный год", nil, .date, "31.08.2024"),
            ("в течение уч. года", nil, .continuous, ""),
        ], period: Self.academicYear)
    }
}
