import Fluent
import OporaData
import OporaTestSupport
import OporaWeb
import SQLKit
import XCTVapor

/// Sessions end when they should (idle, absolute, logout everywhere, password change, deactivation), a login
/// always starts a new one, anonymous visits store nothing, API tokens are named, listed and revocable, and
/// throttling counts attempts in the database before any password is checked.
final class SessionTests: XCTestCase {
    func sessionCount(_ fixture: WebFixture) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await fixture.app.db.sql.raw("SELECT COUNT(*) AS n FROM user_sessions").first(decoding: Row.self)?.n ?? -1
    }

    func testAnonymousVisitsStoreNoSessionAndLoginStartsANewOne() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            for _ in 1...20 { try await browser.get("/login") }
            try await assertEqualAsync(try await sessionCount(fixture), 0, "anonymous pages must not grow the session table")
            XCTAssertNil(browser.cookie)
            XCTAssertNotNil(browser.cookies["opora_csrf"], "the login form's token rides in a cookie instead")

            // A session id planted before login (fixation) is not the one the user gets.
            browser.cookies["opora_session"] = String(repeating: "a", count: 64)
            try await assertEqualAsync(try await browser.login("coord-a").status, .seeOther)
            let first = try XCTUnwrap(browser.cookie)
            XCTAssertNotEqual(first, String(repeating: "a", count: 64))
            try await assertEqualAsync(try await sessionCount(fixture), 1)

            // Logging in again rotates the id, and the old one no longer opens anything.
            try await browser.get("/schools")
            try await browser.post("/login", [("login", "coord-a"), ("password", WebFixture.password), ("next", "/")])
            let second = try XCTUnwrap(browser.cookie)
            XCTAssertNotEqual(first, second)
            let stale = Browser(fixture.app)
            stale.cookies["opora_session"] = first
            try await assertEqualAsync(try await stale.get("/api/me").status, .unauthorized)
            try await assertEqualAsync(try await browser.get("/api/me").status, .ok)
            try await assertEqualAsync(try await sessionCount(fixture), 1)
        }
    }

    func testIdleAndAbsoluteExpiry() async throws {
        let lifetime = SessionLifetime(idle: 3600, absolute: 8 * 3600)
        try await WebFixture.onEachEngine(options: ServerOptions(bcryptCost: 4, sessionLifetime: lifetime)) { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            try await assertEqualAsync(try await browser.get("/api/me").status, .ok)
            // An hour and a second without a request: the session is over, and its row is gone.
            try await fixture.app.db.sql.update("user_sessions").set("last_seen_at", to: Date().addingTimeInterval(-3601)).run()
            let idle = try await browser.get("/schools")
            XCTAssertEqual(idle.status, .unauthorized)
            XCTAssertTrue(idle.body.string.contains("action=\"/login\""))
            XCTAssertNil(browser.cookie, "the browser is told to forget the cookie")
            try await assertEqualAsync(try await sessionCount(fixture), 0)

            // Active all along but signed in more than eight hours ago: over too.
            try await browser.login("coord-a")
            try await fixture.app.db.sql.update("user_sessions").set("created_at", to: Date().addingTimeInterval(-8 * 3600 - 1)).run()
            try await assertEqualAsync(try await browser.get("/api/me").status, .unauthorized)
        }
    }

    func testSignOutEverywhereAndPasswordChangeEndEverySession() async throws {
        try await WebFixture.onEachEngine { fixture in
            let office = Browser(fixture.app), home = Browser(fixture.app)
            try await office.login("coord-a")
            try await home.login("coord-a")
            try await office.get("/account")
            try await assertEqualAsync(try await office.post("/account/sign-out-everywhere", []).status, .seeOther)
            try await assertEqualAsync(try await office.get("/api/me").status, .unauthorized)
            try await assertEqualAsync(try await home.get("/api/me").status, .unauthorized)

            // A password set by an administrator (the command line does exactly this) ends the sessions too.
            try await home.login("coord-a")
            try await AccountService.setPassword(
                login: "coord-a", password: "новый-пароль-1", by: .commandLine, bcryptCost: 4, on: fixture.app.db)
            try await assertEqualAsync(try await home.get("/api/me").status, .unauthorized)
            try await assertEqualAsync(try await home.login("coord-a").status, .unauthorized)
            try await assertEqualAsync(try await home.login("coord-a", "новый-пароль-1").status, .seeOther)

            // The user's own change needs the current password, keeps this browser signed in, ends the others.
            try await office.login("coord-a", "новый-пароль-1")
            try await home.get("/account")
            let wrong = try await home.post(
                "/account/password", [("current", "не тот"), ("password", "ещё-новее-2"), ("repeat", "ещё-новее-2")])
            XCTAssertEqual(wrong.status, .unprocessableEntity)
            XCTAssertTrue(wrong.body.string.contains("Текущий пароль неверен"))
            try await home.post(
                "/account/password", [("current", "новый-пароль-1"), ("password", "ещё-новее-2"), ("repeat", "ещё-новее-2")])
            try await assertEqualAsync(try await home.get("/api/me").status, .ok)
            try await assertEqualAsync(try await office.get("/api/me").status, .unauthorized)
            let audit = try await AuditEntryModel.query(on: fixture.app.db).filter(\.$entity == "user").all().map(\.summary)
            XCTAssertTrue(audit.contains { $0.contains("вышел на всех устройствах") }, "\(audit)")
            XCTAssertTrue(audit.contains { $0.hasPrefix("Сменён пароль пользователя coord-a") }, "\(audit)")
        }
    }

    func testDeactivatedUsersLoseSessionsAndTokens() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let api = Browser(fixture.app)
            api.bearer = try await AccountService.issueToken(forLogin: "coord-a", name: "выгрузка", by: .commandLine, on: fixture.app.db)
            try await assertEqualAsync(try await api.get("/api/me").status, .ok)

            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/users")
            try await assertEqualAsync(try await analyst.post("/users/coord-a/deactivate", []).status, .seeOther)
            try await assertEqualAsync(try await coordinator.get("/api/me").status, .unauthorized)
            try await assertEqualAsync(try await api.get("/api/me").status, .unauthorized)
            try await assertEqualAsync(try await coordinator.login("coord-a").status, .unauthorized)
            try await assertTrueAsync(try await analyst.get("/users").body.string.contains("отключён"))

            // Nobody deactivates themselves, and a coordinator cannot touch an account outside their scope.
            try await analyst.post("/users/analyst/deactivate", [])
            try await assertEqualAsync(try await analyst.get("/api/me").status, .ok)
            let other = Browser(fixture.app)
            try await other.login("coord-b")
            try await other.get("/users")
            try await assertEqualAsync(try await other.post("/users/director-a/deactivate", []).status, .notFound)

            try await analyst.post("/users/coord-a/activate", [])
            try await assertEqualAsync(try await coordinator.login("coord-a").status, .seeOther)
            try await assertEqualAsync(try await api.get("/api/me").status, .ok, "a token of a user who is back works again")
        }
    }

    func testTokensAreNamedListedAndRevocable() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            try await browser.get("/account")
            let issued = try await browser.post("/account/tokens", [("name", "выгрузка для РЦОИ")])
            XCTAssertEqual(issued.status, .ok)
            let page = issued.body.string
            let token = try XCTUnwrap(page.range(of: "<code id=\"new-token\">").map { range -> String in
                let rest = page[range.upperBound...]
                return String(rest[..<rest.firstIndex(of: "<")!])
            })
            XCTAssertTrue(token.hasPrefix("opora_"))
            let api = Browser(fixture.app)
            api.bearer = token
            try await assertEqualAsync(try await api.get("/api/schools").status, .ok)
            let listed = try await browser.get("/account").body.string
            XCTAssertTrue(listed.contains("выгрузка для РЦОИ"))
            XCTAssertFalse(listed.contains(token), "a token is shown once")

            // Another user cannot revoke it; its owner can, and then it opens nothing.
            let stored = try await AccountService.tokens(ofLogin: "coord-a", on: fixture.app.db)
            let id = try XCTUnwrap(stored.first?.id)
            XCTAssertNotNil(stored.first?.lastUsedAt)
            let other = Browser(fixture.app)
            try await other.login("coord-b")
            try await other.get("/account")
            try await assertEqualAsync(try await other.post("/account/tokens/\(id)/revoke", []).status, .notFound)
            try await assertEqualAsync(try await api.get("/api/schools").status, .ok)
            try await browser.post("/account/tokens/\(id)/revoke", [])
            try await assertEqualAsync(try await api.get("/api/schools").status, .unauthorized)
        }
    }

    func testConcurrentGuessesAreCountedBeforeAnyIsChecked() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.get("/login")
            let cookie = "opora_csrf=\(browser.cookies["opora_csrf"]!)"
            let body = "login=analyst&password=guess&_csrf=\(Browser.encode(browser.csrf!))"
            let app = fixture.app
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        var headers = HTTPHeaders()
                        headers.add(name: .cookie, value: cookie)
                        headers.add(name: .contentType, value: "application/x-www-form-urlencoded")
                        return try await app.testable().sendRequest(.POST, "/login", headers: headers, body: ByteBuffer(string: body))
                            .status
                    }
                }
                var all: [HTTPStatus] = []
                for try await status in group { all.append(status) }
                return all
            }
            // Before, 52 of them were checked; now at most the five the limit allows.
            let tally = Dictionary(grouping: statuses, by: \.code).mapValues(\.count)
            XCTAssertLessThanOrEqual(statuses.filter { $0 == .unauthorized }.count, 5, "only five may be checked: \(tally)")
            XCTAssertEqual(statuses.filter { $0 == .unauthorized || $0 == .tooManyRequests }.count, 100, "\(tally)")
        }
    }

    func testTheAddressLimitIsNotForgivenByAnotherAccountsLogin() async throws {
        let options = ServerOptions(bcryptCost: 4, loginThrottle: LoginThrottle(maxFailures: 5, maxFailuresPerAddress: 3))
        try await WebFixture.onEachEngine(options: options) { fixture in
            let browser = Browser(fixture.app)
            try await assertEqualAsync(try await browser.login("analyst", "guess").status, .unauthorized)
            try await assertEqualAsync(try await browser.login("coord-b", "guess").status, .unauthorized)
            let other = Browser(fixture.app)
            try await assertEqualAsync(try await other.login("coord-a").status, .seeOther)
            try await assertEqualAsync(try await browser.login("viewer-a", "guess").status, .unauthorized)
            try await assertEqualAsync(try await browser.login("director-a", "guess").status, .tooManyRequests,
                                       "three failures from this address stand, whoever else signed in meanwhile")
        }
    }

    func testThrottlingHoldsAcrossARestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var targets: [DatabaseTarget] = [.sqliteFile(folder.appendingPathComponent("opora.sqlite").path)]
        targets += TestEngines.targets.filter(\.isPostgres)
        for target in targets {
            let first = try await WebFixture.make(target)
            let browser = Browser(first.app)
            for _ in 1...5 { try await browser.login("analyst", "guess") }
            try await first.shutdown()
            let second = try await WebFixture.make(target, reset: false)
            let again = Browser(second.app)
            let blocked = try await again.login("analyst")
            try await second.shutdown()
            XCTAssertEqual(blocked.status, .tooManyRequests, target.displayName)
        }
    }
}
