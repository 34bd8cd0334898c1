import ArgumentParser
import Fluent
import Foundation
import OporaData
import OporaDomain

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats",
        abstract: "Показатели по школам: успеваемость, качество, средняя отметка, СОУ, доля ниже порога и др.")

    @Option(help: "Год процедуры") var year: Int
    @Option(help: "Процедура: VPR, OGE, EGE, GVE, DIAG, PISA, TERM") var procedure: String
    @Option(help: "Класс") var grade: Int?
    @Option(help: "Предмет (код или название)") var subject: String?
    @Option(help: "Код школы") var school: String?
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @Option(help: "Минимальный размер группы (меньше — «малая группа»)") var minGroup = Metrics.defaultMinimumGroup
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try Ranges.check(year, InputRange.year, "--year")
        if let grade { try Ranges.check(grade, InputRange.grade, "--grade") }
        try Ranges.check(minGroup, InputRange.minimumGroup, "--min-group")
    }

    func run() async throws {
        guard let procedureCode = ProcedureCode(parsing: procedure) else {
            throw ValidationError(
                "неизвестная процедура «\(procedure)»; допустимы: \(ProcedureCode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        do {
            var subjectCode: String? = nil
            if let subject {
                let known = try await SubjectModel.query(on: store.db).all().map {
                    SubjectDefinition(code: $0.code, name: $0.name, aliases: $0.aliasList)
                }
                guard let resolved = SubjectCatalogue.resolve(subject, in: known) else {
                    throw InputError("Предмет «\(subject)» не найден в справочнике")
                }
                subjectCode = resolved.code
            }
            var schoolIDs: [Int]? = nil
            if let school {
                guard let found = try await SchoolModel.query(on: store.db).filter(\.$code == school).first() else {
                    throw InputError("Школа с кодом «\(school)» не найдена")
                }
                schoolIDs = [found.id!]
            }
            let filter = ResultFilter(year: year, procedure: procedureCode, grade: grade, subject: subjectCode, schoolIDs: schoolIDs)
            let results = try await ResultsRepository(db: store.db).results(filter, scope: .everything)
            let schools = try await RegistryRepository(db: store.db, actor: .commandLine).schoolLabels()
            let lines = results.compactMap { result -> StatsLine? in
                guard let school = schools[result.schoolID] else { return nil }
                return StatsLine(
                    school: school.code, schoolName: school.displayName, work: result.work, metrics: result.metrics(),
                    minimumGroup: minGroup)
            }.sorted { ($0.school, $0.grade, $0.subject) < ($1.school, $1.grade, $1.subject) }
            await store.close()
            print(StatsOutput.render(lines, format: format))
        } catch {
            await store.close()
            throw error
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

enum StatsOutput {
    static func render(_ lines: [StatsLine], format: OutputFormat) -> String {
        switch format {
        case .json:
            return StatsLine.jsonArray(lines)
        case .csv:
            return ([StatsLine.csvHeader] + lines.map(\.csvCells)).map { CSVText.line($0) }.joined(separator: "\n")
        case .table:
            if lines.isEmpty { return "Нет данных для выбранных условий." }
            let header = ["Школа", "Класс", "Предмет", "Участ.", "Успев.,%", "Кач.,%", "Ср.отм.", "СОУ,%", "<порога,%", "Ср.балл", ""]
            let rows = lines.map { line -> [String] in
                [line.school, String(line.grade), line.subject, String(line.participants), RussianFormat.optionalNumber(line.successRate),
                 RussianFormat.optionalNumber(line.qualityRate), RussianFormat.optionalNumber(line.meanMark, digits: 2),
                 RussianFormat.optionalNumber(line.sou), RussianFormat.optionalNumber(line.belowMinRate),
                 RussianFormat.optionalNumber(line.meanScore), line.smallGroup ? "малая группа" : ""]
            }
            return TextTable.render(header: header, rows: rows)
        }
    }
}

enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i < 3 ? cell + pad : pad + cell
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
