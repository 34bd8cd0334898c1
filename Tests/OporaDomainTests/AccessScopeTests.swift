import OporaDomain
import XCTest

final class AccessScopeTests: XCTestCase {
    let schoolInA = SchoolPlace(schoolID: 1, municipalityID: 10, regionID: 100)
    let schoolInB = SchoolPlace(schoolID: 2, municipalityID: 20, regionID: 100)
    let schoolElsewhere = SchoolPlace(schoolID: 3, municipalityID: 30, regionID: 200)

    func testMembership() throws {
        let cases: [(AccessScope, [Bool])] = [
            (.everything, [true, true, true]),
            (.region(100), [true, true, false]),
            (.municipality(10), [true, false, false]),
            (.schools([2, 3]), [false, true, true]),
            (.schools([]), [false, false, false]),
        ]
        for (scope, expected) in cases {
            XCTAssertEqual([schoolInA, schoolInB, schoolElsewhere].map(scope.contains), expected, "\(scope)")
        }
    }

    func testGrantingOnlyWithinOwnScope() throws {
        let regionOf: (Int) -> Int? = { [10: 100, 20: 100, 30: 200][$0] }
        let placeOf: (Int) -> SchoolPlace? = { [1: self.schoolInA, 2: self.schoolInB, 3: self.schoolElsewhere][$0] }
        let cases: [(AccessScope, AccessScope, Bool)] = [
            (.municipality(10), .region(100), true),
            (.municipality(30), .region(100), false),
            (.schools([1]), .municipality(10), true),
            (.schools([1, 2]), .municipality(10), false),
            (.region(100), .municipality(10), false),
            (.everything, .region(100), false),
            (.region(200), .everything, true),
            (.municipality(10), .schools([1]), false),
        ]
        for (requested, grantor, expected) in cases {
            XCTAssertEqual(
                requested.isWithin(grantor, municipalityRegion: regionOf, schoolPlace: placeOf), expected, "\(requested) within \(grantor)")
        }
    }

    func testRolePermissions() throws {
        XCTAssertTrue(Role.regionalAnalyst.canManageRegions)
        XCTAssertFalse(Role.municipalCoordinator.canManageRegions)
        XCTAssertTrue(Role.municipalCoordinator.canViewAudit)
        XCTAssertFalse(Role.viewer.canEditSchools)
        XCTAssertFalse(Role.curator.canEditSchools)
        XCTAssertTrue(Role.schoolAdmin.canEditSchools)
        XCTAssertFalse(Role.schoolAdmin.canCreateSchools)
        XCTAssertEqual(
            Set(Role.allCases.map(\.rawValue)), ["regional_analyst", "municipal_coordinator", "curator", "school_admin", "viewer"])
    }

    func testDemoTerritoryIsRealisticAndDeterministic() throws {
        let schools = DemoMunicipality.schools()
        XCTAssertEqual(schools, DemoMunicipality.schools())
        let main = schools.filter { $0.municipality == DemoMunicipality.mainMunicipality }
        XCTAssertEqual(main.count, 25)
        XCTAssertEqual(main.compactMap(\.students).min(), 5)
        XCTAssertEqual(main.compactMap(\.students).max(), 1480)
        XCTAssertTrue(main.contains { $0.settlement == .urban } && main.contains { $0.settlement == .rural })
        XCTAssertEqual(Set(schools.map(\.code)).count, schools.count)
        let reparsed = try? SchoolFile.parse(DelimitedTextReader.read(Array(DemoMunicipality.schoolsCSV().utf8)), file: "demo.csv").records
        XCTAssertEqual(reparsed?.map(\.code), schools.map(\.code))
        XCTAssertEqual(reparsed?.map(\.name), schools.map(\.name))
    }
}
