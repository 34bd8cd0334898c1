import FluentKit
import Foundation
import OporaDomain
import OporaTestSupport
import SQLKit
import SQLiteNIO
import XCTest

@testable import OporaData

/// A new SQLite file is made with pages of `DatabaseTarget.sqlitePageSize` bytes (issue 18: a bulk import writes a
/// quarter as many); a file made before keeps its own and is used as it is.
final class SQLitePageSizeTests: XCTestCase {
    struct Setting: Decodable { let page_size: Int }
    struct Mode: Decodable { let journal_mode: String }

    func pageSize(_ store: OporaStore) async throws -> Int? {
        try await store.sql.raw("PRAGMA page_size").first(decoding: Setting.self)?.page_size
    }

    func testANewFileHasLargerPagesAndAnOlderOneKeepsItsOwn() async throws {
        let (target, folder) = try TestEngines.temporarySQLiteFile()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await OporaStore.open(target)
        try await assertEqualAsync(try await self.pageSize(store), DatabaseTarget.sqlitePageSize)
        let mode = try await store.sql.raw("PRAGMA journal_mode").first(decoding: Mode.self)
        XCTAssertEqual(mode?.journal_mode, "wal")
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(
            .schools, bytes: Array("code,name,municipality,region\nS1,Школа 1,Район,Область".utf8), fileName: "s.csv")
        await store.databases.shutdownAsync()
        let reopened = try await OporaStore.open(target)
        try await assertEqualAsync(try await self.pageSize(reopened), DatabaseTarget.sqlitePageSize)
        await reopened.databases.shutdownAsync()

        // A file SQLite made with its default pages, as Opora made every file before.
        let older = folder.appendingPathComponent("older.sqlite")
        let connection = try await SQLiteConnection.open(storage: .file(path: older.path))
        _ = try await connection.query("PRAGMA page_size = 4096")
        _ = try await connection.query("CREATE TABLE kept (a INTEGER)")
        try await connection.close()
        let store4k = try await OporaStore.open(.sqliteFile(older.path))
        try await assertEqualAsync(try await self.pageSize(store4k), 4_096)
        let imported = try await Importer(db: store4k.db, actor: .commandLine).importFile(
            .schools, bytes: Array("code,name,municipality,region\nS1,Школа 1,Район,Область".utf8), fileName: "s.csv")
        XCTAssertEqual(imported.created, 1)
        await store4k.databases.shutdownAsync()
    }
}
