import Fluent
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
@testable import OporaWeb
import XCTVapor

/// The school card answers «what is going on here» (issue 24): the list in force and why, the curator and mentor by
/// name with contacts, the programme's status with a link, risks, decisions, the last visit and what is late — and no
/// audit internals; people are named rather than shown by login; the false messages a curator and a director saw.
final class SchoolCardPagesTests: XCTestCase {
    static let results = """
        year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
        2023,VPR,6,math,A1,38,13,13,15,8,2
        2023,OGE,9,math,A1,29,9,9,12,6,2
        2023,VPR,6,math,A2,60,6,6,30,20,4
        2023,OGE,9,math,A2,50,10,10,25,10,5
        """

    /// A1 listed by coord-a's order for 2023, curated by «Куратор Кураторова» (with a phone), mentored by A2, with a
    /// programme returned by coord-a, an open decision and a visit whose follow-up is late.
    func prepare(_ fixture: WebFixture) async throws -> (programme: Int, coordinator: Browser) {
        let db = fixture.app.db
        _ = try await Importer(db: db, actor: .commandLine).importFile(.results, bytes: Array(Self.results.utf8), fileName: "demo-r.csv")
        let coordinator = Browser(fixture.app)
        try await coordinator.login("coord-a")
        _ = try await coordinator.get("/identification?year=2023")
        let approved = try await coordinator.post("/identification/approve", [
            ("year", "2023"), ("criteria", "stored"), ("order_number", "15-о"), ("order_date", "01.03.2023"),
            ("confirm_order_date", "01.03.2023"), ("issuer", "Управление образования Чернского района"),
        ])
        XCTAssertEqual(approved.status, .seeOther)
        try await AccountService.createUser(.init(login: "curator-a", fullName: "Кураторова Анна Борисовна", password: WebFixture.password,
                                                  role: .curator, schoolIDs: [fixture.schoolA]), by: .commandLine, bcryptCost: 4, on: db)
        let curator = try await UserModel.query(on: db).filter(\.$login == "curator-a").first()!
        curator.phone = "+7 (48756) 2-11-22"
        try await curator.save(on: db)
        let coord = Actor(userID: try await UserModel.query(on: db).filter(\.$login == "coord-a").first()?.id, login: "coord-a")
        let support = SupportRepository(db: db)
        let today = CalendarDay.today()
        _ = try await support.addPair(.init(supportedID: fixture.schoolA, mentorID: fixture.schoolA2, period: today.year...today.year),
                                      scope: .municipality(fixture.municipalityA), actor: coord)
        try await support.addVisit(.init(schoolID: fixture.schoolA, day: today.adding(days: -40), visitor: "Кураторова А. Б.",
                                         format: .onSite, topic: "Разбор ВПР по математике", followUp: "План работы с группой риска",
                                         followUpDue: today.adding(days: -10)),
                                   scope: .everything, actor: Actor(userID: curator.id, login: "curator-a"))
        _ = try await PlanRepository(db: db).createDecision(.init(
            programmeID: nil, schoolID: fixture.schoolA,
            place: AuditPlace(municipalityID: fixture.municipalityA, schoolID: fixture.schoolA),
            kind: .other, findingRef: nil, finding: "Доля «2» выросла", decision: "Провести педсовет по итогам ВПР",
            responsible: "директор", due: today.adding(days: 20)), actor: coord)
        let content = ProgrammeContent(goal: "Повысить качество обучения математике", tasks: ["Снизить долю «2»"],
                                       measures: [ProgrammeMeasure(text: "Педсовет", deadline: "до 01.03.2027", responsible: "директор")],
                                       indicators: [ProgrammeIndicator(name: "Доля «2»", unit: "%", baseline: "32", target: "15")])
        let director = ProgrammeRepository(db: db, actor: Actor(userID: nil, login: "director-a"))
        let programme = try await director.create(schoolID: fixture.schoolA, kind: .mediumTerm, factor: nil,
                                                  title: "Программа развития Липиц", period: 2027...2027, content: content)
        try await director.submit(programme.id!, expectedVersion: 1)
        try await ProgrammeRepository(db: db, actor: coord).decide(programme.id!, expectedVersion: 2, action: .returnForRevision)
        return (programme.id!, coordinator)
    }

    func testTheCardSaysWhatIsGoingOnForEveryRoleThatSeesIt() async throws {
        try await WebFixture.onEachEngine { fixture in
            let (programme, coordinator) = try await self.prepare(fixture)
            let curator = Browser(fixture.app), director = Browser(fixture.app)
            try await curator.login("curator-a")
            try await director.login("director-a")
            for (who, browser) in [("coordinator", coordinator), ("curator", curator), ("director", director)] {
                let response = try await browser.get("/schools/\(fixture.schoolA)")
                XCTAssertEqual(response.status, .ok, who)
                let card = response.body.string
                XCTAssertTrue(card.contains("id=\"card-list\""), who)
                XCTAssertTrue(card.contains("в перечне 2023 года"), "\(who): the list in force: \(card)")
                XCTAssertTrue(card.contains("приказ № 15-о от 01.03.2023"), who)
                XCTAssertTrue(card.contains("Основание: "), "\(who): why it is listed")
                XCTAssertTrue(card.contains("Кураторова Анна Борисовна"), "\(who): the curator by name")
                XCTAssertTrue(card.contains("+7 (48756) 2-11-22"), "\(who): the curator's phone")
                XCTAssertTrue(card.contains("Чернская СОШ № 1"), "\(who): the mentor school")
                XCTAssertTrue(card.contains("href=\"/programmes/\(programme)\""), "\(who): the programme links to itself")
                XCTAssertTrue(card.contains("возвращена на доработку"), "\(who): the programme's status")
                XCTAssertTrue(card.contains("Провести педсовет по итогам ВПР"), "\(who): the open decision")
                XCTAssertTrue(card.contains("Последний визит: "), who)
                XCTAssertTrue(card.contains("Разбор ВПР по математике"), "\(who): the last visit")
                XCTAssertTrue(card.contains("План работы с группой риска"), "\(who): the late follow-up")
                XCTAssertTrue(card.contains("href=\"/schools/\(fixture.schoolA)/support\""), who)
                XCTAssertTrue(card.contains("href=\"/schools/\(fixture.schoolA)/risks\""), who)
                for hidden in ["demo-r.csv", "fixture.csv", "isbs_group", "below_min", "Последние изменения"] {
                    XCTAssertFalse(card.contains(hidden), "\(who): no audit internals on the card (\(hidden))")
                }
                XCTAssertEqual(card.contains("href=\"/audit?school=\(fixture.schoolA)\""), who == "coordinator",
                               "\(who): the audit page is a link for those who may read it")
            }
            // The returned programme waits for the director: the card says so, with the link.
            let directors = try await director.get("/schools/\(fixture.schoolA)").body.string
            XCTAssertTrue(directors.contains("Программы, возвращённые на доработку") || directors.contains("возвращена на доработку;"),
                          directors)
            // The audit page's school filter stays within the scope.
            let audit = try await coordinator.get("/audit?school=\(fixture.schoolA)").body.string
            XCTAssertTrue(audit.contains("Координатор А"), "the audit names the person")
            let other = Browser(fixture.app)
            try await other.login("coord-b")
            try await assertEqualAsync(try await other.get("/schools/\(fixture.schoolA)").status, .notFound)
            let foreign = try await other.get("/audit?school=\(fixture.schoolA)").body.string
            XCTAssertFalse(foreign.contains("Липицкая"), "another municipality's audit stays hidden")
        }
    }

    func testACardWithNoDataNoProgrammeAndNoCuratorIsClearNotAlarming() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let card = try await coordinator.get("/schools/\(fixture.schoolA2)").body.string
            XCTAssertTrue(card.contains("Результатов оценочных процедур по школе пока нет"), card)
            XCTAssertTrue(card.contains("не закреплён"))
            XCTAssertTrue(card.contains("Программы школы в системе пока нет"))
            XCTAssertTrue(card.contains("Профиль рисков школы пока не заполнен"))
            XCTAssertTrue(card.contains("визитов пока не было"))
            XCTAssertTrue(card.contains("Просроченного нет"))
            XCTAssertFalse(card.contains("не соответствует"))
            XCTAssertFalse(card.contains("tag bad"), "nothing alarming on an empty card")
            // «Сегодня» with nothing to do is calm too.
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let today = try await director.get("/").body.string
            XCTAssertTrue(today.contains("На сегодня дел нет"))
            XCTAssertFalse(today.contains("tag bad"))
        }
    }

    /// Names instead of logins: programme versions, decisions, the orders' history and the audit log.
    func testPeopleAreNamedNotShownByLogin() async throws {
        try await WebFixture.onEachEngine { fixture in
            let (programme, coordinator) = try await self.prepare(fixture)
            let page = try await coordinator.get("/programmes/\(programme)").body.string
            XCTAssertTrue(page.contains("возвращена на доработку — Координатор А"), page)
            XCTAssertTrue(page.contains(", Директор"), "the sender by name")
            XCTAssertFalse(page.contains("— coord-a"), page)
            let decisions = try await coordinator.get("/decisions").body.string
            XCTAssertTrue(decisions.contains("Координатор А, "), decisions)
            XCTAssertFalse(decisions.contains("coord-a, "))
            let lists = try await coordinator.get("/identification/lists").body.string
            XCTAssertTrue(lists.contains("Записал: Координатор А"), lists)
            let audit = try await coordinator.get("/audit").body.string
            XCTAssertFalse(audit.contains("<td>coord-a</td>"), "the audit names the person")
            // A login with no account left (the command line) stays as it is.
            XCTAssertEqual(ActorNames(names: ["coord-a": "Координатор А"]).name("команда"), "команда")
            let names = try await ActorNames.load(on: fixture.app.db)
            XCTAssertEqual(names.name("coord-a"), "Координатор А")
            XCTAssertEqual(names.name(nil), "—")
        }
    }

    /// «Организаций сети поддержки пока нет» for a curator and a director whose municipality has a network.
    func testACuratorAndADirectorSeeTheirTerritorysNetwork() async throws {
        try await WebFixture.onEachEngine { fixture in
            let db = fixture.app.db
            try await AccountService.createUser(.init(login: "curator-a", fullName: "Кураторова Анна Борисовна",
                                                      password: WebFixture.password, role: .curator, schoolIDs: [fixture.schoolA]),
                                                by: .commandLine, bcryptCost: 4, on: db)
            let support = SupportRepository(db: db)
            try await support.addOrganisation(.init(kind: .centre, name: "Чернский методический центр"),
                                              scope: .municipality(fixture.municipalityA), actor: .commandLine)
            try await support.addOrganisation(.init(kind: .centre, name: "Белёвский методический центр"),
                                              scope: .municipality(fixture.municipalityB), actor: .commandLine)
            for login in ["curator-a", "director-a"] {
                let browser = Browser(fixture.app)
                try await browser.login(login)
                let page = try await browser.get("/support/network").body.string
                XCTAssertTrue(page.contains("Чернский методический центр"), "\(login): \(page)")
                XCTAssertFalse(page.contains("Организаций сети поддержки пока нет"), login)
                XCTAssertFalse(page.contains("Белёвский методический центр"), "\(login): another territory's network stays hidden")
            }
            // A school's own page still lists only the organisations it belongs to.
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let own = try await coordinator.get("/schools/\(fixture.schoolA)/support").body.string
            XCTAssertFalse(own.contains("Чернский методический центр"), own)
        }
    }

    /// A school whose groups were all too small is «недостаточно данных», never «не выявлена».
    func testASchoolTheRuleCouldNotJudgeIsNotReportedAsCleared() async throws {
        try await WebFixture.onEachEngine { fixture in
            let results = """
                year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
                2023,VPR,6,math,A1,3,2,2,1,0,0
                2023,VPR,6,math,A2,60,6,6,30,20,4
                2023,OGE,9,math,A2,50,10,10,25,10,5
                """
            _ = try await Importer(db: fixture.app.db, actor: .commandLine)
                .importFile(.results, bytes: Array(results.utf8), fileName: "r.csv")
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let page = try await director.get("/identification?year=2023").body.string
            let table = page.components(separatedBy: "<tbody>").last ?? page
            XCTAssertTrue(table.contains(">недостаточно данных<"), String(table.prefix(1500)))
            XCTAssertFalse(table.contains(">не выявлена<"), String(table.prefix(1500)))
            let card = try await director.get("/schools/\(fixture.schoolA)").body.string
            let standing = card.components(separatedBy: "id=\"card-people\"").first ?? card
            XCTAssertTrue(standing.contains("недостаточно данных"), String(standing.suffix(1500)))
            XCTAssertFalse(standing.contains("не соответствует"), String(standing.suffix(1500)))
        }
    }
}
