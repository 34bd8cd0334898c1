import Foundation

/// The wording of the documents Opora drafts for an authority to sign (issue 19, «New documents»): the order
/// approving the year's list, and a programme's passport as a two-column table.
public enum SignedDocuments {
    public static let listSubject = "школ с низкими образовательными результатами и школ, функционирующих в зоне риска "
        + "снижения образовательных результатов"

    /// «Приказ об утверждении перечня …»: the heading under «ПРИКАЗ».
    public static func orderHeading(year: Int) -> String { "Об утверждении перечня \(listSubject) на \(year) год" }

    /// The order's «от 15.03.2023 № 21» line.
    public static func orderNumberLine(date: Date, number: String) -> String { "от \(RussianFormat.date(date)) № \(number)" }

    /// The order's text: the basis, «ПРИКАЗЫВАЮ», and what it orders. Numbers the schools the appendix lists.
    public static func orderParagraphs(year: Int, territory: String, schools: Int) -> [String] {
        [
            "В целях реализации мероприятий по повышению качества образования в общеобразовательных организациях с низкими "
                + "образовательными результатами и на основании результатов оценочных процедур (ВПР, ГИА) за предыдущий учебный год",
            "ПРИКАЗЫВАЮ:",
            "1. Утвердить перечень \(listSubject) (\(territory)) на \(year) год (приложение; школ в перечне: \(schools)).",
            "2. Руководителям образовательных организаций, включённых в перечень, обеспечить разработку и реализацию программ "
                + "повышения качества образования (перехода в эффективный режим работы).",
            "3. Обеспечить методическое сопровождение школ, включённых в перечень, и мониторинг реализации их программ.",
            "4. Контроль за исполнением настоящего приказа оставляю за собой.",
        ]
    }

    /// The signatory's line at the order's foot: «Начальник управления ________________ И. И. Иванов».
    public static func signatoryLine(_ approval: DocumentApproval?) -> String {
        "\(approval?.position ?? "Руководитель") ________________ \(approval?.name ?? "________________")"
    }

    /// The mark over an order's appendix, right of its title: «Приложение к приказу <органа> от 15.03.2023 № 21».
    public static func appendixMark(issuer: String, date: Date, number: String) -> [String] {
        ["Приложение", "к приказу: \(issuer)", orderNumberLine(date: date, number: number)]
    }

    /// The position the «УТВЕРЖДАЮ» block names when nobody gave one: the head of the issuing body, whose name is
    /// printed above the title; the name is left as a line to write by hand.
    public static func headOf(_ issuer: String) -> String { "Руководитель" }
}

extension ProgrammePassport {
    /// The passport as printed: one row per part (the roadmap is a document of its own), parts with nothing
    /// written left out; the participants' codes replaced by the schools' names where known.
    public func printedRows(schoolNames: [String: String] = [:]) -> [(part: String, text: String)] {
        Part.allCases.filter { $0 != .roadmap }.compactMap { part in
            var lines = items(part).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            if part == .participants { lines = lines.map { code in schoolNames[code].map { "\($0) (\(code))" } ?? code } }
            return lines.isEmpty ? nil : (part.russianName, lines.joined(separator: "\n"))
        }
    }
}
