import Foundation
import OporaDomain
import XCTest

final class TypographyTests: XCTestCase {
    func testNonBreakingSpacesWhereRussianTypesettingWantsThem() {
        let nb = "\u{00A0}"
        let cases: [(String, String)] = [
            ("успеваемость 64,3 %", "успеваемость 64,3\(nb)%"),
            ("курс 32 часа для 6 чел.", "курс 32\(nb)часа для 6\(nb)чел."),
            ("приказ № 14 от 11 января 2023 г.", "приказ №\(nb)14 от 11\(nb)января\(nb)2023\(nb)г."),
            ("85,5 %, региона 92 %;", "85,5\(nb)%, региона 92\(nb)%;"),
            ("в 2023 году", "в 2023 году"),
            ("без чисел и знаков", "без чисел и знаков"),
            ("", ""),
        ]
        for (text, expected) in cases { XCTAssertEqual(Typography.nonBreaking(text), expected, text) }
    }

    func testFiguresAreRecognisedForRightAlignment() {
        for figure in ["64,3", "−1,5", "1\u{00A0}500", "12 %", "—", "14 *1", "+3,2", "0"] {
            XCTAssertTrue(Typography.isFigure(figure), figure)
        }
        for text in ["Математика", "5 класс", "ВПР-2022", "", "*1", "10.09.2024 и далее"] {
            XCTAssertFalse(Typography.isFigure(text), text)
        }
    }
}

final class SpreadsheetNumberTests: XCTestCase {
    /// Excel and LibreOffice read «−3,5» (a typographic minus) and «1 500» (a non-breaking space) in a CSV as text.
    func testCSVNumbersAreWhatASpreadsheetReadsAsNumbers() {
        let cases: [(Double, String)] = [(-3.5, "-3,5"), (1500, "1500"), (-12345.678, "-12345,68"), (64.2857, "64,29"), (0, "0")]
        for (value, expected) in cases {
            XCTAssertEqual(RussianFormat.spreadsheetNumber(value), expected, "\(value)")
            XCTAssertNil(RussianFormat.spreadsheetNumber(value).rangeOfCharacter(from: CharacterSet(charactersIn: "−\u{00A0}\u{2009} ")))
        }
        XCTAssertEqual(RussianFormat.number(-3.5), "−3,5", "the page keeps the typographic minus")
    }
}
