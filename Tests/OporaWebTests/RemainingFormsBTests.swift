import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// The forms of a school's support tab, the support network, users, schools, the registry and the upload page:
/// a refused one comes back (422, or 409 when someone else saved first) with every value as typed and the reason
/// beside its field or its button — never a redirect that wipes it — and nothing saved; corrected, it saves.
/// Both engines.
final class RemainingFormsBTests: XCTestCase {
    /// The reason shown beside one input (`UI.field`'s note).
    func note(_ html: String, _ input: String) -> String? {
        guard let start = html.range(of: "id=\"\(input)-note\">") else { return nil }
        let rest = html[start.upperBound...]
        return rest.range(of: "</small>").map { String(rest[..<$0.lowerBound]) }
    }

    func createCurator(_ fixture: WebFixture) async throws -> CuratorAssignmentModel {
        try await AccountService.createUser(.init(login: "curator-a", fullName: "Куратор Лебедева", password: WebFixture.password,
                                                  role: .curator, schoolIDs: [fixture.schoolA]),
                                            by: .commandLine, bcryptCost: 4, on: fixture.app.db)
        return try await XCTUnwrapAsync(try await CuratorAssignmentModel.query(on: fixture.app.db).first())
    }

    func testReleasingACuratorOnAnImpossibleOrEarlyDayIsRefusedBesideTheDayOnTheSchoolTab() async throws {
        try await WebFixture.onEachEngine { fixture in
            let assignment = try await createCurator(fixture)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let tab = try await coordinator.get("/schools/\(fixture.schoolA)/support").body.string
            XCTAssertTrue(tab.contains("<span>Открепить куратора «Куратор Лебедева» с *</span>"), "the day is labelled")
            let action = "/support/curators/\(assignment.id!)/end"
            let version = String(assignment.version)

            let impossible = try await coordinator.post(action, [("version", version), ("until", "31.02.2026")])
            XCTAssertEqual(impossible.status, .unprocessableEntity)
            XCTAssertNil(impossible.headers.first(name: .location), "no redirect that wipes the form")
            XCTAssertTrue(impossible.body.string.contains("<h1>Сопровождение: "), "the school's tab")
            XCTAssertEqual(note(impossible.body.string, "until"), "«31.02.2026» — такой даты нет: в феврале 2026 года 28 дней")
            XCTAssertTrue(impossible.body.string.contains("value=\"31.02.2026\""))

            let early = assignment.from.adding(days: -1).russian
            let refused = try await coordinator.post(action, [("version", version), ("until", early)])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertEqual(note(refused.body.string, "until"), "раньше начала \(assignment.from.russian)")
            XCTAssertTrue(refused.body.string.contains("value=\"\(early)\""))
            XCTAssertFalse(refused.body.string.contains("until:"), "no internal names")
            try await assertEqualAsync(try await CuratorAssignmentModel.find(assignment.id!, on: fixture.app.db)?.until, nil)

            let until = assignment.from.adding(days: 1)
            try await assertEqualAsync(try await coordinator.post(action, [("version", version), ("until", until.russian)]).status,
                                       .seeOther)
            try await assertEqualAsync(try await CuratorAssignmentModel.find(assignment.id!, on: fixture.app.db)?.until, until)
            let stale = try await coordinator.post(action, [("version", version), ("until", until.russian)])
            XCTAssertEqual(stale.status, .conflict, "a stale form")
            XCTAssertTrue(stale.body.string.contains("Запись уже изменил другой пользователь"))
        }
    }

    func testAMentorPairsStateRefusedComesBackOpenWithWhatWasTyped() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/support")
            try await assertEqualAsync(try await coordinator.post("/support/pairs",
                                                                  [("supported", String(fixture.schoolA)),
                                                                   ("mentor", String(fixture.schoolA2)),
                                                                   ("start_year", "2025"), ("end_year", "2026")]).status, .seeOther)
            let pair = try await XCTUnwrapAsync(try await MentorPairModel.query(on: fixture.app.db).first())
            let action = "/support/pairs/\(pair.id!)"
            let typed = "Взаимопосещение уроков математики, 6 занятий"
            let refused = try await coordinator.post(action, [("version", String(pair.version)), ("status", ""), ("activities", typed)])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertEqual(note(html, "status"), "Выберите значение")
            XCTAssertTrue(html.contains(">\(typed)</textarea>"), "the activities as typed")
            XCTAssertTrue(html.contains("<details open=\"open\">"), "the refused form is open in its row")
            try await assertEqualAsync(try await MentorPairModel.find(pair.id!, on: fixture.app.db)?.activities, nil)

            let long = String(repeating: "я", count: 5_001)
            let tooLong = try await coordinator.post(action, [("version", String(pair.version)), ("status", "completed"),
                                                              ("activities", long)])
            XCTAssertEqual(tooLong.status, .unprocessableEntity)
            XCTAssertNotNil(note(tooLong.body.string, "activities"))
            XCTAssertTrue(tooLong.body.string.contains("<option value=\"completed\" selected"), "the state as chosen")

            try await assertEqualAsync(try await coordinator.post(action, [("version", String(pair.version)), ("status", "completed"),
                                                                           ("activities", typed)]).status, .seeOther)
            let saved = try await XCTUnwrapAsync(try await MentorPairModel.find(pair.id!, on: fixture.app.db))
            XCTAssertEqual(saved.status, "completed")
            XCTAssertEqual(saved.activities, typed)
            let stale = try await coordinator.post(action, [("version", String(pair.version)), ("status", "active"),
                                                            ("activities", "Другой текст")])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.string.contains(">Другой текст</textarea>"), "a conflict keeps what was typed")
            try await assertEqualAsync(try await MentorPairModel.find(pair.id!, on: fixture.app.db)?.status, "completed")
        }
    }

    func testAFollowUpMarkedDoneByAStaleButtonSaysSoNextToTheButton() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await SupportRepository(db: fixture.app.db).addVisit(
                .init(schoolID: fixture.schoolA, day: CalendarDay.today().adding(days: -3), visitor: "Куратор", format: .onSite,
                      topic: "Адаптация пятиклассников", followUp: "План по математике",
                      followUpDue: CalendarDay.today().adding(days: 30)), scope: .everything, actor: .commandLine)
            let visit = try await XCTUnwrapAsync(try await VisitModel.query(on: fixture.app.db).first())
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/schools/\(fixture.schoolA)/support")
            let stale = try await coordinator.post("/support/visits/\(visit.id!)/done", [("version", String(visit.version + 5))])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertNil(stale.headers.first(name: .location))
            let html = stale.body.string
            let message = try XCTUnwrap(html.range(of: "Запись уже изменил другой пользователь"), "the reason is on the page")
            let button = try XCTUnwrap(html.range(of: "отметить исполненным"))
            XCTAssertLessThan(html.distance(from: message.lowerBound, to: button.lowerBound), 800, "next to that button")
            try await assertEqualAsync(try await VisitModel.find(visit.id!, on: fixture.app.db)?.followUpDone, false)
            try await assertEqualAsync(try await coordinator.post("/support/visits/\(visit.id!)/done",
                                                                  [("version", String(visit.version))]).status, .seeOther)
            try await assertEqualAsync(try await VisitModel.find(visit.id!, on: fixture.app.db)?.followUpDone, true)
        }
    }

    func testASchoolIsChosenByNameForAnOrganisationAndNoneChosenIsRefusedInItsRow() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/support/network")
            try await assertEqualAsync(try await coordinator.post("/support/organisations",
                                                                  [("kind", "centre"), ("name", "Консультационный центр")]).status,
                                       .seeOther)
            let centre = try await XCTUnwrapAsync(try await SupportOrganisationModel.query(on: fixture.app.db).first())
            let page = try await coordinator.get("/support/network").body.string
            XCTAssertTrue(page.contains("<option value=\"\">— выберите школу —</option>"), "no school is pre-chosen")
            let action = "/support/organisations/\(centre.id!)/schools"
            let refused = try await coordinator.post(action, [("school", ""), ("member", "0")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertEqual(note(refused.body.string, "school"), "Выберите школу")
            XCTAssertTrue(refused.body.string.contains("<option value=\"0\" selected"), "the action as chosen")
            try await assertEqualAsync(try await coordinator.post(action, [("school", String(fixture.schoolA2)), ("member", "1")]).status,
                                       .seeOther)
            try await assertEqualAsync(try await OrganisationSchoolModel.query(on: fixture.app.db).count(), 1)
        }
    }

    func testDeactivatingOneselfIsRefusedNextToThatRowsButton() async throws {
        try await WebFixture.onEachEngine { fixture in
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/users")
            let refused = try await analyst.post("/users/analyst/deactivate", [])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertNil(refused.headers.first(name: .location))
            XCTAssertTrue(refused.body.string.contains("Пользователь: нельзя отключить самого себя"))
            try await assertEqualAsync(try await UserModel.query(on: fixture.app.db).filter(\.$login == "analyst").first()?.isActive, true)
            try await assertEqualAsync(try await analyst.post("/users/coord-a/deactivate", []).status, .seeOther)
            try await assertEqualAsync(try await UserModel.query(on: fixture.app.db).filter(\.$login == "coord-a").first()?.isActive, false)
        }
    }

    func testTheSchoolFormNamesEveryProblemBesideItsFieldAndKeepsTheRest() async throws {
        try await WebFixture.onEachEngine { fixture in
            let admin = Browser(fixture.app)
            try await admin.login("admin")
            let blank = try await admin.get("/schools/new").body.string
            XCTAssertTrue(blank.contains("<option value=\"\">— выберите муниципалитет —</option>"), "no municipality pre-chosen")
            let typed = [("code", "N5"), ("name", ""), ("address", "ул. Ленина, 7"), ("municipality_id", ""),
                         ("students", "много"), ("students_ovz", "12"), ("shifts", "7")]
            let refused = try await admin.post("/schools", typed)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertEqual(note(html, "name"), "Заполните поле")
            XCTAssertEqual(note(html, "municipality_id"), "Выберите муниципалитет")
            XCTAssertEqual(note(html, "students"), "Введите целое число от 0 до \(RussianFormat.integer(100_000))")
            XCTAssertEqual(note(html, "shifts"), "Введите целое число от 1 до 3")
            for value in ["N5", "ул. Ленина, 7", "много", "12", "7"] { XCTAssertTrue(html.contains("value=\"\(value)\""), value) }
            XCTAssertTrue(html.contains("Не сохранено: исправьте отмеченные поля (4)"))
            try await assertEqualAsync(try await SchoolModel.query(on: fixture.app.db).filter(\.$code == "N5").count(), 0)

            let good = [("code", "N5"), ("name", "МБОУ «СОШ № 5»"), ("address", "ул. Ленина, 7"),
                        ("municipality_id", String(fixture.municipalityA)), ("students", "400"), ("students_ovz", "12"), ("shifts", "2")]
            try await assertEqualAsync(try await admin.post("/schools", good).status, .seeOther)
            let school = try await XCTUnwrapAsync(try await SchoolModel.query(on: fixture.app.db).filter(\.$code == "N5").first())
            XCTAssertEqual(school.students, 400)

            // Editing: more pupils with special needs than pupils, and a code another school holds, beside their fields.
            try await admin.get("/schools/\(school.id!)/edit")
            let edit = [("code", "N5"), ("name", "МБОУ «СОШ № 5»"), ("municipality_id", String(fixture.municipalityA)),
                        ("students", "10"), ("students_ovz", "20"), ("version", String(school.version))]
            let over = try await admin.post("/schools/\(school.id!)", edit)
            XCTAssertEqual(over.status, .unprocessableEntity)
            XCTAssertEqual(note(over.body.string, "students_ovz"), "Больше, чем всего обучающихся (10)")
            XCTAssertTrue(over.body.string.contains("value=\"20\""))
            let taken = try await admin.post("/schools/\(school.id!)", [("code", "A1"), ("confirm_code", "1"), ("name", "МБОУ «СОШ № 5»"),
                                                                        ("municipality_id", String(fixture.municipalityA)),
                                                                        ("version", String(school.version))])
            XCTAssertEqual(taken.status, .unprocessableEntity)
            XCTAssertEqual(note(taken.body.string, "code"), "«A1» уже занято")
            let stale = try await admin.post("/schools/\(school.id!)", [("code", "N5"), ("name", "Новое имя"),
                                                                        ("municipality_id", String(fixture.municipalityA)),
                                                                        ("version", String(school.version + 7))])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.string.contains("value=\"Новое имя\""), "a conflict keeps what was typed")
            try await assertEqualAsync(try await SchoolModel.find(school.id!, on: fixture.app.db)?.students, 400)
        }
    }

    func testARefusedRenameStaysUnderItsRowWithTheNameAsTyped() async throws {
        try await WebFixture.onEachEngine { fixture in
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/municipalities")
            let municipality = try await XCTUnwrapAsync(try await MunicipalityModel.find(fixture.municipalityA, on: fixture.app.db))
            let action = "/municipalities/\(fixture.municipalityA)"
            let refused = try await analyst.post(action, [("version", String(municipality.version)), ("name", "Белёвский район")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            let form = try XCTUnwrap(html.range(of: "action=\"\(action)\""))
            let row = html[form.lowerBound...].prefix(1_500)
            XCTAssertTrue(row.contains("value=\"Белёвский район\""), "the typed name in that row")
            XCTAssertTrue(row.contains("Наименование: значение «Белёвский район» уже занято"), "the reason under that row")
            XCTAssertFalse(html.contains("Сейчас сохранено"), "only a conflict shows what is stored")
            try await assertEqualAsync(try await MunicipalityModel.find(fixture.municipalityA, on: fixture.app.db)?.name, "Чернский район")

            let noRegion = try await analyst.post("/municipalities", [("region_id", ""), ("name", "Новый район")])
            XCTAssertEqual(noRegion.status, .unprocessableEntity)
            XCTAssertEqual(note(noRegion.body.string, "region_id"), "Выберите регион")
            XCTAssertTrue(noRegion.body.string.contains("value=\"Новый район\""))

            try await assertEqualAsync(try await analyst.post(action, [("version", String(municipality.version)),
                                                                       ("name", "Чернский муниципальный район")]).status, .seeOther)
            try await assertEqualAsync(try await MunicipalityModel.find(fixture.municipalityA, on: fixture.app.db)?.name,
                                       "Чернский муниципальный район")
        }
    }

    func testARefusedUploadShowsTheUploadPageWithTheKindKeptAndEveryProblemInRussian() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/imports")
            let unknown = try await coordinator.upload(kind: "poem", name: "r.csv", content: "a,b\n1,2\n")
            XCTAssertEqual(unknown.status, .unprocessableEntity)
            XCTAssertEqual(note(unknown.body.string, "kind"), "Выберите значение из списка")
            XCTAssertTrue(unknown.body.string.contains("Выберите файл снова"))

            // A file refused at its check carries the upload form again, the kind still chosen, the file asked for.
            let foreign = try await coordinator.upload(kind: "scores", name: "s.csv", content: "year,school\n2023,B1\n")
            XCTAssertEqual(foreign.status, .unprocessableEntity)
            XCTAssertTrue(foreign.body.string.contains("<option value=\"scores\" selected"), "the kind kept on the refused page")
            XCTAssertEqual(note(foreign.body.string, "file"), "Выберите файл снова: браузер не сохраняет выбранный файл")
            let again = try await coordinator.get("/imports?kind=scores").body.string
            XCTAssertTrue(again.contains("<option value=\"scores\" selected"), "the kind chosen again")

            let file = "year,procedure,grade,subject,school,participants,m2,m3,m4,m5\n2023,VPR,6,rus,A1,10,1,5,3,1\n"
            let preview = try await coordinator.upload(kind: "results", name: "r.csv", content: file)
            XCTAssertEqual(preview.status, .ok)
            let token = try XCTUnwrap(preview.body.string.range(of: "name=\"token\" value=\"").map { range -> String in
                let rest = preview.body.string[range.upperBound...]
                return String(rest[..<rest.firstIndex(of: "\"")!])
            })
            // The checked file committed as another kind is refused by that kind's reading: nothing written.
            let refused = try await coordinator.post("/imports/commit", [("token", token), ("kind", "schools"), ("file_name", "r.csv")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertNil(refused.headers.first(name: .location), "no redirect that wipes the choice")
            let html = refused.body.string
            XCTAssertTrue(html.contains("<h1>Загрузка данных</h1>"), "the upload page")
            XCTAssertTrue(html.contains("<option value=\"schools\" selected"), "the kind as chosen")
            XCTAssertTrue(html.contains("Файл «r.csv» не принят"))
            XCTAssertTrue(html.contains("<li>r.csv:"), "each problem as FILE:LINE: column: message")
            XCTAssertEqual(note(html, "file"), "Выберите файл снова: браузер не сохраняет выбранный файл")
            try await assertEqualAsync(try await SchoolModel.query(on: fixture.app.db).count(), 3)
        }
    }

    func testRefusedExitCriteriaKeepTheTextAndPointAtItBesideTheField() async throws {
        try await WebFixture.onEachEngine { fixture in
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/exits/criteria")
            let refused = try await analyst.post("/exits/criteria", [("text", "критерии: [")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let beside = refused.body.string.components(separatedBy: "id=\"text-note\"").dropFirst().first ?? ""
            XCTAssertTrue(beside.hasPrefix(" style=\"white-space:pre-wrap;margin:0\">Критерии выхода из списка не читаются"),
                          "the problems beside the text: \(beside.prefix(300))")
            XCTAssertTrue(refused.body.string.contains("критерии: ["), "the text as typed")
        }
    }
}
