import OporaDomain
import XCTest

/// Issue 24, point 4: the rule of the import preview (`ImportChanges.compare`) and the words an official reads in
/// it — every column of every file kind named in Russian, issues without the command line's `FILE:LINE`.
final class ImportChangesRulesTests: XCTestCase {
    func testCompareListsAddedChangedAndRemovedRowsAndCapsTheLists() {
        let before: [[String]: [String]] = [["A"]: ["1", "x"], ["B"]: ["2", "y"], ["C"]: ["3", "z"]]
        let after: [(key: [String], values: [String])] = [
            (["A"], ["1", "x"]), (["B"], ["5", "y"]), (["B"], ["2", "w"]), (["D"], ["4", ""]), (["E"], ["6", ""]),
        ]
        let changes = ImportChanges.compare(keyColumns: ["Код"], valueColumns: ["Число", "Текст"], before: before, after: after,
                                            removes: { $0 == ["C"] }, cap: 1)
        XCTAssertEqual(changes.changed.map(\.key), [["B"]])
        XCTAssertEqual(changes.changed.first?.cells.map { [$0.column, $0.old, $0.new] }, [["Текст", "y", "w"]],
                       "a key twice: the last row wins, as the importers do")
        XCTAssertEqual([changes.addedCount, changes.added.count], [2, 1])
        XCTAssertEqual(changes.added.map(\.key), [["D"]])
        XCTAssertEqual(changes.removed.map(\.key), [["C"]])
        XCTAssertEqual(changes.unchangedCount, 1)
        let keeps = ImportChanges.compare(keyColumns: ["Код"], valueColumns: ["Число"], before: [["Z"]: ["1"]], after: [])
        XCTAssertTrue(keeps.isEmpty, "a kind that replaces nothing removes nothing")
    }

    static let schemas: [(ImportKind, TableSchema)] = [
        (.schools, SchoolFile.schema), (.results, ResultFiles.resultsSchema), (.scores, ResultFiles.scoresSchema),
        (.thresholds, ResultFiles.thresholdsSchema), (.benchmarks, ResultFiles.benchmarksSchema), (.context, ContextFile.schema),
        (.risks, RisksFile.schema), (.programmes, ProgrammeFiles.programmesSchema), (.roadmap, ProgrammeFiles.roadmapSchema),
        (.indicators, ProgrammeFiles.indicatorsSchema), (.indicatorValues, ProgrammeFiles.valuesSchema), (.events, EventsFile.schema),
        (.staff, StaffFiles.staffSchema), (.specialists, StaffFiles.specialistsSchema), (.approvedList, ApprovedListFile.schema),
        (.tasks, ResultFiles.tasksSchema), (.taskScores, ResultFiles.taskScoresSchema), (.markScales, ResultFiles.markScalesSchema),
        (.taskBenchmarks, ResultFiles.taskBenchmarksSchema),
    ]

    func testEveryColumnOfEveryKindHasARussianName() {
        XCTAssertEqual(Set(Self.schemas.map(\.0)), Set(ImportKind.allCases))
        for (kind, schema) in Self.schemas {
            for column in schema.columns.map(\.name) {
                let russian = ImportColumnNames.russian(column, kind: kind)
                XCTAssertNotEqual(russian, column, "\(kind.rawValue).\(column)")
                XCTAssertNotNil(russian.range(of: "[А-Яа-яЁё№]", options: .regularExpression), "\(kind.rawValue).\(column): \(russian)")
            }
        }
        XCTAssertEqual(ImportColumnNames.russian("tutor", kind: .specialists), "Тьютор")
        XCTAssertEqual(ImportColumnNames.russian("number", kind: .roadmap), "№ п/п")
    }

    func testIssuesReadWithoutTheCommandLine() {
        let cases: [(ImportIssue, ImportKind, place: String, column: String, message: String)] = [
            (ImportIssue(file: "f.csv", line: 1, column: "participants", message: "нет обязательного столбца «participants»"), .results,
             "Заголовок", "Участников", "нет обязательного столбца «Участников»"),
            (ImportIssue(file: "staff.csv", line: 7, column: "person",
                         message: "педагог «T-1» уже записан за 2024 год в строке staff.csv:3"),
             .staff, "Строка 7", "Код работника", "педагог «T-1» уже записан за 2024 год в строке 3"),
            (ImportIssue(file: "e.csv", line: 4, column: "event", message: "пустое значение в столбце «hours»"), .events,
             "Строка 4", "Мероприятие (код)", "пустое значение в столбце «Часов»"),
            (ImportIssue(file: "s.csv", line: 0, column: "", message: "файл пуст"), .specialists, "Файл", "", "файл пуст"),
        ]
        for (issue, kind, place, column, message) in cases {
            let shown = issue.forOfficial(kind)
            XCTAssertEqual([shown.place, shown.column, shown.message], [place, column, message], issue.description)
        }
    }
}
