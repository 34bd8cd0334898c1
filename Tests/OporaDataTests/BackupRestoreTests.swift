import FluentKit
import Foundation
@testable import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// `opora backup` / `opora restore` (issue 23): every table round-trips between the engines; damaged, truncated,
/// newer-schema archives and non-empty targets are refused with nothing written; an older schema's archive restores
/// and is migrated; a backup taken while a writer commits pairs of rows never holds half a pair.
final class BackupRestoreTests: XCTestCase {
    static let schools = """
        code,name,municipality,region,settlement,students
        A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область,rural,120
        A2,"МБОУ «Чернская СОШ № 1», корпус Б",Чернский район,Тульская область,urban,640
        B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область,urban,410
        """
    static let results = """
        year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5,mean_score
        2023,VPR,6,math,A1,38,13,13,15,8,2,
        2023,OGE,9,math,A1,29,9,9,12,6,2,14.5
        2023,VPR,6,math,A2,60,6,6,30,20,4,
        2023,OGE,9,math,B1,29,20,20,5,3,1,9.25
        """
    /// Seed 000's ВПР mathematics grade 5 of one school: per-student rows, stored as a blob per group.
    static let scores = "year,procedure,grade,subject,school,student,class,primary_score,mark\n"
        + [2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4]
        .enumerated().map { "2022,VPR,5,math,A1,S\($0.offset + 1),5А,\(Double($0.offset) + 0.5),\($0.element)" }.joined(separator: "\n")
    static let list = """
        year,school,order_number,order_date,status,reason,territory
        2023,A1,12-о,28.02.2023,low_results,«ВПР» и ОГЭ,Чернский район
        """

    func fill(_ store: OporaStore) async throws {
        let importer = Importer(db: store.db, actor: .commandLine)
        _ = try await importer.importFile(.schools, bytes: Array(Self.schools.utf8), fileName: "schools.csv")
        _ = try await importer.importFile(.results, bytes: Array(Self.results.utf8), fileName: "results.csv")
        _ = try await importer.importFile(.scores, bytes: Array(Self.scores.utf8), fileName: "scores.csv")
        _ = try await importer.importFile(.approvedList, bytes: Array(Self.list.utf8), fileName: "list.csv")
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Tables of a database (any, with or without rows).
    func tables(_ target: DatabaseTarget) async throws -> [String] {
        let store = try await OporaStore.open(target, migrating: false)
        let names = try await DatabaseCatalog.tableNames(store.sql, isPostgres: target.isPostgres)
        await store.close()
        return names
    }

    func testEveryTableRoundTripsIntoAnEmptyDatabaseOfEitherEngine() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestEngines.withEachStore { source in
            try await fill(source)
            let archive = folder.appendingPathComponent("source.jsonl.gz").path
            let summary = try await Backup.write(from: source, to: archive)
            XCTAssertGreaterThan(summary.rows, 20)
            let original = try ArchiveDump.tables(archive)
            for table in ["schools", "results", "score_groups", "score_group_rows", "identification_lists", "audit_log", "subjects"] {
                XCTAssertFalse(original[table, default: []].isEmpty, "\(table) is backed up")
            }
            XCTAssertNil(original["user_sessions"], "sessions are not backed up")
            // The backup itself is audited with its size, once, after the archive was written.
            let audited = try await AuditEntryModel.query(on: source.db).filter(\.$action == "backup").all()
            XCTAssertEqual(audited.count, 1)
            XCTAssertEqual(audited.first?.entity, "backup")
            XCTAssertTrue(audited.first?.changes.contains("\"\(summary.bytes)\"") ?? false)

            for empty in try await RestoreTargets.all() {
                defer { empty.remove() }
                let target = try await OporaStore.open(empty.target, migrating: false)
                let restored = try await Restore.load(archive, into: target)
                XCTAssertEqual(restored.rows, summary.rows, empty.target.displayName)
                let again = folder.appendingPathComponent("again.jsonl.gz").path
                try await Backup.write(from: target, to: again)
                var copy = try ArchiveDump.tables(again)
                copy["audit_log"]?.removeAll { $0.contains("«backup»") }
                var expected = original
                expected["audit_log"]?.removeAll { $0.contains("«backup»") }
                for table in Set(expected.keys).union(copy.keys) {
                    XCTAssertEqual(copy[table] ?? [], expected[table] ?? [],
                                   "\(table): \(source.target.displayName) → \(empty.target.displayName)")
                }
                // The figures answer as on the source, and new rows get new ids (PostgreSQL's sequences were reset).
                let before = try await ResultsRepository(db: source.db).results(ResultFilter(year: 2023), scope: .everything)
                let after = try await ResultsRepository(db: target.db).results(ResultFilter(year: 2023), scope: .everything)
                XCTAssertEqual(after.map(\.counts), before.map(\.counts))
                let region = RegionModel(name: "Рязанская область")
                try await region.create(on: target.db)
                let highest = try await RegionModel.query(on: target.db).all().compactMap(\.id).max()
                XCTAssertEqual(region.id, highest)
                await target.close()
            }
        }
    }

    func testADatabaseOpenedBeforeButHoldingNoRecordsIsEmptyEnough() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestEngines.withEachStore { source in
            try await fill(source)
            let archive = folder.appendingPathComponent("a.jsonl.gz").path
            try await Backup.write(from: source, to: archive)
            for empty in try await RestoreTargets.all() {
                defer { empty.remove() }
                // Any earlier command migrated it: schema and the seeded catalogues, no records; `opora check` (or the
                // server's daily check) kept its outcome and somebody tried to sign in — traces, not records.
                let opened = try await OporaStore.open(empty.target)
                try await DatabaseCheckStore(db: opened.db).save(await DatabaseChecker(db: opened.db).run(), source: .command)
                try await LoginAttempts(db: opened.db).record(keys: ["login:analyst"], attempt: "a1", at: Date())
                await opened.close()
                let target = try await OporaStore.open(empty.target, migrating: false)
                try await Restore.load(archive, into: target)
                try await assertEqualAsync(try await SchoolModel.query(on: target.db).count(), 3)
                try await assertEqualAsync(try await SubjectModel.query(on: target.db).count(), 16)
                await target.close()
            }
        }
    }

    /// Rewrites an archive's lines (decompressed), optionally recomputing the checksum so only `edit` is wrong.
    func rewrite(_ path: String, to output: String, recomputeChecksum: Bool, _ edit: (inout [String]) -> Void) throws {
        let reader = try GzipLineReader(path: path)
        var lines: [String] = []
        while let line = try reader.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
        edit(&lines)
        if recomputeChecksum, let last = lines.last, var trailer = BackupFormat.Frame.parse(Substring(last)), trailer.kind == "end" {
            var digest = SHA256Digest()
            for line in lines.dropLast() { digest.update(Array((line + "\n").utf8)) }
            trailer.sha256 = digest.hexDigest()
            lines[lines.count - 1] = trailer.line()
        }
        let writer = try GzipLineWriter(path: output)
        for line in lines { try writer.write(Array((line + "\n").utf8)) }
        try writer.finish()
    }

    func testDamagedTruncatedAndNewerArchivesAreRefusedAndNothingIsWritten() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestEngines.withEachStore { source in
            try await fill(source)
            let archive = folder.appendingPathComponent("good.jsonl.gz").path
            try await Backup.write(from: source, to: archive)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
            func file(_ name: String, _ data: Data) throws -> String {
                let path = folder.appendingPathComponent(name).path
                try data.write(to: URL(fileURLWithPath: path))
                return path
            }
            var flipped = bytes
            flipped[bytes.count / 2] ^= 0x5a
            var cases: [(String, String, String)] = [
                ("half", try file("half.gz", bytes.prefix(bytes.count / 2)), "неполон"),
                ("all but the last byte", try file("short.gz", bytes.dropLast(1)), "неполон"),
                ("a flipped byte", try file("flipped.gz", flipped), "повреждён"),
                ("not gzip", try file("text.gz", Data("schools,1\n".utf8)), "повреждён"),
                ("empty", try file("empty.gz", Data()), "неполон"),
            ]
            let edited = folder.appendingPathComponent("edited.gz").path
            try rewrite(archive, to: edited, recomputeChecksum: false) { lines in
                let index = lines.firstIndex { $0.contains("Липицкая") && $0.hasPrefix("[") }!
                lines[index] = lines[index].replacingOccurrences(of: "Липицкая", with: "Лапицкая")
            }
            cases.append(("an edited row", edited, "контрольная сумма"))
            let noTrailer = folder.appendingPathComponent("notrailer.gz").path
            try rewrite(archive, to: noTrailer, recomputeChecksum: false) { $0.removeLast() }
            cases.append(("no trailer", noTrailer, "завершающей"))
            let lostRow = folder.appendingPathComponent("lostrow.gz").path
            try rewrite(archive, to: lostRow, recomputeChecksum: true) { lines in
                lines.remove(at: lines.firstIndex { $0.contains("Белёвская") && $0.hasPrefix("[") }!)
            }
            cases.append(("a row dropped, checksum redone", lostRow, "число строк"))
            let newer = folder.appendingPathComponent("newer.gz").path
            try rewrite(archive, to: newer, recomputeChecksum: true) { lines in
                var header = BackupFormat.Frame.parse(Substring(lines[0]))!
                header.migrations?.append("v099_from_the_future")
                lines[0] = header.line()
            }
            cases.append(("a newer schema", newer, "более новой версией"))

            for empty in try await RestoreTargets.all() {
                defer { empty.remove() }
                for (name, path, message) in cases {
                    let target = try await OporaStore.open(empty.target, migrating: false)
                    do {
                        try await Restore.load(path, into: target)
                        XCTFail("\(name) must be refused")
                    } catch let error as BackupError {
                        XCTAssertTrue(error.description.contains(message), "\(name): \(error.description)")
                        XCTAssertTrue(error.description.contains("Ничего не записано"), "\(name): \(error.description)")
                    }
                    await target.close()
                    try await assertEqualAsync(try await tables(empty.target), [], "\(name): nothing written")
                }
            }
        }
    }

    func testANonEmptyDatabaseIsRefusedAndKeepsItsRecords() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestEngines.withEachStore { source in
            try await fill(source)
            let archive = folder.appendingPathComponent("a.jsonl.gz").path
            try await Backup.write(from: source, to: archive)
            for empty in try await RestoreTargets.all() {
                defer { empty.remove() }
                let busy = try await OporaStore.open(empty.target)
                let school = """
                    code,name,municipality
                    Z9,МБОУ «СОШ № 9»,Заокский район
                    """
                _ = try await Importer(db: busy.db, actor: .commandLine).importFile(.schools, bytes: Array(school.utf8), fileName: "z.csv")
                await busy.close()
                let target = try await OporaStore.open(empty.target, migrating: false)
                do {
                    try await Restore.load(archive, into: target)
                    XCTFail("a database holding records must be refused")
                } catch let error as BackupError {
                    XCTAssertTrue(error.description.contains("не пуста"), error.description)
                    XCTAssertTrue(error.description.contains("schools"), error.description)
                }
                try await assertEqualAsync(try await SchoolModel.query(on: target.db).all().map(\.code), ["Z9"])
                await target.close()
            }
        }
    }

    func testAnArchiveOfAnOlderSchemaIsRestoredThenMigrated() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let all = OporaMigrations.all
        let count = all.firstIndex { $0.name == "v026_list_orders" }!
        let older = Array(all.prefix(count))
        try await TestEngines.withEachStore(migrations: older) { source in
            let sql = source.sql
            try await sql.raw("INSERT INTO regions (id, name, version) VALUES (1, 'Тульская область', 1)").run()
            try await sql.raw("INSERT INTO municipalities (id, region_id, name, version) VALUES (7, 1, 'Чернский район', 1)").run()
            try await sql.raw("""
                INSERT INTO schools (id, code, name, municipality_id, version) VALUES (3, 'A1', 'МКОУ «Липицкая СОШ»', 7, 1)
                """).run()
            try await sql.raw("""
                INSERT INTO support_events (id, code, title, kind, start_on, hours)
                VALUES (5, 'КПК-1', 'Курсы', 'course', '2023-03-01', 36)
                """).run()
            try await sql.raw("""
                INSERT INTO event_participations (event_id, school_id, role, participants) VALUES (5, 3, 'participant', 2)
                """).run()
            let archive = folder.appendingPathComponent("old.jsonl.gz").path
            try await Backup.write(from: source, to: archive)
            XCTAssertEqual(try Restore.inspect(archive).migrations.count, count)

            for empty in try await RestoreTargets.all() {
                defer { empty.remove() }
                let target = try await OporaStore.open(empty.target, migrating: false)
                let summary = try await Restore.load(archive, into: target)
                XCTAssertEqual(summary.migrated, all.count - count)
                struct Event: Decodable { let code: String; let owner_region_id: Int; let owner_municipality_id: Int }
                let events = try await target.sql.raw("SELECT code, owner_region_id, owner_municipality_id FROM support_events")
                    .all(decoding: Event.self)
                XCTAssertEqual(events.map(\.code), ["КПК-1"])
                XCTAssertEqual(events.first?.owner_municipality_id, 7, "v028 ran on the restored rows")
                struct Name: Decodable { let name: String }
                let applied = try await target.sql.raw("SELECT name FROM _fluent_migrations").all(decoding: Name.self).map(\.name)
                XCTAssertEqual(Set(applied), Set(all.map(\.name)))
                await target.close()
                // Opening it as every command does finds nothing left to migrate and the records in place.
                let reopened = try await OporaStore.open(empty.target)
                try await assertEqualAsync(try await SchoolModel.query(on: reopened.db).first()?.name, "МКОУ «Липицкая СОШ»")
                await reopened.close()
            }
        }
    }

    func testABackupTakenDuringWritesHoldsWholeTransactionsOnly() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestEngines.withEachStore(sharedFile: true) { source in
            try await fill(source)
            // A writer commits pairs of regions, each pair in one transaction, until told to stop.
            let writer = try await OporaStore.open(source.target)
            let stop = ManagedFlag()
            let writing = Task {
                var pair = 0
                while !stop.isSet {
                    pair += 1
                    let number = pair
                    try await writer.db.transaction { tx in
                        try await RegionModel(name: "Пара \(number) а").create(on: tx)
                        try await RegionModel(name: "Пара \(number) б").create(on: tx)
                    }
                }
                return pair
            }
            while try await RegionModel.query(on: source.db).count() < 40 { try await Task.sleep(nanoseconds: 5_000_000) }
            let archive = folder.appendingPathComponent("during.jsonl.gz").path
            try await Backup.write(from: source, to: archive)
            try await Task.sleep(nanoseconds: 50_000_000)
            stop.set()
            let written = try await writing.value
            await writer.close()

            for empty in try await RestoreTargets.all() {
                defer { empty.remove() }
                let target = try await OporaStore.open(empty.target, migrating: false)
                try await Restore.load(archive, into: target)
                let names = try await RegionModel.query(on: target.db).all().map(\.name).filter { $0.hasPrefix("Пара ") }
                XCTAssertGreaterThan(names.count, 0)
                XCTAssertLessThan(names.count, written * 2, "the writer went on after the snapshot")
                var halves: [String: Int] = [:]
                for name in names { halves[String(name.dropLast(2)), default: 0] += 1 }
                XCTAssertEqual(halves.values.filter { $0 != 2 }.count, 0, "no pair is restored by half")
                await target.close()
            }
        }
    }
}

/// A flag set from one task and read by another.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
