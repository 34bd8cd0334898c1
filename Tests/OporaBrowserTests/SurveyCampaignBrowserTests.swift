import Foundation
import NIOCore
import OporaLiveSupport
import OporaTestSupport
import XCTest

/// A whole survey campaign in headless Chromium (issue 22): a coordinator creates it and prints a sheet, a teacher and
/// a parent answer on a 390-pixel phone without scrolling sideways, and the school's curator sees the response rates
/// and the results with the small groups hidden. On SQLite, and on PostgreSQL when OPORA_TEST_POSTGRES_URL is set.
final class SurveyCampaignBrowserTests: XCTestCase {
    var server: LiveServer!
    var browser: WebDriver!

    override func setUp() async throws {
        guard WebDriver.available else {
            if ProcessInfo.processInfo.environment["OPORA_REQUIRE_BROWSER"] == "1" {
                XCTFail("OPORA_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed")
            }
            throw XCTSkip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
        }
        print("Browser test ran: \(name)")
    }

    override func tearDown() async throws {
        await browser?.quit()
        server?.stop()
    }

    func testACampaignAnsweredOnPhonesOnSQLite() async throws {
        try await campaign(database: nil)
    }

    func testACampaignAnsweredOnPhonesOnPostgreSQL() async throws {
        guard let target = TestEngines.postgres, case .postgres(let url) = target else {
            throw XCTSkip("needs PostgreSQL: set \(TestEngines.postgresVariable)")
        }
        try await TestEngines.reset(target)
        try await campaign(database: url.absoluteString)
        PostgresRunCounter.record(target)
    }

    func signIn(_ login: String) async throws {
        try await browser.open(server.baseURL + "/login")
        try await browser.type("input[name=login]", login)
        try await browser.type("input[name=password]", LiveServer.password)
        try await browser.click("form[action='/login'] button[type=submit]")
        try await browser.waitFor("Пользователь \(login)")
    }

    /// The page's width against the phone's: nothing wider than the screen, so nobody scrolls sideways.
    func assertFitsThePhone(_ what: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let widths = try await browser.execute(
            "return [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]") as? [Int] ?? []
        XCTAssertEqual(widths.count, 3, file: file, line: line)
        guard widths.count == 3 else { return }
        XCTAssertEqual(widths[2], 390, "the viewport is the phone's", file: file, line: line)
        XCTAssertLessThanOrEqual(max(widths[0], widths[1]), widths[2], "\(what): wider than the phone (\(widths))", file: file, line: line)
    }

    // swiftlint:disable:next function_body_length
    func campaign(database: String?) async throws {
        server = try await LiveServer.start(Self.self, database: database)
        browser = try await WebDriver.start()
        let definition = server.folder.appendingPathComponent("климат.yaml")
        try Data(SurveyFixtures.climateQuestionnaire.utf8).write(to: definition)
        try server.opora(["questionnaire", "import", definition.path], anchor: Self.self)

        // The coordinator creates the campaign for both of the municipality's schools.
        try await signIn("coord-a")
        try await browser.open(server.baseURL + "/campaigns/new")
        try await browser.waitFor("campaign-form")
        try await browser.execute("""
            const select = document.querySelector('select[name=questionnaire]');
            const option = Array.from(select.options).find(o => o.text.includes('Климат в школе'));
            select.value = option.value;
            """)
        let today = Date()
        let day: (Int) -> String = { offset in
            let formatter = DateFormatter()
            formatter.dateFormat = "dd.MM.yyyy"
            return formatter.string(from: today.addingTimeInterval(Double(offset) * 86_400))
        }
        try await browser.type("#campaign-form input[name=title]", "Климат в школе, весна")
        try await browser.type("#campaign-form input[name=starts]", day(-1))
        try await browser.type("#campaign-form input[name=ends]", day(30))
        try await browser.type("#campaign-form input[name=expected_parent]", "10")
        try await browser.type("#campaign-form input[name=expected_teacher]", "5")
        try await browser.execute("document.querySelectorAll('#campaign-form input[name=school]').forEach(b => { b.checked = true; });")
        try await browser.click("#campaign-form button[type=submit]")
        try await browser.waitFor("id=\"links\"")
        let rows = try await browser.execute("""
            return Array.from(document.querySelectorAll('tr.survey-link')).map(r =>
              [r.textContent.includes('Липицкая') ? 'A1' : 'A2', r.dataset.group, r.querySelector('a.survey-url').getAttribute('href')]);
            """) as? [[String]] ?? []
        XCTAssertEqual(rows.count, 4, "two schools × parents and teachers")
        func link(_ school: String, _ group: String) throws -> String {
            let href = try XCTUnwrap(rows.first { $0[0] == school && $0[1] == group }?[2], "\(school) \(group)")
            return href.hasPrefix("http") ? href : server.baseURL + href
        }
        let sheetsAction = try await browser.execute(
            "return document.querySelector('form[action$=\"/sheets\"]').getAttribute('action').replace('/sheets', '')")
        let campaignPath = try XCTUnwrap(sheetsAction as? String)

        // The printed sheet: the code, the school and the link, without the download links.
        let parentLink = try link("A1", "parent"), teacherLink = try link("A1", "teacher")
        try await browser.open(parentLink + "/sheet")
        try await browser.waitFor("Как провести опрос")
        try await checkTrue(await browser.source.contains(parentLink))
        try await browser.cdp("Emulation.setEmulatedMedia", ["media": "print"])
        let printed = try await browser.execute("""
            const code = document.querySelector('.sheet-code svg').getBoundingClientRect();
            return [getComputedStyle(document.querySelector('.sheet-downloads')).display, Math.round(code.width)];
            """) as? [Any] ?? []
        XCTAssertEqual(printed.first as? String, "none", "the download links are not printed")
        XCTAssertGreaterThanOrEqual((printed.last as? Int) ?? 0, 250, "the code is printed large")
        try await browser.cdp("Emulation.setEmulatedMedia", ["media": ""])

        // A teacher answers on the phone.
        try await browser.emulatePhone(width: 390)
        try await browser.open(teacherLink)
        try await browser.waitFor("survey-submit")
        try await assertFitsThePhone("the teachers' form")
        try await browser.click("#question-support input[value='0']")
        try await browser.click("#question-topics input[value='1']")
        try await browser.click("#question-topics input[value='2']")
        try await browser.click("button.survey-submit")
        try await browser.waitFor("survey-thanks")
        try await assertFitsThePhone("the thanks page")

        // A parent answers, forgets the required mark first, is told so, then sends it.
        try await browser.open(parentLink)
        try await browser.waitFor("survey-submit")
        try await assertFitsThePhone("the parents' form")
        try await browser.click("#question-safe input[value='1']")
        try await browser.type("#question-remarks textarea", "Больше кружков после уроков")
        try await browser.click("button.survey-submit")
        try await browser.waitFor("survey-error")
        try await assertFitsThePhone("the form with an error")
        try await browser.click("#question-mark input[value='4']")
        try await browser.click("button.survey-submit")
        try await browser.waitFor("survey-thanks")

        // Five more parents of the same school answer (plain HTTP, each from its own phone): six in all.
        for number in 1...5 {
            let phone = HTTPSession(server)
            phone.extraHeaders = [("X-Real-IP", "198.51.100.\(number)")]
            let path = String(parentLink.dropFirst(server.baseURL.count))
            let form = try await phone.get(path)
            let token = try XCTUnwrap(form.body.range(of: "name=\"_form\" value=\"").map { range in
                String(form.body[range.upperBound...].prefix(43))
            })
            let sent = try await phone.post(path, [("_form", token), ("q_safe", "0"), ("q_mark", "\(number % 5 + 1)")], withCSRF: false)
            XCTAssertEqual(sent.status, 200, sent.body)
            await phone.close()
        }

        // The school's curator, on a desktop: the rates (lowest first) and the results, the teachers' hidden (one answer).
        try await browser.cdp("Emulation.clearDeviceMetricsOverride", [:])
        try await browser.open(server.baseURL + "/")
        try await browser.waitFor("action=\"/logout\"")
        try await browser.click("form[action='/logout'] button")
        try await browser.waitFor("action=\"/login\"")
        try await signIn("curator-a")
        try await browser.open(server.baseURL + campaignPath)
        try await browser.waitFor("id=\"rates\"")
        let rates = try await browser.execute("""
            return Array.from(document.querySelectorAll('#rates tbody tr')).map(r => [r.dataset.group, r.textContent]);
            """) as? [[String]] ?? []
        XCTAssertEqual(rates.map { $0[0] }, ["teacher", "parent"], "the curator sees his school only, the lagging group first")
        XCTAssertTrue(rates.first?[1].contains("20") ?? false, "one teacher of five: 20 % (\(rates))")
        XCTAssertTrue(rates.last?[1].contains("60") ?? false, "six parents of ten: 60 % (\(rates))")
        try await checkFalse(await browser.source.contains("Чернская"))
        let firstRow = try await browser.execute("return document.querySelector('#rates tbody tr').dataset.schoolId")
        let schoolID = try XCTUnwrap(firstRow as? String)
        try await browser.open(server.baseURL + campaignPath + "/schools/" + schoolID)
        try await browser.waitFor("survey-results")
        let parents = try await browser.text("section.survey-results[data-group=parent] tr[data-question=safe]")
        XCTAssertFalse(parents.contains("менее 5 ответов"), "six parents' answers are shown: \(parents)")
        let teachers = try await browser.text("section.survey-results[data-group=teacher] tr[data-question=support]")
        XCTAssertTrue(teachers.contains("менее 5 ответов — не показываем"), "one teacher's answer is hidden: \(teachers)")
    }

    func checkTrue(_ value: @autoclosure () async throws -> Bool, _ message: String = "", line: UInt = #line) async throws {
        let result = try await value()
        XCTAssertTrue(result, message, line: line)
    }

    func checkFalse(_ value: @autoclosure () async throws -> Bool, _ message: String = "", line: UInt = #line) async throws {
        let result = try await value()
        XCTAssertFalse(result, message, line: line)
    }
}
