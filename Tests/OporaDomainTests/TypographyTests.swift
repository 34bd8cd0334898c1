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
