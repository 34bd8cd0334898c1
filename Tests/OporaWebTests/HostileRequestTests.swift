import Fluent
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import XCTVapor

/// Query parameters and path ids from anyone, a viewer included: a clear 400 or 404, never a trap that takes
/// the server down for everybody.
final class HostileRequestTests: XCTestCase {
    static let hostileGets = [
        "/identification?year=-9223372036854775808",
        "/identification?year=9223372036854775807",
        "/identification?year=2023&threshold=1e308",
        "/identification?year=2023&threshold=-5",
        "/identification?year=2023&page=0",
        "/identification?year=2023&page=92233720368547759",
        "/identification?year=2023&criteria=..%2F..%2Fetc%2Fpasswd",
        "/audit?page=92233720368547759",
        "/audit?page=-1",
        "/typology?year=-9223372036854775808",
        "/criteria?year=99999",
        "/results?year=9223372036854775807&procedure=VPR&grade=5&subject=math",
        "/results?year=2023&procedure=XYZ&grade=5&subject=math",
        "/results?year=2023&procedure=VPR&grade=-9223372036854775808&subject=math",
        "/results?min=-1",
        "/results?min=9223372036854775807",
        "/results?sort=%27%3Bdrop",
        "/results?work=99999999999999999999%7CVPR%7C5%7Cmath",
        "/results?work=2023%7CVPR%7C-9223372036854775808%7Cmath",
        "/results/objectivity?year=abc",
        "/schools?municipality=-9223372036854775808",
        "/schools/9223372036854775807",
        "/schools/-1/results",
        "/schools/1/context?year=-5",
        "/api/schools/9223372036854775807",
        "/api/schools?format=exe",
        "/results/export.csv?min=0",
        "/identification/export.xlsx?year=1",
        "/risks?year=-9223372036854775808",
        "/risks?year=2024&municipality=9223372036854775807",
        "/risks?year=2024&sort=f0",
        "/risks?year=2024&status=%27%3Bdrop",
        "/risks/export.csv?year=99999",
        "/risks/directions?year=-1",
        "/schools/9223372036854775807/risks",
        "/schools/1/risks?year=-9223372036854775808",
        "/schools/1/risks/questionnaire",
        "/programmes?status=deleted",
        "/programmes/9223372036854775807",
        "/programmes/-1/edit",
        "/programmes/99999/compare?from=1&to=2",
        "/programmes/1/export.docx",
        "/plans/9223372036854775807",
        "/plans/-1/roadmap",
        "/plans/1/roadmap?show=%27%3Bdrop",
        "/plans/1/calendar?year=-9223372036854775808",
        "/plans/1/indicators?year=99999",
        "/plans/1/measures/9223372036854775807",
        "/plans/1/roadmap/export.docx",
        "/decisions?show=deleted",
        "/decisions?programme=-9223372036854775808",
        "/decisions?kind=measure&ref=99999999999999999999&programme=1",
        "/support?year=-9223372036854775808",
        "/support?year=2024&min_people=0",
        "/support?year=2024&min_hours=99999999999999999999",
        "/schools/9223372036854775807/support",
        "/support/network?year=-9223372036854775808",
        "/support/export.xlsx?year=99999",
        "/api/support?year=abc",
        "/reports/school?school=9223372036854775807&year=2024",
    ]

    func testHostileQueryParametersGetAClearAnswerFromEveryRole() async throws {
        try await WebFixture.onEachEngine { fixture in
            for login in ["viewer-a", "director-a", "coord-a", "analyst", "admin"] {
                let browser = Browser(fixture.app)
                try await browser.login(login)
                for path in Self.hostileGets {
                    let response = try await browser.get(path)
                    XCTAssertTrue([.badRequest, .notFound, .forbidden].contains(response.status), "\(login) \(path): \(response.status)")
                    if response.status == .badRequest {
                        let body = response.body.string
                        XCTAssertTrue(body.contains("<h1>Ошибка</h1>") || body.contains("\"error\":true"), path)
                    }
                }
                // Still answering, still signed in.
                try await assertEqualAsync(try await browser.get("/api/me").status, .ok, login)
            }
        }
    }

    func testOutOfRangeFormFieldsAreRefusedToo() async throws {
        try await WebFixture.onEachEngine { fixture in
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/identification")
            let approve = try await analyst.post("/identification/approve", [("year", "-9223372036854775808"), ("order_number", "1"),
                ("order_date", "01.01.2024")])
            XCTAssertEqual(approve.status, .badRequest)
            let threshold = try await analyst.post("/identification/approve", [("year", "2023"), ("threshold", "1e400"),
                ("order_number", "1"), ("order_date", "01.01.2024")])
            XCTAssertEqual(threshold.status, .badRequest)
            try await analyst.get("/schools/\(fixture.schoolA)/edit")
            let huge = try await analyst.post("/schools/\(fixture.schoolA)", [("code", "A1"), ("name", "Липицкая"),
                ("municipality_id", "\(fixture.municipalityA)"),
                                                                           ("students", "99999999999999999999"), ("version", "1")])
            XCTAssertEqual(huge.status, .unprocessableEntity)
            try await analyst.get("/programmes")
            for fields in [[("school", "9223372036854775807"), ("kind", "anti_risk"), ("title", "x"), ("start_year", "2024"),
                ("end_year", "2025")],
                           [("school", "\(fixture.schoolA)"), ("kind", "anti_risk"), ("title", "x"),
                               ("start_year", "-9223372036854775808"), ("end_year", "2025")],
                           [("school", "\(fixture.schoolA)"), ("kind", "poem"), ("title", "x"), ("start_year", "2024"),
                               ("end_year", "2025")]] {
                let response = try await analyst.post("/programmes", fields)
                XCTAssertTrue([.badRequest, .forbidden, .notFound, .seeOther].contains(response.status), "\(fields): \(response.status)")
            }
            try await assertEqualAsync(try await SchoolProgrammeModel.query(on: fixture.app.db).count(), 0)
            let risks = try await analyst.post(
                "/schools/\(fixture.schoolA)/risks?year=2024", [("level_1", "катастрофа"), ("level_99999999999999999999", "high")])
            XCTAssertEqual(risks.status, .unprocessableEntity)
            try await assertEqualAsync(try await RiskRepository(db: fixture.app.db).profiles(year: 2024, scope: .everything).count, 0)
            try await analyst.get("/plans")
            for fields in [[("code", "X"), ("name", "x"), ("municipality", "9223372036854775807"), ("start", "2024"), ("end", "2025")],
                           [("code", "X"), ("name", "x"), ("start", "-9223372036854775808"), ("end", "2025")],
                           [("code", String(repeating: "Я", count: 5000)), ("name", "x"), ("start", "2024"), ("end", "2025")]] {
                let response = try await analyst.post("/plans", fields)
                // A refused new programme comes back as typed (issue 24): 422, nothing saved.
                XCTAssertTrue([.badRequest, .notFound, .seeOther, .unprocessableEntity].contains(response.status),
                    "\(fields): \(response.status)")
            }
            try await assertEqualAsync(try await PlanModel.query(on: fixture.app.db).count(), 0)
            try await analyst.get("/decisions")
            let decision = try await analyst.post(
                "/decisions", [("programme", "99999999999999999999"), ("finding", "x"), ("decision", "y"), ("responsible", "z")])
            XCTAssertTrue([.badRequest, .notFound, .unprocessableEntity].contains(decision.status), "\(decision.status)")
            let due = try await analyst.post(
                "/decisions", [("finding", "x"), ("decision", "y"), ("responsible", "z"), ("due", "31.02.2024")])
            XCTAssertEqual(due.status, .unprocessableEntity)
            try await assertEqualAsync(try await DecisionModel.query(on: fixture.app.db).count(), 0)
            try await analyst.get("/support")
            let supportForms: [(String, [(String, String)])] = [
                ("/support/curators", [("curator", "9223372036854775807"), ("school", "\(fixture.schoolA)"), ("from", "01.01.2024")]),
                ("/support/curators", [("curator", "1"), ("school", "99999999999999999999"), ("from", "01.01.2024")]),
                ("/support/curators/9223372036854775807/end", [("until", "01.01.2024"), ("version", "1")]),
                ("/support/organisations", [("kind", "centre"), ("name", String(repeating: "Я", count: 5000))]),
                ("/support/organisations", [("kind", "bomb"), ("name", "x")]),
                ("/support/organisations/9223372036854775807/schools", [("school", "\(fixture.schoolA)")]),
                ("/support/forecasts", [("programme", "1"), ("year", "2024"), ("teams", "99999999999999999999")]),
                ("/support/forecasts", [("programme", "1"), ("year", "-9223372036854775808")]),
                ("/support/pairs/9223372036854775807", [("status", "active"), ("version", "1")]),
            ]
            for (path, fields) in supportForms {
                let response = try await analyst.post(path, fields)
                XCTAssertTrue([.badRequest, .notFound, .forbidden, .seeOther, .unprocessableEntity].contains(response.status),
                              "\(path) \(fields.map(\.0)): \(response.status)")
            }
            try await assertEqualAsync(try await SupportOrganisationModel.query(on: fixture.app.db).count(), 0)
            try await assertEqualAsync(try await CuratorAssignmentModel.query(on: fixture.app.db).count(), 0)
            try await assertEqualAsync(try await analyst.get("/api/me").status, .ok)
        }
    }
}
