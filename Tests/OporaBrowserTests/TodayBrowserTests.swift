import Foundation
import OporaLiveSupport
import XCTest

/// «Сегодня» in Chromium (issue 24): the curator finds the programme to review and the director the programme
/// returned, each with the menu's badge and a link to where it is done, on a laptop (1366 px) and a phone (390 px).
final class TodayBrowserTests: ChromiumTestCase {
    /// Every item of the list lies within the window: nothing of «Сегодня» is cut off or scrolls sideways.
    func assertListFits(_ width: Int, file: StaticString = #filePath, line: UInt = #line) async throws {
        let fits = try await browser.execute("""
            const w = window.innerWidth;
            return Array.from(document.querySelectorAll('.today-list li, .today-group h2'))
              .every(e => e.getBoundingClientRect().right <= w + 1 && e.getBoundingClientRect().left >= -1);
            """) as? Bool
        XCTAssertEqual(fits, true, "«Сегодня» fits \(width) px", file: file, line: line)
        let inner = try await browser.execute("return window.innerWidth;") as? Double
        XCTAssertLessThanOrEqual(inner ?? .infinity, Double(width), "the window is as narrow as asked", file: file, line: line)
    }

    func testTheCuratorReviewsAndTheDirectorAnswersFromToday() async throws {
        let id = try await server.submittedProgramme()
        for width in [1366, 390] {
            try await browser.resize(width: width, height: 900)
            try await signIn("curator-a")
            try await browser.waitFor("Программы школ на проверке (1)")
            let source = try await browser.source
            XCTAssertTrue(source.contains("href=\"/programmes/\(id)\""), "the item links to the programme")
            XCTAssertTrue(source.contains("class=\"today-badge\""), "the menu counts it")
            XCTAssertFalse(source.contains("Программы, возвращённые на доработку"), "a curator answers no remarks")
            try await assertListFits(width)
            try await browser.click(".today-list a[href='/programmes/\(id)']")
            try await browser.waitFor("Программа развития Липицкой СОШ")
            let url = try await browser.url
            XCTAssertTrue(url.hasSuffix("/programmes/\(id)"), url)
            try await signOut()
        }

        let curator = HTTPSession(server)
        try await curator.login("curator-a")
        try await curator.get("/programmes/\(id)")
        let returned = try await curator.post("/programmes/\(id)/return", [("version", "3")])
        XCTAssertEqual(returned.status, 303)
        await curator.close()

        for width in [1366, 390] {
            try await browser.resize(width: width, height: 900)
            try await signIn("director-a")
            try await browser.waitFor("Программы, возвращённые на доработку (1)")
            let source = try await browser.source
            XCTAssertTrue(source.contains("возвращена на доработку"))
            XCTAssertFalse(source.contains("Программы школ на проверке"), "a director reviews nothing")
            try await assertListFits(width)
            try await browser.click(".today-list a[href='/programmes/\(id)']")
            try await browser.waitFor("Программа развития Липицкой СОШ")
            // The former start page is a click away.
            try await browser.open(server.baseURL + "/")
            // On a phone the sections are behind «Меню»; «Обзор» is in the group «Школы».
            try await browser.follow(menuLink: "/overview")
            try await browser.waitFor("Где нужно внимание")
            try await signOut()
        }
    }

    /// The coordinator's and the analyst's «Сегодня»: results loaded without an approved list, and a decision whose
    /// due day is today; each item counted in the menu and a click away from where it is done.
    func testTheCoordinatorAndTheAnalystSeeTheListToApproveAndTheDecisionDue() async throws {
        let results = """
        year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
        2023,VPR,6,math,A1,38,13,13,15,8,2
        """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("today-browser-\(UUID().uuidString).csv")
        try Data(results.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try server.opora(["import", "results", file.path], anchor: Self.self)
        let formatter = DateFormatter()
        formatter.dateFormat = "dd.MM.yyyy"
        formatter.timeZone = .current
        let coordinator = HTTPSession(server)
        try await coordinator.login("coord-a")
        try await coordinator.get("/decisions")
        let decided = try await coordinator.post("/decisions", [
            ("finding", "Доля «2» по математике в 6 классах выше 30 %"), ("decision", "Выезд методистов в Липицкую СОШ"),
            ("responsible", "Отдел образования"), ("due", formatter.string(from: Date())),
        ])
        XCTAssertEqual(decided.status, 303, decided.body)
        await coordinator.close()

        for login in ["coord-a", "analyst"] {
            for width in [1366, 390] {
                try await browser.resize(width: width, height: 900)
                try await signIn(login)
                try await browser.waitFor("Перечни ШНОР без приказа (1)")
                let source = try await browser.source
                XCTAssertTrue(source.contains("Управленческие решения: срок подошёл или прошёл (1)"), "\(login): the decision due")
                XCTAssertTrue(source.contains("Выезд методистов в Липицкую СОШ"), login)
                XCTAssertTrue(source.contains("class=\"today-badge\""), "\(login): the menu counts the items")
                XCTAssertFalse(source.contains("Программы школ на проверке"), "\(login): nothing to review")
                try await assertListFits(width)
                try await browser.click(".today-list a[href='/identification?year=2023']")
                try await browser.waitFor("Утвердить перечень приказом")
                try await signOut()
            }
        }
    }
}
