import ArgumentParser
import FluentKit
import OporaData
import OporaDomain

extension ReportCommand {
    /// `opora report vpr --year Y [--school CODE | --municipality NAME] --out FILE.docx|.xlsx`: «Анализ результатов
    /// ВПР» of a school or a municipality, from the figures the «Анализ ВПР» page shows.
    struct Vpr: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "vpr",
            abstract: "Анализ результатов ВПР школы или муниципалитета (DOCX или XLSX).")
        @Option(help: "Год") var year: Int
        @Option(help: "Код школы") var school: String?
        @Option(help: "Муниципалитет (без него и без --school — единственный в базе)") var municipality: String?
        @Option(help: "Файл: .docx или .xlsx") var out: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

        func validate() throws {
            try Ranges.check(year, InputRange.year, "--year")
            guard try ReportCommand.format(out) != .html else {
                throw ValidationError("--out: файл должен оканчиваться на .docx или .xlsx")
            }
            if school != nil && municipality != nil { throw ValidationError("Укажите либо --school, либо --municipality") }
        }

        func run() async throws {
            try await ReportCommand.write({ _, db in
                let place: VprAnalysisRepository.Place, title: String
                if let school {
                    guard let found = try await SchoolModel.query(on: db).filter(\.$code == school).first() else {
                        throw InputError("Школа с кодом «\(school)» не найдена")
                    }
                    (place, title) = (.school(found.id!), found.displayName)
                } else {
                    let chosen = try await ReportCommand.municipality(municipality, on: db)
                    (place, title) = (.municipality(chosen.id!), chosen.name)
                }
                let analysis = try await VprAnalysisRepository(db: db).analysis(place: place, title: title, year: year)
                return ReportBuilder.vprAnalysis(analysis, place: place)
            }, out: out, database: database, signing: signing)
        }
    }
}
