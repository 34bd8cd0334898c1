import FluentKit
import Foundation
import OporaData
import SQLKit
import XCTest

/// Issue 24: a page cache is keyed on the data's version, which lives in the database — so an import run by the
/// command line while a server holds cached pages is seen by that server's very next request.
extension CLITests {
    func testAnImportByTheCommandLineRefreshesARunningCache() async throws {
        var targets: [(DatabaseTarget, String)] = [(.sqliteFile(directory.appendingPathComponent("cache.sqlite").path),
                                                    directory.appendingPathComponent("cache.sqlite").path)]
        if let url = ProcessInfo.processInfo.environment["OPORA_TEST_POSTGRES_URL"], let parsed = URL(string: url) {
            targets.append((.postgres(parsed), url))
        }
        for (target, argument) in targets {
            if target.isPostgres {
                let admin = try await OporaStore.open(target, migrating: false)
                try await admin.sql.raw("DROP SCHEMA public CASCADE").run()
                try await admin.sql.raw("CREATE SCHEMA public").run()
                await admin.close()
            }
            let first = try write("first.csv", "code;name;municipality;region\nL1;МКОУ «Липицкая СОШ»;Чернский район;Тульская область\n")
            let imported = try opora(["import", "schools", first, "--db", argument])
            XCTAssertEqual(imported.status, 0, imported.stderr)
            // The «server»: its cache and its database, open while the command line writes.
            let store = try await OporaStore.open(target)
            let cache = DerivedCache()
            func cachedSchools() async throws -> Int {
                let derived = try await DerivedData.open(store.db, cache: cache)
                let db = store.db
                return try await derived.cached(["schools"]) { try await SchoolModel.query(on: db).count() }
            }
            let before = try await cachedSchools()
            XCTAssertEqual(before, 1)
            let second = try write("second.csv",
                                   "code;name;municipality;region\nL2;МБОУ «Чернская СОШ № 1»;Чернский район;Тульская область\n")
            let again = try opora(["import", "schools", second, "--db", argument])
            XCTAssertEqual(again.status, 0, again.stderr)
            let after = try await cachedSchools()
            XCTAssertEqual(after, 2, "\(target.displayName): the running cache sees the command line's import")
            // A command that only reads (stats) leaves the cached value in place.
            let version = try await DataVersion.current(store.db)
            _ = try opora(["stats", "--year", "2022", "--procedure", "VPR", "--db", argument])
            let unchanged = try await DataVersion.current(store.db)
            XCTAssertEqual(unchanged, version, "\(target.displayName): reading does not bump the version")
            await store.close()
        }
    }
}
