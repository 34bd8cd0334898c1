import FluentKit
import Foundation
import OporaDomain

/// A titled part of «Итоги программы» that another area writes (exits, school programmes carried out).
public struct ProgrammeResultsSection: Sendable {
    public var title: String
    public var blocks: [ReportBlock]

    public init(title: String, blocks: [ReportBlock]) {
        self.title = title
        self.blocks = blocks
    }
}

/// «Итоги программы» (issue 21): the document a programme ends with — the schools' results at its start and end, the
/// effect of the support against comparable schools (`SupportEffect`), the roadmap's execution and the indicators' scores.
extension ReportBuilder {
    /// The territory whose schools a programme judges: its municipality, a school programme's municipality, its region.
    public func scope(of plan: PlanModel) async throws -> (scope: AccessScope, label: String) {
        if let municipalityID = plan.municipalityID, let municipality = try await MunicipalityModel.find(municipalityID, on: db) {
            return (.municipality(municipalityID), municipality.name)
        }
        if let schoolID = plan.schoolID, let school = try await SchoolModel.find(schoolID, on: db),
            let municipality = try await MunicipalityModel.find(school.$municipality.id, on: db)
        {
            return (.municipality(municipality.id!), municipality.name)
        }
        if let regionID = plan.regionID, let region = try await RegionModel.find(regionID, on: db) {
            return (.region(regionID), region.name)
        }
        return (.everything, "все территории")
    }

    public func programmeResults(_ plan: PlanModel, from: Int, to: Int) async throws -> ReportDocument {
        let (scope, label) = try await scope(of: plan)
        var document = ReportDocument(
            title: "Итоги программы", subtitle: ["«\(plan.name)»", "код \(plan.code); \(label); \(from)–\(to) годы"])
        var findings: [String] = []
        let repository = EffectRepository(db: db)
        let procedures = try await repository.procedures(from: from, to: to, scope: scope)
        let inputs = try await repository.inputs(from: from, to: to, procedures: procedures, scope: scope)
        let names = Dictionary(uniqueKeysWithValues: try await ScopeQueries.schoolNames(scope, on: db).map { ($0.id, $0.name) })

        document.heading("Результаты школ: начало и итог программы")
        if !inputs.hasOrder {
            document.paragraph(
                "На \(from) год для «\(label)» нет приказа об утверждении перечня: поддержанные школы не определены, "
                    + "эффект не оценивается.")
            findings.append("Эффект поддержки не оценён: на \(from) год нет приказа об утверждении перечня.")
        } else if procedures.isEmpty {
            document.paragraph("Нет результатов процедур оценки качества в оба года (\(from) и \(to)).")
        }
        var breakdown: [[ReportCell]] = []
        if inputs.hasOrder {
            for procedure in procedures {
                let schools = inputs.schools(procedure)
                for metric in EffectMetric.allCases {
                    let analysis = SupportEffect.analyse(from: from, to: to, metric: metric, schools: schools, listed: inputs.listed)
                    guard analysis.main.supported.schools > 0 else { continue }
                    let estimate = analysis.main
                    breakdown.append([
                        .text(procedure.russianShortName), .text(metric.russianName), .integer(estimate.supported.schools),
                        .integer(estimate.comparison.schools), .number(estimate.enough ? estimate.effect : nil, digits: 1),
                        .text(Self.intervalText(estimate)),
                    ])
                    // The main metric is printed school by school; the others only in the breakdown.
                    guard metric == .belowMinRate else { continue }
                    appendEffect(&document, analysis, procedure: procedure, names: names)
                    let verdict = EffectWording.verdict(estimate, metric: metric)
                    findings.append("\(procedure.russianShortName), \(metric.russianName): \(verdict)")
                }
            }
        }
        if !breakdown.isEmpty {
            document.heading("Эффект по процедурам и показателям")
            document.table(
                ReportTable(
                    header: ["Процедура", "Показатель", "Поддержанных школ", "Сопоставимых школ", "Эффект, п. п.", "95 % интервал, п. п."],
                    rows: breakdown, widths: [2, 4, 2, 2, 2, 3]))
            document.paragraph("Пустой эффект — в одной из групп меньше \(SupportEffect.minimumSchools) школ: \(EffectWording.tooFew).")
        }

        appendRoadmap(&document, plan: plan, findings: &findings, measures: try await PlanRepository(db: db).measures(plan.id!))
        try await appendScores(&document, plan: plan, from: from, to: to, findings: &findings)
        for section in try await programmeResultsExtraSections(plan, from: from, to: to) {
            document.heading(section.title)
            document.blocks += section.blocks
        }
        document.heading("Как оценивается эффект")
        for paragraph in EffectWording.method { document.paragraph(paragraph) }
        if !findings.isEmpty {
            document.blocks = [.heading("Основные выводы", level: 2)] + findings.map { .paragraph($0) } + document.blocks
        }
        Self.appendFlags(&document)
        document.signature = DocumentSignature(issuer: try await issuer(of: plan), prepared: prepared)
        return document
    }

    static func intervalText(_ estimate: EffectEstimate) -> String {
        guard estimate.enough, let interval = estimate.interval else { return estimate.enough ? "—" : EffectWording.tooFew }
        return "от \(RussianFormat.signedDifference(interval.lower)) до \(RussianFormat.signedDifference(interval.upper))"
    }

    /// One procedure's baseline and final values per group and per school, and the verdict with its sensitivity line.
    func appendEffect(_ document: inout ReportDocument, _ analysis: EffectAnalysis, procedure: ProcedureCode, names: [Int: String]) {
        let main = analysis.main, from = analysis.from, to = analysis.to
        func change(_ value: Double?) -> ReportCell { .number(value, digits: 1) }
        document.heading("\(procedure.russianShortName): \(analysis.metric.russianName), %", level: 3)
        let groups: [(String, EffectGroup)] = [
            ("Поддержанные школы", main.supported), ("Сопоставимые школы", main.comparison),
            ("Все школы вне перечней", analysis.sensitivity.comparison),
        ]
        document.table(
            ReportTable(
                title: "По группам (доля учеников по всем классам и предметам)",
                header: ["Группа", "Школ", "\(from) (начало)", "\(to) (итог)", "Изменение, п. п."],
                rows: groups.map { name, group in
                    [.text(name), .integer(group.schools), .percent(group.before), .percent(group.after), change(group.change)]
                }, widths: [5, 2, 2, 2, 2]))
        document.paragraph(EffectWording.verdict(main, metric: analysis.metric))
        document.paragraph(
            "Чувствительность (сравнение со всеми школами вне перечней): "
                + EffectWording.verdict(analysis.sensitivity, metric: analysis.metric))
        document.table(
            ReportTable(
                title: "По школам", header: ["Школа", "Группа", "\(from) (начало)", "\(to) (итог)", "Изменение, п. п."],
                rows: analysis.lines.map { line in
                    [.text(names[line.schoolID] ?? "#\(line.schoolID)"), .text(line.group == .supported ? "поддержанная" : "сопоставимая"),
                     .percent(line.before), .percent(line.after), change(line.after - line.before)]
                }, widths: [6, 2, 2, 2, 2]))
    }

    func appendRoadmap(_ document: inout ReportDocument, plan: PlanModel, findings: inout [String], measures: [MeasureRow]) {
        let today = CalendarDay.today()
        let rows = RoadmapRow.rows(measures, period: plan.period, today: today)
        guard !rows.isEmpty else { return }
        document.heading("Исполнение дорожной карты")
        let (sections, total) = ExecutionTally.bySection(rows.map { ($0.measure.section, $0.progress) })
        let states: [MeasureProgress] = [.done, .inProgress, .overdue, .notStarted, .cancelled]
        document.table(
            ReportTable(
                title: "На \(today.russian)", header: ["Раздел"] + states.map(\.russianName) + ["Всего"],
                rows: (sections + [("Итого", total)]).map { section, tally in
                    [.text(section.isEmpty ? "Без раздела" : section)] + states.map { .integer(tally[$0]) } + [.integer(tally.total)]
                }, widths: [6, 2, 2, 2, 2, 2, 2]))
        findings.append("Дорожная карта: выполнено \(total[.done]) из \(total.total) мероприятий, просрочено \(total[.overdue]).")
    }

    func appendScores(_ document: inout ReportDocument, plan: PlanModel, from: Int, to: Int, findings: inout [String]) async throws {
        let repository = PlanRepository(db: db)
        var years: [(Int, [ScoreLine], ProgrammeScore)] = []
        for year in from...to {
            let (lines, score) = try await repository.score(plan, year: year)
            if lines.contains(where: { $0.total != nil }) { years.append((year, lines, score)) }
        }
        guard let last = years.last else { return }
        document.heading("Оценка эффективности по показателям")
        document.table(
            ReportTable(
                title: "Баллы по годам", header: ["Год", "Баллы", "Максимум", "Уровень"],
                rows: years.map { year, _, score in
                    [.text(String(year)), .integer(score.total), .integer(score.maximum), .text(score.level.russianName)]
                }, widths: [2, 2, 2, 4]))
        document.table(
            ReportTable(
                title: "Показатели, \(last.0) год", header: ["Код", "Показатель", "Значение", "Цель", "Баллы"],
                rows: last.1.map { line in
                    [.text(line.code), .text(line.name), .number(line.value, digits: 1, flag: line.disagreement),
                     .number(line.target, digits: 1), .integer(line.total)]
                }, widths: [1, 8, 2, 2, 2]))
        let (year, _, score) = last
        findings.append(
            "Оценка эффективности за \(year) год: \(score.total) из \(score.maximum) баллов, уровень «\(score.level.russianName)».")
    }
}
