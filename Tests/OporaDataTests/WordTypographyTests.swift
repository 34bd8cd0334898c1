import Foundation
@testable import OporaData
import OporaDomain
import OporaTestSupport
import XCTest
import ZIPFoundation

/// The Word writer typesets as Russian documents are printed.
final class WordTypographyTests: XCTestCase {
    func testTablesAlignFiguresSpanSectionsAndKeepHeaderWordsWhole() throws {
        var document = WordDocument(landscape: false)
        document.add(.paragraph("Таблица 1. Успеваемость", bold: true))
        document.add(.table(header: ["№", "Образовательная организация", "Успеваемость, %"],
                            rows: [["1. Раздел первый"], ["1.1.", "МКОУ «Липицкая СОШ»", "64,3 *1"], ["1.2.", "Школа № 2", "—"]],
                            widths: [1, 12, 1]))
        let xml = document.documentXML()
        XCTAssertTrue(xml.contains("<w:gridSpan w:val=\"3\"/>"), "a one-cell row spans the table")
        XCTAssertTrue(xml.contains("<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">64,3 *1</w:t>"),
                      "a figure aligns right")
        XCTAssertTrue(xml.contains("<w:keepNext/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Таблица"),
                      "a caption stays with its table")
        XCTAssertTrue(xml.contains("<w:cantSplit/>"))
        XCTAssertTrue(xml.contains("Школа №\u{00A0}2"))
        let twips = document.columnTwips(header: ["№", "Образовательная организация", "Успеваемость, %"], weights: [1, 12, 1])
        XCTAssertGreaterThanOrEqual(twips[2], "Успеваемость,".count * WordDocument.characterTwips, "the header's longest word fits")
        XCTAssertLessThanOrEqual(abs(twips.reduce(0, +) - document.textWidth), 3)
        let read = try WordContent(try document.data())
        XCTAssertEqual(read.tables[0][1], ["1. Раздел первый"])
        XCTAssertEqual(read.tables[0][3], ["1.2.", "Школа № 2", "—"])
        XCTAssertGreaterThan(read.nonBreakingSpaces, 0)
    }
}

/// Charts in Word are the office suite's own: every reader draws the title, legend, axes and values.
final class NativeChartTests: XCTestCase {
    func testAChartIsAPartWithItsWordsAndFigures() throws {
        let chart = ReportChart(title: "Успеваемость, ВПР-2022, 5 класс", series: ["Школа", "Регион"],
                                groups: [("Математика", [64.2857, 92]), ("Русский язык", [nil, 91])])
        var document = WordDocument(landscape: true)
        document.add(.chart(NativeChartPart(chart)))
        let archive = try Archive(data: try document.data(), accessMode: .read)
        func part(_ path: String) throws -> String {
            var data = Data()
            _ = try archive.extract(try XCTUnwrap(archive[path], path)) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        let xml = try part("word/charts/chart1.xml")
        for expected in ["<a:t>Успеваемость, ВПР-2022, 5 класс</a:t>", "<c:v>Школа</c:v>", "<c:v>Регион</c:v>", "<c:v>Математика</c:v>",
                         "<c:v>64.3</c:v>", "<c:showVal val=\"1\"/>", "<c:legendPos val=\"t\"/>", "<c:max val=\"100\"/>"] {
            XCTAssertTrue(xml.contains(expected), expected)
        }
        XCTAssertFalse(xml.contains("<c:pt idx=\"1\"><c:v>0</c:v>"), "a missing figure is no bar, not a zero")
        XCTAssertTrue(try part("[Content_Types].xml").contains("/word/charts/chart1.xml"))
        XCTAssertTrue(try part("word/_rels/document.xml.rels").contains("Target=\"charts/chart1.xml\""))
        XCTAssertTrue(try part("word/document.xml").contains("<c:chart xmlns:c="))
    }
}

/// Two-level headers as the seeds print them: «Успеваемость, %» over школа / муниципалитет / регион / Россия.
final class TwoLevelHeaderTests: XCTestCase {
    func testAGroupedHeaderIsTwoRowsInEveryFormat() throws {
        var report = ReportDocument(title: "Карта")
        report.table(ReportTable(title: "ВПР-2022, 5 класс", header: ["Предмет", "школа", "регион"],
                                 rows: [["Математика", .percent(64.3), .percent(92)]], widths: [3, 1, 1],
                                 groups: HeaderGroup.grouping(leading: 1, [("Успеваемость, %", 2)])))
        let word = ReportWriters.word(report).documentXML()
        XCTAssertTrue(word.contains("<w:gridSpan w:val=\"2\"/>") && word.contains("<w:vMerge w:val=\"restart\"/>"))
        XCTAssertTrue(word.contains("<w:vMerge/>"))
        XCTAssertEqual(word.components(separatedBy: "<w:tblHeader/>").count - 1, 2, "both header rows repeat on every page")
        let read = try WordContent(try ReportWriters.word(report).data())
        XCTAssertEqual(read.tables[0][0], ["Предмет", "Успеваемость, %"])
        XCTAssertEqual(read.tables[0][1], ["", "школа", "регион"])
        let html = ReportWriters.html(report)
        XCTAssertTrue(html.contains("<th rowspan=\"2\">Предмет</th><th colspan=\"2\">Успеваемость, %</th></tr>"
                                    + "<tr><th>школа</th><th>регион</th>"), html)
        let sheet = ReportWriters.worksheet(report)
        XCTAssertTrue(sheet.merges.contains("B4:C4") && sheet.merges.contains("A4:A5"), "\(sheet.merges)")
    }
}
