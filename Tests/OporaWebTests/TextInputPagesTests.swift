import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// Issue 18, point 3: long form fields are refused with their limit, never cut; control characters, Unicode
/// line separators and direction overrides are refused in names — on the pages and below them, on both engines.
final class TextInputPagesTests: XCTestCase {
    func testVisitFieldsAreRefusedWithTheirLimitAndNeverCut() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/schools/\(fixture.schoolA)/support")
            let visit: [(String, String)] = [("school", String(fixture.schoolA)), ("date", "01.10.2024"), ("confirm_date", "01.10.2024"),
                                             ("format", "on_site")]
            func refused(_ fields: [(String, String)], _ expected: String) async throws {
                let response = try await coordinator.post("/support/visits", visit + fields)
                XCTAssertEqual(response.status, .unprocessableEntity)
                XCTAssertTrue(response.body.string.contains(expected), expected)
                try await assertEqualAsync(try await VisitModel.query(on: fixture.app.db).count(), 0, expected)
            }
            try await refused([("visitor", "Лебедева О. П.\u{202E}"), ("topic", "Анализ ВПР")],
                              "недопустимый символ U+202E (невидимая смена направления текста); удалите его")
            try await refused([("visitor", "Лебедева\u{2028}О. П."), ("topic", "Анализ ВПР")],
                              "недопустимый символ U+2028 (невидимый разрыв строки); удалите его")
            try await refused([("visitor", "Лебедева О. П."), ("topic", "Анализ ВПР"), ("findings", String(repeating: "я", count: 5_001))],
                              "не длиннее \(RussianFormat.integer(5_000)) символов, а введено \(RussianFormat.integer(5_001))")
            // Exactly the limit, over several lines, is stored whole.
            let findings = String(repeating: "я", count: 2_500) + "\r\n" + String(repeating: "ю", count: 2_499)
            let stored = try await coordinator.post("/support/visits", visit + [("visitor", "Лебедева О. П."), ("topic", "Анализ ВПР"),
                                                                                ("findings", findings)])
            XCTAssertEqual(stored.status, .seeOther)
            try await assertEqualAsync(try await VisitModel.query(on: fixture.app.db).first()?.findings, findings)
        }
    }

    /// The programme form echoes what was typed: a goal over its limit comes back whole, with the limit named.
    func testALongGoalComesBackWholeWithItsLimit() async throws {
        try await WebFixture.onEachEngine { fixture in
            let director = Browser(fixture.app)
            try await director.login("director-a")
            try await director.get("/programmes")
            _ = try await director.post("/programmes", [("school", String(fixture.schoolA)), ("kind", "concept"),
                                                        ("title", "Концепция развития"), ("start_year", "2024"), ("end_year", "2025")])
            let id = try await SchoolProgrammeModel.query(on: fixture.app.db).first()!.id!
            try await director.get("/programmes/\(id)/edit")
            let goal = String(repeating: "ц", count: 4_001)
            let response = try await director.post("/programmes/\(id)", [("version", "1"), ("goal", goal)])
            XCTAssertEqual(response.status, .unprocessableEntity)
            XCTAssertTrue(response.body.string.contains(goal), "what was typed is kept")
            XCTAssertTrue(response.body.string.contains("id=\"goal-note\">не длиннее 4000 символов, а введено 4001"),
                          "the limit named beside the goal")
            try await assertEqualAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)?.content.goal, "")
            // A title with a direction override is refused, not stored.
            let title = try await director.post("/programmes", [("school", String(fixture.schoolA)), ("kind", "concept"),
                                                                ("title", "Концепция\u{202E}"), ("start_year", "2024"),
                                                                ("end_year", "2025")])
            XCTAssertEqual(title.status, .unprocessableEntity, "the form comes back, not a redirect that wipes it")
            let refused = title.body.string
            XCTAssertTrue(refused.contains("id=\"title-note\">недопустимый символ U+202E"), refused)
            try await assertEqualAsync(try await SchoolProgrammeModel.query(on: fixture.app.db).count(), 1)
        }
    }

    /// The school form sends a name as typed: a NUL is refused with the field named, not dropped, and the form
    /// comes back with what was typed.
    func testTheSchoolFormRefusesAControlCharacterInANameAndKeepsTheRest() async throws {
        try await WebFixture.onEachEngine { fixture in
            let admin = Browser(fixture.app)
            try await admin.login("admin")
            try await admin.get("/schools/new")
            let response = try await admin.post("/schools", [("code", "N5"), ("name", "МБОУ «СОШ\u{0} № 5»"), ("address", "ул. Ленина, 7"),
                                                             ("municipality_id", String(fixture.municipalityA))])
            XCTAssertEqual(response.status, .unprocessableEntity)
            XCTAssertTrue(response.body.string.contains("id=\"name-note\">недопустимый символ U+0000 (управляющий символ); удалите его"),
                          "the reason beside the name")
            XCTAssertTrue(response.body.string.contains("ул. Ленина, 7"))
            try await assertEqualAsync(try await SchoolModel.query(on: fixture.app.db).filter(\.$code == "N5").count(), 0)
        }
    }

    /// Names are held by the repositories, so every path (pages, API, command line) refuses the same characters.
    func testNamesRefuseSeparatorsAndDirectionMarksOnEveryPath() async throws {
        try await WebFixture.onEachEngine { fixture in
            let registry = RegistryRepository(db: fixture.app.db, actor: .commandLine)
            for name in ["МБОУ «СОШ № 5»\u{202E}", "МБОУ\u{2066}«СОШ № 5»", "МБОУ\n«СОШ № 5»", "МБОУ «СОШ\u{0} № 5»"] {
                do {
                    _ = try await registry.createSchool(SchoolFields(code: "N5", name: name, municipalityID: fixture.municipalityA))
                    XCTFail("\(name.debugDescription) must be refused")
                } catch let error as RepositoryError {
                    XCTAssertTrue(error.description.hasPrefix("Наименование: недопустимый символ U+"), error.description)
                }
            }
            do {
                _ = try await registry.createSchool(SchoolFields(code: "N\u{200F}5", name: "МБОУ «СОШ № 5»",
                                                                 municipalityID: fixture.municipalityA))
                XCTFail("a code with a direction mark must be refused")
            } catch let error as RepositoryError {
                XCTAssertEqual(error.description, "Код: недопустимый символ U+200F (невидимая смена направления текста); удалите его")
            }
            do {
                try await AccountService.createUser(.init(login: "someone", fullName: "Иванова\u{2028}И. И.",
                                                          password: WebFixture.password, role: .viewer,
                                                          municipalityID: fixture.municipalityA),
                                                    by: .commandLine, bcryptCost: 4, on: fixture.app.db)
                XCTFail("a person's name with a line separator must be refused")
            } catch let error as RepositoryError {
                XCTAssertEqual(error.description, "ФИО: недопустимый символ U+2028 (невидимый разрыв строки); удалите его")
            }
            try await assertEqualAsync(try await SchoolModel.query(on: fixture.app.db).filter(\.$code ~~ ["N5", "N\u{200F}5"]).count(), 0)
            try await assertEqualAsync(try await UserModel.query(on: fixture.app.db).filter(\.$login == "someone").count(), 0)

            // An organisation's name from the network page.
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/support/network")
            let response = try await coordinator.post("/support/organisations",
                                                      [("kind", "association"), ("name", "Методическое\u{202E} объединение")])
            XCTAssertEqual(response.status, .unprocessableEntity)
            XCTAssertTrue(response.body.string.contains("недопустимый символ U+202E"))
            try await assertEqualAsync(try await SupportOrganisationModel.query(on: fixture.app.db).count(), 0)
        }
    }
}
