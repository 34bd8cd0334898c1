import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// «Сегодня» over HTTP on both engines (issue 24): each role's items within its scope, the menu's badge, the
/// account's mail settings, and the unsubscribe link that works without signing in, once.
final class TodayPagesTests: XCTestCase {
    func submittedProgramme(_ fixture: WebFixture, school: Int) async throws -> SchoolProgrammeModel {
        let content = ProgrammeContent(
            goal: "Повысить качество обучения математике", tasks: ["Снизить долю «2»"],
            measures: [ProgrammeMeasure(text: "Педсовет по результатам ВПР", deadline: "до 01.03.2027", responsible: "директор")],
            indicators: [ProgrammeIndicator(name: "Доля «2» по математике", unit: "%", baseline: "32", target: "не более 15")])
        let repository = ProgrammeRepository(db: fixture.app.db, actor: Actor(userID: nil, login: "director-a"))
        let programme = try await repository.create(schoolID: school, kind: .mediumTerm, factor: nil, title: "Программа развития 2027",
                                                    period: 2027...2027, content: content)
        try await repository.submit(programme.id!, expectedVersion: 1)
        return programme
    }

    func testEachRoleSeesItsOwnItemsAndTheBadgeCountsThem() async throws {
        try await WebFixture.onEachEngine { fixture in
            let ours = try await self.submittedProgramme(fixture, school: fixture.schoolA)
            let theirs = try await self.submittedProgramme(fixture, school: fixture.schoolB)
            let coordinator = Browser(fixture.app), other = Browser(fixture.app)
            let director = Browser(fixture.app), viewer = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await other.login("coord-b")
            try await director.login("director-a")
            try await viewer.login("viewer-a")

            let page = try await coordinator.get("/").body.string
            XCTAssertTrue(page.contains("Программы школ на проверке (1)"), page)
            XCTAssertTrue(page.contains("href=\"/programmes/\(ours.id!)\""))
            XCTAssertFalse(page.contains("href=\"/programmes/\(theirs.id!)\""), "another municipality's programme is not A's to review")
            XCTAssertTrue(page.contains("class=\"today-badge\""))
            XCTAssertTrue(page.contains("href=\"/overview\""), "the former start page stays a click away")
            let otherPage = try await other.get("/").body.string
            XCTAssertTrue(otherPage.contains("href=\"/programmes/\(theirs.id!)\""))
            XCTAssertFalse(otherPage.contains("href=\"/programmes/\(ours.id!)\""))
            // The item's link opens for the one who sees it and is 404 for the other.
            try await assertEqualAsync(try await coordinator.get("/programmes/\(ours.id!)").status, .ok)
            try await assertEqualAsync(try await other.get("/programmes/\(ours.id!)").status, .notFound)

            let directorsPage = try await director.get("/").body.string
            XCTAssertFalse(directorsPage.contains("Программы школ на проверке"), "a director reviews nothing")
            XCTAssertTrue(directorsPage.contains("На сегодня дел нет"), directorsPage)
            try await ProgrammeRepository(db: fixture.app.db, actor: Actor(userID: nil, login: "coord-a"))
                .decide(ours.id!, expectedVersion: 2, action: .returnForRevision)
            let returned = try await director.get("/").body.string
            XCTAssertTrue(returned.contains("Программы, возвращённые на доработку (1)"), returned)
            // The badge follows the data on any page, not only on «Сегодня».
            let schools = try await director.get("/schools").body.string
            XCTAssertTrue(schools.contains("aria-label=\"ждёт вас: 1\""))

            let viewersPage = try await viewer.get("/").body.string
            XCTAssertTrue(viewersPage.contains("На сегодня дел нет"))
            XCTAssertFalse(viewersPage.contains("today-badge\""))
        }
    }

    func testMailSettingsAndTheUnsubscribeLink() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let account = try await coordinator.get("/account").body.string
            XCTAssertTrue(account.contains("Уведомления по электронной почте"))
            XCTAssertTrue(account.contains("value=\"programme_submitted\""))
            XCTAssertFalse(account.contains("value=\"programme_returned\""), "a coordinator is not told of returns")
            let bad = try await coordinator.post("/account/mail", [("email", "coord@a.ru>\r\nRCPT TO:<x@y.ru"), ("events[]", "digest")])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.string.contains("адрес электронной почты вида"))
            // Checked whole: an address followed by 300 spaces and more is refused, not cut back to the address.
            let padded = try await coordinator.post("/account/mail", [("email", "coord@a.ru" + String(repeating: " ", count: 300) + "x")])
            XCTAssertEqual(padded.status, .unprocessableEntity)
            try await assertEqualAsync(try await coordinator.post("/account/mail", [("email", "Coord@Chern.example.ru"),
                                                                                    ("events[]", "programme_submitted")]).status, .seeOther)
            let user = try await UserModel.query(on: fixture.app.db).filter(\.$login == "coord-a").first()!
            XCTAssertEqual(user.email, "coord@chern.example.ru")
            try await assertEqualAsync(try await MailPreferences(db: fixture.app.db).disabled(userID: user.id!),
                                       [.digest, .measureOverdue], "the unticked events are off")

            _ = try await self.submittedProgramme(fixture, school: fixture.schoolA)
            let message = try await MailOutboxModel.query(on: fixture.app.db).filter(\.$recipient == "coord@chern.example.ru").first()
            let link = try XCTUnwrap(message?.unsubscribeURL)
            let path = String(link[try XCTUnwrap(link.range(of: "/unsubscribe/")).lowerBound...])
            let stranger = Browser(fixture.app)
            let first = try await stranger.get(path)
            XCTAssertEqual(first.status, .ok)
            XCTAssertTrue(first.body.string.contains("больше приходить не будут"), first.body.string)
            let second = try await stranger.get(path).body.string
            XCTAssertTrue(second.contains("Ссылка уже использована"), "a link works once")
            try await assertEqualAsync(try await MailPreferences(db: fixture.app.db).disabled(userID: user.id!),
                                       [.digest, .measureOverdue, .programmeSubmitted])
        }
    }
}
