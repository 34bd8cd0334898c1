import ArgumentParser
import FluentKit
import Foundation
import OporaData
import OporaDomain

/// `opora tasks`: «Достижение планируемых результатов» of one work for a school, a municipality or a region
/// (CONTRACT.md: completion per task, the municipality's, the region's and Russia's, deficits, the histogram).
struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Выполнение заданий работы: процент по каждому заданию, сравнение с муниципалитетом, регионом и Россией, дефициты, "
            + "распределение первичных баллов.")

    @Option(help: "Год") var year: Int
    @Option(help: "Процедура: VPR, OGE, EGE, GVE, DIAG, PISA, TERM") var procedure: String
    @Option(help: "Класс (параллель)") var grade: Int
    @Option(help: "Предмет (код или название)") var subject: String
    @Option(help: "Код школы") var school: String?
    @OptionGroup(title: "Территория (без неё и без --school — вся база)") var territory: CriteriaCommand.Territory
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try Ranges.check(year, InputRange.year, "--year")
        try Ranges.check(grade, InputRange.grade, "--grade")
        let targets = [school, territory.municipality, territory.region].compactMap { $0 }
        if targets.count > 1 { throw ValidationError("укажите одно из --school, --municipality, --region") }
    }

    func run() async throws {
        guard let procedureCode = ProcedureCode(parsing: procedure) else {
            let known = ProcedureCode.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("неизвестная процедура «\(procedure)»; допустимы: \(known)")
        }
        var output = ""
        try await withStore(database) { db in
            let known = try await SubjectModel.query(on: db).all().map { SubjectDefinition(code: $0.code, name: $0.name,
                aliases: $0.aliasList) }
            guard let subjectCode = SubjectCatalogue.resolve(subject, in: known)?.code else {
                throw InputError("Предмет «\(subject)» не найден в справочнике")
            }
            let work = WorkKey(year: year, procedure: procedureCode, grade: grade, subject: subjectCode)
            let target: TaskTarget
            if let school {
                guard let found = try await SchoolModel.query(on: db).filter(\.$code == school).first() else {
                    throw InputError(Absent.school(school))
                }
                target = .school(found.id!)
            } else {
                switch try await territory.scope(on: db) {
                case .municipality(let id): target = .municipality(id)
                case .region(let id): target = .region(id)
                default: target = .everything
                }
            }
            guard let report = try await TaskRepository(db: db).report(work, for: target) else {
                throw InputError("Нет спецификации работы «\(ResultFiles.label(work))»: загрузите файл tasks "
                                 + "или task_scores со строкой «Максимальный балл»")
            }
            output = try TasksOutput.render(report, format: format)
        }
        print(output, terminator: "")
    }
}

/// The three outputs of `opora tasks`; JSON exactly as CONTRACT.md prints it (absent comparisons as null).
enum TasksOutput {
    struct TaskJSON: Encodable {
        let line: TaskLine

        enum CodingKeys: String, CodingKey { case task, max_points, requirement, percent, municipality, region, russia, deficit }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(line.task, forKey: .task)
            try container.encode(line.maxPoints, forKey: .max_points)
            try container.encode(line.requirement, forKey: .requirement)
            try container.encode(TaskFigures.rounded(line.percent), forKey: .percent)
            try container.encode(TaskFigures.rounded(line.municipality), forKey: .municipality)
            try container.encode(line.region, forKey: .region)
            try container.encode(line.russia, forKey: .russia)
            try container.encode(line.deficit, forKey: .deficit)
        }
    }

    struct BarJSON: Encodable { let score: Int; let count: Int }

    struct ReportJSON: Encodable {
        let participants: Int
        let small: Bool
        let tasks: [TaskJSON]
        let histogram: [BarJSON]
    }

    static func render(_ report: TaskReport, format: OutputFormat) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = ReportJSON(participants: report.participants, small: report.small, tasks: report.tasks.map(TaskJSON.init),
                                  histogram: report.histogram.enumerated().map { BarJSON(score: $0.offset, count: $0.element) })
            return String(decoding: try encoder.encode(json), as: UTF8.self) + "\n"
        case .csv:
            var text = CSVText.line(["task", "max_points", "requirement", "level", "percent", "municipality", "region", "russia",
                "deficit"]) + "\n"
            func number(_ value: Double?) -> String { value.map { String(TaskFigures.rounded($0)!) } ?? "" }
            for line in report.tasks {
                text += CSVText.line([line.task, String(line.maxPoints), line.requirement ?? "", line.level.rawValue, number(line.percent),
                                      number(line.municipality), number(line.region), number(line.russia),
                                          line.deficit ? "true" : "false"]) + "\n"
            }
            return text
        case .table:
            func percent(_ value: Double?) -> String { value.map { RussianFormat.number($0, digits: 1) } ?? "—" }
            var text = "\(ResultFiles.label(report.work)): участников \(report.participants)"
                + (report.small ? " (малая группа: меньше \(TaskFigures.smallGroup))" : "") + "\n"
            text += ["Задание", "Макс.", "Выполнение, %", "Муниципалитет, %", "Регион, %", "Россия, %", "Дефицит", "Проверяемое умение"]
                .joined(separator: "\t") + "\n"
            for line in report.tasks {
                text += [line.task + (line.level == .advanced ? " (П)" : ""), String(line.maxPoints), percent(line.percent),
                    percent(line.municipality),
                         percent(line.region), percent(line.russia), line.deficit ? "да" : "",
                             line.requirement ?? ""].joined(separator: "\t") + "\n"
            }
            text += "Распределение первичных баллов: "
                + report.histogram.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: ", ") + "\n"
            return text
        }
    }
}
