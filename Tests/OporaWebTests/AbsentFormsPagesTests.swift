import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// Issue 18, point 5, for forms: a form naming another territory's school answers exactly as one naming a
/// school that does not exist — the same status and the same words — and writes nothing. On both engines.
final class AbsentFormsPagesTests: XCTestCase {
    func testAnotherTerritorysSchoolReadsLikeAnAbsentOneInForms() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await AccountService.createUser(.init(login: "curator-x", fullName: "Куратор", password: WebFixture.password,
                                                      role: .curator,
                                                      schoolIDs: [fixture.schoolA]), by: .commandLine, bcryptCost: 4, on: fixture.app.db)
            let curator = try await UserModel.query(on: fixture.app.db).filter(\.$login == "curator-x").first()!.id!
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/support")
            let absent = 2_000_000
            let forms: [(path: String, fields: (Int) -> [(String, String)])] = [
                ("/support/curators", { [("school", String($0)), ("curator", String(curator)), ("from", "01.09.2024")] }),
                ("/support/visits", { [("school", String($0)), ("date", "01.10.2024"), ("visitor", "Лебедева"), ("topic", "ВПР")] }),
                ("/support/pairs", { [("supported", String($0)), ("mentor", String(fixture.schoolA2)),
                                      ("start_year", "2024"), ("end_year", "2025")] }),
                ("/decisions", { [("school", String($0)), ("finding", "Низкие результаты"), ("decision", "Провести диагностику"),
                                  ("responsible", "Отдел образования"), ("due", "01.12.2024")] }),
            ]
            for form in forms {
                let other = try await coordinator.post(form.path, form.fields(fixture.schoolB))
                let unknown = try await coordinator.post(form.path, form.fields(absent))
                XCTAssertEqual(other.status, .notFound, form.path)
                XCTAssertEqual(other.status, unknown.status, form.path)
                XCTAssertEqual(Self.reason(other.body.string), Self.reason(unknown.body.string), form.path)
            }
            // The one assignment is the curator's own, made with the account.
            try await assertEqualAsync(try await CuratorAssignmentModel.query(on: fixture.app.db).count(), 1)
            try await assertEqualAsync(try await VisitModel.query(on: fixture.app.db).count(), 0)
            try await assertEqualAsync(try await MentorPairModel.query(on: fixture.app.db).count(), 0)
            try await assertEqualAsync(try await DecisionModel.query(on: fixture.app.db).count(), 0)
        }
    }

    /// The error page's heading and reason, without the page's own tokens.
    static func reason(_ html: String) -> String {
        guard let start = html.range(of: "<h1>"), let end = html.range(of: "На главную") else { return html }
        return String(html[start.lowerBound..<end.lowerBound])
    }
}
