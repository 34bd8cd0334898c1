import OporaTestSupport
import XCTest
import XCTVapor

/// A school without results for the year was not judged: the identification page and its export say «нет данных»,
/// never «не выявлена» (which reads as «meets the criteria»).
final class IdentificationNoDataTests: XCTestCase {
    func testASchoolWithoutResultsReadsNoDataOnThePageAndInTheExport() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            let page = try await browser.get("/identification?year=2031").body.string
            XCTAssertTrue(page.contains("<span class=\"tag \">нет данных</span>"), page)
            XCTAssertFalse(page.contains(">не выявлена</span>"), "no school of 2031 was judged")
            let csv = try await browser.get("/identification/export.csv?year=2031").body.string
            XCTAssertTrue(csv.contains(";нет данных;"), csv)
        }
    }
}
