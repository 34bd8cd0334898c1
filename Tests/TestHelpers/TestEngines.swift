import XCTest
import FluentKit
import Foundation
import Logging
import OporaData
import SQLKit

/// The database engines every data and web test runs on: SQLite always; PostgreSQL too when
/// `OPORA_TEST_POSTGRES_URL` is set (CI sets it). Each PostgreSQL run starts from an empty schema.
public enum TestEngines {
    public static let postgresVariable = "OPORA_TEST_POSTGRES_URL"

    public static var targets: [DatabaseTarget] {
        [.sqliteMemory] + (postgres.map { [$0] } ?? [])
    }

    /// The PostgreSQL test database, if configured. A variable that is set but is not a PostgreSQL address stops
    /// the run: a typo must not quietly turn a PostgreSQL run into an SQLite-only one.
    public static var postgres: DatabaseTarget? {
        guard let url = ProcessInfo.processInfo.environment[postgresVariable], !url.isEmpty else { return nil }
        guard let target = try? DatabaseTarget(parsing: url), target.isPostgres else {
            fatalError("\(postgresVariable)=\(url) is not a postgres:// address; fix it or unset it")
        }
        return target
    }

    /// A fresh SQLite file (several connections share it, unlike `:memory:`), removed by the caller.
    public static func temporarySQLiteFile() throws -> (DatabaseTarget, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (.sqliteFile(folder.appendingPathComponent("opora.sqlite").path), folder)
    }

    /// Drops everything in the PostgreSQL test database (no-op for SQLite in memory, which is new each time).
    public static func reset(_ target: DatabaseTarget) async throws {
        guard target.isPostgres else { return }
        let store = try await OporaStore.open(target, migrations: [])
        do {
            try await store.sql.raw("DROP SCHEMA IF EXISTS public CASCADE").run()
            try await store.sql.raw("CREATE SCHEMA public").run()
        } catch {
            // Close the pool even on failure: an unclosed pool aborts the test process in debug builds.
            await store.close()
            throw error
        }
        await store.close()
    }

    /// Runs `body` once per engine with a freshly migrated store. `sharedFile`: SQLite in a file rather than in
    /// memory, for tests where several connections must see the same database.
    public static func withEachStore(migrations: [any Migration] = OporaMigrations.all, sharedFile: Bool = false,
                                     _ body: (OporaStore) async throws -> Void) async throws {
        var folder: URL? = nil
        var list = targets
        if sharedFile {
            let (file, created) = try temporarySQLiteFile()
            folder = created
            list[0] = file
        }
        defer { if let folder { try? FileManager.default.removeItem(at: folder) } }
        for target in list {
            try await reset(target)
            let store = try await OporaStore.open(target, migrations: migrations)
            do {
                try await body(store)
            } catch {
                await store.close()
                throw EngineFailure(engine: target.displayName, underlying: error)
            }
            await store.close()
            PostgresRunCounter.record(target)
        }
    }
}

/// Names the engine in a failure so a PostgreSQL-only bug is obvious.
public struct EngineFailure: Error, CustomStringConvertible {
    public let engine: String
    public let underlying: any Error
    public var description: String { "[\(engine)] \(underlying)" }
    public init(engine: String, underlying: any Error) {
        self.engine = engine
        self.underlying = underlying
    }
}

/// Counts the test bodies that really ran on PostgreSQL, printed at the end so CI output shows it.
public enum PostgresRunCounter {
    nonisolated(unsafe) private static var count = 0
    private static let lock = NSLock()

    public static func record(_ target: DatabaseTarget) {
        guard target.isPostgres else { return }
        lock.lock(); count += 1; let value = count; lock.unlock()
        print("PostgreSQL: test body \(value) ran on \(target.displayName)")
    }
}

/// `XCTAssertEqual` for async expressions (XCTest's autoclosures cannot `await`).
public func assertEqualAsync<T: Equatable>(_ expression: @autoclosure () async throws -> T, _ expected: @autoclosure () throws -> T,
                                           _ message: String = "", file: StaticString = #filePath, line: UInt = #line) async throws {
    let value = try await expression()
    let wanted = try expected()
    if value != wanted {
        XCTFail("\(value) is not equal to \(wanted). \(message)", file: file, line: line)
    }
}

public func assertTrueAsync(_ expression: @autoclosure () async throws -> Bool, _ message: String = "",
                            file: StaticString = #filePath, line: UInt = #line) async throws {
    if try await !expression() { XCTFail("expected true. \(message)", file: file, line: line) }
}

public func assertFalseAsync(_ expression: @autoclosure () async throws -> Bool, _ message: String = "",
                             file: StaticString = #filePath, line: UInt = #line) async throws {
    if try await expression() { XCTFail("expected false. \(message)", file: file, line: line) }
}
