import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// «Отчёты»: ЕГЭ bands and ОГЭ marks per school for a municipality the user's scope holds whole, on both engines.
final class ReportShapesPagesTests: XCTestCase {
    func testExamShapesFollowTheUsersScope() async throws {
        try await WebFixture.onEachEngine { fixture in
            let importer = Importer(db: fixture.app.db, actor: .commandLine)
            _ = try await importer.importFile(.scores, bytes: Array("""
            year;procedure;grade;subject;school;student;score
            2023;ЕГЭ;11;rus;A1;s1;24
            2023;ЕГЭ;11;rus;A1;s2;100
            2023;ЕГЭ;11;rus;B1;s3;90
            """.utf8), fileName: "scores.csv")
            _ = try await importer.importFile(.results, bytes: Array("""
            year;procedure;grade;subject;school;participants;m2;m3;m4;m5;below_min
            2023;ОГЭ;9;math;A1;8;0;3;5;0;0
            """.utf8), fileName: "results.csv")
            let coordinator = Browser(fixture.app), director = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await director.login("director-a")

            let page = try await coordinator.get("/reports?year=2023").body.string
            XCTAssertTrue(page.contains("/reports/ege-bands") && page.contains("/reports/oge-marks"), page)
            let query = "municipality=\(fixture.municipalityA)&year=2023"
            let bands = try await coordinator.get("/reports/ege-bands?\(query)&subject=rus&format=docx")
            XCTAssertEqual(bands.status, .ok)
            let rows = try WordContent(Data(buffer: bands.body)).tables.flatMap { $0 }
            XCTAssertTrue(rows.contains { $0.contains("ИТОГО") && $0.contains("2") }, "\(rows)")
            XCTAssertFalse(rows.contains { $0.contains { $0.contains("Белёвская") } }, "another municipality's school stays out")
            let marks = try await coordinator.get("/reports/oge-marks?\(query)&subject=math&format=xlsx")
            XCTAssertEqual(marks.status, .ok)
            XCTAssertTrue(try XLSX.read([UInt8](buffer: marks.body)).rows.contains { $0.cells.contains("ИТОГО") })

            let elsewhere = "/reports/ege-bands?municipality=\(fixture.municipalityB)&year=2023&subject=rus"
            try await assertEqualAsync(try await coordinator.get(elsewhere).status, .notFound)
            let own = "/reports/ege-bands?municipality=\(fixture.municipalityA)&year=2023&subject=rus"
            try await assertEqualAsync(try await director.get(own).status, .notFound)
            for path in ["/reports/ege-bands?municipality=\(fixture.municipalityA)&year=2023&subject=nope",
                         "/reports/oge-marks?municipality=\(fixture.municipalityA)&year=2023",
                         "/reports/schedule?programme=abc", "/reports/schedule?programme=999999"] {
                let response = try await coordinator.get(path)
                XCTAssertTrue([.badRequest, .notFound].contains(response.status), "\(path): \(response.status)")
            }
        }
    }
}
