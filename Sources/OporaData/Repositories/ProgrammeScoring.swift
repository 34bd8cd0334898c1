import FluentKit
import OporaDomain

/// The figures a programme is judged on: computed indicators and the year's score (the rules are the domain's;
/// this gathers their inputs).
extension PlanRepository {
    /// The programme's territory as a scope: its school, municipality or region.
    public static func territory(_ programme: PlanModel) -> AccessScope {
        if let school = programme.schoolID { return .schools([school]) }
        if let municipality = programme.municipalityID { return .municipality(municipality) }
        return .region(programme.regionID ?? 0)
    }

    public func formulaInputs(_ programme: PlanModel, year: Int) async throws -> FormulaInputs {
        let scope = Self.territory(programme)
        let schools = Set(try await ScopeQueries.schoolIDs(scope, on: db))
        let statuses = try await IdentificationRepository(db: db).approvedStatuses(year: year, scope: scope)
        let listed = statuses.map { Set($0.filter { $0.value == .lowResults || $0.value == .lowResultsSocial }.keys) }
        let results = ResultsRepository(db: db)
        func read(_ year: Int) async throws -> [FormulaResult] {
            try await results.results(ResultFilter(year: year), scope: scope).map {
                FormulaResult(school: $0.schoolID, work: $0.work, counts: $0.counts)
            }
        }
        let mentored = Set(try await SupportRepository(db: db).mentoringPairs(scope, year: year).map { $0.$supported.id })
        return FormulaInputs(
            schools: schools, listed: listed, results: try await read(year), previous: try await read(year - 1), mentored: mentored,
            staffTrained: try await StaffRepository(db: db).trainedShares(scope, year: year))
    }

    /// Computed values of the year for the indicators with a formula Opora can compute.
    public func computedValues(_ programme: PlanModel, indicators: [IndicatorModel], year: Int) async throws -> [String: Share] {
        let formulas = indicators.compactMap { indicator in indicator.indicatorFormula.map { (indicator.code, $0) } }
        guard !formulas.isEmpty else { return [:] }
        let inputs = try await formulaInputs(programme, year: year)
        var values: [String: Share] = [:]
        for (code, formula) in formulas { values[code] = formula.compute(inputs) }
        return values
    }

    /// The value of each indicator for a year: the final phase if entered, else the latest phase entered.
    public static func yearValues(_ values: [IndicatorValueModel], year: Int) -> [Int: IndicatorValueModel] {
        var chosen: [Int: IndicatorValueModel] = [:]
        let rank: [MonitoringPhase: Int] = [.entry: 0, .intermediate: 1, .final: 2]
        for value in values where value.year == year {
            if let current = chosen[value.indicatorID], rank[current.monitoringPhase]! >= rank[value.monitoringPhase]! { continue }
            chosen[value.indicatorID] = value
        }
        return chosen
    }

    /// The year's score sheet: each indicator's value, target and points, and the programme's total and level.
    public func score(_ programme: PlanModel, year: Int) async throws -> (lines: [ScoreLine], score: ProgrammeScore) {
        let indicators = try await indicators(programme.id!)
        let chosen = Self.yearValues(try await values(programme.id!), year: year)
        let computed = try await computedValues(programme, indicators: indicators, year: year)
        let lines = indicators.map { indicator -> ScoreLine in
            let entered = chosen[indicator.id!]
            let value = entered?.value ?? computed[indicator.code]?.rate
            var points: IndicatorPoints? = nil
            if let entered, let p = entered.presence, let d = entered.dynamics, let c = entered.documentation {
                points = try? IndicatorPoints.checked(presence: p, dynamics: d, documentation: c).get()
            }
            let met: Bool? = value.flatMap { value in entered?.target.map { indicator.indicatorDirection.meets(value, target: $0) } }
            return ScoreLine(code: indicator.code, name: indicator.name, value: value, target: entered?.target, points: points,
                             total: entered?.points, metTarget: met, computed: computed[indicator.code], entered: entered != nil)
        }
        return (lines, ProgrammeScore.compute(lines, bands: programme.bands))
    }
}
