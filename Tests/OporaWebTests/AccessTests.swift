import OporaData
import OporaTestSupport
import OporaWeb
import XCTVapor

final class AccessTests: XCTestCase {
    func testEveryPageAndAPIRouteRequiresLogin() async throws {
        try await WebFixture.onEachEngine { fixture in
            let anonymous = Browser(fixture.app)
            for path in ["/", "/schools", "/schools/\(fixture.schoolA)", "/schools/export.csv", "/municipalities", "/audit", "/users",
                         "/years", "/catalogues", "/api/schools", "/api/schools/\(fixture.schoolA)", "/api/audit", "/api/me"] {
                let response = try await anonymous.get(path)
                XCTAssertEqual(response.status, .unauthorized, path)
                XCTAssertFalse(response.body.string.contains("Липицкая"), path)
            }
            try await assertTrueAsync(
                try await anonymous.get("/schools").body.string.contains("action=\"/login\""), "pages answer with the login form")
            let health = try await anonymous.get("/health")
            XCTAssertEqual(health.status, .ok)
            let state = try JSONSerialization.jsonObject(with: Data(health.body.string.utf8)) as? [String: Any]
            XCTAssertEqual(state?["status"] as? String, "ok")
            XCTAssertEqual(state?["database"] as? String, "ok")
        }
    }

    func testCoordinatorOfAGetsNothingOfB() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await assertEqualAsync(try await browser.login("coord-a").status, .seeOther)

            // API list, single record, export, filters, pages, audit.
            let list = try await browser.get("/api/schools")
            XCTAssertEqual(list.status, .ok)
            let codes = try list.content.decode([SchoolRow].self).map(\.code).sorted()
            XCTAssertEqual(codes, ["A1", "A2"])
            try await assertEqualAsync(try await browser.get("/api/schools/\(fixture.schoolB)").status, .notFound)
            try await assertEqualAsync(try await browser.get("/schools/\(fixture.schoolB)").status, .notFound)
            try await assertEqualAsync(try await browser.get("/schools/\(fixture.schoolB)/edit").status, .notFound)
            let export = try await browser.get("/schools/export.csv")
            XCTAssertEqual(export.status, .ok)
            XCTAssertTrue(export.body.string.contains("A1;"))
            XCTAssertFalse(export.body.string.contains("B1"))
            try await assertFalseAsync(try await browser.get("/api/schools?format=csv").body.string.contains("Белёвская"))
            try await assertFalseAsync(
                try await browser.get("/schools?municipality=\(fixture.municipalityB)").body.string.contains("Белёвская"))
            try await assertFalseAsync(try await browser.get("/api/municipalities").body.string.contains("Белёвский"))
            for page in ["/", "/schools", "/municipalities", "/audit", "/api/audit", "/users"] {
                let body = try await browser.get(page).body.string
                XCTAssertFalse(body.contains("Белёвск") || body.contains("Секретова") || body.contains("coord-b"), page)
            }

            // Writes to B are refused and change nothing.
            let edit = try await browser.post(
                "/schools/\(fixture.schoolB)",
                [("code", "B1"), ("name", "Взлом"), ("municipality_id", "\(fixture.municipalityB)"), ("version", "2")])
            XCTAssertEqual(edit.status, .notFound)
            let moveIntoB = try await browser.post(
                "/schools/\(fixture.schoolA)",
                [("code", "A1"), ("name", "Липицкая"), ("municipality_id", "\(fixture.municipalityB)"), ("version", "1")])
            XCTAssertEqual(moveIntoB.status, .forbidden)
            let create = try await browser.post(
                "/schools", [("code", "X1"), ("name", "Новая"), ("municipality_id", "\(fixture.municipalityB)")])
            XCTAssertEqual(create.status, .forbidden)
            let stored = try await SchoolModel.find(fixture.schoolB, on: fixture.app.db)!
            XCTAssertEqual(stored.name, "МБОУ «Белёвская СОШ № 2»")
            try await assertEqualAsync(try await SchoolModel.query(on: fixture.app.db).count(), 3)

            // An API token is scoped the same way.
            let token = try await AccountService.issueToken(forLogin: "coord-a", name: "test", by: .commandLine, on: fixture.app.db)
            let api = Browser(fixture.app)
            api.bearer = token
            try await assertEqualAsync(
                try await api.get("/api/schools").content.decode([SchoolRow].self).map(\.code).sorted(), ["A1", "A2"])
            try await assertEqualAsync(try await api.get("/api/schools/\(fixture.schoolB)").status, .notFound)
            api.bearer = "opora_wrong"
            try await assertEqualAsync(try await api.get("/api/schools").status, .unauthorized)
        }
    }

    func testSchoolAdministratorSeesOnlyOwnSchoolAndViewerCannotEdit() async throws {
        try await WebFixture.onEachEngine { fixture in
            let director = Browser(fixture.app)
            try await director.login("director-a")
            try await assertEqualAsync(try await director.get("/api/schools").content.decode([SchoolRow].self).map(\.code), ["A1"])
            try await assertEqualAsync(try await director.get("/schools/\(fixture.schoolA2)").status, .notFound)
            try await assertEqualAsync(try await director.get("/audit").status, .forbidden)

            let viewer = Browser(fixture.app)
            try await viewer.login("viewer-a")
            try await assertEqualAsync(try await viewer.get("/schools/\(fixture.schoolA)").status, .ok)
            try await assertEqualAsync(try await viewer.get("/schools/\(fixture.schoolA)/edit").status, .forbidden)
            let write = try await viewer.post(
                "/schools/\(fixture.schoolA)",
                [("code", "A1"), ("name", "x"), ("municipality_id", "\(fixture.municipalityA)"), ("version", "1")])
            XCTAssertEqual(write.status, .forbidden)
            try await assertEqualAsync(try await viewer.get("/audit").status, .forbidden)
        }
    }

    struct SchoolRow: Decodable { let code: String; let name: String }
}
