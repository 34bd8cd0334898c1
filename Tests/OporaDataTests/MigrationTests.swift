import FluentKit
import Foundation
import OporaData
import OporaDomain
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

    /// v009 moves per-student rows from `scores` into `score_groups`: the same students, the same counts.
    func testStudentRowsOfAnOlderVersionMoveIntoGroupsWithTheirCounts() async throws {
        let older = Array(OporaMigrations.all.prefix(8))
        XCTAssertEqual(older.last?.name, "v008_criteria_sets")
        try await TestEngines.withEachStore(migrations: older) { store in
            let region = RegionModel(name: "Тульская область")
            try await region.create(on: store.db)
            let district = MunicipalityModel(regionID: region.id!, name: "Чернский район")
            try await district.create(on: store.db)
            let school = SchoolModel(code: "L1", name: "МКОУ «Липицкая СОШ»", municipalityID: district.id!)
            try await school.create(on: store.db)
            let sql = store.db as! any SQLDatabase
            // Seed 000, ВПР mathematics grade 5: 14 students, five «2».
            let marks = [2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4]
            for (index, mark) in marks.enumerated() {
                try await sql.raw("""
                    INSERT INTO scores (school_id, year, procedure, grade, subject, student, class, mark, term_mark, primary_score, score)
                    VALUES (\(bind: school.id!), 2022, 'VPR', 5, 'math', \(bind: "S\(index + 1)"), '5А', \(bind: mark), 3, \
                    \(bind: Double(index) + 0.5), \(bind: Double(index) + 0.5))
                    """).run()
            }
            try await sql.raw(
                "INSERT INTO thresholds (year, procedure, subject, grade, min_score, high_score) VALUES (2022, 'VPR', 'math', 0, 4, 12)"
            ).run()

            try await store.migrate(OporaMigrations.all)
            let results = try await ResultsRepository(db: store.db).results(ResultFilter(year: 2022), scope: .everything)
            XCTAssertEqual(results.map(\.source), [.students])
            XCTAssertEqual(
                results.first?.counts,
                ResultCounts(
                    participants: 14, m2: 5, m3: 7, m4: 2, m5: 0, belowMin: 5, high: 2, meanScore: 7,
                    lowered: 5, confirmed: 7, raised: 2))
            let stored = try await sql.raw("SELECT rows FROM score_group_rows").all()
            let rows = try StudentRowsCodec.decode(try stored[0].decode(column: "rows", as: Data.self))
            XCTAssertEqual(rows.map(\.student), (1...14).map { "S\($0)" })
            XCTAssertEqual(rows[3].className, "5А")
            XCTAssertEqual(rows[3].result.primaryScore, 3.5)
            do {
                _ = try await sql.raw("SELECT COUNT(*) AS n FROM scores").all()
                XCTFail("the old table is gone")
            } catch {}
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
        XCTAssertEqual(
            try DatabaseTarget.resolve(argument: "y.sqlite", environment: ["OPORA_DATABASE_URL": "x.sqlite"]), .sqliteFile("y.sqlite"))
        XCTAssertTrue(try DatabaseTarget.resolve(argument: "postgres://u:p@localhost:5432/db").isPostgres)
        XCTAssertEqual(try DatabaseTarget(parsing: "postgres://u:p@localhost/db").displayName, "PostgreSQL: postgres://u:***@localhost/db")
    }
}
