import Fluent
import OporaData
import OporaTestSupport
import OporaWeb
import XCTVapor

final class EditingTests: XCTestCase {
    func form(_ fixture: WebFixture, students: String, version: String) -> [(String, String)] {
        [("code", "A1"), ("name", "МКОУ «Липицкая СОШ»"), ("municipality_id", "\(fixture.municipalityA)"), ("settlement", "rural"),
         ("students", students), ("version", version)]
    }

    func testEditIsAuditedAndVisibleToTheCoordinator() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            try await browser.get("/schools/\(fixture.schoolA)/edit")
            let saved = try await browser.post("/schools/\(fixture.schoolA)", form(fixture, students: "101", version: "1"))
            XCTAssertEqual(saved.status, .seeOther)
            try await assertEqualAsync(try await SchoolModel.find(fixture.schoolA, on: fixture.app.db)?.students, 101)
            try await assertTrueAsync(try await browser.get("/schools/\(fixture.schoolA)").body.string.contains("Изменения сохранены"))
            let audit = try await browser.get("/audit").body.string
            XCTAssertTrue(audit.contains("Изменена школа «МКОУ «Липицкая СОШ»»"), audit)
            XCTAssertTrue(audit.contains("Обучающихся: 98 → 101"))
            XCTAssertTrue(audit.contains("coord-a"))
        }
    }

    func testSecondEditorOfTheSameVersionGetsAConflictAndKeepsTheirInput() async throws {
        try await WebFixture.onEachEngine { fixture in
            let first = Browser(fixture.app), second = Browser(fixture.app)
            try await first.login("coord-a")
            try await second.login("analyst")
            try await first.get("/schools/\(fixture.schoolA)/edit")
            try await second.get("/schools/\(fixture.schoolA)/edit")
            try await assertEqualAsync(
                try await first.post("/schools/\(fixture.schoolA)", form(fixture, students: "101", version: "1")).status, .seeOther)
            let late = try await second.post("/schools/\(fixture.schoolA)", form(fixture, students: "777", version: "1"))
            XCTAssertEqual(late.status, .conflict)
            XCTAssertTrue(late.body.string.contains("уже изменил другой пользователь"))
            XCTAssertTrue(late.body.string.contains("value=\"777\""), "what the second editor typed is still in the form")
            try await assertEqualAsync(try await SchoolModel.find(fixture.schoolA, on: fixture.app.db)?.students, 101)
        }
    }

    func testInvalidInputIsExplainedAndKept() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            try await browser.get("/schools/new")
            let response = try await browser.post(
                "/schools",
                [
                    ("code", "A9"), ("name", "Новая <школа>"), ("municipality_id", "\(fixture.municipalityA)"),
                    ("students", "десять"),
                ])
            XCTAssertEqual(response.status, .unprocessableEntity)
            XCTAssertTrue(response.body.string.contains("id=\"students-note\">Введите целое число от 0 до"), "the reason beside the field")
            XCTAssertTrue(response.body.string.contains("value=\"Новая &lt;школа&gt;\""), "input is kept and escaped")
            try await assertEqualAsync(try await SchoolModel.query(on: fixture.app.db).count(), 3)
        }
    }

    func testAPIUpdateWithTokenAndVersion() async throws {
        try await WebFixture.onEachEngine { fixture in
            let token = try await AccountService.issueToken(forLogin: "coord-a", name: "script", by: .commandLine, on: fixture.app.db)
            let api = Browser(fixture.app)
            api.bearer = token
            let body =
                #"{"code":"A1","name":"МКОУ «Липицкая СОШ»","municipality_id":\#(fixture.municipalityA),"students":"120","version":1}"#
            let ok = try await api.sendJSON(.PUT, "/api/schools/\(fixture.schoolA)", body)
            XCTAssertEqual(ok.status, .ok)
            XCTAssertTrue(ok.body.string.contains("\"version\":2"))
            let stale = try await api.sendJSON(.PUT, "/api/schools/\(fixture.schoolA)", body)
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.string.contains("\"error\":true"))
            let garbage = try await api.sendJSON(.PUT, "/api/schools/\(fixture.schoolA)", "{not json")
            XCTAssertEqual(garbage.status, .badRequest)
        }
    }

    func testHomePageShowsTheMunicipalityInRussian() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            let home = try await browser.get("/overview")
            XCTAssertEqual(home.status, .ok)
            let html = home.body.string
            XCTAssertTrue(html.contains("<html lang=\"ru\">"))
            XCTAssertTrue(html.contains("<h1>Чернский район</h1>"))
            XCTAssertTrue(html.contains("Где нужно внимание"))
            XCTAssertTrue(html.contains("МКОУ «Липицкая СОШ»"))
        }
    }
}

extension EditingTests {
    func testContextIsEditedPerSchoolAndYearWithTheImportChecks() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            try await browser.get("/schools/\(fixture.schoolA)/context?year=2024")
            let saved = try await browser.post(
                "/schools/\(fixture.schoolA)/context?year=2024",
                [("v_isbs_group", "3"), ("v_single_parent", "27,5"), ("new_code", "teachers_highest"), ("new_value", "12")])
            XCTAssertEqual(saved.status, .seeOther)
            let page = try await browser.get("/schools/\(fixture.schoolA)/context?year=2024").body.string
            XCTAssertTrue(page.contains("Сохранено"))
            XCTAssertTrue(page.contains("value=\"27,5\""))
            XCTAssertTrue(page.contains("teachers_highest"))
            let context = try await IdentificationRepository(db: fixture.app.db).context(year: 2024)[fixture.schoolA]!
            XCTAssertEqual(context["isbs_group"]?.number, 3)
            XCTAssertEqual(context["single_parent"]?.number, 27.5)

            let bad = try await browser.post("/schools/\(fixture.schoolA)/context?year=2024", [("v_isbs_group", "14")])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.string.contains("Группа от 1 до 11, а не «14»"), "beside its field (RemainingFormsATests)")
            try await assertEqualAsync(
                try await IdentificationRepository(db: fixture.app.db).context(year: 2024)[fixture.schoolA]?["isbs_group"]?.number, 3)
            try await assertEqualAsync(
                try await browser.post("/schools/\(fixture.schoolB)/context?year=2024", [("v_isbs_group", "3")]).status, .notFound)
        }
    }
}

extension EditingTests {
    /// Renames of municipalities and regions and edits of the catalogues: a stale version is a 409 that keeps
    /// what was typed (before, a redirect with a flash dropped it).
    func testStaleRegistryEditsKeepWhatWasTyped() async throws {
        try await WebFixture.onEachEngine { fixture in
            let admin = Browser(fixture.app), other = Browser(fixture.app)
            try await admin.login("admin")
            try await other.login("analyst")
            let region = try await RegionModel.query(on: fixture.app.db).first()!
            let subject = try await SubjectModel.query(on: fixture.app.db).filter(\.$code == "bio").first()!
            let procedure = try await ProcedureModel.query(on: fixture.app.db).filter(\.$code == "DIAG").first()!
            let cases: [(page: String, path: String, first: [(String, String)], late: [(String, String)], typed: String)] = [
                (
                    "/municipalities", "/municipalities/\(fixture.municipalityA)", [("name", "Чернский МО"), ("version", "1")],
                    [("name", "Чернский округ (мой вариант)"), ("version", "1")], "Чернский округ (мой вариант)"
                ),
                (
                    "/regions", "/regions/\(region.id!)", [("name", "Тульская обл."), ("version", "1")],
                    [("name", "Тула (мой вариант)"), ("version", "1")], "Тула (мой вариант)"
                ),
                (
                    "/catalogues", "/catalogues/subjects/\(subject.id!)",
                    [("name", "Биология (10–11)"), ("aliases", ""), ("version", "1")],
                    [("name", "Биология (мой вариант)"), ("aliases", "био"), ("version", "1")], "Биология (мой вариант)"
                ),
                (
                    "/catalogues", "/catalogues/procedures/\(procedure.id!)",
                    [("short_name", "РДР"), ("name", "Региональная работа"), ("version", "1")],
                    [("short_name", "ДКР"), ("name", "Диагностика (мой вариант)"), ("version", "1")], "Диагностика (мой вариант)"
                ),
                (
                    "/catalogues", "/catalogues/risk-factors/1", [("name", "Слабая материальная база"), ("version", "1")],
                    [("name", "Оснащение (мой вариант)"), ("version", "1")], "Оснащение (мой вариант)"
                ),
            ]
            for item in cases {
                // The region's analyst saves first where they may; the whole installation's analyst otherwise.
                let firstEditor = item.page == "/municipalities" || item.page == "/regions" ? other : admin
                try await firstEditor.get(item.page)
                try await assertEqualAsync(try await firstEditor.post(item.path, item.first).status, .seeOther, item.path)
                try await admin.get(item.page)
                let late = try await admin.post(item.path, item.late)
                XCTAssertEqual(late.status, .conflict, item.path)
                XCTAssertTrue(late.body.string.contains("value=\"\(item.typed)\""), "\(item.path): the typed value is kept")
                XCTAssertTrue(late.body.string.contains("уже изменил другой пользователь"), item.path)
                XCTAssertTrue(late.body.string.contains("name=\"version\" value=\"1\""), "\(item.path): a blind resubmit conflicts again")
            }
        }
    }

    /// An API client reads a school, changes a field and puts the same JSON back.
    func testTheAPIRoundTripsItsOwnJSON() async throws {
        try await WebFixture.onEachEngine { fixture in
            let api = Browser(fixture.app)
            api.bearer = try await AccountService.issueToken(forLogin: "coord-a", name: "t", by: .commandLine, on: fixture.app.db)
            let read = try await api.get("/api/schools/\(fixture.schoolA)")
            var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(read.body.string.utf8)) as? [String: Any])
            json["director"] = "Новикова Н. Н."
            let body = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
            let put = try await api.sendJSON(.PUT, "/api/schools/\(fixture.schoolA)", body)
            XCTAssertEqual(put.status, .ok, put.body.string)
            XCTAssertTrue(put.body.string.contains("\"version\":2"), put.body.string)
            try await assertEqualAsync(try await SchoolModel.find(fixture.schoolA, on: fixture.app.db)?.director, "Новикова Н. Н.")
            try await assertEqualAsync(
                try await SchoolModel.find(fixture.schoolA, on: fixture.app.db)?.students, 98, "untouched fields stay")
            // The same JSON again carries the old version: refused.
            try await assertEqualAsync(try await api.sendJSON(.PUT, "/api/schools/\(fixture.schoolA)", body).status, .conflict)
        }
    }

    /// Export the demo's schools to CSV and import the file back: nothing changes (the formula guard is undone).
    func testTheExportedSchoolsCSVImportsBackUnchanged() async throws {
        try await WebFixture.onEachEngine { fixture in
            let tricky = [("A1", "-Липицкая «филиал»"), ("A2", "=Чернская СОШ № 1"), ("B1", "+Белёвская; \"вторая\"")]
            for (code, name) in tricky {
                let school = try await SchoolModel.query(on: fixture.app.db).filter(\.$code == code).first()!
                school.name = name
                try await school.save(on: fixture.app.db)
            }
            let admin = Browser(fixture.app)
            try await admin.login("admin")
            let export = try await admin.get("/schools/export.csv")
            XCTAssertTrue(export.body.string.contains("'=Чернская"), "the guard is in the file Excel opens")
            let summary = try await Importer(db: fixture.app.db, actor: .commandLine)
                .importFile(.schools, bytes: [UInt8](buffer: export.body), fileName: "schools.csv")
            XCTAssertEqual(summary.updated, 0)
            XCTAssertEqual(summary.unchanged, 3)
        }
    }
}
