import Fluent
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import SQLKit
import XCTVapor

/// The database check as the server runs it (issue 23): daily in the background, its last outcome on the analyst's
/// start page with a link to the report, and in `/health` with the schema and the last backup's age. On both engines.
final class DatabaseCheckPagesTests: XCTestCase {
    func json(_ response: XCTHTTPResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any], response.body.string)
    }

    func testTheServerChecksInTheBackgroundAndTheAnalystSeesTheOutcome() async throws {
        let options = ServerOptions(bcryptCost: 4, databaseCheck: DatabaseCheckSchedule(interval: 3600, firstDelay: 0))
        try await WebFixture.onEachEngine(options: options) { fixture in
            let analyst = Browser(fixture.app)
            // The first request boots the server, which starts the check without holding the request up.
            try await assertEqualAsync(try await analyst.login("analyst").status, .seeOther)
            var report: DatabaseCheckReport? = nil
            for _ in 0..<300 where report == nil {
                report = try await DatabaseCheckStore(db: fixture.app.db).latest()
                if report == nil { try await Task.sleep(nanoseconds: 100_000_000) }
            }
            let checked = try XCTUnwrap(report, "the background check did not run")
            XCTAssertTrue(checked.ok, checked.text)
            let home = try await analyst.get("/overview")
            XCTAssertTrue(home.body.string.contains("Проверка базы данных"), home.body.string)
            XCTAssertTrue(home.body.string.contains("нарушений нет"))
            XCTAssertTrue(home.body.string.contains("href=\"/check\""))
            let page = try await analyst.get("/check")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.string.contains("results.school_id → schools.id"))

            // A fault found later is on the page with its table and row; the coordinator sees neither.
            try await fixture.app.db.sql.raw("UPDATE audit_log SET action = 'changed' WHERE entity = 'user' AND action = 'create'").run()
            let faulty = await DatabaseChecker(db: fixture.app.db).run()
            try await DatabaseCheckStore(db: fixture.app.db).save(faulty, source: .serve)
            let afterwards = try await analyst.get("/overview")
            XCTAssertTrue(afterwards.body.string.contains("найдено \(faulty.faultCount) нарушени"), afterwards.body.string)
            let details = try await analyst.get("/check")
            XCTAssertTrue(details.body.string.contains("нет записи о создании"))
            XCTAssertTrue(details.body.string.contains("<td>users</td>"))
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let coordinatorsHome = try await coordinator.get("/overview")
            XCTAssertFalse(coordinatorsHome.body.string.contains("Проверка базы данных"))
            try await assertEqualAsync(try await coordinator.get("/check").status, .notFound)
        }
    }

    func testHealthTellsTheSchemaTheLastCheckAndTheLastBackupAndNothingElse() async throws {
        try await WebFixture.onEachEngine(options: ServerOptions(bcryptCost: 4, databaseCheck: nil)) { fixture in
            let anonymous = Browser(fixture.app)
            var state = try json(try await anonymous.get("/health"))
            XCTAssertEqual(state["status"] as? String, "ok")
            XCTAssertEqual(state["schema"] as? String, "current")
            XCTAssertEqual((state["check"] as? [String: Any])?["status"] as? String, "none")
            XCTAssertEqual((state["backup"] as? [String: Any])?["status"] as? String, "none")

            // A backup five hours ago, as `opora backup` records it; a check that found a fault.
            try await AuditLog.record(on: fixture.app.db, actor: .commandLine, action: "backup", entity: "backup", entityID: nil,
                                      summary: "Резервная копия")
            let sql = fixture.app.db.sql
            try await sql.raw("UPDATE audit_log SET at = \(bind: Date().addingTimeInterval(-5 * 3600)) WHERE entity = 'backup'").run()
            try await sql.raw("DELETE FROM audit_log WHERE entity = 'user' AND entity_id = (SELECT MIN(id) FROM users)").run()
            try await DatabaseCheckStore(db: fixture.app.db).save(await DatabaseChecker(db: fixture.app.db).run(), source: .command)
            let response = try await anonymous.get("/health")
            XCTAssertEqual(response.status, .ok)
            state = try json(response)
            XCTAssertEqual(state["status"] as? String, "warning")
            let check = try XCTUnwrap(state["check"] as? [String: Any])
            XCTAssertEqual(check["status"] as? String, "faults")
            XCTAssertEqual(check["faults"] as? Int, 1)
            let backup = try XCTUnwrap(state["backup"] as? [String: Any])
            XCTAssertEqual(backup["status"] as? String, "ok")
            XCTAssertEqual(try XCTUnwrap(backup["age_hours"] as? Double), 5, accuracy: 0.2)
            XCTAssertNotNil(backup["at"] as? String)
            for secret in ["Липицкая", "analyst", "postgres://", "users", "Резервная"] {
                XCTAssertFalse(response.body.string.contains(secret), "\(secret) in \(response.body.string)")
            }
        }
    }

    /// `opora demo`'s database passes: the check's rules are ones the application itself keeps.
    func testTheDemoDatabasePasses() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await DemoData.load(into: store.db, bcryptCost: 4)
            let report = await DatabaseChecker(db: store.db).run()
            XCTAssertTrue(report.ok, report.text)
            XCTAssertGreaterThan(report.rows, 1000)
        }
    }
}
