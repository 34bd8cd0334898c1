import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// The frame's menu groups and printed header as served (issue 24, «Everywhere»); Chromium checks them in use
/// (`MenuAndPrintBrowserTests`).
final class MenuAndPrintHeadTests: XCTestCase {
    func testTheMenuIsGroupedWithTheCurrentSectionMarked() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let html = try await coordinator.get("/programmes").body.string
            let groups = html.components(separatedBy: "<details class=\"nav-group").count - 1
            XCTAssertEqual(groups, 7, html)
            let current = #"<details class="nav-group current"><summary>Программы<span class="visually-hidden"> (вы здесь)"#
            XCTAssertTrue(html.contains(current), html)
            XCTAssertTrue(html.contains(#"<a href="/programmes" class="active" aria-current="page">Программы школ</a>"#), html)
            XCTAssertTrue(html.contains(#"<a href="/users">Пользователи</a>"#), "a coordinator manages users")
            XCTAssertFalse(html.contains(#"<a href="/regions">"#), "only an analyst manages regions")
            XCTAssertTrue(html.contains(#"class="today-link"#), "«Сегодня» stays on its own")
        }
    }

    func testASchoolsPagesPrintTheSchoolsFullNameAndOtherPagesTheirTitle() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let card = try await coordinator.get("/schools/\(fixture.schoolA)").body.string
            XCTAssertTrue(card.contains(#"<div class="print-head"><p class="print-school">МКОУ «Липицкая СОШ»</p>"#), card)
            let risks = try await coordinator.get("/schools/\(fixture.schoolA)/risks").body.string
            XCTAssertTrue(risks.contains(#"<p class="print-school">МКОУ «Липицкая СОШ»</p>"#), risks)
            let list = try await coordinator.get("/schools").body.string
            XCTAssertTrue(list.contains(#"<div class="print-head"><p class="print-title">Школы</p></div>"#), list)
            let css = try await coordinator.get("/assets/opora.css").body.string
            XCTAssertTrue(css.contains(".print-head { display:none; }"), "the header shows on paper only")
            XCTAssertTrue(css.contains("thead { display:table-header-group; }"), "a long table repeats its head on every page")
        }
    }
}
