import OporaTestSupport
import Vapor
import XCTest
import XCTVapor

/// A correct password never trips the failed-login limit: people of one office signing in to one account at once.
final class LoginConcurrencyTests: XCTestCase {
    func parallelLogins(_ app: Application, browser: Browser, password: String, count: Int) async throws -> [HTTPStatus] {
        try await browser.get("/login")
        let cookie = "opora_csrf=\(browser.cookies["opora_csrf"]!)"
        let body = "login=analyst&password=\(password)&_csrf=\(Browser.encode(browser.csrf!))"
        return try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for _ in 0..<count {
                group.addTask {
                    var headers = HTTPHeaders()
                    headers.add(name: .cookie, value: cookie)
                    headers.add(name: .contentType, value: "application/x-www-form-urlencoded")
                    return try await app.testable().sendRequest(.POST, "/login", headers: headers, body: ByteBuffer(string: body)).status
                }
            }
            var all: [HTTPStatus] = []
            for try await status in group { all.append(status) }
            return all
        }
    }

    func testSimultaneousCorrectLoginsAllGetIn() async throws {
        try await WebFixture.onEachEngine { fixture in
            let statuses = try await parallelLogins(fixture.app, browser: Browser(fixture.app), password: WebFixture.password, count: 6)
            XCTAssertEqual(statuses, Array(repeating: .seeOther, count: 6), "six correct logins at once: \(statuses)")
            // Two wrong guesses before do not change that: the limit counts failures only.
            let browser = Browser(fixture.app)
            for _ in 1...2 { try await assertEqualAsync(try await browser.login("analyst", "guess").status, .unauthorized) }
            let again = try await parallelLogins(fixture.app, browser: Browser(fixture.app), password: WebFixture.password, count: 8)
            XCTAssertEqual(again.filter { $0 == .seeOther }.count, 8, "\(again)")
        }
    }
}
