import ArgumentParser
import Foundation
import OporaData
import OporaDomain

struct IdentifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "identify",
        abstract: "Выявить школы с низкими результатами по набору критериев; у каждой отметки — причины.")

    @Option(help: "Год") var year: Int
    @Option(help: """
        Файл критериев (YAML или JSON) или preset:pervouralsk / preset:gia; по умолчанию — набор, сохранённый для территории \
        школы, иначе правило по умолчанию (30 % не преодолевших порог, как в программе Первоуральска)
        """)
    var criteria: String?
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup var database: DatabaseOptions

    func validate() throws { try Ranges.check(year, InputRange.year, "--year") }

    func run() async throws {
        var chosen: CriteriaSet?
        do { chosen = try criteria.map(CriteriaFile.load) } catch { throw InputError("\(error)") }
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        do {
            let repository = IdentificationRepository(db: store.db)
            // CONTRACT.md: without --criteria, the set stored for that year — for each school, its own territory's.
            let identified: [IdentificationRepository.Identified]
            if let chosen {
                identified = try await repository.identify(year: year, criteria: chosen, scope: .everything)
            } else {
                identified = try await repository.identifyByTerritory(year: year, scope: .everything)
            }
            let subjects = Dictionary(uniqueKeysWithValues: try await SubjectModel.query(on: store.db).all().map { ($0.code, $0.name) })
            await store.close()
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(identified.map(\.result)), as: UTF8.self))
            case .csv:
                print(CSVText.line(["school", "school_name", "year", "status", "criteria", "reasons"]))
                for item in identified {
                    let text = Identifier.sentence(schoolName: item.school.displayName, item.result, subjects: subjects)
                    print(CSVText.line([item.school.code, item.school.displayName, String(year), item.result.status.rawValue,
                                        item.criteriaName, text]))
                }
            case .table:
                for name in Set(identified.map(\.criteriaName)).sorted() { print("Критерии: \(name)") }
                for item in identified {
                    let sentence = Identifier.sentence(schoolName: item.school.displayName, item.result, subjects: subjects)
                    print("\(item.school.code)\t\(item.result.status.rawValue)\t\(sentence)")
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
        abstract: "Типология школ: группа ИСБШ × группа качества → пять типов (по набору критериев территории, иначе по умолчанию).")

    @Option(help: "Год") var year: Int
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup var database: DatabaseOptions

    func validate() throws { try Ranges.check(year, InputRange.year, "--year") }

    struct Line: Encodable {
        let school: String
        let isbs_group: Int
        let quality_group: Int
        let type: String
    }

    func run() async throws {
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        let identified: [IdentificationRepository.Identified]
        do {
            identified = try await IdentificationRepository(db: store.db).identifyByTerritory(year: year, scope: .everything)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        let lines: [Line] = identified.compactMap { item in
            guard let isbs = item.isbsGroup, let quality = item.qualityGroup, let type = item.type else { return nil }
            return Line(school: item.school.code, isbs_group: isbs, quality_group: quality, type: type.rawValue)
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(lines), as: UTF8.self))
        case .csv:
            print("school,isbs_group,quality_group,type")
            for line in lines { print(CSVText.line([line.school, String(line.isbs_group), String(line.quality_group), line.type])) }
        case .table:
            for line in lines {
                print("\(line.school)\t\(line.isbs_group)\t\(line.quality_group)\t\(SchoolType(rawValue: line.type)!.russianName)")
            }
            let counts = Dictionary(grouping: lines, by: \.type).mapValues(\.count)
            let summary = SchoolType.allCases.map { "\($0.russianName): \(counts[$0.rawValue] ?? 0)" }.joined(separator: ", ")
            print(summary + " — из \(lines.count)")
        }
    }
}
