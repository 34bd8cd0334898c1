import ArgumentParser
import FluentKit
import Foundation
import OporaData
import OporaDomain

/// `opora report ege-bands|oge-marks|schedule`: the shapes the seeds file (issue 19, point 8), each a document alone.
extension ReportCommand {
    /// The municipality named (or the only one in the database), as `opora report note` chooses it.
    static func municipality(_ name: String?, on db: any Database) async throws -> MunicipalityModel {
        let all = try await MunicipalityModel.query(on: db).all()
        if let name {
            let key = HeaderKey.normalize(name)
            guard let found = all.first(where: { HeaderKey.normalize($0.name) == key }) else {
                throw InputError("Муниципалитета «\(name)» нет; есть: \(all.map(\.name).sorted().joined(separator: ", "))")
            }
            return found
        }
        guard all.count == 1 else {
            throw InputError(all.isEmpty ? "В базе нет муниципалитетов: загрузите реестр школ"
                                         : "Укажите --municipality: в базе их \(all.count)")
        }
        return all[0]
    }

    /// The programme of a code, or the message that says how to load it.
    static func programme(_ code: String, on db: any Database) async throws -> PlanModel {
        guard let plan = try await PlanRepository(db: db).programme(code: code) else {
            throw InputError("Программы с кодом «\(code)» нет: загрузите её командой opora import programmes ФАЙЛ")
        }
        return plan
    }

    /// The options of a document about one work of a municipality's schools: year, municipality, subject, file.
    struct DistrictWork: ParsableArguments {
        @Option(help: "Год") var year: Int
        @Option(help: "Муниципалитет (без него — единственный в базе)") var municipality: String?
        @Option(help: "Предмет: код или название") var subject: String
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String

        func validate() throws {
            try Ranges.check(year, InputRange.year, "--year")
            _ = try ReportCommand.format(out)
        }

        /// The municipality's id and the subject's code.
        func resolve(_ builder: ReportBuilder, on db: any Database) async throws -> (municipalityID: Int, subject: String) {
            let chosen = try await ReportCommand.municipality(municipality, on: db)
            return (chosen.id!, try await ReportCommand.subject(subject, builder: builder))
        }
    }

    static func subject(_ text: String, builder: ReportBuilder) async throws -> String {
        guard let code = try await builder.subjectCode(text) else {
            throw InputError("Предмета «\(text)» нет в справочнике: укажите код (rus, math…) или название")
        }
        return code
    }

    struct EgeBands: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ege-bands",
            abstract: "ЕГЭ: распределение участников по интервалам тестовых баллов по школам муниципалитета.")
        @OptionGroup var work: DistrictWork
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                let (municipalityID, subject) = try await work.resolve(builder, on: db)
                return try await builder.egeBands(year: work.year, municipalityID: municipalityID, subject: subject)
            }, out: work.out, database: database, signing: signing)
        }
    }

    struct OgeMarks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "oge-marks",
            abstract: "ОГЭ: число отметок «2»…«5» и не преодолевших порог по школам муниципалитета.")
        @OptionGroup var work: DistrictWork
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                let (municipalityID, subject) = try await work.resolve(builder, on: db)
                return try await builder.ogeMarks(year: work.year, municipalityID: municipalityID, subject: subject)
            }, out: work.out, database: database, signing: signing)
        }
    }

    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "schedule",
            abstract: "Регламент сбора отчётных данных программы (таблица 13): показатели, месяцы, источник, ответственный.")
        @Option(help: "Код программы") var programme: String
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

        func validate() throws { _ = try ReportCommand.format(out) }

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                try await builder.collectionSchedule(try await ReportCommand.programme(programme, on: db))
            }, out: out, database: database, signing: signing)
        }
    }
}
