import Foundation
import XCTest

/// `opora questionnaire import | list | export` as a user runs them (issue 22).
extension CLITests {
    static let questionnaireYAML = """
        code: parents_meetings
        title: Родители и школа
        purpose: risk
        questions:
          - id: meetings
            group: parent
            kind: single
            text: Как часто вы бываете на родительских собраниях?
            options:
              - text: всегда
              - text: никогда
                risk: {10: 2}
        """

    func testQuestionnaireImportListAndExport() throws {
        let bad = try write("плохая.yaml", Self.questionnaireYAML.replacingOccurrences(of: "{10: 2}", with: "{13: 2}"))
        let refused = try opora(["questionnaire", "import", bad])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("плохая.yaml:12: вопрос «meetings»: неизвестный фактор риска «13»"), refused.stderr)
        XCTAssertTrue(try opora(["questionnaire", "list"]).stdout.contains("Анкет нет"), "a refused file writes nothing")

        let file = try write("родители.yaml", Self.questionnaireYAML)
        let first = try opora(["questionnaire", "import", file])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, "Анкета «Родители и школа» (parents_meetings) сохранена: версия 1\n")
        let again = try opora(["questionnaire", "import", file])
        XCTAssertEqual(again.stdout, "Анкета «Родители и школа» (parents_meetings) не изменилась: версия 1\n")
        let changed = try write("родители-2.json", """
            {"code": "parents_meetings", "title": "Родители и школа", "purpose": "risk", "questions": [
              {"id": "meetings", "group": "parent", "kind": "single", "text": "Бываете ли вы на собраниях?",
               "options": [{"text": "всегда"}, {"text": "никогда", "risk": {"10": 2}}]}]}
            """)
        XCTAssertEqual(try opora(["questionnaire", "import", changed]).stdout,
                       "Анкета «Родители и школа» (parents_meetings) сохранена: версия 2\n")

        let list = try opora(["questionnaire", "list", "--format", "json"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(list.stdout, #"[{"code":"parents_meetings","groups":["parent"],"purpose":"risk","questions":1,"#
                       + #""title":"Родители и школа","version":2}]"# + "\n")

        let exported = try opora(["questionnaire", "export", "parents_meetings", "--version", "1"])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        XCTAssertTrue(exported.stdout.contains("text: Как часто вы бываете на родительских собраниях?"), exported.stdout)
        // The export reads back as the same version: importing it changes nothing but makes the text of version 1 the newest.
        let roundTrip = try write("export.yaml", exported.stdout)
        XCTAssertEqual(try opora(["questionnaire", "import", roundTrip]).stdout,
                       "Анкета «Родители и школа» (parents_meetings) сохранена: версия 3\n")
        XCTAssertEqual(try opora(["questionnaire", "import", file]).stdout,
                       "Анкета «Родители и школа» (parents_meetings) не изменилась: версия 3\n", "the export is the file's content")
        let missing = try opora(["questionnaire", "export", "nothing"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("Анкеты «nothing» нет"), missing.stderr)
    }
}
