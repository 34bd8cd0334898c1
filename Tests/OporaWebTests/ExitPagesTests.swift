import FluentKit
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// Exits and school programmes carried out over HTTP (issue 21): who sees and does what, scope, CSRF, conflicts.
final class ExitPagesTests: XCTestCase {
    // A1 is not flagged in 2024 or 2025; A2 is flagged in 2025; the region's 2025 order lists A1, A2 and B1.
    static let results = """
        year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
        2024,VPR,6,math,A1,60,6,6,30,20,4
        2024,OGE,9,math,A1,50,5,5,25,15,5
        2025,VPR,6,math,A1,60,6,6,30,20,4
        2025,OGE,9,math,A1,50,5,5,25,15,5
        2025,VPR,6,math,A2,38,13,13,15,8,2
        2025,OGE,9,math,A2,29,9,9,12,6,2
        """

    static let order = """
        year,school,order_number,order_date,territory,issuer,authority
        2025,A1,486-Д,21.04.2025,Тульская область,Министерство образования Тульской области,region
        2025,A2,486-Д,21.04.2025,Тульская область,Министерство образования Тульской области,region
        2025,B1,486-Д,21.04.2025,Тульская область,Министерство образования Тульской области,region
        """

    /// Results, risks and the region's order; an approved programme of A1 (2024–2025) with two measures and two
    /// indicators. Returns the programme's id.
    static func prepare(_ fixture: WebFixture) async throws -> Int {
        let db = fixture.app.db
        _ = try await Importer(db: db, actor: .commandLine).importFile(.results, bytes: Array(results.utf8), fileName: "r.csv")
        _ = try await Importer(db: db, actor: .commandLine).importFile(
            .risks, bytes: Array("year,school,factor,level\n2025,A1,1,low\n2025,A2,1,high\n".utf8), fileName: "risks.csv")
        let region = try await RegionModel.query(on: db).first()!.id!
        _ = try await Importer(db: db, actor: .commandLine, scope: .region(region)).importFile(
            .approvedList, bytes: Array(order.utf8), fileName: "order.csv")
        let director = Actor(userID: nil, login: "director-a")
        let programmes = ProgrammeRepository(db: db, actor: director)
        let programme = try await programmes.create(
            schoolID: fixture.schoolA, kind: .mediumTerm, factor: nil, title: "Программа развития Липицкой СОШ", period: 2024...2025,
            content: ProgrammeContent(
                goal: "Повысить качество обучения математике", tasks: ["Снизить долю «2»"],
                measures: [
                    ProgrammeMeasure(text: "Педсовет по результатам ВПР", deadline: "до 01.03.2025", responsible: "директор"),
                    ProgrammeMeasure(text: "Курсы для учителей математики", deadline: "до 01.10.2025", responsible: "завуч"),
                ],
                indicators: [
                    ProgrammeIndicator(name: "Доля «2» по математике", unit: "%", baseline: "32", target: "не более 15"),
                    ProgrammeIndicator(name: "Успеваемость", unit: "%", baseline: "81,5", target: "не менее 95"),
                ]))
        try await programmes.submit(programme.id!, expectedVersion: 1)
        try await ProgrammeRepository(db: db, actor: .commandLine).decide(programme.id!, expectedVersion: 2, action: .approve)
        return programme.id!
    }

    func testSchoolProgrammeCarriedOutByTheDirectorSeenByCuratorAndMunicipality() async throws {
        try await WebFixture.onEachEngine { fixture in
            let id = try await Self.prepare(fixture)
            try await AccountService.createUser(
                .init(login: "curator-a", fullName: "Куратор", password: WebFixture.password, role: .curator,
                      schoolIDs: [fixture.schoolA]),
                by: .commandLine, bcryptCost: 4, on: fixture.app.db)
            let director = Browser(fixture.app), curator = Browser(fixture.app), coordinator = Browser(fixture.app)
            let other = Browser(fixture.app)
            try await director.login("director-a")
            try await curator.login("curator-a")
            try await coordinator.login("coord-a")
            try await other.login("coord-b")

            let page = try await director.get("/programmes/\(id)/execution")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.string.contains("просрочено"), "both measures are past their deadlines")
            let done: [(String, String)] = [
                ("version", "0"), ("status", "done"), ("done_on", "27.02.2025"), ("evidence", "https://school.example/protocol-4.pdf"),
                ("comment", "протокол педсовета № 4"),
            ]
            try await assertEqualAsync(try await director.post("/programmes/\(id)/execution/measures/1", done).status, .seeOther)
            // A stale form (version 0 again) is refused with 409 and keeps what was typed.
            let stale = try await director.post(
                "/programmes/\(id)/execution/measures/1", done.map { $0.0 == "comment" ? ($0.0, "мой новый комментарий") : $0 })
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.string.contains("мой новый комментарий"))
            // A done measure without its date: 422 in Russian, nothing saved.
            let undated = try await director.post(
                "/programmes/\(id)/execution/measures/2", [("version", "0"), ("status", "done"), ("done_on", "")])
            XCTAssertEqual(undated.status, .unprocessableEntity)
            XCTAssertTrue(undated.body.string.contains("укажите, когда мероприятие выполнено"))
            let values: [(String, String)] = [
                ("version_entry", "0"), ("value_entry", "32"), ("version_intermediate", "0"), ("value_intermediate", "14,5"),
                ("version_final", "0"), ("value_final", ""),
            ]
            try await assertEqualAsync(try await director.post("/programmes/\(id)/execution/indicators/1", values).status, .seeOther)
            try await assertEqualAsync(
                try await director.post(
                    "/programmes/\(id)/execution/indicators/2", [("version_final", "0"), ("value_final", "93,2")]).status,
                .seeOther)
            let unreadable = try await director.post(
                "/programmes/\(id)/execution/indicators/2", [("version_entry", "0"), ("value_entry", "много")])
            XCTAssertEqual(unreadable.status, .unprocessableEntity)

            // The curator reads the report and writes none of it; CSRF is required.
            let seen = try await curator.get("/programmes/\(id)/execution").body.string
            XCTAssertTrue(seen.contains("https://school.example/protocol-4.pdf"))
            XCTAssertTrue(seen.contains("27.02.2025"))
            XCTAssertTrue(seen.contains("14,5"))
            XCTAssertTrue(seen.contains("director-a"), "who entered the values")
            XCTAssertFalse(seen.contains("/execution/measures/1\""), "no form for the curator")
            try await assertEqualAsync(try await curator.post("/programmes/\(id)/execution/measures/2", done).status, .forbidden)
            try await assertEqualAsync(
                try await director.post("/programmes/\(id)/execution/measures/2", done, withCSRF: false).status, .forbidden)
            let card = try await curator.get("/schools/\(fixture.schoolA)").body.string
            XCTAssertTrue(card.contains("Выполнение программ школы"))

            // The municipality: per school the overdue measure and the indicator off target, and the totals.
            let board = try await coordinator.get("/programmes/execution").body.string
            XCTAssertTrue(board.contains("Курсы для учителей математики (срок: до 01.10.2025)"), board)
            XCTAssertTrue(board.contains("Успеваемость: 93,2, итоговый этап, цель не менее 95"))
            XCTAssertTrue(board.contains(
                "Всего мероприятий 2: выполнено 1, просрочено 1; показателей 2: достигнуто 1, не достигают цели 1"))
            // Another municipality sees neither the board's school nor the programme.
            try await assertFalseAsync(try await other.get("/programmes/execution").body.string.contains("Липицкая"))
            try await assertEqualAsync(try await other.get("/programmes/\(id)/execution").status, .notFound)
            try await assertEqualAsync(try await other.post("/programmes/\(id)/execution/measures/2", done).status, .notFound)
        }
    }

    func testExitCriteriaAndRecordingAnExit() async throws {
        try await WebFixture.onEachEngine { fixture in
            _ = try await Self.prepare(fixture)
            // Indicators without values would keep A1 from leaving under the default criteria: the municipality's own
            // criteria ask only for two years off the list and no high risk.
            let coordinator = Browser(fixture.app), director = Browser(fixture.app), other = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await director.login("director-a")
            try await other.login("coord-b")
            try await coordinator.get("/exits/criteria")
            let malformed = try await coordinator.post("/exits/criteria", [("text", "name: мягкие\nnot_flagged_years: 20\n")])
            XCTAssertEqual(malformed.status, .unprocessableEntity)
            XCTAssertTrue(malformed.body.string.contains("not_flagged_years: от 0 до 10"))
            XCTAssertTrue(malformed.body.string.contains("not_flagged_years: 20"), "the typed text is kept")
            let criteria = "name: Чернский район\nnot_flagged_years: 2\nindicators_met_share: 0\nno_high_risk: true\n"
            try await assertEqualAsync(try await coordinator.post("/exits/criteria", [("text", criteria)]).status, .seeOther)
            try await assertEqualAsync(try await director.post("/exits/criteria", [("text", criteria)]).status, .forbidden)
            try await assertEqualAsync(
                try await ExitRepository(db: fixture.app.db).versions(scope: .municipality(fixture.municipalityA)).count, 1)

            // Without a year, the page opens on the newest year with an order: 2025.
            let exits = try await coordinator.get("/exits").body.string
            XCTAssertTrue(exits.contains("Выход из списка на 2025 год"))
            XCTAssertTrue(exits.contains("Готовы к выходу: 1"), exits)
            XCTAssertTrue(exits.contains("exit-\(fixture.schoolA)"))
            XCTAssertTrue(exits.contains("отобрана по критериям в 2025 г."), "A2 stays, with its reason")
            let record: [(String, String)] = [
                ("school", String(fixture.schoolA)), ("year", "2025"), ("order_number", "15-п"), ("order_date", "01.06.2025"),
                ("issuer", "Управление образования Чернского района"), ("authority", "own"),
                ("reason", "два года вне критериев отбора, высоких рисков нет"),
            ]
            // Another municipality's coordinator: 404; a school's administrator: 403; without the form token: 403.
            try await assertFalseAsync(try await other.get("/exits?year=2025").body.string.contains("exit-\(fixture.schoolA)"))
            try await assertEqualAsync(try await other.post("/exits/record", record).status, .notFound)
            try await assertEqualAsync(try await director.post("/exits/record", record).status, .forbidden)
            try await assertEqualAsync(try await coordinator.post("/exits/record", record, withCSRF: false).status, .forbidden)
            // An order dated a day that does not exist comes back in its row as typed, the reason beside the date.
            let impossible = try await coordinator.post("/exits/record?year=2025",
                                                        record.map { $0.0 == "order_date" ? ($0.0, "31.02.2025") : $0 })
            XCTAssertEqual(impossible.status, .unprocessableEntity)
            let note = "id=\"order_date-note\">«31.02.2025» — такой даты нет: в феврале 2025 года 28 дней"
            XCTAssertTrue(impossible.body.string.contains(note))
            XCTAssertTrue(impossible.body.string.contains("value=\"31.02.2025\"") && impossible.body.string.contains("value=\"15-п\""))
            try await assertEqualAsync(try await coordinator.post("/exits/record", record).status, .seeOther)
            let after = try await coordinator.get("/exits?year=2025").body.string
            XCTAssertTrue(after.contains("Готовы к выходу: 0"), after)
            let card = try await coordinator.get("/schools/\(fixture.schoolA)").body.string
            XCTAssertTrue(card.contains("15-п"))
            XCTAssertTrue(card.contains("два года вне критериев отбора, высоких рисков нет"))
            XCTAssertTrue(card.contains("вышла / исключена"))
            let lists = try await coordinator.get("/identification/lists").body.string
            XCTAssertTrue(lists.contains("15-п"))
            let statuses = try await IdentificationRepository(db: fixture.app.db).approvedStatuses(
                year: 2025, scope: .municipality(fixture.municipalityA))
            XCTAssertEqual(statuses.map { Set($0.keys) }, [fixture.schoolA2])
        }
    }
}
