import Foundation
import OporaData
import SQLKit
import XCTest

/// `opora backup` and `opora restore` as an administrator runs them (CONTRACT.md): the move from SQLite to
/// PostgreSQL is two commands, after which stats, identify, list and roadmap answer as before; a truncated archive
/// and a database that is not empty are refused with exit status 1 and nothing written.
extension CLITests {
    /// The PostgreSQL database the CLI restores into: the test database's name + `_cli`, created and emptied here.
    func emptyPostgresForCLI() async throws -> String? {
        guard let text = ProcessInfo.processInfo.environment["OPORA_TEST_POSTGRES_URL"], !text.isEmpty,
              case .postgres(let url) = try DatabaseTarget(parsing: text) else { return nil }
        let name = String(url.path.dropFirst()) + "_cli"
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        components.path = "/" + name
        let admin = try await OporaStore.open(.postgres(url), migrating: false)
        struct Found: Decodable { let one: Int }
        let exists = try await admin.sql.raw("SELECT 1 AS one FROM pg_database WHERE datname = \(bind: name)").first(decoding: Found.self)
        if exists == nil { try await admin.sql.raw("CREATE DATABASE \(ident: name)").run() }
        await admin.close()
        let target = try await OporaStore.open(.postgres(components.url!), migrating: false)
        try await target.sql.raw("DROP SCHEMA IF EXISTS public CASCADE").run()
        try await target.sql.raw("CREATE SCHEMA public").run()
        await target.close()
        return components.url!.absoluteString
    }

    /// What the commands answer, to compare a source with its restored copy.
    func answers(_ db: String) throws -> [String] {
        let commands: [[String]] = [
            ["stats", "--year", "2022", "--procedure", "VPR", "--format", "json"],
            ["identify", "--year", "2022", "--format", "json"],
            ["identify", "--year", "2023", "--format", "json"],
            ["list", "--year", "2023", "--format", "json"],
            ["roadmap", "--programme", "P04", "--format", "json"],
            ["score", "--programme", "P04", "--year", "2023", "--format", "json"],
        ]
        return try commands.map { arguments in
            let run = try opora(["--db", db] + arguments)
            XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
            return run.stdout
        }
    }

    func testBackupThenRestoreMovesTheDatabaseAndEveryAnswerStays() async throws {
        try loadLipitskaya()
        try load()
        let list = try write("list.csv", "year,school,order_number,order_date,territory\n2023,B1,12-о,28.02.2023,Белёвский район\n")
        XCTAssertEqual(try opora(["import", "approved_list", list]).status, 0)
        try loadSeed004()
        let before = try answers("opora.sqlite")
        XCTAssertTrue(before[3].contains("B1"), before[3])

        let backup = try opora(["backup", "--out", "region.jsonl.gz"])
        XCTAssertEqual(backup.status, 0, backup.stderr)
        XCTAssertTrue(backup.stdout.contains("Резервная копия записана"), backup.stdout)

        var targets = ["restored.sqlite"]
        if let postgres = try await emptyPostgresForCLI() { targets.append(postgres) }
        for target in targets {
            let restore = try opora(["--db", target, "restore", "region.jsonl.gz"])
            XCTAssertEqual(restore.status, 0, "\(target): \(restore.stderr)")
            XCTAssertTrue(restore.stdout.contains("Восстановлено"), restore.stdout)
            XCTAssertEqual(try answers(target), before, target)
            // Once it holds records, a second restore is refused and changes nothing.
            let again = try opora(["--db", target, "restore", "region.jsonl.gz"])
            XCTAssertEqual(again.status, 1)
            XCTAssertTrue(again.stderr.contains("не пуста"), again.stderr)
            XCTAssertEqual(try answers(target), before, target)
        }
    }

    func testARestoreOfATruncatedArchiveIsRefusedAndWritesNothing() throws {
        try loadLipitskaya()
        XCTAssertEqual(try opora(["backup", "--out", "a.jsonl.gz"]).status, 0)
        let bytes = try Data(contentsOf: directory.appendingPathComponent("a.jsonl.gz"))
        let cut = try write("cut.jsonl.gz", Array(bytes.prefix(bytes.count * 2 / 3)))
        let run = try opora(["--db", "target.sqlite", "restore", cut])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("неполон") && run.stderr.contains("Ничего не записано"), run.stderr)
        // The target holds no table: a restore of the good archive then succeeds.
        let good = try opora(["--db", "target.sqlite", "restore", "a.jsonl.gz"])
        XCTAssertEqual(good.status, 0, good.stderr)
        let missing = try opora(["--db", "other.sqlite", "restore", "absent.jsonl.gz"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("не найден"), missing.stderr)
        XCTAssertEqual(try opora(["backup"]).status, 2, "--out is required")
    }
}
