import FluentKit
import OporaDomain
import SQLKit

/// Where the territorial programmes of a scope stand today: their roadmap rows and the indicators to collect this
/// month without a value. The start page's reminders and «Сегодня» both ask this, read in a few queries for all the
/// programmes together — not four per programme, which after a bulk import of programmes made every start page
/// wait for thousands of queries.
public struct PlanMonitoring: Sendable {
    public let plan: PlanModel
    public let rows: [RoadmapRow]
    /// Codes of the indicators collected this month (`CollectionSchedule`) that have no value for this year.
    public let missingIndicators: [String]
}

extension PlanRepository {
    static let monitoringChunk = 500

    /// The programmes of `scope` still running (ended no earlier than last year), with their roadmaps read as of `today`.
    public func monitoring(_ scope: AccessScope, today: CalendarDay) async throws -> [PlanMonitoring] {
        let plans = try await programmes(scope).filter { $0.period.years.upperBound >= today.year - 1 }
        let ids = plans.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        var measures: [Int: [MeasureRow]] = [:]
        var indicators: [Int: [IndicatorModel]] = [:]
        var valued: Set<Int> = []
        for piece in ids.chunked(Self.monitoringChunk) {
            let chunk = Array(piece)
            let rows = try await db.sql.select().columns(MeasureRow.columns.map { SQLIdentifier($0) }).from(MeasureModel.schema)
                .where("programme_id", .in, chunk).orderBy("programme_id").orderBy("position").all(decoding: MeasureRow.self)
            for row in rows { measures[row.programme_id, default: []].append(row) }
            for indicator in try await IndicatorModel.query(on: db).filter(\.$programmeID ~~ chunk).sort(\.$position).all() {
                indicators[indicator.programmeID, default: []].append(indicator)
            }
        }
        let indicatorIDs = indicators.values.joined().compactMap(\.id)
        struct Valued: Decodable { let indicator_id: Int }
        for piece in indicatorIDs.chunked(Self.monitoringChunk) {
            let chunk = Array(piece)
            let rows = try await db.sql.select().distinct().column("indicator_id").from(IndicatorValueModel.schema)
                .where("indicator_id", .in, chunk).where("year", .equal, today.year).all(decoding: Valued.self)
            valued.formUnion(rows.map(\.indicator_id))
        }
        return plans.map { plan in
            let own = indicators[plan.id!] ?? []
            let withValues = Set(own.filter { $0.id.map(valued.contains) ?? false }.map(\.code))
            let missing = CollectionSchedule.missing(own.map(\.monitored), month: today.month, withValues: withValues).map(\.code)
            return PlanMonitoring(plan: plan, rows: RoadmapRow.rows(measures[plan.id!] ?? [], period: plan.period, today: today),
                                  missingIndicators: missing)
        }
    }
}
