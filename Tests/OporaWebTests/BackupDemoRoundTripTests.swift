import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
@testable import OporaWeb
import XCTest

/// The demo installation (every kind of record: registry, per-student results, risks, users, programmes under
/// review, plans, orders, the support network, the audit log) backed up and restored into an empty database of
/// each engine: every table holds the same rows afterwards, and the derived answers are the same.
final class BackupDemoRoundTripTests: XCTestCase {
    func testTheDemoInstallationRoundTripsTableByTable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestEngines.withEachStore { source in
            _ = try await DemoData.load(into: source.db, bcryptCost: 4)
            let archive = folder.appendingPathComponent("demo.jsonl.gz").path
            try await Backup.write(from: source, to: archive)
            var original = try ArchiveDump.tables(archive)
            original["audit_log"]?.removeAll { $0.contains("«backup»") }
            let filled = original.filter { !$0.value.isEmpty }.keys
            XCTAssertGreaterThan(filled.count, 25, "the demo fills most tables: \(filled.sorted())")

            for empty in try await RestoreTargets.all() {
                defer { empty.remove() }
                let target = try await OporaStore.open(empty.target, migrating: false)
                try await Restore.load(archive, into: target)
                let again = folder.appendingPathComponent("again.jsonl.gz").path
                try await Backup.write(from: target, to: again)
                var copy = try ArchiveDump.tables(again)
                copy["audit_log"]?.removeAll { $0.contains("«backup»") }
                XCTAssertEqual(Set(copy.keys), Set(original.keys))
                for table in original.keys.sorted() {
                    XCTAssertEqual(copy[table] ?? [], original[table] ?? [],
                                   "\(table): \(source.target.displayName) → \(empty.target.displayName)")
                }
                let year = 2025
                let main = try await MunicipalityModel.query(on: target.db).filter(\.$name == DemoMunicipality.mainMunicipality).first()!
                let before = try await IdentificationRepository(db: source.db).identify(
                    year: year, criteria: .pervouralsk, scope: .municipality(main.id!)).map { "\($0.school.code) \($0.result.status)" }
                let after = try await IdentificationRepository(db: target.db).identify(
                    year: year, criteria: .pervouralsk, scope: .municipality(main.id!)).map { "\($0.school.code) \($0.result.status)" }
                XCTAssertEqual(after, before)
                await target.close()
            }
        }
    }
}
