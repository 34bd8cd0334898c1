import Foundation
import XCTest

/// Issue 19: `opora report order` and `opora report passport`, and `--executor` / `--approver` on every report,
/// read back from the Word files as a person reads them.
extension CLITests {
    func loadOrder() throws {
        let schools = try write(
            "schools.csv",
            """
            code,name,municipality,region
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
            B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
            """)
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let order = try write(
            "order.csv",
            """
            year,school,order_number,order_date,status,reason,territory,issuer
            2023,A1,21,15.03.2023,low_results_social,ИСБШ 3 и ВПР-2022 по математике в 6 классе 34 %,Чернский район,\
            Управление образования Чернского района
            """)
        XCTAssertEqual(try opora(["import", "approved_list", order]).status, 0)
    }

    func testReportOrderIsTheOrderInForceWithItsAppendixAndItsSignatures() throws {
        try loadOrder()
        let signed = ["--executor", "Иванова Мария Петровна, +7 (48756) 2-11-22",
                      "--approver", "Начальник управления образования, Петрова Анна Сергеевна"]
        let run = try opora(["report", "order", "--year", "2023", "--municipality", "Чернский район", "--out", "order.docx"] + signed)
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try wordText(directory.appendingPathComponent("order.docx").path)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(lines.first, "Управление образования Чернского района", "the issuing body heads the order")
        for expected in ["ПРИКАЗ", "от 15.03.2023 № 21", "ПРИКАЗЫВАЮ:",
                         "Начальник управления образования ________________ Петрова Анна Сергеевна",
                         "Исполнитель: Иванова Мария Петровна, тел. +7 (48756) 2-11-22"] {
            XCTAssertTrue(lines.contains(expected), "«\(expected)» in\n\(text)")
        }
        XCTAssertTrue(lines.contains {
            $0.hasPrefix("Об утверждении перечня школ с низкими образовательными результатами") && $0.hasSuffix("на 2023 год")
        })
        XCTAssertTrue(lines.contains { $0.hasPrefix("Дата подготовки: ") })
        XCTAssertTrue(text.contains("МКОУ «Липицкая СОШ»"), "the appendix")
        XCTAssertTrue(text.contains("ИСБШ 3 и ВПР-2022 по математике в 6 классе 34 %"), "the reason the order recorded")
        XCTAssertFalse(text.contains("Чернская СОШ № 1"), "only the schools the order lists")

        // The appendix alone is approved: «УТВЕРЖДАЮ» with the approver's name and the order.
        let appendix = try opora(["report", "appendix", "--year", "2023", "--municipality", "Чернский район",
                                  "--out", "appendix.docx"] + signed)
        XCTAssertEqual(appendix.status, 0, appendix.stderr)
        let appendixLines = try wordText(directory.appendingPathComponent("appendix.docx").path).split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(appendixLines.prefix(5)), ["УТВЕРЖДАЮ", "Начальник управления образования",
                                                         "________________ Петрова Анна Сергеевна", "приказ от 15.03.2023 № 21",
                                                         "Управление образования Чернского района"])

        // No order for the neighbouring district: a message, exit 1, no file; a bad --executor is bad usage.
        let none = try opora(["report", "order", "--year", "2023", "--municipality", "Белёвский район", "--out", "none.docx"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("нет приказа об утверждении перечня"), none.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("none.docx").path))
        let bad = try opora(["report", "order", "--year", "2023", "--executor", ", 2-11-22", "--out", "bad.docx"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--executor"), bad.stderr)
    }

    func testReportPassportAndExecutorOnEveryReport() throws {
        try loadOrder()
        let programmes = try write(
            "programmes.csv",
            """
            code,name,start,end,level,territory,order_number,order_date,goal
            P04,Муниципальная программа поддержки ШНОР на 2023-2025 годы,2023-01-01,2025-12-31,municipality,Чернский район,14,11.01.2023,\
            Повышение качества образования в школах с низкими результатами
            """)
        let imported = try opora(["import", "programmes", programmes])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let run = try opora(["report", "passport", "--programme", "P04", "--out", "passport.docx",
                             "--executor", "Иванова Мария Петровна, 2-11-22",
                             "--approver", "Начальник управления образования, Петрова А. С."])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try wordText(directory.appendingPathComponent("passport.docx").path)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(6)), ["УТВЕРЖДАЮ", "Начальник управления образования", "________________ Петрова А. С.",
                                                 "приказ от 11.01.2023 № 14", "Управление образования Чернского района",
                                                 "Паспорт программы"], text)
        XCTAssertTrue(text.contains("Цель | Повышение качества образования в школах с низкими результатами"), text)
        XCTAssertTrue(text.contains("Срок реализации | 01.01.2023 — 31.12.2025"), text)
        XCTAssertTrue(lines.contains("Исполнитель: Иванова Мария Петровна, тел. 2-11-22"))
        let missing = try opora(["report", "passport", "--programme", "NOPE", "--out", "x.docx"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("Программы с кодом «NOPE» нет"), missing.stderr)

        // The school card carries its issuing body, date of preparation and executor, and no «УТВЕРЖДАЮ».
        let card = try opora(["report", "school", "--school", "A1", "--year", "2023", "--out", "card.html",
                              "--executor", "Иванова Мария Петровна, 2-11-22"])
        XCTAssertEqual(card.status, 0, card.stderr)
        let html = try String(contentsOf: directory.appendingPathComponent("card.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<p class=\"issuer\">Управление образования Чернского района</p>"), html)
        XCTAssertTrue(html.contains("<p>Исполнитель: Иванова Мария Петровна, тел. 2-11-22</p>"))
        XCTAssertTrue(html.contains("<p>Дата подготовки: "))
        XCTAssertFalse(html.contains("УТВЕРЖДАЮ"), "a card is not approved")
    }
}
