import FluentKit
import OporaData
import OporaDomain
import OporaTestSupport
@testable import OporaWeb
import XCTest

/// The demo's curator holds listed schools too (issue 24: the support board read «не назначен» on every listed
/// school while the municipality had a curator), and the curator's scope reaches them.
final class DemoCuratorTests: XCTestCase {
    func testTheDemoCuratorHoldsListedSchools() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await DemoData.load(into: store.db, bcryptCost: 4)
            let year = DemoData.resultYears.last!
            let listed = try await IdentificationRepository(db: store.db).listInForce(year: year, scope: .everything) ?? [:]
            XCTAssertFalse(listed.isEmpty)
            let curators = try await SupportRepository(db: store.db).curatorNames(of: Array(listed.keys))
            XCTAssertGreaterThanOrEqual(curators.count, 3, "listed schools with a curator: \(curators)")
            XCTAssertTrue(curators.values.allSatisfy { $0 == ["Лебедева Ольга Петровна"] })
            let user = try await UserModel.query(on: store.db).filter(\.$login == "curator").first()!
            let (scope, _) = try await UserScopes.scope(of: user, on: store.db)
            guard case .schools(let held) = scope else { return XCTFail("a curator's scope is its schools") }
            XCTAssertTrue(Set(curators.keys).isSubset(of: held))
        }
    }
}
