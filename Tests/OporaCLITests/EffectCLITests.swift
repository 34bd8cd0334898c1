import Foundation
import XCTest

/// `opora effect` and `opora report results` as a user runs them (CONTRACT.md; issue 21).
extension CLITests {
    /// Чернский район: S1–S5 listed for 2022 (27 % «2» → 14,5 %), C1–C5 never listed (25 % → 21 %), X1 out of range (5 %).
    func loadEffect() throws {
        let rows: [(String, (Int, Int), (Int, Int))] = [
            ("S1", (6, 4), (3, 2)), ("S2", (8, 4), (4, 4)), ("S3", (4, 4), (2, 2)), ("S4", (6, 6), (3, 3)), ("S5", (10, 2), (5, 1)),
            ("C1", (5, 5), (4, 4)), ("C2", (4, 4), (4, 4)), ("C3", (6, 6), (5, 5)), ("C4", (5, 4), (5, 3)), ("C5", (6, 5), (4, 4)),
            ("X1", (1, 1), (1, 1)),
        ]
        var schools = "code,name,municipality,region\n"
        var results = "year,procedure,grade,subject,school,participants,m2,m3,m4,m5\n"
        for (code, before, after) in rows {
            schools += "\(code),Школа \(code),Чернский район,Тульская область\n"
            for (year, pair) in [(2022, before), (2023, after)] {
                results += "\(year),VPR,5,math,\(code),20,\(pair.0),\(15 - pair.0),5,0\n"
                results += "\(year),VPR,6,rus,\(code),20,\(pair.1),\(15 - pair.1),5,0\n"
            }
        }
        XCTAssertEqual(try opora(["import", "schools", try write("schools.csv", schools)]).status, 0)
        XCTAssertEqual(try opora(["import", "results", try write("results.csv", results)]).status, 0)
    }

    func listOrder() throws {
        let list = "year,school,order_number,order_date,territory\n"
            + (1...5).map { "2022,S\($0),7,15.03.2022,Чернский район\n" }.joined()
        let imported = try opora(["import", "approved_list", try write("list.csv", list)])
        XCTAssertEqual(imported.status, 0, imported.stderr)
    }

    func testEffectAnswersAsTheContractSays() throws {
        try loadEffect()
        // No order for 2022 yet: nobody is «supported» — exit 1 with a Russian message.
        let none = try opora(["effect", "--from", "2022", "--to", "2023", "--procedure", "VPR", "--municipality", "Чернский район"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("нет приказа об утверждении перечня"), none.stderr)
        try listOrder()

        let run = try opora(["effect", "--from", "2022", "--to", "2023", "--procedure", "VPR", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let supported = try XCTUnwrap(json["supported"] as? [String: Any])
        let comparison = try XCTUnwrap(json["comparison"] as? [String: Any])
        XCTAssertEqual(supported["schools"] as? Int, 5)
        XCTAssertEqual(try XCTUnwrap(supported["before"] as? Double), 27, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(supported["after"] as? Double), 14.5, accuracy: 1e-9)
        XCTAssertEqual(comparison["schools"] as? Int, 5, "X1 is outside the supported schools' range")
        XCTAssertEqual(try XCTUnwrap(comparison["before"] as? Double), 25, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(comparison["after"] as? Double), 21, accuracy: 1e-9)
        let effect = try XCTUnwrap(json["effect"] as? Double)
        XCTAssertEqual(effect, -8.5, accuracy: 1e-9)
        let interval = try XCTUnwrap(json["ci95"] as? [Double])
        XCTAssertEqual(interval.count, 2)
        XCTAssertTrue(interval[0] <= effect && effect <= interval[1], "\(interval)")
        XCTAssertEqual(json["enough"] as? Bool, true)
        let schools = try XCTUnwrap(json["schools"] as? [[String: Any]])
        XCTAssertEqual(schools.count, 10)
        let first = try XCTUnwrap(schools.first { $0["school"] as? String == "S1" })
        XCTAssertEqual(first["group"] as? String, "supported")
        XCTAssertEqual(try XCTUnwrap(first["before"] as? Double), 25, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(first["after"] as? Double), 12.5, accuracy: 1e-9)
        XCTAssertEqual(schools.first { $0["school"] as? String == "C1" }?["group"] as? String, "comparison")
        // The same answer twice: a fixed seed.
        let again = try opora(["effect", "--from", "2022", "--to", "2023", "--procedure", "VPR", "--format", "json"])
        XCTAssertEqual(again.stdout, run.stdout)

        let success = try opora(["effect", "--from", "2022", "--to", "2023", "--procedure", "ВПР", "--metric", "success_rate",
                                 "--municipality", "Чернский район", "--format", "json"])
        let successJSON = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(success.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(successJSON["effect"] as? Double), 8.5, accuracy: 1e-9)

        let table = try opora(["effect", "--from", "2022", "--to", "2023", "--procedure", "VPR", "--region", "Тульская область"])
        XCTAssertEqual(table.status, 0, table.stderr)
        for expected in ["Поддержанные", "Сопоставимые", "Эффект поддержки: −8,5 п. п.", "27", "14,5", "Все вне перечней"] {
            XCTAssertTrue(table.stdout.contains(expected), "«\(expected)» in\n\(table.stdout)")
        }
        let csv = try opora(["effect", "--from", "2022", "--to", "2023", "--procedure", "VPR", "--format", "csv"])
        XCTAssertTrue(csv.stdout.hasPrefix("row,school,group,schools,before,after,effect,ci95_lower,ci95_upper,enough"), csv.stdout)
        XCTAssertTrue(csv.stdout.contains("main,,effect,,,,-8.5,"), csv.stdout)

        for bad in [["--metric", "mean_mark"], ["--procedure", "XYZ"]] {
            var arguments = ["effect", "--from", "2022", "--to", "2023", "--procedure", "VPR"]
            arguments += bad
            XCTAssertEqual(try opora(arguments).status, 2, "\(bad)")
        }
        XCTAssertEqual(try opora(["effect", "--from", "2023", "--to", "2022", "--procedure", "VPR"]).status, 2)
    }

    func testTooFewSchoolsAreNotJudged() throws {
        try loadEffect()
        let list = "year,school,order_number,order_date,territory\n2022,S1,7,15.03.2022,Чернский район\n"
        XCTAssertEqual(try opora(["import", "approved_list", try write("list.csv", list)]).status, 0)
        let run = try opora(["effect", "--from", "2022", "--to", "2023", "--procedure", "VPR", "--format", "json"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["enough"] as? Bool, false)
        XCTAssertEqual((json["supported"] as? [String: Any])?["schools"] as? Int, 1)
        let table = try opora(["effect", "--from", "2022", "--to", "2023", "--procedure", "VPR"])
        XCTAssertTrue(table.stdout.contains("недостаточно школ, чтобы судить"), table.stdout)
    }

    func testReportResultsWritesTheProgrammesEnd() throws {
        try loadEffect()
        try listOrder()
        let programme = "code,name,start,end,level,territory\n"
            + "P21,Программа поддержки школ,2022-01-01,2023-12-31,municipality,Чернский район\n"
        XCTAssertEqual(try opora(["import", "programmes", try write("programmes.csv", programme)]).status, 0)
        let out = directory.appendingPathComponent("results.html").path
        let run = try opora(["report", "results", "--programme", "P21", "--from", "2022", "--to", "2023", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        for expected in ["Итоги программы", "Поддержанные школы", "Школа S1", "Эффект поддержки: −8,5 п. п.", "регрессией к среднему"] {
            XCTAssertTrue(html.contains(expected), "«\(expected)»")
        }
        let missing = try opora(["report", "results", "--programme", "P99", "--from", "2022", "--to", "2023", "--out", out])
        XCTAssertEqual(missing.status, 1)
    }
}
