import Fluent
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

extension Browser {
    /// A form posted with headers a browser may be made to send (a hostile page's Referer, an API client's Accept).
    func post(_ path: String, _ form: [(String, String)], headers extra: [(HTTPHeaders.Name, String)]) async throws -> XCTHTTPResponse {
        var fields = form
        if let csrf { fields.append(("_csrf", csrf)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        headers.add(name: .contentType, value: "application/x-www-form-urlencoded")
        for (name, value) in extra { headers.add(name: name, value: value) }
        return try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }
}

/// Who may change what, over HTTP on both engines (issue 25, points 4 and 6).
final class RightsPagesTests: XCTestCase {
    func makeCurator(_ fixture: WebFixture, _ login: String, schools: [Int]) async throws -> Int {
        try await AccountService.createUser(.init(login: login, fullName: "Куратор \(login)", password: WebFixture.password, role: .curator,
                                                  schoolIDs: schools), by: .commandLine, bcryptCost: 4, on: fixture.app.db)
        return try await UserModel.query(on: fixture.app.db).filter(\.$login == login).first()!.id!
    }

    /// The support forms never follow a Referer: a refused one answers in place (409 for a stale button), a saved one
    /// goes to the school's own tab.
    func testSupportFormsNeverRedirectOffTheSite() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await SupportRepository(db: fixture.app.db).addVisit(
                .init(schoolID: fixture.schoolA, day: CalendarDay(year: 2024, month: 10, day: 1), visitor: "Куратор", format: .onSite,
                      topic: "Адаптация пятиклассников"), scope: .everything, actor: .commandLine)
            let visit = try await VisitModel.query(on: fixture.app.db).first()!.id!
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/support")
            var offSite: [String] = []
            for referer in SafeRedirectHostileList.referers where !referer.isEmpty {
                // A stale version: refused in place, never sent to the Referer's host.
                let response = try await coordinator.post("/support/visits/\(visit)/done", [("version", "0")],
                                                          headers: [(.referer, referer)])
                XCTAssertEqual(response.status, .conflict, referer.debugDescription)
                if let location = response.headers.first(name: .location) { offSite.append("\(referer.debugDescription) → \(location)") }
            }
            XCTAssertEqual(offSite, [], "no hostile Referer is followed")
            let own = try await coordinator.post("/support/visits/\(visit)/done", [("version", "1")],
                                                 headers: [(.referer, "https://evil.example/")])
            XCTAssertEqual(own.headers.first(name: .location), "/schools/\(fixture.schoolA)/support#visits")
            // Login's `next` follows the same rule.
            let browser = Browser(fixture.app)
            try await browser.get("/login")
            let login = try await browser.post("/login", [("login", "coord-a"), ("password", WebFixture.password),
                                                          ("next", "/\\evil.example")])
            XCTAssertEqual(login.headers.first(name: .location), "/")
        }
    }

    /// An assignment that ended yesterday closes the school at midnight, and one starting today opens it, with no
    /// write in between (the scope is kept per day, not only per data version).
    func testACuratorsSchoolsFollowTheDay() async throws {
        try await WebFixture.onEachEngine { fixture in
            let today = CalendarDay.today()
            let curator = try await makeCurator(fixture, "curator-a", schools: [fixture.schoolA])
            let first = try await CuratorAssignmentModel.query(on: fixture.app.db).filter(\.$user.$id == curator).first()!
            first.startOn = today.adding(days: -30).iso
            first.endOn = today.iso
            try await first.save(on: fixture.app.db)
            let next = CuratorAssignmentModel()
            next.$user.id = curator
            next.$school.id = fixture.schoolA2
            next.startOn = today.adding(days: 1).iso
            next.version = 1
            next.createdBy = "test"
            next.createdAt = Date()
            try await next.create(on: fixture.app.db)
            // Something written after the assignments, so that the data version does not change below.
            try await AuditLog.record(on: fixture.app.db, actor: .commandLine, action: "test", entity: "test", entityID: nil, summary: "—")

            fixture.app.today = { today }
            let browser = Browser(fixture.app)
            try await browser.login("curator-a")
            try await assertEqualAsync(try await browser.get("/schools/\(fixture.schoolA)").status, .ok, "the last day of the assignment")
            try await assertEqualAsync(try await browser.get("/schools/\(fixture.schoolA2)").status, .notFound, "not yet")

            fixture.app.today = { today.adding(days: 1) }
            try await assertEqualAsync(try await browser.get("/schools/\(fixture.schoolA)").status, .notFound, "ended yesterday")
            try await assertEqualAsync(try await browser.get("/schools/\(fixture.schoolA2)").status, .ok, "starts today")
            try await assertFalseAsync(try await browser.get("/support/mine").body.string.contains("Липицкая"))
        }
    }

    /// The municipality's decision about a school is closed by the municipality, not by the school.
    func testADecisionIsClosedByTheTerritoryThatTookIt() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app), director = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await director.login("director-a")
            try await coordinator.get("/decisions")
            let decision = [("kind", "results"), ("school", String(fixture.schoolA)), ("finding", "Доля «2» по ВПР 5 кл. 35,7 %"),
                            ("decision", "Провести выездную проверку"), ("responsible", "Отдел общего образования"), ("due", "30.04.2025"),
                            ("confirm_due", "30.04.2025")]
            try await assertEqualAsync(try await coordinator.post("/decisions", decision).status, .seeOther)
            let theirs = try await DecisionModel.query(on: fixture.app.db).first()!
            XCTAssertEqual(theirs.ownerLevel, "municipality")

            let page = try await director.get("/decisions").body.string
            XCTAssertTrue(page.contains("Провести выездную проверку"), "the school reads the decision about it")
            XCTAssertFalse(page.contains("/decisions/\(theirs.id!)/close"), "and is offered no way to close it")
            let closing = [("version", "1"), ("status", "done"), ("outcome", "Сделано")]
            let refused = try await director.post("/decisions/\(theirs.id!)/close", closing)
            XCTAssertEqual(refused.status, .forbidden)
            try await assertEqualAsync(try await DecisionModel.find(theirs.id, on: fixture.app.db)?.status, "open")

            // The school's own decision is the school's to close; the municipality above it may close it too.
            let ownDecision = decision.map { $0.0 == "decision" ? ($0.0, "Педсовет") : $0 }
            try await assertEqualAsync(try await director.post("/decisions", ownDecision).status, .seeOther)
            let own = try await DecisionModel.query(on: fixture.app.db).filter(\.$decision == "Педсовет").first()!
            XCTAssertEqual(own.ownerLevel, "school")
            try await director.get("/decisions")
            try await assertEqualAsync(try await director.post("/decisions/\(own.id!)/close", closing).status, .seeOther)
            try await coordinator.get("/decisions")
            try await assertEqualAsync(try await coordinator.post("/decisions/\(theirs.id!)/close", closing).status, .seeOther)
            try await assertEqualAsync(try await DecisionModel.find(theirs.id, on: fixture.app.db)?.status, "done")
        }
    }

    /// The reviewer resolves its remarks; sending or approving over open remarks takes a second, confirmed step;
    /// a remark stays on its measure when another is inserted before it.
    func testRemarksBelongToTheReviewAndStayOnTheirMeasure() async throws {
        try await WebFixture.onEachEngine { fixture in
            _ = try await makeCurator(fixture, "curator-a", schools: [fixture.schoolA])
            let director = Browser(fixture.app), curator = Browser(fixture.app)
            try await director.login("director-a")
            try await curator.login("curator-a")
            try await director.get("/programmes")
            try await director.post("/programmes", [("school", String(fixture.schoolA)), ("kind", "concept"),
                                                    ("title", "Концепция развития"), ("start_year", "2024"), ("end_year", "2026")])
            let id = try await SchoolProgrammeModel.query(on: fixture.app.db).first()!.id!
            try await director.get("/programmes/\(id)/edit")
            let draft: [(String, String)] = [
                ("version", "1"), ("goal", "Снизить долю не преодолевших порог ВПР"), ("tasks", "Выявить группу риска"),
                ("m_text_1", "Диагностика 5-х классов"), ("m_deadline_1", "До 10.09.2024"), ("m_responsible_1", "Зам. директора"),
                ("m_text_2", "Консультации"), ("m_deadline_2", "ежеквартально"), ("m_responsible_2", "Руководители ШМО"),
                ("i_name_1", "Доля «2»"), ("i_target_1", "25"),
            ]
            try await assertEqualAsync(try await director.post("/programmes/\(id)", draft).status, .seeOther)
            try await curator.get("/programmes/\(id)")
            try await curator.post("/programmes/\(id)/comments", [("item_key", "measure.2"), ("text", "Для кого консультации?")])
            let remark = try await ProgrammeCommentModel.query(on: fixture.app.db).first()!

            // The school answers a remark but does not resolve it.
            let page = try await director.get("/programmes/\(id)").body.string
            XCTAssertFalse(page.contains("/comments/\(remark.id!)/resolve"))
            let resolve = "/programmes/\(id)/comments/\(remark.id!)/resolve"
            try await assertEqualAsync(try await director.post(resolve, [("resolved", "1")]).status, .forbidden)
            try await assertFalseAsync(try await ProgrammeCommentModel.find(remark.id, on: fixture.app.db)!.resolved)

            // A measure inserted before the remarked one (its «№» says 2): the remark stays on «Консультации».
            let form = try await director.get("/programmes/\(id)/edit").body.string
            XCTAssertTrue(form.contains(#"name="m_id_2" value="2""#), "the form carries each measure's id")
            let inserted = draft.map { $0.0 == "version" ? ($0.0, "2") : $0 } + [
                ("m_id_1", "1"), ("m_id_2", "2"), ("m_order_3", "2"), ("m_text_3", "Родительские собрания"),
                ("m_deadline_3", "октябрь 2024"), ("m_responsible_3", "Классные руководители"),
            ]
            try await assertEqualAsync(try await director.post("/programmes/\(id)", inserted).status, .seeOther)
            let stored = try await SchoolProgrammeModel.find(id, on: fixture.app.db)!.content
            XCTAssertEqual(stored.measures.map(\.text), ["Диагностика 5-х классов", "Родительские собрания", "Консультации"])
            let after = try await curator.get("/programmes/\(id)").body.string
            let section = Self.section(after, id: "item-measure.2")
            XCTAssertTrue(section.contains("3. Консультации"), section)
            XCTAssertTrue(section.contains("Для кого консультации?"))
            XCTAssertFalse(Self.section(after, id: "item-measure.3").contains("Для кого консультации?"))

            // Sending over an open remark: the page names it and asks; nothing is sent until confirmed.
            let ask = try await director.post("/programmes/\(id)/submit", [("version", "3")])
            XCTAssertEqual(ask.status, .conflict)
            XCTAssertTrue(ask.body.string.contains("открытых замечаний: 1"), ask.body.string)
            XCTAssertTrue(ask.body.string.contains("Мероприятие 3"))
            XCTAssertTrue(ask.body.string.contains("Для кого консультации?"))
            XCTAssertTrue(ask.body.string.contains(#"name="confirm" value="1""#))
            try await assertEqualAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)?.status, "draft")
            let api = try await director.post("/programmes/\(id)/submit", [("version", "3")], headers: [(.accept, "application/json")])
            XCTAssertEqual(api.status, .conflict)
            XCTAssertTrue(api.body.string.contains("подтвердите"), api.body.string)
            let confirmed = try await director.post("/programmes/\(id)/submit", [("version", "3"), ("confirm", "1")])
            XCTAssertEqual(confirmed.status, .seeOther)
            try await assertEqualAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)?.status, "submitted")

            // Approving asks the reviewer the same; once the remark is resolved it does not.
            try await curator.get("/programmes/\(id)")
            try await assertEqualAsync(try await curator.post("/programmes/\(id)/approve", [("version", "4")]).status, .conflict)
            try await assertEqualAsync(try await curator.post(resolve, [("resolved", "1")]).status, .seeOther)
            try await assertEqualAsync(try await curator.post("/programmes/\(id)/approve", [("version", "4")]).status, .seeOther)
            try await assertEqualAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)?.status, "approved")

            // The remarked measure removed: its remark is shown with the remarks on the whole document.
            let removed = draft.filter { !$0.0.hasSuffix("_2") }.map { $0.0 == "version" ? ($0.0, "5") : $0 } + [("m_id_1", "1")]
            try await assertEqualAsync(try await director.post("/programmes/\(id)", removed).status, .seeOther)
            let general = Self.section(try await curator.get("/programmes/\(id)").body.string, id: "item-general")
            XCTAssertTrue(general.contains("Для кого консультации?"), general)
        }
    }

    /// The `<section id=…>` of a page, up to its end.
    static func section(_ html: String, id: String) -> String {
        guard let start = html.range(of: #"id="\#(id)""#) else { return "" }
        let rest = html[start.upperBound...]
        return String(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
    }

    func schoolForm(_ fixture: WebFixture, code: String, version: String) -> [(String, String)] {
        [("code", code), ("name", "МКОУ «Липицкая СОШ»"), ("municipality_id", "\(fixture.municipalityA)"), ("students", "98"),
         ("version", version)]
    }

    /// «Код ОО» is changed by a coordinator or an analyst, after a warning and a confirmation; never by the school.
    func testTheSchoolCodeIsChangedOnlyByTheRegistryKeepersWithAConfirmation() async throws {
        try await WebFixture.onEachEngine { fixture in
            let director = Browser(fixture.app), coordinator = Browser(fixture.app)
            try await director.login("director-a")
            try await coordinator.login("coord-a")
            let readOnly = try await director.get("/schools/\(fixture.schoolA)/edit").body.string
            XCTAssertTrue(readOnly.contains("readonly"), "the school sees its code but cannot change it")
            let path = "/schools/\(fixture.schoolA)"
            try await assertEqualAsync(try await director.post(path, schoolForm(fixture, code: "A7", version: "1")).status, .forbidden)
            try await assertEqualAsync(try await director.post("/schools/\(fixture.schoolA)", schoolForm(fixture, code: "A1", version: "1")
                                                                .map { $0.0 == "students" ? ($0.0, "99") : $0 }).status, .seeOther,
                                       "the rest of the card stays the school's")

            let form = try await coordinator.get("/schools/\(fixture.schoolA)/edit").body.string
            XCTAssertTrue(form.contains("сопоставляются"), "the form says what the code is for")
            let ask = try await coordinator.post("/schools/\(fixture.schoolA)", schoolForm(fixture, code: "A7", version: "2"))
            XCTAssertEqual(ask.status, .conflict)
            XCTAssertTrue(ask.body.string.contains("confirm-code"))
            XCTAssertTrue(ask.body.string.contains("«A1» на «A7»"))
            try await assertEqualAsync(try await SchoolModel.find(fixture.schoolA, on: fixture.app.db)?.code, "A1")
            let confirmed = try await coordinator.post(path, schoolForm(fixture, code: "A7", version: "2") + [("confirm_code", "1")])
            XCTAssertEqual(confirmed.status, .seeOther)
            try await assertEqualAsync(try await SchoolModel.find(fixture.schoolA, on: fixture.app.db)?.code, "A7")

            // The API asks for the same confirmation and refuses the school.
            let token = try await AccountService.issueToken(forLogin: "coord-a", name: "script", by: .commandLine, on: fixture.app.db)
            let api = Browser(fixture.app)
            api.bearer = token
            let body = { (code: String, extra: String) in
                #"{"code":"\#(code)","name":"МКОУ «Липицкая СОШ»","municipality_id":\#(fixture.municipalityA),"version":3\#(extra)}"#
            }
            let unconfirmed = try await api.sendJSON(.PUT, "/api/schools/\(fixture.schoolA)", body("A8", ""))
            XCTAssertEqual(unconfirmed.status, .unprocessableEntity, unconfirmed.body.string)
            XCTAssertTrue(unconfirmed.body.string.contains("confirm_code"))
            let apiPath = "/api/schools/\(fixture.schoolA)"
            try await assertEqualAsync(try await api.sendJSON(.PUT, apiPath, body("A8", #","confirm_code":true"#)).status, .ok)
            api.bearer = try await AccountService.issueToken(forLogin: "director-a", name: "script", by: .commandLine, on: fixture.app.db)
            let bySchool = body("A9", #","confirm_code":true"#).replacingOccurrences(of: "\"version\":3", with: "\"version\":4")
            try await assertEqualAsync(try await api.sendJSON(.PUT, apiPath, bySchool).status, .forbidden)
            try await assertEqualAsync(try await SchoolModel.find(fixture.schoolA, on: fixture.app.db)?.code, "A8")
        }
    }

    /// A programme code taken by another municipality is refused with the same words as one's own taken code,
    /// naming no territory.
    func testATakenProgrammeCodeNamesNoTerritory() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app), other = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await other.login("coord-b")
            let plan = { (name: String, municipality: Int) in
                [("code", "P04"), ("name", name), ("municipality", String(municipality)), ("start", "2023"), ("end", "2025")]
            }
            try await coordinator.get("/plans")
            let first = try await coordinator.post("/plans", plan("Программа Чернского района", fixture.municipalityA))
            XCTAssertEqual(first.status, .seeOther)
            // The refused form comes back (issue 24) with the reason beside the code.
            let own = try await coordinator.post("/plans", plan("Вторая", fixture.municipalityA)).body.string
            try await other.get("/plans")
            let theirs = try await other.post("/plans", plan("Программа Белёвского района", fixture.municipalityB)).body.string
            let message = "id=\"code-note\">" + ProgrammeCode.taken("P04")
            XCTAssertTrue(own.contains(message))
            XCTAssertTrue(theirs.contains(message), theirs)
            XCTAssertFalse(theirs.contains("Чернский"), "the other territory is not named")
            XCTAssertFalse(theirs.contains("другой территории"))
            try await assertEqualAsync(try await PlanModel.query(on: fixture.app.db).count(), 1)
        }
    }

    /// A mentor from another municipality is refused exactly as a school that does not exist.
    func testAMentorIsChosenWithinTheSupportedSchoolsMunicipality() async throws {
        try await WebFixture.onEachEngine { fixture in
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/support")
            let pair = { (mentor: Int) in
                [("supported", String(fixture.schoolA)), ("mentor", String(mentor)), ("start_year", "2024"), ("end_year", "2025")]
            }
            let otherTerritory = try await analyst.post("/support/pairs", pair(fixture.schoolB))
            let absent = try await analyst.post("/support/pairs", pair(999_999))
            XCTAssertEqual(otherTerritory.status, .notFound)
            XCTAssertEqual(absent.status, .notFound)
            XCTAssertEqual(otherTerritory.body.string, absent.body.string, "the refusal tells nothing about the other school")
            try await assertEqualAsync(try await MentorPairModel.query(on: fixture.app.db).count(), 0)
            try await assertEqualAsync(try await analyst.post("/support/pairs", pair(fixture.schoolA2)).status, .seeOther)
            try await assertEqualAsync(try await MentorPairModel.query(on: fixture.app.db).count(), 1)
        }
    }
}

/// The hostile Referers of the domain's table (`SafeRedirectTests`), for the pages.
enum SafeRedirectHostileList {
    static let referers: [String] = [
        "https://evil.example//evil.example/x", "http://evil.example//evil.example", "https://opora.local//evil.example/x",
        "https://opora.local/\\evil.example", "https://opora.local/\\\\evil.example/x", "https://opora.local\\\\evil.example",
        "https://opora.local/\t/evil.example", "https://opora.local/ /evil.example", "https://user@evil.example/x",
        "https://opora.local@evil.example//x", "//evil.example", "//evil.example/support", "///evil.example", "/\\evil.example",
        "/\\/evil.example", "\\\\evil.example", "\\/evil.example", "/\t/evil.example", "/ /evil.example", "javascript:alert(1)",
        "JavaScript://%0Aalert(1)", "data:text/html,<script>alert(1)</script>", "evil.example/x", "ftp://evil.example/x",
        "https:evil.example", "https:/\\evil.example", "/" + String(repeating: "a", count: 2_100),
    ]
}
