import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// «Отчёты» on both engines: each document for the user's scope only, with the figures of the results pages.
final class ReportPagesTests: XCTestCase {
    func testReportsFollowTheUsersScope() async throws {
        try await WebFixture.onEachEngine { fixture in
            _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(.results, bytes: Array("""
            year;procedure;grade;subject;school;participants;m2;m3;m4;m5
            2022;ВПР;5;math;A1;14;5;7;2;0
            2022;ВПР;5;math;A2;60;6;30;20;4
            2022;ВПР;5;math;B1;40;4;20;12;4
            """.utf8), fileName: "r.csv")
            let coordinator = Browser(fixture.app), other = Browser(fixture.app), director = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await other.login("coord-b")
            try await director.login("director-a")

            let page = try await coordinator.get("/reports").body.string
            XCTAssertTrue(page.contains("Паспорт школы") && page.contains("Аналитическая справка") && page.contains("Приложение к приказу"))
            let note = try await coordinator.get("/reports/note?municipality=\(fixture.municipalityA)&year=2022&format=docx")
            XCTAssertEqual(note.status, .ok)
            let word = try WordContent(Data(buffer: note.body))
            let rows = word.tables.flatMap { $0 }
            XCTAssertTrue(rows.contains { $0.first == "МКОУ «Липицкая СОШ»" && $0.contains("64,3") }, "\(rows.prefix(6))")
            XCTAssertFalse(rows.contains { $0.first?.contains("Белёвская") == true }, "a coordinator's note holds only its municipality")
            XCTAssertTrue(rows.contains { $0.first == "Регион" && $0.contains { $0.hasPrefix("— *") } }, "a missing benchmark is flagged")
            XCTAssertTrue(word.landscape)
            let html = try await coordinator.get("/reports/note?municipality=\(fixture.municipalityA)&year=2022&format=html")
            XCTAssertEqual(html.headers.contentType?.subType, "html")
            XCTAssertTrue(html.body.string.contains("64,3"))
            let xlsx = try await coordinator.get("/reports/school?school=\(fixture.schoolA)&year=2022&format=xlsx")
            XCTAssertEqual(xlsx.status, .ok)
            XCTAssertTrue(
                try XLSX.read([UInt8](buffer: xlsx.body)).rows.contains { $0.cells.contains("64.28571428571429") }, "a number in Excel")
            try await assertEqualAsync(
                try await coordinator.get("/reports/note?municipality=\(fixture.municipalityB)&year=2022").status, .notFound)
            try await assertEqualAsync(try await coordinator.get("/reports/school?school=\(fixture.schoolB)&year=2022").status, .notFound)
            try await assertEqualAsync(try await other.get("/reports/school?school=\(fixture.schoolA)&year=2022").status, .notFound)
            try await assertEqualAsync(try await coordinator.get("/reports/appendix.docx?year=2022").status, .ok)

            // A school's administrator gets its own school's card, nothing else.
            try await assertEqualAsync(try await director.get("/reports/school?school=\(fixture.schoolA)&year=2022").status, .ok)
            try await assertEqualAsync(try await director.get("/reports/school?school=\(fixture.schoolA2)&year=2022").status, .notFound)
            try await assertEqualAsync(
                try await director.get("/reports/note?municipality=\(fixture.municipalityA)&year=2022").status, .notFound)
            try await assertEqualAsync(try await director.get("/reports/appendix.docx?year=2022").status, .forbidden)
            try await assertFalseAsync(try await director.get("/reports").body.string.contains("Аналитическая справка"))
            for path in [
                "/reports/school?school=abc&year=2022", "/reports/school?school=1&year=-9223372036854775808", "/reports/note?year=2022",
                "/reports/school?school=\(fixture.schoolA)&year=2022&format=exe", "/reports/appendix.docx",
            ] {
                let response = try await coordinator.get(path)
                XCTAssertTrue([.badRequest, .notFound].contains(response.status), "\(path): \(response.status)")
            }
        }
    }
}
