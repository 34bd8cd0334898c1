import FluentKit
import OporaDomain
import PostgresNIO
import SQLKit
import SQLiteNIO

/// A school's risk profile for one year: its ratings by factor number.
public struct RiskProfile: Sendable, Hashable {
    public let schoolID: Int
    public let year: Int
    public var ratings: [Int: RiskRating]

    public func level(_ factor: Int) -> RiskLevel? { ratings[factor]?.level }
}

/// Reads the risk factor catalogue and school risk profiles, always within a scope.
public struct RiskRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    /// The catalogue with the installation's names (numbers 1–12 are fixed).
    public func factors() async throws -> [RiskFactor] {
        struct Row: Decodable { let number: Int; let name: String }
        let rows = try await db.sql.raw("SELECT number, name FROM risk_factors ORDER BY number").all(decoding: Row.self)
        return rows.isEmpty ? RiskFactor.catalogue : rows.map { RiskFactor(number: $0.number, name: $0.name) }
    }

    /// The catalogue with each name's version, for the form that renames factors.
    public func factorRows() async throws -> [(factor: RiskFactor, version: Int)] {
        struct Row: Decodable { let number: Int; let name: String; let version: Int }
        return try await db.sql.raw("SELECT number, name, version FROM risk_factors ORDER BY number").all(decoding: Row.self)
            .map { (RiskFactor(number: $0.number, name: $0.name), $0.version) }
    }

    /// Renames a factor (its number stays) if nobody renamed it since `expectedVersion`; files may then name
    /// it either way.
    public func renameFactor(_ number: Int, expectedVersion: Int, name: String, actor: Actor) async throws {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw RepositoryError.invalid(field: "Название фактора", message: "обязательно") }
        try RepositoryError.check(name, field: "Название фактора", limit: 300)
        try await db.transaction { tx in
            struct Row: Decodable { let name: String; let version: Int }
            guard
                let old = try await tx.sql.raw("SELECT name, version FROM risk_factors WHERE number = \(bind: number)").first(
                    decoding: Row.self)
            else {
                throw RepositoryError.notFound(entity: "фактор риска")
            }
            guard old.version == expectedVersion else { throw RepositoryError.conflict(entity: "risk_factors") }
            if let other = try await RiskRepository(db: tx).factors().first(where: {
                $0.number != number && RiskFactor.comparable($0.name) == RiskFactor.comparable(name)
            }) {
                throw RepositoryError.duplicate(field: "Название фактора", value: other.name)
            }
            try await tx.sql.raw(
                """
                UPDATE risk_factors SET name = \(bind: name), version = version + 1
                WHERE number = \(bind: number) AND version = \(bind: expectedVersion)
                """
            ).run()
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "risk_factor", entityID: number,
                summary: "Переименован фактор риска № \(number)", changes: [FieldChange(field: "Название", old: old.name, new: name)])
        }
    }

    /// The years that have ratings for any school of the scope, newest first.
    public func years(_ scope: AccessScope) async throws -> [Int] {
        struct Row: Decodable { let year: Int }
        guard scope != .everything else {
            return try await db.sql.raw("SELECT DISTINCT year FROM risk_ratings ORDER BY year DESC").all(decoding: Row.self).map(\.year)
        }
        let ids = try await ScopeQueries.schoolIDs(scope, on: db)
        guard !ids.isEmpty else { return [] }
        let query: SQLQueryString =
            "SELECT DISTINCT year FROM risk_ratings WHERE school_id IN (\(unsafeRaw: ResultsImporter.idList(Set(ids)))) ORDER BY year DESC"
        return try await db.sql.raw(query).all(decoding: Row.self).map(\.year)
    }

    /// One school's ratings of every year, by year and factor (its profile page and history, in one query).
    public func ratings(school: SchoolModel) async throws -> [Int: [Int: RiskRating]] {
        guard let id = school.id else { return [:] }
        struct Row: Decodable { let year: Int; let factor: Int; let level: String; let source: String?; let comment: String? }
        var byYear: [Int: [Int: RiskRating]] = [:]
        let query: SQLQueryString = "SELECT year, factor, level, source, comment FROM risk_ratings WHERE school_id = \(bind: id)"
        for row in try await db.sql.raw(query).all(decoding: Row.self) {
            guard let level = RiskLevel(rawValue: row.level) else { continue }
            byYear[row.year, default: [:]][row.factor] =
                RiskRating(year: row.year, school: school.code, factor: row.factor, level: level, source: row.source, comment: row.comment)
        }
        return byYear
    }

    /// Every profile of the year within the scope (schools without ratings are left out), keyed by school id.
    public func profiles(year: Int, scope: AccessScope) async throws -> [Int: RiskProfile] {
        let inScope = try await ScopeQueries.schools(scope, on: db).all()
        guard !inScope.isEmpty else { return [:] }
        let codes = Dictionary(uniqueKeysWithValues: inScope.compactMap { school in school.id.map { ($0, school.code) } })
        struct Row: Decodable { let school_id: Int; let factor: Int; let level: String; let source: String?; let comment: String? }
        let query: SQLQueryString = """
            SELECT school_id, factor, level, source, comment FROM risk_ratings
            WHERE year = \(bind: year) AND school_id IN (\(unsafeRaw: ResultsImporter.idList(Set(codes.keys))))
            """
        var profiles: [Int: RiskProfile] = [:]
        for row in try await db.sql.raw(query).all(decoding: Row.self) {
            guard let level = RiskLevel(rawValue: row.level), let code = codes[row.school_id] else { continue }
            profiles[row.school_id, default: RiskProfile(schoolID: row.school_id, year: year, ratings: [:])].ratings[row.factor] =
                RiskRating(year: year, school: code, factor: row.factor, level: level, source: row.source, comment: row.comment)
        }
        return profiles
    }
}

extension RiskRepository {
    /// Takes ratings out of a school's profile (a form's «—»), each removal in the audit log.
    public func remove(schoolID: Int, schoolName: String, year: Int, factors: [Int], actor: Actor) async throws {
        guard !factors.isEmpty else { return }
        try await db.transaction { tx in
            struct Row: Decodable { let factor: Int; let level: String }
            let list = factors.map(String.init).joined(separator: ",")
            let query: SQLQueryString =
                """
                SELECT factor, level FROM risk_ratings
                WHERE school_id = \(bind: schoolID) AND year = \(bind: year) AND factor IN (\(unsafeRaw: list))
                """
            let stored = try await tx.sql.raw(query).all(decoding: Row.self)
            guard !stored.isEmpty else { return }
            try await tx.sql.raw(
                "DELETE FROM risk_ratings WHERE school_id = \(bind: schoolID) AND year = \(bind: year) AND factor IN (\(unsafeRaw: list))"
            ).run()
            let changes = stored.sorted { $0.factor < $1.factor }.map {
                FieldChange(field: "\(year): фактор \($0.factor)", old: RiskLevel(rawValue: $0.level)?.russianName ?? $0.level, new: nil)
            }
            try await AuditLog.record(on: tx, actor: actor, action: "delete", entity: "risk_profile", entityID: schoolID,
                                      summary: "Сняты оценки факторов риска школы «\(schoolName)» за \(year) год", changes: changes,
                                      place: AuditPlace(schoolID: schoolID))
        }
    }
}

/// The matrix's reads at region scale: every school in one light query, and a year's levels read by column
/// (a region has 12,000 ratings; `Decodable` rows made the first request after a change take 0,3 s).
extension RiskRepository {
    public struct SchoolLine: Sendable {
        public let id: Int
        public let code: String
        public let name: String
        public let municipalityID: Int
        public let municipality: String
    }

    public func schoolLines() async throws -> [SchoolLine] {
        struct Row: Decodable {
            let id: Int; let code: String; let name: String; let short_name: String?; let municipality_id: Int; let municipality: String
        }
        let query: SQLQueryString = """
            SELECT s.id, s.code, s.name, s.short_name, s.municipality_id, m.name AS municipality
            FROM schools s JOIN municipalities m ON m.id = s.municipality_id
            """
        return try await db.sql.raw(query).all(decoding: Row.self).map {
            SchoolLine(
                id: $0.id, code: $0.code, name: $0.short_name ?? $0.name, municipalityID: $0.municipality_id, municipality: $0.municipality)
        }
    }

    /// Every rating of a year: school id, factor, level.
    public func levels(year: Int) async throws -> [(school: Int, factor: Int, level: RiskLevel)] {
        let sql = "SELECT school_id, factor, level FROM risk_ratings WHERE year = "
        if let sqlite = db as? any SQLiteDatabase {
            return try await sqlite.query(sql + "?1", [.integer(year)]).compactMap { row in
                guard let school = row.column("school_id")?.integer, let factor = row.column("factor")?.integer,
                      let level = row.column("level")?.string.flatMap(RiskLevel.init(rawValue:)) else { return nil }
                return (school, factor, level)
            }
        }
        if let postgres = db as? any PostgresDatabase {
            let statement = PostgresQuery(
                unsafeSQL: sql + "$1",
                binds: {
                    var binds = PostgresBindings(); binds.append(year); return binds
                }())
            let logger = db.logger
            return try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    var levels: [(school: Int, factor: Int, level: RiskLevel)] = []
                    for try await (school, factor, level) in try await connection.query(statement, logger: logger).decode(
                        (Int, Int, String).self)
                    {
                        if let level = RiskLevel(rawValue: level) { levels.append((school, factor, level)) }
                    }
                    return levels
                }
            }.get()
        }
        struct Row: Decodable { let school_id: Int; let factor: Int; let level: String }
        return try await db.sql.raw("SELECT school_id, factor, level FROM risk_ratings WHERE year = \(bind: year)").all(decoding: Row.self)
            .compactMap { row in RiskLevel(rawValue: row.level).map { (row.school_id, row.factor, $0) } }
    }
}
