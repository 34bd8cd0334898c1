import Foundation
import XCTest
import ZIPFoundation

/// `opora import approved_list`, `opora list` and `opora report appendix` as a user runs them (CONTRACT.md).
extension CLITests {
    func load() throws {
        let schools = try write(
            "schools.csv",
            """
            code,name,municipality,region
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
            B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
            """)
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        // B1 is flagged by today's criteria, but no order lists it.
        let results = try write(
            "results.csv",
            """
            year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
            2023,VPR,6,math,B1,38,20,20,10,6,2
            2023,OGE,9,math,B1,29,20,20,5,3,1
            """)
        XCTAssertEqual(try opora(["import", "results", results]).status, 0)
    }

    func testImportListAndAppendixFollowTheOrdersInForce() throws {
        try load()
        // The appendix without any order: a clear message, exit 1, no file.
        let none = try opora(["report", "appendix", "--year", "2023", "--region", "Тульская область", "--out", "none.docx"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("нет приказа об утверждении перечня"), none.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("none.docx").path))

        let last = try write(
            "list-2022.csv",
            "year,school,order_number,order_date,territory\n2022,A1,198-од,15.10.2022,Чернский район\n"
                + "2022,A2,198-од,15.10.2022,Чернский район\n")
        let imported = try opora(["import", "approved_list", last])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("добавлено: 2"), imported.stdout)
        let order = try write(
            "list-2023.csv",
            """
            year,school,order_number,order_date,status,reason,territory,issuer
            2023,A1,21,15.03.2023,low_results_social,ИСБШ 3 и ВПР-2022 по математике в 6 классе 34 %,Чернский район,\
            Управление образования Чернского района
            """)
        XCTAssertEqual(try opora(["import", "approved_list", order]).status, 0)

        // A file with two orders, or a school outside its territory, changes nothing.
        let mixed = try write(
            "mixed.csv",
            "year,school,order_number,order_date,territory\n2023,A1,22,16.03.2023,Чернский район\n"
                + "2023,B1,22,16.03.2023,Чернский район\n2023,A2,23,16.03.2023,Чернский район\n")
        let refused = try opora(["import", "approved_list", mixed])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("mixed.csv:4: order_number: «23» — а в строке mixed.csv:2 «22»"), refused.stderr)
        let foreign = try write("foreign.csv", "year,school,order_number,order_date,territory\n2023,B1,22,16.03.2023,Чернский район\n")
        let outside = try opora(["import", "approved_list", foreign])
        XCTAssertEqual(outside.status, 1)
        XCTAssertTrue(
            outside.stderr.contains("foreign.csv:2: school: школы с кодом «B1» нет среди школ вашей области доступа"), outside.stderr)

        let json = try opora(["list", "--year", "2023", "--municipality", "Чернский район", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let lines = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(lines.count, 2, json.stdout)
        XCTAssertEqual(lines[0]["school"] as? String, "A1")
        XCTAssertEqual(lines[0]["name"] as? String, "МКОУ «Липицкая СОШ»")
        XCTAssertEqual(lines[0]["status"] as? String, "low_results_social")
        XCTAssertEqual(lines[0]["reason"] as? String, "ИСБШ 3 и ВПР-2022 по математике в 6 классе 34 %")
        XCTAssertEqual(lines[0]["order_number"] as? String, "21")
        XCTAssertEqual(lines[0]["order_date"] as? String, "2023-03-15")
        XCTAssertEqual(lines[0]["territory"] as? String, "Чернский район")
        XCTAssertEqual(lines[0]["change"] as? String, "stayed")
        // Those that left come last, with status "none".
        XCTAssertEqual(lines[1]["school"] as? String, "A2")
        XCTAssertEqual(lines[1]["status"] as? String, "none")
        XCTAssertEqual(lines[1]["change"] as? String, "left")
        XCTAssertEqual(lines[1]["reason"] as? String, "не соответствует критериям")

        let csv = try opora(["list", "--year", "2023", "--region", "Тульская область", "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let rows = csv.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.first, "school,name,status,reason,order_number,order_date,territory,change")
        XCTAssertEqual(rows.count, 3, csv.stdout)
        XCTAssertTrue(rows[1].hasPrefix("A1,"), rows[1])
        XCTAssertFalse(csv.stdout.contains("B1"), "no order lists the neighbouring district's school")

        let table = try opora(["list", "--year", "2023", "--municipality", "Чернский район"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("школ 1; вошли 0, остались 1, вышли 1"), table.stdout)

        let appendix = try opora(["report", "appendix", "--year", "2023", "--region", "Тульская область", "--out", "appendix.docx"])
        XCTAssertEqual(appendix.status, 0, appendix.stderr)
        let text = try wordText(directory.appendingPathComponent("appendix.docx").path)
        XCTAssertTrue(text.contains("Управление образования Чернского района от 15.03.2023 № 21"), text)
        XCTAssertTrue(text.contains("МКОУ «Липицкая СОШ»"), text)
        XCTAssertTrue(text.contains("ИСБШ 3 и ВПР-2022 по математике в 6 классе 34 %"), "the reason the order recorded")
        XCTAssertFalse(text.contains("Белёвская"), "today's criteria add no school")
        XCTAssertFalse(text.contains("Чернская СОШ № 1"), "a school that left is not printed")
    }
}
