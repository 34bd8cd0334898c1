import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Task-level results (issue 20): the four files written all or nothing, bad files refused by line, a re-import
/// replacing a school × work, the figures of a school with its municipality, the region and Russia, and the pupils'
/// rows reaching `scores`. On both engines.
final class TaskImportTests: XCTestCase {
    let work = WorkKey(year: 2023, procedure: .vpr, grade: 5, subject: "math")

    static let schools = """
        code,name,municipality,region
        A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
        A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
        B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
        """

    static let tasks = """
        Год;Процедура;Класс;Предмет;Задание;Максимальный балл;Проверяемые умения;Блок;Уровень
        2023;ВПР;5;Математика;1;1;Вычисления;Числа;базовый
        2023;ВПР;5;Математика;2;2;Вычисления;Числа;базовый
        2023;ВПР;5;Математика;К3;1;Текстовые задачи;Задачи;повышенный
        """

    static let scales = """
        year,procedure,grade,subject,mark,min_primary
        2023,VPR,5,math,3,2
        2023,VPR,5,math,4,3
        2023,VPR,5,math,5,4
        """

    static let benchmarks = """
        year;procedure;grade;subject;task;level;percent
        2023;VPR;5;math;1;region;68,5
        2023;VPR;5;math;2;region;75
        2023;VPR;5;math;К3;region;41
        2023;VPR;5;math;1;russia;66
        """

    /// A1: the small class of the domain test (points 2 / 5 / 1 of 4 pupils); A2: three pupils with every point.
    static let scores = """
        Год;Процедура;Класс;Предмет;Код ОО;Код участника;Класс (буква);Вариант;1;2;К3;Отметка;Отметка за четверть
        2023;ВПР;5;Математика;A1;P1;А;1;1;2;1;5;5
        2023;ВПР;5;Математика;A1;P2;А;2;1;1;Х;3;4
        2023;ВПР;5;Математика;A1;P3;Б;1;0;2;0;3;3
        2023;ВПР;5;Математика;A1;P4;Б;2;X;0;0;2;3
        2023;ВПР;5;Математика;A2;Q1;А;1;1;2;1;5;5
        2023;ВПР;5;Математика;A2;Q2;А;1;1;2;1;5;4
        2023;ВПР;5;Математика;A2;Q3;А;2;1;2;1;5;5
        """

    func load(_ store: OporaStore, _ kind: ImportKind, _ text: String, name: String = "f.csv") async throws -> ImportSummary {
        try await Importer(db: store.db, actor: .commandLine).importFile(kind, bytes: Array(text.utf8), fileName: name)
    }

    func prepare(_ store: OporaStore) async throws -> [String: Int] {
        _ = try await load(store, .schools, Self.schools)
        _ = try await load(store, .tasks, Self.tasks)
        _ = try await load(store, .markScales, Self.scales)
        _ = try await load(store, .taskBenchmarks, Self.benchmarks)
        return Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: store.db).all().map { ($0.code, $0.id!) })
    }

    /// Every issue of a refused import as «LINE: column».
    func refusal(_ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            XCTFail("the file was accepted")
            return []
        } catch let rejected as ImportRejected {
            return rejected.errors.map { "\($0.line): \($0.column)" }
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func count(_ store: OporaStore, _ table: String) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await store.db.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: Row.self)!.n
    }

    func testASchoolsFiguresWithItsMunicipalityRegionAndRussia() async throws {
        try await TestEngines.withEachStore { store in
            let ids = try await prepare(store)
            let summary = try await load(store, .taskScores, Self.scores)
            XCTAssertEqual(summary.created, 7)
            let repository = TaskRepository(db: store.db)
            let spec = try await repository.specification(work)
            XCTAssertEqual(spec?.tasks.map(\.level), [.basic, .basic, .advanced])
            XCTAssertEqual(spec?.tasks.map(\.requirement), ["Вычисления", "Вычисления", "Текстовые задачи"])
            let schoolReport = try await repository.report(work, for: .school(ids["A1"]!))
            let report = try XCTUnwrap(schoolReport)
            XCTAssertEqual(report.participants, 4)
            XCTAssertTrue(report.small)
            XCTAssertEqual(report.tasks.map(\.percent), [50, 62.5, 25])
            // The municipality (A1 + A2, 7 pupils): task 1 5 of 7, task 2 11 of 14, К3 4 of 7.
            XCTAssertEqual(report.tasks.map { TaskFigures.rounded($0.municipality) }, [71.43, 78.57, 57.14])
            XCTAssertEqual(report.tasks.map(\.region), [68.5, 75, 41])
            XCTAssertEqual(report.tasks.map(\.russia), [66, nil, nil])
            XCTAssertEqual(report.tasks.map(\.deficit), [true, true, true])
            XCTAssertEqual(report.histogram, [1, 0, 2, 0, 1])
            XCTAssertEqual(report.scale?.minimums, [3: 2, 4: 3, 5: 4])

            let chern = try await municipalityID(store, "Чернский район")
            let municipalityReport = try await repository.report(work, for: .municipality(chern))
            let municipality = try XCTUnwrap(municipalityReport)
            XCTAssertEqual(municipality.participants, 7)
            XCTAssertEqual(municipality.histogram, [1, 0, 2, 0, 4])
            XCTAssertFalse(municipality.small)

            // The same pupils reach `scores`: marks 5, 3, 3, 2 for A1 (what `opora stats` and identification read).
            let results = try await ResultsRepository(db: store.db).results(ResultFilter(year: 2023), scope: .everything)
            let a1 = try XCTUnwrap(results.first { $0.schoolID == ids["A1"] })
            XCTAssertEqual(a1.counts.participants, 4)
            XCTAssertEqual([a1.counts.m2, a1.counts.m3, a1.counts.m4, a1.counts.m5], [1, 2, 0, 1])
            XCTAssertEqual(a1.source, .students)
        }
    }

    func municipalityID(_ store: OporaStore, _ name: String) async throws -> Int {
        try await MunicipalityModel.query(on: store.db).filter(\.$name == name).first()!.id!
    }

    func testAReimportReplacesTheSchoolsWork() async throws {
        try await TestEngines.withEachStore { store in
            let ids = try await prepare(store)
            _ = try await load(store, .taskScores, Self.scores)
            let again = """
                Год;Процедура;Класс;Предмет;Код ОО;Код участника;1;2;К3;Отметка
                2023;ВПР;5;Математика;A1;P1;1;2;1;5
                2023;ВПР;5;Математика;A1;P9;0;1;0;2
                """
            let summary = try await load(store, .taskScores, again)
            XCTAssertEqual(summary.updated, 2)
            let repository = TaskRepository(db: store.db)
            let schoolReport = try await repository.report(work, for: .school(ids["A1"]!))
            let report = try XCTUnwrap(schoolReport)
            XCTAssertEqual(report.participants, 2)
            XCTAssertEqual(report.tasks.map(\.points), [1, 3, 1])
            let tallies = try await count(store, "task_tallies")
            XCTAssertEqual(tallies, 2)
            let results = try await ResultsRepository(db: store.db).results(ResultFilter(year: 2023), scope: .everything)
            XCTAssertEqual(results.first { $0.schoolID == ids["A1"] }?.counts.participants, 2, "the pupils of the work are replaced too")
            XCTAssertEqual(results.first { $0.schoolID == ids["A2"] }?.counts.participants, 3, "another school is untouched")
        }
    }

    func testBadFilesAreRefusedByLineAndNothingIsWritten() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await prepare(store)
            _ = try await load(store, .taskScores, Self.scores)
            let header = "Год;Процедура;Класс;Предмет;Код ОО;Код участника;1;2;К3;Отметка\n"
            // Line 3: an empty cell; line 4: 3 points on a two-point task; line 5: «1,5» is no points.
            let bad = header + """
                2023;ВПР;5;Математика;A1;P1;1;2;1;5
                2023;ВПР;5;Математика;A1;P2;;1;0;3
                2023;ВПР;5;Математика;A1;P3;1;3;0;4
                2023;ВПР;5;Математика;A1;P4;1,5;0;0;2
                """
            let issues = await refusal { _ = try await self.load(store, .taskScores, bad) }
            XCTAssertEqual(issues, ["3: 1", "4: 2", "5: 1"])
            // A column that is no task of the specification.
            let unknown = "Год;Процедура;Класс;Предмет;Код ОО;Код участника;1;2;К3;7\n2023;ВПР;5;Математика;A1;P1;1;2;1;1\n"
            let unknownIssues = await refusal { _ = try await self.load(store, .taskScores, unknown) }
            XCTAssertEqual(unknownIssues, ["1: 7"])
            // A «Максимальный балл» row that disagrees with the stored specification (task 2 is worth 2).
            let maxima = header + ";;;;;Максимальный балл;1;3;1;\n2023;ВПР;5;Математика;A1;P1;1;2;1;5\n"
            let maximaIssues = await refusal { _ = try await self.load(store, .taskScores, maxima) }
            XCTAssertEqual(maximaIssues, ["2: 2"])
            // An unknown school: the whole file is refused, the known school's rows too.
            let school = header + "2023;ВПР;5;Математика;A1;P1;0;0;0;2\n2023;ВПР;5;Математика;ZZ;P1;1;2;1;5\n"
            let schoolIssues = await refusal { _ = try await self.load(store, .taskScores, school) }
            XCTAssertEqual(schoolIssues, ["3: school"])
            let report = try await TaskRepository(db: store.db).report(work, for: .everything)
            XCTAssertEqual(report?.participants, 7, "nothing of the refused files was written")
        }
    }

    func testAMaximaRowGivesTheSpecificationWhenNoneIsStored() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await load(store, .schools, Self.schools)
            let file = """
                Год;Процедура;Класс;Предмет;Код ОО;Код участника;1;4.1;5(2)
                ;;;;;Максимальный балл;1;2;3
                2023;ВПР;6;rus;B1;P1;1;2;3
                2023;ВПР;6;rus;B1;P2;0;Х;1
                """
            _ = try await load(store, .taskScores, file)
            let work = WorkKey(year: 2023, procedure: .vpr, grade: 6, subject: "rus")
            let spec = try await TaskRepository(db: store.db).specification(work)
            XCTAssertEqual(spec?.tasks.map(\.task), ["1", "4.1", "5(2)"])
            XCTAssertEqual(spec?.tasks.map(\.maxPoints), [1, 2, 3])
            let report = try await TaskRepository(db: store.db).report(work, for: .everything)
            // 1 of 2, 2 of 4, 4 of 6 points.
            XCTAssertEqual(report?.tasks.map { TaskFigures.rounded($0.percent) }, [50, 50, 66.67])
            XCTAssertEqual(report?.histogram, [0, 1, 0, 0, 0, 0, 1])
            // Without a specification and without a maxima row the file is refused, naming the work.
            let orphan = "Год;Процедура;Класс;Предмет;Код ОО;Код участника;1\n2023;ВПР;7;rus;B1;P1;1\n"
            let issues = await refusal { _ = try await self.load(store, .taskScores, orphan) }
            XCTAssertEqual(issues, ["2: —"])
        }
    }

    func testSpecificationScaleAndBenchmarkFilesAreCheckedAndScoped() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await prepare(store)
            // A task twice; a level that is none; a scale that does not rise.
            let tasks = "year,procedure,grade,subject,task,max_points,level\n2023,VPR,7,math,1,1,basic\n2023,VPR,7,math,1,2,basic\n"
                + "2023,VPR,7,math,2,1,сложный\n"
            let taskIssues = await refusal { _ = try await self.load(store, .tasks, tasks) }
            XCTAssertEqual(taskIssues, ["3: task", "4: level"])
            let scale = "year,procedure,grade,subject,mark,min_primary\n2023,VPR,7,math,3,5\n2023,VPR,7,math,4,5\n"
            let scaleIssues = await refusal { _ = try await self.load(store, .markScales, scale) }
            XCTAssertEqual(scaleIssues, ["3: min_primary"])
            // A coordinator loads neither specifications nor a region's completion.
            let chern = try await municipalityID(store, "Чернский район")
            let coordinator = Importer(db: store.db, actor: .commandLine, scope: .municipality(chern))
            let refused = await refusal { _ = try await coordinator.importFile(.tasks, bytes: Array(Self.tasks.utf8), fileName: "t.csv") }
            XCTAssertEqual(refused, ["1: —"])
            let regionRows = await refusal {
                _ = try await coordinator.importFile(.taskBenchmarks, bytes: Array(Self.benchmarks.utf8), fileName: "b.csv")
            }
            XCTAssertEqual(regionRows, ["2: level", "3: level", "4: level", "5: level"])
            // Re-loading the same specification changes nothing.
            let same = try await load(store, .tasks, Self.tasks)
            XCTAssertEqual(same.unchanged, 3)
        }
    }

    func testTheSchoolsFormAsASpreadsheet() async throws {
        // The collection form as a school fills it in Excel: Russian headers, a «Максимальный балл» row, «Х», numbers as numbers.
        func row(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let ref = String(UnicodeScalar(UInt8(65 + index)))
                if Int(cell) != nil { return "<c r=\"\(ref)\"><v>\(cell)</v></c>" }
                return "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(cell)</t></is></c>"
            }.joined()
        }
        let sheet = XLSXFixture.sheet([
            row(["Год", "Процедура", "Класс", "Предмет", "Код ОО", "Код участника", "1", "2", "3", "Отметка"]),
            row(["", "", "", "", "", "Максимальный балл", "1", "2", "2", ""]),
            row(["2024", "ВПР", "7", "Русский язык", "A1", "R1", "1", "2", "Х", "4"]),
            row(["2024", "ВПР", "7", "Русский язык", "A1", "R2", "0", "1", "2", "3"]),
        ])
        try await TestEngines.withEachStore { store in
            _ = try await load(store, .schools, Self.schools)
            let bytes = try XLSXFixture.workbook(sheet: sheet)
            _ = try await Importer(db: store.db, actor: .commandLine).importFile(.taskScores, bytes: bytes, fileName: "form.xlsx")
            let work = WorkKey(year: 2024, procedure: .vpr, grade: 7, subject: "rus")
            let report = try await TaskRepository(db: store.db).report(work, for: .everything)
            XCTAssertEqual(report?.tasks.map(\.points), [1, 3, 2])
            XCTAssertEqual(report?.tasks.map(\.percent), [50, 75, 50])
            // R1: 1 + 2 + «Х» = 3, R2: 0 + 1 + 2 = 3.
            XCTAssertEqual(report?.histogram, [0, 0, 0, 2, 0, 0])
        }
    }
}
