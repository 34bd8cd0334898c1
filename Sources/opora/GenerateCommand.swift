import ArgumentParser
import Foundation
import OporaDomain

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate",
        abstract: "Записать синтетические данные в CSV: demo (демо-муниципалитет) или region (большой регион для замеров).")

    @Argument(help: "Что создать: demo или region") var what = "demo"
    @Option(help: "Папка для файлов") var out = "opora-data"
    @Option(help: "Число школ (для region)") var schools = 1000
    @Option(help: "Год (для region): последний из --years") var year = 2025
    @Option(help: "Сколько лет до --year включительно (для region)") var years = 1
    @Option(help: "Сколько муниципалитетов (для region): школы распределяются по ним поровну") var municipalities = 40
    @Flag(help: "Для region: итоги по школам (results.csv) и контекст (context.csv) вместо строк учеников — данные для замеров страниц")
    var aggregated = false

    func validate() throws {
        guard ["demo", "region"].contains(what) else { throw ValidationError("неизвестный набор «\(what)»; доступны: demo, region") }
        guard (1...20_000).contains(schools) else { throw ValidationError("--schools: от 1 до 20000") }
        try Ranges.check(year, InputRange.year, "--year")
        try Ranges.check(years, 1...20, "--years")
        try Ranges.check(year - years + 1, InputRange.year, "--year − --years")
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
            let thresholds =
                ["year,procedure,subject,min_score,high_score"]
                + [2023, 2024, 2025].flatMap { year in
                    SyntheticResults.egeThresholds.map {
                        "\(year),EGE,\($0.subject),\(Int($0.threshold.minScore)),\(Int($0.threshold.highScore ?? 0))"
                    }
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
                lines.append(
                    "\(code),Школа \(index),Район \(1 + index % max(1, municipalities)),Синтетическая " +
                    "область,\(rural ? "rural" : "urban"),\(students)"
                )
                profiles.append(SyntheticResults.profile(code: code, students: students, rural: rural))
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: schoolsPath, atomically: true, encoding: .utf8)
            let span = Array((year - years + 1)...year)
            if aggregated {
                let resultsPath = (out as NSString).appendingPathComponent("results.csv")
                let contextPath = (out as NSString).appendingPathComponent("context.csv")
                let rows = try writeResults(profiles: profiles, years: span, to: resultsPath)
                try writeContext(profiles: profiles, years: span, to: contextPath)
                let risksPath = (out as NSString).appendingPathComponent("risks.csv")
                var risks = ["year,school,factor,level,source"]
                for rating in DemoRisks.ratings(schools: profiles.map(\.code), years: [year], factors: RiskFactor.numbers) {
                    risks.append("\(rating.year),\(rating.school),\(rating.factor),\(rating.level.rawValue),\(rating.source ?? "")")
                }
                try (risks.joined(separator: "\n") + "\n").write(toFile: risksPath, atomically: true, encoding: .utf8)
                print(
                    "Записано: \(schoolsPath) (школ: \(schools)), \(resultsPath) (строк: \(rows)), \(contextPath), \(risksPath) (оценок: " +
                    "\(risks.count - 1))"
                )
            } else {
                let rows = try writeScores(profiles: profiles, years: span, works: SyntheticResults.benchmarkWorks, to: scoresPath)
                print("Записано: \(schoolsPath) (школ: \(schools)), \(scoresPath) (строк: \(rows))")
            }
        }
    }

    /// The demo's works counted per school × work (ВПР, ОГЭ, ЕГЭ over the years), as an aggregated `results` file.
    func writeResults(profiles: [SyntheticResults.SchoolProfile], years: [Int], to path: String) throws -> Int {
        var groups: [String: StudentAccumulator] = [:]
        var order: [(String, ScoreRecord)] = []
        SyntheticResults.generate(profiles: profiles, years: years, works: SyntheticResults.demoWorks, seed: 2025) { record in
            let key = "\(record.work.year),\(record.work.procedure.rawValue),\(record.work.grade),\(record.work.subject),\(record.school)"
            if groups[key] == nil {
                let threshold = SyntheticResults.egeThresholds.first { record.work.procedure == .ege && $0.subject == record.work.subject }?
                    .threshold
                groups[key] = StudentAccumulator(procedure: record.work.procedure, subject: record.work.subject, threshold: threshold)
                order.append((key, record))
            }
            groups[key]!.add(record.result)
        }
        var lines = ["year,procedure,grade,subject,school,participants,m2,m3,m4,m5,below_min,high,mean_score,lowered,confirmed,raised"]
        for (key, _) in order {
            let c = groups[key]!.counts
            func text(_ value: Int?) -> String { value.map(String.init) ?? "" }
            let counts: [Int?] = [c.participants, c.m2, c.m3, c.m4, c.m5, c.belowMin, c.high]
            var cells: [String] = counts.map(text)
            cells.append(c.meanScore.map { String(format: "%.2f", $0) } ?? "")
            cells += [c.lowered, c.confirmed, c.raised].map(text)
            lines.append(key + "," + cells.joined(separator: ","))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return lines.count - 1
    }

    /// ИСБШ and quality groups per school and year, consistent with each school's latent level.
    func writeContext(profiles: [SyntheticResults.SchoolProfile], years: [Int], to path: String) throws {
        var lines = ["year,school,indicator,value"]
        for profile in profiles {
            var random = SeededRandom(seed: UInt64(truncatingIfNeeded: profile.code.hashValueStable))
            let isbs = min(11, max(1, Int((6 + profile.level * 3 + random.double(-1.5...1.5)).rounded())))
            for year in years {
                let quality = min(11, max(1, Int((6 + profile.level * 5 + random.double(-1...1)).rounded())))
                lines.append("\(year),\(profile.code),isbs_group,\(isbs)")
                lines.append("\(year),\(profile.code),quality_group,\(quality)")
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Streams rows to the file in large chunks (millions of rows, flat memory).
    func writeScores(
        profiles: [SyntheticResults.SchoolProfile], years: [Int], works: [SyntheticResults.Work], to path: String
    ) throws -> Int {
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
