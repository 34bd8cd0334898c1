import ArgumentParser
import Foundation
import OporaData
import OporaDomain

struct DirectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directions",
        abstract:
            "Управленческие направления: школы, оценившие высоко любой из факторов риска направления (списки выводятся из профилей рисков)."
    )

    @Option(help: "Год") var year: Int
    @Option(help: "Файл направлений (YAML или JSON: code, name, factors); по умолчанию направления программы Первоуральска")
    var definition: String?
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup(title: "Территория: её школы и её сохранённые направления (без --definition)") var territory: CriteriaCommand.Territory
    @OptionGroup var database: DatabaseOptions

    func validate() throws { try Ranges.check(year, InputRange.year, "--year") }

    struct Line: Encodable {
        let code: String
        let name: String
        let factors: [Int]
        let schools: [String]
    }

    func run() async throws {
        var directions: [ManagementDirection]
        do { directions = try definition.map(DirectionsFile.load) ?? ManagementDirection.pervouralsk } catch {
            throw InputError("\(error)")
        }
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        let ratings: [RiskRating]
        do {
            // CONTRACT.md: without --definition the programme's directions; a territory named brings its own.
            let scope = try await territory.scope(on: store.db)
            if definition == nil, scope != .everything {
                do { directions = try await DirectionsRepository(db: store.db).effective(year: year, scope: scope).directions } catch {
                    throw InputError("\(error)")
                }
            }
            ratings = try await RiskRepository(db: store.db).profiles(year: year, scope: scope).values.flatMap { $0.ratings.values }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        let lists = DirectionList.derive(directions, from: ratings, year: year)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let lines = lists.map {
                Line(code: $0.direction.code, name: $0.direction.name, factors: $0.direction.factors, schools: $0.schools)
            }
            print(String(decoding: try encoder.encode(lines), as: UTF8.self))
        case .csv:
            print(CSVText.line(["code", "name", "factors", "schools"]))
            for list in lists {
                print(
                    CSVText.line([
                        list.direction.code, list.direction.name, list.direction.factors.map(String.init).joined(separator: " "),
                        list.schools.joined(separator: " "),
                    ]))
            }
        case .table:
            if ratings.isEmpty { print("За \(year) год нет ни одного профиля рисков: загрузите их командой opora import risks ФАЙЛ.") }
            for list in lists {
                let factors = list.direction.factors.map { "№ \($0)" }.joined(separator: ", ")
                print("\(list.direction.code)\t\(list.direction.name) (факторы \(factors)): " +
                      (list.schools.isEmpty ? "нет школ" : "\(list.schools.count) — \(list.schools.joined(separator: ", "))"))
            }
        }
    }
}
