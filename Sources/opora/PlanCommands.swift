import ArgumentParser
import Foundation
import OporaData
import OporaDomain

/// Opens the store, finds the programme by code, runs `body`, and closes the store whatever happens.
private func withProgramme<T>(_ code: String, _ database: DatabaseOptions,
                              _ body: (PlanRepository, PlanModel) async throws -> T) async throws -> T {
    let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
    do {
        let result = try await body(PlanRepository(db: store.db), try await ReportCommand.programme(code, on: store.db))
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

private func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

struct RoadmapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roadmap",
        abstract: "Дорожная карта программы: мероприятия, сроки как написаны и прочитанные даты, статусы.")

    @Option(help: "Код программы") var programme: String
    @Option(name: .customLong("due-from"), help: "Только сроки с этой даты (ДД.ММ.ГГГГ или ГГГГ-ММ-ДД)") var dueFrom: String?
    @Option(name: .customLong("due-to"), help: "Только сроки по эту дату включительно") var dueTo: String?
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup var database: DatabaseOptions

    struct Line: Encodable {
        let programme: String
        let number: String
        let section: String
        let measure: String
        let deadline: String
        let kind: String
        let due: [String]
        let status: String
        let responsible: String?
        let progress: String
    }

    func window() throws -> ClosedRange<CalendarDay>? {
        func day(_ text: String?, _ name: String) throws -> CalendarDay? {
            guard let text else { return nil }
            guard let day = CalendarDay(parsing: text) else { throw ValidationError("\(name): «\(text)» — \(CalendarDay.expected)") }
            return day
        }
        let from = try day(dueFrom, "--due-from"), to = try day(dueTo, "--due-to")
        if from == nil && to == nil { return nil }
        let lower = from ?? CalendarDay(year: 1, month: 1, day: 1), upper = to ?? CalendarDay(year: 9999, month: 12, day: 31)
        guard lower <= upper else { throw ValidationError("--due-from позже --due-to") }
        return lower...upper
    }

    func validate() throws { _ = try window() }

    func run() async throws {
        let window = try window()
        let today = CalendarDay.today()
        let lines: [Line] = try await withProgramme(programme, database) { repository, programme in
            return RoadmapRow.rows(try await repository.measures(programme.id!), period: programme.period, today: today).compactMap { row in
                var due = row.reading.due
                if let window {
                    due = due.filter(window.contains)
                    if due.isEmpty { return nil }
                }
                let measure = row.measure
                return Line(
                    programme: programme.code, number: measure.number, section: measure.section, measure: measure.measure,
                    deadline: measure.deadline, kind: row.reading.kind.rawValue, due: due.map(\.iso), status: measure.status.rawValue,
                    responsible: measure.responsible, progress: row.progress.rawValue)
            }
        }
        switch format {
        case .json: try printJSON(lines)
        case .csv:
            print(
                CSVText.line(["programme", "section", "number", "measure", "deadline", "kind", "due", "status", "responsible", "progress"]))
            for line in lines {
                print(
                    CSVText.line([
                        line.programme, line.section, line.number, line.measure, line.deadline, line.kind, line.due.joined(separator: " "),
                        line.status, line.responsible ?? "", line.progress,
                    ]))
            }
        case .table:
            if lines.isEmpty {
                print(
                    window == nil
                        ? "В дорожной карте нет мероприятий: загрузите её командой opora import roadmap ФАЙЛ." : "В этот период сроков нет."
                )
            }
            for line in lines {
                // An unread or missing deadline waits for a person's date, as the roadmap page says.
                let kind = line.kind == Deadline.Kind.unparsed.rawValue ? "нужна дата"
                    : Deadline.Kind(rawValue: line.kind)?.russianName ?? line.kind
                let dates = line.due.compactMap(CalendarDay.init(parsing:)).map(\.russian)
                let shown =
                    dates.count > 6 ? dates.prefix(6).joined(separator: ", ") + " … (всего \(dates.count))" : dates.joined(separator: ", ")
                let progress = MeasureProgress(rawValue: line.progress)?.russianName ?? line.progress
                print(
                    "\(line.number)\t\(line.measure.prefix(70))\t«\(line.deadline)» → " +
                    "\(kind)\(shown.isEmpty ? "" : ": \(shown)")\t\(progress)"
                )
            }
        }
    }
}

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score",
        abstract: "Оценка эффективности программы за год по рубрике: наличие 0–2, динамика 0–3, документальное подтверждение 0–2.")

    @Option(help: "Код программы") var programme: String
    @Option(help: "Год") var year: Int
    @Option(help: "Формат: table, json или csv") var format = OutputFormat.table
    @OptionGroup var database: DatabaseOptions

    func validate() throws { try Ranges.check(year, InputRange.year, "--year") }

    struct IndicatorLine: Encodable {
        let code: String
        let name: String
        let value: Double?
        let target: Double?
        let presence: Int?
        let dynamics: Int?
        let documentation: Int?
        let points: Int?
        /// What Opora computes for an indicator with a formula, and the note when an entered value contradicts it.
        let computed: Double?
        let note: String?
    }

    struct Output: Encodable {
        let programme: String
        let year: Int
        let total: Int
        let maximum: Int
        let level: String
        let bands: [String: Int]
        let warnings: [String]
        let indicators: [IndicatorLine]
    }

    func run() async throws {
        let output: Output = try await withProgramme(programme, database) { repository, programme in
            let (lines, score) = try await repository.score(programme, year: year)
            let bands = programme.bands
            return Output(
                programme: programme.code, year: year, total: score.total, maximum: score.maximum, level: score.level.rawValue,
                bands: ["high": bands.high, "medium": bands.medium, "satisfactory": bands.satisfactory], warnings: score.unreachable,
                indicators: lines.map {
                    IndicatorLine(
                        code: $0.code, name: $0.name, value: $0.value, target: $0.target, presence: $0.points?.presence,
                        dynamics: $0.points?.dynamics, documentation: $0.points?.documentation, points: $0.total,
                        computed: $0.computed?.rate, note: $0.disagreement)
                })
        }
        switch format {
        case .json: try printJSON(output)
        case .csv:
            print(
                CSVText.line([
                    "programme", "year", "indicator", "name", "value", "target", "presence", "dynamics", "documentation", "points",
                ]))
            func text(_ value: Int?) -> String { value.map(String.init) ?? "" }
            for line in output.indicators {
                print(
                    CSVText.line([
                        output.programme, String(year), line.code, line.name, line.value.map { "\($0)" } ?? "",
                        line.target.map { "\($0)" } ?? "",
                        text(line.presence), text(line.dynamics), text(line.documentation), text(line.points),
                    ]))
            }
            print(CSVText.line([output.programme, String(year), "total", "итого", "", "", "", "", "", String(output.total)]))
        case .table:
            let level = EffectivenessLevel(rawValue: output.level)?.russianName ?? output.level
            print("Программа \(output.programme), \(year) год: \(output.total) из \(output.maximum) баллов — уровень «\(level)»")
            for warning in output.warnings { print("Внимание: \(warning)") }
            for line in output.indicators {
                let value = line.value.map { RussianFormat.number($0) } ?? "—"
                print("\(line.code)\t\(line.name.prefix(70))\t\(value)\t\(line.points.map { "\($0) б." } ?? "не оценён")")
                if let note = line.note { print("\t\(note)") }
            }
        }
    }
}
