import Foundation
import Fluent
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import XCTVapor

final class ResultsPagesTests: XCTestCase {
    /// Results for A1 (municipality A) and B1 (municipality B) in the same work.
    func seedResults(_ fixture: WebFixture) async throws {
        let file = """
        year;procedure;grade;subject;school;participants;m2;m3;m4;m5;lowered;confirmed;raised
        2022;VPR;5;math;A1;14;5;7;2;0;6;8;0
        2022;VPR;5;math;A2;40;4;16;14;6;2;30;8
        2022;VPR;5;math;B1;30;12;10;5;3;20;10;0
        2021;VPR;5;math;A1;12;2;6;3;1;;;
        """
        _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(.results, bytes: Array(file.utf8), fileName: "r.csv")
    }

    func testExplorerShowsOnlyTheScopeWithComparisonAndSmallGroupMarks() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await seedResults(fixture)
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            let page = try await browser.get("/results?work=2022%7CVPR%7C5%7Cmath")
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            XCTAssertTrue(html.contains("МКОУ «Липицкая СОШ»") || html.contains("Липицкая"))
            XCTAssertTrue(html.contains("64,3"), "5 of 14 failed → 64,3 %")
            XCTAssertTrue(html.contains("малая группа") == false, "14 participants is not below the default minimum of 10")
            XCTAssertFalse(html.contains("Белёвская"), "B's school must not appear")
            // Municipality A: 54 participants, 45 succeeded → 83,3 %; A1 is 19,0 points below it.
            XCTAssertTrue(html.contains("Чернский район"))
            XCTAssertTrue(html.contains("83,3"))
            XCTAssertTrue(html.contains("−19"), html)
            let small = try await browser.get("/results?work=2022%7CVPR%7C5%7Cmath&min=20").body.string
            XCTAssertTrue(small.contains("малая группа"))

            let csv = try await browser.get("/results/export.csv?work=2022%7CVPR%7C5%7Cmath")
            XCTAssertEqual(csv.status, .ok)
            XCTAssertTrue(csv.body.string.contains("64,29"))
            XCTAssertFalse(csv.body.string.contains("Белёвская"))
            let xlsx = try await browser.get("/results/export.xlsx?work=2022%7CVPR%7C5%7Cmath")
            XCTAssertEqual(xlsx.status, .ok)
            let table = try XLSX.read([UInt8](buffer: xlsx.body))
            XCTAssertEqual(table.header.first, "Школа")
            XCTAssertFalse(table.rows.contains { $0.cells.joined().contains("Белёвская") })

            // B's school's results page and export are not reachable.
            try await assertEqualAsync(try await browser.get("/schools/\(fixture.schoolB)/results").status, .notFound)
            try await assertEqualAsync(try await browser.get("/schools/\(fixture.schoolB)/results.xlsx").status, .notFound)
            let own = try await browser.get("/schools/\(fixture.schoolA)/results").body.string
            XCTAssertTrue(own.contains("<svg"), "dynamics chart")
            XCTAssertTrue(own.contains("2021") && own.contains("2022"))
            let objectivity = try await browser.get("/results/objectivity?year=2022").body.string
            XCTAssertTrue(objectivity.contains("57,1"), "A1 confirmed 8 of 14")
            XCTAssertFalse(objectivity.contains("Белёвская"))
            for path in ["/results/objectivity/export.xlsx?year=2022", "/schools/export.xlsx", "/identification/export.csv?year=2022"] {
                let response = try await browser.get(path)
                XCTAssertEqual(response.status, .ok, path)
                let text =
                    path.contains("xlsx")
                    ? (try XLSX.read([UInt8](buffer: response.body)).rows.map { $0.cells.joined(separator: ";") }.joined(separator: "\n"))
                    : response.body.string
                XCTAssertTrue(text.contains("Липицкая"), path)
                XCTAssertFalse(text.contains("Белёвская"), path)
            }
        }
    }

    func testUploadShowsPreviewThenCommits() async throws {
        try await WebFixture.onEachEngine { fixture in
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            try await browser.get("/imports")
            // A preview left uncommitted for two days is dropped by the next upload; a fresh one stays.
            let pending = FileManager.default.temporaryDirectory.appendingPathComponent("opora-uploads-\(geteuid())", isDirectory: true)
            try FileManager.default.createDirectory(at: pending, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let stale = pending.appendingPathComponent("999-00ab"), fresh = pending.appendingPathComponent("999-00cd")
            try Data("old".utf8).write(to: stale)
            try Data("new".utf8).write(to: fresh)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -2 * 24 * 3600)], ofItemAtPath: stale.path)
            let good = "year,procedure,grade,subject,school,participants,m2,m3,m4,m5\n2023,VPR,6,rus,A1,10,1,5,3,1\n"
            let preview = try await upload(browser, kind: "results", name: "r.csv", content: good)
            XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
            XCTAssertTrue(FileManager.default.fileExists(atPath: fresh.path))
            try? FileManager.default.removeItem(at: fresh)
            XCTAssertEqual(preview.status, .ok)
            XCTAssertTrue(preview.body.string.contains("Будет: добавлено: 1"), preview.body.string)
            let before = try await ResultsRepository(db: fixture.app.db).results(ResultFilter(year: 2023), scope: .everything)
            XCTAssertTrue(before.isEmpty, "the preview writes nothing")
            let token = try XCTUnwrap(preview.body.string.range(of: "name=\"token\" value=\"").map { range -> String in
                let rest = preview.body.string[range.upperBound...]
                return String(rest[..<rest.firstIndex(of: "\"")!])
            })
            let commit = try await browser.post("/imports/commit", [("token", token), ("kind", "results"), ("file_name", "r.csv")])
            XCTAssertEqual(commit.status, .seeOther)
            try await assertEqualAsync(
                try await ResultsRepository(db: fixture.app.db).results(ResultFilter(year: 2023), scope: .everything).count, 1)

            // A file touching B's school is rejected whole, with its line.
            try await browser.get("/imports")
            let foreign = good + "2023,VPR,6,rus,B1,10,1,5,3,1\n"
            let waiting = Set(try FileManager.default.contentsOfDirectory(atPath: pending.path))
            let rejected = try await upload(browser, kind: "results", name: "f.csv", content: foreign)
            XCTAssertEqual(rejected.status, .unprocessableEntity)
            XCTAssertTrue(rejected.body.string.contains("нет среди школ вашей области доступа"))
            XCTAssertTrue(rejected.body.string.contains("<td>Строка 3</td>"))
            // Rejected files are not kept; kept ones are readable by the server's user only.
            XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: pending.path)), waiting)
            XCTAssertEqual(
                (try FileManager.default.attributesOfItem(atPath: pending.path)[.posixPermissions] as? Int).map { $0 & 0o777 }, 0o700)

            // Per-student scores go through the same preview: counted, nothing written until the commit.
            try await browser.get("/imports")
            let scores =
                "year;procedure;grade;subject;school;student;mark\n"
                + (1...12).map { "2023;ВПР;7;math;A1;S\($0);\(2 + $0 % 4)" }.joined(separator: "\n")
            let scoresPreview = try await upload(browser, kind: "scores", name: "s.csv", content: scores)
            XCTAssertEqual(scoresPreview.status, .ok)
            XCTAssertTrue(scoresPreview.body.string.contains("Будет: добавлено: 12"), scoresPreview.body.string)
            try await assertEqualAsync(
                try await ResultsRepository(db: fixture.app.db).results(ResultFilter(year: 2023, grade: 7), scope: .everything).count, 0)

            // A viewer cannot upload at all.
            let viewer = Browser(fixture.app)
            try await viewer.login("viewer-a")
            try await assertEqualAsync(try await viewer.get("/imports").status, .forbidden)
        }
    }

    func upload(_ browser: Browser, kind: String, name: String, content: String) async throws -> XCTHTTPResponse {
        try await browser.upload(kind: kind, name: name, content: content)
    }

    func testIdentificationAndTypologyPagesExplainAndStayInScope() async throws {
        try await WebFixture.onEachEngine { fixture in
            let results = """
                year,procedure,grade,subject,school,participants,below_min
                2023,VPR,6,math,A1,38,13
                2023,OGE,9,math,A1,29,9
                2023,VPR,6,math,B1,38,20
                2023,OGE,9,math,B1,29,20
                """
            let context =
                "year,school,indicator,value\n2023,A1,isbs_group,3\n2023,A1,quality_group,4\n2023,A2,isbs_group,8\n" +
                "2023,A2,quality_group,9\n2023,B1,isbs_group,6\n2023,B1,quality_group,2\n"
            let importer = Importer(db: fixture.app.db, actor: .commandLine)
            _ = try await importer.importFile(.results, bytes: Array(results.utf8), fileName: "r.csv")
            _ = try await importer.importFile(.context, bytes: Array(context.utf8), fileName: "c.csv")
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            let page = try await browser.get("/identification?year=2023").body.string
            XCTAssertTrue(
                page.contains(
                    "МКОУ «Липицкая СОШ»</a></td><td><span class=\"tag bad\">низкие результаты и неблагоприятные социальные " +
                    "условия</span></td><td class=\"num\">3</td><td>низкие результаты и неблагоприятные социальные условия: ОГЭ-2023 " +
                    "математика, 9 класс: 31 % (9 из 29) не преодолели порог ≥ 30 %; ВПР-2023 математика, 6 класс: 34,2 % (13 из 38) не " +
                    "преодолели порог ≥ 30 %; группа ИСБШ 3 (неблагоприятные социальные условия)."
                ), page)
            XCTAssertFalse(page.contains("Белёвская"))
            let typology = try await browser.get("/typology?year=2023").body.string
            XCTAssertTrue(typology.contains("<svg"))
            XCTAssertTrue(typology.contains("неблагополучные"))
            XCTAssertFalse(typology.contains("Белёвская"))
        }
    }

    func testYearlyListIsApprovedWithHistoryAndWhatIf() async throws {
        try await WebFixture.onEachEngine { fixture in
            let results = """
                year,procedure,grade,subject,school,participants,below_min
                2023,VPR,6,math,A1,38,13
                2023,OGE,9,math,A1,29,9
                2023,VPR,6,math,A2,40,3
                2023,OGE,9,math,A2,29,2
                """
            _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(
                .results, bytes: Array(results.utf8), fileName: "r.csv")
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            try await browser.get("/identification?year=2023")
            let approved = try await browser.post("/identification/approve", [
                ("year", "2023"), ("criteria", "seed004"), ("order_number", "123-о"), ("order_date", "28.02.2023"),
                ("confirm_order_date", "28.02.2023"),
            ])
            XCTAssertEqual(approved.status, .seeOther)
            let lists = try await browser.get("/identification/lists").body.string
            XCTAssertTrue(lists.contains("приказ № 123-о от 28.02.2023"), lists)
            XCTAssertTrue(lists.contains("Вошли: 1"))
            XCTAssertTrue(lists.contains("МКОУ «Липицкая СОШ» — низкие образовательные результаты"))

            // What-if: at a 5 % threshold the second school (7,5 % and 6,9 %) would enter; nothing is saved by looking.
            let whatIf = try await browser.get("/identification?year=2023&threshold=5").body.string
            XCTAssertTrue(whatIf.contains("войдут — 1, останутся — 1, выйдут — 0"), whatIf)
            XCTAssertTrue(whatIf.contains("Войдут: МБОУ «Чернская СОШ № 1»"))
            try await assertEqualAsync(try await IdentificationListModel.query(on: fixture.app.db).count(), 1)

            // Lists of another municipality are not shown; a viewer cannot approve.
            let other = Browser(fixture.app)
            try await other.login("coord-b")
            try await assertFalseAsync(try await other.get("/identification/lists").body.string.contains("123-о"))
            let viewer = Browser(fixture.app)
            try await viewer.login("viewer-a")
            try await viewer.get("/identification")
            try await assertEqualAsync(
                try await viewer.post("/identification/approve", [("year", "2023"), ("order_number", "1"), ("order_date", "01.03.2023")])
                    .status, .forbidden)
            let audit = try await browser.get("/audit").body.string
            XCTAssertTrue(audit.contains("Утверждён список школ на 2023 год"))
        }
    }

    func testCriteriaAreStoredPerScopeAndYearValidatedAndUsed() async throws {
        try await WebFixture.onEachEngine { fixture in
            let results = "year,procedure,grade,subject,school,participants,below_min\n2023,VPR,6,math,A1,38,13\n2023,OGE,9,math,A1,29,9\n"
            _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(
                .results, bytes: Array(results.utf8), fileName: "r.csv")
            let browser = Browser(fixture.app)
            try await browser.login("coord-a")
            try await browser.get("/criteria?year=2023")
            let invalid = try await browser.post("/criteria?year=2023", [("text", "name: Строже\nlow_results:\n  threshold: 300\n")])
            XCTAssertEqual(invalid.status, .unprocessableEntity)
            XCTAssertTrue(invalid.body.string.contains("low_results.threshold: от 0 до 100"))
            XCTAssertTrue(invalid.body.string.contains("threshold: 300"), "the typed text is kept")
            let saved = try await browser.post(
                "/criteria?year=2023", [("text", "name: Строже\nlow_results:\n  threshold: 35\n  risk_lower_bound: 0\n")])
            XCTAssertEqual(saved.status, .seeOther)
            try await assertTrueAsync(try await browser.get("/criteria?year=2023").body.string.contains("Сохранена версия 1"))
            // The stored set now applies: 34,2 % and 31 % do not reach 35 %.
            let page = try await browser.get("/identification?year=2023").body.string
            XCTAssertTrue(page.contains("<h2>Выявленные школы: 0 из 2</h2>"), page)
            // Another municipality keeps the default rule.
            let stored = try await CriteriaRepository(db: fixture.app.db).effective(year: 2023, scope: .municipality(fixture.municipalityB))
            XCTAssertNil(stored)
            try await assertEqualAsync(
                try await CriteriaRepository(db: fixture.app.db).effective(year: 2023, scope: .municipality(fixture.municipalityA))?.1
                    .version, 1)
        }
    }
}
