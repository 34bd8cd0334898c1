import FluentKit
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import SQLKit
import XCTVapor
import XCTest

/// The remaining forms of programmes, ВПР measures, campaigns, school context and risks (issue 24, «Forms»): a refused
/// action comes back as its page (422, 409 for a conflict) with every value as typed and the reason beside its field or
/// button, nothing saved; corrected, it is saved. Both engines.
final class RemainingFormsATests: XCTestCase {
    static let draft: [(String, String)] = [
        ("goal", "Снизить долю не преодолевших порог ВПР с 34,2 % до 25 %"), ("tasks", "Выявить группу риска"),
        ("m_text_1", "Диагностика 5-х классов"), ("m_deadline_1", "До 10.09.2024"), ("m_responsible_1", "Зам. директора по УВР"),
        ("m_result_1", "Список"), ("i_name_1", "Доля не преодолевших порог ВПР"), ("i_unit_1", "%"), ("i_baseline_1", "34,2"),
        ("i_target_1", "25"),
    ]

    /// A school's new empty programme (version 1), started by director A, signed in as `director`.
    static func programme(_ fixture: WebFixture) async throws -> (director: Browser, programme: SchoolProgrammeModel) {
        let director = Browser(fixture.app)
        try await director.login("director-a")
        try await director.get("/programmes")
        let created = try await director.post("/programmes", [
            ("school", String(fixture.schoolA)), ("kind", "anti_risk"), ("factor", "6"), ("title", "Снижение неуспешности"),
            ("start_year", "2024"), ("end_year", "2025"),
        ])
        XCTAssertEqual(created.status, .seeOther)
        return (director, try await SchoolProgrammeModel.query(on: fixture.app.db).first()!)
    }

    static func curator(_ fixture: WebFixture) async throws -> Browser {
        try await AccountService.createUser(
            .init(login: "curator-a", fullName: "Куратор школы А", password: WebFixture.password, role: .curator,
                  schoolIDs: [fixture.schoolA]), by: .commandLine, bcryptCost: 4, on: fixture.app.db)
        let curator = Browser(fixture.app)
        try await curator.login("curator-a")
        return curator
    }

    static func status(_ fixture: WebFixture, _ id: Int) async throws -> String? {
        try await SchoolProgrammeModel.find(id, on: fixture.app.db)?.status
    }

    func testARefusedDecisionComesBackBesideItsButton() async throws {
        try await WebFixture.onEachEngine { fixture in
            let (director, programme) = try await Self.programme(fixture)
            let id = programme.id!
            try await director.get("/programmes/\(id)")
            // An empty programme cannot be sent: the page again, the reason beside the buttons, nothing sent.
            let empty = try await director.post("/programmes/\(id)/submit", [("version", "1")])
            XCTAssertEqual(empty.status, .unprocessableEntity)
            let refusal = empty.body.string.between("id=\"refusal\">", "</div>") ?? ""
            XCTAssertTrue(refusal.contains("Не выполнено: Перед отправкой: не указана цель"), empty.body.string)
            XCTAssertTrue(empty.body.string.contains("id=\"action-submit\""), "the button is there to try again")
            try await assertEqualAsync(try await Self.status(fixture, id), "draft")

            try await director.get("/programmes/\(id)/edit")
            try await assertEqualAsync(try await director.post("/programmes/\(id)", [("version", "1")] + Self.draft).status, .seeOther)
            // A stale page: 409, the reason beside the buttons, still a draft.
            let stale = try await director.post("/programmes/\(id)/submit", [("version", "1")])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue((stale.body.string.between("id=\"refusal\">", "</div>") ?? "").contains("Запись уже изменил"))
            try await assertEqualAsync(try await Self.status(fixture, id), "draft")
            try await assertEqualAsync(try await director.post("/programmes/\(id)/submit", [("version", "2")]).status, .seeOther)
            try await assertEqualAsync(try await Self.status(fixture, id), "submitted")
            // Sent again from a page opened before: the programme has moved on (409), told beside the buttons.
            let again = try await director.post("/programmes/\(id)/submit", [("version", "2")])
            XCTAssertEqual(again.status, .conflict)
            XCTAssertTrue((again.body.string.between("id=\"refusal\">", "</div>") ?? "").contains("программа уже «на проверке»"),
                          again.body.string)
            // Who may never do it is still forbidden.
            try await assertEqualAsync(try await director.post("/programmes/\(id)/approve", [("version", "3")]).status, .forbidden)
        }
    }

    func testARefusedRemarkKeepsItsTextInItsBox() async throws {
        try await WebFixture.onEachEngine { fixture in
            let (director, programme) = try await Self.programme(fixture)
            let id = programme.id!
            try await director.get("/programmes/\(id)/edit")
            try await assertEqualAsync(try await director.post("/programmes/\(id)", [("version", "1")] + Self.draft).status, .seeOther)
            try await director.get("/programmes/\(id)")
            try await assertEqualAsync(try await director.post("/programmes/\(id)/submit", [("version", "2")]).status, .seeOther)
            let curator = try await Self.curator(fixture)
            try await curator.get("/programmes/\(id)")

            let long = "Уточните сроки. " + String(repeating: "я", count: 4000)
            let refused = try await curator.post("/programmes/\(id)/comments", [("item_key", "goal"), ("text", long)])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let goal = refused.body.string.between("id=\"item-goal\"", "</section>") ?? ""
            XCTAssertTrue(goal.contains("<details open"), "the remark's box is open: \(goal)")
            XCTAssertTrue(goal.contains(long), "the typed remark is kept in its box")
            XCTAssertTrue(goal.contains("id=\"text-note\">не длиннее 4000 символов, а введено 4016"), goal)
            XCTAssertTrue(refused.body.string.contains("Не сохранено: исправьте отмеченные поля (1)"))
            let empty = try await curator.post("/programmes/\(id)/comments", [("item_key", "goal"), ("text", "  ")])
            XCTAssertEqual(empty.status, .unprocessableEntity)
            XCTAssertTrue((empty.body.string.between("id=\"item-goal\"", "</section>") ?? "").contains("Заполните поле"))
            let unknown = try await curator.post("/programmes/\(id)/comments", [("item_key", "measure.99"), ("text", "нет такого")])
            XCTAssertEqual(unknown.status, .unprocessableEntity)
            XCTAssertTrue(unknown.body.string.contains("Не сохранено: Замечание: нет такого пункта программы"))
            try await assertEqualAsync(try await ProgrammeCommentModel.query(on: fixture.app.db).count(), 0)

            let saved = try await curator.post("/programmes/\(id)/comments", [("item_key", "goal"), ("text", "Уточните сроки")])
            XCTAssertEqual(saved.status, .seeOther)
            let remark = try await ProgrammeCommentModel.query(on: fixture.app.db).first()!
            XCTAssertEqual(remark.text, "Уточните сроки")
            // A reply too long: kept in its own field under its remark.
            let reply = try await curator.post("/programmes/\(id)/comments",
                                               [("item_key", "goal"), ("parent_id", String(remark.id!)), ("text", long)])
            XCTAssertEqual(reply.status, .unprocessableEntity)
            XCTAssertTrue(reply.body.string.contains("value=\"\(long)\""), "the reply is kept")
            XCTAssertFalse((reply.body.string.between("id=\"item-goal\"", "</section>") ?? "").contains("<details open"))
            try await assertEqualAsync(try await ProgrammeCommentModel.query(on: fixture.app.db).count(), 1)
            // Resolving a remark that is no more: the page again with the reason, 404.
            let gone = try await curator.post("/programmes/\(id)/comments/999999/resolve", [("resolved", "1")])
            XCTAssertEqual(gone.status, .notFound)
            XCTAssertTrue((gone.body.string.between("id=\"refusal\">", "</div>") ?? "").contains("Не найдено: замечание"))
        }
    }

    func testTheEditorPutsARefusedGoalBesideItsBox() async throws {
        try await WebFixture.onEachEngine { fixture in
            let (director, programme) = try await Self.programme(fixture)
            let id = programme.id!
            try await director.get("/programmes/\(id)/edit")
            let long = String(repeating: "цель ", count: 900)
            let typed = [("version", "1"), ("goal", long)] + Self.draft.filter { $0.0 != "goal" }
            let refused = try await director.post("/programmes/\(id)", typed)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertTrue(html.contains("id=\"goal-note\">не длиннее 4000 символов, а введено 4499"), html)
            XCTAssertTrue(html.contains("Не сохранено: исправьте отмеченные поля (1)"))
            XCTAssertFalse(html.contains("Цель: не длиннее"), "the field's name is not in the message beside it")
            XCTAssertTrue(html.contains("Выявить группу риска") && html.contains("Диагностика 5-х классов"), "the rest is kept")
            try await assertTrueAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)!.content.goal.isEmpty)
            try await assertEqualAsync(try await director.post("/programmes/\(id)", [("version", "1")] + Self.draft).status, .seeOther)
            try await assertEqualAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)!.content.tasks, ["Выявить группу риска"])
        }
    }

    func testAMeasureFromADeficitRefusedIsToldInTheDeficitsBox() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await TasksFixture.load(fixture.app.db)
            let (director, programme) = try await Self.programme(fixture)
            let id = programme.id!
            try await director.get("/programmes/\(id)")
            let notADeficit = try await director.post("/programmes/\(id)/vpr-measures", [("requirement", "Вычисления"), ("version", "1")])
            XCTAssertEqual(notADeficit.status, .unprocessableEntity)
            let box = notADeficit.body.string.between("id=\"vpr-deficits\"", "</section>") ?? ""
            XCTAssertTrue(box.contains("Не добавлено: у школы нет такого дефицита ВПР"), notADeficit.body.string)
            let stale = try await director.post("/programmes/\(id)/vpr-measures", [("requirement", "Текстовые задачи"), ("version", "7")])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue((stale.body.string.between("id=\"vpr-deficits\"", "</section>") ?? "").contains("Запись уже изменил"))
            try await assertTrueAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)!.content.measures.isEmpty)
            let added = try await director.post("/programmes/\(id)/vpr-measures", [("requirement", "Текстовые задачи"), ("version", "1")])
            XCTAssertEqual(added.status, .seeOther)
            try await assertEqualAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)!.content.measures.count, 1)
        }
    }

    func testContextValuesRefusedBesideTheirIndicatorsInRussian() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            let path = "/schools/\(fixture.schoolA)/context?year=2024"
            try await browser.get(path)
            let typed = [("v_isbs_group", "14"), ("v_single_parent", "120"), ("v_cluster", "сельская"), ("new_code", "teachers_highest"),
                         ("new_value", "")]
            let refused = try await browser.post(path, typed)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertTrue(html.contains("id=\"v_isbs_group-note\">Группа от 1 до 11, а не «14»"), html)
            XCTAssertTrue(html.contains("id=\"v_single_parent-note\">Доля в процентах от 0 до 100, а не «120»"), html)
            XCTAssertTrue(html.contains("id=\"new_value-note\">Укажите значение нового показателя"), html)
            XCTAssertTrue(html.contains("value=\"14\"") && html.contains("value=\"120\"") && html.contains("value=\"сельская\"")
                          && html.contains("value=\"teachers_highest\""), "every typed value is kept")
            XCTAssertFalse(html.contains("isbs_group:") || html.contains("value:"), "no internal names")
            try await assertTrueAsync(try await IdentificationRepository(db: fixture.app.db).context(year: 2024)[fixture.schoolA] == nil)
            let nothing = try await browser.post(path, [("v_isbs_group", "")])
            XCTAssertEqual(nothing.status, .unprocessableEntity)
            XCTAssertTrue(nothing.body.string.contains("Нечего сохранять"))

            let saved = try await browser.post(path, [("v_isbs_group", "3"), ("v_single_parent", "27,5"), ("v_cluster", "сельская"),
                                                      ("new_code", "teachers_highest"), ("new_value", "12")])
            XCTAssertEqual(saved.status, .seeOther)
            let context = try await IdentificationRepository(db: fixture.app.db).context(year: 2024)[fixture.schoolA]!
            XCTAssertEqual(context["isbs_group"]?.number, 3)
            XCTAssertEqual(context["teachers_highest"]?.number, 12)
        }
    }

    func testTheRiskQuestionnaireRefusedKeepsEveryAnswerTicked() async throws {
        try await WebFixture.onEachEngine { fixture in
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let path = "/schools/\(fixture.schoolA)/risks/questionnaire?year=2025"
            try await director.get(path)
            let refused = try await director.post(path, [("f1_equipment", "3"), ("f7_share", "0")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertTrue(html.contains("Не записано: ни по одному фактору не ответили на все вопросы"), html)
            XCTAssertTrue(html.contains("name=\"f1_equipment\" value=\"3\" checked"), "the answer stays ticked")
            XCTAssertTrue(html.contains("name=\"f7_share\" value=\"0\" checked"))
            let factor1 = html.between("id=\"factor_1\"", "</fieldset>") ?? ""
            XCTAssertTrue(factor1.contains("Ответьте на все вопросы фактора"), factor1)
            try await assertTrueAsync(
                try await RiskRepository(db: fixture.app.db).profiles(year: 2025, scope: .everything)[fixture.schoolA] == nil)
            let saved = try await director.post(path, [("f1_equipment", "3"), ("f1_internet", "2"), ("f7_share", "0")])
            XCTAssertEqual(saved.status, .seeOther)
            let profile = try await RiskRepository(db: fixture.app.db).profiles(year: 2025, scope: .everything)[fixture.schoolA]
            XCTAssertEqual(profile?.ratings.mapValues(\.level), [1: .high])
        }
    }

    func testACampaignsRiskLevelsLinksAndReviewRefusedOnTheirPages() async throws {
        try await WebFixture.onEachEngine { fixture in
            fixture.app.today = { CalendarDay(year: 2026, month: 9, day: 10) }
            let questionnaire = try await SurveyCampaignPagesTests.questionnaireID(fixture.app)
            let (campaign, tokens) = try await SurveyCampaignPagesTests.create(fixture, questionnaire: questionnaire)
            guard let a1 = tokens["\(fixture.schoolA)/teacher"] else { return XCTFail("no link") }
            for number in 0..<6 {
                _ = try await SurveyCampaignPagesTests.answer(fixture.app, a1, [("q_load", number < 4 ? "1" : "0")])
            }
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let school = "/campaigns/\(campaign)/schools/\(fixture.schoolA)"
            try await coordinator.get(school)
            // A year out of range: the school's page again, the level as chosen, the reason beside the year.
            let badYear = try await coordinator.post(school + "/risks", [("year", "1999"), ("level_3", "high")])
            XCTAssertEqual(badYear.status, .unprocessableEntity)
            XCTAssertTrue(badYear.body.string.contains("id=\"year-note\">Введите целое число от 2"), badYear.body.string)
            XCTAssertTrue(badYear.body.string.contains("value=\"1999\""))
            XCTAssertTrue(badYear.body.string.contains("<option value=\"high\" selected"), "the level stays chosen")
            let noLevel = try await coordinator.post(school + "/risks", [("year", "2026"), ("level_3", "")])
            XCTAssertEqual(noLevel.status, .unprocessableEntity)
            XCTAssertTrue(noLevel.body.string.contains("Не записано: не выбрано ни одного уровня"))
            XCTAssertFalse(noLevel.body.string.contains("<option value=\"medium\" selected"), "«не записывать» stays chosen")
            let ratings: Int? = try await fixture.app.db.sql.raw("SELECT COUNT(*) AS n FROM risk_ratings").first()?.decode(column: "n")
            XCTAssertEqual(ratings, 0)
            let accepted = try await coordinator.post(school + "/risks", [("year", "2026"), ("level_3", "high")])
            XCTAssertEqual(accepted.status, .seeOther, accepted.body.string)

            // A link that is no more: the campaign's page with the reason beside the buttons.
            try await coordinator.get("/campaigns/\(campaign)")
            let link = try await coordinator.post("/campaigns/\(campaign)/links", [("link", "999999")])
            XCTAssertEqual(link.status, .notFound)
            XCTAssertTrue((link.body.string.between("id=\"refusal\">", "</div>") ?? "").contains("Ссылки не выпущены"),
                          link.body.string)
            XCTAssertTrue(link.body.string.contains("id=\"rates\""), "the campaign's page")
            // An answer that is no more: the review page with the reason.
            try await coordinator.get("/campaigns/\(campaign)/review")
            let review = try await coordinator.post("/campaigns/\(campaign)/review", [("answer", "999999"), ("decision", "hide")])
            XCTAssertEqual(review.status, .notFound)
            XCTAssertTrue(review.body.string.contains("Решение не записано: Не найдено: ответ"), review.body.string)
            XCTAssertTrue(review.body.string.contains("id=\"review\""), "the review page")
        }
    }

    func testAQuestionnaireRefusedKeepsItsTicks() async throws {
        try await WebFixture.onEachEngine { fixture in
            let analyst = Browser(fixture.app)
            try await analyst.login("coord-a")
            try await analyst.get("/questionnaires/new")
            let typed: [(String, String)] = [
                ("action", "save"), ("expected", ""), ("count", "2"), ("code", "ticks_test"), ("title", "Проверка отметок"),
                ("purpose", "risk"), ("description", ""),
                ("q1_id", "first"), ("q1_group", "teacher"), ("q1_kind", "single"), ("q1_text", "Первый?"),
                ("q1_required", "on"), ("q1_options", "Да\nНет"),
                ("q2_id", "second"), ("q2_group", "teacher"), ("q2_kind", "single"), ("q2_text", "Второй?"),
                ("q2_options", ""),
            ]
            let refused = try await analyst.post("/questionnaires/save", typed)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            let first = html.between("id=\"question-1\"", "</fieldset>") ?? ""
            let second = html.between("id=\"question-2\"", "</fieldset>") ?? ""
            XCTAssertTrue(first.contains("name=\"q1_required\" value=\"on\" checked"), "the tick is kept: \(first)")
            XCTAssertFalse(second.contains("checked"), "no tick appears")
            XCTAssertTrue(second.contains("field-error"), second)
            XCTAssertTrue(html.contains("value=\"Проверка отметок\""))
            try await assertTrueAsync(try await QuestionnaireRepository(db: fixture.app.db).latest(code: "ticks_test") == nil)
            let saved = try await analyst.post("/questionnaires/save",
                                               typed.map { $0.0 == "q2_options" ? ($0.0, "Часто\nРедко") : $0 })
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            // A new questionnaire under a code already taken: the reason beside the code, the ticks kept.
            try await analyst.get("/questionnaires/new")
            let taken = try await analyst.post("/questionnaires/save", typed.map { $0.0 == "title" ? ($0.0, "Другая") : $0 })
            XCTAssertEqual(taken.status, .unprocessableEntity)
            XCTAssertTrue(taken.body.string.contains("id=\"code-note\">Этот код уже занят другой анкетой"))
            XCTAssertTrue(taken.body.string.contains("name=\"q1_required\" value=\"on\" checked"))
            // An emptied title and a question without its code: the reasons beside them, by the form's labels.
            try await analyst.get("/questionnaires/new")
            let unnamed = try await analyst.post("/questionnaires/save", typed.map {
                $0.0 == "title" || $0.0 == "q1_id" ? ($0.0, "") : $0.0 == "code" ? ($0.0, "labels_test") : $0
            })
            XCTAssertEqual(unnamed.status, .unprocessableEntity)
            let page = unnamed.body.string
            XCTAssertTrue(page.contains("id=\"title-note\">«Название» не заполнено</small>"), page)
            XCTAssertTrue((page.between("id=\"question-1\"", "</fieldset>") ?? "").contains("«Код вопроса» не заполнено"), page)
            for key in ["«title»", "«id»", "«code»"] { XCTAssertFalse(page.contains(key), "\(key) is a file's key, not a label") }
        }
    }
}
