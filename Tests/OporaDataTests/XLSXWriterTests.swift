@testable import OporaData
import OporaDomain
import XCTest
import ZIPFoundation

/// The rules every spreadsheet Opora writes keeps (Excel's naming and structure, typed cells, print set-up).
final class XLSXWriterTests: XCTestCase {
    func testSheetNamesFollowExcelsRules() {
        let cases: [(proposed: String, taken: [String], expected: String)] = [
            ("Паспорт школы: МКОУ «Липицкая СОШ»", [], "Паспорт школы МКОУ «Липицкая СО"),
            ("Итоги [2023/2024]? *", [], "Итоги 2023 2024"),
            ("'Лист'", [], "Лист"),
            ("   ", [], "Лист"),
            ("History", [], "History 1"),
            ("Школы", ["школы"], "Школы (2)"),
            ("Школы", ["Школы", "Школы (2)"], "Школы (3)"),
            ("Очень длинное название листа, больше тридцати одного знака", ["Очень длинное название листа, б"],
             "Очень длинное название лист (2)"),
        ]
        for (proposed, taken, expected) in cases {
            let name = XLSX.sheetName(proposed, taken: taken)
            XCTAssertEqual(name, expected, proposed)
            XCTAssertLessThanOrEqual(name.utf16.count, 31, proposed)
            XCTAssertNil(name.rangeOfCharacter(from: CharacterSet(charactersIn: ":\\/?*[]")), proposed)
        }
    }

    func testDatesAreDayNumbersAndReadBackAsDates() throws {
        XCTAssertEqual(CalendarDay(year: 2023, month: 2, day: 28).spreadsheetSerial, 44_985)
        XCTAssertEqual(CalendarDay(year: 1900, month: 3, day: 1).spreadsheetSerial, 61)
        XCTAssertEqual(CalendarDay(year: 2100, month: 12, day: 31).spreadsheetSerial, 73_415)
        for serial in [61, 36_526, 44_985, 45_351, 73_415] {
            XCTAssertEqual(CalendarDay(spreadsheetSerial: serial)?.spreadsheetSerial, serial)
        }
        XCTAssertEqual(CalendarDay(spreadsheetSerial: 45_351), CalendarDay(year: 2024, month: 2, day: 29))
        XCTAssertNil(CalendarDay(spreadsheetSerial: 0))

        let data = try XLSX.write(sheetName: "Мероприятия", rows: [
            [.text("Мероприятие"), .text("Выполнено"), .text("Участников")],
            [.text("Семинар"), .date(CalendarDay(year: 2024, month: 9, day: 10)), .integer(14)],
            [.text("Курсы"), .empty, .number(-3.5)],
        ])
        let sheet = try part(data, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(sheet.contains("<c r=\"B2\" s=\"3\"><v>45545</v></c>"), "a date is a typed cell in the date style: \(sheet)")
        XCTAssertTrue(sheet.contains("<v>14</v>"), "a count is written as 14, not 14.0")
        let table = try XLSX.read([UInt8](data))
        XCTAssertEqual(table.rows[0].cells, ["Семинар", "10.09.2024", "14"], "a typed date reads back as the date a person sees")
        XCTAssertEqual(table.rows[1].cells, ["Курсы", "", "-3.5"])
    }

    func testEverySheetIsSetUpForPrinting() throws {
        let wide = (1...12).map { SheetCell.text("Показатель номер \($0)") }
        let data = try XLSX.write([
            Worksheet(name: "Узкий: лист", rows: [[.text("Школа"), .text("Доля")], [.text("А"), .percent(64.2857)]]),
            Worksheet(name: "Широкий", rows: [wide, wide.map { _ in .number(1) }], headerRows: 1),
        ])
        let workbook = try part(data, "xl/workbook.xml")
        XCTAssertTrue(workbook.contains("<sheet name=\"Узкий лист\""), workbook)
        XCTAssertTrue(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Узкий лист'!$1:$1"), workbook)
        XCTAssertTrue(workbook.contains("localSheetId=\"1\""), "each sheet repeats its own header: \(workbook)")
        let narrow = try part(data, "xl/worksheets/sheet1.xml")
        let broad = try part(data, "xl/worksheets/sheet2.xml")
        XCTAssertTrue(narrow.contains("orientation=\"portrait\" fitToWidth=\"1\" fitToHeight=\"0\""), narrow)
        XCTAssertTrue(broad.contains("orientation=\"landscape\""), "a sheet wider than a portrait page turns: \(broad)")
        XCTAssertTrue(narrow.contains("<pageSetUpPr fitToPage=\"1\"/>") && narrow.contains("<oddFooter>"), narrow)
        XCTAssertTrue(narrow.contains("state=\"frozen\""), "the header stays in view")
        // A header wraps between words: its column is at least as wide as its longest word.
        let header = Worksheet(name: "Л", rows: [[.text("Образовательная организация"), .text("№")], [.text("А"), .integer(1)]])
        XCTAssertGreaterThanOrEqual(XLSX.columnWidths(header)[0], "Образовательная".count + 2)
    }

    func part(_ data: Data, _ path: String) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        var text = Data()
        _ = try archive.extract(try XCTUnwrap(archive[path]), consumer: { text.append($0) })
        return String(decoding: text, as: UTF8.self)
    }

    func testAChartIsDrawnFromTheSheetsOwnCells() throws {
        let chart = ReportChart(title: "Успеваемость", series: ["Школа", "Регион"],
                                groups: [("Математика", [64.3, 92]), ("Русский", [50, nil])])
        var sheet = Worksheet(name: "Карта: школа", rows: [[.text("Предмет"), .text("Школа, %"), .text("Регион, %")],
                                                          [.text("Математика"), .percent(64.3), .percent(92)],
                                                          [.text("Русский"), .percent(50), .empty]] + Array(repeating: [], count: 18))
        sheet.charts = [SheetChart(chart: chart, headerRow: 0, rows: 3..<21)]
        let data = try XLSX.write([sheet])
        XCTAssertTrue(try part(data, "[Content_Types].xml").contains("/xl/charts/chart1.xml"))
        XCTAssertTrue(try part(data, "xl/worksheets/sheet1.xml").contains("<drawing r:id=\"rIdDrawing\"/>"))
        XCTAssertTrue(try part(data, "xl/drawings/drawing1.xml").contains("<xdr:row>3</xdr:row>"))
        let xml = try part(data, "xl/charts/chart1.xml")
        XCTAssertTrue(xml.contains("<c:f>'Карта школа'!$A$2:$A$3</c:f>"), "categories from the sheet's cells: \(xml)")
        XCTAssertTrue(xml.contains("<c:f>'Карта школа'!$C$2:$C$3</c:f>"), "the second series from column C")
        XCTAssertEqual(try XLSX.read([UInt8](data)).rows.count, 2, "the rows left for the chart are empty")
    }
}
