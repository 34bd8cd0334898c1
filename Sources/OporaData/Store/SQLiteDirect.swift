import Foundation
import NIOCore
import NIOPosix
import SQLiteNIO
import VaporCSQLite

/// SQLite's C interface on the connection a transaction holds, for the two things SQLiteNIO makes slow at a million
/// rows (issue 18): it prepares every statement anew (a multi-row `INSERT … VALUES (?, …), (?, …)` of 32,000
/// parameters spent a tenth of an import in SQLite's parser), and it hands every row it reads to an event loop as a
/// future of its own (reading a million stored indicators took a quarter of an import).
///
/// SQLiteNIO keeps its `sqlite3` handle internal; it is read here by reflection, and when a future SQLiteNIO names it
/// differently `withHandle` answers nil and the callers go SQLiteNIO's way (`SQLiteDirectTests` notices the change).
/// The connection is opened serialized (`SQLITE_OPEN_FULLMUTEX`), and `withHandle` holds it while it is used.
enum SQLiteDirect {
    /// `body` with the handle of a connection of `db` (a transaction's own), held for the length of `body`; nil
    /// when the handle cannot be read.
    static func withHandle<T: Sendable>(_ db: any SQLiteDatabase, _ body: @escaping @Sendable (OpaquePointer) async throws -> T)
        async throws -> T? {
        try await db.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { () async throws -> T? in
                guard let handle = rawHandle(of: connection) else { return nil }
                return try await body(handle)
            }
        }.get()
    }

    struct RawHandle: @unchecked Sendable { let pointer: OpaquePointer? }

    static func rawHandle(of connection: SQLiteConnection) -> OpaquePointer? {
        for child in Mirror(reflecting: connection).children where child.label == "handle" {
            for inner in Mirror(reflecting: child.value).children where inner.label == "raw" {
                if let pointer = inner.value as? OpaquePointer { return pointer }
                if case let pointer?? = inner.value as? OpaquePointer? { return pointer }
            }
        }
        return nil
    }

    /// Runs `sql` (`binds` as `$1`, `$2`, … by their numbers) on `database` and passes each row's cells to `body` as
    /// SQLite steps to it, on a thread of the pool (the caller's task waits, never a cooperative thread).
    static func read(_ sql: String, binds: [BulkValue] = [], on database: OpaquePointer,
                     _ body: @escaping @Sendable (BulkCells) -> Void) async throws {
        let handle = RawHandle(pointer: database)
        try await NIOThreadPool.singleton.runIfActive {
            guard let database = handle.pointer else { return }
            var statement: OpaquePointer?
            let status = sqlite_nio_sqlite3_prepare_v3(database, sql, -1, 0, &statement, nil)
            guard status == SQLITE_OK, let statement else {
                if let statement { sqlite_nio_sqlite3_finalize(statement) }
                throw SQLiteDirectError(message: message(database, status))
            }
            defer { sqlite_nio_sqlite3_finalize(statement) }
            // `$n` found by its name: SQLite numbers parameters in the order they first appear in the text.
            for (index, value) in binds.enumerated() {
                let position = sqlite_nio_sqlite3_bind_parameter_index(statement, "$\(index + 1)")
                guard position > 0 else { throw SQLiteDirectError(message: "$\(index + 1) is not in the query") }
                let bound = SQLitePreparedInsert.bind(value, at: position, of: statement)
                guard bound == SQLITE_OK else { throw SQLiteDirectError(message: message(database, bound)) }
            }
            try holdingMutex(of: database) { try readHeld(statement, on: database, body) }
        }
    }

    /// The connection is serialized: every bind, step and column read takes its mutex. Held once around a whole
    /// slice, each of them takes it again as its holder, without an atomic operation (taking it afresh was a
    /// twentieth of a `programmes` import).
    static func holdingMutex<T>(of database: OpaquePointer, _ body: () throws -> T) rethrows -> T {
        let mutex = sqlite_nio_sqlite3_db_mutex(database)
        sqlite_nio_sqlite3_mutex_enter(mutex)
        defer { sqlite_nio_sqlite3_mutex_leave(mutex) }
        return try body()
    }

    private static func readHeld(_ statement: OpaquePointer, on database: OpaquePointer, _ body: (BulkCells) -> Void) throws {
        let width = Int(sqlite_nio_sqlite3_column_count(statement))
        var values: [BulkValue] = []
        while true {
            let step = sqlite_nio_sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw SQLiteDirectError(message: message(database, step)) }
            values.removeAll(keepingCapacity: true)
            for column in 0..<Int32(width) { values.append(cell(statement, column)) }
            body(BulkCells(values: values))
        }
    }

    static func cell(_ statement: OpaquePointer, _ column: Int32) -> BulkValue {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .int(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .double(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_NULL: return .null
        default:
            // Text, and a blob read as its text (as `BulkCells(sqlite:)` reads it).
            guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        }
    }

    static func message(_ database: OpaquePointer, _ status: Int32) -> String {
        let text = sqlite_nio_sqlite3_errmsg(database).map { String(cString: $0) } ?? "SQLite error"
        return "\(text) (\(status))"
    }
}

struct SQLiteDirectError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// One `INSERT` prepared once on the transaction's connection and stepped for every row of a bulk write: a statement
/// of `batchRows` rows for as long as that many are left (SQLite ends, resets and rebinds a statement once for them
/// all), then one of a single row.
final class SQLitePreparedInsert: @unchecked Sendable {
    private let database: OpaquePointer
    private let single: OpaquePointer
    private let batch: OpaquePointer?
    let width: Int
    let batchRows: Int

    private init(database: OpaquePointer, single: OpaquePointer, batch: OpaquePointer?, width: Int, batchRows: Int) {
        self.database = database
        self.single = single
        self.batch = batch
        self.width = width
        self.batchRows = batchRows
    }

    deinit {
        sqlite_nio_sqlite3_finalize(single)
        if let batch { sqlite_nio_sqlite3_finalize(batch) }
    }

    /// The statement `sql(n)` for `n` rows, prepared for one row and for `batchRows` rows on the connection `database`
    /// (from `SQLiteDirect.withHandle`).
    static func open(_ sql: (Int) -> String, width: Int, batchRows: Int = 32, on database: OpaquePointer) throws -> SQLitePreparedInsert {
        let single = try prepare(sql(1), on: database)
        guard batchRows > 1, width > 0 else {
            return SQLitePreparedInsert(database: database, single: single, batch: nil, width: width, batchRows: 1)
        }
        do {
            let batch = try prepare(sql(batchRows), on: database)
            return SQLitePreparedInsert(database: database, single: single, batch: batch, width: width, batchRows: batchRows)
        } catch {
            sqlite_nio_sqlite3_finalize(single)
            throw error
        }
    }

    private static func prepare(_ sql: String, on database: OpaquePointer) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(database, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            if let statement { sqlite_nio_sqlite3_finalize(statement) }
            throw SQLiteDirectError(message: SQLiteDirect.message(database, status))
        }
        return statement
    }

    /// Inserts `rows`, each `width` cells, off the caller's threads: a page served meanwhile never waits behind
    /// SQLite's work on a cooperative thread. Rows are kept as their own arrays, not copied into one: each text
    /// copied, and released twice, was a fifteenth of a roadmap's import.
    func insert(_ rows: [[BulkValue]]) async throws {
        try await NIOThreadPool.singleton.runIfActive { try self.insertNow(rows) }
    }

    private func insertNow(_ rows: [[BulkValue]]) throws {
        try SQLiteDirect.holdingMutex(of: database) { try insertHeld(rows) }
    }

    private func insertHeld(_ rows: [[BulkValue]]) throws {
        guard rows.allSatisfy({ $0.count == width }) else { throw SQLiteDirectError(message: "a row of the wrong width") }
        var index = 0
        if let batch {
            while index + batchRows <= rows.count {
                try run(batch, rows[index..<(index + batchRows)])
                index += batchRows
            }
        }
        while index < rows.count {
            try run(single, rows[index..<(index + 1)])
            index += 1
        }
    }

    private func run(_ statement: OpaquePointer, _ rows: ArraySlice<[BulkValue]>) throws {
        var position: Int32 = 1
        for row in rows {
            try row.withUnsafeBufferPointer { cells in
                for at in cells.indices {
                    let status = Self.bind(cells[at], at: position, of: statement)
                    guard status == SQLITE_OK else { throw failure(status, statement) }
                    position += 1
                }
            }
        }
        let status = sqlite_nio_sqlite3_step(statement)
        guard status == SQLITE_DONE else { throw failure(status, statement) }
        sqlite_nio_sqlite3_reset(statement)
    }

    static func bind(_ value: BulkValue, at position: Int32, of statement: OpaquePointer) -> Int32 {
        switch value {
        case .int(let number): return sqlite_nio_sqlite3_bind_int64(statement, position, Int64(number))
        case .double(let number): return sqlite_nio_sqlite3_bind_double(statement, position, number)
        case .null: return sqlite_nio_sqlite3_bind_null(statement, position)
        case .date(let date):
            return bind(BulkValue(sqlite: date.sqliteData ?? .null), at: position, of: statement)
        case .text(let text):
            // Read in place, not copied into a `var` for `withUTF8`: a retain and a release of a text made long before
            // (its header cold) for every cell of a million rows.
            if let status = text.utf8.withContiguousStorageIfAvailable({ bindText($0, at: position, of: statement) }) { return status }
            var copy = text
            return copy.withUTF8 { bindText($0, at: position, of: statement) }
        case .utf8(let bytes):
            return bytes.withUnsafeBufferPointer { bindText($0, at: position, of: statement) }
        }
    }

    private static func bindText(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int32, of statement: OpaquePointer) -> Int32 {
        sqlite_nio_sqlite3_bind_text64(statement, position, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self)
                                           ?? Self.emptyText, UInt64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
    }

    private func failure(_ status: Int32, _ statement: OpaquePointer) -> SQLiteDirectError {
        let error = SQLiteDirectError(message: SQLiteDirect.message(database, status))
        sqlite_nio_sqlite3_reset(statement)
        return error
    }

    /// SQLite's `SQLITE_TRANSIENT`: the text is copied at bind time (the C macro does not cross into Swift).
    nonisolated(unsafe) private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    nonisolated(unsafe) private static let emptyText: UnsafePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()
}

extension BulkValue {
    init(sqlite data: SQLiteData) {
        switch data {
        case .integer(let number): self = .int(number)
        case .float(let number): self = .double(number)
        case .text(let text): self = .text(text)
        case .blob, .null: self = .null
        }
    }
}
