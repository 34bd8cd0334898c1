import Foundation
import FluentKit
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

final class ResultsImportTests: XCTestCase {
    let schools =
        "code;name;municipality;region\nL1;МКОУ «Липицкая СОШ»;Чернский район;Тульская область\nL2;МБОУ «Чернская СОШ № 1»;Чернский " +
        "район;Тульская область\n"

    func prepare(_ store: OporaStore) async throws {
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(.schools, bytes: Array(schools.utf8), fileName: "schools.csv")
    }

    func importer(_ store: OporaStore) -> Importer { Importer(db: store.db, actor: .commandLine) }

    /// 14 students of grade 5 (seed 000 mathematics): five «2», seven «3», two «4»; term marks and primary scores.
    func scoresCSV(separator: String = ",", decimal: String = ".") -> String {
        var lines = [
            ["year", "procedure", "grade", "subject", "school", "student", "mark", "term_mark", "primary_score"]
                .joined(separator: separator)
        ]
        let marks = [2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4]
        let terms = [3, 3, 3, 2, 2, 3, 3, 4, 4, 3, 3, 3, 4, 5]
        for (index, mark) in marks.enumerated() {
            let primary = "\(index + 3)\(decimal)5"
            lines.append(
                ["2022", "VPR", "5", "math", "L1", "S\(index + 1)", String(mark), String(terms[index]), primary].joined(
                    separator: separator))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func stats(_ store: OporaStore, _ filter: ResultFilter = ResultFilter(year: 2022, procedure: .vpr)) async throws -> [SchoolWorkResult] {
        try await ResultsRepository(db: store.db).results(filter, scope: .everything)
    }

    func testStudentsAndAggregatesGiveTheSameMetrics() async throws {
        try await TestEngines.withEachStore { store in
            try await prepare(store)
            _ = try await importer(store).importFile(.scores, bytes: Array(scoresCSV().utf8), fileName: "scores.csv")
            let results = """
            year;procedure;grade;subject;school;participants;m2;m3;m4;m5;lowered;confirmed;raised
            2022;ВПР;5;Математика;L2;14;5;7;2;0;6;8;0
            """
            _ = try await importer(store).importFile(.results, bytes: Array(results.utf8), fileName: "results.csv")
            let rows = try await stats(store)
            XCTAssertEqual(rows.count, 2)
            guard let fromStudents = rows.first(where: { $0.source == .students }),
                let fromAggregate = rows.first(where: { $0.source == .aggregate })
            else {
                return XCTFail("one row from students and one from aggregates expected: \(rows)")
            }
            XCTAssertEqual(
                fromStudents.counts,
                ResultCounts(participants: 14, m2: 5, m3: 7, m4: 2, m5: 0, belowMin: 5, lowered: 6, confirmed: 8, raised: 0))
            XCTAssertEqual(fromStudents.metrics(), fromAggregate.metrics(), "the same students give the same answer either way")
            XCTAssertEqual(fromStudents.metrics().successRate!, 64.2857, accuracy: 0.0001)
        }
    }

    func testWindows1251SemicolonDecimalCommaTwinGivesTheSameNumbers() async throws {
        try await TestEngines.withEachStore { store in
            try await prepare(store)
            let russianHeader = scoresCSV(separator: ";", decimal: ",")
                .replacingOccurrences(of: "year;procedure;grade;subject;school;student;mark;term_mark;primary_score",
                                      with: "Год;Процедура;Класс;Предмет;Код ОО;Код участника;Отметка;Отметка по журналу;Первичный балл")
                .replacingOccurrences(of: ";VPR;", with: ";ВПР;").replacingOccurrences(of: ";math;", with: ";Математика;")
            _ = try await importer(store).importFile(.scores, bytes: Array(scoresCSV().utf8), fileName: "utf8.csv")
            let utf8 = try await stats(store)
            _ = try await importer(store).importFile(.scores, bytes: TextEncoding.utf8ToWindows1251(russianHeader), fileName: "cp1251.csv")
            let cp1251 = try await stats(store)
            XCTAssertEqual(utf8, cp1251)
            let stored = try await (store.db as! any SQLDatabase).raw(
                "SELECT g.students, r.rows FROM score_groups g JOIN score_group_rows r ON r.group_id = g.id"
            ).all()
            XCTAssertEqual(stored.count, 1)
            XCTAssertEqual(try stored[0].decode(column: "students", as: Int.self), 14, "re-import replaces, it does not double")
            let rows = try StudentRowsCodec.decode(try stored[0].decode(column: "rows", as: Data.self))
            XCTAssertEqual(rows.count, 14)
            XCTAssertEqual(rows.first { $0.student == "S1" }?.result.primaryScore, 3.5, "decimal comma read as 3,5")
        }
    }

    func testOneBadRowChangesNothingAndNamesTheLine() async throws {
        try await TestEngines.withEachStore { store in
            try await prepare(store)
            var bad = scoresCSV()
            bad += "2022,VPR,5,math,L1,S99,6,4,3.5\n"       // line 16: mark outside 2–5
            bad += "2022,VPR,5,math,L1,S3,3,3,1\n"          // line 17: S3 twice
            bad += "2022,VPR,5,math,XX,S100,3,3,1\n"        // line 18: unknown school
            do {
                _ = try await importer(store).importFile(.scores, bytes: Array(bad.utf8), fileName: "bad.csv")
                XCTFail("must be rejected")
            } catch let rejected as ImportRejected {
                XCTAssertEqual(rejected.errors.map(\.description), [
                    "bad.csv:16: mark: отметка 6 вне диапазона 2–5",
                    "bad.csv:17: student: ученик «S3» дважды в одной работе (см. строку 4)",
                ])
            }
            try await assertEqualAsync(try await stats(store).count, 0)

            let unknownSchool = scoresCSV() + "2022,VPR,5,math,XX,S100,3,3,1\n"
            do {
                _ = try await importer(store).importFile(.scores, bytes: Array(unknownSchool.utf8), fileName: "u.csv")
                XCTFail("must be rejected")
            } catch let rejected as ImportRejected {
                XCTAssertEqual(rejected.errors.map(\.description), ["u.csv:16: school: " + Absent.school("XX")])
            }
            try await assertEqualAsync(try await stats(store).count, 0, "the 14 good rows before it were rolled back")

            let implausible = "year,procedure,grade,subject,school,participants,m2,m3,m4,m5\n2022,VPR,4,math,L1,7,0,0,3,5\n"
            do {
                _ = try await importer(store).importFile(.results, bytes: Array(implausible.utf8), fileName: "r.csv")
                XCTFail("must be rejected")
            } catch let rejected as ImportRejected {
                XCTAssertEqual(rejected.errors.map(\.description), ["r.csv:2: m2: сумма отметок «2»–«5» (8) больше числа участников (7)"])
            }
        }
    }

    func testThresholdsDecideBelowMinimumAndHighScorers() async throws {
        try await TestEngines.withEachStore { store in
            try await prepare(store)
            let thresholds = "year;procedure;subject;min_score;high_score\n2023;ЕГЭ;rus;24;81\n"
            _ = try await importer(store).importFile(.thresholds, bytes: Array(thresholds.utf8), fileName: "t.csv")
            let scores =
                "year;procedure;grade;subject;school;student;score\n"
                + ["20", "24", "55", "81", "90", "—"].enumerated().map { "2023;ЕГЭ;11;rus;L1;E\($0.offset);\($0.element)" }.joined(
                    separator: "\n")
            _ = try await importer(store).importFile(.scores, bytes: Array(scores.utf8), fileName: "e.csv")
            let result = try await stats(store, ResultFilter(year: 2023, procedure: .ege)).first!
            XCTAssertEqual(result.counts.participants, 6)
            XCTAssertEqual(result.counts.belowMin, 1)
            XCTAssertEqual(result.counts.high, 2)
            XCTAssertEqual(result.counts.meanScore!, 54, accuracy: 1e-9)
            XCTAssertEqual(result.metrics().belowMinRate!, 100.0 / 6, accuracy: 1e-9)
        }
    }

    /// Stored groups keep their counts; thresholds that arrive later (or change) recount them.
    func testThresholdsImportedAfterTheScoresRecountTheStoredStudents() async throws {
        try await TestEngines.withEachStore { store in
            try await prepare(store)
            let scores =
                "year;procedure;grade;subject;school;student;score\n"
                + ["20", "24", "55", "81", "90", "—"].enumerated().map { "2023;ЕГЭ;11;rus;L1;E\($0.offset);\($0.element)" }.joined(
                    separator: "\n")
            _ = try await importer(store).importFile(.scores, bytes: Array(scores.utf8), fileName: "e.csv")
            var result = try await stats(store, ResultFilter(year: 2023, procedure: .ege)).first!
            XCTAssertNil(result.counts.belowMin, "no threshold yet: nobody can be judged")
            XCTAssertNil(result.counts.high)

            _ = try await importer(store).importFile(
                .thresholds, bytes: Array("year;procedure;subject;min_score;high_score\n2023;ЕГЭ;rus;24;81\n".utf8), fileName: "t.csv")
            result = try await stats(store, ResultFilter(year: 2023, procedure: .ege)).first!
            XCTAssertEqual(result.counts.belowMin, 1)
            XCTAssertEqual(result.counts.high, 2)

            _ = try await importer(store).importFile(
                .thresholds, bytes: Array("year;procedure;subject;min_score;high_score\n2023;ЕГЭ;rus;36;85\n".utf8), fileName: "t2.csv")
            result = try await stats(store, ResultFilter(year: 2023, procedure: .ege)).first!
            XCTAssertEqual(result.counts.belowMin, 2)
            XCTAssertEqual(result.counts.high, 1)
        }
    }

    /// A second file for the same work replaces the students it names and keeps the others.
    func testAPartialReimportReplacesNamedStudentsAndKeepsTheRest() async throws {
        try await TestEngines.withEachStore { store in
            try await prepare(store)
            let first = try await importer(store).importFile(.scores, bytes: Array(scoresCSV().utf8), fileName: "s.csv")
            XCTAssertEqual(first.created, 14)
            XCTAssertEqual(first.updated, 0)
            // S1 (a «2») now has a «5»; S15 is new.
            let second =
                "year,procedure,grade,subject,school,student,mark,term_mark\n2022,VPR,5,math,L1,S1,5,5\n2022,VPR,5,math,L1,S15,4,4\n"
            let summary = try await importer(store).importFile(.scores, bytes: Array(second.utf8), fileName: "s2.csv")
            XCTAssertEqual(summary.created, 1)
            XCTAssertEqual(summary.updated, 1)
            XCTAssertEqual(summary.unchanged, 0)
            let again = try await importer(store).importFile(.scores, bytes: Array(second.utf8), fileName: "s2.csv")
            XCTAssertEqual([again.created, again.updated, again.unchanged], [0, 0, 2], "the same file again changes nothing")
            let counts = try await stats(store).first!.counts
            XCTAssertEqual(
                counts, ResultCounts(participants: 15, m2: 4, m3: 7, m4: 3, m5: 1, belowMin: 4, lowered: 5, confirmed: 10, raised: 0))
        }
    }

    /// Uploads into the same school's work at once, through several connections (an SQLite file, PostgreSQL):
    /// neither loses the other's students.
    func testConcurrentImportsIntoOneWorkKeepEveryStudent() async throws {
        try await TestEngines.withEachStore(sharedFile: true) { store in
            XCTAssertNotEqual(store.target, .sqliteMemory)
            try await prepare(store)
            let files = (0..<4).map { part in
                "year,procedure,grade,subject,school,student,mark\n"
                    + (1...50).map { "2022,VPR,5,math,L1,P\(part)-\($0),3" }.joined(separator: "\n")
            }
            let importer = importer(store)
            try await withThrowingTaskGroup(of: ImportSummary.self) { group in
                for (index, file) in files.enumerated() {
                    group.addTask { try await importer.importFile(.scores, bytes: Array(file.utf8), fileName: "part\(index).csv") }
                }
                for try await summary in group { XCTAssertEqual(summary.created, 50) }
            }
            try await assertEqualAsync(try await stats(store).first?.counts.participants, 200)
        }
    }

    func testBenchmarksKeepPrintedFiguresButWarn() async throws {
        try await TestEngines.withEachStore { store in
            let file = """
            year;procedure;grade;subject;level;name;participants;success_rate;quality_rate
            2022;VPR;4;math;municipality;Чернский район;;100;74
            2022;VPR;4;math;region;Тульская область;;98;80
            2022;VPR;4;math;russia;Россия;;97;76
            2022;VPR;4;world;municipality;МКОУ «Липицкая СОШ» (как напечатано);7;0;100
            """
            let summary = try await importer(store).importFile(.benchmarks, bytes: Array(file.utf8), fileName: "b.csv")
            XCTAssertEqual(summary.created, 4)
            XCTAssertEqual(summary.warnings.map(\.column), ["quality_rate"])
            XCTAssertTrue(
                summary.warnings[0].description.hasPrefix("b.csv:5: quality_rate: предупреждение: качество 100 % выше успеваемости 0 %"))
            let benchmarks = try await ResultsRepository(db: store.db).benchmarks(
                ResultFilter(year: 2022, procedure: .vpr, grade: 4, subject: "math"), scope: .everything)
            XCTAssertEqual(Set(benchmarks.map(\.level)), [.russia, .region, .municipality])
        }
    }

    func testScopeLimitsStats() async throws {
        try await TestEngines.withEachStore { store in
            try await prepare(store)
            _ = try await importer(store).importFile(.scores, bytes: Array(scoresCSV().utf8), fileName: "s.csv")
            let other = try await SchoolModel.query(on: store.db).filter(\.$code == "L2").first()!
            let none = try await ResultsRepository(db: store.db).results(ResultFilter(year: 2022), scope: .schools([other.id!]))
            XCTAssertTrue(none.isEmpty)
        }
    }
}
