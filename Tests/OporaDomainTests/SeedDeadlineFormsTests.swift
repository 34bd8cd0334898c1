import OporaDomain
import XCTest

/// Every deadline form the five seeds print, read within the seed programme's own period, with the kind and due
/// dates CONTRACT.md (`opora roadmap`) gives it. Texts are as printed, line breaks of the cells included.
final class SeedDeadlineFormsTests: XCTestCase {
    typealias Case = DeadlinePeriodTests.Case

    func check(_ cases: [Case], period: DatePeriod, file: StaticString = #filePath, line: UInt = #line) {
        for (text, year, kind, due) in cases {
            let deadline = DeadlineReader.read(text, year: year, period: period)
            XCTAssertEqual(deadline.kind, kind, "«\(text)»", file: file, line: line)
            XCTAssertEqual(deadline.due, DeadlinePeriodTests.days(due), "«\(text)»", file: file, line: line)
        }
    }

    /// Patterns with many dates: how many, the first and the last.
    func checkSeries(_ cases: [(text: String, year: Int?, count: Int, first: String, last: String)], period: DatePeriod,
                     file: StaticString = #filePath, line: UInt = #line) {
        for (text, year, count, first, last) in cases {
            let deadline = DeadlineReader.read(text, year: year, period: period)
            XCTAssertEqual(deadline.kind, .recurring, "«\(text)»", file: file, line: line)
            XCTAssertEqual(deadline.due.count, count, "«\(text)»", file: file, line: line)
            XCTAssertEqual(deadline.due.first?.russian, first, "«\(text)»", file: file, line: line)
            XCTAssertEqual(deadline.due.last?.russian, last, "«\(text)»", file: file, line: line)
        }
    }

    /// Seed 000: Чернский район, «на 2023-2024 учебный год» (01.09.2023–31.08.2024); its spring 2023 dates lie before
    /// the period and are reported by the import (`outside`), not read into it.
    func testSeed000AcademicYearPlan() {
        let period = DeadlinePeriodTests.academicYear
        check([
            ("2023- 2024 учебный год", nil, .date, "31.08.2024"),
            ("Февраль- март 2023", nil, .date, ""),
            ("Февраль-март 2023", nil, .date, ""),
            ("февраль 2023", nil, .date, ""),
            ("Апрель 2023", nil, .date, ""),
            ("Апрель-май 2023", nil, .date, ""),
            ("Май 2023", nil, .date, ""),
            ("май 2023", nil, .date, ""),
            ("июнь 2023", nil, .date, ""),
            ("сентябрь-октябрь", nil, .date, "31.10.2023"),
            ("сентябрь 2023", nil, .date, "30.09.2023"),
            ("октябрь 2023", nil, .date, "31.10.2023"),
            ("в течение уч. года", nil, .continuous, ""),
            ("в течение уч.года", nil, .continuous, ""),
            ("по итогам РКР, ВПР, итогового сочинения", nil, .event, ""),
            ("август, ноябрь, март", nil, .date, "30.11.2023 31.03.2024 31.08.2024"),
            ("февраль\nмарт\nапрель", nil, .date, "29.02.2024 31.03.2024 30.04.2024"),
            ("август\nоктябрь\nфевраль\nмарт", nil, .date, "31.10.2023 29.02.2024 31.03.2024 31.08.2024"),
            ("август\nноябрь\nмарт", nil, .date, "30.11.2023 31.03.2024 31.08.2024"),
            ("по отдельному плану", nil, .schedule, ""),
            ("июль-ноябрь\nавгуст\n\nмарт", nil, .date, "30.11.2023 31.03.2024 31.08.2024"),
            ("ноябрь, январь, апрель, июнь", nil, .date, "30.11.2023 31.01.2024 30.04.2024 30.06.2024"),
        ], period: period)
        XCTAssertEqual(DeadlineReader.read("Февраль- март 2023", period: period).outside.map(\.russian), ["31.03.2023"])
        XCTAssertEqual(DeadlineReader.read("июнь 2023", period: period).outside.map(\.russian), ["30.06.2023"])
    }

    /// Seed 001: Урванский район, «на 2021 год».
    func testSeed001PlanFor2021() {
        check([
            ("на 2021 год", nil, .date, "31.12.2021"),
            ("Январь", nil, .date, "31.01.2021"),
            ("февраль", nil, .date, "28.02.2021"),
            ("Январь-февраль", nil, .date, "28.02.2021"),
            ("Январь-февраль 2021г.", nil, .date, "28.02.2021"),
            ("Январь-февраль 2021г", nil, .date, "28.02.2021"),
            ("Январь 2021г.", nil, .date, "31.01.2021"),
            ("Январь- май", nil, .date, "31.05.2021"),
            ("Январь-май", nil, .date, "31.05.2021"),
            ("Январь-май.", nil, .date, "31.05.2021"),
            ("Февраль-май", nil, .date, "31.05.2021"),
            ("Апрель-май", nil, .date, "31.05.2021"),
            ("апрель.", nil, .date, "30.04.2021"),
            ("Март", nil, .date, "31.03.2021"),
            ("Май", nil, .date, "31.05.2021"),
            ("Июнь-июль", nil, .date, "31.07.2021"),
            ("Март, 2021г.", nil, .date, "31.03.2021"),
            ("апрель, 2021г.", nil, .date, "30.04.2021"),
            ("Постоянно, в течение всего периода", nil, .continuous, ""),
            ("Постоянно, в течении всего периода", nil, .continuous, ""),
            ("в течение года", nil, .continuous, ""),
            ("В течение года.", nil, .continuous, ""),
            ("в период после снятия ограничительных мер в очной форме", nil, .event, ""),
            ("При тарификации пед. кадров", nil, .event, ""),
            ("по отдельному графику", nil, .schedule, ""),
            ("По графику", nil, .schedule, ""),
            // 3.8 prints no deadline: it waits for a date.
            ("", nil, .unparsed, ""),
        ], period: DeadlinePeriodTests.period("01.01.2021", "31.12.2021"))
    }

    /// Seed 002: Рязанская область, 2020–2022; the plan repeats per year under year headings, so rows carry a year.
    func testSeed002PlanRepeatedPerYear() {
        check([
            ("Январь-февраль", 2020, .date, "29.02.2020"),
            ("январь", 2021, .date, "31.01.2021"),
            ("февраль", 2022, .date, "28.02.2022"),
            ("февраль - март", 2020, .date, "31.03.2020"),
            ("март-апрель", 2021, .date, "30.04.2021"),
            ("с апреля", 2020, .continuous, ""),
            ("март, октябрь, ноябрь", 2020, .date, "31.03.2020 31.10.2020 30.11.2020"),
            ("апрель", 2022, .date, "30.04.2022"),
            ("октябрь-ноябрь", 2021, .date, "30.11.2021"),
            ("ежеквартально", 2022, .recurring, "31.03.2022 30.06.2022 30.09.2022 31.12.2022"),
            ("май, октябрь, ноябрь", 2021, .date, "31.05.2021 31.10.2021 30.11.2021"),
            ("апрель - май", 2020, .date, "31.05.2020"),
            ("май, сентябрь, ноябрь", 2022, .date, "31.05.2022 30.09.2022 30.11.2022"),
            ("апрель 2020 года", 2020, .date, "30.04.2020"),
            ("с мая 2021 года", 2021, .continuous, ""),
            ("с апреля по ноябрь 2022 года", 2022, .date, "30.11.2022"),
            ("апрель - октябрь 2020 года", 2020, .date, "31.10.2020"),
            ("ноябрь 2021 года", 2021, .date, "30.11.2021"),
            ("ноябрь - декабрь 2022 года", 2022, .date, "31.12.2022"),
        ], period: DeadlinePeriodTests.period("01.01.2020", "31.12.2022"))
    }

    /// Seed 003: Кемеровский МО, 2022–2024, with its «500+» roadmap for 2022.
    func testSeed003Programme() {
        let period = DeadlinePeriodTests.period("01.01.2022", "31.12.2024")
        check([
            ("2022 – 2024 годы", nil, .date, "31.12.2024"),
            ("1 квартал 2022 года", nil, .date, "31.03.2022"),
            ("4 квартал 2024 года", nil, .date, "31.12.2024"),
            ("до 31.12.2022 года", nil, .date, "31.12.2022"),
            ("30.05.2022 года", nil, .date, "30.05.2022"),
            ("1.11.2022 года", nil, .date, "01.11.2022"),
            ("2022", nil, .date, "31.12.2022"),
            ("2021", nil, .date, ""),
            ("2022-2024", nil, .date, "31.12.2024"),
            ("2022-23", nil, .date, "31.12.2023"),
            ("Декабрь 202", nil, .unparsed, ""),
            ("Январь 2022", nil, .date, "31.01.2022"),
            ("Февраль 2022", nil, .date, "28.02.2022"),
            ("до 25 марта", nil, .date, "25.03.2022 25.03.2023 25.03.2024"),
            ("По необходимости", nil, .onDemand, ""),
            ("По  \nнеобходимо сти", nil, .onDemand, ""),
            ("Март 2022 г", nil, .date, "31.03.2022"),
            ("До 31.03.\n2022  \nгода", nil, .date, "31.03.2022"),
            ("Апрель  \n2022 года", nil, .date, "30.04.2022"),
            ("До  \n29.04. 2022  года", nil, .date, "29.04.2022"),
            ("01.06. 2022- 20.06.2022  года", nil, .date, "20.06.2022"),
            ("30.05.2022- 13.06.2022  года", nil, .date, "13.06.2022"),
            ("Август \nсентябрь  \n2022 года", nil, .date, "31.08.2022 30.09.2022"),
            ("03.10. 2022- 14.10. 2022  года", nil, .date, "14.10.2022"),
            ("01.11. 2022  года", nil, .date, "01.11.2022"),
            ("01.11. 2022- 15.11. 2022  года", nil, .date, "15.11.2022"),
            ("20.12. 2022  года", nil, .date, "20.12.2022"),
            ("ежегодно", nil, .recurring, "31.12.2022 31.12.2023 31.12.2024"),
            ("Ежегодно", nil, .recurring, "31.12.2022 31.12.2023 31.12.2024"),
            ("1 раз в год", nil, .recurring, "31.12.2022 31.12.2023 31.12.2024"),
            ("Постоянно", nil, .continuous, ""),
            ("В течение года", nil, .continuous, ""),
            ("Ежегодно по плану МОУО и МКУ «ЦРО», ОО", nil, .schedule, ""),
            ("Ежегодно по графику ОО", nil, .schedule, ""),
            ("Ежегодно по графику УО, ТГПР, ОО", nil, .schedule, ""),
            ("Ежегодно по\nплану УО", nil, .schedule, ""),
            ("плану УО", nil, .schedule, ""),
            ("плану МОУО", nil, .schedule, ""),
            ("по\tплану УО", nil, .schedule, ""),
            ("июнь", nil, .date, "30.06.2022 30.06.2023 30.06.2024"),
            ("Август", nil, .date, "31.08.2022 31.08.2023 31.08.2024"),
        ], period: period)
        checkSeries([("Январь 2022 ( далее – ежемесячно)", nil, 36, "31.01.2022", "31.12.2024")], period: period)
        XCTAssertEqual(DeadlineReader.read("2021", period: period).outside.map(\.russian), ["31.12.2021"])
    }

    /// Seed 004: Первоуральск, 2023–2025: both roadmaps (2023–2025 and 2024–2025).
    func testSeed004Roadmaps() {
        let period = DeadlinePeriodTests.threeYears
        check([
            ("Октябрь Май", nil, .date, "31.05.2023 31.10.2023 31.05.2024 31.10.2024 31.05.2025 31.10.2025"),
            ("Ноябрь-декабрь", nil, .date, "31.12.2023 31.12.2024 31.12.2025"),
            ("Январь", nil, .date, "31.01.2023 31.01.2024 31.01.2025"),
            ("До апреля 2023 года", nil, .date, "30.04.2023"),
            ("2023 год 2024 год", nil, .date, "31.12.2023 31.12.2024"),
            ("2025 год", nil, .date, "31.12.2025"),
            ("2023 год 2024 год 2025 год", nil, .date, "31.12.2023 31.12.2024 31.12.2025"),
            ("февраль 2024 февраль 2025", nil, .date, "29.02.2024 28.02.2025"),
            ("Сентябрь 2023 сентябрь 2024 сентябрь 2025", nil, .date, "30.09.2023 30.09.2024 30.09.2025"),
            ("2023-2025гг.", nil, .date, "31.12.2025"),
            ("2023-2025 гг.", nil, .date, "31.12.2025"),
            ("2023 -2025 гг.", nil, .date, "31.12.2025"),
            ("2023 г.", nil, .date, "31.12.2023"),
            ("В течение периода", nil, .continuous, ""),
            ("Февраль 2023г. Февраль 2024г. Февраль 2025г.", nil, .date, "28.02.2023 29.02.2024 28.02.2025"),
            ("Январь 2023 г. Январь 2024 г. Январь 2025 г.", nil, .date, "31.01.2023 31.01.2024 31.01.2025"),
            ("Постоянно", nil, .continuous, ""),
            ("В весенние школьные каникулы 2023 г. 2024 г. 2025 г.", nil, .schedule, ""),
            ("2023-2025гг. по плану Управления образования", nil, .schedule, ""),
            ("Апрель 2023г", nil, .date, "30.04.2023"),
            ("Апрель 2023г. апрель 2024г.", nil, .date, "30.04.2023 30.04.2024"),
            ("апрель 2025г.", nil, .date, "30.04.2025"),
            ("2023-2025 гг. в соответствии с ежегодным планом повышения квалификации ОО, ИРО", nil, .date, "31.12.2025"),
            ("В течение учебного года", nil, .continuous, ""),
            ("2023/2024 учебный год", nil, .date, "31.08.2024"),
            ("До 30.12.2023", nil, .date, "30.12.2023"),
            ("Август 2023 г.", nil, .date, "31.08.2023"),
            // Cells the seed's text shifted into the deadline column: kept as written, for a person to date.
            ("ГАОУ ДПО СО «ИРО» (адресные программы)", nil, .unparsed, ""),
            ("https://eduprv.ru/wp-content/uploads/2022/09/1624852678-1.pdf", nil, .unparsed, ""),
            ("https://eduprv.ru/sistema-metodicheskoy-raboty/gorodskie-metodicheskie-obedineniya/", nil, .unparsed, ""),
            // The 2024–2025 roadmap.
            ("До 23.10.2024 до 25.10.2025", nil, .date, "23.10.2024 25.10.2025"),
            ("4 квартал", nil, .date, "31.12.2023 31.12.2024 31.12.2025"),
            ("Январь 2025", nil, .date, "31.01.2025"),
            ("до 15.10.2024", nil, .date, "15.10.2024"),
            ("сентябрь 2024", nil, .date, "30.09.2024"),
            ("до 02.09.2024", nil, .date, "02.09.2024"),
            ("до 01.04.2024 до 01.04.2025", nil, .date, "01.04.2024 01.04.2025"),
            ("2024 год 2025 год", nil, .date, "31.12.2024 31.12.2025"),
            ("2 неделя февраля 2024, 2 неделя февраля 2025", nil, .date, "14.02.2024 14.02.2025"),
            ("Сентябрь 2024 сентябрь 2025", nil, .date, "30.09.2024 30.09.2025"),
            ("до 2 декабря 2024", nil, .date, "02.12.2024"),
            ("До 10.09.2024", nil, .date, "10.09.2024"),
            ("2024-2025гг.", nil, .date, "31.12.2025"),
            ("2024-2025 гг.", nil, .date, "31.12.2025"),
            ("2024 -2025 гг.", nil, .date, "31.12.2025"),
            ("4 квартал 2024 2 квартал 2025", nil, .date, "31.12.2024 30.06.2025"),
            ("До 05.09.2024 до 05.09.2025", nil, .date, "05.09.2024 05.09.2025"),
            ("В весенние школьные каникулы 2024 г. 2025 г.", nil, .schedule, ""),
            ("октябрь 2024 октябрь 2025", nil, .date, "31.10.2024 31.10.2025"),
            ("До 30.12.2024 до 25.05.2025", nil, .date, "30.12.2024 25.05.2025"),
            ("До 01.11.2024 до 01.11.2025", nil, .date, "01.11.2024 01.11.2025"),
            ("Апрель 2024г. апрель 2025г.", nil, .date, "30.04.2024 30.04.2025"),
            ("до 01.09.2024", nil, .date, "01.09.2024"),
            ("16-18.10.2024", nil, .date, "18.10.2024"),
        ], period: period)
        checkSeries([
            ("Третий четверг месяца 2023-2025 гг.", nil, 36, "19.01.2023", "18.12.2025"),
            ("Второй вторник месяца 2023-2025 гг.", nil, 36, "10.01.2023", "09.12.2025"),
            ("Третий четверг месяца 2024-2025 гг.", nil, 24, "18.01.2024", "18.12.2025"),
            ("Второй вторник месяца 2024-2025 гг.", nil, 24, "09.01.2024", "09.12.2025"),
            ("Третья пятница месяца 2024 - 2025 гг.", nil, 24, "19.01.2024", "19.12.2025"),
            ("1 раз в месяц", nil, 36, "31.01.2023", "31.12.2025"),
        ], period: period)
    }
}
