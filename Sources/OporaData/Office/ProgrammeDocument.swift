import Foundation
import OporaDomain

/// A school programme as officials file it: a title block, a passport table, then the measures and the
/// indicators in the columns the seed plans use (№ п/п, мероприятие, сроки, ответственные, ожидаемый результат).
public enum ProgrammeDocument {
    public static func word(_ programme: SchoolProgrammeModel, content: ProgrammeContent, schoolName: String, municipality: String,
                            factorName: String?, approvedBy: String?) -> WordDocument {
        var document = WordDocument(landscape: true)
        document.add(.paragraph(schoolName, bold: true, centred: true))
        document.add(.paragraph(municipality, centred: true))
        document.add(.heading(programme.programmeKind.russianName.uppercased(), level: 1))
        document.add(.paragraph("«\(programme.title)»", bold: true, centred: true))
        document.add(.paragraph("на \(programme.startYear)–\(programme.endYear) годы", centred: true))

        document.add(.heading("Паспорт программы", level: 2))
        var passport: [[String]] = [
            ["Наименование", programme.title],
            ["Вид документа", programme.programmeKind.russianName],
            ["Образовательная организация", schoolName],
            ["Сроки реализации", "\(programme.startYear)–\(programme.endYear) годы"],
        ]
        if let factorName { passport.append(["Фактор риска", "\(programme.factor.map { "\($0). " } ?? "")\(factorName)"]) }
        passport.append(["Цель", content.goal])
        passport.append(["Задачи", content.tasks.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")])
        passport.append(["Статус", programme.programmeStatus.russianName + (approvedBy.map { " (\($0))" } ?? "")])
        document.add(.table(header: ["Раздел", "Содержание"], rows: passport, widths: [1, 3]))

        document.add(.heading("Мероприятия", level: 2))
        document.add(.table(header: ["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Ожидаемый результат"],
                            rows: content.measures.enumerated().map { index, measure in
                                ["\(index + 1).", measure.text, measure.deadline, measure.responsible, measure.result]
                            }, widths: [1, 6, 3, 3, 5]))

        document.add(.heading("Показатели результативности", level: 2))
        document.add(.table(header: ["№ п/п", "Показатель", "Единица измерения", "Базовое значение", "Целевое значение"],
                            rows: content.indicators.enumerated().map { index, indicator in
                                ["\(index + 1).", indicator.name, indicator.unit, indicator.baseline, indicator.target]
                            }, widths: [1, 7, 2, 2, 2]))
        return document
    }
}
