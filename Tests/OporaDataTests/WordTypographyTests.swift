@testable import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

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
