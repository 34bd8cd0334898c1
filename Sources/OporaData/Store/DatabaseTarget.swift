import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Where the data lives: an SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseTarget: Sendable, Equatable {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(URL)

    public static let defaultPath = "opora.sqlite"
    public static let environmentVariable = "OPORA_DATABASE_URL"

    /// The `--db` argument wins, then `OPORA_DATABASE_URL`, then `opora.sqlite` in the working directory.
    public static func resolve(
        argument: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> DatabaseTarget {
        let text = argument ?? environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        return try DatabaseTarget(parsing: text)
    }

    public init(parsing text: String) throws {
        if text == ":memory:" { self = .sqliteMemory; return }
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            guard let url = URL(string: text), let host = url.host, !host.isEmpty else {
                throw DatabaseTargetError.invalid(text, "ожидается postgres://пользователь:пароль@хост:порт/база")
            }
            guard url.path.count > 1 else {
                throw DatabaseTargetError.invalid(text, "не указано имя базы данных (…/имя_базы)")
            }
            self = .postgres(url)
            return
        }
        if lower.hasPrefix("sqlite://") { self = .sqliteFile(String(text.dropFirst("sqlite://".count))); return }
        if text.contains("://") {
            throw DatabaseTargetError.invalid(text, "поддерживаются файл SQLite или адрес postgres://")
        }
        self = .sqliteFile(text)
    }

    public var isPostgres: Bool { if case .postgres = self { true } else { false } }

    /// Connections of a file or server database per event loop.
    public static let connectionsPerEventLoop = 4

    /// The page size of a new SQLite file, in bytes (SQLite's default is 4,096). A bulk import writes a quarter as many
    /// pages, each split, spilled and logged once: a million-row `programmes` import took about a tenth less time.
    /// A file made before keeps its pages: SQLite changes them only by rewriting the whole file.
    public static let sqlitePageSize = 16_384

    /// Settings a database file keeps: SQLite in write-ahead-log mode, so that pages keep reading while an
    /// import writes (readers and the writer no longer wait for each other), and a new file's page size. On one
    /// connection: the page size waits for the file's first write, which switching to the log makes.
    public func prepare(_ db: any Database) async throws {
        guard case .sqliteFile = self else { return }
        try await db.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.sql.raw("PRAGMA page_size = \(unsafeRaw: String(Self.sqlitePageSize))").run()
                try await connection.sql.raw("PRAGMA journal_mode=WAL").run()
            }
        }.get()
    }

    /// A description safe to print: the password is hidden.
    public var displayName: String {
        switch self {
        case .sqliteFile(let path): return "SQLite: \(path)"
        case .sqliteMemory: return "SQLite в памяти"
        case .postgres(let url):
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
            if components?.password != nil { components?.password = "***" }
            return "PostgreSQL: \(components?.string ?? "postgres://")"
        }
    }

    public func configurationFactory() throws -> DatabaseConfigurationFactory {
        switch self {
        case .sqliteFile(let path):
            // Several connections per event loop: in WAL mode pages keep reading on their own connections while an
            // import's transaction holds one (with a single connection they queued behind it, and timed out).
            return .sqlite(.file(path), maxConnectionsPerEventLoop: Self.connectionsPerEventLoop, sqlLogLevel: .trace)
        case .sqliteMemory:
            return .sqlite(.memory, sqlLogLevel: .trace)
        case .postgres(let url):
            do {
                var configuration = try SQLPostgresConfiguration(url: url)
                configuration.searchPath = nil
                return .postgres(configuration: configuration, maxConnectionsPerEventLoop: Self.connectionsPerEventLoop,
                                 connectionPoolTimeout: .seconds(10), sqlLogLevel: .trace)
            } catch {
                throw DatabaseTargetError.invalid(url.absoluteString, "\(error)")
            }
        }
    }
}

public enum DatabaseTargetError: Error, CustomStringConvertible, Sendable {
    case invalid(String, String)
    case unreachable(String, String)

    public var description: String {
        switch self {
        case .invalid(let text, let reason): "Неверный адрес базы данных «\(text)»: \(reason)"
        case .unreachable(let target, let reason): "База данных недоступна (\(target)): \(reason)"
        }
    }
}
