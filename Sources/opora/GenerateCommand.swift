import ArgumentParser
import Foundation
import OporaDomain

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate",
        abstract: "Записать синтетические данные в CSV: demo (демо-муниципалитет) или region (большой регион для замеров).")

    @Argument(help: "Что создать: demo или region") var what = "demo"
    @Option(help: "Папка для файлов") var out = "opora-data"
    @Option(help: "Число школ (для region)") var schools = 1000
    @Option(help: "Год (для region)") var year = 2025

    func validate() throws {
        guard ["demo", "region"].contains(what) else { throw ValidationError("неизвестный набор «\(what)»; доступны: demo, region") }
        guard (1...20_000).contains(schools) else { throw ValidationError("--schools: от 1 до 20000") }
        try Ranges.check(year, InputRange.year, "--year")
    }

    func run() async throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let schoolsPath = (out as NSString).appendingPathComponent("schools.csv")
        let scoresPath = (out as NSString).appendingPathComponent("scores.csv")
        let thresholdsPath = (out as NSString).appendingPathComponent("thresholds.csv")
        switch what {
        case "demo":
            try DemoMunicipality.schoolsCSV().write(toFile: schoolsPath, atomically: true, encoding: .utf8)
            let profiles = DemoMunicipality.schools().map {
                SyntheticResults.profile(code: $0.code, students: $0.students ?? 0, rural: $0.settlement == .rural,
                                         selective: $0.name.contains("Лицей") || $0.name.contains("Гимназия"))
            }
            let rows = try writeScores(profiles: profiles, years: [2023, 2024, 2025], works: SyntheticResults.demoWorks, to: scoresPath)
            let thresholds = ["year,procedure,subject,min_score,high_score"] + [2023, 2024, 2025].flatMap { year in
                SyntheticResults.egeThresholds.map { "\(year),EGE,\($0.subject),\(Int($0.threshold.minScore)),\(Int($0.threshold.highScore ?? 0))" }
            }
            try (thresholds.joined(separator: "\n") + "\n").write(toFile: thresholdsPath, atomically: true, encoding: .utf8)
            print("Записано: \(schoolsPath), \(scoresPath) (строк: \(rows)), \(thresholdsPath)")
        default:
            var random = SeededRandom(seed: 1000)
            var lines = ["code,name,municipality,region,settlement,students"]
            var profiles: [SyntheticResults.SchoolProfile] = []
            for index in 1...schools {
                let code = String(format: "R%05d", index)
                let rural = random.chance(0.45)
                let students = rural ? random.int(60...1100) : random.int(700...2300)
                lines.append("\(code),Школа \(index),Район \(1 + index % 40),Синтетическая область,\(rural ? "rural" : "urban"),\(students)")
                profiles.append(SyntheticResults.profile(code: code, students: students, rural: rural))
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: schoolsPath, atomically: true, encoding: .utf8)
            let rows = try writeScores(profiles: profiles, years: [year], works: SyntheticResults.benchmarkWorks, to: scoresPath)
            print("Записано: \(schoolsPath) (школ: \(schools)), \(scoresPath) (строк: \(rows))")
        }
    }

    /// Streams rows to the file in large chunks (millions of rows, flat memory).
    func writeScores(profiles: [SyntheticResults.SchoolProfile], years: [Int], works: [SyntheticResults.Work], to path: String) throws -> Int {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw InputError("\(path): не удаётся записать") }
        defer { try? handle.close() }
        var buffer = SyntheticResults.scoresHeader + "\n"
        var rows = 0
        try SyntheticResults.generate(profiles: profiles, years: years, works: works, seed: 2025) { record in
            buffer += SyntheticResults.csvLine(record)
            buffer += "\n"
            rows += 1
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
        return rows
    }
}
