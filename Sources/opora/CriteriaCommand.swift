import ArgumentParser
import Fluent
import Foundation
import OporaData
import OporaDomain

/// Criteria sets stored per territory and year, as the «Критерии» page stores them.
struct CriteriaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "criteria", abstract: "Наборы критериев отбора: сохранить или показать.",
                                                    subcommands: [Save.self, Show.self])

    struct Territory: ParsableArguments {
        @Option(help: "Регион (наименование); без него и без --municipality — вся система") var region: String?
        @Option(help: "Муниципалитет (наименование)") var municipality: String?

        func scope(on db: any Database) async throws -> AccessScope {
            if let municipality {
                let found = try await MunicipalityModel.query(on: db).filter(\.$name == municipality).all()
                guard found.count == 1 else {
                    throw InputError(found.isEmpty ? "Муниципалитет «\(municipality)» не найден"
                                                   : "Муниципалитет «\(municipality)» есть в нескольких регионах")
                }
                return .municipality(found[0].id!)
            }
            if let region {
                guard let found = try await RegionModel.query(on: db).filter(\.$name == region).first() else {
                    throw InputError("Регион «\(region)» не найден")
                }
                return .region(found.id!)
            }
            return .everything
        }
    }

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "save",
                                                        abstract: "Проверить и сохранить новую версию набора (YAML или JSON).")
        @Option(help: "Год") var year: Int
        @OptionGroup var territory: Territory
        @Argument(help: "Файл набора") var file: String
        @OptionGroup var database: DatabaseOptions

        func validate() throws { try Ranges.check(year, InputRange.year, "--year") }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), data.count <= 1 << 20 else {
                throw InputError("\(file): файл не найден или больше 1 МБ")
            }
            try await withStore(database) { db in
                let scope = try await territory.scope(on: db)
                do {
                    let text = String(decoding: data, as: UTF8.self)
                    let saved = try await CriteriaRepository(db: db).save(year: year, scope: scope, text: text, actor: .commandLine)
                    print("Сохранён набор «\(saved.name)» на \(year) год, версия \(saved.version).")
                } catch let error as CriteriaError {
                    throw InputError(error.description)
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Показать набор, действующий для территории в году.")
        @Option(help: "Год") var year: Int
        @OptionGroup var territory: Territory
        @OptionGroup var database: DatabaseOptions

        func validate() throws { try Ranges.check(year, InputRange.year, "--year") }

        func run() async throws {
            try await withStore(database) { db in
                let scope = try await territory.scope(on: db)
                if let (_, stored) = try await CriteriaRepository(db: db).effective(year: year, scope: scope) {
                    print("# «\(stored.name)», версия \(stored.version), \(stored.createdBy), \(RussianFormat.dateTime(stored.createdAt))")
                    print(stored.body)
                } else {
                    let rule = CriteriaSet.defaultRule(territory: territory.municipality)
                    print("# Сохранённого набора нет: действует \(rule.name.prefix(1).lowercased() + rule.name.dropFirst())")
                    print(try CriteriaFile.yaml(rule))
                }
            }
        }
    }
}
