import FluentKit
import Foundation
import NIOCore
import OporaDomain
import SQLKit
import PostgresNIO
import SQLiteNIO

/// Per-student results, stored one row per school × work: the group's counts computed by `StudentAccumulator`
/// (`score_groups`) and its students in the compact form of `StudentRowsCodec` (`score_group_rows`).
/// Every results page reads the counts; the rows are read back only to merge a re-import or to
/// recount after new thresholds. Why not one database row per student: docs/DECISIONS.md.
public struct ScoreGroupStore: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    struct StoredKey: Hashable { let schoolID: Int; let work: WorkKey }

    /// A group ready to write: its school resolved, its rows merged with what was stored.
    struct PreparedGroup {
        let schoolID: Int
        let work: WorkKey
        let rows: [UInt8]
        let students: Int
        let counts: ResultCounts
        /// Not stored before (PostgreSQL copies such groups straight into their tables).
        var isNew = false
    }

    public struct WriteSummary: Sendable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        /// What changed in each group that changed, for the audit log.
        public var groups: [GroupChange] = []
    }

    public struct GroupChange: Sendable {
        public let schoolID: Int
        public let work: WorkKey
        public let studentsBefore: Int?
        public let studentsAfter: Int
        public let added: Int
        public let replaced: Int
    }

    static let columns = ["school_id", "year", "procedure", "grade", "subject", "students", "participants",
                          "m2", "m3", "m4", "m5", "below_min", "high", "mean_score", "lowered", "confirmed", "raised"]
    static let key = ["year", "procedure", "grade", "subject", "school_id"]

    struct ThresholdRow: Decodable {
        let year: Int; let procedure: String; let subject: String; let grade: Int; let min_score: Double; let high_score: Double?
    }

    func thresholds() async throws -> ThresholdTable {
        let rows = try await db.sql.raw("SELECT year, procedure, subject, grade, min_score, high_score FROM thresholds")
            .all(decoding: ThresholdRow.self)
        var entries: [ThresholdTable.Key: ScoreThreshold] = [:]
        for row in rows {
            guard let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
            entries[.init(year: row.year, procedure: procedure, subject: row.subject, grade: row.grade)] =
                ScoreThreshold(minScore: row.min_score, highScore: row.high_score)
        }
        return ThresholdTable(entries)
    }

    /// A group is read, merged and written back, so two imports into the same work must not interleave.
    func lockForWriting() async throws {
        try await ImportWriteLock.acquire(on: db)
    }

    struct KeyRow: Decodable { let id: Int; let school_id: Int; let year: Int; let procedure: String; let grade: Int; let subject: String }

    /// Ids of the stored groups of these works.
    func storedIDs(of works: Set<WorkKey>) async throws -> [StoredKey: Int] {
        struct YearProcedure: Hashable { let year: Int; let procedure: String }
        var ids: [StoredKey: Int] = [:]
        for pair in Set(works.map { YearProcedure(year: $0.year, procedure: $0.procedure.rawValue) }) {
            let rows = try await db.sql
                .raw("""
                    SELECT id, school_id, year, procedure, grade, subject FROM score_groups
                    WHERE year = \(bind: pair.year) AND procedure = \(bind: pair.procedure)
                    """)
                .all(decoding: KeyRow.self)
            for row in rows {
                guard let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
                let work = WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject)
                if works.contains(work) { ids[StoredKey(schoolID: row.school_id, work: work)] = row.id }
            }
        }
        return ids
    }

    struct RowsRow: Decodable { let id: Int; let rows: Data }

    func storedRows(ids: [Int]) async throws -> [Int: [StudentRow]] {
        guard !ids.isEmpty else { return [:] }
        let list = ids.map(String.init).joined(separator: ",")
        var result: [Int: [StudentRow]] = [:]
        for row in try await db.sql.raw("SELECT group_id AS id, rows FROM score_group_rows WHERE group_id IN (\(unsafeRaw: list))")
            .all(decoding: RowsRow.self) {
            result[row.id] = try StudentRowsCodec.decode(row.rows)
        }
        return result
    }

    /// Upserts groups whose schools are resolved: stored students are kept unless the group replaces them
    /// (CONTRACT.md), and the counts are recomputed over the merged rows. Runs inside the caller's transaction.
    func write(_ groups: [(schoolID: Int, group: ScoreGroup)]) async throws -> WriteSummary {
        try await lockForWriting()
        // The scores are written by COPY on PostgreSQL (`PostgresBulk`), with no audit row of their own.
        if !groups.isEmpty { try await DataVersion.bump(on: db) }
        let thresholds = try await thresholds()
        let stored = try await storedIDs(of: Set(groups.map(\.group.work)))
        var summary = WriteSummary()
        var start = 0
        // A thousand groups at a time keeps memory flat whatever the file's size; the next thousand are
        // encoded and counted while the database writes the last (two cores).
        var pending: Task<Void, any Error>? = nil
        do {
            while start < groups.count {
                let chunk = groups[start..<min(start + 1_000, groups.count)]
                let storedIDs = chunk.compactMap { stored[StoredKey(schoolID: $0.schoolID, work: $0.group.work)] }
                var previous: [Int: [StudentRow]] = [:]
                if !storedIDs.isEmpty {
                    // One statement at a time on the transaction's connection.
                    try await pending?.value
                    pending = nil
                    previous = try await storedRows(ids: storedIDs)
                }
                var prepared: [PreparedGroup] = []
                prepared.reserveCapacity(chunk.count)
                for (schoolID, group) in chunk {
                    var rows = group.rows
                    if let id = stored[StoredKey(schoolID: schoolID, work: group.work)], let old = previous[id] {
                        let merged = ScoreGroup.merge(stored: old, incoming: group.rows)
                        // The same students exactly as stored: nothing to write for this group.
                        if merged.unchanged == group.rows.count {
                            summary.unchanged += merged.unchanged
                            continue
                        }
                        rows = merged.rows
                        summary.updated += merged.replaced - merged.unchanged
                        summary.unchanged += merged.unchanged
                        summary.created += group.rows.count - merged.replaced
                        summary.groups.append(GroupChange(schoolID: schoolID, work: group.work, studentsBefore: old.count,
                                                          studentsAfter: rows.count, added: group.rows.count - merged.replaced,
                                                          replaced: merged.replaced - merged.unchanged))
                    } else {
                        summary.created += group.rows.count
                        summary.groups.append(GroupChange(schoolID: schoolID, work: group.work, studentsBefore: nil,
                                                          studentsAfter: rows.count, added: rows.count, replaced: 0))
                    }
                    let threshold = thresholds.threshold(for: group.work)
                    prepared.append(PreparedGroup(schoolID: schoolID, work: group.work, rows: StudentRowsCodec.encode(rows),
                                                  students: rows.count,
                                                  counts: ScoreGroup.counts(rows, work: group.work, threshold: threshold),
                                                  isNew: stored[StoredKey(schoolID: schoolID, work: group.work)] == nil))
                }
                try await pending?.value
                let batch = prepared
                pending = Task { try await self.upsert(batch) }
                start += chunk.count
            }
            try await pending?.value
        } catch {
            // Never leave a write running while the transaction rolls back.
            _ = try? await pending?.value
            throw error
        }
        return summary
    }

    /// Recounts the stored groups of works whose thresholds changed (below the minimum and high scorers depend on them).
    /// A work whose thresholds a file sets (thresholds have no grade column to match on: grade 0 means all).
    struct ThresholdWork: Hashable, Sendable {
        public let year: Int, procedure: ProcedureCode, subject: String
        public init(year: Int, procedure: ProcedureCode, subject: String) {
            self.year = year
            self.procedure = procedure
            self.subject = subject
        }
    }

    /// Recounts the stored groups of works whose thresholds changed (below the minimum and high scorers
    /// depend on them), through the same batched upsert as an import.
    func recount(_ works: Set<ThresholdWork>) async throws {
        try await lockForWriting()
        let sql = db.sql
        let thresholds = try await thresholds()
        struct Row: Decodable { let school_id: Int; let grade: Int; let students: Int; let rows: Data }
        for work in works.sorted(by: { ($0.year, $0.procedure.rawValue, $0.subject) < ($1.year, $1.procedure.rawValue, $1.subject) }) {
            let rows = try await sql.raw("""
                SELECT g.school_id, g.grade, g.students, r.rows FROM score_groups g JOIN score_group_rows r ON r.group_id = g.id
                WHERE g.year = \(bind: work.year) AND g.procedure = \(bind: work.procedure.rawValue) AND g.subject = \(bind: work.subject)
                """).all(decoding: Row.self)
            let counted = try rows.map { row in
                let key = WorkKey(year: work.year, procedure: work.procedure, grade: row.grade, subject: work.subject)
                let counts = ScoreGroup.counts(try StudentRowsCodec.decode(row.rows), work: key, threshold: thresholds.threshold(for: key))
                return PreparedGroup(schoolID: row.school_id, work: key, rows: [], students: row.students, counts: counts)
            }
            _ = try await upsertCounts(counted)
        }
    }

    /// Upserts the counts (getting every group's id back), then the rows under those ids.
    func upsert(_ groups: [PreparedGroup]) async throws {
        guard !groups.isEmpty else { return }
        if let postgres = db as? any PostgresDatabase {
            try await PostgresBulk.upsertGroups(groups, on: postgres, logger: db.logger)
            return
        }
        let ids = try await upsertCounts(groups)
        let rows: [(id: Int, bytes: [UInt8])] = try groups.map { group in
            guard let id = ids[StoredKey(schoolID: group.schoolID, work: group.work)] else {
                throw StoreInconsistency(table: "score_groups")
            }
            return (id, group.rows)
        }
        if let sqlite = db as? any SQLiteDatabase {
            try await upsertRowsSQLite(sqlite, rows)
        } else {
            try await db.sql.insertRows(into: "score_group_rows", columns: ["group_id", "rows"],
                                             rows: rows.map { [$0.id, Data($0.bytes)] }, updatingOnConflict: ["group_id"])
        }
    }

    struct StoreInconsistency: Error, CustomStringConvertible {
        let table: String
        var description: String { "не найдена запись \(table) после записи" }
    }

    /// Upserts the groups' counts and returns every group's id.
    func upsertCounts(_ groups: [PreparedGroup]) async throws -> [StoredKey: Int] {
        guard !groups.isEmpty else { return [:] }
        if let sqlite = db as? any SQLiteDatabase { return try await upsertCountsSQLite(sqlite, groups) }
        return try await upsertCounts(db.sql, groups)
    }

    func countValues(_ g: PreparedGroup) -> [any Encodable & Sendable] {
        let c = g.counts
        return [g.schoolID, g.work.year, g.work.procedure.rawValue, g.work.grade, g.work.subject, g.students, c.participants,
                c.m2, c.m3, c.m4, c.m5, c.belowMin, c.high, c.meanScore, c.lowered, c.confirmed, c.raised]
    }

    func upsertCounts(_ sql: any SQLDatabase, _ groups: [PreparedGroup]) async throws -> [StoredKey: Int] {
        var ids: [StoredKey: Int] = [:]
        let updated = Self.columns.filter { !Self.key.contains($0) }
        var start = 0
        while start < groups.count {
            let chunk = groups[start..<min(start + 30_000 / Self.columns.count, groups.count)]
            var insert = sql.insert(into: "score_groups").columns(Self.columns)
            for group in chunk { insert = insert.values(countValues(group)) }
            let rows = try await insert.onConflict(with: Self.key) { conflict in updated.reduce(conflict) { $0.set(excludedValueOf: $1) } }
                .returning("id", "school_id", "year", "procedure", "grade", "subject").all(decoding: KeyRow.self)
            for row in rows {
                guard let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
                let work = WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject)
                ids[StoredKey(schoolID: row.school_id, work: work)] = row.id
            }
            start += chunk.count
        }
        return ids
    }

    /// Typed binds, no Encodable boxing.
    func upsertCountsSQLite(_ sqlite: any SQLiteDatabase, _ groups: [PreparedGroup]) async throws -> [StoredKey: Int] {
        let perRow = Self.columns.count
        let update = Self.columns.filter { !Self.key.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let placeholder = "(" + Array(repeating: "?", count: perRow).joined(separator: ",") + ")"
        func integer(_ value: Int?) -> SQLiteData { value.map { .integer($0) } ?? .null }
        var ids: [StoredKey: Int] = [:]
        var start = 0
        while start < groups.count {
            let chunk = groups[start..<min(start + 30_000 / perRow, groups.count)]
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * perRow)
            for g in chunk {
                let c = g.counts
                binds += [.integer(g.schoolID), .integer(g.work.year), .text(g.work.procedure.rawValue), .integer(g.work.grade),
                          .text(g.work.subject),
                          .integer(g.students), .integer(c.participants), integer(c.m2), integer(c.m3), integer(c.m4), integer(c.m5),
                          integer(c.belowMin), integer(c.high), c.meanScore.map(SQLiteData.float) ?? .null, integer(c.lowered),
                          integer(c.confirmed), integer(c.raised)]
            }
            let statement = "INSERT INTO score_groups (\(Self.columns.joined(separator: ", "))) VALUES " +
                Array(repeating: placeholder, count: chunk.count).joined(separator: ",") +
                " ON CONFLICT (\(Self.key.joined(separator: ", "))) DO UPDATE SET \(update)"
                + " RETURNING id, school_id, year, procedure, grade, subject"
            for row in try await sqlite.query(statement, binds) {
                guard let id = row.column("id")?.integer, let school = row.column("school_id")?.integer,
                      let year = row.column("year")?.integer,
                      let grade = row.column("grade")?.integer, let subject = row.column("subject")?.string,
                      let procedure = row.column("procedure")?.string.flatMap(ProcedureCode.init(rawValue:)) else { continue }
                ids[StoredKey(schoolID: school, work: WorkKey(year: year, procedure: procedure, grade: grade, subject: subject))] = id
            }
            start += chunk.count
        }
        return ids
    }

    func upsertRowsSQLite(_ sqlite: any SQLiteDatabase, _ rows: [(id: Int, bytes: [UInt8])]) async throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + 10_000, rows.count)]
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * 2)
            for row in chunk { binds += [.integer(row.id), .blob(ByteBuffer(bytes: row.bytes))] }
            let statement = "INSERT INTO score_group_rows (group_id, rows) VALUES "
                + Array(repeating: "(?,?)", count: chunk.count).joined(separator: ",") +
                " ON CONFLICT (group_id) DO UPDATE SET rows = excluded.rows"
            _ = try await sqlite.query(statement, binds)
            start += chunk.count
        }
    }
}
