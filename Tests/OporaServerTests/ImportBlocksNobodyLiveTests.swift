import Foundation
import NIOCore
import OporaLiveSupport
import XCTest

/// Issue 18, point 2, for the support kinds over real HTTP against the built server: while a large `events` file is
/// previewed and committed in a region of ten thousand schools, `/health` and a page of another signed-in user keep
/// answering within the usual time, on SQLite and (with `OPORA_TEST_POSTGRES_URL`) on PostgreSQL. Before, the support
/// imports read the school directory as ten thousand Fluent models decoded on an event loop (SQLite hands each row to
/// the loop as a task of its own), holding up that loop's other requests, `/health` among them.
extension PreviewBlocksNobodyLiveTests {
    /// Participation rows of the file; `OPORA_LIVE_IMPORT_ROWS` asks for more (the debug build is ten times slower).
    static var importRows: Int { ProcessInfo.processInfo.environment["OPORA_LIVE_IMPORT_ROWS"].flatMap(Int.init) ?? 100_000 }
    /// The other user's page: one whose usual time does not grow with the ten thousand schools (the list of schools
    /// takes seconds to draw uncached in a debug build, import or not).
    static let lightPage = "/account"

    func testALargeEventsImportBlocksNobodyOnSQLite() async throws {
        server = try await LiveServer.start(Self.self)
        try await eventsImportBlocksNobody()
    }

    func testALargeEventsImportBlocksNobodyOnPostgreSQL() async throws {
        guard let url = ProcessInfo.processInfo.environment["OPORA_TEST_POSTGRES_URL"] else {
            throw XCTSkip("OPORA_TEST_POSTGRES_URL is not set")
        }
        try Self.emptyPostgres(url)
        server = try await LiveServer.start(Self.self, database: url)
        try await eventsImportBlocksNobody()
    }

    /// The test database emptied (a live server migrates it afresh).
    static func emptyPostgres(_ url: String) throws {
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        psql.arguments = ["psql", url, "-qc", "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"]
        psql.environment = ProcessInfo.processInfo.environment.merging(["PGOPTIONS": "--client-min-messages=warning"]) { $1 }
        try psql.run()
        psql.waitUntilExit()
    }

    func eventsImportBlocksNobody() async throws {
        // Ten thousand schools in the coordinator's municipality, loaded by the command line while the server runs.
        var schools = "code,name,municipality,region\n"
        for school in 1...10_000 {
            schools += "L\(school),МБОУ «Средняя школа № \(school)»,Чернский район,Тульская область\n"
        }
        let schoolsFile = server.folder.appendingPathComponent("many-schools.csv")
        try Data(schools.utf8).write(to: schoolsFile)
        try server.opora(["import", "schools", schoolsFile.path], anchor: Self.self)

        var text = "event;title;kind;start;hours;organiser;school;role;count;person\n"
        for row in 0..<Self.importRows {
            let event = row / 500 + 1
            text += "LE\(event);Семинар по функциональной грамотности № \(event);семинар;10.02.2025;4;Институт развития образования;"
                + "L\(1 + (row * 7) % 10_000);учитель;" + (row % 4 == 0 ? ";P\(row)\n" : "\(1 + row % 6);\n")
        }
        let file = Array(text.utf8)
        let uploader = HTTPSession(server)
        defer { Task { await uploader.close() } }
        try await uploader.login("coord-a")
        try await uploader.get("/imports")

        let (preview, duringPreview) = try await probing(page: Self.lightPage) {
            try await uploader.upload("/imports/preview", fields: [("kind", "events")], file: ("file", "events.csv", file),
                                      chunk: 256 * 1024, timeout: .seconds(600))
        }
        let events = (Self.importRows + 499) / 500
        XCTAssertEqual(preview.status, 200, String(preview.body.prefix(2_000)))
        XCTAssertTrue(preview.body.contains("добавлено: \(events)"), String(preview.body.prefix(4_000)))
        await assertAnsweredInTime(duringPreview, during: "the preview of \(Self.importRows) participations", page: Self.lightPage)

        let token = try XCTUnwrap(preview.body.range(of: "name=\"token\" value=\"").map { range -> String in
            let rest = preview.body[range.upperBound...]
            return String(rest[..<rest.firstIndex(of: "\"")!])
        })
        let (commit, duringCommit) = try await probing(page: Self.lightPage) {
            let form = [("token", token), ("kind", "events"), ("file_name", "events.csv"), ("_csrf", uploader.csrf ?? "")]
            let body = form.map { "\(HTTPSession.encode($0.0))=\(HTTPSession.encode($0.1))" }.joined(separator: "&")
            return try await uploader.send("POST", "/imports/commit", body: .bytes(ByteBuffer(string: body)),
                                           contentType: "application/x-www-form-urlencoded", timeout: .seconds(600))
        }
        XCTAssertEqual(commit.status, 303, String(commit.body.prefix(2_000)))
        await assertAnsweredInTime(duringCommit, during: "the import of \(Self.importRows) participations",
                                   patience: Self.patienceDuringImport, page: Self.lightPage)
        let next = try await uploader.get("/account")
        XCTAssertTrue(next.body.contains("«events.csv» загружен: добавлено: \(events)"), String(next.body.prefix(4_000)))
    }
}
