import Fluent
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import XCTVapor

/// Issue 24, point 4, for the kinds beyond results: the upload preview lists the rows a file changes (each cell
/// old → new), adds and removes, with the columns named in Russian, for the uploader's own territory; a refused
/// file names its columns in Russian too. On both engines.
final class ImportPreviewChangesTests: XCTestCase {
    func upload(_ browser: Browser, kind: String, name: String, content: String) async throws -> XCTHTTPResponse {
        try await browser.previewImport([("kind", kind)], name: name, content: content)
    }

    func store(_ fixture: WebFixture, _ kind: ImportKind, _ text: String, scope: AccessScope = .everything) async throws {
        _ = try await Importer(db: fixture.app.db, actor: .commandLine, scope: scope)
            .importFile(kind, bytes: Array(text.utf8), fileName: "stored.csv")
    }

    func testTheCoordinatorsPreviewShowsStaffEventsAndRoadmapChanges() async throws {
        try await WebFixture.onEachEngine { fixture in
            let own = AccessScope.municipality(fixture.municipalityA)
            try await store(fixture, .staff, "school,year,position,person,category\nA1,2024,учитель,T-1,высшая\n"
                            + "A1,2024,учитель,T-2,первая\nA1,2024,учитель,T-9,первая\n", scope: own)
            try await store(fixture, .events, "event,title,kind,start,hours,school,role,count\n"
                            + "E1,Семинар,семинар,01.03.2024,4,A1,учитель,3\nE2,Курсы,курсы,15.02.2024,32,A2,учитель,6\n", scope: own)
            try await store(fixture, .programmes, "code,name,start,end,level,territory\n"
                            + "P-1,Программа поддержки,01.01.2024,31.12.2025,municipality,Чернский район\n", scope: own)
            try await store(fixture, .roadmap, "programme,section,number,measure,deadline\nP-1,Кадры,1,Семинар,март 2024\n", scope: own)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/imports")

            let staff = try await upload(coordinator, kind: "staff", name: "staff.csv", content: "school,year,position,person,category\n"
                                         + "A1,2024,учитель,T-1,первая\nA1,2024,учитель,T-2,первая\nA1,2024,учитель,T-3,первая\n")
            XCTAssertEqual(staff.status, .ok)
            var page = staff.body.string
            XCTAssertTrue(page.contains("<strong>Квалификационная категория</strong>: <del>высшая</del> → <ins>первая</ins>"), page)
            XCTAssertTrue(page.contains("Добавятся: 1"))
            XCTAssertTrue(page.contains("Изменятся: 1"))
            XCTAssertTrue(page.contains("Удалятся: 1"), "T-9 is not in the file: the school's staff of 2024 is replaced")
            XCTAssertTrue(page.contains("<td>T-9</td>"))
            XCTAssertTrue(page.contains("Файл заменяет всё, что записано по каждой школе за каждый год"), "the official is told why")
            XCTAssertTrue(page.contains("<th>Школа</th>"))
            XCTAssertFalse(page.contains("<th>category</th>") || page.contains("<th>school</th>"))

            let events = try await upload(coordinator, kind: "events", name: "events.csv",
                                          content: "event,title,kind,start,hours,school,role,count\n"
                                              + "E1,Семинар,семинар,01.03.2024,6,A1,учитель,3\nE2,Курсы,курсы,15.02.2024,32,A2,учитель,6\n"
                                              + "E3,Стажировка,стажировка,10.04.2024,16,A1,учитель,2\n")
            XCTAssertEqual(events.status, .ok)
            page = events.body.string
            XCTAssertTrue(page.contains("<strong>Часов</strong>: <del>4</del> → <ins>6</ins>"), page)
            XCTAssertTrue(page.contains("Добавятся: 1") && page.contains("без изменений: 1"), page)

            let roadmap = try await upload(coordinator, kind: "roadmap", name: "plan.csv",
                                           content: "programme,section,number,measure,deadline\nP-1,Кадры,1,Семинар,май 2024\n")
            XCTAssertEqual(roadmap.status, .ok)
            page = roadmap.body.string
            XCTAssertTrue(page.contains("<strong>Срок</strong>: <del>март 2024</del> → <ins>май 2024</ins>"), page)
            XCTAssertTrue(page.contains("<th>Программа</th><th>Раздел</th><th>№ п/п</th>"), page)

            // A refused file of a new kind names its columns as an official knows them.
            let refused = try await upload(coordinator, kind: "staff", name: "bad.csv", content: "school,position\nA1,учитель\n")
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains("<td>Год</td>"), refused.body.string)
            XCTAssertFalse(refused.body.string.contains("<td>year</td>"))
            XCTAssertFalse(refused.body.string.contains("bad.csv:"))
        }
    }

    /// Benchmarks are stored per region: the regional analyst's preview compares with the region's own rows.
    func testTheAnalystsPreviewComparesTheRegionsBenchmarks() async throws {
        try await WebFixture.onEachEngine { fixture in
            let region = try await RegionModel.query(on: fixture.app.db).first()!.id!
            let header = "year,procedure,grade,subject,level,name,participants,success_rate\n"
            try await store(fixture, .benchmarks, header + "2023,VPR,5,math,region,Тульская область,1000,80\n", scope: .region(region))
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/imports")
            let preview = try await upload(analyst, kind: "benchmarks", name: "b.csv",
                                           content: header + "2023,VPR,5,math,region,Тульская область,1000,82.5\n")
            XCTAssertEqual(preview.status, .ok)
            let page = preview.body.string
            XCTAssertTrue(page.contains("<strong>Успеваемость, %</strong>: <del>80</del> → <ins>82,5</ins>"), page)
            XCTAssertTrue(page.contains("<td>ВПР</td>"))
        }
    }
}
