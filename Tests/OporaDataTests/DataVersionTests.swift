import FluentKit
import Foundation
@testable import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Issue 24, «page caches keyed on an explicit data version that every write bumps in the data layer, not on
/// "every write also writes an audit row"»: writes with no audit row still refresh a cached page, reads leave the
/// version alone, and a restore never goes back to a version a server may have cached.
final class DataVersionTests: XCTestCase {
    let schools = "code;name;municipality;region\nL1;МКОУ «Липицкая СОШ»;Чернский район;Тульская область\n"

    /// A cached value, as `req.cachedModel` keeps a page's model: the number of thresholds stored.
    func cachedThresholds(_ db: any Database, _ cache: DerivedCache) async throws -> Int {
        let derived = try await DerivedData.open(db, cache: cache)
        return try await derived.cached(["thresholds"]) {
            struct Row: Decodable { let count: Int }
            return try await db.sql.raw("SELECT COUNT(*) AS count FROM thresholds").first(decoding: Row.self)?.count ?? 0
        }
    }

    func auditRows(_ db: any Database) async throws -> Int { try await AuditEntryModel.query(on: db).count() }

    func testBulkWritesWithNoAuditRowStillRefreshACachedPage() async throws {
        try await TestEngines.withEachStore { store in
            let cache = DerivedCache()
            let before = try await cachedThresholds(store.db, cache)
            let audited = try await auditRows(store.db)
            let version = try await DataVersion.current(store.db)
            // The plans' bulk path (`BulkRows`).
            try await store.db.transaction { tx in
                try await tx.sql.insertRows(into: "thresholds", columns: ["year", "procedure", "subject", "grade", "min_score"],
                                            items: [2022, 2023]) { year in [year, "OGE", "math", 9, 8.0] }
            }
            let afterBulkRows = try await cachedThresholds(store.db, cache)
            XCTAssertEqual(afterBulkRows, before + 2, "\(store.target.displayName): a BulkRows write refreshes the cached value")
            // The support imports' bulk path (`BulkTable`: COPY on PostgreSQL).
            try await store.db.transaction { tx in
                try await BulkTable(name: "thresholds", columns: ["year", "procedure", "subject", "grade", "min_score"])
                    .write([2024], on: tx) { year in [.int(year), .text("OGE"), .text("math"), .int(9), .double(8)] }
            }
            let afterBulkTable = try await cachedThresholds(store.db, cache)
            XCTAssertEqual(afterBulkTable, before + 3, "\(store.target.displayName): a BulkTable write refreshes the cached value")
            let auditedAfter = try await auditRows(store.db)
            XCTAssertEqual(auditedAfter, audited, "the bulk writes wrote no audit row")
            let versionAfter = try await DataVersion.current(store.db)
            XCTAssertGreaterThan(versionAfter, version)
        }
    }

    func testAScoresWriteWithNoAuditRowRefreshesTheCachedResults() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await Importer(db: store.db, actor: .commandLine)
                .importFile(.schools, bytes: Array(schools.utf8), fileName: "schools.csv")
            let schoolID = try await SchoolModel.query(on: store.db).first()!.requireID()
            let cache = DerivedCache()
            let empty = try await DerivedData.open(store.db, cache: cache).yearResults(2022)
            XCTAssertEqual(empty.count, 0)
            let audited = try await auditRows(store.db)
            let work = WorkKey(year: 2022, procedure: .vpr, grade: 5, subject: "math")
            let rows = (1...4).map { StudentRow(student: "S\($0)", result: StudentResult(mark: 2 + $0 % 3)) }
            _ = try await store.db.transaction { tx in
                try await ScoreGroupStore(db: tx).write([(schoolID: schoolID, group: ScoreGroup(work: work, school: "L1", rows: rows))])
            }
            let auditedAfter = try await auditRows(store.db)
            XCTAssertEqual(auditedAfter, audited, "the repository's save wrote no audit row")
            let results = try await DerivedData.open(store.db, cache: cache).yearResults(2022)
            XCTAssertEqual(results.map(\.counts.participants), [4], "\(store.target.displayName): the cached year's results are refreshed")
        }
    }

    func testReadsDoNotBumpTheVersionAndAnAuditedChangeDoes() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await Importer(db: store.db, actor: .commandLine)
                .importFile(.schools, bytes: Array(schools.utf8), fileName: "schools.csv")
            let version = try await DataVersion.current(store.db)
            XCTAssertGreaterThan(version, 0, "the import bumped the version")
            let cache = DerivedCache()
            let derived = try await DerivedData.open(store.db, cache: cache)
            _ = try await derived.yearResults(2022)
            _ = try await derived.identification(year: 2022, criteria: .pervouralsk, scope: .everything)
            _ = try await ResultsRepository(db: store.db).availableWorks(scope: .everything)
            _ = try await AuditEntryModel.query(on: store.db).all()
            try await store.db.transaction { tx in _ = try await SchoolModel.query(on: tx).all() }
            let afterReads = try await DataVersion.current(store.db)
            XCTAssertEqual(afterReads, version, "\(store.target.displayName): reads leave the version alone")
            try await AuditLog.record(on: store.db, actor: .commandLine, action: "update", entity: "school", entityID: nil,
                                      summary: "проверка")
            let afterAudit = try await DataVersion.current(store.db)
            XCTAssertEqual(afterAudit, version + 1)
        }
    }

    func testARestoreIsNeverBelowTheVersionOfTheDatabaseItFills() async throws {
        try await TestEngines.withEachStore { store in
            // A backup of an older schema's empty database: its version is the migration's 0 once restored.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-version-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let archive = folder.appendingPathComponent("empty.jsonl.gz").path
            _ = try await Backup.write(from: store, to: archive)
            let source = try await DataVersion.current(store.db)
            for empty in try await RestoreTargets.all() {
                defer { empty.remove() }
                let target = try await OporaStore.open(empty.target, migrating: true)
                // The emptied database had served pages at a version above the archive's.
                try await target.sql.raw("UPDATE data_version SET version = \(bind: source + 5) WHERE id = 1").run()
                await target.close()
                let reopened = try await OporaStore.open(empty.target, migrating: false)
                try await Restore.load(archive, into: reopened)
                let restored = try await DataVersion.current(reopened.db)
                XCTAssertEqual(restored, source + 6, "\(empty.target.displayName): above the version a server may have cached")
                await reopened.close()
            }
        }
    }
}
