import FluentKit
import Foundation
import OporaTestSupport
import SQLKit
import XCTest

@testable import OporaData

/// A bulk write the database refuses part of the way through (a row breaks a unique key after megabytes of COPY have
/// gone to PostgreSQL): the write ends with the refusal rather than waiting for ever, nothing of it stays, and the
/// store takes the next statement. Earlier notes feared PostgresNIO would hang such a COPY; this shows it does not.
final class CopyRefusedMidStreamTests: XCTestCase {
    struct Count: Decodable { let n: Int }

    func testABulkWriteRefusedPartWayEndsWithTheRefusalAndLeavesNothing() async throws {
        try await TestEngines.withEachStore { store in
            let sql = store.db.sql
            // Refused in the first megabyte, halfway, and at the last row (after the last chunk has gone).
            for conflict in [2, 150_000, 300_000] {
                try await sql.raw("DROP TABLE IF EXISTS copy_probe").run()
                try await sql.raw("CREATE TABLE copy_probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL)").run()
                try await sql.raw("INSERT INTO copy_probe (id, note) VALUES (\(literal: conflict), 'already here')").run()
                let outcome = await Self.write(300_000, on: store.db)
                XCTAssertTrue(outcome.hasPrefix("refused"), "\(conflict): \(outcome)")
                let left = try await sql.raw("SELECT COUNT(*) AS n FROM copy_probe").first(decoding: Count.self)
                XCTAssertEqual(left?.n, 1, "nothing of the refused write stays (\(conflict))")
            }
        }
    }

    /// «written», «refused: …», or «hung» when the write has not ended in 90 seconds. The write runs in a task of
    /// its own and the two race for one answer: a task group would wait for a stuck write before it returned.
    static func write(_ count: Int, on db: any Database) async -> String {
        let table = BulkTable(name: "copy_probe", columns: ["id", "note"])
        let rows = Array(1...count)
        let first = FirstAnswer()
        return await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            Task {
                let outcome: String
                do {
                    try await db.transaction { tx in
                        try await table.write(rows, on: tx) { id in [.int(id), .text("строка \(id) " + String(repeating: "ж", count: 40))] }
                    }
                    outcome = "written"
                } catch {
                    outcome = "refused: \(String(describing: error).prefix(300))"
                }
                if first.claim() { continuation.resume(returning: outcome) }
            }
            Task {
                try? await Task.sleep(nanoseconds: 90_000_000_000)
                if first.claim() { continuation.resume(returning: "hung") }
            }
        }
    }
}

/// The first of two racing tasks to claim it answers; the other is ignored.
final class FirstAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}
