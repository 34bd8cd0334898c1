import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// What every page's frame gives a keyboard, a phone and a printer (issue 24, «Everywhere»).
final class PageFrameTests: XCTestCase {
    func testEveryPageHasASkipLinkAMenuButtonAndItsScript() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let html = try await coordinator.get("/schools").body.string
            XCTAssertTrue(html.contains(##"<a href="#content" class="skip">Перейти к содержанию</a>"##), html)
            XCTAssertTrue(html.contains(#"<main id="content" tabindex="-1">"#), html)
            XCTAssertTrue(html.contains(#"aria-controls="main-menu""#), html)
            XCTAssertTrue(html.contains(#"<nav id="main-menu""#), html)
            let script = try await coordinator.get("/assets/opora.js")
            XCTAssertEqual(script.status, .ok)
            XCTAssertTrue(script.body.string.contains("menu-open"))
            let css = try await coordinator.get("/assets/opora.css").body.string
            XCTAssertTrue(css.contains("@media print"), "print styles")
            XCTAssertTrue(css.contains("main table { display:block; overflow-x:auto"), "tables scroll inside their box on a phone")
        }
    }

    /// «Учебные годы» marked 2025/26 current in December 2026: the current year now comes from today's date.
    func testTheCurrentAcademicYearFollowsToday() async throws {
        try await WebFixture.onEachEngine { fixture in
            let registry = RegistryRepository(db: fixture.app.db, actor: .commandLine)
            for start in [2024, 2025, 2026] { try await registry.createAcademicYear(startYear: start, isCurrent: start == 2025) }
            fixture.app.today = { CalendarDay(year: 2026, month: 12, day: 6) }
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            let page = try await analyst.get("/years").body.string
            let current = page.components(separatedBy: "<tr>").filter { $0.contains("текущий") }
            XCTAssertEqual(current.count, 1, page)
            XCTAssertTrue(current.first?.contains("2026/27") ?? false, current.joined())
            fixture.app.today = { CalendarDay(year: 2027, month: 9, day: 1) }
            let later = try await analyst.get("/years").body.string
            XCTAssertTrue(later.contains("Текущий учебный год 2027/28 ещё не добавлен"), later)
            XCTAssertFalse(later.contains(">текущий<"), later)
        }
    }
}
