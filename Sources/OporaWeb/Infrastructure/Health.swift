import OporaData
import OporaDomain
import Vapor

/// `GET /health`, for a load balancer and monitoring: no login, a few small queries, nothing about the records.
/// 200 while the database answers (`status` `warning` when something needs a person: the schema is not this
/// program's, the last check found faults or is older than two days), 503 when it does not.
struct HealthStatus: Content {
    struct Check: Content {
        /// `ok`, `faults`, `stale` (older than two days) or `none` (never ran).
        let status: String
        let at: Date?
        let faults: Int?
    }

    struct Backup: Content {
        /// `ok` or `none` (no backup recorded).
        let status: String
        let at: Date?
        let ageHours: Double?

        enum CodingKeys: String, CodingKey {
            case status, at
            case ageHours = "age_hours"
        }
    }

    let status: String
    let database: String
    let engine: String?
    /// `current`, `behind` or `newer`.
    let schema: String?
    let check: Check?
    let backup: Backup?
}

@Sendable func health(_ req: Request) async throws -> Response {
    let engine = req.db.sql.dialect.name == "postgresql" ? "PostgreSQL" : "SQLite"
    do {
        try await req.db.sql.raw("SELECT 1").run()
    } catch {
        req.logger.error("health: database unreachable: \(StoreErrors.describe(error))")
        return try await HealthStatus(status: "error", database: "unreachable", engine: engine, schema: nil, check: nil, backup: nil)
            .encodeResponse(status: .serviceUnavailable, for: req)
    }
    let now = Date()
    let schema = SchemaState.status(applied: (try? await DatabaseState.appliedMigrations(on: req.db)) ?? [],
                                    known: OporaMigrations.all.map(\.name))
    let report = try? await DatabaseCheckStore(db: req.db).latest()
    let check: HealthStatus.Check = report.map {
        let stale = now.timeIntervalSince($0.finishedAt) > DatabaseCheckRules.staleAfter
        return .init(status: !$0.ok ? "faults" : stale ? "stale" : "ok", at: $0.finishedAt, faults: $0.faultCount)
    } ?? .init(status: "none", at: nil, faults: nil)
    let backup: HealthStatus.Backup = ((try? await DatabaseState.lastBackup(on: req.db)) ?? nil).map {
        .init(status: "ok", at: $0, ageHours: (now.timeIntervalSince($0) / 360).rounded() / 10)
    } ?? .init(status: "none", at: nil, ageHours: nil)
    let healthy = schema == "current" && (check.status == "ok" || check.status == "none")
    let status = HealthStatus(status: healthy ? "ok" : "warning", database: "ok", engine: engine, schema: schema, check: check,
                              backup: backup)
    return try await status.encodeResponse(for: req)
}
