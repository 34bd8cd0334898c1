import OporaDomain
import XCTest

@testable import OporaWeb

/// The public survey form's body: the largest questionnaire with every box ticked is read whole; a body no form can
/// make is read only up to its limit.
final class PublicFormBodyTests: XCTestCase {
    func testTheLargestQuestionnaireWithEveryBoxTickedIsReadWhole() {
        let questions = Questionnaire.maximumQuestions, options = Questionnaire.maximumOptions
        var pairs = ["token=abc", "csrf=x%20y"]
        for question in 1...questions {
            for option in 1...options { pairs.append("q\(question)=\(option)") }
        }
        let fields = PublicFormBody.parse(pairs.joined(separator: "&"))
        XCTAssertEqual(fields["q1"]?.count, options)
        XCTAssertEqual(fields["q\(questions)"], (1...options).map(String.init), "the last question keeps every ticked option")
        XCTAssertEqual(fields["csrf"], ["x y"])
        let hostile = PublicFormBody.parse(Array(repeating: "a=1", count: PublicFormBody.maximumFields + 500).joined(separator: "&"))
        XCTAssertEqual(hostile["a"]?.count, PublicFormBody.maximumFields, "a body no form makes is read up to the limit")
    }
}
