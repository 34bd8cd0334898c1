import Foundation
import OporaData
import XCTest

/// Issue 19, point 8, through the binary: `opora report ege-bands | oge-marks | schedule`, read back from Word and Excel.
extension CLITests {
    func loadExamShapes() throws {
        let schools = try write("schools.csv", """
        code;name;municipality;region
        A1;МБОУ «Арсентьевская СОШ»;Кемеровский округ;Кемеровская область
        B2;МБОУ «Барановская СОШ»;Кемеровский округ;Кемеровская область
        C3;МБОУ «Берёзовская СОШ»;Кемеровский округ;Кемеровская область

        """)
        // A: pupils at exactly 24 and 100; B: seed 003's Барановская (55, 62, 70 — mean 62,3); C: aggregates only.
        let scores = try write("scores.csv", """
        year;procedure;grade;subject;school;student;score;mark
        2023;ЕГЭ;11;rus;A1;s1;24;
        2023;ЕГЭ;11;rus;A1;s2;100;
        2023;ЕГЭ;11;rus;B2;s4;55;
        2023;ЕГЭ;11;rus;B2;s5;62;
        2023;ЕГЭ;11;rus;B2;s6;70;

        """)
        let results = try write("results.csv", """
        year;procedure;grade;subject;school;participants;m2;m3;m4;m5;below_min;mean_score
        2023;ЕГЭ;11;rus;C3;4;;;;;;60
        2023;ОГЭ;9;math;A1;2;0;2;0;0;0;
        2023;ОГЭ;9;math;B2;6;0;1;5;0;0;

        """)
        for (kind, file) in [("schools", schools), ("scores", scores), ("results", results)] {
            let run = try opora(["import", kind, file])
            XCTAssertEqual(run.status, 0, "\(kind): \(run.stderr)")
        }
    }

    func sheetRows(_ path: String) throws -> [[String]] {
        let table = try XLSX.read(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        return [table.header] + table.rows.map(\.cells)
    }

    func testEgeBandsAndOgeMarksThroughTheBinary() throws {
        try loadExamShapes()
        let docx = directory.appendingPathComponent("bands.docx").path
        let run = try opora(["report", "ege-bands", "--year", "2023", "--subject", "Русский язык", "--out", docx])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try wordText(docx)
        XCTAssertTrue(text.contains("0–23 | 24–39 | 40–49 | 50–59 | 60–69 | 70–79 | 80–89 | 90–99 | 100 | Ср. балл"), text)
        XCTAssertTrue(text.contains("МБОУ «Арсентьевская СОШ» | 2 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 62"), text)
        XCTAssertTrue(text.contains("МБОУ «Барановская СОШ» | 3 | 0 | 0 | 0 | 1 | 1 | 1 | 0 | 0 | 0 | 62,3"), text)
        XCTAssertTrue(text.contains("МБОУ «Берёзовская СОШ» | 4 | нет данных"), text)
        XCTAssertTrue(text.contains("ИТОГО *1 | 5 | 0 | 1 | 0 | 1 | 1 | 1 | 0 | 0 | 1 | 62,2"), text)

        let xlsx = directory.appendingPathComponent("bands.xlsx").path
        XCTAssertEqual(try opora(["report", "ege-bands", "--year", "2023", "--subject", "rus", "--out", xlsx]).status, 0)
        let rows = try sheetRows(xlsx)
        let baranovo = try XCTUnwrap(rows.first { $0.contains("МБОУ «Барановская СОШ»") }, "\(rows)")
        let name = baranovo.firstIndex(of: "МБОУ «Барановская СОШ»")!
        XCTAssertEqual(Array(baranovo[(name + 1)...(name + 10)]), ["3", "0", "0", "0", "1", "1", "1", "0", "0", "0"], "\(baranovo)")

        let marks = directory.appendingPathComponent("marks.docx").path
        let oge = try opora(["report", "oge-marks", "--year", "2023", "--municipality", "кемеровский округ", "--subject", "math",
                             "--out", marks])
        XCTAssertEqual(oge.status, 0, oge.stderr)
        // Seed 003's total: 8 pupils, 0 / 3 / 5 / 0, mean 3,625.
        let marksText = try wordText(marks)
        XCTAssertTrue(marksText.contains("ИТОГО | 8 | 0 | 3 | 5 | 0 | 0 | 3,63"), marksText)
        let marksSheet = directory.appendingPathComponent("marks.xlsx").path
        XCTAssertEqual(try opora(["report", "oge-marks", "--year", "2023", "--subject", "math", "--out", marksSheet]).status, 0)
        XCTAssertNotNil(try sheetRows(marksSheet).first { $0.contains("ИТОГО") && $0.contains("8") })
        let html = directory.appendingPathComponent("marks.html").path
        XCTAssertEqual(try opora(["report", "oge-marks", "--year", "2023", "--subject", "math", "--out", html]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains("ОГЭ-2023, математика: отметки по школам"))

        let unknown = try opora(["report", "ege-bands", "--year", "2023", "--subject", "алхимия", "--out", docx])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("Предмета «алхимия» нет в справочнике"), unknown.stderr)
        XCTAssertEqual(try opora(["report", "oge-marks", "--year", "2023", "--subject", "math", "--out", "marks.pdf"]).status, 2)
    }

    func testTable13ThroughTheBinary() throws {
        try loadSeed004()
        let docx = directory.appendingPathComponent("schedule.docx").path
        let run = try opora(["report", "schedule", "--programme", "P04", "--out", docx])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try wordText(docx)
        XCTAssertTrue(text.contains("Регламент сбора отчётных данных (таблица 13)"), text)
        XCTAssertTrue(text.contains("два раза в год | Май, сентябрь | мониторинг УО"), text)
        let xlsx = directory.appendingPathComponent("schedule.xlsx").path
        XCTAssertEqual(try opora(["report", "schedule", "--programme", "P04", "--out", xlsx]).status, 0)
        XCTAssertEqual(try sheetRows(xlsx).filter { $0.contains("мониторинг УО") }.count, 9)
        let missing = try opora(["report", "schedule", "--programme", "NOPE", "--out", docx])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("Программы с кодом «NOPE» нет"), missing.stderr)
    }
}
