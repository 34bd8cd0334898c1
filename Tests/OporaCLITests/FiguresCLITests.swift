import Foundation
import XCTest

extension CLITests {
    /// One rounding: 1 «2» of 22 pupils is 4,545… % below the minimum. `opora stats` table and CSV print 4,5 / 4.5 as
    /// the reports do; rounding the JSON's 4,55 again printed 4,6 (as 15 of 590 rates did).
    func testStatsAndTheReportPrintTheSameRoundedFigure() throws {
        let schools = try write("schools.csv", Array("""
        code;name;municipality;region
        R1;МКОУ «Раундовая СОШ»;Чернский район;Тульская область
        """.utf8))
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let results = try write("results.csv", Array("""
        year;procedure;grade;subject;school;participants;m2;m3;m4;m5
        2023;ВПР;5;math;R1;22;1;21;0;0
        2023;ВПР;5;rus;R1;14;5;7;2;0
        """.utf8))
        let imported = try opora(["import", "results", results])
        XCTAssertEqual(imported.status, 0, imported.stderr)

        let table = try opora(["stats", "--year", "2023", "--procedure", "VPR", "--grade", "5", "--subject", "math"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let row = try XCTUnwrap(table.stdout.split(separator: "\n").first { $0.hasPrefix("R1") }).split(separator: " ").map(String.init)
        XCTAssertTrue(row.contains("4,5") && !row.contains("4,6"), table.stdout)
        XCTAssertTrue(row.contains("95,5"), table.stdout)

        let csv = try opora(["stats", "--year", "2023", "--procedure", "VPR", "--format", "csv"])
        let lines = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let math = try XCTUnwrap(lines.first { $0.contains("math") })
        XCTAssertEqual(math[header.firstIndex(of: "below_min_rate")!], "4.5")
        let russian = try XCTUnwrap(lines.first { $0.contains("rus") })
        XCTAssertEqual(russian[header.firstIndex(of: "success_rate")!], "64.3", "seed 000: 5 of 14 failed")
        XCTAssertEqual(russian[header.firstIndex(of: "below_min_rate")!], "35.7")

        let json = try opora(["stats", "--year", "2023", "--procedure", "VPR", "--grade", "5", "--subject", "math", "--format", "json"])
        let element = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.first)
        XCTAssertEqual(try XCTUnwrap(element["below_min_rate"] as? Double), 4.55, accuracy: 1e-9, "JSON keeps its 2 decimals (CONTRACT)")

        let html = directory.appendingPathComponent("note.html").path
        let report = try opora(["report", "note", "--year", "2023", "--municipality", "Чернский район", "--out", html])
        XCTAssertEqual(report.status, 0, report.stderr)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(text.contains(">4,5<") && !text.contains(">4,6<"), "the note prints what stats prints")
        XCTAssertTrue(text.contains(">64,3<") && text.contains(">35,7<"))
    }

    /// A school without results for the year reads «нет данных», never «не соответствует критериям»; its JSON status
    /// stays "none" (CONTRACT).
    func testIdentifySaysNoDataForASchoolWithoutResults() throws {
        let schools = try write("schools.csv", Array("""
        code;name;municipality;region
        D1;МКОУ «Школа с данными»;Чернский район;Тульская область
        D2;МКОУ «Школа без данных»;Чернский район;Тульская область
        """.utf8))
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let results = try write("results.csv", Array("""
        year;procedure;grade;subject;school;participants;below_min
        2023;ВПР;5;math;D1;30;1
        """.utf8))
        XCTAssertEqual(try opora(["import", "results", results]).status, 0)
        let table = try opora(["identify", "--year", "2023"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let withoutData = try XCTUnwrap(table.stdout.split(separator: "\n").first { $0.hasPrefix("D2") })
        XCTAssertTrue(withoutData.contains("нет данных") && !withoutData.contains("не соответствует"), String(withoutData))
        let withData = try XCTUnwrap(table.stdout.split(separator: "\n").first { $0.hasPrefix("D1") })
        XCTAssertTrue(withData.contains("критериям отбора не соответствует"), String(withData))
        let json = try opora(["identify", "--year", "2023", "--format", "json"])
        let elements = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(elements.first { $0["school"] as? String == "D2" }?["status"] as? String, "none")
    }
}
