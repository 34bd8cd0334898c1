import Foundation
import OporaLiveSupport
import XCTest

/// A school programme carried out through the pages in Chromium (issue 21): the director reports a measure done
/// with its evidence and enters an indicator value; the curator and the municipality see them.
final class ProgrammeExecutionBrowserTests: XCTestCase {
    var server: LiveServer!
    var browser: WebDriver!

    override func setUp() async throws {
        guard WebDriver.available else {
            if ProcessInfo.processInfo.environment["OPORA_REQUIRE_BROWSER"] == "1" {
                XCTFail("OPORA_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed")
            }
            throw XCTSkip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
        }
        server = try await LiveServer.start(Self.self)
        browser = try await WebDriver.start()
        print("Browser test ran: \(name)")
    }

    override func tearDown() async throws {
        await browser?.quit()
        server?.stop()
    }

    func signIn(_ login: String) async throws {
        try await browser.open(server.baseURL + "/login")
        try await browser.type("input[name=login]", login)
        try await browser.type("input[name=password]", LiveServer.password)
        try await browser.click("form[action='/login'] button[type=submit]")
        try await browser.waitFor("Пользователь \(login)")
    }

    /// The programme written, submitted and approved over HTTP (its review has its own browser-free tests).
    func approvedProgramme() async throws -> Int {
        let director = HTTPSession(server), curator = HTTPSession(server)
        defer { Task { await director.close(); await curator.close() } }
        try await director.login("director-a")
        try await director.get("/programmes")
        let created = try await director.post("/programmes", [
            ("school", try schoolID()), ("kind", "medium_term"), ("title", "Программа развития Липицкой СОШ"),
            ("start_year", "2024"), ("end_year", "2025"),
        ])
        let location = try XCTUnwrap(created.header("Location"))
        let id = try XCTUnwrap(Int(location.split(separator: "/")[1]))
        try await director.get("/programmes/\(id)/edit")
        let saved = try await director.post("/programmes/\(id)", [
            ("version", "1"), ("goal", "Повысить качество обучения математике"), ("tasks", "Снизить долю «2»"),
            ("m_text_1", "Педсовет по результатам ВПР"), ("m_deadline_1", "до 01.03.2025"), ("m_responsible_1", "директор"),
            ("m_text_2", "Курсы для учителей математики"), ("m_deadline_2", "до 01.10.2025"), ("m_responsible_2", "завуч"),
            ("i_name_1", "Доля «2» по математике"), ("i_unit_1", "%"), ("i_baseline_1", "32"), ("i_target_1", "не более 15"),
        ])
        XCTAssertEqual(saved.status, 303)
        try await director.get("/programmes/\(id)")
        let submitted = try await director.post("/programmes/\(id)/submit", [("version", "2")])
        XCTAssertEqual(submitted.status, 303)
        try await curator.login("curator-a")
        try await curator.get("/programmes/\(id)")
        let approved = try await curator.post("/programmes/\(id)/approve", [("version", "3")])
        XCTAssertEqual(approved.status, 303)
        return id
    }

    func schoolID() async throws -> String {
        let session = HTTPSession(server)
        defer { Task { await session.close() } }
        try await session.login("director-a")
        let page = try await session.get("/programmes").body
        // The director's own school is the one choice of the «new programme» form.
        let marker = "name=\"school\""
        let range = try XCTUnwrap(page.range(of: marker), "the «new programme» form offers no school on /programmes")
        let rest = page[range.upperBound...]
        let value = try XCTUnwrap(rest.range(of: "value=\""), "the school choice has no value")
        let tail = rest[value.upperBound...]
        return String(tail[..<tail.firstIndex(of: "\"")!])
    }

    func testTheDirectorReportsTheCuratorAndTheMunicipalitySee() async throws {
        let id = try await approvedProgramme()

        try await signIn("director-a")
        try await browser.open(server.baseURL + "/programmes/\(id)")
        try await browser.click("a[href='/programmes/\(id)/execution']")
        try await browser.waitFor("Выполнение программы «Программа развития Липицкой СОШ»")
        let measure = "form[action='/programmes/\(id)/execution/measures/1']"
        try await browser.click("\(measure) select[name=status] option[value=done]")
        try await browser.type("\(measure) input[name=done_on]", "27.02.2025")
        try await browser.type("\(measure) input[name=evidence]", "Протокол педсовета № 4")
        try await browser.click("\(measure) button[type=submit]")
        try await browser.waitFor("Мероприятие отмечено")
        let indicator = "form[action='/programmes/\(id)/execution/indicators/1']"
        try await browser.type("\(indicator) input[name=value_entry]", "32")
        try await browser.type("\(indicator) input[name=value_intermediate]", "14,5")
        try await browser.click("\(indicator) button[type=submit]")
        try await browser.waitFor("Значения сохранены")
        try await browser.click("form[action='/logout'] button")
        try await browser.waitFor("action=\"/login\"")

        try await signIn("curator-a")
        try await browser.open(server.baseURL + "/programmes/\(id)/execution")
        try await browser.waitFor("Протокол педсовета № 4")
        let source = try await browser.source
        XCTAssertTrue(source.contains("27.02.2025"))
        XCTAssertTrue(source.contains("14,5"))
        XCTAssertFalse(source.contains("execution/measures/1'"), "the curator reads, the school reports")
        try await browser.click("form[action='/logout'] button")
        try await browser.waitFor("action=\"/login\"")

        try await signIn("coord-a")
        try await browser.open(server.baseURL + "/programmes")
        try await browser.click("a[href='/programmes/execution']")
        try await browser.waitFor("Как выполняются программы школ")
        let board = try await browser.source
        XCTAssertTrue(board.contains("Курсы для учителей математики (срок: до 01.10.2025)"), "the overdue measure")
        XCTAssertTrue(board.contains("выполнено 1, просрочено 1"))
        XCTAssertTrue(board.contains("1 из 1"), "the indicator meets «не более 15» with 14,5")
    }
}
