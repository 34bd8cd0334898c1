import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// `EffectRepository` (issue 21): each school's counts of a procedure summed per year in the database, the list in force
/// per year through `ListInForce`, the scope's schools only. Figures computed by hand (`EffectFixture`); on both engines.
final class EffectDataTests: XCTestCase {
    func prepare(_ store: OporaStore, orders: Bool = true) async throws -> (municipality: Int, region: Int) {
        let importer = Importer(db: store.db, actor: .commandLine)
        _ = try await importer.importFile(.schools, bytes: Array(EffectFixture.schools.utf8), fileName: "s.csv")
        _ = try await importer.importFile(.results, bytes: Array(EffectFixture.results.utf8), fileName: "r.csv")
        if orders {
            for (year, list) in EffectFixture.lists {
                _ = try await importer.importFile(.approvedList, bytes: Array(list.utf8), fileName: "list-\(year).csv")
            }
        }
        let municipality = try await MunicipalityModel.query(on: store.db).filter(\.$name == "Чернский район").first()!.id!
        let region = try await RegionModel.query(on: store.db).first()!.id!
        return (municipality, region)
    }

    func codes(_ store: OporaStore, _ ids: [Int]) async throws -> [String] {
        try await SchoolModel.query(on: store.db).filter(\.$id ~~ ids).all().map(\.code).sorted()
    }

    func testTheMunicipalitysComparisonFromTheDatabase() async throws {
        try await TestEngines.withEachStore { store in
            let place = try await prepare(store)
            let analysis = try await EffectRepository(db: store.db).analyse(
                from: 2022, to: 2023, procedure: .vpr, metric: .belowMinRate, scope: .municipality(place.municipality))
            let main = try XCTUnwrap(analysis).main
            let supportedCodes = try await codes(store, main.supported.schoolIDs)
            let comparisonCodes = try await codes(store, main.comparison.schoolIDs)
            XCTAssertEqual(supportedCodes, ["S1", "S2", "S3", "S4", "S5"])
            // X1 and X2 are out of range, L1 listed in 2023, Z1 without 2023, Y1 outside the municipality.
            XCTAssertEqual(comparisonCodes, ["C1", "C2", "C3", "C4", "C5"])
            XCTAssertEqual(try XCTUnwrap(main.supported.before), 27, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(main.supported.after), 14.5, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(main.comparison.before), 25, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(main.comparison.after), 21, accuracy: 1e-9)
            // (14,5 − 27) − (21 − 25) = −8,5 points.
            XCTAssertEqual(try XCTUnwrap(main.effect), -8.5, accuracy: 1e-9)
            XCTAssertTrue(main.enough)
            XCTAssertTrue(try XCTUnwrap(main.interval).contains(-8.5))
            // Sensitivity adds X1 and X2: 72 of 280 → 60 of 280.
            let sensitivity = try XCTUnwrap(analysis).sensitivity
            XCTAssertEqual(try XCTUnwrap(sensitivity.effect), -12.5 + 1200.0 / 280, accuracy: 1e-9)
        }
    }

    func testTheRegionTakesItsOtherMunicipalitysSchoolsAndNoOrderMeansNoAnswer() async throws {
        try await TestEngines.withEachStore { store in
            let place = try await prepare(store)
            let repository = EffectRepository(db: store.db)
            let answer = try await repository.analyse(
                from: 2022, to: 2023, procedure: .vpr, metric: .belowMinRate, scope: .region(place.region))
            let region = try XCTUnwrap(answer)
            let comparisonCodes = try await codes(store, region.main.comparison.schoolIDs)
            XCTAssertEqual(comparisonCodes, ["C1", "C2", "C3", "C4", "C5", "Y1"])
            // Comparison 60 of 240 = 25 % → 52 of 240: (14,5 − 27) − (52/240 × 100 − 25).
            XCTAssertEqual(try XCTUnwrap(region.main.effect), -12.5 - (5200.0 / 240 - 25), accuracy: 1e-9)
            // Success: supported 146 of 200 = 73 % → 171 of 200 = 85,5 %; comparison 75 % → 79 %: +12,5 − 4 = +8,5.
            let success = try await repository.analyse(
                from: 2022, to: 2023, procedure: .vpr, metric: .successRate, scope: .municipality(place.municipality))
            XCTAssertEqual(try XCTUnwrap(success?.main.effect), 8.5, accuracy: 1e-9)
            let none = try await repository.analyse(
                from: 2021, to: 2023, procedure: .vpr, metric: .belowMinRate, scope: .region(place.region))
            XCTAssertNil(none, "no order of 2021 is in force: nobody is «supported»")
            let procedures = try await repository.procedures(from: 2022, to: 2023, scope: .municipality(place.municipality))
            XCTAssertEqual(procedures, [.vpr])
        }
    }

    func testPerStudentGroupsReplaceTheAggregatedRowOfTheSameWork() async throws {
        try await TestEngines.withEachStore { store in
            let place = try await prepare(store)
            // S1's 2023 mathematics again, pupil by pupil: 10 pupils, 5 with «2» (instead of 3 of 20).
            var scores = "year,procedure,grade,subject,school,student,mark\n"
            for pupil in 1...10 { scores += "2023,VPR,5,math,S1,P\(pupil),\(pupil <= 5 ? 2 : 4)\n" }
            _ = try await Importer(db: store.db, actor: .commandLine).importFile(.scores, bytes: Array(scores.utf8), fileName: "p.csv")
            let analysis = try await EffectRepository(db: store.db).analyse(
                from: 2022, to: 2023, procedure: .vpr, metric: .belowMinRate, scope: .municipality(place.municipality))
            // Supported 2023: 29 − 3 + 5 = 31 of 200 − 20 + 10 = 190.
            XCTAssertEqual(try XCTUnwrap(analysis?.main.supported.after), 31.0 / 190 * 100, accuracy: 1e-9)
        }
    }
}
