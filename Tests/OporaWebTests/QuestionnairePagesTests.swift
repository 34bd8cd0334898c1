import FluentKit
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import SQLKit
import XCTVapor
import XCTest

/// «Анкеты» over HTTP (issue 22): everyone reads, analysts and coordinators import and edit; a refused form keeps what
/// was typed with the problems beside their questions; moving questions stores nothing; audit rows with their place.
final class QuestionnairePagesTests: XCTestCase {
    func upload(_ browser: Browser, name: String, content: String) async throws -> XCTHTTPResponse {
        let boundary = "----opora\(UUID().uuidString)"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf ?? "")\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/yaml\r\n\r\n"
        body += "\(content)\r\n--\(boundary)--\r\n"
        return try await browser.send(.POST, "/questionnaires/import", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// The edit form's fields as a browser posts them (the page's own values).
    static func fields(of draft: QuestionnaireDraft, expected: Int?, action: String) -> [(String, String)] {
        var fields: [(String, String)] = [("code", draft.code), ("title", draft.title), ("purpose", draft.purpose),
                                          ("description", draft.description), ("count", String(draft.questions.count)),
                                          ("expected", expected.map(String.init) ?? ""), ("action", action)]
        for (index, question) in draft.questions.enumerated() {
            let prefix = "q\(index + 1)_"
            fields += [(prefix + "id", question.id), (prefix + "group", question.group), (prefix + "grades", question.grades),
                       (prefix + "kind", question.kind), (prefix + "text", question.text), (prefix + "min", question.minimum),
                       (prefix + "max", question.maximum), (prefix + "max_length", question.maxLength), (prefix + "options", question.options)]
            if question.required { fields.append((prefix + "required", "on")) }
        }
        return fields
    }

    func testReadersSeeTheQuestionsAndTheRiskMappingButOnlyAnalystsAndCoordinatorsChangeThem() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await QuestionnaireRepository(db: fixture.app.db).installPresets()
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let list = try await director.get("/questionnaires")
            XCTAssertEqual(list.status, .ok)
            XCTAssertTrue(list.body.string.contains("Профиль рисков: анкета для родителей"))
            XCTAssertTrue(list.body.string.contains(">Анкеты</a>"), "the menu entry")
            XCTAssertFalse(list.body.string.contains("/questionnaires/import"), "a director does not import")
            let page = try await director.get("/questionnaires/risk_parents")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.string.contains("id=\"risk-mapping\""))
            XCTAssertTrue(page.body.string.contains("10. Низкий уровень вовлечённости родителей"), "the factor named in the mapping")
            let status1 = try await director.get("/questionnaires/risk_parents/edit").status
            XCTAssertEqual(status1, .forbidden)
            let status2 = try await director.get("/questionnaires/new").status
            XCTAssertEqual(status2, .forbidden)
            let status3 = try await director.post("/questionnaires/save", [("code", "x"), ("count", "0")]).status
            XCTAssertEqual(status3, .forbidden)
            let status4 = try await director.get("/questionnaires/nothing_here").status
            XCTAssertEqual(status4, .notFound)
            let status5 = try await director.get("/questionnaires/..%2Fetc").status
            XCTAssertEqual(status5, .notFound)
            let export = try await director.get("/questionnaires/risk_parents/export")
            XCTAssertEqual(export.status, .ok)
            XCTAssertEqual(try QuestionnaireFile.read(export.body.string, file: "export.yaml"), QuestionnairePresets.riskParents)
        }
    }

    func testACoordinatorEditsQuestionByQuestionAndARefusedFormKeepsWhatWasTyped() async throws {
        try await WebFixture.onEachEngine { fixture in
            let repository = QuestionnaireRepository(db: fixture.app.db)
            try await repository.installPresets()
            let stored = try await repository.latest(code: "risk_parents")!
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let status6 = try await coordinator.get("/questionnaires/risk_parents/edit").status
            XCTAssertEqual(status6, .ok)
            var draft = QuestionnaireDraft(stored.questionnaire)

            // Moving a question changes the form only.
            let moved = try await coordinator.post("/questionnaires/save", Self.fields(of: draft, expected: stored.id, action: "down:1"))
            XCTAssertEqual(moved.status, .ok)
            let html = moved.body.string
            let first = html.range(of: "value=\"r_contact\"")!, second = html.range(of: "value=\"r_meetings\"")!
            XCTAssertLessThan(first.lowerBound, second.lowerBound, "r_contact is now question 1")
            let unchanged = try await repository.versions(code: "risk_parents")
            XCTAssertEqual(unchanged.map(\.questionnaire), [stored.questionnaire], "nothing stored")

            // A wrong factor: refused, the typed text kept, the problem beside question 2.
            draft.questions[1].text = "Легко ли связаться с учителем? (новая редакция)"
            draft.questions[1].options = "да | 10:0\nнет | 15:3"
            let refused = try await coordinator.post("/questionnaires/save", Self.fields(of: draft, expected: stored.id, action: "save"))
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let body = refused.body.string
            XCTAssertTrue(body.contains("Легко ли связаться с учителем? (новая редакция)"), "what was typed comes back")
            XCTAssertTrue(body.contains("нет | 15:3"))
            let question2 = body.range(of: "id=\"question-2\"")!, question3 = body.range(of: "id=\"question-3\"")!
            let problem = body.range(of: "неизвестный фактор риска «15»")!
            XCTAssertTrue(problem.lowerBound > question2.lowerBound && problem.lowerBound < question3.lowerBound, "beside question 2")

            // Fixed and saved: no one answered version 1, so it changes in place; the audit row is the coordinator's.
            draft.questions[1].options = "да | 10:0\nнет | 10:3"
            let saved = try await coordinator.post("/questionnaires/save", Self.fields(of: draft, expected: stored.id, action: "save"))
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            let after = try await repository.versions(code: "risk_parents")
            XCTAssertEqual(after.map(\.version), [1])
            XCTAssertEqual(after.first?.questionnaire.questions[1].options.map(\.risk), [[10: 0], [10: 3]])
            let audit = try await fixture.app.db.sql.raw("""
                SELECT actor, municipality_id FROM audit_log WHERE entity = 'questionnaire' AND action = 'update'
                """).all()
            XCTAssertEqual(try audit.map { try $0.decode(column: "actor", as: String.self) }, ["coord-a"])
            XCTAssertEqual(try audit.first?.decode(column: "municipality_id", as: Int?.self), fixture.municipalityA)

            // A form opened on the old version after someone else saved: 409, the typed text kept.
            let other = Browser(fixture.app)
            try await other.login("analyst")
            try await other.get("/questionnaires")
            let newer = try await repository.save(QuestionnairePresets.riskParents, actor: .commandLine)
            XCTAssertEqual(newer.1, .created, "the preset's text again: version 2")
            var stale = draft
            stale.title = "Устаревшая форма"
            let conflict = try await other.post("/questionnaires/save", Self.fields(of: stale, expected: stored.id, action: "save"))
            XCTAssertEqual(conflict.status, .conflict)
            XCTAssertTrue(conflict.body.string.contains("Устаревшая форма"))

            // Without the form token nothing is saved.
            let forged = try await coordinator.post("/questionnaires/save", Self.fields(of: draft, expected: stored.id, action: "save"),
                                                    withCSRF: false)
            XCTAssertEqual(forged.status, .forbidden)
        }
    }

    func testAnImportIsRefusedWithItsLinesOrSavedAsANewVersion() async throws {
        try await WebFixture.onEachEngine { fixture in
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/questionnaires")
            let bad = "code: school_climate\ntitle: Климат\nquestions:\n  - id: a\n    group: pupil\n    kind: scale\n    text: Как тебе в школе?\n"
            let refused = try await upload(analyst, name: "климат.yaml", content: bad)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains("климат.yaml:5: вопрос «a»: для учеников нужны классы"), refused.body.string)
            try await assertEqualAsync(try await QuestionnaireModel.query(on: fixture.app.db).count(), 0)

            let good = bad.replacingOccurrences(of: "group: pupil", with: "group: pupil\n    grades: 5-9")
            let saved = try await upload(analyst, name: "климат.yaml", content: good)
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            XCTAssertEqual(saved.headers.first(name: .location), "/questionnaires/school_climate")
            let again = try await upload(analyst, name: "климат.yaml", content: good)
            XCTAssertEqual(again.status, .seeOther)
            let versions = try await QuestionnaireRepository(db: fixture.app.db).versions(code: "school_climate")
            XCTAssertEqual(versions.map(\.version), [1], "the same content again: no new version")
            XCTAssertEqual(versions.first?.questionnaire.groups, [.pupil(grades: 5...9)])
        }
    }
}
