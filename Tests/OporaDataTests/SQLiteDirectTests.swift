import FluentKit
import Foundation
import OporaTestSupport
import SQLKit
import SQLiteNIO
import XCTest

@testable import OporaData

/// `BulkTable` on SQLite steps one prepared `INSERT` per row and reads rows without SQLiteNIO's future per row
/// (issue 18). The handle is read from SQLiteNIO by reflection; these tests fail when an update of SQLiteNIO hides
/// it, and check every kind of cell survives the way there and back, through `BulkTable.write` and `BulkTable.read`.
final class SQLiteDirectTests: XCTestCase {
    struct Row: Decodable, Equatable {
        let id: Int
        let label: String?
        let amount: Int?
        let share: Double?
        let key: String
    }

    static let create = """
        CREATE TABLE bulk_probe (id INTEGER PRIMARY KEY, label TEXT, amount INTEGER, share REAL, key TEXT NOT NULL UNIQUE)
        """

    static func cells(_ index: Int) -> [BulkValue] {
        let labels: [String?] = ["", "Школа № \(index) «Ромашка»", "short\(index % 10)", String(repeating: "Мероприятие ", count: 9_000),
                                 nil, "кавычки \" и \\ и\tтаб\nи перевод"]
        return [.int(index + 1), .text(labels[index % labels.count]), index % 7 == 0 ? .null : .int(index * 3),
                .double(index % 5 == 0 ? nil : Double(index) / 8), .text("K\(index)")]
    }

    func testTheConnectionHandleIsReadFromSQLiteNIO() async throws {
        let (target, file) = try TestEngines.temporarySQLiteFile()
        defer { try? FileManager.default.removeItem(at: file) }
        let store = try await OporaStore.open(target, migrations: [])
        let sqlite = store.db as? any SQLiteDatabase
        XCTAssertNotNil(sqlite)
        if let sqlite {
            let prepared = try await SQLiteDirect.withHandle(sqlite) { handle in
                try SQLitePreparedInsert.open({ _ in "SELECT 1" }, width: 0, on: handle).width == 0
            }
            XCTAssertEqual(prepared, true, "SQLiteNIO's connection no longer exposes `handle.raw`: bulk writes and reads fell back to "
                + "slower statements")
        }
        await store.close()
    }

    func testEveryCellComesBackAsWrittenAndAConflictReplacesTheStoredRow() async throws {
        try await TestEngines.withEachStore { store in
            let sql = store.db.sql
            try await sql.raw(SQLQueryString(Self.create)).run()
            let table = BulkTable(name: "bulk_probe", columns: ["id", "label", "amount", "share", "key"])
            let indexes = Array(0..<10_000)  // more than one batch of 4,096 rows
            try await store.db.transaction { tx in
                try await table.write(indexes, on: tx) { Self.cells($0) }
            }
            let stored = try await sql.raw("SELECT id, label, amount, share, key FROM bulk_probe ORDER BY id").all(decoding: Row.self)
            XCTAssertEqual(stored.count, 10_000)
            let read = try await BulkTable.read("SELECT id, label, amount, share, key FROM bulk_probe ORDER BY id", on: store.db,
                                                into: [Row]()) { rows, cells in
                rows.append(Row(id: cells.int(0) ?? 0, label: cells.text(1), amount: cells.int(2), share: cells.double(3),
                                key: cells.text(4) ?? ""))
            }
            XCTAssertEqual(read, stored, "BulkTable.read reads what SQLKit reads")
            for (index, row) in stored.enumerated() {
                let cells = Self.cells(index)
                guard case .text(let label) = cells[1] else { XCTAssertNil(row.label); continue }
                XCTAssertEqual(row.label, label, "row \(index)")
                XCTAssertEqual(row.amount, index % 7 == 0 ? nil : index * 3)
                XCTAssertEqual(row.share, index % 5 == 0 ? nil : Double(index) / 8)
                XCTAssertEqual(row.key, "K\(index)")
            }
            try await store.db.transaction { tx in
                try await table.write([3, 4], on: tx, updatingOnConflict: ["key"]) { index in
                    [.int(index + 1), .text("заменено"), .int(-1), .double(0.5), .text("K\(index)")]
                }
            }
            let replaced = try await sql.raw("SELECT id, label, amount, share, key FROM bulk_probe WHERE id IN (4, 5) ORDER BY id")
                .all(decoding: Row.self)
            XCTAssertEqual(replaced, [Row(id: 4, label: "заменено", amount: -1, share: 0.5, key: "K3"),
                                      Row(id: 5, label: "заменено", amount: -1, share: 0.5, key: "K4")])
        }
    }

    /// A refused row fails the write with SQLite's reason, and the transaction leaves nothing behind.
    /// A read binds `$n` by its number on both engines, whatever order the text names them in and however often:
    /// SQLite numbers parameters as they first appear, so binding by position would swap `$2` and `$1` here.
    func testAReadBindsEachParameterByItsNumber() async throws {
        try await TestEngines.withEachStore { store in
            try await store.db.sql.raw(SQLQueryString(Self.create)).run()
            let table = BulkTable(name: "bulk_probe", columns: ["id", "label", "amount", "share", "key"])
            try await store.db.transaction { tx in try await table.write(Array(0..<6), on: tx) { Self.cells($0) } }
            let sql = "SELECT id FROM bulk_probe WHERE (key = $2 OR key = $1 OR label = $3) AND key <> $2 ORDER BY id"
            let read = try await BulkTable.read(sql, binds: [.text("K1"), .text("K2"), .text("кавычки \" и \\ и\tтаб\nи перевод")],
                                                on: store.db, into: [Int]()) { ids, cells in ids.append(cells.int(0) ?? -1) }
            XCTAssertEqual(read, [2, 6], "K1 (id 2) and the row of that label (id 6); K2 left out by the repeated $2")
        }
    }

    func testARefusedRowFailsTheWholeWrite() async throws {
        try await TestEngines.withEachStore { store in
            let sql = store.db.sql
            try await sql.raw(SQLQueryString(Self.create)).run()
            let table = BulkTable(name: "bulk_probe", columns: ["id", "label", "amount", "share", "key"])
            // On SQLite a slice of 4,096 rows is stepped while the next is made: a refusal in the first slice, and in
            // the last one.
            for refused in [10, 4_500] {
                do {
                    try await store.db.transaction { tx in
                        // Short rows: PostgresNIO 1.33 loses a COPY whose error arrives while a later megabyte waits to
                        // be sent (the server refuses a row mid-stream); one chunk gets the error at its end.
                        try await table.write(Array(0..<5_000), on: tx) { index in
                            [.int(index + 1), .text("Школа \(index)"), .null, .null, index == refused ? .null : .text("K\(index)")]
                        }
                    }
                    XCTFail("a NULL key was written")
                } catch {
                    XCTAssertTrue(String(reflecting: error).localizedCaseInsensitiveContains("null"), String(reflecting: error))
                }
                struct Count: Decodable { let count: Int }
                let count = try await sql.raw("SELECT COUNT(*) AS count FROM bulk_probe").first(decoding: Count.self)
                XCTAssertEqual(count?.count, 0)
            }
        }
    }

    /// Rows go out 32 to a statement; an upsert whose rows repeat a key inside one statement ends as row-by-row
    /// statements would: the last row of the key wins. (SQLite only: PostgreSQL refuses a key twice in one upsert,
    /// and every importer refuses a repeated key before it writes.)
    func testAKeyRepeatedInsideOneStatementEndsWithItsLastRow() async throws {
        let store = try await OporaStore.open(.sqliteMemory)
        do {
            let sql = store.db.sql
            try await sql.raw(SQLQueryString(Self.create)).run()
            let table = BulkTable(name: "bulk_probe", columns: ["id", "label", "amount", "share", "key"])
            try await store.db.transaction { tx in
                // 70 rows: two statements of 32 rows, then six of one; keys K0…K9 again and again.
                try await table.write(Array(0..<70), on: tx, updatingOnConflict: ["key"]) { index in
                    [.int(index + 1), .text("строка \(index)"), .int(index), .null, .text("K\(index % 10)")]
                }
            }
            let stored = try await sql.raw("SELECT id, label, amount, share, key FROM bulk_probe ORDER BY key").all(decoding: Row.self)
            XCTAssertEqual(stored, (0..<10).map { key in
                Row(id: 61 + key, label: "строка \(60 + key)", amount: 60 + key, share: nil, key: "K\(key)")
            })
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}
