import Foundation
import OporaDomain

extension RoadmapRow {
    /// The stored measures as every view reads them (`RoadmapRow.read` holds the rules).
    public static func rows(_ measures: [MeasureRow], period: DatePeriod, today: CalendarDay) -> [RoadmapRow] {
        read(measures.map { Stored(id: $0.id, version: $0.version, measure: $0.domain, result: $0.result, comment: $0.comment,
                                   evidence: $0.evidence) }, period: period, today: today)
    }
}

/// The roadmap's execution report as officials file it: by section, then every measure, in DOCX and XLSX.
public enum RoadmapDocument {
    /// `signature`: the issuing body above the title, the date of preparation and the executor at the foot.
    public static func word(_ plan: PlanModel, rows: [RoadmapRow], today: CalendarDay,
                            signature: DocumentSignature? = nil) -> WordDocument {
        var document = WordDocument(landscape: true)
        if let signature { document.add(.paragraph(signature.issuer, bold: true, centred: true)) }
        document.add(.heading("Исполнение дорожной карты", level: 1))
        document.add(.paragraph("«\(plan.name)»", bold: true, centred: true))
        document.add(.paragraph("Состояние на \(today.russian)", centred: true))
        let progress = RoadmapProgress(rows), states = RoadmapProgress.states
        func line(_ title: String, _ tally: ExecutionTally) -> [String] {
            let rate = tally.doneRate.map { RussianFormat.number($0) + " %" } ?? "—"
            return [title] + states.map { String(tally[$0]) } + [String(tally.total), rate]
        }
        document.add(.heading("Исполнение по разделам", level: 2))
        document.add(.table(header: ["Раздел"] + states.map { $0.russianName.capitalizedFirst } + ["Всего", "Выполнено, %"],
                            rows: progress.sections.map { line($0.section.isEmpty ? "Без раздела" : $0.section, $0.tally) }
                                + [line("Итого", progress.total)],
                            widths: [6, 2, 2, 2, 2, 2, 2, 2]))
        if !progress.overdueByResponsible.isEmpty {
            document.add(.heading("Просроченные мероприятия по ответственным", level: 2))
            document.add(.table(header: ["Ответственные", "№ п/п", "Мероприятие", "Срок"],
                                rows: progress.overdueByResponsible.flatMap { who, late in
                                    late.map { [who, $0.measure.number, $0.measure.measure, $0.measure.deadline] }
                                }, widths: [3, 1, 7, 3]))
        }
        document.add(.heading("Мероприятия", level: 2))
        var table: [[String]] = []
        var section: String? = nil
        for row in rows {
            if row.measure.section != section {
                section = row.measure.section
                if let section, !section.isEmpty { table.append([section]) }
            }
            table.append([row.measure.number, row.measure.measure, "\(row.measure.deadline)\n(\(row.dueText))",
                          row.measure.responsible ?? "", row.result ?? "", RoadmapProgress.stateText(row)])
        }
        document.add(.table(header: ["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Ожидаемый результат", "Исполнение"],
                            rows: table, widths: [1, 6, 3, 3, 4, 2]))
        if let signature {
            document.add(.paragraph(""))
            for line in signature.footerLines { document.add(.paragraph(line)) }
        }
        return document
    }

    public static func sheet(_ rows: [RoadmapRow]) -> [[SheetCell]] {
        let header = ["Раздел", "№ п/п", "Мероприятие", "Сроки (как в плане)", "Вид срока", "Даты", "Ответственные",
                      "Ожидаемый результат", "Статус", "Исполнение", "Дата выполнения", "Подтверждение", "Комментарий"]
        var sheet: [[SheetCell]] = [header.map(SheetCell.text)]
        for row in rows {
            sheet.append([.text(row.measure.section), .text(row.measure.number), .text(row.measure.measure), .text(row.measure.deadline),
                          .text(row.reading.kind.russianName), .text(row.reading.due.map(\.russian).joined(separator: ", ")),
                          .text(row.measure.responsible ?? ""), .text(row.result ?? ""), .text(row.measure.status.russianName),
                          .text(row.progress.russianName), .day(row.measure.doneOn), .text(row.evidence ?? ""), .text(row.comment ?? "")])
        }
        return sheet
    }
}

extension String {
    public var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
