import Foundation
import XCTest

/// A browser test's frame: the built server on a fresh database and a headless Chromium, skipped (or failed with
/// `OPORA_REQUIRE_BROWSER=1`) where chromium or chromedriver is missing; `signIn` / `signOut` as a user does them.
open class ChromiumTestCase: XCTestCase {
    public var server: LiveServer!
    public var browser: WebDriver!

    open override func setUp() async throws {
        guard WebDriver.available else {
            if ProcessInfo.processInfo.environment["OPORA_REQUIRE_BROWSER"] == "1" {
                XCTFail("OPORA_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed")
            }
            throw XCTSkip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
        }
        server = try await startServer()
        browser = try await WebDriver.start()
        print("Browser test ran: \(name)")
    }

    /// The server the test's browser meets: two municipalities and a user per role (`LiveServer.start`) unless told.
    open func startServer() async throws -> LiveServer {
        try await LiveServer.start(Self.self)
    }

    open override func tearDown() async throws {
        await browser?.quit()
        server?.stop()
    }

    public func signIn(_ login: String) async throws {
        try await browser.open(server.baseURL + "/login")
        try await browser.type("input[name=login]", login)
        try await browser.type("input[name=password]", LiveServer.password)
        try await browser.click("form[action='/login'] button[type=submit]")
        try await browser.waitFor("Пользователь \(login)")
    }

    public func signOut() async throws {
        try await browser.click("form[action='/logout'] button")
        try await browser.waitFor("action=\"/login\"")
    }
}
