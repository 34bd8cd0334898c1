import Foundation
import OporaDomain
import OporaLiveSupport
import OporaTestSupport
import XCTest

/// The built server on a port, spoken to over real HTTP the way a browser does: forms, cookies, redirects,
/// and uploads of a real size that arrive in pieces.
final class LiveServerTests: XCTestCase {
    var server: LiveServer!

    override func setUp() async throws {
        server = try await LiveServer.start(Self.self)
    }

    override func tearDown() async throws {
        server?.stop()
    }

    /// A results file of a few hundred kilobytes: one row per school × work, many years.
    func resultsFile(rows: Int) -> [UInt8] {
        var text = "year;procedure;grade;subject;school;participants;m2;m3;m4;m5;mean_score\n"
        var line = 0
        outer: for year in 2000...2100 {
            for grade in 1...11 {
                for subject in ["rus", "math", "hist", "bio", "geo", "phys", "chem", "soc", "lit", "eng", "inf", "world"] {
                    for school in ["A1", "A2"] {
                        text += "\(year);ВПР;\(grade);\(subject);\(school);25;2;10;9;4;\(50 + line % 40),5\n"
                        line += 1
                        if line == rows { break outer }
                    }
                }
            }
        }
        return Array(text.utf8)
    }

    func testABrowsersUploadPreviewsCommitsAndShowsTheResults() async throws {
        let browser = HTTPSession(server)
        defer { Task { await browser.close() } }
        let login = try await browser.login("coord-a")
        XCTAssertEqual(login.status, 303)
        XCTAssertNotNil(browser.cookies["opora_session"])
        let form = try await browser.get("/imports")
        XCTAssertEqual(form.status, 200)
        let file = resultsFile(rows: 8_000)
        XCTAssertGreaterThan(file.count, 300_000, "a file of a real size, sent in many pieces")
        let preview = try await browser.upload("/imports/preview", fields: [("kind", "results")], file: ("file", "результаты.csv", file))
        XCTAssertEqual(preview.status, 200, preview.body)
        XCTAssertTrue(preview.body.contains("Будет: добавлено: 8000"), preview.body)
        let token = try XCTUnwrap(preview.body.range(of: "name=\"token\" value=\"").map { range -> String in
            let rest = preview.body[range.upperBound...]
            return String(rest[..<rest.firstIndex(of: "\"")!])
        })
        let commit = try await browser.post("/imports/commit", [("token", token), ("kind", "results"), ("file_name", "результаты.csv")])
        XCTAssertEqual(commit.status, 303)
        XCTAssertEqual(commit.header("Location"), "/results")
        let results = try await browser.get("/results")
        XCTAssertTrue(results.body.contains("«результаты.csv» загружен: добавлено: 8000"), results.body)
        XCTAssertTrue(results.body.contains("Липицкая"))
        // The token is used once.
        try await assertEqual(
            try await browser.post("/imports/commit", [("token", token), ("kind", "results"), ("file_name", "x.csv")]).status, 410)
    }

    func testAFormFromAnotherSiteGetsARussianPageNotJSON() async throws {
        let browser = HTTPSession(server)
        defer { Task { await browser.close() } }
        try await browser.login("coord-a")
        try await browser.get("/imports")
        browser.csrf = "forged-token-of-the-same-length-000000000000"
        let forged = try await browser.upload(
            "/imports/preview", fields: [("kind", "results")], file: ("file", "r.csv", resultsFile(rows: 10)))
        XCTAssertEqual(forged.status, 403)
        XCTAssertTrue(forged.header("Content-Type")?.hasPrefix("text/html") ?? false, forged.header("Content-Type") ?? "")
        XCTAssertTrue(forged.body.contains("<h1>Доступ запрещён</h1>"), forged.body)
        XCTAssertTrue(forged.body.contains("Обновите страницу"))
    }

    func testRejectedFilesNameTheirLinesAndChangeNothing() async throws {
        let browser = HTTPSession(server)
        defer { Task { await browser.close() } }
        try await browser.login("coord-a")
        try await browser.get("/imports")
        var file = resultsFile(rows: 2_000)
        file += Array("2023;ВПР;5;math;A1;десять;2;10;9;4;50\n".utf8)
        let rejected = try await browser.upload("/imports/preview", fields: [("kind", "results")], file: ("file", "r.csv", file))
        XCTAssertEqual(rejected.status, 422)
        XCTAssertTrue(rejected.body.contains("<td>Строка 2002</td><td>Участников</td><td>«десять» — не целое число</td>"),
                      String(rejected.body.suffix(1500)))
        try await browser.get("/imports")
        let foreign = resultsFile(rows: 500) + Array("2023;ВПР;5;math;B1;25;2;10;9;4;50\n".utf8)
        let outside = try await browser.upload("/imports/preview", fields: [("kind", "results")], file: ("file", "f.csv", foreign))
        XCTAssertEqual(outside.status, 422)
        XCTAssertTrue(outside.body.contains("<td>Строка 502</td><td>Школа</td><td>" + Absent.school("B1") + "</td>"),
                      String(outside.body.suffix(1500)))
        let results = try await browser.get("/results")
        XCTAssertFalse(results.body.contains("Липицкая"), "nothing was written")
    }

    /// While one user's hostile uploads are being read, everyone else's pages keep answering.
    func testAHostileUploadDoesNotStopOtherUsersPages() async throws {
        let attacker = HTTPSession(server), colleague = HTTPSession(server)
        defer { Task { await attacker.close(); await colleague.close() } }
        try await attacker.login("coord-a")
        try await attacker.get("/imports")
        try await colleague.login("analyst")
        // A header of a million columns (refused at once by the column limit), zip bombs that inflate to the
        // budget before they are refused, and a long file to read — three at a time.
        let wide = Array((String(repeating: "x,", count: 1_000_000) + "x\n1\n").utf8)
        let bomb = try XLSXFixture.archive([
            ("[Content_Types].xml", .bytes(Data(XLSXFixture.contentTypes.utf8))), ("_rels/.rels", .bytes(Data(XLSXFixture.rootRels.utf8))),
            ("xl/workbook.xml", .bytes(Data(XLSXFixture.workbook.utf8))),
            ("xl/_rels/workbook.xml.rels", .bytes(Data(XLSXFixture.workbookRels.utf8))),
            ("xl/worksheets/sheet1.xml", .repeated(byte: UInt8(ascii: " "), size: 300 << 20)),
        ])
        let long = resultsFile(rows: 20_000)
        let server: LiveServer = self.server
        let uploads = Task {
            try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for (name, bytes) in [("wide.csv", wide), ("bomb1.xlsx", bomb), ("bomb2.xlsx", bomb), ("long.csv", long)] {
                    group.addTask {
                        let session = HTTPSession(server)
                        try await session.login("coord-a")
                        try await session.get("/imports")
                        let status = try await session.upload(
                            "/imports/preview", fields: [("kind", "results")], file: ("file", name, bytes), chunk: 64 * 1024
                        ).status
                        await session.close()
                        return (name, status)
                    }
                }
                var statuses: [String: Int] = [:]
                for try await (name, status) in group { statuses[name] = status }
                return statuses
            }
        }
        var answered = 0, slowest = 0.0
        while !uploads.isCancelled {
            let started = Date()
            let schools = try await colleague.get("/schools", timeout: .seconds(10))
            let health = try await colleague.get("/health", timeout: .seconds(10))
            slowest = max(slowest, Date().timeIntervalSince(started))
            XCTAssertEqual(schools.status, 200)
            XCTAssertEqual(health.status, 200)
            answered += 1
            if answered >= 5, await isDone(uploads) { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let statuses = try await uploads.value
        XCTAssertEqual(statuses, ["wide.csv": 422, "bomb1.xlsx": 422, "bomb2.xlsx": 422, "long.csv": 200])
        XCTAssertGreaterThanOrEqual(answered, 5)
        XCTAssertTrue(server.isRunning, server.output)
        print("Other users' pages answered \(answered) times during the hostile uploads; slowest pair \(String(format: "%.2f", slowest)) s")
    }

    func isDone<T: Sendable>(_ task: Task<T, any Error>) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = try? await task.value; return true }
            group.addTask { try? await Task.sleep(nanoseconds: 1_000_000); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// A region's registry exported as CSV arrives in pieces (no length known in advance) and imports back unchanged.
    func testALargeExportIsStreamedAndImportsBackUnchanged() async throws {
        let analyst = HTTPSession(server)
        defer { Task { await analyst.close() } }
        try await analyst.login("analyst")
        try await assertEqual(try await analyst.get("/imports").status, 200)
        var registry = "code;name;municipality;students\n"
        for number in 1...3_000 { registry += "R\(number);\"МБОУ «Школа № \(number)» =СУММ(1;2)\";Чернский район;\(100 + number)\n" }
        let preview = try await analyst.upload(
            "/imports/preview", fields: [("kind", "schools")], file: ("file", "реестр.csv", Array(registry.utf8)))
        XCTAssertEqual(preview.status, 200, preview.body)
        let token = try XCTUnwrap(
            preview.body.range(of: "name=\"token\" value=\"").map { range -> String in
                let rest = preview.body[range.upperBound...]
                return String(rest[..<rest.firstIndex(of: "\"")!])
            })
        try await assertEqual(
            try await analyst.post("/imports/commit", [("token", token), ("kind", "schools"), ("file_name", "реестр.csv")]).status, 303)
        let export = try await analyst.get("/schools/export.csv")
        XCTAssertEqual(export.status, 200)
        XCTAssertEqual(export.header("Transfer-Encoding"), "chunked", "streamed, not built whole before sending")
        XCTAssertNil(export.header("Content-Length"))
        XCTAssertGreaterThan(export.bytes.count, 3 * TableExportPiece.size, "more than one piece")
        XCTAssertEqual(export.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 1 + 3_003)
        let again = try await analyst.upload("/imports/preview", fields: [("kind", "schools")], file: ("file", "schools.csv", export.bytes))
        XCTAssertEqual(again.status, 200, again.body)
        XCTAssertTrue(again.body.contains("без изменений: 3003"), again.body)
    }

    func testSessionsCookiesAndRedirectsOverTheWire() async throws {
        let browser = HTTPSession(server)
        defer { Task { await browser.close() } }
        let anonymous = try await browser.get("/schools")
        XCTAssertEqual(anonymous.status, 401)
        XCTAssertTrue(anonymous.body.contains("action=\"/login\""))
        XCTAssertNil(browser.cookies["opora_session"], "an anonymous visit gets no session")
        try await browser.login("viewer-a")
        let cookie = try XCTUnwrap(browser.cookies["opora_session"])
        try await assertEqual(try await browser.get("/schools").status, 200)
        try await browser.get("/")
        let out = try await browser.post("/logout", [])
        XCTAssertEqual(out.status, 303)
        XCTAssertNil(browser.cookies["opora_session"])
        browser.cookies["opora_session"] = cookie
        let closed = try await browser.get("/schools")
        XCTAssertEqual(closed.status, 401, "a session that logged out stays closed")
    }
}

/// The server's CSV piece size (TableExport.streamPiece), restated: the test must not depend on the web module.
enum TableExportPiece { static let size = 64 * 1024 }

func assertEqual<T: Equatable>(
    _ value: @autoclosure () async throws -> T, _ expected: T, file: StaticString = #filePath, line: UInt = #line
) async throws {
    let actual = try await value()
    XCTAssertEqual(actual, expected, file: file, line: line)
}

func assertTrue(_ value: @autoclosure () async throws -> Bool, file: StaticString = #filePath, line: UInt = #line) async throws {
    let actual = try await value()
    XCTAssertTrue(actual, file: file, line: line)
}
