import ArgumentParser
import FluentKit
import Foundation
import OporaData
import OporaDomain

/// `opora list`: the list in force for a year and territory, with each school's change since the previous year.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Перечень школ в силе на год: по последнему приказу муниципалитета или его региона; кто вошёл, остался, вышел.")

    @Option(help: "Год") var year: Int
    @OptionGroup(title: "Территория (без неё — вся база)") var territory: CriteriaCommand.Territory
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try Ranges.check(year, InputRange.year, "--year")
        if territory.municipality != nil && territory.region != nil { throw ValidationError("укажите либо --municipality, либо --region") }
    }

    /// One line of the output, as CONTRACT.md names its JSON fields.
    struct Line: Encodable {
        let school: String
        let name: String
        let status: String
        let reason: String
        let order_number: String?
        let order_date: String?
        let territory: String?
        let change: String
    }

    func run() async throws {
        var lines: [Line] = []
        var anyOrder = false
        let label = territory.municipality ?? territory.region ?? "все территории"
        try await withStore(database) { db in
            let scope = try await territory.scope(on: db)
            let repository = IdentificationRepository(db: db)
            let inForce = try await repository.ordersInForce(year: year, scope: scope)
            anyOrder = !inForce.isEmpty
            let changes = try await repository.changes(year: year, scope: scope)
            let schools = Dictionary(
                uniqueKeysWithValues: try await SchoolModel.query(on: db).filter(\.$id ~~ changes.map(\.schoolID)).all().map {
                    ($0.id!, $0)
                })
            let municipalities = Dictionary(uniqueKeysWithValues: try await MunicipalityModel.query(on: db).all().map { ($0.id!, $0.name) })
            let regions = Dictionary(uniqueKeysWithValues: try await RegionModel.query(on: db).all().map { ($0.id!, $0.name) })
            func territoryName(_ order: ListOrder) -> String {
                switch order.territory {
                case .municipality(let id): municipalities[id] ?? ""
                case .region(let id): regions[id] ?? ""
                case .everywhere: "все территории"
                }
            }
            let ordered = changes.sorted {
                ($0.change == .left ? 1 : 0, schools[$0.schoolID]?.code ?? "") < (
                    $1.change == .left ? 1 : 0, schools[$1.schoolID]?.code ?? ""
                )
            }
            lines = ordered.compactMap { line in
                guard let school = schools[line.schoolID] else { return nil }
                let order = line.listed?.order ?? line.leavingOrder
                return Line(
                    school: school.code, name: school.displayName,
                    status: line.listed?.status.rawValue ?? IdentificationStatus.none.rawValue,
                    reason: line.listed?.entry.reason ?? line.exitReason ?? "", order_number: order?.number, order_date: order?.isoDate,
                    territory: order.map(territoryName), change: line.change.rawValue)
            }
        }
        if !anyOrder { FileHandle.standardError.write(Data("На \(year) год для «\(label)» нет приказа об утверждении перечня.\n".utf8)) }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(lines), as: UTF8.self))
        case .csv:
            print(CSVText.line(["school", "name", "status", "reason", "order_number", "order_date", "territory", "change"]))
            for line in lines {
                print(
                    CSVText.line([
                        line.school, line.name, line.status, line.reason, line.order_number ?? "", line.order_date ?? "",
                        line.territory ?? "",
                        line.change,
                    ]))
            }
        case .table:
            let count = { (change: String) in lines.filter { $0.change == change }.count }
            print(
                "Перечень в силе на \(year) год (\(label)): школ \(lines.count - count("left")); вошли \(count("entered")), "
                    + "остались \(count("stayed")), вышли \(count("left")).")
            for line in lines {
                let date = line.order_date.flatMap(CalendarDay.init(parsing:))?.russian ?? ""
                let order = line.order_number.map { "приказ № \($0) от \(date)" } ?? ""
                print([line.school, line.name, line.status, line.change, order, line.reason].joined(separator: "\t"))
            }
        }
    }
}
