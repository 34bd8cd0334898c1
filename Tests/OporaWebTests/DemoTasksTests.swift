import FluentKit
import OporaData
import OporaDomain
import OporaTestSupport
@testable import OporaWeb
import XCTest

/// The demo territory has task-level ВПР results for the pages (issue 20): the same pupils and marks as its
/// `scores`, and three schools with one objectivity marker each.
final class DemoTasksTests: XCTestCase {
    func testTheDemoHasTaskResultsWithMarkersAndUnchangedMarks() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await DemoData.load(into: store.db, bcryptCost: 4)
            let repository = TaskRepository(db: store.db)
            let year = DemoData.resultYears.last!
            let work = WorkKey(year: year, procedure: .vpr, grade: 5, subject: "math")
            let works = try await repository.works()
            XCTAssertEqual(works, [WorkKey(year: year - 1, procedure: .vpr, grade: 5, subject: "math"), work])
            let regionReport = try await repository.report(work, for: .everything)
            let report = try XCTUnwrap(regionReport)
            XCTAssertGreaterThan(report.participants, 100)
            XCTAssertEqual(report.histogram.count, 21)
            XCTAssertEqual(report.tasks.count, 12)
            XCTAssertTrue(report.tasks.allSatisfy { $0.region != nil && $0.russia != nil })
            // The pupils' marks are the demo's own: the tallies' marks add up to the results' counts.
            let results = try await ResultsRepository(db: store.db).results(ResultFilter(year: year), scope: .everything)
                .filter { $0.work == work }
            XCTAssertEqual(results.reduce(0) { $0 + $1.counts.participants }, report.participants)

            // Three schools show one marker each (the first three of the last spring with 20 pupils or more, by code).
            let markers = try await repository.schoolMarkers(year: year, scope: .everything)
            let kinds = markers.flatMap { $0.markers.map(\.kind) }
            XCTAssertEqual(kinds.filter { $0 == .boundaryExcess }.count, 1, "\(kinds)")
            XCTAssertEqual(kinds.filter { $0 == .hardAboveEasy }.count, 1, "\(kinds)")
            XCTAssertEqual(kinds.filter { $0 == .marksOffScale }.count, 1, "\(kinds)")
            XCTAssertEqual(markers.count, 3)
        }
    }
}
