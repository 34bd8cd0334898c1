import ArgumentParser
import Foundation
import OporaData
import OporaDomain

struct IdentifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "identify",
        abstract: "Выявить школы с низкими результатами по набору критериев; у каждой отметки — причины.")

    @Option(help: "Год") var year: Int
    @Option(help: "Файл критериев (YAML или JSON) или preset:seed004 / preset:gia; по умолчанию правило seed 004") var criteria: String?
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var chosen: CriteriaSet?
        do { chosen = try criteria.map(CriteriaFile.load) } catch { throw InputError("\(error)") }
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        do {
            // CONTRACT.md: without --criteria, the set stored for that year, or the seed 004 rule.
            if chosen == nil { chosen = try await CriteriaRepository(db: store.db).newest(year: year)?.0 }
            let set = chosen ?? .seed004
            let identified = try await IdentificationRepository(db: store.db).identify(year: year, criteria: set, scope: .everything)
            let subjects = Dictionary(uniqueKeysWithValues: try await SubjectModel.query(on: store.db).all().map { ($0.code, $0.name) })
            await store.close()
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(identified.map(\.result)), as: UTF8.self))
            case .csv:
                print("school,school_name,year,status,reasons")
                for item in identified {
                    let text = Identifier.sentence(schoolName: item.school.displayName, item.result, subjects: subjects)
                    print([item.school.code, item.school.displayName, String(year), item.result.status.rawValue, text].map { CSVText.cell($0) }.joined(separator: ","))
                }
            case .table:
                print("Критерии: \(set.name)")
                for item in identified {
                    print("\(item.school.code)\t\(item.result.status.rawValue)\t\(Identifier.sentence(schoolName: item.school.displayName, item.result, subjects: subjects))")
                }
                let flagged = identified.filter { $0.result.status != .none }.count
                print("Выявлено: \(flagged) из \(identified.count)")
            }
        } catch {
            await store.close()
            throw error
        }
    }
}

struct TypologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "typology",
        abstract: "Типология школ: группа ИСБШ × группа качества (seed 004) → пять типов.")

    @Option(help: "Год") var year: Int
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup var database: DatabaseOptions

    struct Line: Encodable {
        let school: String
        let isbs_group: Int
        let quality_group: Int
        let type: String
    }

    func run() async throws {
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        let context = try await IdentificationRepository(db: store.db).context(year: year)
        let schools = try await SchoolModel.query(on: store.db).sort(\.$code).all()
        await store.close()
        let lines: [Line] = schools.compactMap { school in
            guard let isbs = context[school.id!]?["isbs_group"]?.number, let quality = context[school.id!]?["quality_group"]?.number else { return nil }
            return Line(school: school.code, isbs_group: Int(isbs), quality_group: Int(quality),
                        type: TypologyRule.seed004.type(isbsGroup: Int(isbs), qualityGroup: Int(quality)).rawValue)
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(lines), as: UTF8.self))
        case .csv:
            print("school,isbs_group,quality_group,type")
            for line in lines { print("\(line.school),\(line.isbs_group),\(line.quality_group),\(line.type)") }
        case .table:
            for line in lines {
                print("\(line.school)\t\(line.isbs_group)\t\(line.quality_group)\t\(SchoolType(rawValue: line.type)!.russianName)")
            }
            let counts = Dictionary(grouping: lines, by: \.type).mapValues(\.count)
            print(SchoolType.allCases.map { "\($0.russianName): \(counts[$0.rawValue] ?? 0)" }.joined(separator: ", ") + " — из \(lines.count)")
        }
    }
}
