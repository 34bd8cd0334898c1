import ArgumentParser
import FluentKit
import Foundation
import OporaData
import OporaDomain

/// `opora report school|note`: the documents of CONTRACT.md, written as DOCX, XLSX or HTML by the file's extension.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report",
        abstract: "Документы: паспорт школы и аналитическая справка муниципалитета (DOCX, XLSX или HTML).",
        subcommands: [School.self, Note.self, Appendix.self,
                       EgeBands.self, OgeMarks.self, Schedule.self])

    static func format(_ out: String) throws -> ReportFormat {
        guard let format = ReportFormat(fileName: out) else { throw ValidationError("--out: файл должен оканчиваться на .docx, .xlsx или .html") }
        return format
    }

    static func write(_ build: (ReportBuilder, any Database) async throws -> ReportDocument, out: String, database: DatabaseOptions) async throws {
        let format = try Self.format(out)
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        let document: ReportDocument
        do {
            document = try await build(ReportBuilder(db: store.db), store.db)
            await store.close()
        } catch {
            await store.close()
            throw error
        }
        do { try format.write(document).write(to: URL(fileURLWithPath: out)) } catch { throw InputError("Не удалось записать «\(out)»: \(error.localizedDescription)") }
        let flags = document.flags
        print("Записан «\(out)»\(flags.isEmpty ? "" : "; примечаний к цифрам: \(flags.count)").")
    }

    struct School: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "school", abstract: "Паспорт школы.")
        @Option(help: "Код школы") var school: String
        @Option(help: "Год") var year: Int
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            try Ranges.check(year, InputRange.year, "--year")
            _ = try ReportCommand.format(out)
        }

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                guard let found = try await SchoolModel.query(on: db).filter(\.$code == school).first() else { throw InputError("Школа с кодом «\(school)» не найдена") }
                return try await builder.schoolCard(schoolID: found.id!, year: year)
            }, out: out, database: database)
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "note", abstract: "Аналитическая справка муниципалитета.")
        @Option(help: "Год") var year: Int
        @Option(help: "Муниципалитет (без него — единственный в базе)") var municipality: String?
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            try Ranges.check(year, InputRange.year, "--year")
            _ = try ReportCommand.format(out)
        }

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                let all = try await MunicipalityModel.query(on: db).all()
                let chosen: MunicipalityModel
                if let municipality {
                    let key = HeaderKey.normalize(municipality)
                    guard let found = all.first(where: { HeaderKey.normalize($0.name) == key }) else {
                        throw InputError("Муниципалитета «\(municipality)» нет; есть: \(all.map(\.name).sorted().joined(separator: ", "))")
                    }
                    chosen = found
                } else {
                    guard all.count == 1 else {
                        throw InputError(all.isEmpty ? "В базе нет муниципалитетов: загрузите реестр школ" : "Укажите --municipality: в базе их \(all.count)")
                    }
                    chosen = all[0]
                }
                return try await builder.municipalNote(municipalityID: chosen.id!, year: year)
            }, out: out, database: database)
        }
    }

    struct Appendix: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "appendix",
            abstract: "Приложение к приказу: перечень школ года с основанием для каждой.")
        @Option(help: "Год") var year: Int
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup(title: "Территория (без неё — вся база)") var territory: CriteriaCommand.Territory
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            try Ranges.check(year, InputRange.year, "--year")
            _ = try ReportCommand.format(out)
        }

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                let scope = try await territory.scope(on: db)
                let label = territory.municipality ?? territory.region ?? "все территории"
                // CONTRACT.md: the appendix prints the order(s) in force; without one there is nothing to attach it to.
                let inForce = try await IdentificationRepository(db: db).ordersInForce(year: year, scope: scope)
                guard !inForce.isEmpty else {
                    throw InputError(ReportBuilder.noOrderMessage(year: year, scopeLabel: label))
                }
                return try await builder.identificationAppendix(year: year, scope: scope, scopeLabel: label)
            }, out: out, database: database)
        }
    }
}
