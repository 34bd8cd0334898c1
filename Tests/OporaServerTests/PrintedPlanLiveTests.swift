import Foundation
import OporaLiveSupport
import XCTest

/// A seed's whole plan as printed uploaded to the running server over real HTTP: the programme chosen on the form,
/// the preview of every row, the commit.
final class PrintedPlanLiveTests: XCTestCase {
    var server: LiveServer!

    override func setUp() async throws {
        server = try await LiveServer.start(Self.self)
    }

    override func tearDown() async throws {
        server?.stop()
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let url = tests.appendingPathComponent("Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }

    static func token(_ body: String) throws -> String {
        try XCTUnwrap(body.range(of: "name=\"token\" value=\"").map { range -> String in
            let rest = body[range.upperBound...]
            return String(rest[..<rest.firstIndex(of: "\"")!])
        })
    }

    func testSeed002PlanOfThreeYearsUploadsThroughTheForm() async throws {
        let browser = HTTPSession(server)
        defer { Task { await browser.close() } }
        try await browser.login("coord-a")
        // The municipality's programme first, as a file of its own.
        try await browser.get("/imports")
        let programmes = Array("""
        code;name;start;end;level;territory
        P2020;Программа поддержки ШНОР на 2020-2022 годы;2020;2022;municipality;Чернский район

        """.utf8)
        let first = try await browser.upload("/imports/preview", fields: [("kind", "programmes")],
                                             file: ("file", "programmes.csv", programmes))
        XCTAssertEqual(first.status, 200, first.body)
        let created = try await browser.post("/imports/commit", [("token", try Self.token(first.body)), ("kind", "programmes"),
                                                                  ("file_name", "programmes.csv")])
        XCTAssertEqual(created.status, 303)

        let form = try await browser.get("/imports")
        XCTAssertTrue(form.body.contains("<option value=\"P2020\">"), form.body)
        let plan = try Self.fixture("ryazan-plan-2020-2022.csv")
        XCTAssertGreaterThan(plan.count, 35_000, "the seed's whole plan: 84 measures under three year headings")
        let preview = try await browser.upload("/imports/preview", fields: [("kind", "roadmap"), ("programme", "P2020")],
                                               file: ("file", "ryazan-plan-2020-2022.csv", plan))
        XCTAssertEqual(preview.status, 200, preview.body)
        XCTAssertTrue(preview.body.contains("Будет: добавлено: 84"), preview.body)
        XCTAssertTrue(preview.body.contains("Мероприятия: 84"), preview.body)
        XCTAssertTrue(preview.body.contains("<td>2022 год</td><td>28</td>"), preview.body)
        XCTAssertTrue(preview.body.contains("регулярно: 31.03.2021, 30.06.2021, 30.09.2021, 31.12.2021"), preview.body)
        let commit = try await browser.post("/imports/commit", [("token", try Self.token(preview.body)), ("kind", "roadmap"),
                                                                 ("file_name", "ryazan-plan-2020-2022.csv"), ("programme", "P2020")])
        XCTAssertEqual(commit.status, 303)
        XCTAssertEqual(commit.header("Location"), "/plans")
        let plans = try await browser.get("/plans")
        XCTAssertTrue(plans.body.contains("«ryazan-plan-2020-2022.csv» загружен: добавлено: 84"), plans.body)
    }
}
