import Fluent
import OporaData
import OporaTestSupport
import OporaWeb
import XCTVapor

final class SecurityTests: XCTestCase {
    func testFormsWithoutTheCSRFTokenAreRejected() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            let form = [("code", "A1"), ("name", "Подмена"), ("municipality_id", "\(fixture.municipalityA)"), ("version", "1")]
            let missing = try await browser.post("/schools/\(fixture.schoolA)", form, withCSRF: false)
            XCTAssertEqual(missing.status, .forbidden)
            XCTAssertTrue(missing.body.string.contains("CSRF"))
            let forged = try await browser.post(
                "/schools/\(fixture.schoolA)", form + [("_csrf", "forged-token-of-the-same-length-000000000000")], withCSRF: false)
            XCTAssertEqual(forged.status, .forbidden)
            try await assertEqualAsync(try await SchoolModel.find(fixture.schoolA, on: fixture.app.db)?.name, "МКОУ «Липицкая СОШ»")

            // JSON calls riding on the session cookie need the header; with it they pass.
            let json =
                #"{"code":"A1","name":"МКОУ «Липицкая СОШ»","municipality_id":\#(fixture.municipalityA),"students":"99","version":1}"#
            try await assertEqualAsync(try await browser.sendJSON(.PUT, "/api/schools/\(fixture.schoolA)", json).status, .forbidden)
            // Logging in without a token is refused too (login CSRF).
            let fresh = Browser(fixture.app)
            try await assertEqualAsync(
                try await fresh.post("/login", [("login", "coord-a"), ("password", WebFixture.password)]).status, .forbidden)
        }
    }

    func testWrongPasswordAndUnknownUser() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            let wrong = try await browser.login("coord-a", "not-the-password")
            XCTAssertEqual(wrong.status, .unauthorized)
            XCTAssertTrue(wrong.body.string.contains("Неверный логин или пароль"))
            try await assertEqualAsync(try await browser.get("/api/me").status, .unauthorized)
            let unknown = try await browser.login("nobody")
            XCTAssertEqual(unknown.status, .unauthorized)
            XCTAssertTrue(unknown.body.string.contains("Неверный логин или пароль"), "the same message: no hint which logins exist")
            try await assertEqualAsync(try await browser.login("coord-a").status, .seeOther)
            try await assertEqualAsync(try await browser.get("/api/me").status, .ok)
            // Logout ends the session (the page supplies the new session's CSRF token).
            try await browser.get("/")
            try await assertEqualAsync(try await browser.post("/logout", []).status, .seeOther)
            try await assertEqualAsync(try await browser.get("/api/me").status, .unauthorized)
        }
    }

    func testRepeatedFailuresAreThrottled() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            for _ in 1...5 { try await assertEqualAsync(try await browser.login("analyst", "guess").status, .unauthorized) }
            let blocked = try await browser.login("analyst")
            XCTAssertEqual(blocked.status, .tooManyRequests, "even the right password waits once the limit is hit")
            XCTAssertNotNil(blocked.headers.first(name: .retryAfter))
            XCTAssertTrue(blocked.body.string.contains("Слишком много неудачных попыток"))
            // Another account from the same address is not locked out by someone else's guesses.
            try await assertEqualAsync(try await browser.login("coord-a").status, .seeOther)
        }
    }

    func testPasswordsAreStoredHashed() async throws {
        try await WebFixture.onEachEngine { fixture in
            let user = try await UserModel.query(on: fixture.app.db).filter(\.$login == "coord-a").first()!
            XCTAssertFalse(user.passwordHash.contains(WebFixture.password))
            XCTAssertTrue(user.passwordHash.hasPrefix("$2"))
            do {
                try await AccountService.createUser(
                    .init(login: "short", fullName: "x", password: "1234567", role: .viewer, municipalityID: fixture.municipalityA),
                    by: .commandLine, bcryptCost: 4, on: fixture.app.db)
                XCTFail("short password accepted")
            } catch let error as RepositoryError {
                XCTAssertEqual(error, .invalid(field: "Пароль", message: "не короче 8 символов"))
            }
        }
    }

    func testSecurityHeadersAndNoOpenRedirect() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            let page = try await browser.get("/login")
            XCTAssertEqual(page.headers.first(name: "X-Frame-Options"), "DENY")
            XCTAssertNotNil(page.headers.first(name: "Content-Security-Policy"))
            try await browser.get("/login")
            let response = try await browser.post(
                "/login", [("login", "coord-a"), ("password", WebFixture.password), ("next", "//evil.example/")])
            XCTAssertEqual(response.headers.first(name: .location), "/")
            XCTAssertTrue(response.headers.first(name: .setCookie)?.contains("HttpOnly") ?? false)
        }
    }
}
