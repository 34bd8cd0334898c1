import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTVapor
import XCTest

/// «Загрузка данных» with a plan as printed: the user chooses the programme, the preview shows what each row becomes
/// (section, number, measure, deadline as read or «нужна дата»), the commit stores it — within the user's scope only.
final class PrintedPlanUploadTests: XCTestCase {
    static func fixture(_ name: String) throws -> String {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let url = tests.appendingPathComponent("Fixtures/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    func upload(_ browser: Browser, _ fields: [(String, String)], name: String, content: String) async throws -> XCTHTTPResponse {
        let boundary = "----opora\(UUID().uuidString)"
        var body = ""
        for (field, value) in [("_csrf", browser.csrf ?? "")] + fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n"
        body += "\(content)\r\n--\(boundary)--\r\n"
        return try await browser.send(.POST, "/imports/preview", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Seed 000's programme «на 2023-2024 учебный год» for Чернский район (the fixture's municipality A).
    func addProgramme(_ fixture: WebFixture) async throws {
        _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(.programmes, bytes: Array("""
        code;name;start;end;level;territory
        CHR;Программа повышения качества образования на 2023-2024 учебный год;01.09.2023;31.08.2024;municipality;Чернский район
        """.utf8), fileName: "programmes.csv")
    }

    func testTheUserChoosesTheProgrammeAndSeesWhatEachRowBecomes() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await self.addProgramme(fixture)
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            let form = try await browser.get("/imports").body.string
            XCTAssertTrue(form.contains("<option value=\"CHR\">CHR — Программа повышения качества образования"), form)
            let plan = try Self.fixture("chern-plan-2023-2024.csv")
            let fields = [("kind", "roadmap"), ("programme", "CHR")]
            let preview = try await self.upload(browser, fields, name: "chern-plan-2023-2024.csv", content: plan)
            XCTAssertEqual(preview.status, .ok, preview.body.string)
            let page = preview.body.string
            XCTAssertTrue(page.contains("Мероприятия: 55"), page)
            XCTAssertTrue(page.contains("<td>3.10</td>"), page)
            XCTAssertTrue(page.contains("срок: 30.11.2023, 31.03.2024, 31.08.2024"), page)
            XCTAssertTrue(page.contains("вне срока программы: 31.03.2023"), page)
            XCTAssertTrue(page.contains("<td>5.2 Повышение учебной мотивации учеников:</td>"), page)
            // Warnings read for an official (issue 24): the line, the column by its Russian name, no file path.
            XCTAssertTrue(page.contains("<td>Строка 4</td><td>Срок</td>"), page)
            XCTAssertFalse(page.contains("chern-plan-2023-2024.csv:4: deadline:"))
            XCTAssertTrue(page.contains("name=\"programme\" value=\"CHR\""), "the commit carries the programme")
            let token = try XCTUnwrap(page.range(of: "name=\"token\" value=\"").map { range -> String in
                let rest = page[range.upperBound...]
                return String(rest[..<rest.firstIndex(of: "\"")!])
            })
            let commit = try await browser.post("/imports/commit", [("token", token), ("kind", "roadmap"),
                                                                     ("file_name", "chern-plan-2023-2024.csv"), ("programme", "CHR")])
            XCTAssertEqual(commit.status, .seeOther, commit.body.string)
            let repository = PlanRepository(db: fixture.app.db)
            let found = try await repository.programme(code: "CHR")
            let stored = try XCTUnwrap(found)
            let measures = try await repository.measures(stored.id!)
            XCTAssertEqual(measures.count, 55)
            // The roadmap page shows a date the plan names outside its period instead of dropping it.
            let roadmap = try await browser.get("/plans/\(stored.id!)/roadmap").body.string
            XCTAssertTrue(roadmap.contains("вне срока программы: 31.03.2023"), roadmap)

            // A row without a deadline shows that it waits for a date.
            let undated = try await self.upload(browser, fields, name: "plan.csv",
                                                content: "№ п/п;Наименование мероприятия;Срок реализации\n1;Семинар для учителей;\n")
            XCTAssertEqual(undated.status, .ok, undated.body.string)
            XCTAssertTrue(undated.body.string.contains("<span class=\"tag warn\">нужна дата</span>"), undated.body.string)
            let warning = "<td>Строка 2</td><td>Срок</td><td><span class=\"tag warn\">предупреждение</span> срок не указан"
            XCTAssertTrue(undated.body.string.contains(warning),
                          undated.body.string)
        }
    }

    func testAnotherTerritorysProgrammeIsNeitherOfferedNorWritten() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await self.addProgramme(fixture)
            let browser = Browser(fixture.app)
            try await browser.login("coord-b")
            let form = try await browser.get("/imports").body.string
            XCTAssertFalse(form.contains("value=\"CHR\""))
            let preview = try await self.upload(browser, [("kind", "roadmap"), ("programme", "CHR")], name: "plan.csv",
                                                content: try Self.fixture("chern-plan-2023-2024.csv"))
            XCTAssertEqual(preview.status, .unprocessableEntity)
            // Another territory's programme reads exactly like one nobody has (issue «Records an order can be signed on»).
            XCTAssertTrue(preview.body.string.contains("программы с кодом «CHR» нет"), preview.body.string)
            let found = try await PlanRepository(db: fixture.app.db).programme(code: "CHR")
            let stored = try XCTUnwrap(found)
            let measures = try await PlanRepository(db: fixture.app.db).measures(stored.id!)
            XCTAssertEqual(measures.count, 0)
        }
    }
}
