import ArgumentParser
import FluentKit
import Foundation
import OporaData
import OporaDomain

/// `opora questionnaire import FILE | list | export CODE`: questionnaires as data (docs/SURVEYS.md).
struct QuestionnaireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questionnaire",
        abstract: "Анкеты: загрузить определение (YAML или JSON), список, выгрузить для правки.",
        subcommands: [Import.self, List.self, Export.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Загрузить анкету из YAML или JSON: то же содержание — версия не добавляется, изменённое — новая версия.")

        @Argument(help: "Файл определения анкеты (.yaml, .yml или .json)") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            // Checked before the database is opened: a malformed file names its lines and writes nothing.
            let questionnaire = try QuestionnaireFile.load(path: file)
            try await withStore(database) { db in
                let (stored, outcome) = try await QuestionnaireRepository(db: db).save(questionnaire, actor: .commandLine)
                switch outcome {
                case .unchanged: print("Анкета «\(stored.title)» (\(stored.code)) не изменилась: версия \(stored.version)")
                case .created, .replaced: print("Анкета «\(stored.title)» (\(stored.code)) сохранена: версия \(stored.version)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Анкеты: последняя версия каждой.")

        @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
        @OptionGroup var database: DatabaseOptions

        struct Line: Encodable {
            let code: String
            let version: Int
            let title: String
            let purpose: String
            let groups: [String]
            let questions: Int
        }

        func run() async throws {
            var lines: [Line] = []
            try await withStore(database) { db in
                lines = try await QuestionnaireRepository(db: db).list().map {
                    Line(code: $0.code, version: $0.version, title: $0.title, purpose: $0.questionnaire.purpose.rawValue,
                         groups: $0.questionnaire.groups.map(\.code), questions: $0.questionnaire.questions.count)
                }
            }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(lines), as: UTF8.self))
            case .csv:
                print(CSVText.line(["code", "version", "title", "purpose", "groups", "questions"]))
                for line in lines {
                    print(CSVText.line([line.code, String(line.version), line.title, line.purpose, line.groups.joined(separator: " "),
                                        String(line.questions)]))
                }
            default:
                if lines.isEmpty { print("Анкет нет: загрузите определение (opora questionnaire import FILE)") }
                for line in lines {
                    print("\(line.code)\tверсия \(line.version)\t\(line.title)\t\(line.questions) вопр.\t\(line.groups.joined(separator: ", "))")
                }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Выгрузить анкету (последнюю или указанную версию) в YAML или JSON.")

        @Argument(help: "Код анкеты") var code: String
        @Option(help: "Номер версии (по умолчанию последняя)") var version: Int?
        @Option(help: "Формат: yaml или json") var format = "yaml"
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard ["yaml", "json"].contains(format) else { throw ValidationError("--format: yaml или json") }
        }

        func run() async throws {
            var found: StoredQuestionnaire?
            try await withStore(database) { db in
                let versions = try await QuestionnaireRepository(db: db).versions(code: code)
                found = version.map { number in versions.first { $0.version == number } } ?? versions.first
            }
            guard let found else {
                throw InputError("Анкеты «\(code)»\(version.map { ", версия \($0)," } ?? "") нет; список: opora questionnaire list")
            }
            if format == "json" {
                print(QuestionnaireFile.json(found.questionnaire))
            } else {
                print(try QuestionnaireFile.yaml(found.questionnaire), terminator: "")
            }
        }
    }
}
