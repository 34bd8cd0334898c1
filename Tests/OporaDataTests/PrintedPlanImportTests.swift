import Foundation
import FluentKit
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// Plans as printed stored on both engines: every measure kept under its section and year, deadlines read within the
/// programme's start and end dates, warnings by line (CONTRACT.md, `import roadmap FILE --programme CODE`).
final class PrintedPlanImportTests: XCTestCase {
    static func fixture(_ name: String) throws -> [UInt8] {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let url = tests.appendingPathComponent("Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }

    func prepare(_ store: OporaStore) async throws {
        let importer = Importer(db: store.db, actor: .commandLine)
        _ = try await importer.importFile(.schools, bytes: Array("""
        code;name;municipality;region
        RZN01;МБОУ «Школа № 1»;город Рязань;Рязанская область
        CHR01;МКОУ «Липицкая СОШ»;Чернский район;Тульская область
        """.utf8), fileName: "schools.csv")
        _ = try await importer.importFile(.programmes, bytes: Array("""
        code;name;start;end;level;territory
        RZN;Региональный проект поддержки ШНОР и ШФНСУ;2020;2022;region;Рязанская область
        CHR;Программа повышения качества образования на 2023-2024 учебный год;01.09.2023;31.08.2024;municipality;Чернский район
        """.utf8), fileName: "programmes.csv")
    }

    func testSeed002PlanIsStoredWithEveryYearsMeasures() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            let summary = try await importer.importFile(.roadmap, bytes: try Self.fixture("ryazan-plan-2020-2022.csv"),
                                                        fileName: "ryazan-plan-2020-2022.csv", programme: "RZN")
            XCTAssertEqual(summary.created, 84)
            let repository = PlanRepository(db: store.db)
            let found = try await repository.programme(code: "RZN")
            let plan = try XCTUnwrap(found)
            let measures = try await repository.measures(plan.id!)
            XCTAssertEqual(measures.count, 84)
            XCTAssertEqual(Set(measures.map(\.section)), ["2020 год", "2021", "2022 год"])
            XCTAssertEqual(measures.filter { $0.number == "28" }.map(\.year), [2020, 2021, 2022])
            let rows = RoadmapRow.rows(measures, period: plan.period, today: CalendarDay(year: 2021, month: 6, day: 1))
            let february2022 = try XCTUnwrap(rows.first { $0.measure.number == "4" && $0.measure.year == 2022 })
            XCTAssertEqual(february2022.reading.due, [CalendarDay(year: 2022, month: 2, day: 28)])
            // Importing the same file again adds nothing.
            let again = try await importer.importFile(.roadmap, bytes: try Self.fixture("ryazan-plan-2020-2022.csv"),
                                                      fileName: "ryazan-plan-2020-2022.csv", programme: "RZN")
            XCTAssertEqual(again.created, 0)
            XCTAssertEqual(again.unchanged, 84)
        }
    }

    func testDatesOutsideTheProgrammesOwnDatesAreWarnedOfByLine() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let summary = try await Importer(db: store.db, actor: .commandLine)
                .importFile(.roadmap, bytes: try Self.fixture("chern-plan-2023-2024.csv"), fileName: "chern.csv", programme: "CHR")
            XCTAssertEqual(summary.created, 55)
            let outside = summary.warnings.filter {
                $0.column == "deadline" && $0.message.contains("вне срока программы 01.09.2023–31.08.2024")
            }
            // 1.1–1.3, 2.1, 2.2, 3.1, 3.3 and 6.2–6.6 name spring 2023, before the plan's academic year begins.
            XCTAssertEqual(outside.map(\.line), [4, 6, 7, 21, 22, 24, 28, 114, 115, 116, 117, 118])
            XCTAssertTrue(outside.allSatisfy { $0.description.hasPrefix("chern.csv:") })
            let found = try await PlanRepository(db: store.db).programme(code: "CHR")
            let plan = try XCTUnwrap(found)
            XCTAssertEqual(plan.period, CalendarDay(year: 2023, month: 9, day: 1)...CalendarDay(year: 2024, month: 8, day: 31))
        }
    }
}
