import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// What a parsed file would change against the stored rows (`ImportChanges`), for every kind (an approved list
/// against the list in force it replaces). Reads only the rows of the schools, works, programmes or events the file
/// names, in chunks, outside any transaction, so no connection is held longer than one chunk's query. Pupils' rows
/// are compared per school × work, never one by one.
public struct ImportChangesReader: Sendable {
    public let db: any Database
    /// The uploader's scope: benchmarks and events are stored per territory, so the stored rows a file replaces
    /// are those of the uploader's territory.
    public let scope: AccessScope

    public init(db: any Database, scope: AccessScope = .everything) {
        self.db = db
        self.scope = scope
    }

    static let chunk = 500

    public func changes(_ parsed: ParsedFile, cap: Int = ImportChanges.shown) async throws -> ImportChanges? {
        let kind = parsed.kind
        switch parsed.content {
        case .schools(let records):
            let columns = ["name", "short_name", "number", "municipality", "settlement", "address", "director", "students", "students_ovz"]
            var before: [[String]: [String]] = [:]
            for school in try await schools(codes: Set(records.map(\.code))) {
                before[[school.code]] = [school.name, school.short_name ?? "", school.number ?? "", school.municipality,
                                         school.settlement.flatMap(Settlement.init(rawValue:))?.russianName ?? "",
                                         school.address ?? "", school.director ?? "", text(school.students), text(school.students_ovz)]
            }
            let after = records.map { record in
                (key: [record.code], values: [record.name, record.shortName ?? "", record.number ?? "", record.municipality,
                                              record.settlement?.russianName ?? "", record.address ?? "", record.director ?? "",
                                              text(record.students), text(record.studentsOVZ)])
            }
            return .compare(keyColumns: names(["code"], kind), valueColumns: names(columns, kind), before: before, after: after, cap: cap)
        case .results(let records):
            let columns = ["participants", "m2", "m3", "m4", "m5", "below_min", "high", "mean_score", "lowered", "confirmed", "raised"]
            let ids = try await schoolIDs(Set(records.map(\.school)))
            var before: [[String]: [String]] = [:]
            struct Row: Decodable {
                let school_id: Int, year: Int, procedure: String, grade: Int, subject: String, participants: Int
                let m2: Int?, m3: Int?, m4: Int?, m5: Int?, below_min: Int?, high: Int?, mean_score: Double?
                let lowered: Int?, confirmed: Int?, raised: Int?
            }
            let codes = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            for row in try await rows(Row.self, table: "results", schoolIDs: Array(ids.values)) {
                guard let code = codes[row.school_id] else { continue }
                let counts = ResultCounts(participants: row.participants, m2: row.m2, m3: row.m3, m4: row.m4, m5: row.m5,
                                          belowMin: row.below_min, high: row.high, meanScore: row.mean_score, lowered: row.lowered,
                                          confirmed: row.confirmed, raised: row.raised)
                before[[String(row.year), row.procedure, String(row.grade), row.subject, code]] = values(counts)
            }
            let after = records.map { record -> (key: [String], values: [String]) in
                let work = record.work
                return (key: [String(work.year), work.procedure.rawValue, String(work.grade), work.subject, record.school],
                        values: values(record.counts))
            }
            return .compare(
                keyColumns: names(["year", "procedure", "grade", "subject", "school"], kind), valueColumns: names(columns, kind),
                before: before, after: after, cap: cap)
        case .context(let records):
            let ids = try await schoolIDs(Set(records.map(\.school)))
            let codes = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            struct Row: Decodable { let school_id: Int, year: Int, indicator: String, value_text: String }
            var before: [[String]: [String]] = [:]
            for row in try await rows(Row.self, table: "context_values", schoolIDs: Array(ids.values)) {
                guard let code = codes[row.school_id] else { continue }
                before[[String(row.year), code, row.indicator]] = [row.value_text]
            }
            let after = records.map { (key: [String($0.year), $0.school, $0.indicator], values: [$0.text]) }
            return .compare(keyColumns: names(["year", "school", "indicator"], kind), valueColumns: names(["value"], kind), before: before,
                            after: after, cap: cap)
        case .risks(let records):
            let ids = try await schoolIDs(Set(records.map(\.school)))
            let codes = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            struct Row: Decodable { let school_id: Int, year: Int, factor: Int, level: String, source: String?, comment: String? }
            var before: [[String]: [String]] = [:]
            for row in try await rows(Row.self, table: "risk_ratings", schoolIDs: Array(ids.values)) {
                guard let code = codes[row.school_id] else { continue }
                before[[String(row.year), code, String(row.factor)]] = [RiskLevel(rawValue: row.level)?.russianName ?? row.level,
                                                                        row.source ?? "", row.comment ?? ""]
            }
            let after = records.map { record in
                (key: [String(record.year), record.school, String(record.factor)],
                 values: [record.level.russianName, record.source ?? "", record.comment ?? ""])
            }
            return .compare(
                keyColumns: names(["year", "school", "factor"], kind), valueColumns: names(["level", "source", "comment"], kind),
                before: before, after: after, cap: cap)
        case .scores(let scores):
            return try await scoreGroups(scores.groups, kind: kind, cap: cap)
        case .taskScores(let scores):
            return try await scoreGroups(scores.groups.map(\.scoreGroup), kind: kind, cap: cap)
        case .thresholds(let records): return try await thresholds(records, kind: kind, cap: cap)
        case .benchmarks(let records): return try await benchmarks(records, kind: kind, cap: cap)
        case .taskBenchmarks(let records): return try await taskBenchmarks(records, kind: kind, cap: cap)
        case .tasks(let records): return try await tasks(records, kind: kind, cap: cap)
        case .markScales(let records): return try await markScales(records, kind: kind, cap: cap)
        case .programmes(let records): return try await programmes(records, kind: kind, cap: cap)
        case .roadmap(let records): return try await roadmap(records, kind: kind, cap: cap)
        case .indicators(let records): return try await indicators(records, kind: kind, cap: cap)
        case .indicatorValues(let records): return try await indicatorValues(records, kind: kind, cap: cap)
        case .events(let records): return try await events(records, kind: kind, cap: cap)
        case .staff(let records): return try await staff(records, kind: kind, cap: cap)
        case .specialists(let records): return try await specialists(records, kind: kind, cap: cap)
        case .approvedList(let order): return try await approvedList(order, kind: kind, cap: cap)
        }
    }

    func number(_ value: Double?) -> String { value.map(RussianFormat.plain) ?? "" }

    func text(_ number: Int?) -> String { number.map(String.init) ?? "" }

    func values(_ counts: ResultCounts) -> [String] {
        [String(counts.participants), text(counts.m2), text(counts.m3), text(counts.m4), text(counts.m5), text(counts.belowMin),
         text(counts.high), counts.meanScore.map { RussianFormat.plain($0) } ?? "", text(counts.lowered), text(counts.confirmed),
         text(counts.raised)]
    }

    struct StoredSchool: Decodable {
        let code: String, name: String, short_name: String?, number: String?, municipality: String, settlement: String?
        let address: String?, director: String?, students: Int?, students_ovz: Int?
    }

    /// The registry's rows of the file's codes with their municipality's name, as plain rows.
    func schools(codes: Set<String>) async throws -> [StoredSchool] {
        guard let sql = db as? any SQLDatabase else { return [] }
        var found: [StoredSchool] = []
        for part in Array(codes).chunked(Self.chunk) {
            let columns = ["code", "name", "short_name", "number", "settlement", "address", "director", "students", "students_ovz"]
            found += try await sql.select().columns(columns.map { SQLColumn($0, table: "schools") })
                .column(SQLAlias(SQLColumn("name", table: "municipalities"), as: SQLIdentifier("municipality")))
                .from("schools")
                .join("municipalities", on: SQLColumn("municipality_id", table: "schools"), .equal,
                      SQLColumn("id", table: "municipalities"))
                .where(SQLColumn("code", table: "schools"), .in, SQLBind.group(Array(part))).all(decoding: StoredSchool.self)
        }
        return found
    }

    /// School code → id, for the codes the file names that exist (plain rows: a region's ten thousand schools
    /// decoded as Fluent models would hold up other requests).
    func schoolIDs(_ codes: Set<String>) async throws -> [String: Int] {
        struct Row: Decodable { let id: Int, code: String }
        var ids: [String: Int] = [:]
        for row in try await rows(Row.self, table: "schools", where: "code", in: Array(codes), columns: ["id", "code"]) {
            ids[row.code] = row.id
        }
        return ids
    }

    func rows<Row: Decodable>(_ type: Row.Type, table: String, schoolIDs: [Int]) async throws -> [Row] {
        try await rows(type, table: table, where: "school_id", in: schoolIDs)
    }

    /// The rows of `table` whose `column` is one of `values` (and that match `equal`, column → value), a chunk of
    /// values per query: each query takes a connection only for itself.
    func rows<Row: Decodable, Value: Encodable & Sendable>(_ type: Row.Type, table: String, where column: String, in values: [Value],
                                                           equal: [String: Int] = [:], columns: [String] = ["*"]) async throws -> [Row] {
        guard let sql = db as? any SQLDatabase else { return [] }
        var rows: [Row] = []
        for part in values.chunked(Self.chunk) {
            var query = sql.select().columns(columns).from(table).where(SQLIdentifier(column), .in, SQLBind.group(Array(part)))
            for (name, value) in equal.sorted(by: { $0.key < $1.key }) { query = query.where(SQLIdentifier(name), .equal, SQLBind(value)) }
            rows += try await query.all(decoding: Row.self)
        }
        return rows
    }
}

extension Array {
    /// Pieces of at most `size` elements (an IN list stays well under the engines' limits on bound values).
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
