import Foundation

/// How one measure of an approved school programme is carried out, as the school reports it. The statuses are the
/// municipal roadmap's (`MeasureStatus`): a measure the school will not do is «отменено»; one not done in time reads
/// «просрочено» by `MeasureProgress.of`.
public struct MeasureExecution: Sendable, Hashable, Codable {
    public var status: MeasureStatus
    public var doneOn: CalendarDay?
    /// What shows it was done: a text or a link.
    public var evidence: String
    public var comment: String

    public init(status: MeasureStatus = .planned, doneOn: CalendarDay? = nil, evidence: String = "", comment: String = "") {
        self.status = status
        self.doneOn = doneOn
        self.evidence = evidence
        self.comment = comment
    }

    /// What may be saved, in Russian; empty when it may.
    public func problems(period: DatePeriod) -> [String] {
        var problems: [String] = []
        if status == .done && doneOn == nil { problems.append("Дата выполнения: укажите, когда мероприятие выполнено") }
        if let doneOn, status != .done {
            problems.append("Дата выполнения: указывается только для выполненного мероприятия (\(doneOn.russian))")
        }
        if let doneOn, !period.contains(doneOn) {
            let span = "\(period.lowerBound.russian)–\(period.upperBound.russian)"
            problems.append("Дата выполнения: \(doneOn.russian) вне срока программы (\(span))")
        }
        if evidence.count > 2000 { problems.append("Подтверждение: не длиннее 2000 символов") }
        if comment.count > 2000 { problems.append("Комментарий: не длиннее 2000 символов") }
        return problems
    }
}

/// A programme indicator's target as a number, read from how a programme writes it («не менее 80 %», «94,5», «≤ 5»).
public struct IndicatorTarget: Sendable, Hashable {
    public var value: Double
    public var direction: IndicatorDirection

    /// The first number in the text (a decimal comma or point), or nil.
    public static func number(in text: String) -> Double? {
        var digits = ""
        var started = false
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
                started = true
            } else if started && (character == "," || character == ".") && !digits.contains(".") {
                digits.append(".")
            } else if !started && (character == "-" || character == "−") {
                digits = "-"
            } else if started {
                break
            } else {
                digits = ""
            }
        }
        if digits.hasSuffix(".") { digits.removeLast() }
        return started ? Double(digits) : nil
    }

    /// The target and the way it is reached: down when the text says so («не более», «снижение», «≤») or the target
    /// is below the baseline; up otherwise.
    public static func read(target: String, baseline: String) -> IndicatorTarget? {
        guard let value = number(in: target) else { return nil }
        let lowered = target.lowercased()
        let saysDown = ["не более", "не выше", "не больше", "≤", "снижение", "менее"].contains { lowered.contains($0) }
        let saysUp = ["не менее", "не ниже", "≥", "рост", "увеличение"].contains { lowered.contains($0) }
        let direction: IndicatorDirection
        if saysDown && !saysUp {
            direction = .down
        } else if saysUp {
            direction = .up
        } else if let start = number(in: baseline), value < start {
            direction = .down
        } else {
            direction = .up
        }
        return IndicatorTarget(value: value, direction: direction)
    }
}

/// The execution of one approved school programme on a given day: each measure's progress, each indicator's values
/// per phase against its target, and the totals the municipality page and «Итоги программы» print.
public enum SchoolProgrammeExecution {
    public struct MeasureLine: Sendable, Hashable {
        public var measure: ProgrammeMeasure
        public var execution: MeasureExecution
        public var deadline: Deadline
        public var progress: MeasureProgress
    }

    public struct IndicatorLine: Sendable, Hashable {
        public var indicator: ProgrammeIndicator
        public var values: [MonitoringPhase: Double]
        public var target: IndicatorTarget?

        /// The value of the latest phase entered (final, else intermediate, else entry).
        public var latest: (phase: MonitoringPhase, value: Double)? {
            for phase in MonitoringPhase.allCases.reversed() { if let value = values[phase] { return (phase, value) } }
            return nil
        }

        /// Whether the latest value reaches the target; nil without a value or a target written as a number.
        public var met: Bool? {
            guard let latest, let target else { return nil }
            return target.direction.meets(latest.value, target: target.value)
        }
    }

    public struct Summary: Sendable, Hashable {
        public var measures: [MeasureLine]
        public var indicators: [IndicatorLine]
        public var tally: ExecutionTally

        public var overdue: [MeasureLine] { measures.filter { $0.progress == .overdue } }
        /// Indicators whose latest value misses the target.
        public var offTarget: [IndicatorLine] { indicators.filter { $0.met == false } }
        public var metCount: Int { indicators.filter { $0.met == true }.count }
        /// Indicators that cannot be judged: no value entered or no numeric target.
        public var unjudged: [IndicatorLine] { indicators.filter { $0.met == nil } }
        /// The indicators as the exit rule reads them.
        public var indicatorChecks: [IndicatorCheck] { indicators.map { IndicatorCheck(name: $0.indicator.name, met: $0.met) } }
    }

    /// The per-school execution summary (used by the curator's view, «Как выполняются программы школ» and
    /// «Итоги программы»). `executions` and `values` are keyed by the measure's and the indicator's stable id; a
    /// measure without a report counts as planned. Deadlines are read within the programme's calendar years.
    public static func summary(
        content: ProgrammeContent, period: ClosedRange<Int>, executions: [String: MeasureExecution],
        values: [String: [MonitoringPhase: Double]], today: CalendarDay
    ) -> Summary {
        let dates = DatePeriod.calendarYears(period)
        var tally = ExecutionTally()
        let measures = content.measures.enumerated().map { index, measure in
            let key = measure.id ?? String(index + 1)
            let execution = executions[key] ?? MeasureExecution()
            let deadline = DeadlineReader.read(measure.deadline, period: dates)
            let progress = MeasureProgress.of(status: execution.status, due: deadline.due, today: today)
            tally.add(progress)
            return MeasureLine(measure: measure, execution: execution, deadline: deadline, progress: progress)
        }
        let indicators = content.indicators.enumerated().map { index, indicator in
            IndicatorLine(
                indicator: indicator, values: values[indicator.id ?? String(index + 1)] ?? [:],
                target: IndicatorTarget.read(target: indicator.target, baseline: indicator.baseline))
        }
        return Summary(measures: measures, indicators: indicators, tally: tally)
    }
}

extension SchoolProgrammeExecution {
    /// The school (its administrator) reports how its approved programme is carried out; the curator and the
    /// authorities above see it and do not write the school's report for it.
    public static func mayReport(_ participant: ProgrammeParticipant, hasApprovedVersion: Bool) -> Bool {
        participant.writesTheProgramme && hasApprovedVersion
    }
}
