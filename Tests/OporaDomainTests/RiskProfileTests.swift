import Foundation
import OporaDomain
import XCTest

/// Risk factors, profiles and the management directions derived from them, with the Pervouralsk
/// programme's Tables 4–6 and the lists it printed beside them.
final class RiskProfileTests: XCTestCase {
    /// The lists the programme typed by hand under «Факторы риска с высокой значимостью…».
    static let printedLists: [String: [String]] = [
        "staff_shortage": ["3", "26", "28", "40"],
        "competence": ["3", "6", "11", "16", "22", "26", "28", "36"],
        "pd_system": ["3", "22", "28"],
        "equipment": ["11", "12", "16", "22", "26", "29", "36", "40"],
        "atmosphere": ["3", "6", "10", "11", "16", "22", "26", "28", "36"],
        "failure_risk": ["1", "11", "12", "16", "20", "29", "36", "40"],
        "ovz": ["1", "3", "6", "20"],
    ]

    /// Tables 4, 5 and 6 of the Pervouralsk programme 2023–2025 as one `risks` file, a row per school named in
    /// a cell, in the programme's own words (Russian headers, «;», factors as «1. Низкий уровень …», levels by name).
    static var seedFile: [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/pervouralsk-risks-2023.csv")
        return Array((try? Data(contentsOf: url)) ?? Data())
    }

    func testTheSeedTablesReadAsOneFileAndRepeatNothingThatDisagrees() throws {
        let table = try DelimitedTextReader.read(Self.seedFile, file: "risks.csv")
        let (ratings, warnings) = try RisksFile.parse(table, file: "risks.csv")
        // Schools 1 and 26 appear in two tables each (Table 6 repeats seven of their rows): the same ratings.
        XCTAssertEqual(warnings.count, 14)
        XCTAssertTrue(warnings.allSatisfy { $0.message.contains("та же оценка") })
        XCTAssertEqual(Set(ratings.map(\.school)).count, 15)
        XCTAssertEqual(table.rows.count, 150)
        XCTAssertEqual(ratings.count, 150 - 14)
        XCTAssertEqual(
            ratings.first,
            RiskRating(line: 2, year: 2023, school: "12", factor: 1, level: .high, source: "анкета «500+»", comment: "Таблица 4"))
    }

    /// The derived lists agree with three of the printed ones and disagree with four, as GUIDE §6 says.
    func testDerivedListsShowWhereTheProgrammesOwnListsDisagreeWithItsTables() throws {
        let table = try DelimitedTextReader.read(Self.seedFile, file: "risks.csv")
        let ratings = try RisksFile.parse(table, file: "risks.csv").records
        let lists = DirectionList.derive(ManagementDirection.pervouralsk, from: ratings, year: 2023)
        XCTAssertEqual(
            lists.map(\.direction.code),
            ["staff_shortage", "competence", "pd_system", "equipment", "atmosphere", "failure_risk", "ovz", "parents"])
        let byCode = Dictionary(uniqueKeysWithValues: lists.map { ($0.direction.code, $0.schools) })
        XCTAssertEqual(byCode["parents"], ["40"])
        XCTAssertEqual(byCode["atmosphere"], ["3", "6", "10", "12", "16", "20", "22", "26", "28", "36"])
        let disagreements = DirectionDisagreement.compare(derived: lists, printed: Self.printedLists)
        XCTAssertEqual(disagreements, [
            DirectionDisagreement(direction: "pd_system", missing: ["6", "26"], extra: []),
            DirectionDisagreement(direction: "atmosphere", missing: ["12", "20"], extra: ["11"]),
            DirectionDisagreement(direction: "failure_risk", missing: [], extra: ["11", "12", "20", "29"]),
            DirectionDisagreement(direction: "ovz", missing: ["16"], extra: ["20"]),
        ])
        XCTAssertEqual(lists.first { $0.direction.code == "atmosphere" }?.reasons["26"], [9])
    }

    func testConflictingRatingsAreRefusedWithBothLines() {
        let file = "year;school;factor;level\n2023;12;1;high\n2023;12;2;low\n2023;12;1. Низкий уровень оснащения школы;средняя\n"
        do {
            _ = try RisksFile.parse(try DelimitedTextReader.read(Array(file.utf8), file: "r.csv"), file: "r.csv")
            XCTFail("must be refused")
        } catch let rejected as ImportRejected {
            XCTAssertEqual(
                rejected.errors.map(\.description),
                ["r.csv:4: level: школа «12», фактор 1, 2023 год: здесь «средняя», а в строке r.csv:2 «высокая» — оставьте одну оценку"])
        } catch { XCTFail("\(error)") }
    }

    func testFactorsAndLevelsAreReadAsPeopleWriteThem() {
        let factors: [(String, Int?)] = [
            ("3", 3), ("3.", 3), (" фактор 12 ", 12), ("Дефицит педагогических кадров", 2), ("дефицит  педагогических КАДРОВ", 2),
            ("10. Низкий уровень вовлеченности родителей", 10), ("«Низкий уровень вовлечённости родителей»", 10),
            ("0", nil), ("13", nil), ("2. Низкий уровень оснащения школы", nil), ("оснащение", nil), ("", nil),
        ]
        for (text, expected) in factors { XCTAssertEqual(RiskFactor.number(parsing: text), expected, text) }
        let levels: [(String, RiskLevel?)] = [
            ("high", .high), ("Высокая", .high), ("средний", .medium), ("LOW", .low), ("не актуален", .notRelevant), ("none", .notRelevant),
            ("очень высокая", nil), ("1", nil),
        ]
        for (text, expected) in levels { XCTAssertEqual(RiskLevel(parsing: text), expected, text) }
        // An installation that renamed a factor reads files with its own name.
        var renamed = RiskFactor.catalogue
        renamed[0].name = "Слабая материальная база"
        XCTAssertEqual(RiskFactor.number(parsing: "слабая материальная база", catalogue: renamed), 1)
    }

    func testDirectionDefinitionsAreChecked() {
        XCTAssertEqual(ManagementDirection.problems(ManagementDirection.pervouralsk), [])
        XCTAssertEqual(ManagementDirection.problems([
            .init(code: "Кадры", name: "Кадры", factors: [2]),
            .init(code: "x", name: " ", factors: []),
            .init(code: "x", name: "Икс", factors: [13]),
        ]), [
            "направление «Кадры»: код — латинские строчные буквы, цифры и _",
            "направление «x»: нет названия",
            "направление «x»: нет ни одного фактора риска",
            "направление «x» встречается дважды",
            "направление «x»: фактора риска № 13 нет (номера от 1 до 12)",
        ])
    }
}

/// The risk-profile questionnaire and its documented mapping from answers to levels.
final class RiskQuestionnaireTests: XCTestCase {
    func testPointsMapToLevelsByShareOfTheMaximum() {
        let cases: [(points: Int, maximum: Int, level: RiskLevel)] = [
            (0, 6, .notRelevant), (1, 6, .low), (2, 6, .medium), (3, 6, .medium), (4, 6, .high), (6, 6, .high),
            (17, 30, .medium), (18, 30, .high), (8, 30, .low), (9, 30, .medium), (0, 0, .notRelevant),
        ]
        for (points, maximum, level) in cases {
            XCTAssertEqual(RiskQuestionnaire.level(points: points, maximum: maximum), level, "\(points) of \(maximum)")
        }
    }

    func testEveryFactorIsAskedAndOnlyCompleteFactorsAreRated() {
        let questionnaire = RiskQuestionnaire.fiocoThemes
        XCTAssertEqual(Set(questionnaire.questions.map(\.factor)), Set(RiskFactor.numbers))
        XCTAssertEqual(Set(questionnaire.questions.map(\.code)).count, questionnaire.questions.count)
        let answers = [
            "f1_equipment": 3, "f1_internet": 2, "f7_share": 0, "f7_support": 0, "f2_vacancies": 3, "f3_results": 1, "f3_methods": 9,
        ]
        let scores = questionnaire.scores(answers)
        XCTAssertEqual(scores.mapValues(\.level), [1: .high, 7: .notRelevant], "factor 2 half answered, factor 3 out of range: unrated")
        XCTAssertEqual(scores[1]?.points, 5)
        XCTAssertEqual(scores[1]?.maximum, 6)
    }

    /// docs/RISKS.md names every question and the bands, so the mapping stays documented.
    func testTheDocumentationListsEveryQuestion() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/RISKS.md"), encoding: .utf8)
        for question in RiskQuestionnaire.fiocoThemes.questions { XCTAssertTrue(doc.contains("`\(question.code)`"), question.code) }
        XCTAssertTrue(doc.contains("60 %") && doc.contains("30 %"))
    }
}
