import OporaDomain
import XCTest

/// The rules the remaining forms ask before they refuse (issue 24, «Forms»): a context value as its indicator reads it,
/// and the factors of the risk questionnaire begun but not finished.
final class RemainingFormsARulesTests: XCTestCase {
    func testAContextValueIsReadAsItsIndicatorReadsIt() {
        let cases: [(indicator: String, value: String, number: Double?, problem: String?)] = [
            ("isbs_group", "3", 3, nil),
            ("isbs_group", "14", nil, "группа от 1 до 11, а не «14»"),
            ("quality_group", "два", nil, "группа от 1 до 11, а не «два»"),
            ("single_parent", "27,5", 27.5, nil),
            ("single_parent", "120", nil, "доля в процентах от 0 до 100, а не «120»"),
            ("teachers_highest", "12", 12, nil),
            ("cluster", "сельская", nil, nil),
            ("cluster", String(repeating: "я", count: 201), nil, "не длиннее 200 символов, а введено 201; сократите текст"),
            ("isbs_group", String(repeating: "7", count: 45), nil, "группа от 1 до 11, а не «\(String(repeating: "7", count: 40))…»"),
        ]
        for item in cases {
            let read = ContextFile.read(item.indicator, item.value)
            XCTAssertEqual(read.number, item.number, "\(item.indicator) = \(item.value)")
            XCTAssertEqual(read.problem, item.problem, "\(item.indicator) = \(item.value)")
        }
        XCTAssertNil(ContextFile.codeProblem("teachers_highest"))
        XCTAssertEqual(ContextFile.codeProblem("учителя"), "«учителя»: код показателя — латинские буквы, цифры и _")
        XCTAssertNotNil(ContextFile.codeProblem("1st"))
    }

    func testTheFactorsBegunButNotFinishedAreNamed() {
        let questionnaire = RiskQuestionnaire.fiocoThemes
        let cases: [(answers: [String: Int], unfinished: [Int])] = [
            ([:], []),
            (["f1_equipment": 3], [1]),
            (["f1_equipment": 3, "f1_internet": 2], []),
            (["f1_equipment": 3, "f7_share": 0, "f2_vacancies": 1, "f2_load": 0], [1, 7]),
            (["f1_equipment": 3, "f1_internet": 99], [1]),  // an answer that is no answer does not count
        ]
        for item in cases {
            XCTAssertEqual(questionnaire.unfinished(item.answers), item.unfinished, "\(item.answers)")
        }
    }
}
