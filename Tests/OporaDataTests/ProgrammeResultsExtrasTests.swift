import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// «Итоги программы» tells what happened to the listed schools: who left the list by which order, who is ready to
/// leave, and how the schools carried out their own programmes. Both engines.
final class ProgrammeResultsExtrasTests: XCTestCase {
    func testTheProgrammesEndNamesTheExitsTheReadyAndTheSchoolsProgrammes() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await ExitTests.prepare(store)
            let programme = try await ExitTests.approvedProgramme(store, school: places.ids["A2"]!)
            let director = Actor(userID: nil, login: "director")
            try await ProgrammeExecutionRepository(db: store.db).saveMeasure(
                programmeID: programme, measureKey: "1", expectedVersion: 0,
                execution: MeasureExecution(status: .done, doneOn: CalendarDay(year: 2025, month: 2, day: 20),
                                            evidence: "Протокол № 4"),
                actor: director)
            try await ExitRepository(db: store.db).recordExit(
                schoolID: places.ids["A1"]!, year: 2025, number: "15-п", date: RussianFormat.parseDate("01.06.2025")!,
                issuer: "Управление образования Чернского района", authority: .own, reason: "два года вне критериев",
                scope: .municipality(places.chern), actor: Actor(userID: nil, login: "coord"))
            let file = "code,name,start,end,level,territory\n"
                + "M1,Муниципальная программа,01.01.2024,31.12.2025,municipality,Чернский район\n"
            _ = try await Importer(db: store.db, actor: .commandLine).importFile(.programmes, bytes: Array(file.utf8), fileName: "p.csv")
            let found = try await PlanRepository(db: store.db).programme(code: "M1")
            let plan = try XCTUnwrap(found)

            let document = try await ReportBuilder(db: store.db, prepared: CalendarDay(year: 2025, month: 11, day: 1))
                .programmeResults(plan, from: 2024, to: 2025)
            let headings = document.blocks.compactMap { block -> String? in
                if case .heading(let text, _) = block { return text } else { return nil }
            }
            XCTAssertTrue(headings.contains("Выход школ из перечня"), "\(headings)")
            XCTAssertTrue(headings.contains("Выполнение программ школ"), "\(headings)")
            let tables = document.blocks.compactMap { block -> ReportTable? in
                if case .table(let table) = block { return table } else { return nil }
            }
            let exits = try XCTUnwrap(tables.first { $0.title == "Школы, вышедшие из перечня" })
            XCTAssertEqual(exits.rows.count, 1)
            XCTAssertEqual(exits.rows[0].map(Self.text),
                           ["МКОУ «Липицкая СОШ»", "2025", "№ 15-п от 01.06.2025, Управление образования Чернского района",
                            "два года вне критериев"])
            // A1 has left; A2 is flagged in 2025, so nobody of Чернский район is ready to leave.
            let ready = "Готовы к выходу из перечня по критериям выхода на 2025 год: 0 из 1"
            XCTAssertTrue(Self.paragraphs(document).contains { $0.contains(ready) }, "\(Self.paragraphs(document))")
            // One measure done; the courses due by 01.10.2025 are not reported by 01.11.2025: overdue.
            let execution = try XCTUnwrap(tables.first { $0.header.first == "Школа" && $0.header.contains("Выполнено") })
            XCTAssertEqual(execution.rows.map { $0.map(Self.text) },
                           [["МБОУ «Чернская СОШ № 1»", "2", "1", "1", "2 из 2"], ["Всего", "2", "1", "1", "2 из 2"]])
        }
    }

    static func text(_ cell: ReportCell) -> String { cell.text }

    static func paragraphs(_ document: ReportDocument) -> [String] {
        document.blocks.compactMap { block in if case .paragraph(let text) = block { return text } else { return nil } }
    }
}
