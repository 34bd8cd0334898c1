import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// The municipal programme over HTTP on both engines: created from the form, its roadmap loaded, measures
/// reported, amended by order, scored, decisions taken — and who may see and change each.
final class PlanPagesTests: XCTestCase {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }

    func testProgrammeRoadmapIndicatorsAndDecisionsWithTheirScopes() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app), other = Browser(fixture.app)
            let director = Browser(fixture.app), viewer = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await other.login("coord-b")
            try await director.login("director-a")
            try await viewer.login("viewer-a")

            // The coordinator starts the programme from the form; the code is the one its files name.
            try await coordinator.get("/plans")
            let created = try await coordinator.post("/plans",
                [("code", "P04"), ("name", "Муниципальная программа поддержки ШНОР на 2023-2025 годы"),
                                                                 ("municipality", String(fixture.municipalityA)), ("start",
                                                                     "2023"), ("end", "2025"),
                                                                 ("order_number", "14"), ("order_date",
                                                                     "11.01.2023"), ("confirm_order_date", "11.01.2023")])
            XCTAssertEqual(created.status, .seeOther)
            let plan = try await XCTUnwrapAsync(try await PlanRepository(db: fixture.app.db).programme(code: "P04"))
            let id = plan.id!
            XCTAssertEqual(plan.municipalityID, fixture.municipalityA)
            try await assertEqualAsync(try await coordinator.post("/plans", [("code", "P04"), ("name", "x"), ("start", "2023"),
                ("end", "2025")]).status,
                                       .unprocessableEntity)
            try await assertEqualAsync(try await PlanModel.query(on: fixture.app.db).count(), 1,
                "a second programme with the same code is refused")

            // Its roadmap, indicators and values arrive as files, within the coordinator's territory only.
            let municipalityA = AccessScope.municipality(fixture.municipalityA)
            let importer = Importer(db: fixture.app.db, actor: Actor(userID: nil, login: "coord-a"), scope: municipalityA)
            for (kind, file) in [(ImportKind.roadmap, "pervouralsk-roadmap-2024.csv"), (.indicators, "pervouralsk-indicators.csv"),
                                 (.indicatorValues, "pervouralsk-indicator-values.csv")] {
                _ = try await importer.importFile(kind, bytes: try Self.fixture(file), fileName: file)
            }
            do {
                _ = try await Importer(db: fixture.app.db, actor: .commandLine, scope: .municipality(fixture.municipalityB))
                    .importFile(.roadmap, bytes: try Self.fixture("pervouralsk-roadmap-2024.csv"), fileName: "чужая.csv")
                XCTFail("another municipality's coordinator cannot load this roadmap")
            } catch let rejected as ImportRejected {
                // Another territory's programme reads like one that does not exist (issue 25).
                XCTAssertTrue(rejected.description.contains("чужая.csv:2: programme: " + ProgrammeCode.unknown("P04")),
                              rejected.description)
            }

            // Who sees it: the territory reads it, another municipality does not know it exists.
            try await assertEqualAsync(try await other.get("/plans/\(id)").status, .notFound)
            try await assertEqualAsync(try await other.get("/plans/\(id)/roadmap/export.docx").status, .notFound)
            try await assertFalseAsync(try await other.get("/plans").body.string.contains("P04"))
            try await assertEqualAsync(try await director.get("/plans/\(id)/roadmap").status, .ok)
            try await assertEqualAsync(try await viewer.get("/plans/\(id)/indicators").status, .ok)

            // The roadmap: execution by section, overdue by responsible, and the unread deadlines flagged.
            let roadmap = try await coordinator.get("/plans/\(id)/roadmap").body.string
            XCTAssertTrue(roadmap.contains("Исполнение по разделам"))
            XCTAssertTrue(roadmap.contains("Просрочено — по ответственным"), "every 2024–2025 deadline is past")
            XCTAssertTrue(roadmap.contains("нужна дата"), "the seed's links in the deadline column")
            let measures = try await PlanRepository(db: fixture.app.db).measures(id)
            XCTAssertEqual(measures.count, 53)
            let measure = try XCTUnwrap(measures.first { $0.number == "2.8." })
            let calendar = try await coordinator.get("/plans/\(id)/calendar?year=2024").body.string
            XCTAssertTrue(calendar.contains("№ 2.8."))

            // A report on a measure: a done one needs its date, a stale form keeps the text and says why.
            try await coordinator.get("/plans/\(id)/measures/\(measure.id)")
            let noDate = try await coordinator.post("/plans/\(id)/measures/\(measure.id)", [("version", "1"), ("status", "done"),
                ("comment", "Группа сформирована")])
            XCTAssertEqual(noDate.status, .unprocessableEntity)
            XCTAssertTrue(noDate.body.string.contains("укажите, когда мероприятие выполнено"))
            let done = try await coordinator.post("/plans/\(id)/measures/\(measure.id)",
                                                  [("version", "1"), ("status", "done"), ("done_on", "05.09.2024"),
                                                      ("confirm_done_on", "05.09.2024"),
                                                   ("evidence", "Приказ № 512 от 05.09.2024")])
            XCTAssertEqual(done.status, .seeOther)
            let stale = try await coordinator.post("/plans/\(id)/measures/\(measure.id)", [("version", "1"), ("status", "cancelled"),
                ("comment", "Мой текст")])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.string.contains("Мой текст"))
            try await assertEqualAsync(try await MeasureModel.find(measure.id, on: fixture.app.db)?.status, "done")
            try await assertEqualAsync(try await director.post("/plans/\(id)/measures/\(measure.id)",
                [("version", "2"), ("status", "planned")]).status, .forbidden)
            try await assertEqualAsync(try await viewer.post("/plans/\(id)/measures/\(measure.id)",
                [("version", "2"), ("status", "planned")]).status, .forbidden)
            let audit = try await AuditEntryModel.query(on: fixture.app.db).filter(\.$entity == "roadmap_measure").all()
            XCTAssertEqual(audit.count, 1)
            XCTAssertTrue(audit[0].summary.contains("№ 2.8."), audit[0].summary)

            // The execution report in Word: the sections' tally adds up to the roadmap.
            let docx = try await coordinator.get("/plans/\(id)/roadmap/export.docx")
            XCTAssertEqual(docx.status, .ok)
            let word = try WordContent(Data(buffer: docx.body))
            let execution = try XCTUnwrap(word.tables.first)
            XCTAssertEqual(execution.last?.first, "Итого")
            XCTAssertEqual(execution.last?[6], "53")
            XCTAssertEqual(execution.last?[1], "1", "the measure just reported done")
            XCTAssertTrue(word.landscape)
            let xlsx = try await coordinator.get("/plans/\(id)/roadmap/export.xlsx")
            XCTAssertEqual(xlsx.status, .ok)
            XCTAssertEqual(try XLSX.read([UInt8](buffer: xlsx.body)).rows.count, 53)

            // Indicators and the score: Table 12 gives 42 of 63 for 2023; a score outside the rubric is refused.
            let indicators = try await coordinator.get("/plans/\(id)/indicators").body.string
            XCTAssertTrue(indicators.contains(">42<") && indicators.contains(">63<"), "2023: 42 of 63")
            XCTAssertTrue(indicators.contains(">36<"), "2022: 36")
            XCTAssertTrue(indicators.contains("удовлетворительный"))
            let indicatorReport = try await coordinator.get("/plans/\(id)/indicators/export.docx")
            XCTAssertEqual(indicatorReport.status, .ok)
            let scored = try WordContent(Data(buffer: indicatorReport.body))
            XCTAssertEqual(scored.tables.compactMap { $0.last?.last }.suffix(2), ["36", "42"], "2022 and 2023's totals")
            XCTAssertTrue(scored.paragraphs.contains("Итог: 42 из 63 баллов — уровень «удовлетворительный»."))
            try await assertEqualAsync(try await other.get("/plans/\(id)/indicators/export.xlsx").status, .notFound)
            let refused = try await coordinator.post("/plans/\(id)/values", [("indicator", "1"), ("year", "2024"), ("value", "30"),
                                                                             ("presence", "5"), ("dynamics", "1"), ("documentation", "1")])
            XCTAssertEqual(refused.status, .unprocessableEntity, "the form comes back with the score beside its field")
            try await assertEqualAsync(try await IndicatorValueModel.query(on: fixture.app.db).filter(\.$year == 2024).count(), 0)
            let entry = [("indicator", "1"), ("year", "2024"), ("value", "30"), ("presence", "2"), ("dynamics", "2"),
                         ("documentation", "2")]
            try await assertEqualAsync(try await coordinator.post("/plans/\(id)/values", entry).status, .seeOther)
            let entered = try await IndicatorValueModel.query(on: fixture.app.db).filter(\.$year == 2024).first()
            XCTAssertEqual(entered?.points, 6)
            XCTAssertEqual(entered?.enteredBy, "coord-a")
            try await assertEqualAsync(try await director.post("/plans/\(id)/values", [("indicator", "1"), ("year", "2024"),
                ("value", "1")]).status, .forbidden)

            // An amendment is a new version with its order, and the page shows what it changed.
            try await coordinator.get("/plans/\(id)")
            let amend = try await coordinator.post("/plans/\(id)/amend", [
                ("version", String(try await PlanModel.find(id, on: fixture.app.db)!.version)), ("name", plan.name), ("start",
                    "01.01.2023"), ("end", "31.12.2025"),
                ("goal", plan.passport.goal), ("tasks", "Выявление ШНОР\nАдресная поддержка"), ("basis", "Приказ № 486-Д"),
                ("order_number", "365"), ("order_date", "18.03.2024"),
            ])
            XCTAssertEqual(amend.status, .seeOther)
            let page = try await coordinator.get("/plans/\(id)?compare=1-2").body.string
            XCTAssertTrue(page.contains("Изменения редакции № 2 против № 1"))
            XCTAssertTrue(page.contains("Адресная поддержка"))
            XCTAssertTrue(page.contains("№ 365 от 18.03.2024"))
            let withoutOrder = try await coordinator.post("/plans/\(id)/amend", [("version", "999"), ("name", "x"),
                ("start", "01.01.2023"), ("end", "31.12.2025")])
            XCTAssertEqual(withoutOrder.status, .unprocessableEntity)
            try await assertEqualAsync(try await AmendmentModel.query(on: fixture.app.db).count(), 2)

            // A decision on the overdue measure, prefilled from it; another municipality does not see it.
            let overdue = try XCTUnwrap(measures.first { $0.number == "1.4." })
            let draft = try await coordinator.get("/decisions?kind=measure&ref=\(overdue.id)&programme=\(id)").body.string
            XCTAssertTrue(draft.contains("Мероприятие № 1.4."), "the finding is written from the measure")
            try await assertEqualAsync(
                try await coordinator.post(
                    "/decisions",
                    [
                        ("kind", "measure"), ("ref", String(overdue.id)), ("programme", String(id)),
                        ("finding", "Мероприятие № 1.4. просрочено"), ("decision", "Провести мониторинг до конца месяца"),
                        ("responsible", "МКГ"), ("due", "30.12.2024"),
                        ("confirm_due", "30.12.2024"),
                    ]
                ).status, .seeOther)
            let decision = try await XCTUnwrapAsync(try await DecisionModel.query(on: fixture.app.db).first())
            XCTAssertEqual(decision.municipalityID, fixture.municipalityA)
            try await assertFalseAsync(try await other.get("/decisions").body.string.contains("Провести мониторинг"))
            try await assertEqualAsync(try await other.post("/decisions/\(decision.id!)/close",
                [("version", "1"), ("outcome", "x")]).status, .notFound)
            try await assertEqualAsync(try await director.post("/decisions", [("finding", "x"), ("decision", "y"),
                ("responsible", "z")]).status, .seeOther,
                                       "a school's administrator records its own decisions")
            let home = try await coordinator.get("/overview").body.string
            XCTAssertTrue(home.contains("Программы: что нужно сделать"))
            XCTAssertTrue(home.contains("срок прошёл"), "the decision due 30.12.2024 is open and late")
            try await coordinator.get("/decisions")
            try await assertEqualAsync(try await coordinator.post("/decisions/\(decision.id!)/close",
                [("version", "1"), ("status", "done"), ("outcome", "Мониторинг проведён")]).status, .seeOther)
            try await assertEqualAsync(try await DecisionModel.find(decision.id!, on: fixture.app.db)?.status, "done")

            // A decision on a school's results, from its card: it belongs to the school; another territory cannot open it.
            let schoolDraft = try await coordinator.get("/decisions?kind=results&school=\(fixture.schoolA)").body.string
            XCTAssertTrue(schoolDraft.contains("Школа «"), "the finding names the school")
            try await assertEqualAsync(try await other.get("/decisions?kind=results&school=\(fixture.schoolA)").status, .notFound)
            try await assertEqualAsync(try await coordinator.post("/decisions", [("kind", "results"),
                ("school", String(fixture.schoolA)), ("finding", "Низкие результаты ВПР"),
                                                                                 ("decision", "Закрепить куратора"), ("responsible",
                                                                                     "УО")]).status, .seeOther)
            let bySchool = try await XCTUnwrapAsync(try await DecisionModel.query(on: fixture.app.db).filter(\.$decision == "Закрепить "
                + "куратора").first())
            XCTAssertEqual(bySchool.schoolID, fixture.schoolA)
            XCTAssertEqual(bySchool.municipalityID, fixture.municipalityA)
            try await assertTrueAsync(try await director.get("/decisions").body.string.contains("Закрепить куратора"),
                "the school sees decisions about it")
        }
    }
}

func XCTUnwrapAsync<T>(_ expression: @autoclosure () async throws -> T?, file: StaticString = #filePath,
    line: UInt = #line) async throws -> T {
    let value = try await expression()
    return try XCTUnwrap(value, file: file, line: line)
}
