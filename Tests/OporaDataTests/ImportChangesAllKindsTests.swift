import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// Issue 24: the import preview lists what a file changes for every kind with a natural key, not only the
/// registry, results, context and risks: for each kind a stored row the file changes shows old → new under its
/// Russian column name, a new row shows as added, an unchanged one is not listed, and a kind that replaces a whole
/// set (a КИМ specification, a school's staff of a year, the list in force an order replaces) lists the rows it
/// would remove. On both engines.
final class ImportChangesAllKindsTests: XCTestCase {
    struct Case {
        let kind: ImportKind
        /// Loaded before the preview (after the registry and the programme P-1).
        let stored: String
        /// The file previewed.
        let file: String
        let changed: [String]
        let column: String
        let old: String
        let new: String
        let added: [String]
        let unchanged: [String]
        var removed: [String]? = nil
    }

    static let schools = """
        code,name,municipality,region
        A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
        A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
        B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
        A3,МБОУ «Поповская ООШ»,Чернский район,Тульская область
        A4,МБОУ «Тургеневская СОШ»,Чернский район,Тульская область
        """
    static let programme = """
        code,name,start,end,level,territory
        P-1,Программа поддержки школ,01.01.2024,31.12.2025,municipality,Чернский район
        """
    static let taskHeader = "Год;Процедура;Класс;Предмет;Код ОО;Код участника;1;2;Отметка\n"
    static let tasks = "year,procedure,grade,subject,task,max_points\n2023,VPR,5,math,1,1\n2023,VPR,5,math,2,2\n"
    static let region = BenchmarkLevel.region.russianName, russia = BenchmarkLevel.russia.russianName
    static let tutor = Specialty.tutor.russianName, socialPedagogue = Specialty.socialPedagogue.russianName

    static let cases: [Case] = [
        Case(kind: .schools, stored: schools,
             file: "code,name,municipality\nA1,МКОУ «Липицкая СОШ им. Героя»,Чернский район\nA2,МБОУ «Чернская СОШ № 1»,Чернский район\n"
                + "C1,МБОУ «Новая школа»,Чернский район\n",
             changed: ["A1"], column: "Наименование", old: "МКОУ «Липицкая СОШ»", new: "МКОУ «Липицкая СОШ им. Героя»",
             added: ["C1"], unchanged: ["A2"]),
        Case(kind: .thresholds,
             stored: "year,procedure,subject,min_score,high_score\n2023,EGE,rus,24,80\n2023,EGE,math_prof,27,70\n",
             file: "year,procedure,subject,min_score,high_score\n2023,EGE,rus,36,80\n2023,EGE,math_prof,27,70\n2023,EGE,phys,36,\n",
             changed: ["2023", "ЕГЭ", "rus", ""], column: "Минимальный балл", old: "24", new: "36",
             added: ["2023", "ЕГЭ", "phys", ""], unchanged: ["2023", "ЕГЭ", "math_prof", ""]),
        Case(kind: .benchmarks,
             stored: "year,procedure,grade,subject,level,name,participants,success_rate\n"
                + "2023,VPR,5,math,region,Тульская область,1000,80\n2023,VPR,5,rus,region,Тульская область,1000,85\n",
             file: "year,procedure,grade,subject,level,name,participants,success_rate\n"
                + "2023,VPR,5,math,region,Тульская область,1000,82.5\n2023,VPR,5,rus,region,Тульская область,1000,85\n"
                + "2023,VPR,5,math,russia,Россия,900000,79\n",
             changed: ["2023", "ВПР", "5", "math", region, "Тульская область"], column: "Успеваемость, %", old: "80", new: "82,5",
             added: ["2023", "ВПР", "5", "math", russia, "Россия"], unchanged: ["2023", "ВПР", "5", "rus", region, "Тульская область"]),
        Case(kind: .taskBenchmarks,
             stored: "year;procedure;grade;subject;task;level;percent\n2023;VPR;5;math;1;region;68,5\n2023;VPR;5;math;2;region;75\n",
             file: "year;procedure;grade;subject;task;level;percent\n2023;VPR;5;math;1;region;70\n2023;VPR;5;math;2;region;75\n"
                + "2023;VPR;5;math;2;russia;71\n",
             changed: ["2023", "ВПР", "5", "math", "1", region, ""], column: "Выполнение, %", old: "68,5", new: "70",
             added: ["2023", "ВПР", "5", "math", "2", russia, ""], unchanged: ["2023", "ВПР", "5", "math", "2", region, ""]),
        Case(kind: .scores,
             stored: "year,procedure,grade,subject,school,student,mark\n2023,VPR,5,math,A1,P1,5\n2023,VPR,5,math,A1,P2,3\n"
                + "2023,VPR,5,math,A2,Q1,4\n",
             file: "year,procedure,grade,subject,school,student,mark\n2023,VPR,5,math,A1,P1,5\n2023,VPR,5,math,A1,P2,3\n"
                + "2023,VPR,5,math,A1,P3,4\n2023,VPR,5,math,A2,Q1,4\n2023,VPR,5,math,B1,R1,4\n",
             changed: ["2023", "ВПР", "5", "math", "A1"], column: "Участников", old: "2", new: "3",
             added: ["2023", "ВПР", "5", "math", "B1"], unchanged: ["2023", "ВПР", "5", "math", "A2"]),
        Case(kind: .taskScores,
             stored: taskHeader + "2023;ВПР;5;Математика;A1;P1;1;2;5\n2023;ВПР;5;Математика;A1;P2;0;1;3\n"
                + "2023;ВПР;5;Математика;A2;Q1;1;1;4\n",
             file: taskHeader + "2023;ВПР;5;Математика;A1;P1;1;2;5\n2023;ВПР;5;Математика;A2;Q1;1;1;4\n"
                + "2023;ВПР;5;Математика;B1;R1;1;2;5\n",
             changed: ["2023", "ВПР", "5", "math", "A1"], column: "Участников", old: "2", new: "1",
             added: ["2023", "ВПР", "5", "math", "B1"], unchanged: ["2023", "ВПР", "5", "math", "A2"]),
        Case(kind: .tasks,
             stored: "year,procedure,grade,subject,task,max_points\n2023,VPR,6,math,1,1\n2023,VPR,6,math,2,2\n2023,VPR,6,math,К3,1\n",
             file: "year,procedure,grade,subject,task,max_points\n2023,VPR,6,math,1,1\n2023,VPR,6,math,2,3\n2023,VPR,6,math,4,2\n",
             changed: ["2023", "ВПР", "6", "math", "2"], column: "Максимальный балл", old: "2", new: "3",
             added: ["2023", "ВПР", "6", "math", "4"], unchanged: ["2023", "ВПР", "6", "math", "1"],
             removed: ["2023", "ВПР", "6", "math", "К3"]),
        Case(kind: .markScales,
             stored: "year,procedure,grade,subject,mark,min_primary\n2023,VPR,5,math,3,2\n2023,VPR,5,math,4,3\n2023,VPR,5,math,5,4\n",
             file: "year,procedure,grade,subject,mark,min_primary\n2023,VPR,5,math,3,2\n2023,VPR,5,math,4,3\n2023,VPR,5,math,5,5\n"
                + "2023,VPR,7,math,3,2\n2023,VPR,7,math,4,3\n2023,VPR,7,math,5,4\n",
             changed: ["2023", "ВПР", "5", "math", "5"], column: "Наименьший первичный балл", old: "4", new: "5",
             added: ["2023", "ВПР", "7", "math", "3"], unchanged: ["2023", "ВПР", "5", "math", "3"]),
        Case(kind: .programmes,
             stored: "code,name,start,end,level,territory\nP-2,Вторая программа,01.01.2024,31.12.2025,municipality,Чернский район\n"
                + "P-3,Третья программа,01.01.2024,31.12.2025,municipality,Чернский район\n",
             file: "code,name,start,end,level,territory\nP-2,Вторая программа,01.01.2024,31.12.2026,municipality,Чернский район\n"
                + "P-3,Третья программа,01.01.2024,31.12.2025,municipality,Чернский район\n"
                + "P-4,Четвёртая программа,01.09.2024,31.12.2025,municipality,Чернский район\n",
             changed: ["P-2"], column: "Окончание", old: "31.12.2025", new: "31.12.2026", added: ["P-4"], unchanged: ["P-3"]),
        Case(kind: .roadmap,
             stored: "programme,section,number,measure,deadline\nP-1,Кадры,1,Семинар для учителей,март 2024\n"
                + "P-1,Кадры,2,Курсы повышения квалификации,апрель 2024\n",
             file: "programme,section,number,measure,deadline\nP-1,Кадры,1,Семинар для учителей,май 2024\n"
                + "P-1,Кадры,2,Курсы повышения квалификации,апрель 2024\nP-1,Кадры,3,Стажировка,июнь 2024\n",
             changed: ["P-1", "Кадры", "1"], column: "Срок", old: "март 2024", new: "май 2024",
             added: ["P-1", "Кадры", "3"], unchanged: ["P-1", "Кадры", "2"]),
        Case(kind: .indicators,
             stored: "programme,code,name,unit\nP-1,I1,Доля успевающих,%\nP-1,I2,Число педагогов на курсах,чел.\n",
             file: "programme,code,name,unit\nP-1,I1,Доля успевающих по ВПР,%\nP-1,I2,Число педагогов на курсах,чел.\n"
                + "P-1,I3,Доля школ с ИОМ,%\n",
             changed: ["P-1", "I1"], column: "Наименование", old: "Доля успевающих", new: "Доля успевающих по ВПР",
             added: ["P-1", "I3"], unchanged: ["P-1", "I2"]),
        Case(kind: .indicatorValues,
             stored: "programme,indicator,year,value\nP-1,I1,2024,10\nP-1,I2,2024,5\n",
             file: "programme,indicator,year,value\nP-1,I1,2024,12.5\nP-1,I2,2024,5\nP-1,I1,2025,20\n",
             changed: ["P-1", "I1", "2024", "итоговый"], column: "Значение", old: "10", new: "12,5",
             added: ["P-1", "I1", "2025", "итоговый"], unchanged: ["P-1", "I2", "2024", "итоговый"]),
        Case(kind: .events,
             stored: "event,title,kind,start,hours,school,role,count\nE1,Семинар,семинар,01.03.2024,4,A1,учитель,3\n"
                + "E2,Курсы,курсы,15.02.2024,32,A1,учитель,6\n",
             file: "event,title,kind,start,hours,school,role,count\nE1,Семинар,семинар,01.03.2024,6,A1,учитель,3\n"
                + "E2,Курсы,курсы,15.02.2024,32,A1,учитель,6\nE3,Стажировка,стажировка,10.04.2024,16,A1,учитель,2\n",
             changed: ["E1"], column: "Часов", old: "4", new: "6", added: ["E3"], unchanged: ["E2"]),
        Case(kind: .staff,
             stored: "school,year,position,person,category\nA1,2024,учитель,T-1,высшая\nA1,2024,учитель,T-2,первая\n"
                + "A1,2024,учитель,T-9,первая\n",
             file: "school,year,position,person,category\nA1,2024,учитель,T-1,первая\nA1,2024,учитель,T-2,первая\n"
                + "A1,2024,учитель,T-3,первая\n",
             changed: ["A1", "2024", "учитель", "T-1"], column: "Квалификационная категория",
             old: QualificationCategory.highest.russianName, new: QualificationCategory.first.russianName,
             added: ["A1", "2024", "учитель", "T-3"], unchanged: ["A1", "2024", "учитель", "T-2"],
             removed: ["A1", "2024", "учитель", "T-9"]),
        Case(kind: .specialists,
             stored: "school,year,social_pedagogue,tutor,vacancies\nA1,2024,1,1,2\n",
             file: "school,year,social_pedagogue,tutor,vacancies\nA1,2024,1,2,2\nA2,2024,1,,\n",
             changed: ["A1", "2024", tutor], column: "Штатных", old: "1", new: "2",
             added: ["A2", "2024", socialPedagogue], unchanged: ["A1", "2024", socialPedagogue]),
        Case(kind: .approvedList,
             stored: "year,school,order_number,order_date\n2024,A1,12-о,01.03.2024\n2024,A2,12-о,01.03.2024\n2024,A4,12-о,01.03.2024\n",
             file: "year,school,order_number,order_date,status\n2024,A1,15-о,01.04.2024,low_results_social\n"
                + "2024,A2,15-о,01.04.2024,low_results\n2024,A3,15-о,01.04.2024,low_results\n",
             changed: ["A1"], column: "Статус", old: IdentificationStatus.lowResults.russianName,
             new: IdentificationStatus.lowResultsSocial.russianName, added: ["A3"], unchanged: ["A2"], removed: ["A4"]),
    ]

    func load(_ kind: ImportKind, _ text: String, _ store: OporaStore) async throws {
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(kind, bytes: Array(text.utf8), fileName: "stored.csv")
    }

    func testEveryKindListsTheRowsItChangesAddsAndRemoves() async throws {
        try await TestEngines.withEachStore { store in
            try await self.load(.schools, Self.schools, store)
            try await self.load(.programmes, Self.programme, store)
            try await self.load(.tasks, Self.tasks, store)
            for test in Self.cases {
                if test.kind != .schools { try await self.load(test.kind, test.stored, store) }
                let catalogues = try await ImportParser.catalogues(on: store.db, for: test.kind)
                let parsed = try ImportParser.parse(test.kind, bytes: Array(test.file.utf8), fileName: "new.csv", catalogues: catalogues)
                let found = try await ImportChangesReader(db: store.db).changes(parsed)
                let changes = try XCTUnwrap(found, "\(test.kind): a preview of changes")
                let what = "\(test.kind.rawValue): \(changes)"
                let change = changes.changed.first { $0.key == test.changed }
                XCTAssertEqual(change?.cells.first { $0.column == test.column }.map { [$0.old, $0.new] }, [test.old, test.new], what)
                XCTAssertEqual(changes.changed.count, 1, "\(what): only the changed row is listed as changed")
                XCTAssertTrue(changes.added.map(\.key).contains(test.added), what)
                XCTAssertFalse((changes.changed.map(\.key) + changes.added.map(\.key)).contains(test.unchanged), what)
                XCTAssertGreaterThanOrEqual(changes.unchangedCount, 1, what)
                XCTAssertEqual(changes.removed.map(\.key), test.removed.map { [$0] } ?? [], what)
                XCTAssertTrue(changes.keyColumns.allSatisfy { $0.range(of: "^[a-z_]+$", options: .regularExpression) == nil },
                              "\(what): the columns are named in Russian")
            }
        }
    }

    /// A file larger than the cap lists the first `cap` rows of each list and counts them all.
    func testListsAreCappedAndCounted() async throws {
        try await TestEngines.withEachStore { store in
            try await self.load(.schools, Self.schools, store)
            try await self.load(.programmes, Self.programme, store)
            let rows = (1...120).map { "P-1,Раздел,\($0),Мероприятие \($0),март 2024" }.joined(separator: "\n")
            let text = "programme,section,number,measure,deadline\n" + rows + "\n"
            let parsed = try ImportParser.parse(.roadmap, bytes: Array(text.utf8), fileName: "new.csv", catalogues: .standard)
            let found = try await ImportChangesReader(db: store.db).changes(parsed, cap: 50)
            let changes = try XCTUnwrap(found)
            XCTAssertEqual([changes.addedCount, changes.added.count], [120, 50])
        }
    }
}
