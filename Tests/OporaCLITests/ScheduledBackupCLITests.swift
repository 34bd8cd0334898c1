import Foundation
import OporaData
import OporaDomain
import SQLKit
import XCTest

/// `opora serve --backup-dir DIR --backup-every HOURS --backup-keep N`: backups taken in the background while the
/// server runs, the newest N kept, each audited and restorable.
extension CLITests {
    func testServeTakesScheduledBackupsKeepingTheNewest() async throws {
        try loadLipitskaya()
        let port = 20_000 + Int.random(in: 0..<20_000)
        let backups = directory.appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        try Data("не копия".utf8).write(to: backups.appendingPathComponent("notes.txt"))
        let process = Process()
        let bundle = Bundle(for: Self.self).bundleURL
        process.executableURL = [bundle.appendingPathComponent("opora"),
                                 bundle.deletingLastPathComponent().appendingPathComponent("opora")]
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        // 0.0004 h: a backup every 1.4 seconds.
        process.arguments = ["serve", "--port", String(port), "--backup-dir", backups.path, "--backup-every", "0.0004",
                             "--backup-keep", "2"]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let store = try await OporaStore.open(.sqliteFile(directory.appendingPathComponent("opora.sqlite").path))
        struct Count: Decodable { let n: Int }
        var audited = 0
        for _ in 0..<200 where audited < 4 {
            try await Task.sleep(nanoseconds: 100_000_000)
            audited = try await store.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'backup' AND entity = 'backup'")
                .first(decoding: Count.self)?.n ?? 0
        }
        await store.close()
        process.terminate()
        process.waitUntilExit()
        XCTAssertGreaterThanOrEqual(audited, 4, "four scheduled backups were audited")
        let names = try FileManager.default.contentsOfDirectory(atPath: backups.path).sorted()
        let kept = names.filter { $0.hasPrefix(BackupRetention.prefix) && $0.hasSuffix(BackupRetention.suffix) }
        XCTAssertEqual(kept.count, 2, "only the newest two are kept: \(names)")
        XCTAssertTrue(names.contains("notes.txt"), "other files are left alone")
        let newest = backups.appendingPathComponent(kept.last!).path
        let restore = try opora(["--db", "restored.sqlite", "restore", newest])
        XCTAssertEqual(restore.status, 0, restore.stderr)
        let before = try opora(["stats", "--year", "2022", "--procedure", "VPR", "--format", "json"])
        let after = try opora(["--db", "restored.sqlite", "stats", "--year", "2022", "--procedure", "VPR", "--format", "json"])
        XCTAssertEqual(after.stdout, before.stdout)
    }
}
