import Foundation
import FluentKit
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// Issue 19, point 8: the shapes the seeds file — ЕГЭ scores by bands per school, ОГЭ marks per school (seed 003) and
/// Table 13 of seed 004 — on both engines, counted by hand.
final class ShapesReportTests: XCTestCase {
    static let schools = """
    code;name;municipality;region
    A1;МБОУ «Арсентьевская СОШ»;Кемеровский округ;Кемеровская область
    B2;МБОУ «Барановская СОШ»;Кемеровский округ;Кемеровская область
    C3;МБОУ «Берёзовская СОШ»;Кемеровский округ;Кемеровская область
    D4;МБОУ «Чужая СОШ»;Другой округ;Кемеровская область

    """

    /// A: pupils at exactly 24 and 100 and one without a score; B: 55, 62, 70 (seed 003's Барановская, mean 62,3);
    /// C: ЕГЭ only as aggregated counts; D: another municipality's pupil, never counted here.
    static let scores = """
    year;procedure;grade;subject;school;student;score;mark
    2023;ЕГЭ;11;rus;A1;s1;24;
    2023;ЕГЭ;11;rus;A1;s2;100;
    2023;ЕГЭ;11;rus;A1;s3;;
    2023;ЕГЭ;11;rus;B2;s4;55;
    2023;ЕГЭ;11;rus;B2;s5;62;
    2023;ЕГЭ;11;rus;B2;s6;70;
    2023;ЕГЭ;11;rus;D4;s7;90;
    2023;ОГЭ;9;math;A1;o1;;3
    2023;ОГЭ;9;math;A1;o2;;3
    2023;ОГЭ;9;math;D4;o3;;5

    """

    /// B: seed 003's «1 три, 5 четвёрок»; C: counts without marks.
    static let results = """
    year;procedure;grade;subject;school;participants;m2;m3;m4;m5;below_min;mean_score
    2023;ЕГЭ;11;rus;C3;4;;;;;;60
    2023;ОГЭ;9;math;B2;6;0;1;5;0;0;
    2023;ОГЭ;9;math;C3;3;;;;;;

    """

    func load(_ store: OporaStore) async throws {
        let importer = Importer(db: store.db, actor: .commandLine)
        for (kind, text) in [(ImportKind.schools, Self.schools), (.scores, Self.scores), (.results, Self.results)] {
            _ = try await importer.importFile(kind, bytes: Array(text.utf8), fileName: "\(kind.rawValue).csv")
        }
    }

    func municipalityID(_ store: OporaStore) async throws -> Int {
        let school = try await SchoolModel.query(on: store.db).filter(\.$code == "A1").first()
        return try XCTUnwrap(school).$municipality.id
    }

    func texts(_ table: ReportTable) -> [[String]] { table.rows.map { $0.map(\.text) } }

    func testEgeBandsPerSchoolWithTheTotal() async throws {
        try await TestEngines.withEachStore { store in
            try await self.load(store)
            let municipality = try await self.municipalityID(store)
            let builder = ReportBuilder(db: store.db)
            let document = try await builder.egeBands(year: 2023, municipalityID: municipality, subject: "rus")
            let tables = document.blocks.compactMap { if case .table(let table) = $0 { return table } else { return nil } }
            XCTAssertEqual(tables.count, 1)
            let table = tables[0]
            XCTAssertEqual(table.title, "ЕГЭ-2023, русский язык: распределение участников по интервалам тестовых баллов")
            XCTAssertEqual(table.header, ["№", "ОО", "Кол-во уч-ков", "0–23", "24–39", "40–49", "50–59", "60–69", "70–79", "80–89",
                                          "90–99", "100", "Ср. балл", "Без балла"])
            let noData = Array(repeating: "нет данных", count: 9)
            XCTAssertEqual(self.texts(table), [
                ["1", "МБОУ «Арсентьевская СОШ»", "2", "0", "1", "0", "0", "0", "0", "0", "0", "1", "62", "1"],
                ["2", "МБОУ «Барановская СОШ»", "3", "0", "0", "0", "1", "1", "1", "0", "0", "0", "62,3", "0"],
                ["3", "МБОУ «Берёзовская СОШ»", "4"] + noData + ["60", ""],
                ["", "ИТОГО", "5", "0", "1", "0", "1", "1", "1", "0", "0", "1", "62,2", "1"],
            ])
            XCTAssertEqual(table.flags, ["в итог по интервалам не вошли школы без данных по ученикам: МБОУ «Берёзовская СОШ»"])
            XCTAssertTrue(document.flags.count == 1 && document.blocks.contains {
                if case .heading("Примечания к таблицам", _) = $0 { return true } else { return false }
            })
            let other = try await builder.egeBands(year: 2023, municipalityID: municipality, subject: "math")
            XCTAssertTrue(other.blocks.contains {
                if case .paragraph(let text) = $0 { return text.contains("нет данных") } else { return false }
            })
        }
    }

    func testOgeMarksPerSchoolWithTheTotal() async throws {
        try await TestEngines.withEachStore { store in
            try await self.load(store)
            let municipality = try await self.municipalityID(store)
            let tables = try await ReportBuilder(db: store.db).ogeMarkTables(year: 2023, municipalityID: municipality, subject: "math")
            XCTAssertEqual(tables.count, 1)
            XCTAssertEqual(tables[0].title, "ОГЭ-2023, математика: отметки по школам")
            // Seed 003's «ИТОГО 8 — 0, 3, 5, 0 — 3,625»; C has counts without marks and stays out of the total.
            XCTAssertEqual(self.texts(tables[0]), [
                ["1", "МБОУ «Арсентьевская СОШ»", "2", "0", "2", "0", "0", "0", "3"],
                ["2", "МБОУ «Барановская СОШ»", "6", "0", "1", "5", "0", "0", "3,83"],
                ["3", "МБОУ «Берёзовская СОШ»", "3", "нет данных", "нет данных", "нет данных", "нет данных", "нет данных", "нет данных"],
                ["", "ИТОГО", "8", "0", "3", "5", "0", "0", "3,63"],
            ])
        }
    }

    func testTheNoteCarriesBothShapes() async throws {
        try await TestEngines.withEachStore { store in
            try await self.load(store)
            let municipality = try await self.municipalityID(store)
            let note = try await ReportBuilder(db: store.db).municipalNote(municipalityID: municipality, year: 2023)
            let headings = note.blocks.compactMap { if case .heading(let text, _) = $0 { return text } else { return nil } }
            XCTAssertTrue(headings.contains("ЕГЭ: распределение тестовых баллов по школам"), "\(headings)")
            XCTAssertTrue(headings.contains("ОГЭ: отметки по школам"), "\(headings)")
        }
    }

    var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// Seed 004's programme with its indicators: Table 13 lists each with its periodicity, months and source, alone and
    /// in the note's programme part.
    func testTable13OfSeed004() async throws {
        try await TestEngines.withEachStore { store in
            let importer = Importer(db: store.db, actor: .commandLine)
            let schools = "code;name;municipality;region\nPRV01;МАОУ СОШ № 1;Первоуральск;Свердловская область\n"
            _ = try await importer.importFile(.schools, bytes: Array(schools.utf8), fileName: "schools.csv")
            for (kind, file) in [(ImportKind.programmes, "pervouralsk-programme-2023.csv"), (.indicators, "pervouralsk-indicators.csv")] {
                let bytes = Array(try Data(contentsOf: self.fixtures.appendingPathComponent(file)))
                _ = try await importer.importFile(kind, bytes: bytes, fileName: file)
            }
            let found = try await PlanRepository(db: store.db).programme(code: "P04")
            let plan = try XCTUnwrap(found)
            let builder = ReportBuilder(db: store.db)
            let document = try await builder.collectionSchedule(plan)
            let tables = document.blocks.compactMap { if case .table(let table) = $0 { return table } else { return nil } }
            let table = try XCTUnwrap(tables.first)
            XCTAssertEqual(table.header, ["Код", "Показатель", "Периодичность заполнения", "Период заполнения", "Источник",
                                          "Ответственный"])
            XCTAssertEqual(table.rows.count, 9)
            XCTAssertEqual(table.rows[0].map(\.text)[2...4], ["два раза в год", "Май, сентябрь", "мониторинг УО"])
            XCTAssertEqual(table.rows[5].map(\.text)[2...3], ["один раз в год", "не указан"], "no months written: said so, not blank")
            let school = try await SchoolModel.query(on: store.db).first()
            let note = try await builder.municipalNote(municipalityID: try XCTUnwrap(school).$municipality.id, year: 2023)
            XCTAssertTrue(note.blocks.contains {
                if case .table(let inNote) = $0 { return inNote.title == table.title } else { return false }
            })
        }
    }
}
