import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// What a parsed file would change against the stored rows (`ImportChanges`), for the kinds whose rows have a
/// natural key: the registry, results, context data and risk profiles. Reads only the rows of the schools the file
/// names, in chunks, outside any transaction. Other kinds answer nil (their preview keeps the counts).
public struct ImportChangesReader: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    static let chunk = 500

    public func changes(_ parsed: ParsedFile, cap: Int = ImportChanges.shown) async throws -> ImportChanges? {
        let kind = parsed.kind
        func names(_ columns: [String]) -> [String] { columns.map { ImportColumnNames.russian($0, kind: kind) } }
        switch parsed.content {
        case .schools(let records):
            let columns = ["name", "short_name", "number", "municipality", "settlement", "address", "director", "students", "students_ovz"]
            var before: [[String]: [String]] = [:]
            for school in try await schools(codes: Set(records.map(\.code))) {
                before[[school.code]] = [school.name, school.shortName ?? "", school.number ?? "", school.municipality.name,
                                         school.settlement.flatMap(Settlement.init(rawValue:))?.russianName ?? "",
                                         school.address ?? "", school.director ?? "", text(school.students), text(school.studentsOVZ)]
            }
            let after = records.map { record in
                (key: [record.code], values: [record.name, record.shortName ?? "", record.number ?? "", record.municipality,
                                              record.settlement?.russianName ?? "", record.address ?? "", record.director ?? "",
                                              text(record.students), text(record.studentsOVZ)])
            }
            return .compare(keyColumns: names(["code"]), valueColumns: names(columns), before: before, after: after, cap: cap)
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
            return .compare(keyColumns: names(["year", "procedure", "grade", "subject", "school"]), valueColumns: names(columns),
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
            return .compare(keyColumns: names(["year", "school", "indicator"]), valueColumns: names(["value"]), before: before,
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
            return .compare(keyColumns: names(["year", "school", "factor"]), valueColumns: names(["level", "source", "comment"]),
                            before: before, after: after, cap: cap)
        default:
            return nil
        }
    }

    func text(_ number: Int?) -> String { number.map(String.init) ?? "" }

    func values(_ counts: ResultCounts) -> [String] {
        [String(counts.participants), text(counts.m2), text(counts.m3), text(counts.m4), text(counts.m5), text(counts.belowMin),
         text(counts.high), counts.meanScore.map { RussianFormat.plain($0) } ?? "", text(counts.lowered), text(counts.confirmed),
         text(counts.raised)]
    }

    func schools(codes: Set<String>) async throws -> [SchoolModel] {
        var found: [SchoolModel] = []
        for part in Array(codes).chunked(Self.chunk) {
            found += try await SchoolModel.query(on: db).filter(\.$code ~~ Array(part)).with(\.$municipality).all()
        }
        return found
    }

    /// School code → id, for the codes the file names that exist.
    func schoolIDs(_ codes: Set<String>) async throws -> [String: Int] {
        var ids: [String: Int] = [:]
        for part in Array(codes).chunked(Self.chunk) {
            for school in try await SchoolModel.query(on: db).filter(\.$code ~~ Array(part)).field(\.$id).field(\.$code).all() {
                ids[school.code] = school.id
            }
        }
        return ids
    }

    func rows<Row: Decodable>(_ type: Row.Type, table: String, schoolIDs: [Int]) async throws -> [Row] {
        guard let sql = db as? any SQLDatabase else { return [] }
        var rows: [Row] = []
        for part in schoolIDs.chunked(Self.chunk) {
            rows += try await sql.select().column("*").from(table).where("school_id", .in, Array(part)).all(decoding: Row.self)
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
