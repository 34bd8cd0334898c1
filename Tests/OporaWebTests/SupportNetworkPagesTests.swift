import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// Curators per period, support organisations, staff and specialists, forecasts and the mentor pairs' status over
/// HTTP on both engines — and a curator who sees exactly its schools on every page, API call and export of them.
final class SupportNetworkPagesTests: XCTestCase {
    func testCuratorAssignmentsOpenAndCloseSchoolsAndKeepHistory() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await AccountService.createUser(.init(login: "curator-a", fullName: "Куратор Лебедева", password: WebFixture.password,
                                                      role: .curator,
                                                      schoolIDs: [fixture.schoolA]), by: .commandLine, bcryptCost: 4, on: fixture.app.db)
            try await AccountService.createUser(.init(login: "curator-b", fullName: "Куратор Белёва", password: WebFixture.password,
                                                      role: .curator,
                                                      schoolIDs: [fixture.schoolB]), by: .commandLine, bcryptCost: 4, on: fixture.app.db)
            let curatorA = try await XCTUnwrapAsync(try await UserModel.query(on: fixture.app.db)
                    .filter(\.$login == "curator-a").first()).id!
            let curatorB = try await XCTUnwrapAsync(try await UserModel.query(on: fixture.app.db)
                    .filter(\.$login == "curator-b").first()).id!
            try await assertEqualAsync(try await CuratorAssignmentModel.query(on: fixture.app.db)
                    .filter(\.$user.$id == curatorA).count(), 1,
                                       "an account's schools start its history")
            let coordinator = Browser(fixture.app), curator = Browser(fixture.app), other = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await curator.login("curator-a")
            try await other.login("coord-b")
            try await other.get("/support")
            try await assertEqualAsync(try await curator.get("/schools/\(fixture.schoolA2)/support").status, .notFound)

            let board = try await coordinator.get("/support").body.string
            XCTAssertTrue(board.contains("Куратор Лебедева"))
            XCTAssertFalse(board.contains("Куратор Белёва"), "another municipality's curator is neither shown nor offered")
            let today = CalendarDay.today()
            try await assertEqualAsync(try await coordinator.post("/support/curators",
                                                                  [("curator", String(curatorA)), ("school", String(fixture.schoolA2)),
                                                                                        ("from", today.adding(days: -30).russian),
                                                                                            ("direction", "математика")]).status, .seeOther)
            try await curator.login("curator-a")
            try await assertEqualAsync(try await curator.get("/schools/\(fixture.schoolA2)/support").status, .ok,
                                       "a current assignment opens the school")
            try await assertTrueAsync(try await curator.get("/support/mine").body.string.contains("Чернская СОШ № 1"))

            // Overlapping the same curator's assignment is refused with its dates; nothing written.
            let overlap = try await coordinator.post("/support/curators",
                                                     [("curator", String(curatorA)), ("school", String(fixture.schoolA2)),
                                                      ("from", today.russian)])
            XCTAssertEqual(overlap.status, .unprocessableEntity)
            XCTAssertTrue(overlap.body.string.contains("куратор уже закреплён за школой с \(today.adding(days: -30).russian)"))
            try await assertEqualAsync(try await CuratorAssignmentModel.query(on: fixture.app.db)
                    .filter(\.$school.$id == fixture.schoolA2).count(), 1)
            for (form, label) in [([("curator", String(curatorB)), ("school", String(fixture.schoolA2)), ("from", today.russian)],
                                   "another municipality's curator"),
                                  ([("curator", String(curatorA)), ("school", String(fixture.schoolB)), ("from", today.russian)],
                                   "another municipality's school")] {
                try await assertEqualAsync(try await coordinator.post("/support/curators", form).status, .notFound, label)
            }
            try await assertEqualAsync(try await coordinator.post("/support/curators",
                                                                  [("curator", String(curatorA)), ("school", String(fixture.schoolA2)),
                                                                                        ("from", "31.02.2026")]).status,
                                                                                            .unprocessableEntity)
            try await assertEqualAsync(try await curator.post("/support/curators",
                                                              [("curator", String(curatorA)), ("school", String(fixture.schoolA)),
                                                                                    ("from", today.russian)]).status, .forbidden)

            // Ending it yesterday closes the school to the curator; the history keeps it.
            let assignment = try await XCTUnwrapAsync(try await CuratorAssignmentModel.query(on: fixture.app.db)
                    .filter(\.$school.$id == fixture.schoolA2).first())
            try await assertEqualAsync(try await other.post("/support/curators/\(assignment.id!)/end",
                                                            [("version", "1"), ("until", today.russian)]).status, .notFound)
            let yesterday = today.adding(days: -1).russian
            try await assertEqualAsync(try await coordinator.post("/support/curators/\(assignment.id!)/end",
                                                                  [("version", "1"), ("until", yesterday)]).status, .seeOther)
            let stale = try await coordinator.post("/support/curators/\(assignment.id!)/end", [("version", "1"), ("until", today.russian)])
            XCTAssertEqual(stale.status, .conflict, "a stale form")
            XCTAssertTrue(stale.body.string.contains("Запись уже изменил другой пользователь"), "said on the school's tab")
            try await curator.login("curator-a")
            try await assertEqualAsync(try await curator.get("/schools/\(fixture.schoolA2)/support").status, .notFound)
            let history = try await coordinator.get("/schools/\(fixture.schoolA2)/support").body.string
            XCTAssertTrue(history.contains("с \(today.adding(days: -30).russian) по \(today.adding(days: -1).russian)"),
                          "the ended assignment stays in the history")
            XCTAssertTrue(history.contains("в прошлом"))
            try await assertTrueAsync(try await SupportRepository(db: fixture.app.db).curatorNames(of: [fixture.schoolA2]).isEmpty,
                                      "the board and the card no longer name the curator")
            try await assertEqualAsync(try await AuditEntryModel.query(on: fixture.app.db)
                    .filter(\.$entity == "curator_assignment").count(), 2)

            // An assignment from tomorrow does not open the school today; the curator's own school ended tomorrow is still held.
            try await assertEqualAsync(try await coordinator.post("/support/curators",
                                                                  [("curator", String(curatorA)), ("school", String(fixture.schoolA2)),
                                                                                        ("from", today.adding(days: 1).russian)]).status,
                                                                                            .seeOther)
            try await assertEqualAsync(try await curator.get("/schools/\(fixture.schoolA2)/support").status, .notFound)
            let own = try await XCTUnwrapAsync(try await CuratorAssignmentModel.query(on: fixture.app.db)
                    .filter(\.$school.$id == fixture.schoolA).first())
            try await assertEqualAsync(try await coordinator.post("/support/curators/\(own.id!)/end",
                                                                  [("version", "1"), ("until", today.adding(days: 1).russian)]).status,
                                                                      .seeOther)
            try await assertEqualAsync(try await curator.get("/schools/\(fixture.schoolA)/support").status, .ok)
            try await assertEqualAsync(try await SupportRepository(db: fixture.app.db)
                                        .curatorNames(of: [fixture.schoolA, fixture.schoolA2]),
                                       [fixture.schoolA: ["Куратор Лебедева"]], "held until tomorrow; the next one starts tomorrow")
        }
    }

    func testOrganisationsStaffForecastsAndPairsWithinScope() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await AccountService.createUser(.init(login: "curator-a", fullName: "Куратор Лебедева", password: WebFixture.password,
                                                      role: .curator,
                                                      schoolIDs: [fixture.schoolA]), by: .commandLine, bcryptCost: 4, on: fixture.app.db)
            let coordinator = Browser(fixture.app), curator = Browser(fixture.app), other = Browser(fixture.app),
                viewer = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await curator.login("curator-a")
            try await other.login("coord-b")
            try await other.get("/support")
            try await viewer.login("viewer-a")

            // Organisations: a centre, a branch must belong to a centre, a point within the centre with both schools.
            try await coordinator.get("/support/network")
            let centreForm = [("kind", "centre"), ("name", "Консультационный центр")]
            try await assertEqualAsync(try await coordinator.post("/support/organisations", centreForm).status, .seeOther)
            let centre = try await XCTUnwrapAsync(try await SupportOrganisationModel.query(on: fixture.app.db).first())
            let orphan = try await coordinator.post("/support/organisations", [("kind", "branch"), ("name", "Филиал без центра")])
            XCTAssertEqual(orphan.status, .unprocessableEntity)
            XCTAssertTrue(orphan.body.string.contains("филиал должен относиться к консультационному центру"))
            XCTAssertTrue(orphan.body.string.contains("value=\"Филиал без центра\""), "the name as typed")
            try await assertEqualAsync(try await coordinator.post("/support/organisations",
                                                                  [("kind", "point"), ("name", "Пункт сопровождения № 1"),
                                                                   ("parent", String(centre.id!))]).status, .seeOther)
            try await assertEqualAsync(try await coordinator.post("/support/organisations", [("kind", "point"), ("name", "  ")]).status,
                                       .unprocessableEntity)
            try await assertEqualAsync(try await SupportOrganisationModel.query(on: fixture.app.db).count(), 2,
                                       "refused organisations are not written")
            let point = try await XCTUnwrapAsync(try await SupportOrganisationModel.query(on: fixture.app.db)
                    .filter(\.$kind == "point").first())
            for school in [fixture.schoolA, fixture.schoolA2] {
                try await assertEqualAsync(try await coordinator.post("/support/organisations/\(point.id!)/schools",
                                                                      [("school", String(school)), ("member", "1")]).status, .seeOther)
            }
            try await assertEqualAsync(try await coordinator.post("/support/organisations/\(point.id!)/schools",
                                                                  [("school", String(fixture.schoolB))]).status, .notFound)
            try await assertEqualAsync(try await other.post("/support/organisations/\(point.id!)/schools",
                                                            [("school", String(fixture.schoolB))]).status, .notFound)
            try await assertEqualAsync(try await curator.post("/support/organisations", [("kind", "centre"), ("name", "x")]).status,
                                       .forbidden)
            let network = try await coordinator.get("/support/network").body.string
            XCTAssertTrue(network.contains("<svg"), "the network is drawn")
            XCTAssertTrue(network.contains("Пункт сопровождения № 1"))
            try await assertFalseAsync(try await other.get("/support/network").body.string.contains("Пункт сопровождения № 1"))

            // Staff and Table 23 imported for both schools; another territory's school is refused with its line.
            let importer = Importer(db: fixture.app.db, actor: .commandLine, scope: .municipality(fixture.municipalityA))
            _ = try await importer.importFile(.staff, bytes: Array("""
            Код ОО;Год;Должность;Количество;Категория;Курсы, часов;Дефицит;ИОМ
            A1;2024;учитель;6;высшая;36;;
            A1;2024;учитель;4;первая;;формирующее оценивание;реализуется
            A2;2024;учитель;30;первая;;;
            A2;2024;учитель;10;первая;72;;
            """.utf8), fileName: "кадры.csv")
            _ = try await importer.importFile(.specialists, bytes: Array("""
            ОО;Год;Социальный педагог;Педагог-психолог;Учитель-логопед;Педагог доп. образования;Вакансии
            A1;2024;1*;1;0;"3; 6*";2
            A2;2024;1;2;1;1;0
            """.utf8), fileName: "таблица23.csv")
            for (kind, text) in [(ImportKind.staff, "school,year,count\nA1,2024,1\nB1,2024,2\n"),
                                 (.specialists, "school,year,vacancies\nA1,2024,1\nB1,2024,2\n")] {
                do {
                    _ = try await importer.importFile(kind, bytes: Array(text.utf8), fileName: "чужие.csv")
                    XCTFail("\(kind): another municipality's school")
                } catch let rejected as ImportRejected {
                    XCTAssertTrue(rejected.description.contains("чужие.csv:3: school: " + Absent.school("B1")), rejected.description)
                }
            }
            try await assertEqualAsync(try await StaffRepository(db: fixture.app.db).staff(.everything, year: 2024)
                                        .reduce(0) { $0 + $1.count }, 50,
                                       "the refused file wrote nothing")
            let shares = try await StaffRepository(db: fixture.app.db).trainedShares(.municipality(fixture.municipalityA), year: 2024)
            XCTAssertEqual(shares[fixture.schoolA], Share(count: 6, base: 10))
            XCTAssertEqual(shares[fixture.schoolA2], Share(count: 10, base: 40))
            XCTAssertEqual(IndicatorFormula.teachersTrained.compute(FormulaInputs(schools: [fixture.schoolA, fixture.schoolA2],
                                                                                  listed: nil, results: [], previous: [],
                                                                                  staffTrained: shares)), Share(count: 16, base: 50))
            let tab = try await curator.get("/schools/\(fixture.schoolA)/support?year=2024").body.string
            XCTAssertTrue(tab.contains("Пункт сопровождения № 1"))
            XCTAssertTrue(tab.contains("6 (60 %)"), "6 of 10 took a course")
            XCTAssertTrue(tab.contains("3; 6*"), "Table 23's cell as printed")
            XCTAssertTrue(tab.contains("формирующее оценивание — 4"))

            // A programme's forecast beside the log; a stale form and a stranger are refused.
            try await coordinator.get("/plans")
            try await assertEqualAsync(try await coordinator.post("/plans",
                                                                  [("code", "P02"), ("name", "Программа поддержки ШНОР"),
                                                                   ("municipality", String(fixture.municipalityA)),
                                                                             ("start", "2023"), ("end", "2025")]).status, .seeOther)
            let plan = try await XCTUnwrapAsync(try await PlanRepository(db: fixture.app.db).programme(code: "P02"))
            try await coordinator.get("/support?year=2024")
            let forecast = [("programme", String(plan.id!)), ("year", "2024"), ("version", "0"), ("teams", "10"), ("people", "60"),
                            ("pairs", "2")]
            try await assertEqualAsync(try await coordinator.post("/support/forecasts?year=2024", forecast).status, .seeOther)
            let stale = try await coordinator.post("/support/forecasts?year=2024", forecast)
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.string.contains("Запись уже изменил другой пользователь"))
            XCTAssertTrue(stale.body.string.contains("value=\"60\""), "the typed figures are kept")
            try await assertEqualAsync(try await SupportForecastModel.query(on: fixture.app.db).count(), 1)
            let many = try await coordinator.post("/support/forecasts?year=2024",
                                                  [("programme", String(plan.id!)), ("year", "2024"), ("version", "1"), ("teams", "много")])
            XCTAssertEqual(many.status, .unprocessableEntity)
            let limit = RussianFormat.integer(100_000)
            XCTAssertTrue(many.body.string.contains("id=\"teams-note\">Введите целое число от 0 до \(limit)</small>"))
            XCTAssertTrue(many.body.string.contains("value=\"много\""))
            try await assertEqualAsync(try await other.post("/support/forecasts", forecast).status, .notFound)
            try await assertEqualAsync(try await curator.post("/support/forecasts", forecast).status, .forbidden)
            let board = try await coordinator.get("/support?year=2024").body.string
            XCTAssertTrue(board.contains("Прогноз программы и факт, 2024"))
            XCTAssertTrue(board.contains("0 % прогноза"), "no team trained of the 10 forecast")

            // A mentor pair's status and what it did, with a version check.
            try await assertEqualAsync(try await coordinator.post("/support/pairs",
                                                                  [("supported", String(fixture.schoolA)),
                                                                   ("mentor", String(fixture.schoolA2)),
                                                                   ("start_year", "2024"), ("end_year", "2025")]).status, .seeOther)
            let pair = try await XCTUnwrapAsync(try await MentorPairModel.query(on: fixture.app.db).first())
            let update = [("status", "completed"), ("activities", "Взаимопосещение уроков математики, 6 занятий"), ("version", "1")]
            try await assertEqualAsync(try await curator.post("/support/pairs/\(pair.id!)", update).status, .forbidden)
            try await assertEqualAsync(try await other.post("/support/pairs/\(pair.id!)", update).status, .notFound)
            try await assertEqualAsync(try await coordinator.post("/support/pairs/\(pair.id!)", update).status, .seeOther)
            try await assertEqualAsync(try await coordinator.post("/support/pairs/\(pair.id!)",
                                                                  [("status", "active"), ("version", "1")]).status, .conflict)
            let saved = try await XCTUnwrapAsync(try await MentorPairModel.find(pair.id!, on: fixture.app.db))
            XCTAssertEqual(saved.status, "completed", "the stale form changed nothing")
            XCTAssertEqual(saved.activities, "Взаимопосещение уроков математики, 6 занятий")
            try await assertTrueAsync(try await curator.get("/schools/\(fixture.schoolA)/support").body.string.contains("завершена"))
            let card = try await coordinator.get("/reports/school?school=\(fixture.schoolA)&year=2024&format=html").body.string
            XCTAssertTrue(card.contains("Сопровождение, 2024"), "the school card carries its support")
            XCTAssertTrue(card.contains("прошли курсовую подготовку 60 %"), card)

            // The curator sees exactly its school on every page, API call and export of the network.
            let pages = ["/support?year=2024", "/support/network?year=2024", "/support/mine", "/api/support?year=2024"]
            for page in pages {
                let response = try await curator.get(page)
                XCTAssertEqual(response.status, .ok, page)
                XCTAssertFalse(response.body.string.contains("Белёвская"), page)
            }
            try await assertTrueAsync(try await curator.get("/api/support?year=2024").body.string.contains("\"code\":\"A1\""))
            try await assertFalseAsync(try await curator.get("/api/support?year=2024").body.string.contains("\"code\":\"A2\""))
            func pointRow(_ page: String) -> String {
                guard let start = page.range(of: "<td>Пункт сопровождения № 1"),
                    let end = page.range(of: "</tr>", range: start.upperBound..<page.endIndex) else { return "" }
                return String(page[start.upperBound..<end.lowerBound])
            }
            let pointForCoordinator = pointRow(try await coordinator.get("/support/network?year=2024").body.string)
            XCTAssertTrue(pointForCoordinator.contains("Липицкая") && pointForCoordinator.contains("Чернская"), pointForCoordinator)
            let pointForCurator = pointRow(try await curator.get("/support/network?year=2024").body.string)
            XCTAssertTrue(pointForCurator.contains("Липицкая"), pointForCurator)
            XCTAssertFalse(pointForCurator.contains("Чернская"), "a point's other school is not listed to the curator")
            let export = try await curator.get("/support/export.xlsx?year=2024")
            XCTAssertEqual(export.status, .ok)
            let sheet = try TabularInput.table(Array(export.body.readableBytesView), fileName: "support.xlsx")
            XCTAssertEqual(sheet.rows.map { $0.cells[0] }, ["A1"], "the export holds only the curator's school")
            let exported = try await coordinator.get("/support/export.xlsx?year=2024").body.readableBytesView
            let coordinatorSheet = try TabularInput.table(Array(exported), fileName: "support.xlsx")
            XCTAssertEqual(Set(coordinatorSheet.rows.map { $0.cells[0] }), ["A1", "A2"])
            try await assertFalseAsync(try await other.get("/api/support?year=2024").body.string.contains("A1"))
            try await assertEqualAsync(try await viewer.post("/support/organisations", [("kind", "centre"), ("name", "x")]).status,
                                       .forbidden)
        }
    }
}
