import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// The programme kinds: passports by code, roadmap measures by programme, section and number, indicators by
/// programme and code, their values by indicator, year and phase. Only the programmes the file names are read.
extension ImportChangesReader {
    struct StoredProgramme: Decodable {
        let id: Int, code: String, level: String, region_id: Int?, municipality_id: Int?, school_id: Int?
        let passport_json: String, start_on: String, end_on: String, order_number: String?, order_date: String?
    }

    func storedProgrammes(_ codes: Set<String>) async throws -> [StoredProgramme] {
        try await rows(StoredProgramme.self, table: "programmes", where: "code", in: Array(codes))
    }

    /// id → name of the rows of `table` with those ids (regions, municipalities), or → code (schools).
    func labels(_ table: String, _ column: String, ids: Set<Int>) async throws -> [Int: String] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        struct Row: Decodable { let id: Int, label: String }
        var labels: [Int: String] = [:]
        for part in Array(ids).chunked(Self.chunk) {
            let found = try await sql.select().column("id").column(SQLAlias(SQLIdentifier(column), as: SQLIdentifier("label")))
                .from(table).where("id", .in, Array(part)).all(decoding: Row.self)
            for row in found { labels[row.id] = row.label }
        }
        return labels
    }

    func day(_ iso: String?) -> String { iso.flatMap(CalendarDay.init(parsing:))?.russian ?? iso ?? "" }

    /// A known code's passport is compared; a column the file leaves out keeps the stored value (as the importer does).
    func programmes(_ records: [ProgrammeRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        let stored = try await storedProgrammes(Set(records.map(\.code)))
        let regions = try await labels("regions", "name", ids: Set(stored.compactMap(\.region_id)))
        let municipalities = try await labels("municipalities", "name", ids: Set(stored.compactMap(\.municipality_id)))
        let schools = try await labels("schools", "code", ids: Set(stored.compactMap(\.school_id)))
        var before: [[String]: [String]] = [:]
        for programme in stored {
            let passport = try? JSONDecoder().decode(ProgrammePassport.self, from: Data(programme.passport_json.utf8))
            let territory = programme.municipality_id.flatMap { municipalities[$0] } ?? programme.region_id.flatMap { regions[$0] } ?? ""
            before[[programme.code]] = [passport?.name ?? "", day(programme.start_on), day(programme.end_on),
                                        ProgrammeLevel(rawValue: programme.level)?.russianName ?? programme.level, territory,
                                        programme.school_id.flatMap { schools[$0] } ?? "", programme.order_number ?? "",
                                        day(programme.order_date), passport?.goal ?? ""]
        }
        let after = records.map { record -> (key: [String], values: [String]) in
            let old = before[[record.code]]
            func kept(_ value: String?, _ index: Int) -> String { value ?? old?[index] ?? "" }
            return ([record.code], [record.name, record.start.russian, record.end.russian, record.level.russianName,
                                    kept(record.territory, 4), kept(record.school, 5), kept(record.orderNumber, 6),
                                    kept(record.orderDate?.russian, 7), kept(record.goal, 8)])
        }
        let values = ["name", "start", "end", "level", "territory", "school", "order_number", "order_date", "goal"]
        return .compare(keyColumns: names(["code"], kind), valueColumns: names(values, kind), before: before, after: after, cap: cap)
    }

    /// Programme code → id of the programmes the file names.
    func programmeIDs(_ codes: Set<String>) async throws -> [String: Int] {
        struct Row: Decodable { let id: Int, code: String }
        let found = try await rows(Row.self, table: "programmes", where: "code", in: Array(codes), columns: ["id", "code"])
        return Dictionary(found.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    func roadmap(_ records: [RoadmapRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        let ids = try await programmeIDs(Set(records.map(\.programme)))
        let codes = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        struct Row: Decodable {
            let programme_id: Int, section: String, number: String, measure: String, deadline: String, responsible: String?
            let result: String?, status: String, done_on: String?, year: Int?, comment: String?
        }
        var before: [[String]: [String]] = [:]
        for row in try await rows(Row.self, table: "roadmap_measures", where: "programme_id", in: Array(ids.values)) {
            guard let code = codes[row.programme_id] else { continue }
            before[[code, row.section, row.number]] = [row.measure, row.deadline, row.responsible ?? "", row.result ?? "",
                                                       MeasureStatus(rawValue: row.status)?.russianName ?? row.status,
                                                       day(row.done_on), text(row.year), row.comment ?? ""]
        }
        let after = records.map { record in
            (key: [record.programme, record.section, record.number],
             values: [record.measure, record.deadline, record.responsible ?? "", record.result ?? "", record.status.russianName,
                      record.doneOn?.russian ?? "", text(record.year), record.comment ?? ""])
        }
        let values = ["measure", "deadline", "responsible", "result", "status", "done_on", "year", "comment"]
        return .compare(keyColumns: names(["programme", "section", "number"], kind), valueColumns: names(values, kind),
                        before: before, after: after, cap: cap)
    }

    struct StoredIndicator: Decodable {
        let id: Int, programme_id: Int, code: String, name: String, unit: String?, direction: String, baseline: Double?
        let baseline_year: Int?, formula: String?, periodicity: String?, months: String?, source: String?, responsible: String?
    }

    func indicators(_ records: [IndicatorRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        let ids = try await programmeIDs(Set(records.map(\.programme)))
        let codes = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        func direction(_ code: String) -> String { IndicatorDirection(rawValue: code)?.russianName ?? code }
        var before: [[String]: [String]] = [:]
        for row in try await rows(StoredIndicator.self, table: "programme_indicators", where: "programme_id", in: Array(ids.values)) {
            guard let programme = codes[row.programme_id] else { continue }
            before[[programme, row.code]] = [row.name, row.unit ?? "", direction(row.direction), number(row.baseline),
                                             text(row.baseline_year), row.formula ?? "", row.periodicity ?? "", row.months ?? "",
                                             row.source ?? "", row.responsible ?? ""]
        }
        let after = records.map { record in
            (key: [record.programme, record.code],
             values: [record.name, record.unit ?? "", record.direction.russianName, number(record.baseline), text(record.baselineYear),
                      record.formula?.rawValue ?? "", record.periodicity ?? "", record.months.map(String.init).joined(separator: ","),
                      record.source ?? "", record.responsible ?? ""])
        }
        let values = ["name", "unit", "direction", "baseline", "baseline_year", "formula", "periodicity", "months", "source", "responsible"]
        return .compare(keyColumns: names(["programme", "code"], kind), valueColumns: names(values, kind),
                        before: before, after: after, cap: cap)
    }

    func indicatorValues(_ records: [IndicatorValueRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        let ids = try await programmeIDs(Set(records.map(\.programme)))
        let codes = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        var indicators: [Int: (programme: String, code: String)] = [:]
        for row in try await rows(StoredIndicator.self, table: "programme_indicators", where: "programme_id", in: Array(ids.values)) {
            if let programme = codes[row.programme_id] { indicators[row.id] = (programme, row.code) }
        }
        struct Row: Decodable {
            let indicator_id: Int, year: Int, phase: String, value: Double, target: Double?, presence: Int?, dynamics: Int?
            let documentation: Int?, points: Int?, comment: String?
        }
        func phase(_ code: String) -> String { MonitoringPhase(rawValue: code)?.russianName ?? code }
        var before: [[String]: [String]] = [:]
        for row in try await rows(Row.self, table: "indicator_values", where: "indicator_id", in: Array(indicators.keys)) {
            guard let indicator = indicators[row.indicator_id] else { continue }
            before[[indicator.programme, indicator.code, String(row.year), phase(row.phase)]] =
                [number(row.value), number(row.target), text(row.presence), text(row.dynamics), text(row.documentation),
                 text(row.points), row.comment ?? ""]
        }
        let after = records.map { record in
            (key: [record.programme, record.indicator, String(record.year), record.phase.russianName],
             values: [number(record.value), number(record.target), text(record.points?.presence), text(record.points?.dynamics),
                      text(record.points?.documentation), text(record.totalPoints), record.comment ?? ""])
        }
        let values = ["value", "target", "presence", "dynamics", "documentation", "points", "comment"]
        return .compare(keyColumns: names(["programme", "indicator", "year", "phase"], kind), valueColumns: names(values, kind),
                        before: before, after: after, cap: cap)
    }
}
