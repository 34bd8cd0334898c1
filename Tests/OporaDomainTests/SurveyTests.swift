import OporaDomain
import XCTest

/// Questionnaires as data (issue 22): answers checked, tallies, the small-N rule and the proposed risk profile.
final class SurveyTests: XCTestCase {
    /// Teachers: one single choice mapped to factors 3 and 5, one multiple choice mapped to 11, a scale, a number and
    /// a text. Parents: one single choice mapped to 10.
    static let sample = Questionnaire(code: "risk_test", title: "Проба", purpose: .risk, questions: [
        Question(id: "methods", text: "Трудно ли работать со слабыми учениками?", kind: .singleChoice, group: .teacher, options: [
            AnswerOption(text: "нет", risk: [3: 0]), AnswerOption(text: "иногда", risk: [3: 1]),
            AnswerOption(text: "часто", risk: [3: 2, 5: 1]), AnswerOption(text: "постоянно", risk: [3: 3, 5: 2]),
        ]),
        Question(id: "signs", text: "Что вы замечаете?", kind: .multipleChoice, required: false, group: .teacher, options: [
            AnswerOption(text: "пропуски", risk: [11: 2]), AnswerOption(text: "невыполненные задания", risk: [11: 1]),
            AnswerOption(text: "ничего из этого"),
        ]),
        Question(id: "climate", text: "Оцените климат в коллективе", kind: .scale(1...5), group: .teacher),
        Question(id: "hours", text: "Часов методической работы в месяц", kind: .number(min: 0, max: 200), required: false, group: .teacher),
        Question(id: "wish", text: "Чему хотели бы научиться?", kind: .text(maxLength: 40), required: false, group: .teacher),
        Question(id: "meetings", text: "Ходите ли вы на собрания?", kind: .singleChoice, group: .parent, options: [
            AnswerOption(text: "всегда", risk: [10: 0]), AnswerOption(text: "иногда", risk: [10: 1]), AnswerOption(text: "никогда", risk: [10: 2]),
        ]),
    ])

    func testGroupsHaveCodesAndRussianNames() {
        let cases: [(RespondentGroup, String, String)] = [
            (.director, "director", "Директор"), (.teacher, "teacher", "Учителя"),
            (.pupil(grades: 5...9), "pupil_5_9", "Ученики 5–9 классов"), (.parent, "parent", "Родители"),
        ]
        for (group, code, name) in cases {
            XCTAssertEqual(group.code, code)
            XCTAssertEqual(group.russianName, name)
            XCTAssertEqual(RespondentGroup(code: code), group)
        }
        XCTAssertNil(RespondentGroup(code: "pupil_9_5"))
        XCTAssertNil(RespondentGroup(code: "pupil_0_12"))
        XCTAssertEqual(Self.sample.groups, [.teacher, .parent])
        XCTAssertEqual([RespondentGroup.parent, .pupil(grades: 10...11), .director, .pupil(grades: 5...9)].sorted(),
                       [.director, .pupil(grades: 5...9), .pupil(grades: 10...11), .parent])
    }

    func testAFormIsReadIntoTypedAnswersOrRussianErrorsPerQuestion() {
        let good = SurveyAnswerValidation.validate(Self.sample, group: .teacher, fields: [
            "q_methods": ["2"], "q_signs": ["1", "0"], "q_climate": ["4"], "q_hours": ["12,5"], "q_wish": [" Формирующее оценивание "],
            "q_meetings": ["2"], "unrelated": ["x"],
        ])
        XCTAssertTrue(good.isValid, "\(good.errors)")
        XCTAssertEqual(good.answers, ["methods": .choice(2), "signs": .choices([0, 1]), "climate": .scale(4), "hours": .number(12.5),
                                      "wish": .text("Формирующее оценивание")], "a parents' question is not the teachers' to answer")

        let bad = SurveyAnswerValidation.validate(Self.sample, group: .teacher, fields: [
            "q_methods": ["7"], "q_signs": ["0", "0"], "q_climate": ["6"], "q_hours": ["201"], "q_wish": ["a\u{202E}b"],
        ])
        XCTAssertEqual(bad.errors, [
            "methods": "Выберите один из вариантов",
            "signs": "Выберите варианты из списка",
            "climate": "Выберите оценку от 1 до 5",
            "hours": "Введите число от 0 до 200",
            "wish": "Ответ недопустимый символ U+202E (невидимая смена направления текста); удалите его",
        ])
        let empty = SurveyAnswerValidation.validate(Self.sample, group: .teacher, fields: [:])
        XCTAssertEqual(empty.errors, ["methods": "Ответьте на этот вопрос", "climate": "Ответьте на этот вопрос"],
                       "optional questions may stay empty")
        let long = SurveyAnswerValidation.validate(Self.sample, group: .teacher, fields: [
            "q_methods": ["0"], "q_climate": ["3"], "q_wish": [String(repeating: "я", count: 41)], "q_hours": ["1e3"],
        ])
        XCTAssertEqual(long.errors["wish"], "Ответ не длиннее 40 символов, а введено 41; сократите текст")
        XCTAssertEqual(long.errors["hours"], "Введите число")
        let huge = SurveyAnswerValidation.validate(Self.sample, group: .teacher, fields: [
            "q_methods": [String(repeating: "1", count: 20_000)], "q_climate": ["3", "4"],
        ])
        XCTAssertEqual(huge.errors["methods"], "Слишком длинный ответ")
        XCTAssertEqual(huge.errors["climate"], "Выберите оценку от 1 до 5")
    }

    func testTalliesAddUpFromSchoolToMunicipalityToRegionAndHideFewerThanFiveAnswers() {
        func response(_ methods: Int, _ climate: Int, hours: Double? = nil) -> [String: SurveyAnswer] {
            var answers: [String: SurveyAnswer] = ["methods": .choice(methods), "climate": .scale(climate)]
            if let hours { answers["hours"] = .number(hours) }
            return answers
        }
        let schoolA = SurveyTally.of(Self.sample, responses: [response(0, 5, hours: 10), response(2, 4), response(2, 3, hours: 20)])
        let schoolB = SurveyTally.of(Self.sample, responses: [response(3, 2), response(1, 1, hours: 6)])
        let schoolC = SurveyTally.of(Self.sample, responses: [response(3, 5), response(3, 5), response(0, 4), response(1, 4),
                                                                response(2, 3), response(0, 3)])
        XCTAssertEqual(schoolA.questions["methods"]?.optionCounts, [1, 0, 2, 0])
        XCTAssertEqual(schoolA.questions["climate"]?.mean, 4)
        XCTAssertEqual(schoolA.questions["hours"]?.mean, 15)
        XCTAssertNil(schoolA.shown("methods"), "3 answers: hidden")

        let municipality = schoolA + schoolB
        XCTAssertEqual(municipality.respondents, 5)
        XCTAssertEqual(municipality.questions["methods"]?.optionCounts, [1, 1, 2, 1])
        XCTAssertEqual(municipality.shown("climate")?.mean, 3, "(5+4+3+2+1)/5; five answers are shown")
        XCTAssertNil(municipality.shown("hours"), "three numbers only")
        XCTAssertEqual(municipality.questions["hours"]?.mean, 12)

        let region = SurveyTally.sum([municipality, schoolC])
        XCTAssertEqual(region, schoolA + schoolB + schoolC)
        XCTAssertEqual(region.questions["methods"]?.optionCounts, [3, 2, 3, 3])
        XCTAssertEqual(region.questions["climate"]?.scaleCounts, [1, 1, 3, 3, 3])
        XCTAssertEqual(region.questions["climate"]?.mean ?? 0, 39.0 / 11, accuracy: 1e-9)
        XCTAssertEqual(region.questions["methods"]?.percent(option: 3) ?? 0, 300.0 / 11, accuracy: 1e-9)
        XCTAssertTrue(SmallSample.isHidden(answered: 4))
        XCTAssertFalse(SmallSample.isHidden(answered: 5))
        XCTAssertEqual(SmallSample.hiddenMessage, "менее 5 ответов — не показываем")
    }

    /// Worked by hand. Factor 3: four teachers chose «часто» (2), «постоянно» (3), «нет» (0), «часто» (2) = 7 of
    /// 4 × 3 = 12 points, 58 % → medium. Factor 5: 1 + 2 + 0 + 1 = 4 of 4 × 2 = 8, 50 % → medium. Factor 11 (multiple
    /// choice, two teachers answered): {пропуски, задания} 3 + {ничего} 0 = 3 of 2 × 3 = 6, 50 % → medium. Factor 10:
    /// parents «никогда» ×3 (2) and «всегда» ×1 (0) = 6 of 4 × 2 = 8, 75 % → high.
    func testTheProposedRiskProfileOnHandComputedAnswers() throws {
        let teachers: [[String: SurveyAnswer]] = [
            ["methods": .choice(2), "signs": .choices([0, 1])], ["methods": .choice(3)], ["methods": .choice(0), "signs": .choices([2])],
            ["methods": .choice(2)],
        ]
        let parents: [[String: SurveyAnswer]] = [["meetings": .choice(2)], ["meetings": .choice(2)], ["meetings": .choice(0)],
                                                  ["meetings": .choice(2)]]
        let profile = ProposedRiskProfile.propose(Self.sample, responses: teachers + parents)
        XCTAssertEqual(Set(profile.factors.keys), [3, 5, 10, 11], "no answers behind the other factors: no proposal")
        let three = try XCTUnwrap(profile.factors[3])
        XCTAssertEqual([three.points, three.maximum, three.answered], [7, 12, 4])
        XCTAssertEqual(three.level, .medium)
        XCTAssertEqual(three.evidence.map { "\($0.answer) ×\($0.count) по \($0.points)" }, ["часто ×2 по 2", "постоянно ×1 по 3", ])
        let five = try XCTUnwrap(profile.factors[5])
        XCTAssertEqual([five.points, five.maximum], [4, 8])
        XCTAssertEqual(five.level, .medium)
        let eleven = try XCTUnwrap(profile.factors[11])
        XCTAssertEqual([eleven.points, eleven.maximum, eleven.answered], [3, 6, 2])
        XCTAssertEqual(eleven.level, .medium)
        let ten = try XCTUnwrap(profile.factors[10])
        XCTAssertEqual([ten.points, ten.maximum], [6, 8])
        XCTAssertEqual(ten.level, .high)
        XCTAssertEqual(ten.percent, 75)
        XCTAssertEqual(ten.evidence.first?.group, .parent)

        let calm = ProposedRiskProfile.propose(Self.sample, responses: Array(repeating: ["methods": .choice(0)], count: 5))
        XCTAssertEqual(calm.factors[3]?.level, .notRelevant, "no points at all: «не актуален»")
        XCTAssertEqual(ProposedRiskProfile.propose(Self.sample, responses: [["methods": .choice(1)]]).factors[3]?.level, .medium,
                       "1 of 3 = 33 %")
        XCTAssertEqual(ProposedRiskProfile.source, "анкетирование")
    }

    func testTheRiskMappingTableListsEveryOptionThatGivesPoints() {
        let rows = Self.sample.riskMapping.filter { $0.points > 0 }
        XCTAssertEqual(rows.count, 9)
        let first = rows.first
        XCTAssertEqual([first?.questionID, first?.answer, first.map { "\($0.option) \($0.factor) \($0.points)" }], ["methods", "иногда", "1 3 1"])
        XCTAssertEqual(first?.group, .teacher)
        XCTAssertTrue(Self.sample.mapsRisks)
        XCTAssertEqual(Self.sample.question("signs")?.maximumPoints(factor: 11), 3)
    }

    func testADefinitionTreeReadsBackAsTheSameQuestionnaire() throws {
        let tree = QuestionnaireDefinition.tree(Self.sample)
        XCTAssertEqual(try QuestionnaireDefinition.parse(tree, file: "проба"), Self.sample)
    }

    func testAMalformedTreeIsRefusedNamingTheQuestionAndLine() {
        func s(_ text: String, _ line: Int) -> DefinitionNode { .scalar(text, line: line) }
        func m(_ line: Int, _ entries: (String, DefinitionNode)...) -> DefinitionNode {
            .map(entries.map { DefinitionEntry(key: $0.0, value: $0.1) }, line: line)
        }
        let tree = m(1, ("code", s("x", 1)), ("title", s("Проба", 2)), ("questions", .list([
            m(4, ("id", s("a", 4)), ("group", s("pupil", 5)), ("kind", s("single", 6)), ("text", s("Вопрос", 7))),
            m(8, ("id", s("a", 8)), ("group", s("parent", 9)), ("kind", s("slider", 10)), ("text", s("Вопрос", 11))),
        ], line: 3)))
        XCTAssertThrowsError(try QuestionnaireDefinition.parse(tree, file: "анкета.yaml")) { error in
            XCTAssertEqual("\(error)", """
                анкета.yaml:4: вопрос «a»: у вопроса с выбором нет вариантов ответа: нужен список «options»
                анкета.yaml:5: вопрос «a»: для учеников нужны классы: «grades: 5-9» (с какого по какой класс)
                анкета.yaml:10: вопрос «a»: неизвестный вид вопроса «slider»; допустимы: single, multiple, scale, number, text
                """)
        }
    }
}
