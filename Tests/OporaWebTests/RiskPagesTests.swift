import FluentKit
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// Risk profiles in the browser: entered on the school's page with the import's checks, shown on the matrix
/// within the user's scope, exported whole, and the direction lists derived from them.
final class RiskPagesTests: XCTestCase {
    func testProfilesAreRatedOnTheSchoolPageAndShownOnTheMatrixWithinScope() async throws {
        try await WebFixture.onEachEngine { fixture in
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let form = try await director.get("/schools/\(fixture.schoolA)/risks?year=2024")
            XCTAssertEqual(form.status, .ok)
            XCTAssertTrue(form.body.string.contains("Дефицит педагогических кадров"))
            let saved = try await director.post("/schools/\(fixture.schoolA)/risks?year=2024", [
                ("level_1", "high"), ("source_1", "анкета"), ("level_2", "medium"), ("level_7", "high"),
                    ("comment_7", "12 детей с ОВЗ в 5-х классах"),
            ])
            XCTAssertEqual(saved.status, .seeOther)
            // A level the file does not know comes back beside its factor, everything typed kept, nothing changed.
            let refused = try await director.post("/schools/\(fixture.schoolA)/risks?year=2024",
                                                  [("level_1", "катастрофа"), ("source_1", "анкета ФИОКО")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains("id=\"level_1-note\""), refused.body.string)
            XCTAssertTrue(refused.body.string.contains("value=\"анкета ФИОКО\""))
            XCTAssertFalse(refused.body.string.contains("level: "), "no internal column names")
            let profiles = try await RiskRepository(db: fixture.app.db).profiles(year: 2024, scope: .everything)
            XCTAssertEqual(profiles[fixture.schoolA]?.ratings.mapValues(\.level), [1: .high, 2: .medium, 7: .high])
            XCTAssertEqual(profiles[fixture.schoolA]?.ratings[7]?.comment, "12 детей с ОВЗ в 5-х классах")
            // Another school's profile is out of the director's reach.
            try await assertEqualAsync(try await director.get("/schools/\(fixture.schoolB)/risks?year=2024").status, .notFound)
            try await assertEqualAsync(try await director.post("/schools/\(fixture.schoolB)/risks?year=2024",
                                                               [("level_1", "high")]).status, .notFound)
            // A factor set back to «не оценён» leaves the profile; the audit log keeps both steps.
            _ = try await director.post("/schools/\(fixture.schoolA)/risks?year=2024", [("level_1", "high"), ("level_7", "high")])
            let rated = try await RiskRepository(db: fixture.app.db).profiles(year: 2024, scope: .everything)
            XCTAssertEqual(rated[fixture.schoolA]?.ratings.keys.sorted(), [1, 7])
            let audit = try await AuditEntryModel.query(on: fixture.app.db).filter(\.$entity == "risk_profile").all()
            XCTAssertEqual(audit.count, 3, "rated; then source and comment cleared, and factor 2 taken out")
            XCTAssertTrue(audit.contains { $0.summary.contains("Сняты оценки") })

            // The coordinator sees the matrix of their municipality; the coordinator of B sees none of it.
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let matrix = try await coordinator.get("/risks?year=2024").body.string
            XCTAssertTrue(matrix.contains("МКОУ «Липицкая СОШ»"))
            XCTAssertTrue(matrix.contains("class=\"risk high\""))
            XCTAssertTrue(matrix.contains("Высокая доля обучающихся с ОВЗ"))
            let other = Browser(fixture.app)
            try await other.login("coord-b")
            try await assertFalseAsync(try await other.get("/risks?year=2024").body.string.contains("Липицкая"))
            try await assertEqualAsync(try await other.get("/schools/\(fixture.schoolA)/risks").status, .notFound)

            // Exports take the whole table with the count of high ratings as the last row.
            let csv = try await coordinator.get("/risks/export.csv?year=2024").body.string
            let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
            guard lines.count == 3 else { return XCTFail(csv) }
            XCTAssertTrue(lines[1].contains("A1;МКОУ «Липицкая СОШ»;Чернский район;—;высокая;;;;;;высокая;"), lines[1])
            XCTAssertTrue(lines[2].contains("Высокая значимость: школ;;;1;0;0;0;0;0;1;0"), lines[2])
            try await assertEqualAsync(try await coordinator.get("/risks/export.xlsx?year=2024").status, .ok)

            // A viewer reads but cannot rate; a bad query is a 400, not a crash.
            let viewer = Browser(fixture.app)
            try await viewer.login("viewer-a")
            try await assertTrueAsync(try await viewer.get("/risks?year=2024").body.string.contains("Липицкая"))
            try await assertEqualAsync(try await viewer.post("/schools/\(fixture.schoolA)/risks?year=2024", [("level_1", "low")]).status,
                                       .forbidden)
            try await assertEqualAsync(try await viewer.get("/risks?year=2024&sort=f13").status, .badRequest)
            try await assertEqualAsync(try await viewer.get("/risks?year=-9223372036854775808").status, .badRequest)
        }
    }

    func testTheMatrixMarksProfilesOfSchoolsNotOnTheApprovedListAndDerivesDirections() async throws {
        try await WebFixture.onEachEngine { fixture in
            let importer = Importer(db: fixture.app.db, actor: .commandLine)
            let file = "year;school;factor;level\n2024;A1;9;high\n2024;A2;11;high\n2024;A2;6;low\n"
            _ = try await importer.importFile(.risks, bytes: Array(file.utf8), fileName: "r.csv")
            // The year's list names A1 only.
            let list = IdentificationListModel()
            list.year = 2024
            list.municipalityID = fixture.municipalityA
            list.scopeLabel = "Чернский район"
            list.criteriaName = CriteriaSet.pervouralsk.name
            list.criteriaJSON = "{}"
            list.orderNumber = "7-р"
            list.orderDate = Date()
            list.approvedBy = "coord-a"
            list.approvedAt = Date()
            try await list.create(on: fixture.app.db)
            let entry = IdentificationListEntryModel()
            entry.$list.id = list.id!
            entry.$school.id = fixture.schoolA
            entry.status = IdentificationStatus.lowResults.rawValue
            entry.explanation = ""
            entry.reasonsJSON = "[]"
            try await entry.create(on: fixture.app.db)
            // An import after the list was approved warns about the school that is not on it.
            let again = try await importer.importFile(.risks,
                                                      bytes: Array("year;school;factor;level\n2024;A1;1;low\n2024;A2;1;low\n".utf8),
                                                          fileName: "r2.csv")
            XCTAssertEqual(again.warnings.map(\.description),
                           ["r2.csv:3: school: предупреждение: школы «A2» нет в утверждённом списке на 2024 год: профиль сохранён и " +
                            "отмечен на матрице рисков"])
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let page = try await coordinator.get("/risks?year=2024").body.string
            XCTAssertTrue(page.contains("нет в списке"), page)
            let unlisted = try await coordinator.get("/risks?year=2024&status=unlisted").body.string
            XCTAssertTrue(unlisted.contains("Чернская СОШ № 1"))
            XCTAssertFalse(unlisted.contains("Липицкая"))
            // Both rate a factor of «неблагоприятная учебная атмосфера» high: the direction lists both, typed by nobody.
            XCTAssertTrue(page.contains("МБОУ «Чернская СОШ № 1»; МКОУ «Липицкая СОШ»"), "in alphabetical order")
        }
    }

    /// Factor names are the installation's: only its analyst renames them, and files then name them either way.
    func testAFactorRenamedInTheCatalogueIsReadByItsNewName() async throws {
        try await WebFixture.onEachEngine { fixture in
            let regional = Browser(fixture.app), admin = Browser(fixture.app)
            try await regional.login("analyst")
            try await admin.login("admin")
            try await regional.get("/catalogues")
            try await assertEqualAsync(try await regional.post("/catalogues/risk-factors/1",
                                                               [("name", "Иное"), ("version", "1")]).status, .forbidden)
            try await admin.get("/catalogues")
            try await assertEqualAsync(try await admin.post("/catalogues/risk-factors/1",
                                                            [("name", "Слабая материальная база"), ("version", "1")]).status, .seeOther)
            let duplicate = try await admin.post("/catalogues/risk-factors/2", [("name", "слабая материальная  база"), ("version", "1")])
            XCTAssertEqual(duplicate.status, .unprocessableEntity)
            try await assertTrueAsync(try await admin.get("/catalogues").body.string.contains("value=\"Слабая материальная база\""))
            let file = "year;school;factor;level\n2024;A1;Слабая материальная база;high\n2024;A1;Низкий уровень оснащения школы;high\n"
            let summary = try await Importer(db: fixture.app.db,
                                             actor: .commandLine).importFile(.risks, bytes: Array(file.utf8), fileName: "r.csv")
            XCTAssertEqual(summary.created, 1)
            XCTAssertTrue(summary.warnings.first?.message.contains("та же оценка") ?? false, "both names are factor 1")
            let renamed = try await RiskRepository(db: fixture.app.db).profiles(year: 2024, scope: .everything)
            XCTAssertEqual(renamed[fixture.schoolA]?.ratings[1]?.level, .high)
            try await assertTrueAsync(try await admin.get("/risks?year=2024").body.string.contains("title=\"Слабая материальная база\""))
            // Every territory's log shows the rename.
            try await assertTrueAsync(try await regional.get("/audit").body.string.contains("Переименован фактор риска № 1"))
        }
    }

    /// The questionnaire's answers become ratings of the factors answered in full, with their points.
    func testTheQuestionnaireRatesTheFactorsAnsweredInFull() async throws {
        try await WebFixture.onEachEngine { fixture in
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let form = try await director.get("/schools/\(fixture.schoolA)/risks/questionnaire?year=2025")
            XCTAssertEqual(form.status, .ok)
            XCTAssertTrue(form.body.string.contains("Доля обучающихся с ОВЗ"))
            let posted = try await director.post("/schools/\(fixture.schoolA)/risks/questionnaire?year=2025", [
                ("f1_equipment", "3"), ("f1_internet", "2"), ("f7_share", "0"), ("f7_support", "1"), ("f2_vacancies", "3"),
                    ("f6_failing", "99"),
            ])
            XCTAssertEqual(posted.status, .seeOther)
            let profile = try await RiskRepository(db: fixture.app.db).profiles(year: 2025, scope: .everything)[fixture.schoolA]
            XCTAssertEqual(profile?.ratings.mapValues(\.level), [1: .high, 7: .low])
            XCTAssertEqual(profile?.ratings[1]?.comment, "анкета: 5 из 6 баллов")
            XCTAssertEqual(profile?.ratings[1]?.source, "Анкета для профиля рисков (по темам «500+»), версия 1")
            try await assertTrueAsync(try await director.get("/schools/\(fixture.schoolA)/risks?year=2025").body.string
                                        .contains("По анкете оценено факторов: 2 из 12"))
            let viewer = Browser(fixture.app)
            try await viewer.login("viewer-a")
            try await assertEqualAsync(try await viewer.get("/schools/\(fixture.schoolA)/risks/questionnaire?year=2025").status, .forbidden)
            try await assertEqualAsync(try await director.get("/schools/\(fixture.schoolB)/risks/questionnaire?year=2025").status,
                                       .notFound)
        }
    }

    /// A municipality keeps its own directions, versioned; a municipality without its own takes its region's.
    func testATerritorysOwnDirectionsAreVersionedAndDeriveTheLists() async throws {
        try await WebFixture.onEachEngine { fixture in
            _ = try await Importer(db: fixture.app.db, actor: .commandLine)
                .importFile(.risks, bytes: Array("year;school;factor;level\n2024;A1;2;high\n2024;B1;5;high\n".utf8), fileName: "r.csv")
            let coordinator = Browser(fixture.app), analyst = Browser(fixture.app), other = Browser(fixture.app),
                director = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await analyst.login("analyst")
            try await other.login("coord-b")
            try await director.login("director-a")
            try await coordinator.get("/risks/directions?year=2024")
            let bad = try await coordinator.post("/risks/directions?year=2024",
                                                 [("text", "- code: kadry\n  name: Кадры\n  factors: [2, 13]\n")])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.string.contains("фактора риска № 13 нет"))
            XCTAssertTrue(bad.body.string.contains("factors: [2, 13]"), "the typed text is kept")
            try await assertEqualAsync(try await coordinator.post("/risks/directions?year=2024",
                                                                  [("text", "- code: kadry\n  name: Кадровый потенциал\n  factors: " +
                                                                            "[2, 3, 5]\n")]).status, .seeOther)
            let matrix = try await coordinator.get("/risks?year=2024").body.string
            XCTAssertTrue(matrix.contains("Кадровый потенциал"))
            XCTAssertTrue(matrix.contains("сохранённые направления, версия 1"))
            XCTAssertFalse(matrix.contains("Низкий уровень партнёрства с родителями"), "the preset no longer applies here")
            // The region's analyst saves the region's; B, without its own, takes them; A keeps its own.
            try await analyst.get("/risks/directions?year=2024")
            let directions = "- code: pk\n  name: Повышение квалификации\n  factors: [5]\n"
            try await assertEqualAsync(try await analyst.post("/risks/directions?year=2024", [("text", directions)]).status, .seeOther)
            let inB = try await other.get("/risks?year=2024").body.string
            XCTAssertTrue(inB.contains("Повышение квалификации"))
            XCTAssertTrue(inB.contains("МБОУ «Белёвская СОШ № 2»"))
            try await assertTrueAsync(try await coordinator.get("/risks?year=2024").body.string.contains("Кадровый потенциал"))
            // A school's administrator reads but does not define directions.
            try await director.get("/risks/directions?year=2024")
            try await assertEqualAsync(try await director.post("/risks/directions?year=2024",
                                                               [("text", "- code: x\n  name: X\n  factors: [1]\n")]).status, .forbidden)
            try await assertEqualAsync(try await DirectionsRepository(db: fixture.app.db)
                                        .versions(year: 2024, scope: .municipality(fixture.municipalityA)).count, 1)
        }
    }
}
