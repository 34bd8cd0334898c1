import Fluent
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import SQLKit
import Vapor
import XCTest
import XCTVapor

/// Campaigns on the pages (issue 22): created by a coordinator, answered on the public form by anonymous respondents with
/// one-time form tokens, rates and results by scope with small-N hiding, free texts reviewed, the proposed risk profile
/// accepted, the form closed after its end, rate limits. Both engines.
final class SurveyCampaignPagesTests: XCTestCase {
    /// Two teachers' questions (one mapped to factor 3), a free text, and a parents' scale.
    static let questionnaire = Questionnaire(
        code: "risk_test", title: "Риски школы (проверка)", purpose: .risk, questions: [
            Question(id: "load", text: "Хватает ли вам времени на подготовку к урокам?", kind: .singleChoice, group: .teacher,
                     options: [AnswerOption(text: "Да"), AnswerOption(text: "Нет", risk: [3: 2])]),
            Question(id: "help", text: "Что мешает работать?", kind: .text(maxLength: 200), required: false, group: .teacher),
            Question(id: "comfort", text: "Ребёнку комфортно в школе", kind: .scale(1...5), group: .parent),
        ])

    static func questionnaireID(_ app: Application) async throws -> Int {
        try await QuestionnaireRepository(db: app.db).save(Self.questionnaire, actor: .commandLine).0.id
    }

    /// Creates the campaign as coordinator A (A1 and A2) and returns its id and tokens by school id and group.
    static func create(_ fixture: WebFixture, questionnaire: Int, starts: String = "01.09.2026", ends: String = "30.09.2026")
        async throws -> (Int, [String: String]) {
        let coordinator = Browser(fixture.app)
        try await coordinator.login("coord-a")
        let draft = try await coordinator.get("/campaigns/new")
        XCTAssertTrue(draft.body.string.contains("Риски школы (проверка)"), draft.body.string)
        let page = try await coordinator.post("/campaigns", [
            ("questionnaire", String(questionnaire)), ("title", "Риски, сентябрь"), ("starts", starts), ("ends", ends),
            ("expected_teacher", "10"), ("expected_parent", "20"), ("school", String(fixture.schoolA)),
            ("school", String(fixture.schoolA2))])
        XCTAssertEqual(page.status, .ok, page.body.string)
        let html = page.body.string
        var tokens: [String: String] = [:]
        for row in html.components(separatedBy: "<tr class=\"survey-link\"").dropFirst() {
            let school = row.between("data-school-id=\"", "\"") ?? "", group = row.between("data-group=\"", "\"") ?? ""
            tokens["\(school)/\(group)"] = row.between("href=\"/s/", "\"")
        }
        let id = Int(html.between("action=\"/campaigns/", "/sheets") ?? "") ?? 0
        return (id, tokens)
    }

    /// An anonymous respondent: loads the form, then posts `fields` with the form's one-time token.
    static func answer(_ app: Application, _ token: String, _ fields: [(String, String)], address: String = "10.0.0.1")
        async throws -> XCTHTTPResponse {
        let form = try await app.testable().sendRequest(.GET, "/s/\(token)", headers: ["X-Real-IP": address])
        XCTAssertEqual(form.status, .ok, form.body.string)
        XCTAssertNil(form.headers.setCookie, "the public form sets no cookie")
        let formToken = form.body.string.between("name=\"_form\" value=\"", "\"") ?? ""
        return try await post(app, token, fields + [("_form", formToken)], address: address)
    }

    static func post(_ app: Application, _ token: String, _ fields: [(String, String)], address: String = "10.0.0.1")
        async throws -> XCTHTTPResponse {
        let body = fields.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        headers.add(name: "X-Real-IP", value: address)
        return try await app.testable().sendRequest(.POST, "/s/\(token)", headers: headers, body: ByteBuffer(string: body))
    }

    func testACampaignFromItsLinksToTheResultsOfASchool() async throws {
        try await WebFixture.onEachEngine { fixture in
            fixture.app.today = { CalendarDay(year: 2026, month: 9, day: 10) }
            let questionnaire = try await Self.questionnaireID(fixture.app)
            let (campaign, tokens) = try await Self.create(fixture, questionnaire: questionnaire)
            XCTAssertEqual(tokens.count, 4)
            guard let a1 = tokens["\(fixture.schoolA)/teacher"], let a2 = tokens["\(fixture.schoolA2)/teacher"] else { return }

            // The form: labelled, Russian, a one-time token; refused answers keep what was typed.
            let form = try await fixture.app.testable().sendRequest(.GET, "/s/\(a1)")
            XCTAssertTrue(form.body.string.contains("Хватает ли вам времени на подготовку к урокам?"))
            XCTAssertTrue(form.body.string.contains("name=\"q_load\""))
            XCTAssertFalse(form.body.string.contains("Ребёнку комфортно"), "only the group's questions")
            let refused = try await Self.post(fixture.app, a1, [("q_help", "что-то"),
                                                                ("_form", form.body.string.between("name=\"_form\" value=\"", "\"")!)])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains("Ответьте на этот вопрос"))
            XCTAssertTrue(refused.body.string.contains("что-то"))

            // Six teachers of A1 («Нет» four times), three of A2; one text.
            for number in 0..<6 {
                let saved = try await Self.answer(fixture.app, a1, [("q_load", number < 4 ? "1" : "0")]
                                                  + (number == 0 ? [("q_help", "Иванов Петя мешает")] : []))
                XCTAssertEqual(saved.status, .ok, saved.body.string)
                XCTAssertTrue(saved.body.string.contains("Спасибо!"))
            }
            for _ in 0..<3 { _ = try await Self.answer(fixture.app, a2, [("q_load", "1")]) }

            // A resubmitted form and a forged token store nothing.
            let again = try await fixture.app.testable().sendRequest(.GET, "/s/\(a1)")
            let used = again.body.string.between("name=\"_form\" value=\"", "\"")!
            try await assertEqualAsync(try await Self.post(fixture.app, a1, [("q_load", "0"), ("_form", used)]).status, .ok)
            let resubmit = try await Self.post(fixture.app, a1, [("q_load", "0"), ("_form", used)])
            XCTAssertEqual(resubmit.status, .conflict)
            XCTAssertTrue(resubmit.body.string.contains("Ответы уже отправлены"))
            let forged = try await Self.post(fixture.app, a1, [("q_load", "0"), ("_form", SurveyToken.new())])
            XCTAssertEqual(forged.status, .badRequest)
            try await assertEqualAsync(try await Self.post(fixture.app, "not-a-token", [("q_load", "0")]).status, .notFound)
            let count: Int? = try await fixture.app.db.sql.raw("SELECT COUNT(*) AS n FROM survey_responses").first()?.decode(column: "n")
            XCTAssertEqual(count, 10)

            // Rates: the coordinator sees both schools, A2 (3 of 10) lagging first.
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let rates = try await coordinator.get("/campaigns/\(campaign)").body.string
            let table = rates.between("id=\"rates\"", "</table>") ?? ""
            XCTAssertLessThan(table.range(of: "Чернская СОШ № 1")!.lowerBound, table.range(of: "Липицкая СОШ")!.lowerBound)
            XCTAssertTrue(table.contains("70 %"), table)
            XCTAssertTrue(table.contains("30 %"))

            // Results: A1 shows its shares; A2 (3 answers) is hidden; the pending text is not shown beyond the school.
            let resultsA1 = try await coordinator.get("/campaigns/\(campaign)/schools/\(fixture.schoolA)").body.string
            XCTAssertTrue(resultsA1.contains("Нет: 57,1 %"), resultsA1)
            XCTAssertFalse(resultsA1.contains("Иванов Петя"))
            let resultsA2 = try await coordinator.get("/campaigns/\(campaign)/schools/\(fixture.schoolA2)").body.string
            let schoolCell = resultsA2.between("class=\"school\">", "</td>") ?? ""
            XCTAssertTrue(schoolCell.contains("менее 5 ответов — не показываем"), schoolCell)
            // The same answers in a spreadsheet: A1's «Нет» as a number, A2's hidden below five answers.
            let exportA1 = try XLSX.read([UInt8](buffer: try await coordinator.get(
                "/campaigns/\(campaign)/schools/\(fixture.schoolA)/export.xlsx").body)).rows
            let no = exportA1.first { $0.cells.count > 3 && $0.cells[2] == "Нет" }
            XCTAssertTrue(no?.cells[3].hasPrefix("57.14") ?? false, "\(exportA1.map(\.cells))")
            let exportA2 = try XLSX.read([UInt8](buffer: try await coordinator.get(
                "/campaigns/\(campaign)/schools/\(fixture.schoolA2)/export.xlsx").body)).rows
            XCTAssertTrue(exportA2.dropFirst().allSatisfy { $0.cells.count > 3 && $0.cells[3] == "менее 5 ответов" },
                          "\(exportA2.map(\.cells))")
            // The director of A1 sees his school's text, his school only.
            let director = Browser(fixture.app)
            try await director.login("director-a")
            try await assertTrueAsync(try await director.get("/campaigns/\(campaign)/schools/\(fixture.schoolA)").body.string
                .contains("Иванов Петя"))
            try await assertEqualAsync(try await director.get("/campaigns/\(campaign)/schools/\(fixture.schoolA2)").status, .notFound)
            try await assertFalseAsync(try await director.get("/campaigns/\(campaign)").body.string.contains("Чернская СОШ № 1"))
            // Another municipality does not see the campaign at all.
            let other = Browser(fixture.app)
            try await other.login("coord-b")
            try await assertEqualAsync(try await other.get("/campaigns/\(campaign)").status, .notFound)
            try await assertFalseAsync(try await other.get("/campaigns").body.string.contains("Риски, сентябрь"))

            // The review: hidden stays hidden, approved shows beyond the school; audited.
            let queue = try await coordinator.get("/campaigns/\(campaign)/review").body.string
            let answerID = queue.between("name=\"answer\" value=\"", "\"")!
            // Who only reads sees the answer wait, without buttons the server would refuse.
            let viewer = Browser(fixture.app)
            try await viewer.login("viewer-a")
            let read = try await viewer.get("/campaigns/\(campaign)/review").body.string
            XCTAssertTrue(read.contains("ожидает проверки"), read)
            XCTAssertFalse(read.contains("value=\"approve\""), "no «Показывать» for a viewer")
            try await assertEqualAsync(try await viewer.post("/campaigns/\(campaign)/review",
                                                             [("answer", answerID), ("decision", "approve")]).status, .forbidden)
            XCTAssertTrue(queue.contains("value=\"approve\""), "the coordinator decides")
            try await assertEqualAsync(try await coordinator.post("/campaigns/\(campaign)/review",
                                                                  [("answer", answerID), ("decision", "approve")]).status,
                           .seeOther)
            try await assertTrueAsync(try await coordinator.get("/campaigns/\(campaign)/schools/\(fixture.schoolA)").body.string
                .contains("Иванов Петя"))

            // The proposed profile: factor 3 from «Нет» (2 points) — 4 of 7 answers, 8 of 14 points = 57 %: medium (30–60 %).
            XCTAssertTrue(resultsA1.contains("средняя (8 из 14 баллов)"), resultsA1)
            XCTAssertTrue(resultsA1.contains("«Хватает ли вам времени на подготовку к урокам?» — «Нет»: 4 × 2"))
            let accepted = try await coordinator.post("/campaigns/\(campaign)/schools/\(fixture.schoolA)/risks",
                                                      [("year", "2026"), ("level_3", "high")])
            XCTAssertEqual(accepted.status, .seeOther, accepted.body.string)
            struct Rating: Decodable { let level: String; let source: String?; let comment: String? }
            let rating = try await fixture.app.db.sql
                .raw("SELECT level, source, comment FROM risk_ratings WHERE school_id = \(bind: fixture.schoolA)")
                .first(decoding: Rating.self)
            XCTAssertEqual(rating?.level, "high")
            XCTAssertEqual(rating?.source, "анкетирование")
            XCTAssertTrue(rating?.comment?.contains("изменено куратором (предложено: средняя)") == true)

            // XLSX export of the rates.
            let export = try await coordinator.get("/campaigns/\(campaign)/export.xlsx")
            XCTAssertEqual(export.status, .ok)
            XCTAssertEqual(export.headers.contentType?.subType, "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

            // Dynamics against a later campaign of the same questionnaire: the later one has no answers yet, so hidden.
            let (later, _) = try await Self.create(fixture, questionnaire: questionnaire, starts: "01.11.2026", ends: "30.11.2026")
            let dynamics = try await coordinator.get("/campaigns/\(campaign)/dynamics?other=\(later)")
            XCTAssertEqual(dynamics.status, .ok)
            let line = dynamics.body.string.between("data-question=\"load\">", "</tr>") ?? ""
            // The coordinator's municipality: A1's 4 «Нет» of 7 and A2's 3 of 3 — 7 of 10.
            XCTAssertTrue(line.contains("Нет: 70 %"), line)
            XCTAssertTrue(line.contains("менее 5 ответов — не показываем"), line)
            try await assertEqualAsync(try await other.get("/campaigns/\(campaign)/dynamics?other=\(later)").status, .notFound)

            // After its end the form says so and takes nothing.
            fixture.app.today = { CalendarDay(year: 2026, month: 10, day: 1) }
            let closed = try await fixture.app.testable().sendRequest(.GET, "/s/\(a1)")
            XCTAssertEqual(closed.status, .gone)
            XCTAssertTrue(closed.body.string.contains("Опрос завершён 30.09.2026"))
        }
    }

    func testTheFormIsRateLimitedPerAddressAndStopsFarPastTheExpectedCount() async throws {
        let options = ServerOptions(bcryptCost: 4, surveyLimits: SurveyRateLimits(postsPerAddress: 3, postsPerLink: 100))
        try await WebFixture.onEachEngine(options: options) { fixture in
            fixture.app.today = { CalendarDay(year: 2026, month: 9, day: 10) }
            let questionnaire = try await Self.questionnaireID(fixture.app)
            let (_, tokens) = try await Self.create(fixture, questionnaire: questionnaire)
            guard let a1 = tokens["\(fixture.schoolA)/teacher"] else { return XCTFail("no link") }
            for _ in 0..<3 {
                try await assertEqualAsync(try await Self.answer(fixture.app, a1, [("q_load", "0")], address: "10.0.0.9").status, .ok)
            }
            let limited = try await Self.answer(fixture.app, a1, [("q_load", "0")], address: "10.0.0.9")
            XCTAssertEqual(limited.status, .tooManyRequests)
            XCTAssertEqual(limited.headers.first(name: .retryAfter), "60")
            // 10 expected: from 30 answers on the link is closed (in process every request has the same address; the
            // windows per address are the domain's `RateWindow`, tested there, and over real HTTP by the hostile test).
            let link: Int = try await fixture.app.db.sql
                .raw("SELECT id FROM survey_links WHERE token_hash = \(bind: SurveyToken.hash(a1))")
                .first()!.decode(column: "id")
            let repository = SurveyCampaignRepository(db: fixture.app.db)
            for _ in 0..<27 {
                let form = try await repository.issueFormToken(linkID: link)
                _ = try await repository.submit(linkID: link, formToken: form, answers: [],
                                                day: CalendarDay(year: 2026, month: 9, day: 10))
            }
            let full = try await fixture.app.testable().sendRequest(.GET, "/s/\(a1)", headers: ["X-Real-IP": "10.0.0.11"])
            XCTAssertEqual(full.status, .gone)
            XCTAssertTrue(full.body.string.contains("Опрос завершён"))
            // Nothing about the client is kept with an answer.
            let columns = try await fixture.app.db.sql.raw("SELECT * FROM survey_responses").all().first?.allColumns ?? []
            XCTAssertEqual(Set(columns), ["id", "link_id", "answered_on"])
        }
    }
}

extension String {
    /// The text between the first `start` and the next `end`.
    func between(_ start: String, _ end: String) -> String? {
        guard let from = range(of: start) else { return nil }
        let rest = self[from.upperBound...]
        guard let to = rest.range(of: end) else { return nil }
        return String(rest[..<to.lowerBound])
    }
}
