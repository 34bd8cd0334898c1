import Fluent
import OporaData
import OporaTestSupport
import OporaWeb
import XCTVapor

final class RegistryAPITests: XCTestCase {
    func testRegistryCanBeCreatedEditedAndListedThroughTheAPI() async throws {
        try await WebFixture.onEachEngine { fixture in
            let analyst = Browser(fixture.app)
            analyst.bearer = try await AccountService.issueToken(forLogin: "analyst", name: "t", by: .commandLine, on: fixture.app.db)
            let region = try await RegionModel.query(on: fixture.app.db).first()!
            let created = try await analyst.sendJSON(
                .POST, "/api/municipalities", #"{"name":"Белёвский район 2","region_id":\#(region.id!)}"#)
            XCTAssertEqual(created.status, .created)
            XCTAssertTrue(created.body.string.contains("\"version\":1"))
            let id = try JSONDecoder().decode([String: AnyDecodable].self, from: Data(created.body.string.utf8))["id"]!.int!
            try await assertEqualAsync(
                try await analyst.sendJSON(.PUT, "/api/municipalities/\(id)", #"{"name":"Одоевский район","version":1}"#).status, .ok)
            try await assertEqualAsync(
                try await analyst.sendJSON(.PUT, "/api/municipalities/\(id)", #"{"name":"Снова","version":1}"#).status, .conflict)
            try await assertTrueAsync(try await analyst.get("/api/municipalities").body.string.contains("Одоевский район"))
            try await assertEqualAsync(
                try await analyst.sendJSON(.POST, "/api/regions", #"{"name":"Новая область"}"#).status, .forbidden,
                "a region-bound analyst does not create regions")
            try await assertEqualAsync(
                try await analyst.sendJSON(.PUT, "/api/regions/\(region.id!)", #"{"name":"Тульская обл.","version":1}"#).status, .ok)

            // Subjects, procedures and years are shared by every region: a region's analyst may not change them.
            for (method, path, body) in [(HTTPMethod.POST, "/api/subjects", #"{"code":"astr","name":"Астрономия"}"#),
                                         (.PUT, "/api/procedures/DIAG", #"{"short_name":"РДР","name":"Р","version":1}"#),
                                         (.POST, "/api/academic-years", #"{"label":"2025/26"}"#)] {
                let refused = try await analyst.sendJSON(method, path, body)
                XCTAssertEqual(refused.status, .forbidden, path)
                XCTAssertTrue(refused.body.string.contains("аналитик всей системы"), refused.body.string)
            }
            let admin = Browser(fixture.app)
            admin.bearer = try await AccountService.issueToken(forLogin: "admin", name: "t", by: .commandLine, on: fixture.app.db)
            let subject = try await admin.sendJSON(.POST, "/api/subjects", #"{"code":"astr","name":"Астрономия","aliases":["астрономия"]}"#)
            XCTAssertEqual(subject.status, .created)
            try await assertEqualAsync(
                try await admin.sendJSON(.PUT, "/api/subjects/astr", #"{"name":"Астрономия (11 класс)","version":1}"#).status, .ok)
            try await assertEqualAsync(
                try await admin.sendJSON(
                    .PUT, "/api/procedures/DIAG", #"{"short_name":"РДР","name":"Региональная диагностическая работа","version":1}"#
                ).status, .ok)
            try await assertEqualAsync(
                try await admin.sendJSON(.POST, "/api/academic-years", #"{"label":"2025/26","is_current":true}"#).status, .created)
            try await assertTrueAsync(try await admin.get("/api/academic-years").body.string.contains("\"startYear\":2025"))
            try await assertEqualAsync(
                try await admin.sendJSON(.POST, "/api/academic-years", #"{"label":"2025/26"}"#).status, .unprocessableEntity)

            let coordinator = Browser(fixture.app)
            coordinator.bearer = try await AccountService.issueToken(forLogin: "coord-a", name: "t", by: .commandLine, on: fixture.app.db)
            try await assertEqualAsync(
                try await coordinator.sendJSON(.POST, "/api/municipalities", #"{"name":"X","region_id":\#(region.id!)}"#).status, .forbidden
            )
            try await assertEqualAsync(
                try await coordinator.sendJSON(.POST, "/api/subjects", #"{"code":"x1","name":"X"}"#).status, .forbidden)
            let audit = try await analyst.get("/api/audit").body.string
            XCTAssertTrue(audit.contains("Одоевский район"), audit)
        }
    }
}

/// Just enough to read an id out of a JSON object.
struct AnyDecodable: Decodable {
    let int: Int?
    init(from decoder: any Decoder) throws {
        int = try? decoder.singleValueContainer().decode(Int.self)
    }
}
