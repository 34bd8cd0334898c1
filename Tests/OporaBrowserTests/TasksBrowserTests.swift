import Foundation
import OporaLiveSupport
import XCTest

/// «Анализ ВПР» of a school in Chromium (issue 20): the table of planned results, the histogram and the markers; on a
/// 390 px phone the page itself does not scroll sideways — the wide table scrolls inside its box.
final class TasksBrowserTests: XCTestCase {
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
        // The same hand-computed files as the CLI and data tests (Tests/Fixtures/vpr-tasks-*.csv).
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        for (kind, file) in [("tasks", "vpr-tasks-spec.csv"), ("mark_scales", "vpr-tasks-mark-scales.csv"),
                             ("task_benchmarks", "vpr-tasks-benchmarks.csv"), ("task_scores", "vpr-tasks-scores.csv")] {
            try server.opora(["import", kind, fixtures.appendingPathComponent(file).path], anchor: Self.self)
        }
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

    func testTheSchoolsAnalysisOnADesktopAndOnAPhone() async throws {
        try await signIn("director-a")
        try await browser.follow(menuLink: "/tasks")
        try await browser.waitFor("Достижение планируемых результатов")
        let table = try await browser.text("#planned")
        for expected in ["71,4", "14,3", "58,3", "68,5", "Текстовые задачи", "дефицит"] {
            XCTAssertTrue(table.contains(expected), "«\(expected)» in\n\(table)")
        }
        let boundaries = try await browser.elements("svg.tasks-histogram line.boundary")
        XCTAssertEqual(boundaries.count, 3, "the histogram shows the boundaries of «3», «4», «5»")
        let markers = try await browser.text("#markers")
        XCTAssertTrue(markers.contains("Пик на границе отметки"), markers)

        // A desktop window cannot be made 390 px wide in headless Chrome; the phone is emulated instead.
        try await browser.emulatePhone(width: 390, height: 844)
        try await browser.open(server.baseURL + "/tasks")
        try await browser.waitFor("Достижение планируемых результатов")
        let page = try await browser.execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]") as? [Any]
        let widths = (page ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
        XCTAssertEqual(widths.count, 2)
        XCTAssertEqual(widths.last, 390, "the page is seen 390 px wide")
        XCTAssertLessThanOrEqual(widths.first ?? .infinity, (widths.last ?? 0) + 1, "the page does not scroll sideways at 390 px")
        let box = try await browser.execute(
            "const b = document.querySelector('.tasks-table'); "
                + "return [b.scrollWidth, b.clientWidth, getComputedStyle(b).overflowX]") as? [Any]
        let inner = (box ?? []).prefix(2).compactMap { ($0 as? NSNumber)?.doubleValue }
        XCTAssertEqual(inner.count, 2)
        XCTAssertGreaterThan(inner.first ?? 0, inner.last ?? .infinity, "the table is wider than its box and scrolls inside it")
        XCTAssertEqual(box?.last as? String, "auto")
    }
}
