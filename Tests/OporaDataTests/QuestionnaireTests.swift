import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Questionnaires as data (issue 22): definitions read from YAML and JSON or refused naming the question and line;
/// versions (same content → none, changed → the next, an answered version never changes); on both engines.
final class QuestionnaireTests: XCTestCase {
    static let yaml = """
        code: parents_meetings
        title: Родители и школа
        purpose: risk
        questions:
          - id: meetings
            group: parent
            kind: single
            text: "Как часто вы бываете на родительских собраниях?"
            options:
              - text: всегда
              - text: иногда
                risk: {10: 1}
              - text: никогда
                risk: {10: 2}
          - id: interest
            group: pupil
            grades: 5-9
            kind: scale
            text: Насколько тебе интересно на уроках?
          - id: remarks
            group: parent
            kind: text
            max_length: 300
            required: false
            text: Что бы вы изменили в школе?
        """

    func testAYamlDefinitionIsReadAndWrittenBackTheSame() throws {
        let questionnaire = try QuestionnaireFile.read(Self.yaml, file: "родители.yaml")
        XCTAssertEqual(questionnaire.code, "parents_meetings")
        XCTAssertEqual(questionnaire.purpose, .risk)
        XCTAssertEqual(questionnaire.groups, [.pupil(grades: 5...9), .parent])
        XCTAssertEqual(questionnaire.questions.map(\.kind), [.singleChoice, .scale(1...5), .text(maxLength: 300)])
        XCTAssertEqual(questionnaire.questions[0].options.map(\.risk), [[:], [10: 1], [10: 2]])
        XCTAssertEqual(questionnaire.questions.map(\.required), [true, true, false])
        let exported = try QuestionnaireFile.yaml(questionnaire)
        XCTAssertTrue(exported.contains("title: Родители и школа"), exported)
        XCTAssertEqual(try QuestionnaireFile.read(exported, file: "export.yaml"), questionnaire)
        let json = QuestionnaireFile.json(questionnaire)
        XCTAssertTrue(json.hasPrefix(#"{"code":"parents_meetings","title":"Родители и школа","purpose":"risk","questions":"#), json)
        XCTAssertEqual(try QuestionnaireFile.read(json, file: "анкета.json"), questionnaire)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(json.utf8)), "the stored text is JSON")
    }

    func testAMalformedDefinitionIsRefusedNamingTheQuestionAndLine() {
        let cases: [(String, String)] = [
            (Self.yaml.replacingOccurrences(of: "id: interest", with: "id: meetings"),
             "анкета.yaml:15: вопрос «meetings»: такой id уже есть у вопроса в строке 5; id вопросов не повторяются"),
            (Self.yaml.replacingOccurrences(of: "kind: single", with: "kind: dropdown"),
             "анкета.yaml:7: вопрос «meetings»: неизвестный вид вопроса «dropdown»; допустимы: single, multiple, scale, number, text"),
            (Self.yaml.replacingOccurrences(of: "{10: 2}", with: "{13: 2}"),
             "анкета.yaml:14: вопрос «meetings»: неизвестный фактор риска «13»; факторы — номера от 1 до 12"),
            (Self.yaml.replacingOccurrences(of: "    grades: 5-9\n", with: ""),
             "анкета.yaml:16: вопрос «interest»: для учеников нужны классы: «grades: 5-9» (с какого по какой класс)"),
            (Self.yaml.replacingOccurrences(of: "kind: scale", with: "kind: scale\n    max: 10"),
             "анкета.yaml:19: вопрос «interest»: шкала — от 1 до 5 баллов, а указано 1–10"),
            (Self.yaml.replacingOccurrences(of: """
                    options:
                      - text: всегда
                      - text: иногда
                        risk: {10: 1}
                      - text: никогда
                        risk: {10: 2}

                """, with: ""),
             "анкета.yaml:5: вопрос «meetings»: у вопроса с выбором нет вариантов ответа: нужен список «options»"),
            (Self.yaml.replacingOccurrences(of: "max_length: 300", with: "max_length: много"),
             "анкета.yaml:23: вопрос «remarks»: «max_length»: ожидается целое число, а указано «много»"),
            (Self.yaml.replacingOccurrences(of: "    text: Что бы", with: "    txt: Что бы"),
             "анкета.yaml:20: вопрос «remarks»: нет поля «text»\nанкета.yaml:25: вопрос «remarks»: неизвестное поле «txt»; допустимы: "
                + "grades, group, id, kind, max, max_length, min, options, required, text"),
            ("code: x\ntitle: [\n", "анкета.yaml:3: файл не читается как YAML или JSON: did not find expected node content"),
            ("{\"code\": \"x\", \"title\": \"Т\", \"questions\": [\n {\"id\": \"a\", \"group\": \"teacher\", \"kind\": \"multiple\",\n"
                + "  \"text\": \"В\", \"options\": [\"да\"]}]}",
             "анкета.yaml:3: вопрос «a»: у вопроса с выбором нужно не меньше двух вариантов ответа, а указано 1"),
            ("code: x\ntitle: Т\nquestions: []\n", "анкета.yaml:3: в анкете нет ни одного вопроса"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try QuestionnaireFile.read(text, file: "анкета.yaml"), expected) { error in
                XCTAssertEqual("\(error)", expected)
            }
        }
    }

    /// Answered versions come from the campaigns' tables; here a stand-in says which.
    struct Answered: QuestionnaireAnswerLookup {
        let ids: Set<Int>
        func answeredVersions(among versionIDs: [Int], on db: any Database) async throws -> Set<Int> { ids.intersection(versionIDs) }
    }

    func testSameContentMakesNoVersionAndAnAnsweredVersionNeverChanges() async throws {
        try await TestEngines.withEachStore { store in
            let repository = QuestionnaireRepository(db: store.db)
            let actor = Actor(userID: nil, login: "analyst")
            let (first, created) = try await repository.importDefinition(Self.yaml, file: "родители.yaml", actor: actor)
            XCTAssertEqual(created, .created)
            XCTAssertEqual(first.version, 1)
            let (same, unchanged) = try await repository.importDefinition(Self.yaml + "\n# комментарий\n", file: "родители.yaml",
                                                                          actor: actor)
            XCTAssertEqual(unchanged, .unchanged, "same content: no new version")
            XCTAssertEqual(same.id, first.id)

            let changed = Self.yaml.replacingOccurrences(of: "Родители и школа", with: "Родители и школа (2024)")
            let (second, outcome) = try await repository.importDefinition(changed, file: "родители.yaml", actor: actor)
            XCTAssertEqual(outcome, .created)
            XCTAssertEqual(second.version, 2)
            let value1 = try await repository.versions(code: "parents_meetings").map(\.version)
            XCTAssertEqual(value1, [2, 1])
            let value2 = try await repository.latest(code: "parents_meetings")?.title
            XCTAssertEqual(value2, "Родители и школа (2024)")
            let value3 = try await repository.version(id: first.id)?.title
            XCTAssertEqual(value3, "Родители и школа", "version 1 kept as it was")
            let value4 = try await repository.list().map(\.version)
            XCTAssertEqual(value4, [2])

            // An edit of the unanswered latest version changes it in place …
            var edited = second.questionnaire
            edited.questions[0].text = "Бываете ли вы на собраниях?"
            let (inPlace, replaced) = try await repository.save(edited, actor: actor, expectedVersionID: second.id, replacingUnanswered: true)
            XCTAssertEqual(replaced, .replaced)
            XCTAssertEqual(inPlace.id, second.id)
            XCTAssertEqual(inPlace.version, 2)
            // … an answered one is kept and the edit becomes version 3.
            let answered = QuestionnaireRepository(db: store.db, answers: Answered(ids: [second.id]))
            let value5 = try await answered.isAnswered(versionID: second.id)
            XCTAssertTrue(value5)
            let value6 = try await answered.isAnswered(versionID: first.id)
            XCTAssertFalse(value6)
            edited.questions[0].text = "Приходите ли вы на собрания?"
            let (third, added) = try await answered.save(edited, actor: actor, expectedVersionID: second.id, replacingUnanswered: true)
            XCTAssertEqual(added, .created)
            XCTAssertEqual(third.version, 3)
            let value7 = try await repository.version(id: second.id)?.questionnaire.questions[0].text
            XCTAssertEqual(value7, "Бываете ли вы на собраниях?")
            // A form opened on version 2 cannot overwrite version 3.
            do {
                try await answered.save(edited, actor: actor, expectedVersionID: second.id, replacingUnanswered: true)
                XCTFail("a stale form was saved")
            } catch let error as RepositoryError {
                XCTAssertEqual(error, .conflict(entity: "анкета"))
            }
            let audit = try await store.sql.raw("SELECT action, summary FROM audit_log WHERE entity = 'questionnaire' ORDER BY id")
                .all().map { try "\($0.decode(column: "action", as: String.self)) \($0.decode(column: "summary", as: String.self))" }
            XCTAssertEqual(audit.count, 4, "\(audit)")
            XCTAssertEqual(audit.last, "create Сохранена анкета «Родители и школа (2024)» (parents_meetings), версия 3")

            // A refused file writes nothing.
            let bad = Self.yaml.replacingOccurrences(of: "kind: scale", with: "kind: slider").replacingOccurrences(of: "Родители", with: "Р")
            do {
                try await repository.importDefinition(bad, file: "плохая.yaml", actor: actor)
                XCTFail("a malformed file was saved")
            } catch let error as QuestionnaireDefinitionError {
                XCTAssertEqual(error.problems.first?.question, "interest")
            }
            let value8 = try await repository.versions(code: "parents_meetings").count
            XCTAssertEqual(value8, 3)
        }
    }

    func testThePresetsInstallOnceAndReadBack() async throws {
        try await TestEngines.withEachStore { store in
            let repository = QuestionnaireRepository(db: store.db)
            let installed = try await repository.installPresets()
            XCTAssertEqual(installed.map(\.code), QuestionnairePresets.all.map(\.code))
            let value9 = try await repository.installPresets().count
            XCTAssertEqual(value9, 0, "a second start installs nothing")
            for preset in QuestionnairePresets.all {
                let value10 = try await repository.latest(code: preset.code)?.questionnaire
                XCTAssertEqual(value10, preset)
            }
        }
    }
}
