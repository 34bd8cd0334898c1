import Foundation
import OporaDomain

extension ReportBuilder {
    /// The sections of «Итоги программы» on what happened to the listed schools: who left the list and by which order,
    /// who is ready to leave by the territory's exit criteria, and how the schools carried out their own programmes.
    /// Printed after the indicators' scores, before the method.
    func programmeResultsExtraSections(_ plan: PlanModel, from: Int, to: Int) async throws -> [ProgrammeResultsSection] {
        let (scope, _) = try await scope(of: plan)
        return [try await exitsSection(scope: scope, from: from, to: to), try await schoolProgrammesSection(scope: scope)]
    }

    private func exitsSection(scope: AccessScope, from: Int, to: Int) async throws -> ProgrammeResultsSection {
        let names = Dictionary(uniqueKeysWithValues: try await ScopeQueries.schoolNames(scope, on: db).map { ($0.id, $0.name) })
        let identification = IdentificationRepository(db: db)
        var rows: [[ReportCell]] = []
        for year in from...max(from, to) {
            for order in try await identification.ordersInForce(year: year, scope: scope) {
                for (school, reason) in order.exits.sorted(by: { (names[$0.key] ?? "") < (names[$1.key] ?? "") }) {
                    guard let name = names[school] else { continue }
                    let cited = "№ \(order.number) от \(RussianFormat.date(order.date)), \(order.issuer)"
                    rows.append([.text(name), .integer(year), .text(cited), .text(reason)])
                }
            }
        }
        var blocks: [ReportBlock] = []
        if rows.isEmpty {
            blocks.append(.paragraph("За \(from)–\(to) годы ни одна школа не вышла из перечня."))
        } else {
            blocks.append(.table(ReportTable(title: "Школы, вышедшие из перечня", header: ["Школа", "Год", "Приказ", "Причина"],
                                             rows: rows, widths: [4, 1, 4, 4])))
        }
        let candidates = try await ExitRepository(db: db).candidates(year: to, scope: scope, today: prepared)
        let ready = candidates.filter(\.verdict.ready)
        if candidates.isEmpty {
            blocks.append(.paragraph("На \(to) год в перечне нет школ этой территории: готовность к выходу не оценивается."))
        } else {
            blocks.append(.paragraph(
                "Готовы к выходу из перечня по критериям выхода на \(to) год: \(ready.count) из \(candidates.count) школ перечня."))
            if !ready.isEmpty {
                blocks.append(.table(ReportTable(
                    title: "Школы, готовые к выходу", header: ["Школа", "Муниципалитет", "Основания"],
                    rows: ready.map { [.text($0.schoolName), .text($0.municipality), .text($0.verdict.summary)] }, widths: [4, 3, 6])))
            }
        }
        return ProgrammeResultsSection(title: "Выход школ из перечня", blocks: blocks)
    }

    private func schoolProgrammesSection(scope: AccessScope) async throws -> ProgrammeResultsSection {
        let summaries = try await ProgrammeExecutionRepository(db: db).summaries(scope: scope, today: prepared)
        guard !summaries.isEmpty else {
            return ProgrammeResultsSection(title: "Выполнение программ школ", blocks: [.paragraph("Утверждённых программ школ нет.")])
        }
        var total = ExecutionTally()
        var rows: [[ReportCell]] = []
        for summary in summaries {
            let tally = summary.tally
            for (progress, count) in tally.counts { total.counts[progress, default: 0] += count }
            let indicators = summary.indicatorCount == 0 ? "нет показателей" : "\(summary.indicatorsMet) из \(summary.indicatorCount)"
            rows.append([.text(summary.schoolName), .integer(tally.total), .integer(tally[.done]), .integer(summary.overdue.count),
                         .text(indicators)])
        }
        let met = summaries.map(\.indicatorsMet).reduce(0, +)
        let indicators = summaries.map(\.indicatorCount).reduce(0, +)
        rows.append([.text("Всего"), .integer(total.total), .integer(total[.done]), .integer(summaries.map(\.overdue.count).reduce(0, +)),
                     .text(indicators == 0 ? "—" : "\(met) из \(indicators)")])
        let table = ReportTable(
            title: "На \(prepared.russian)", header: ["Школа", "Мероприятий", "Выполнено", "Просрочено", "Показатели достигнуты"],
            rows: rows, widths: [5, 2, 2, 2, 3])
        return ProgrammeResultsSection(title: "Выполнение программ школ", blocks: [.table(table)])
    }
}
