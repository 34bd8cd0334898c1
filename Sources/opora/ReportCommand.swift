import ArgumentParser
import FluentKit
import Foundation
import OporaData
import OporaDomain

/// `opora report school|note`: the documents of CONTRACT.md, written as DOCX, XLSX or HTML by the file's extension.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report",
        abstract: "Документы: паспорт школы и аналитическая справка муниципалитета (DOCX, XLSX или HTML).",
        subcommands: [School.self, Note.self, Appendix.self, Order.self, Passport.self,
                       EgeBands.self, OgeMarks.self, Schedule.self, Results.self, Vpr.self])

    /// Who signs: `--executor "ФИО, телефон"` (the foot of every document) and `--approver "должность, ФИО"` (the
    /// «УТВЕРЖДАЮ» block of the order, the appendix and the passport). Names as people write them, never logins.
    struct Signing: ParsableArguments {
        @Option(help: "Исполнитель: \"ФИО, телефон\"") var executor: String?
        @Option(help: "Утверждающий: \"должность, ФИО\" (приказ, приложение, паспорт программы)") var approver: String?

        func validate() throws {
            if let executor, DocumentExecutor(parsing: executor) == nil {
                throw ValidationError("--executor: укажите «ФИО, телефон» (ФИО до 200 символов, телефон до 100)")
            }
            if let approver, DocumentApproval(parsing: approver) == nil {
                throw ValidationError("--approver: укажите «должность, ФИО» (до 300 символов)")
            }
        }

        /// The document with its executor and, where it is approved, the approver given here.
        func sign(_ document: ReportDocument) -> ReportDocument {
            var document = document
            if let executor { document.signature?.executor = DocumentExecutor(parsing: executor) }
            if let approver, let given = DocumentApproval(parsing: approver), let approval = document.signature?.approval {
                document.signature?.approval = DocumentApproval(position: given.position, name: given.name, basis: approval.basis)
            }
            return document
        }

        var approval: DocumentApproval? { approver.flatMap(DocumentApproval.init(parsing:)) }
    }

    static func format(_ out: String) throws -> ReportFormat {
        guard let format = ReportFormat(fileName: out) else {
            throw ValidationError("--out: файл должен оканчиваться на .docx, .xlsx или .html")
        }
        return format
    }

    static func write(_ build: (ReportBuilder, any Database) async throws -> ReportDocument, out: String, database: DatabaseOptions,
                      signing: Signing) async throws {
        let format = try Self.format(out)
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        let document: ReportDocument
        do {
            document = signing.sign(try await build(ReportBuilder(db: store.db), store.db))
            await store.close()
        } catch {
            await store.close()
            throw error
        }
        do { try format.write(document).write(to: URL(fileURLWithPath: out)) } catch {
            throw InputError("Не удалось записать «\(out)»: \(error.localizedDescription)")
        }
        let flags = document.flags
        print("Записан «\(out)»\(flags.isEmpty ? "" : "; примечаний к цифрам: \(flags.count)").")
    }

    struct School: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "school", abstract: "Паспорт школы.")
        @Option(help: "Код школы") var school: String
        @Option(help: "Год") var year: Int
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

        func validate() throws {
            try Ranges.check(year, InputRange.year, "--year")
            _ = try ReportCommand.format(out)
        }

        func run() async throws {
            try await ReportCommand.write(
                { builder, db in
                    guard let found = try await SchoolModel.query(on: db).filter(\.$code == school).first() else {
                        throw InputError("Школа с кодом «\(school)» не найдена")
                    }
                    return try await builder.schoolCard(schoolID: found.id!, year: year)
                }, out: out, database: database, signing: signing)
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "note", abstract: "Аналитическая справка муниципалитета.")
        @Option(help: "Год") var year: Int
        @Option(help: "Муниципалитет (без него — единственный в базе)") var municipality: String?
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

        func validate() throws {
            try Ranges.check(year, InputRange.year, "--year")
            _ = try ReportCommand.format(out)
        }

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                let chosen = try await ReportCommand.municipality(municipality, on: db)
                return try await builder.municipalNote(municipalityID: chosen.id!, year: year)
            }, out: out, database: database, signing: signing)
        }
    }

    struct Appendix: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "appendix",
            abstract: "Приложение к приказу: перечень школ года с основанием для каждой.")
        @Option(help: "Год") var year: Int
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup(title: "Территория (без неё — вся база)") var territory: CriteriaCommand.Territory
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

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
            }, out: out, database: database, signing: signing)
        }
    }

    struct Order: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "order",
            abstract: "Приказ об утверждении перечня школ года с приложением (из приказа в силе).")
        @Option(help: "Год") var year: Int
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup(title: "Территория (без неё — вся база)") var territory: CriteriaCommand.Territory
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

        func validate() throws {
            try Ranges.check(year, InputRange.year, "--year")
            _ = try ReportCommand.format(out)
        }

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                let scope = try await territory.scope(on: db)
                let label = territory.municipality ?? territory.region ?? "все территории"
                let order = try await builder.listOrder(year: year, scope: scope, scopeLabel: label, approval: signing.approval)
                guard let order else {
                    throw InputError(ReportBuilder.noOrderMessage(year: year, scopeLabel: label))
                }
                return order
            }, out: out, database: database, signing: signing)
        }
    }

    struct Passport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "passport",
            abstract: "Паспорт муниципальной или региональной программы.")
        @Option(help: "Код программы") var programme: String
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

        func validate() throws { _ = try ReportCommand.format(out) }

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                try await builder.programmePassport(try await ReportCommand.programme(programme, on: db), approval: signing.approval)
            }, out: out, database: database, signing: signing)
        }
    }
}
