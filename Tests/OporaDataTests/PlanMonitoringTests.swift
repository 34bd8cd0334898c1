import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// `PlanRepository.monitoring`: the start page's reminders and «Сегодня» read every running programme's roadmap and
/// indicators in a few queries together, and find what one programme at a time finds. Seed 004 (Первоуральск) beside
/// a second programme with no roadmap and no indicators, so rows of one programme never land in the other.
final class PlanMonitoringTests: XCTestCase {
    func oneAtATime(_ repository: PlanRepository, _ plan: PlanModel, today: CalendarDay) async throws -> ([String], [String]) {
        let rows = RoadmapRow.rows(try await repository.measures(plan.id!), period: plan.period, today: today)
        let indicators = try await repository.indicators(plan.id!)
        let valued = Set(try await repository.values(plan.id!).filter { $0.year == today.year }.map(\.indicatorID))
        let withValues = Set(indicators.filter { $0.id.map(valued.contains) ?? false }.map(\.code))
        let missing = CollectionSchedule.missing(indicators.map(\.monitored), month: today.month, withValues: withValues)
        return (rows.map { "\($0.measure.number) \($0.progress)" }, missing.map(\.code))
    }

    func testAllProgrammesTogetherFindWhatOneAtATimeFinds() async throws {
        try await TestEngines.withEachStore { store in
            let importer = Importer(db: store.db, actor: .commandLine)
            _ = try await importer.importFile(.schools, bytes: Array("""
                code,name,municipality,region
                PV1,МАОУ СОШ № 1,Первоуральск,Свердловская область
                """.utf8), fileName: "schools.csv")
            for (kind, file) in PlanBulkImportTests.seedFiles {
                _ = try await importer.importFile(kind, bytes: try PlanBulkImportTests.fixture(file), fileName: file)
            }
            _ = try await importer.importFile(.programmes, bytes: Array("""
                code;name;start;end;level;territory
                P05;Программа без дорожной карты;01.01.2023;31.12.2025;municipality;Первоуральск
                """.utf8), fileName: "p05.csv")
            let repository = PlanRepository(db: store.db)
            for today in [CalendarDay(year: 2023, month: 5, day: 15), CalendarDay(year: 2024, month: 5, day: 15),
                          CalendarDay(year: 2024, month: 9, day: 1)] {
                let together = try await repository.monitoring(.everything, today: today)
                XCTAssertEqual(Set(together.map(\.plan.code)), ["P04", "P05"], "\(today.russian)")
                for monitored in together {
                    let (rows, missing) = try await self.oneAtATime(repository, monitored.plan, today: today)
                    XCTAssertEqual(monitored.rows.map { "\($0.measure.number) \($0.progress)" }, rows, "\(monitored.plan.code)")
                    XCTAssertEqual(monitored.missingIndicators, missing, "\(monitored.plan.code) \(today.russian)")
                }
                let p04 = try XCTUnwrap(together.first { $0.plan.code == "P04" })
                XCTAssertGreaterThan(p04.rows.count, 40, "seed 004's roadmap")
                XCTAssertTrue(together.first { $0.plan.code == "P05" }?.rows.isEmpty ?? false)
                if today.year == 2023 {
                    XCTAssertEqual(p04.missingIndicators, [], "every indicator has its 2023 value")
                } else {
                    XCTAssertTrue(Set(["1", "2"]).isSubset(of: p04.missingIndicators), "\(p04.missingIndicators)")
                }
            }
            let ended = try await repository.monitoring(.everything, today: CalendarDay(year: 2030, month: 5, day: 15))
            XCTAssertTrue(ended.isEmpty, "programmes ended before last year are not monitored")
        }
    }
}
