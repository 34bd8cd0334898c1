import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// `opora check` (issue 23): a database written by the importers passes; crafted faults — an orphan row, a broken
/// reference without a declared key, a record without its creating audit row, a work without its pupils — are each
/// found with their table and row. On both engines.
final class DatabaseCheckTests: XCTestCase {
    /// Schools, per-pupil results and an order, all through the importers.
    func fill(_ store: OporaStore) async throws {
        let importer = Importer(db: store.db, actor: .commandLine)
        _ = try await importer.importFile(.schools, bytes: Array("""
            code,name,municipality,region
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
            """.utf8), fileName: "s.csv")
        _ = try await importer.importFile(.scores, bytes: Array("""
            year,procedure,grade,subject,school,student,mark
            2023,VPR,5,math,A1,S1,2
            2023,VPR,5,math,A1,S2,4
            2023,VPR,5,math,A2,S3,3
            """.utf8), fileName: "scores.csv")
        _ = try await importer.importFile(
            .approvedList, bytes: Array("year,school,order_number,order_date,territory\n2023,A1,21,01.03.2023,Чернский район\n".utf8),
            fileName: "list.csv")
    }

    /// Writes what the application never would: PostgreSQL's keys are suspended for one transaction (the test
    /// database's user is a superuser), SQLite's for one connection (one event loop's pool holds one).
    func withoutKeys<T: Sendable>(_ store: OporaStore,
                                  _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if store.target.isPostgres {
            return try await store.db.transaction { tx in
                try await tx.sql.raw("SET LOCAL session_replication_role = replica").run()
                return try await body(tx.sql)
            }
        }
        let db = store.db
        try await db.sql.raw("PRAGMA foreign_keys = OFF").run()
        let value = try await body(db.sql)
        try await db.sql.raw("PRAGMA foreign_keys = ON").run()
        return value
    }

    struct ID: Decodable { let id: Int }

    func testADatabaseWrittenByTheImportersPasses() async throws {
        try await TestEngines.withEachStore { store in
            try await fill(store)
            let report = await DatabaseChecker(db: store.db).run()
            XCTAssertTrue(report.ok, report.text)
            XCTAssertGreaterThan(report.rows, 10)
            XCTAssertEqual(report.checks.filter { $0.kind == .reference }.count, DatabaseCheckRules.references.count)
            XCTAssertEqual(report.checks.filter { $0.kind == .audit }.count, DatabaseCheckRules.auditRules.count)
            XCTAssertTrue(report.text.contains("нарушений нет"), report.text)
            XCTAssertTrue(report.text.contains("✓ results.school_id → schools.id"), report.text)
        }
    }

    func testAnOrphanRowIsFoundWithItsTableAndRow() async throws {
        try await TestEngines.withEachStore { store in
            try await fill(store)
            let orphan = try await withoutKeys(store) { sql in
                try await sql.raw("""
                    INSERT INTO results (school_id, year, procedure, grade, subject, participants) VALUES (9999, 2023, 'VPR', 6, 'rus', 10)
                    RETURNING id
                    """).first(decoding: ID.self)!.id
            }
            let report = await DatabaseChecker(db: store.db).run()
            XCTAssertFalse(report.ok)
            let faults = report.faults.filter { $0.kind == .reference }
            XCTAssertEqual(faults.map(\.check), ["results.school_id → schools.id"], report.text)
            XCTAssertEqual(faults.first?.table, "results")
            XCTAssertEqual(faults.first?.rowID, orphan)
            XCTAssertTrue(report.text.contains("results, строка \(orphan): school_id = 9999"), report.text)
            if !store.target.isPostgres {
                // SQLite's own check sees it too.
                XCTAssertTrue(report.faults.contains { $0.kind == .engine && $0.table == "results" && $0.rowID == orphan }, report.text)
            }
        }
    }

    func testABrokenReferenceWithoutADeclaredKeyAndAMissingAuditRowAreFound() async throws {
        try await TestEngines.withEachStore { store in
            try await fill(store)
            let list = try await store.sql.raw("""
                INSERT INTO identification_lists (year, municipality_id, scope_label, criteria_name, criteria_json, order_number,
                  order_date, approved_by, approved_at, issuer, authority)
                VALUES (2024, 777, 'Нет такого', 'приказ', '{}', '5', \(bind: Date()), 'кто-то', \(bind: Date()), 'орган', 'own')
                RETURNING id
                """).first(decoding: ID.self)!.id
            let report = await DatabaseChecker(db: store.db).run()
            XCTAssertEqual(report.faultCount, 2, report.text)
            let reference = report.faults.first { $0.kind == .reference }
            XCTAssertEqual(reference?.check, "identification_lists.municipality_id → municipalities.id")
            XCTAssertEqual(reference?.rowID, list)
            let audit = report.faults.first { $0.kind == .audit }
            XCTAssertEqual(audit?.table, "identification_lists")
            XCTAssertEqual(audit?.rowID, list)
            XCTAssertTrue(audit?.message.contains("нет записи о создании") ?? false, report.text)
        }
    }

    func testAUserWithoutItsCreatingAuditRowAndAWorkWithoutItsPupilsAreFound() async throws {
        try await TestEngines.withEachStore { store in
            try await fill(store)
            let user = try await store.sql.raw("""
                INSERT INTO users (login, full_name, password_hash, role, is_active, created_at)
                VALUES ('ghost', 'Без записи', 'x', 'viewer', \(bind: true), \(bind: Date())) RETURNING id
                """).first(decoding: ID.self)!.id
            let group = try await store.sql.raw("SELECT id FROM score_groups ORDER BY id LIMIT 1").first(decoding: ID.self)!.id
            try await store.sql.raw("DELETE FROM score_group_rows WHERE group_id = \(bind: group)").run()
            let report = await DatabaseChecker(db: store.db).run()
            XCTAssertEqual(Set(report.faults.map(\.kind)), [.audit, .part], report.text)
            XCTAssertTrue(report.faults.contains { $0.kind == .audit && $0.table == "users" && $0.rowID == user }, report.text)
            XCTAssertTrue(report.faults.contains { $0.kind == .part && $0.table == "score_groups" && $0.rowID == group }, report.text)
        }
    }

    func testTheReportIsKeptAndTheNewestIsRead() async throws {
        try await TestEngines.withEachStore { store in
            let checks = DatabaseCheckStore(db: store.db)
            try await assertTrueAsync(try await checks.latest() == nil)
            try await fill(store)
            try await checks.save(await DatabaseChecker(db: store.db).run(), source: .command)
            try await store.sql.raw("UPDATE audit_log SET entity = 'changed' WHERE entity = 'identification_list'").run()
            let faulty = await DatabaseChecker(db: store.db).run()
            try await checks.save(faulty, source: .serve)
            let latest = try await checks.latest()
            XCTAssertEqual(latest?.faultCount, 1)
            XCTAssertEqual(latest?.faults.first?.table, "identification_lists")
            let finished = try await checks.lastFinished()
            XCTAssertNotNil(finished)
        }
    }

    func testTheSchemaCheckNamesMissingAndUnknownMigrations() {
        let faults = SchemaState.faults(applied: ["v001", "v099_future"], known: ["v001", "v002"])
        XCTAssertEqual(faults.map(\.message), ["миграция v002 не применена: схема базы старее программы",
                                               "миграция v099_future неизвестна этой версии программы: база создана более новой версией"])
        XCTAssertTrue(SchemaState.faults(applied: ["v001"], known: ["v001"]).isEmpty)
    }

    /// Every column that looks like a reference is in the check's list (a new table with one must be added to it).
    func testEveryColumnThatLooksLikeAReferenceIsChecked() async throws {
        try await TestEngines.withEachStore { store in
            guard !store.target.isPostgres else { return }
            struct Column: Decodable { let table_name: String; let name: String }
            struct Name: Decodable { let name: String }
            let tables = try await store.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                .all(decoding: Name.self).map(\.name)
            let listed = Set(DatabaseCheckRules.references.map { "\($0.table).\($0.column)" })
            // Columns that look like references and are not ones (documented in DatabaseCheckRules).
            let notReferences: Set<String> = ["management_decisions.finding_ref", "audit_log.entity_id"]
            var missing: [String] = []
            for table in tables {
                let columns = try await store.sql
                    .raw("SELECT \(literal: table) AS table_name, name FROM pragma_table_info(\(literal: table))")
                    .all(decoding: Column.self)
                for column in columns where column.name.hasSuffix("_id") || column.name == "factor" || column.name == "parent_id" {
                    let key = "\(table).\(column.name)"
                    if !listed.contains(key) && !notReferences.contains(key) { missing.append(key) }
                }
            }
            XCTAssertEqual(missing, [], "columns that look like references but are not checked")
        }
    }
}
