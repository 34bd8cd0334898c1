import Foundation
import OporaDomain
import XCTest

/// The seeds' plan tables as a person pastes them from Word (CONTRACT.md, `import roadmap FILE --programme CODE`):
/// their own column titles, headings and year headings, rows without a number or a deadline — every measure kept.
final class PrintedPlanTests: XCTestCase {
    func parse(_ fixture: String, programme: String = "P") throws -> (records: [RoadmapRecord], warnings: [ImportIssue]) {
        let table = try DelimitedTextReader.read(try RoadmapTests.fixture(fixture))
        return try ProgrammeFiles.parseRoadmap(table, file: fixture, programme: programme)
    }

    func testSeed002PlanWithYearHeadingsKeepsEveryYearsMeasures() throws {
        let (records, warnings) = try parse("ryazan-plan-2020-2022.csv", programme: "RZN")
        // 28 measures under each of «2020 год», «2021», «2022 год»: numbers 1–28 repeat and none replaces another.
        XCTAssertEqual(records.count, 84)
        XCTAssertEqual(Set(records.map(\.section)), ["2020 год", "2021", "2022 год"])
        XCTAssertEqual(Set(records.map(\.programme)), ["RZN"])
        XCTAssertEqual(records.filter { $0.number == "20" }.map(\.deadline), ["апрель 2020 года", "апрель 2021 года", "апрель 2022 года"])
        XCTAssertEqual(records.filter { $0.number == "1" }.map(\.year), [2020, 2021, 2022])
        // «Период» is the deadline and «Прогнозируемый результат» the result: no unknown column.
        XCTAssertFalse(warnings.contains { $0.line == 1 }, "\(warnings)")
        XCTAssertEqual(records.first?.result, "3")
        // The row of column numbers under the header is not a measure, and no row was renumbered.
        XCTAssertFalse(records.contains { $0.measure == "3" })
        XCTAssertTrue(warnings.isEmpty, "\(warnings)")
        let period = DeadlinePeriodTests.period("01.01.2020", "31.12.2022")
        let read = DeadlineReader.read(records[1].deadline, year: records[1].year, period: period)
        XCTAssertEqual(read.due.map(\.russian), ["31.01.2020"])
    }

    func testSeed004RoadmapAsPrintedMatchesTheColumnFile() throws {
        let (printed, warnings) = try parse("pervouralsk-plan-2024-printed.csv", programme: "P04")
        let plain = try ProgrammeFiles.parseRoadmap(try DelimitedTextReader.read(try RoadmapTests.fixture("pervouralsk-roadmap-2024.csv")),
                                                    file: "roadmap.csv").records
        XCTAssertEqual(printed.count, 53)
        XCTAssertEqual(printed.map(\.section), plain.map(\.section))
        XCTAssertEqual(printed.map(\.number), plain.map(\.number))
        XCTAssertEqual(printed.map(\.deadline), plain.map(\.deadline))
        XCTAssertEqual(printed.map(\.responsible), plain.map(\.responsible))
        XCTAssertTrue(warnings.isEmpty, "\(warnings)")
    }

    func testSeed001RowsWithoutANumberOrADeadlineAreKeptWithWarnings() throws {
        let (records, warnings) = try parse("urvan-plan-2021.csv")
        XCTAssertEqual(records.count, 48)
        let unnumbered = try XCTUnwrap(records.first { $0.line == 4 })
        XCTAssertEqual(unnumbered.number, "1.1-1")
        XCTAssertEqual(unnumbered.section, "1. Анализ перечня образовательных организаций")
        XCTAssertTrue(warnings.contains { $0.line == 4 && $0.column == "number" && $0.message.contains("1.1-1") }, "\(warnings)")
        let undated = try XCTUnwrap(records.first { $0.number == "3.8." })
        XCTAssertEqual(undated.deadline, "")
        XCTAssertEqual(undated.line, 27)
        XCTAssertTrue(warnings.contains { $0.line == 27 && $0.column == "deadline" && $0.message.contains("нужна дата") }, "\(warnings)")
        XCTAssertTrue(RoadmapMeasure(number: undated.number, measure: undated.measure, deadline: undated.deadline)
            .needsDate(period: DeadlinePeriodTests.period("01.01.2021", "31.12.2021")))
        XCTAssertTrue(warnings.allSatisfy { $0.description.hasPrefix("urvan-plan-2021.csv:") }, "\(warnings)")
        // «25.» (printed for 2.5.) is a number of its own, and headings printed outside the table's cells still head.
        XCTAssertEqual(records.first { $0.number == "25." }?.section, "2. Организация реализации программы помощи школам")
        XCTAssertEqual(records.first { $0.number == "7.10." }?.section, "7. Мониторинг эффективности программ помощи")
    }

    func testSeed000NumberedSubheadingHeadsOnlyItsRows() throws {
        let (records, _) = try parse("chern-plan-2023-2024.csv")
        XCTAssertEqual(records.count, 55)
        XCTAssertFalse(records.contains { $0.number == "5.2" })
        XCTAssertEqual(records.first { $0.number == "5.2.1" }?.section, "5.2 Повышение учебной мотивации учеников:")
        XCTAssertEqual(records.first { $0.number == "5.3" }?.section, "5. Повышение образовательных результатов учащихся")
        XCTAssertEqual(records.first { $0.number == "3.18" }?.deadline, "февраль\nмарт\nапрель")
    }

    func testSeed003RoadmapWithoutANumberColumnIsNumberedInOrder() throws {
        let (records, warnings) = try parse("kemerovo-500plus-roadmap-2022.csv")
        XCTAssertEqual(records.count, 20)
        XCTAssertEqual(records.map(\.number), (1...20).map(String.init))
        XCTAssertEqual(warnings.filter { $0.column == "number" }.map(\.line), [1])
    }

    func testPrintedTitlesAndHeadingsByRule() throws {
        let table = try DelimitedTextReader.read(Array("""
        № п/п;Содержание мероприятия;Срок исполнения;Исполнители;Ожидаемый результат (показатели)
        2023 г.;;;;
        Раздел 1. Кадры;;;;
        1;Курсы;до 10.09.2023;ИМЦ;удостоверения
        ;Семинар;;ИМЦ;
        1;Повтор номера;май;ИМЦ;
        2024 год;;;;
        1;Курсы;до 10.09.2024;ИМЦ;удостоверения
        """.utf8))
        let (records, warnings) = try ProgrammeFiles.parseRoadmap(table, file: "plan.csv", programme: "P")
        XCTAssertEqual(records.map(\.number), ["1", "1-1", "1-2", "1"])
        XCTAssertEqual(records.map(\.section), Array(repeating: "2023 г. — Раздел 1. Кадры", count: 3) + ["2024 год"])
        XCTAssertEqual(records.map(\.year), [2023, 2023, 2023, 2024])
        XCTAssertEqual(records.map(\.result), ["удостоверения", nil, nil, "удостоверения"])
        XCTAssertEqual(warnings.map(\.line), [5, 5, 6])
        XCTAssertTrue(warnings[2].message.contains("plan.csv:4"), "\(warnings)")
    }

    func testBadPrintedPlansAreStillRefusedWithTheirLines() throws {
        let bad = try DelimitedTextReader.read(Array("""
        № п/п;Наименование мероприятия;Срок реализации;Статус
        1;;до 10.09.2024;
        2;Семинар;май;почти готово
        """.utf8))
        XCTAssertThrowsError(try ProgrammeFiles.parseRoadmap(bad, file: "plan.csv", programme: "P")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("plan.csv:2: measure: нет текста мероприятия"), text)
            XCTAssertTrue(text.contains("plan.csv:3: status:"), text)
        }
        let noDeadlineColumn = try DelimitedTextReader.read(Array("№ п/п;Наименование мероприятия\n1;Семинар\n".utf8))
        XCTAssertThrowsError(try ProgrammeFiles.parseRoadmap(noDeadlineColumn, file: "plan.csv", programme: "P")) { error in
            XCTAssertTrue(String(describing: error).contains("plan.csv:1: deadline: нет обязательного столбца"), String(describing: error))
        }
    }

    func testAPrintedPlanWithoutAChosenProgrammeSaysHowToChooseOne() throws {
        let table = try DelimitedTextReader.read(try RoadmapTests.fixture("urvan-plan-2021.csv"))
        XCTAssertThrowsError(try ProgrammeFiles.parseRoadmap(table, file: "urvan.csv")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("urvan.csv:1: programme: нет обязательного столбца"), text)
            XCTAssertTrue(text.contains("--programme КОД"), text)
            XCTAssertFalse(text.contains("number"), "one clear error, not one per missing column: \(text)")
        }
    }

    func testAColumnFileRowWithoutANumberIsNoLongerRefused() throws {
        let table = try DelimitedTextReader.read(Array("""
        programme,section,number,measure,deadline
        P04,1,1.1.,Анализ,Октябрь
        P04,1,,Мониторинг,Ноябрь
        P04,1,1.2.,Отчёт,
        """.utf8))
        let (records, warnings) = try ProgrammeFiles.parseRoadmap(table, file: "r.csv")
        XCTAssertEqual(records.map(\.number), ["1.1.", "1.1-1", "1.2."])
        XCTAssertEqual(records.map(\.deadline), ["Октябрь", "Ноябрь", ""])
        XCTAssertEqual(warnings.map { "\($0.line) \($0.column)" }, ["3 number", "4 deadline"])
    }
}
