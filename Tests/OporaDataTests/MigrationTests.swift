import FluentKit
import OporaData
import OporaTestSupport
import SQLKit
import XCTest

final class MigrationTests: XCTestCase {
    func testFreshDatabaseHasEveryTableAndTheCatalogues() async throws {
        try await TestEngines.withEachStore { store in
            let subjects = try await SubjectModel.query(on: store.db).count()
            let procedures = try await ProcedureModel.query(on: store.db).all().map(\.code).sorted()
            XCTAssertEqual(subjects, 16)
            XCTAssertEqual(procedures, ["DIAG", "EGE", "GVE", "OGE", "PISA", "TERM", "VPR"])
            try await assertEqualAsync(try await AuditEntryModel.query(on: store.db).count(), 0)
        }
    }

    func testDatabaseOfAnOlderVersionUpgradesInPlaceKeepingData() async throws {
        let older = Array(OporaMigrations.all.prefix(2))
        try await TestEngines.withEachStore(migrations: older) { store in
            // An "old" database: registry only, with data in it.
            let region = RegionModel(name: "Тульская область")
            try await region.create(on: store.db)
            let district = MunicipalityModel(regionID: region.id!, name: "Чернский район")
            try await district.create(on: store.db)
            try await SchoolModel(code: "71001", name: "МКОУ «Липицкая СОШ»", municipalityID: district.id!).create(on: store.db)
            do {
                _ = try await UserModel.query(on: store.db).count()
                XCTFail("the users table must not exist before the upgrade")
            } catch {}

            // The new version opens it: the remaining migrations run, nothing is lost.
            try await store.migrate(OporaMigrations.all)
            try await assertEqualAsync(try await SchoolModel.query(on: store.db).first()?.name, "МКОУ «Липицкая СОШ»")
            try await assertEqualAsync(try await UserModel.query(on: store.db).count(), 0)
            // Running again is a no-op.
            try await store.migrate(OporaMigrations.all)
            try await assertEqualAsync(try await SubjectModel.query(on: store.db).count(), 16)
        }
    }

    func testMigrationNamesAreUniqueAndVersioned() {
        let names = OporaMigrations.all.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        XCTAssertEqual(names, names.sorted())
        XCTAssertTrue(names.allSatisfy { $0.hasPrefix("v") })
    }

    func testBadDatabaseAddressGivesAClearError() async throws {
        XCTAssertThrowsError(try DatabaseTarget(parsing: "mysql://x/y")) { error in
            XCTAssertTrue("\(error)".contains("postgres://"))
        }
        XCTAssertThrowsError(try DatabaseTarget(parsing: "postgres://user@host"))
        do {
            _ = try await OporaStore.open(try DatabaseTarget(parsing: "postgres://nobody:secret@127.0.0.1:1/nothing"))
            XCTFail("must not connect")
        } catch {
            let text = "\(error)"
            XCTAssertTrue(text.contains("База данных недоступна"), text)
            XCTAssertFalse(text.contains("secret"), "the password must not be printed: \(text)")
        }
    }

    func testTargetResolutionOrder() throws {
        XCTAssertEqual(try DatabaseTarget.resolve(argument: nil, environment: [:]), .sqliteFile("opora.sqlite"))
        XCTAssertEqual(try DatabaseTarget.resolve(argument: nil, environment: ["OPORA_DATABASE_URL": "x.sqlite"]), .sqliteFile("x.sqlite"))
        XCTAssertEqual(try DatabaseTarget.resolve(argument: "y.sqlite", environment: ["OPORA_DATABASE_URL": "x.sqlite"]), .sqliteFile("y.sqlite"))
        XCTAssertTrue(try DatabaseTarget.resolve(argument: "postgres://u:p@localhost:5432/db").isPostgres)
        XCTAssertEqual(try DatabaseTarget(parsing: "postgres://u:p@localhost/db").displayName, "PostgreSQL: postgres://u:***@localhost/db")
    }
}
