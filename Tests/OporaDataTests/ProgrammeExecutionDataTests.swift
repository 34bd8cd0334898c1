import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// School programmes carried out (issue 21): measure reports and indicator values with optimistic locking and
/// audit at the school; the per-school summary «Как выполняются программы школ» and «Итоги программы» read. Both engines.
final class ProgrammeExecutionDataTests: XCTestCase {
    let director = Actor(userID: nil, login: "director")
    let today = CalendarDay(year: 2025, month: 5, day: 15)

    func testReportsValuesLockingAuditAndSummary() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await ExitTests.prepare(store)
            let a1 = places.ids["A1"]!
            let programmeID = try await ExitTests.approvedProgramme(store, school: a1, finalValues: [])
            let repository = ProgrammeExecutionRepository(db: store.db)
            // Measure 1 (due 01.03.2025) is overdue on 15.05.2025 until the school reports it done.
            var summaries = try await repository.summaries(scope: .municipality(places.chern), today: today)
            XCTAssertEqual(summaries.map(\.schoolID), [a1])
            XCTAssertEqual(summaries[0].overdue.map(\.line.measure.text), ["Педсовет по результатам ВПР"])
            let done = MeasureExecution(
                status: .done, doneOn: CalendarDay(year: 2025, month: 2, day: 27), evidence: "https://school.example/protocol-4.pdf",
                comment: "протокол педсовета № 4")
            try await repository.saveMeasure(
                programmeID: programmeID, measureKey: "1", expectedVersion: 0, execution: done, actor: director)
            // A second editor who opened the measure before it was reported is refused, nothing overwritten.
            do {
                try await repository.saveMeasure(
                    programmeID: programmeID, measureKey: "1", expectedVersion: 0, execution: MeasureExecution(status: .cancelled),
                    actor: Actor(userID: nil, login: "other"))
                XCTFail("stale version must conflict")
            } catch let error as RepositoryError {
                XCTAssertEqual(error, .conflict(entity: MeasureReportModel.schema))
            }
            try await repository.saveMeasure(
                programmeID: programmeID, measureKey: "2", expectedVersion: 0, execution: MeasureExecution(status: .inProgress),
                actor: director)
            // Entry and intermediate values: 14 meets «не более 15», 90 misses «не менее 95».
            try await repository.saveValues(
                programmeID: programmeID, indicatorKey: "1", changes: [.entry: .init(value: 32, expectedVersion: 0),
                                                                       .intermediate: .init(value: 14, expectedVersion: 0)],
                actor: director)
            try await repository.saveValues(
                programmeID: programmeID, indicatorKey: "2", changes: [.intermediate: .init(value: 90, expectedVersion: 0)],
                actor: director)
            // One stale phase refuses the whole form: the entry value is not changed either.
            do {
                try await repository.saveValues(
                    programmeID: programmeID, indicatorKey: "1",
                    changes: [.entry: .init(value: 30, expectedVersion: 1), .intermediate: .init(value: 13, expectedVersion: 0)],
                    actor: director)
                XCTFail("stale phase must conflict")
            } catch let error as RepositoryError {
                XCTAssertEqual(error, .conflict(entity: IndicatorReadingModel.schema))
            }
            summaries = try await repository.summaries(scope: .region(places.tula), today: today)
            let summary = try XCTUnwrap(summaries.first)
            XCTAssertEqual(summary.tally[.done], 1)
            XCTAssertEqual(summary.tally[.inProgress], 1)
            XCTAssertEqual(summary.overdue.count, 0)
            XCTAssertEqual(summary.indicatorsMet, 1)
            XCTAssertEqual(summary.offTarget.map(\.line.indicator.name), ["Успеваемость"])
            let execution = try XCTUnwrap(summary.programmes.first)
            XCTAssertEqual(execution.reports["1"]?.execution, done)
            XCTAssertEqual(execution.reports["1"]?.updatedBy, "director")
            XCTAssertEqual(execution.readings["1"]?[.entry]?.value, 32)
            XCTAssertEqual(execution.readings["1"]?[.entry]?.enteredBy, "director")
            // Audited at the school (and so at its municipality and region), old → new.
            let audit = try await AuditEntryModel.query(on: store.db).filter(\.$entity == "programme_execution").sort(\.$id).all()
            XCTAssertEqual(audit.count, 4)
            XCTAssertEqual(audit[0].schoolID, a1)
            XCTAssertEqual(audit[0].municipalityID, places.chern)
            // Bad input: a done measure without its date, a date outside the programme, an unknown measure.
            for (execution, key, expected) in [
                (MeasureExecution(status: .done), "2", "Мероприятие: Дата выполнения: укажите, когда мероприятие выполнено"),
                (MeasureExecution(status: .done, doneOn: CalendarDay(year: 2027, month: 1, day: 1)), "2", "вне срока программы"),
                (MeasureExecution(status: .done), "99", "Не найдено: мероприятие программы"),
            ] {
                do {
                    try await repository.saveMeasure(programmeID: programmeID, measureKey: key, expectedVersion: 1, execution: execution,
                                                     actor: director)
                    XCTFail("must be refused")
                } catch let error as RepositoryError {
                    XCTAssertTrue(error.description.contains(expected), error.description)
                }
            }
            // Another municipality's scope sees nothing.
            try await assertEqualAsync(try await repository.summaries(scope: .municipality(places.belev), today: today).count, 0)
        }
    }

    func testOnlyAnApprovedProgrammeIsCarriedOutAndItsApprovedVersionCounts() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await ExitTests.prepare(store)
            let a2 = places.ids["A2"]!
            let programmes = ProgrammeRepository(db: store.db, actor: director)
            let draft = try await programmes.create(
                schoolID: a2, kind: .mediumTerm, factor: nil, title: "Черновик", period: 2025...2025,
                content: ProgrammeContent(goal: "Цель", tasks: ["Задача"],
                                          measures: [ProgrammeMeasure(text: "М", deadline: "до 01.03.2025", responsible: "я")]))
            let repository = ProgrammeExecutionRepository(db: store.db)
            do {
                try await repository.saveMeasure(
                    programmeID: draft.id!, measureKey: "1", expectedVersion: 0, execution: MeasureExecution(status: .inProgress),
                    actor: director)
                XCTFail("a draft is not carried out")
            } catch let error as RepositoryError {
                XCTAssertTrue(error.description.contains("ещё не утверждена"), error.description)
            }
            try await assertEqualAsync(try await repository.summaries(scope: .schools([a2]), today: today).count, 0)
            // An approved programme edited again becomes a draft; its approved version is still carried out.
            let approvedID = try await ExitTests.approvedProgramme(store, school: a2, finalValues: [])
            let approved = try await SchoolProgrammeModel.find(approvedID, on: store.db)!
            var content = approved.content
            content.measures.append(ProgrammeMeasure(text: "Новое мероприятие", deadline: "до 01.12.2025", responsible: "я"))
            try await programmes.save(approvedID, expectedVersion: approved.version, content: content)
            let summary = try await repository.summaries(scope: .schools([a2]), today: today)
            XCTAssertEqual(summary.first?.programmes.first?.summary.measures.count, 2)
        }
    }
}
