import ArgumentParser
import FluentKit
import Foundation
import OporaData
import OporaDomain

/// `opora effect`: did the supported schools improve more than comparable schools that were not supported
/// (CONTRACT.md; the rule is `SupportEffect`).
struct EffectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "effect",
        abstract: "Результативность поддержки: школы перечня против сопоставимых школ вне перечней (разность разностей, 95 % интервал).")

    @Option(help: "Первый год окна (перечень в силе на этот год — поддержанные школы)") var from: Int
    @Option(help: "Последний год окна") var to: Int
    @Option(help: "Процедура: VPR, OGE, EGE, GVE, DIAG, PISA, TERM") var procedure: String
    @Option(help: "Показатель: below_min_rate (по умолчанию), success_rate или quality_rate") var metric = "below_min_rate"
    @OptionGroup(title: "Территория (без неё — вся база)") var territory: CriteriaCommand.Territory
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try Ranges.check(from, InputRange.year, "--from")
        try Ranges.check(to, InputRange.year, "--to")
        guard from < to else { throw ValidationError("--to должен быть позже --from") }
        guard ProcedureCode(parsing: procedure) != nil else {
            throw ValidationError(
                "неизвестная процедура «\(procedure)»; допустимы: \(ProcedureCode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard EffectMetric(parsing: metric) != nil else {
            throw ValidationError("--metric: ожидается \(EffectMetric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if territory.municipality != nil && territory.region != nil { throw ValidationError("укажите либо --municipality, либо --region") }
    }

    func run() async throws {
        let procedureCode = ProcedureCode(parsing: procedure)!, metricCode = EffectMetric(parsing: metric)!
        let label = territory.municipality ?? territory.region ?? "все территории"
        var analysis: EffectAnalysis?
        var codes: [Int: String] = [:]
        try await withStore(database) { db in
            let scope = try await territory.scope(on: db)
            analysis = try await EffectRepository(db: db).analyse(
                from: from, to: to, procedure: procedureCode, metric: metricCode, scope: scope)
            if let analysis {
                let ids = analysis.lines.map(\.schoolID)
                for school in try await SchoolModel.query(on: db).filter(\.$id ~~ ids).all() { codes[school.id!] = school.code }
            }
        }
        guard let analysis else {
            throw InputError("На \(from) год для «\(label)» нет приказа об утверждении перечня: поддержанные школы не определены.")
        }
        switch format {
        case .json: print(EffectOutput.json(analysis, procedure: procedureCode, codes: codes))
        case .csv: print(EffectOutput.csv(analysis, codes: codes))
        case .table: print(EffectOutput.table(analysis, procedure: procedureCode, label: label, codes: codes))
        }
    }
}

/// The three shapes of `opora effect`'s answer.
enum EffectOutput {
    static func json(_ analysis: EffectAnalysis, procedure: ProcedureCode, codes: [Int: String]) -> String {
        // Six decimals: «at least two» (CONTRACT), without the binary noise of 14.499999999999998.
        func number(_ value: Double?) -> String { value.map { String(DisplayRounding.rounded($0, digits: 6)) } ?? "null" }
        func string(_ text: String) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        }
        func group(_ group: EffectGroup) -> String {
            let years = group.byYear.keys.sorted().map { "\"\($0)\": \(number(group.byYear[$0]))" }.joined(separator: ", ")
            return "{\"schools\": \(group.schools), \"before\": \(number(group.before)), \"after\": \(number(group.after)), "
                + "\"by_year\": {\(years)}}"
        }
        func interval(_ estimate: EffectEstimate) -> String {
            estimate.interval.map { "[\(number($0.lower)), \(number($0.upper))]" } ?? "null"
        }
        let main = analysis.main, sensitivity = analysis.sensitivity
        let schools = analysis.lines.map { line in
            "{\"school\": \(string(codes[line.schoolID] ?? "")), \"group\": \"\(line.group.rawValue)\", "
                + "\"before\": \(number(line.before)), \"after\": \(number(line.after))}"
        }
        let range = analysis.range.map { "[\(number($0.lowerBound + 1e-9)), \(number($0.upperBound - 1e-9))]" } ?? "null"
        return "{\"from\": \(analysis.from), \"to\": \(analysis.to), \"procedure\": \"\(procedure.rawValue)\", "
            + "\"metric\": \"\(analysis.metric.rawValue)\", \"supported\": \(group(main.supported)), "
            + "\"comparison\": \(group(main.comparison)), \"effect\": \(number(main.effect)), \"ci95\": \(interval(main)), "
            + "\"enough\": \(main.enough), \"range\": \(range), \"schools\": [\(schools.joined(separator: ", "))], "
            + "\"sensitivity\": {\"comparison\": \(group(sensitivity.comparison)), \"effect\": \(number(sensitivity.effect)), "
            + "\"ci95\": \(interval(sensitivity)), \"enough\": \(sensitivity.enough)}}"
    }

    static func csv(_ analysis: EffectAnalysis, codes: [Int: String]) -> String {
        func cell(_ value: Double?) -> String {
            guard let value else { return "" }
            let text = String(DisplayRounding.rounded(value, digits: 2))
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        var lines = [["row", "school", "group", "schools", "before", "after", "effect", "ci95_lower", "ci95_upper", "enough"]]
        for (row, estimate) in [("main", analysis.main), ("sensitivity", analysis.sensitivity)] {
            for (kind, group) in [("supported", estimate.supported), ("comparison", estimate.comparison)] {
                lines.append([row, "", kind, String(group.schools), cell(group.before), cell(group.after), "", "", "", ""])
            }
            lines.append([
                row, "", "effect", "", "", "", cell(estimate.effect), cell(estimate.interval?.lower), cell(estimate.interval?.upper),
                estimate.enough ? "1" : "0",
            ])
        }
        for line in analysis.lines {
            lines.append([
                "school", codes[line.schoolID] ?? "", line.group.rawValue, "", cell(line.before), cell(line.after), "", "", "", "",
            ])
        }
        return lines.map { CSVText.line($0) }.joined(separator: "\n")
    }

    static func table(_ analysis: EffectAnalysis, procedure: ProcedureCode, label: String, codes: [Int: String]) -> String {
        let main = analysis.main
        func value(_ number: Double?) -> String { RussianFormat.optionalNumber(number) }
        var text = [
            "Результативность поддержки (\(label)): \(procedure.russianShortName), \(analysis.metric.russianName), "
                + "\(analysis.from) → \(analysis.to), %",
            TextTable.render(
                header: ["Группа", "Школ", "\(analysis.from)", "\(analysis.to)", "Изменение"],
                rows: [("Поддержанные", main.supported), ("Сопоставимые", main.comparison),
                       ("Все вне перечней", analysis.sensitivity.comparison)].map { name, group in
                    [name, String(group.schools), value(group.before), value(group.after),
                     group.change.map { RussianFormat.signedDifference($0) } ?? "—"]
                }),
        ]
        text.append(EffectWording.verdict(main, metric: analysis.metric))
        let sensitivity = EffectWording.verdict(analysis.sensitivity, metric: analysis.metric)
        text.append("Если сравнивать со всеми школами вне перечней: " + sensitivity)
        text.append("")
        text.append(
            TextTable.render(
                header: ["Школа", "Группа", "", "\(analysis.from)", "\(analysis.to)"],
                rows: analysis.lines.map { line in
                    [codes[line.schoolID] ?? "", line.group == .supported ? "поддержанная" : "сопоставимая", "",
                     value(line.before), value(line.after)]
                }))
        return text.joined(separator: "\n")
    }
}
