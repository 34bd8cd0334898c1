import Fluent
import OporaData
import OporaDomain
import Vapor

/// Indicators with their values by year, the score of each year and what the collection schedule asks for now.
struct IndicatorsPageModel: Sendable {
    struct Line: Sendable {
        let indicator: IndicatorModel
        let values: [Int: IndicatorValueModel]
        let computed: Share?
    }
    struct YearScore: Sendable {
        let year: Int
        let lines: [ScoreLine]
        let score: ProgrammeScore
    }

    let plan: PlanModel
    let years: [Int]
    let lines: [Line]
    let scores: [YearScore]
    let computedYear: Int
    let month: Int
    let dueNow: [MonitoredIndicator]
    let missingNow: [MonitoredIndicator]
    let canChange: Bool

    /// The note an entered value of `year` carries when Opora's computation for that year contradicts it (both values).
    func disagreement(_ code: String, year: Int) -> String? {
        scores.first { $0.year == year }?.lines.first { $0.code == code }?.disagreement
    }

    static func build(_ req: Request, id: Int) async throws -> IndicatorsPageModel {
        let user = try req.user
        let plan = try await PlanModel.load(req, id: id)
        let repository = PlanRepository(db: req.db)
        let indicators = try await repository.indicators(id)
        let values = try await repository.values(id)
        let today = CalendarDay.today()
        let years = Array(Set(values.map(\.year))).sorted()
        let planYears = plan.period.years
        let computedYear = try req.queryYear() ?? years.last ?? min(max(today.year, planYears.lowerBound), planYears.upperBound)
        let computed = try await repository.computedValues(plan, indicators: indicators, year: computedYear)
        var lines: [Line] = []
        for indicator in indicators {
            var byYear: [Int: IndicatorValueModel] = [:]
            for year in years { byYear[year] = PlanRepository.yearValues(values.filter { $0.indicatorID == indicator.id },
                year: year)[indicator.id!] }
            lines.append(Line(indicator: indicator, values: byYear, computed: computed[indicator.code]))
        }
        var scores: [YearScore] = []
        for year in years {
            let (scoreLines, score) = try await repository.score(plan, year: year)
            scores.append(YearScore(year: year, lines: scoreLines, score: score))
        }
        let withValues = Set(values.filter { $0.year == today.year }.compactMap { value in
            indicators.first { $0.id == value.indicatorID }?.code
        })
        let monitored = indicators.map(\.monitored)
        return IndicatorsPageModel(plan: plan, years: years, lines: lines, scores: scores, computedYear: computedYear, month: today.month,
                                   dueNow: CollectionSchedule.due(monitored, month: today.month),
                                   missingNow: CollectionSchedule.missing(monitored, month: today.month, withValues: withValues),
                                   canChange: plan.canChange(user))
    }
}
