import Fluent
import OporaData
import OporaDomain
import Vapor

/// «Результативность поддержки» for a municipality or a region: the comparison of `SupportEffect` for the chosen
/// window, procedure and metric, and the same for every procedure × metric (the breakdown).
struct EffectModel: Sendable {
    let scopeLabel: String
    let years: [Int]
    let from: Int
    let to: Int
    let procedures: [ProcedureCode]
    let procedure: ProcedureCode?
    let metric: EffectMetric
    /// A region's user may narrow to one of its municipalities.
    let municipalities: [(id: Int, name: String)]
    let municipality: Int?
    /// Nil when no order of `from` is in force in the scope (no supported schools), or no data.
    let analysis: EffectAnalysis?
    let hasOrder: Bool
    let names: [Int: String]
    /// Procedure × metric → the main estimate.
    let breakdown: [(procedure: ProcedureCode, metric: EffectMetric, estimate: EffectEstimate)]

    /// 404 for a school-level user: the comparison is a territory's question.
    static func build(_ req: Request) async throws -> EffectModel {
        let user = try req.user
        if case .schools = user.scope { throw Abort(.notFound) }
        let municipalities: [(id: Int, name: String)] = try await ScopeQueries.municipalities(user.scope, on: req.db)
            .sort(\.$name).all().map { ($0.id!, $0.name) }
        var scope = user.scope
        var label = user.scopeLabel
        let municipality = try req.queryInt("municipality", in: InputRange.id, "муниципалитет")
        if let municipality {
            guard let found = municipalities.first(where: { $0.id == municipality }) else { throw Abort(.notFound) }
            scope = .municipality(municipality)
            label = found.name
        }
        let works = try await req.derived.availableWorks(scope: scope)
        let years = Array(Set(works.map(\.year))).sorted()
        let latest = years.last ?? CalendarDay.today().year
        // By default the window opens on the first year (before the latest) with an order in force: a window without
        // one has no supported schools to judge.
        var ordered: Int? = nil
        for year in years.dropLast() where ordered == nil {
            if try await IdentificationRepository(db: req.db).listInForce(year: year, scope: scope) != nil { ordered = year }
        }
        let from = try req.queryInt("from", in: InputRange.year, "с года") ?? ordered ?? years.first ?? latest - 1
        let to = try req.queryInt("to", in: InputRange.year, "по год") ?? max(latest, from + 1)
        guard from < to else { throw Abort(.badRequest, reason: "Год окончания окна должен быть позже года начала") }
        let metricCodes = EffectMetric.allCases.map(\.rawValue)
        let metric = EffectMetric(rawValue: try req.queryChoice("metric", from: metricCodes, default: EffectMetric.belowMinRate.rawValue))!
        let repository = EffectRepository(db: req.db)
        let procedures = try await repository.procedures(from: from, to: to, scope: scope)
        let chosen = try req.queryChoice("procedure", from: ProcedureCode.allCases.map(\.rawValue), default: "")
        let procedure = ProcedureCode(rawValue: chosen) ?? procedures.first
        let inputs = try await repository.inputs(
            from: from, to: to, procedures: Array(Set(procedures + (procedure.map { [$0] } ?? []))), scope: scope)
        var analysis: EffectAnalysis?
        var breakdown: [(procedure: ProcedureCode, metric: EffectMetric, estimate: EffectEstimate)] = []
        if inputs.hasOrder {
            if let procedure {
                analysis = SupportEffect.analyse(
                    from: from, to: to, metric: metric, schools: inputs.schools(procedure), listed: inputs.listed)
            }
            for code in procedures {
                for each in EffectMetric.allCases {
                    let result = SupportEffect.analyse(
                        from: from, to: to, metric: each, schools: inputs.schools(code), listed: inputs.listed)
                    if result.main.supported.schools > 0 { breakdown.append((code, each, result.main)) }
                }
            }
        }
        let ids = Set(analysis?.lines.map(\.schoolID) ?? [])
        let shown = try await ScopeQueries.schoolNames(scope, on: req.db).filter { ids.contains($0.id) }
        let names = Dictionary(uniqueKeysWithValues: shown.map { ($0.id, $0.name) })
        return EffectModel(
            scopeLabel: label, years: years, from: from, to: to, procedures: procedures, procedure: procedure, metric: metric,
            municipalities: municipalities.count > 1 ? municipalities : [], municipality: municipality, analysis: analysis,
            hasOrder: inputs.hasOrder, names: names, breakdown: breakdown)
    }
}
