import FluentKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// An open, migrated database for the command line and tests (the server uses Vapor's `app.db`).
public final class OporaStore: Sendable {
    public let target: DatabaseTarget
    public let databases: Databases
    public let logger: Logger

    public var db: any Database {
        databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())!
    }

    public var sql: any SQLDatabase { db.sql }

    private init(target: DatabaseTarget, databases: Databases, logger: Logger) {
        self.target = target
        self.databases = databases
        self.logger = logger
    }

    /// Opens the database and brings its schema up to date (`migrating: false`: as it is, writing nothing — a
    /// restore must find an empty database empty).
    public static func open(_ target: DatabaseTarget, migrations: [any Migration] = OporaMigrations.all,
                            migrating: Bool = true,
                            logger: Logger = Logger(label: "opora.store")) async throws -> OporaStore {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(try target.configurationFactory(), as: .init(string: "main"), isDefault: true)
        let store = OporaStore(target: target, databases: databases, logger: logger)
        do {
            if migrating {
                try await target.prepare(store.db)
                try await store.migrate(migrations)
            } else {
                // Reaching the database at all (a missing PostgreSQL database fails here, not halfway through).
                try await store.sql.raw("SELECT 1").run()
            }
        } catch {
            await databases.shutdownAsync()
            throw DatabaseTargetError.unreachable(target.displayName, StoreErrors.describe(error))
        }
        return store
    }

    public func migrate(_ list: [any Migration]) async throws {
        try await Self.migrate(databases: databases, list: list, logger: logger)
    }

    public static func migrate(databases: Databases, list: [any Migration], logger: Logger) async throws {
        let migrations = Migrations()
        migrations.add(list)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger,
                                on: MultiThreadedEventLoopGroup.singleton.any(), migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    public func close() async {
        await databases.shutdownAsync()
    }
}

public enum StoreErrors {
    /// A short, human reason for a database error (drivers' own descriptions can be long).
    public static func describe(_ error: any Error) -> String {
        let text = String(reflecting: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "соединение отклонено (сервер не запущен?)" }
        if text.contains("unable to open") || text.contains("cantOpen") { return "не удаётся открыть файл базы данных" }
        if text.contains("password authentication failed") { return "неверный пользователь или пароль" }
        if text.contains("does not exist") { return "база данных не существует" }
        return String(describing: error).prefix(300).description
    }
}
