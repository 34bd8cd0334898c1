import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
@testable import OporaWeb
import XCTVapor

/// «Анализ ВПР» on the demo territory (what `opora demo` shows): the region's analysis, the three schools with a sign of
/// non-objectivity, a school's page and its documents; the school's page time is printed (the issue asks < 100 ms).
final class TasksDemoPagesTests: XCTestCase {
    func testTheDemoShowsTheAnalysisAndTheSchoolsWithSigns() async throws {
        let target = TestEngines.targets[0]
        try await TestEngines.reset(target)
        let app = try await Application.make(.testing)
        app.logger.logLevel = .notice
        do {
            try await configure(app, database: target, options: ServerOptions(bcryptCost: 4))
            let logins = try await DemoData.load(into: app.db, bcryptCost: 4)
            let analyst = Browser(app)
            try await analyst.login("analyst", logins.first { $0.login == "analyst" }!.password)
            let region = try await analyst.get("/tasks")
            XCTAssertEqual(region.status, .ok)
            XCTAssertTrue(region.body.string.contains("Достижение планируемых результатов"), region.body.string)
            XCTAssertTrue(region.body.string.contains("class=\"chart tasks-histogram\""))
            let list = try await analyst.get("/tasks/objectivity").body.string
            let rows = list.components(separatedBy: "id=\"objectivity-list\"")[1].components(separatedBy: "<tr>").count - 2
            XCTAssertEqual(rows, 3, "three schools with one marker each")
            for kind in TaskMarker.Kind.allCases { XCTAssertTrue(list.contains(kind.russianName), kind.russianName) }

            let director = Browser(app)
            try await director.login("director", logins.first { $0.login == "director" }!.password)
            _ = try await director.get("/tasks")
            let started = Date()
            let page = try await director.get("/tasks")
            let elapsed = Date().timeIntervalSince(started) * 1000
            print("«Анализ ВПР» of a demo school: \(Int(elapsed)) ms (debug build, in process)")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.string.contains("% школы"))
            let year = DemoData.resultYears.last!
            let school = try await director.get("/tasks/report.docx?year=\(year)&school=\(try schoolID(page.body.string))")
            XCTAssertEqual(school.status, .ok)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// The school's id from the page's document link.
    func schoolID(_ page: String) throws -> String {
        let range = try XCTUnwrap(page.range(of: "/tasks/report.docx?year="))
        let tail = page[range.upperBound...]
        let school = try XCTUnwrap(tail.range(of: "school="))
        return String(tail[school.upperBound...].prefix { $0.isNumber })
    }
}
