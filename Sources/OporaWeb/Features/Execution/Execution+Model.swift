import Fluent
import OporaData
import OporaDomain
import Vapor

/// One approved school programme as it is carried out: the school reports, the curator and the authorities read.
struct ProgrammeExecutionModel: Sendable {
    struct Measure: Sendable {
        let key: String
        let number: Int
        let text: String
        let deadline: String
        let responsible: String
        let line: SchoolProgrammeExecution.MeasureLine
        let version: Int
        let updated: String?
    }

    struct Indicator: Sendable {
        let key: String
        let line: SchoolProgrammeExecution.IndicatorLine
        /// Per phase: the value's version (0 = none entered) and who entered it when.
        let versions: [MonitoringPhase: Int]
        let entered: [MonitoringPhase: String]
    }

    let programmeID: Int
    let title: String
    let school: String
    let schoolID: Int
    let period: ClosedRange<Int>
    let approved: Bool
    let measures: [Measure]
    let indicators: [Indicator]
    let tally: ExecutionTally
    let mayReport: Bool
    let echo: FormEcho?

    static func build(_ req: Request, id: Int, echo: FormEcho? = nil) async throws -> ProgrammeExecutionModel {
        let user = try req.user
        let programme = try await ProgrammeModel.load(req, id: id)
        let execution = try await ProgrammeExecutionRepository(db: req.db).execution(programme, today: req.today)
        let measures = (execution?.summary.measures ?? []).enumerated().map { index, line in
            let key = execution!.measureKey(index)
            let report = execution!.reports[key]
            return Measure(
                key: key, number: index + 1, text: line.measure.text, deadline: line.measure.deadline,
                responsible: line.measure.responsible, line: line, version: report?.version ?? 0,
                updated: report.map { "\($0.updatedBy), \(RussianFormat.dateTime($0.updatedAt))" })
        }
        let indicators = (execution?.summary.indicators ?? []).enumerated().map { index, line in
            let key = execution!.indicatorKey(index)
            let readings = execution!.readings[key] ?? [:]
            return Indicator(
                key: key, line: line, versions: readings.mapValues(\.version),
                entered: readings.mapValues { "\($0.enteredBy), \(RussianFormat.dateTime($0.enteredAt))" })
        }
        return ProgrammeExecutionModel(
            programmeID: id, title: programme.title, school: programme.school.displayName, schoolID: programme.$school.id,
            period: programme.period, approved: execution != nil, measures: measures, indicators: indicators,
            tally: execution?.summary.tally ?? ExecutionTally(),
            mayReport: SchoolProgrammeExecution.mayReport(user.programmeParticipant, hasApprovedVersion: execution != nil),
            echo: echo)
    }
}

/// «Как выполняются программы школ»: per school of the scope, overdue measures and indicators off target, and totals.
struct ExecutionBoardModel: Sendable {
    struct Row: Sendable {
        let schoolID: Int
        let school: String
        let municipality: String
        let programmes: [(id: Int, title: String)]
        let tally: ExecutionTally
        let overdue: [String]
        let offTarget: [String]
        let indicatorsMet: Int
        let indicatorCount: Int
    }

    let rows: [Row]
    let total: ExecutionTally
    let overdueTotal: Int
    let offTargetTotal: Int
    let indicatorsMet: Int
    let indicatorCount: Int
    let today: CalendarDay

    static func build(_ req: Request) async throws -> ExecutionBoardModel {
        let user = try req.user
        let summaries = try await ProgrammeExecutionRepository(db: req.db).summaries(scope: user.scope, today: req.today)
        var total = ExecutionTally()
        let rows = summaries.map { summary in
            let tally = summary.tally
            for (progress, count) in tally.counts { for _ in 0..<count { total.add(progress) } }
            return Row(
                schoolID: summary.schoolID, school: summary.schoolName, municipality: summary.municipality,
                programmes: summary.programmes.map { ($0.programme.id!, $0.programme.title) }, tally: tally,
                overdue: summary.overdue.map { "\($0.line.measure.text) (срок: \($0.line.measure.deadline))" },
                offTarget: summary.offTarget.map { item in
                    let latest = item.line.latest.map { "\(RussianFormat.number($0.value, digits: 2)), \($0.phase.russianName) этап" }
                        ?? ""
                    return "\(item.line.indicator.name): \(latest), цель \(item.line.indicator.target)"
                },
                indicatorsMet: summary.indicatorsMet, indicatorCount: summary.indicatorCount)
        }
        return ExecutionBoardModel(
            rows: rows, total: total, overdueTotal: rows.map(\.overdue.count).reduce(0, +),
            offTargetTotal: rows.map(\.offTarget.count).reduce(0, +), indicatorsMet: rows.map(\.indicatorsMet).reduce(0, +),
            indicatorCount: rows.map(\.indicatorCount).reduce(0, +), today: req.today)
    }
}
