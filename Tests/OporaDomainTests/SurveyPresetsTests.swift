import OporaDomain
import XCTest

/// The shipped questionnaires and the question-by-question edit form (issue 22).
final class SurveyPresetsTests: XCTestCase {
    func testThePresetsAreValidAndTheRiskOnesCoverTheTwelveFactorsFromFourGroups() throws {
        let presets = QuestionnairePresets.all
        XCTAssertEqual(presets.map(\.code), ["risk_director", "risk_teachers", "risk_pupils", "risk_parents", "parents_satisfaction",
                                             "teachers_training"])
        for preset in presets {
            XCTAssertEqual(try QuestionnaireDefinition.parse(QuestionnaireDefinition.tree(preset), file: preset.code), preset, preset.code)
        }
        let risk = presets.filter { $0.purpose == .risk }
        XCTAssertEqual(risk.map(\.groups), [[.director], [.teacher], [.pupil(grades: 5...11)], [.parent]])
        XCTAssertEqual(Set(risk.flatMap(\.riskMapping).map(\.factor)), Set(RiskFactor.numbers))
        for questionnaire in risk {
            for question in questionnaire.questions where question.kind.hasOptions {
                XCTAssertTrue(question.options.allSatisfy { !$0.risk.isEmpty }, "\(question.id): every answer is mapped")
            }
        }
        // The director's questionnaire is the «500+» themes: 24 questions, two per factor, 0–3 points.
        let director = QuestionnairePresets.riskDirector
        XCTAssertEqual(director.questions.count, 24)
        XCTAssertEqual(Dictionary(grouping: director.riskMapping, by: \.factor).mapValues { Set($0.map(\.questionID)).count },
                       Dictionary(uniqueKeysWithValues: RiskFactor.numbers.map { ($0, 2) }))
        XCTAssertEqual(QuestionnairePresets.parentsSatisfaction.purpose, .satisfaction)
        XCTAssertFalse(QuestionnairePresets.parentsSatisfaction.mapsRisks)
        XCTAssertEqual(QuestionnairePresets.teachersTraining.purpose, .training)
    }

    func testTheEditFormRoundTripsMovesQuestionsAndPlacesProblemsBesideThem() throws {
        let preset = QuestionnairePresets.riskParents
        var draft = QuestionnaireDraft(preset)
        XCTAssertEqual(draft.questions[0].options.split(separator: "\n").first, "всегда | 10:0")
        XCTAssertEqual(try QuestionnaireDefinition.parse(draft.tree(), file: "форма"), preset, "an untouched form saves the same content")

        draft.apply(.down(1))
        XCTAssertEqual(draft.questions.prefix(2).map(\.id), ["r_contact", "r_meetings"])
        draft.apply(.up(2))
        XCTAssertEqual(draft.questions.prefix(2).map(\.id), ["r_meetings", "r_contact"])
        draft.apply(.remove(2))
        XCTAssertEqual(draft.questions.count, preset.questions.count - 1)
        draft.apply(.add)
        XCTAssertEqual(draft.questions.last?.group, "parent", "a new question is for the group of the one above")
        XCTAssertEqual(draft.questions.last?.id, "q\(draft.questions.count)")
        XCTAssertEqual(QuestionnaireDraft.Action("up:3"), .up(3))
        XCTAssertNil(QuestionnaireDraft.Action("save"))

        // The new question is blank and an option line names factor 14: both shown beside their question numbers.
        draft.questions[0].options = "всегда | 14:1\nредко | 10:2"
        XCTAssertThrowsError(try QuestionnaireDefinition.parse(draft.tree(), file: "форма")) { error in
            let problems = (error as? QuestionnaireDefinitionError)?.problems ?? []
            XCTAssertEqual(Set(problems.map(\.line)), [1, draft.questions.count], "\(problems)")
            XCTAssertEqual(problems.last?.question, "q\(draft.questions.count)")
            XCTAssertEqual(problems.first?.message, "неизвестный фактор риска «14»; факторы — номера от 1 до 12")
        }
        XCTAssertTrue(QuestionnaireAccess.mayEdit(.regionalAnalyst))
        XCTAssertTrue(QuestionnaireAccess.mayEdit(.municipalCoordinator))
        XCTAssertFalse(QuestionnaireAccess.mayEdit(.curator))
        XCTAssertFalse(QuestionnaireAccess.mayEdit(.schoolAdmin))
    }
}
