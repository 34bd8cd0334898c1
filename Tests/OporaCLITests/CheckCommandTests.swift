import Foundation
import XCTest

/// `opora check` as a region's IT runs it (CONTRACT.md): an imported database passes with exit status 0; a row left
/// behind by a hand edit (SQLite's own tools leave foreign keys off) is named with its table and row, exit
/// status 1; `--format json` says the same.
extension CLITests {
    func testCheckPassesOnAnImportedDatabaseAndNamesARowAHandEditOrphaned() throws {
        try loadSeed004()
        try loadLipitskaya()
        let users = ["user", "add", "--login", "analyst", "--name", "Аналитик", "--role", "regional_analyst",
                     "--password", "correct-horse-7"]
        XCTAssertEqual(try opora(users).status, 0)
        let clean = try opora(["check"])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        XCTAssertTrue(clean.stdout.contains("нарушений нет"), clean.stdout)
        XCTAssertTrue(clean.stdout.contains("✓ целостность файла базы (PRAGMA integrity_check)"), clean.stdout)
        XCTAssertTrue(clean.stdout.contains("✓ журнал: создание записей users (user)"), clean.stdout)

        // A school deleted by hand (Python's sqlite3, like the sqlite3 shell, leaves foreign keys off): its results stay.
        let database = directory.appendingPathComponent("opora.sqlite").path
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        shell.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                           + "c.execute('DELETE FROM schools WHERE id = (SELECT MIN(school_id) FROM results)'); c.commit()", database]
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0, "python3 is needed for this test")
        let faulty = try opora(["check"])
        XCTAssertEqual(faulty.status, 1)
        XCTAssertTrue(faulty.stdout.contains("✗ results.school_id → schools.id"), faulty.stdout)
        XCTAssertTrue(faulty.stdout.contains("results, строка "), faulty.stdout)
        XCTAssertTrue(faulty.stderr.contains("Проверка базы данных: найдено"), faulty.stderr)

        let json = try opora(["check", "--format", "json"])
        XCTAssertEqual(json.status, 1)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
        XCTAssertEqual(report["ok"] as? Bool, false)
        let faults = try XCTUnwrap(report["faults"] as? [[String: Any]])
        let orphan = faults.contains { $0["table"] as? String == "results" && $0["kind"] as? String == "reference" && $0["row_id"] is Int }
        XCTAssertTrue(orphan, json.stdout)
        XCTAssertGreaterThan(report["fault_count"] as? Int ?? 0, 0)
    }
}
