import Foundation
import OporaDomain
import XCTest

final class CatalogueAndFormatTests: XCTestCase {
    func testProcedureCodes() {
        let cases: [(String, ProcedureCode?)] = [("VPR", .vpr), ("впр", .vpr), ("ВПР", .vpr), (" ОГЭ ", .oge), ("ЕГЭ", .ege),
                                                 ("ГВЭ", .gve), ("term", .term), ("DIAG", .diag), ("PISA", .pisa), ("НИКО", nil)]
        for (text, expected) in cases { XCTAssertEqual(ProcedureCode(parsing: text), expected, text) }
    }

    func testSubjectsResolveByCodeNameOrAlias() {
        let cases: [(String, String?)] = [("rus", "rus"), ("Русский язык", "rus"), ("русский  ЯЗЫК", "rus"), ("Математика", "math"),
                                          ("Окружающий мир", "world"), ("math_prof", "math_prof"), ("Математика (профиль)", "math_prof"),
                                          ("Астрономия", nil)]
        for (text, expected) in cases { XCTAssertEqual(SubjectCatalogue.resolve(text)?.code, expected, text) }
    }

    func testSettlement() {
        XCTAssertEqual(Settlement(parsing: "Сельская"), .rural)
        XCTAssertEqual(Settlement(parsing: "urban"), .urban)
        XCTAssertNil(Settlement(parsing: "хутор"))
    }

    func testAcademicYearLabels() {
        let cases: [(String, Int?)] = [
            ("2022/23", 2022), ("2022/2023", 2022), ("2022–2023", 2022), ("2022/24", nil), ("2022", nil), ("1899/00", nil),
        ]
        for (text, expected) in cases { XCTAssertEqual(AcademicYearLabel(parsing: text)?.startYear, expected, text) }
        XCTAssertEqual(AcademicYearLabel(startYear: 2022).label, "2022/23")
        XCTAssertEqual(AcademicYearLabel(startYear: 2009).label, "2009/10")
        XCTAssertEqual(AcademicYearLabel(startYear: 2022).examYear, 2023)
    }

    func testRussianNumbers() {
        let cases: [(Double, Int, String)] = [(94.5, 1, "94,5"), (64.2857, 1, "64,3"), (100, 1, "100"), (0, 1, "0"), (-1.25, 2, "−1,25"),
                                              (71.25, 2, "71,25"), (12345.6, 1, "12\u{00A0}345,6"), (1500, 0, "1500"), (-0.04, 1, "0")]
        for (value, digits, expected) in cases { XCTAssertEqual(RussianFormat.number(value, digits: digits), expected, "\(value)") }
        XCTAssertEqual(RussianFormat.signedDifference(3.21), "+3,2")
        XCTAssertEqual(RussianFormat.signedDifference(-1.5), "−1,5")
        XCTAssertEqual(RussianFormat.signedDifference(0.01), "0")
        XCTAssertEqual(RussianFormat.optionalNumber(nil), "—")
        XCTAssertEqual(RussianFormat.integer(125000), "125\u{00A0}000")
    }

    func testRussianDates() {
        let date = RussianFormat.parseDate("28.02.2023")!
        XCTAssertEqual(RussianFormat.date(date), "28.02.2023")
        XCTAssertEqual(RussianFormat.parseDate("2023-02-28"), date)
        XCTAssertNil(RussianFormat.parseDate("30.02.2023"))
        XCTAssertNil(RussianFormat.parseDate("28/02/2023"))
        XCTAssertEqual(RussianFormat.dateTime(Date(timeIntervalSince1970: 0)), "01.01.1970 00:00")
    }
}
