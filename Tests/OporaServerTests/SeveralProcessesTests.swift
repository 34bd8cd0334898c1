import Foundation
import OporaData
import OporaLiveSupport
import OporaTestSupport
import XCTest

/// Several `opora serve` processes behind one proxy on one PostgreSQL (issue 23, deploy/nginx.conf): a session
/// opened on one process is valid on the other and closed on both by a logout on either, and a change made while
/// both run (an import) is on both processes' pages at once. Runs in CI, which sets OPORA_TEST_POSTGRES_URL.
final class SeveralProcessesTests: XCTestCase {
    func testTwoProcessesOnOnePostgreSQLShareSessionsAndPages() async throws {
        guard let target = TestEngines.postgres, case .postgres(let url) = target else {
            throw XCTSkip("needs PostgreSQL: set \(TestEngines.postgresVariable)")
        }
        try await TestEngines.reset(target)
        let first = try await LiveServer.start(Self.self, database: url.absoluteString)
        defer { first.stop() }
        let second = try await LiveServer.startAnother(Self.self, sharing: first)
        defer { second.stop(removeFiles: false) }
        let one = HTTPSession(first), other = HTTPSession(second)
        defer { Task { await one.close(); await other.close() } }

        try await one.login("coord-a")
        let schools = try await one.get("/schools")
        XCTAssertEqual(schools.status, 200)
        XCTAssertFalse(schools.body.contains("Новоселебинская"))
        // The same browser, its next request sent by the proxy to the other process.
        other.cookies = one.cookies
        let elsewhere = try await other.get("/schools")
        XCTAssertEqual(elsewhere.status, 200, "the session opened on the first process is valid on the second")
        XCTAssertTrue(elsewhere.body.contains("Липицкая"))

        // A school imported while both run is on both at once: neither serves the page it computed before.
        let file = first.folder.appendingPathComponent("new-school.csv")
        try Data("code,name,municipality,region\nA3,МКОУ «Новоселебинская ООШ»,Чернский район,Тульская область\n".utf8).write(to: file)
        try first.opora(["import", "schools", file.path], anchor: Self.self)
        try await assertTrue(try await one.get("/schools").body.contains("Новоселебинская"))
        try await assertTrue(try await other.get("/schools").body.contains("Новоселебинская"))

        // The database both write passes the check, run while they serve.
        XCTAssertTrue(try first.opora(["check"], anchor: Self.self).contains("нарушений нет"))

        // Logging out on the second closes the session on the first too.
        try await other.get("/")
        let out = try await other.post("/logout", [])
        XCTAssertEqual(out.status, 303)
        let closed = try await one.get("/schools")
        XCTAssertEqual(closed.status, 401, "a session closed on one process is closed on every process")
        XCTAssertTrue(first.isRunning && second.isRunning, first.output + second.output)
    }
}
