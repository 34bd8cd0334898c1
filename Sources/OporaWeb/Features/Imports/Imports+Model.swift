import Fluent
import OporaData
import OporaDomain
import Vapor

/// The upload form: the kinds, and the programmes a plan as printed may be loaded into.
struct ImportFormModel {
    /// Code and «code — name» of each programme the user may change.
    let programmes: [(code: String, label: String)]
    /// A refused upload shown again: the kind and programme as chosen, the reason beside its field.
    var echo: FormEcho? = nil
    /// The refused file's problems, each as `FILE:LINE: column: message` with the column's Russian name.
    var problems: [String] = []
    /// The kind and programme chosen before (`/imports?kind=…&programme=…`, the way back from a refused check).
    var kind = ImportKind.results
    var programme = ""
    /// The file was refused at its check: the form asks for it again beside the file field.
    var askFileAgain = false

    static let action = "/imports/preview"

    static func build(_ req: Request, user: CurrentUser) async throws -> ImportFormModel {
        let programmes = try await PlanRepository(db: req.db).programmes(user.scope)
            .filter { ProgrammeAccess.canChange($0.place, role: user.role, scope: user.scope) }
        return ImportFormModel(programmes: programmes.map { ($0.code, "\($0.code) — \($0.name)") })
    }

    /// A refused file's errors as an official reads them, the file named on each line.
    static func problems(_ rejected: ImportRejected, kind: ImportKind, fileName: String) -> [String] {
        rejected.errors.map { issue in
            let shown = issue.forOfficial(kind)
            let place = issue.line > 0 ? "\(fileName):\(issue.line)" : fileName
            return ([place] + (shown.column.isEmpty ? [] : [shown.column]) + [shown.message]).joined(separator: ": ")
        }
    }
}

/// What an upload would do: the summary of a dry run, or every problem with its line; for a roadmap, what each row
/// becomes.
struct ImportPreviewModel {
    enum Outcome {
        case ready(ImportSummary, token: String)
        case rejected(ImportRejected)
    }

    /// One measure of a roadmap as it will be stored, with its deadline read within the programme's dates.
    struct MeasureLine {
        let line: Int
        let section: String
        let number: String
        let measure: String
        let deadline: String
        /// «срок: 30.04.2021», «регулярно: 31.03.2020 … 31.12.2020 (4 срока)», or «нужна дата».
        let reading: String
        let needsDate: Bool
    }

    /// Rows shown in the preview; a longer roadmap shows its first ones and says how many there are.
    static let shownMeasures = 500

    /// A refused file's page carries the upload form again, its kind and programme still chosen.
    var again: ImportFormModel? = nil
    let kind: ImportKind
    let fileName: String
    /// The programme a plan as printed is loaded into.
    let programme: String?
    let outcome: Outcome
    var measures: [MeasureLine] = []
    var measureCount = 0
    /// Row by row what the file changes (the kinds with a natural key), first `ImportChanges.shown` of each list.
    var changes: ImportChanges? = nil

    /// Reads the file on the import thread (no database connection held), then plans it (`Importer.plan`: what
    /// it needs read once up front, no transaction), so the summary counts exactly what the commit would do.
    static func build(_ req: Request, user: CurrentUser, kind: ImportKind, programme: String?, bytes: [UInt8],
                      fileName: String) async throws -> ImportPreviewModel {
        do {
            let parsed = try await ImportRunner.parse(req, kind: kind, programme: programme, bytes: bytes, fileName: fileName)
            let summary = try await Importer(db: req.db, actor: user.actor, scope: user.scope).plan(parsed)
            let token = try PendingUploads.store(bytes, userID: user.id)
            var model = ImportPreviewModel(kind: kind, fileName: fileName, programme: programme, outcome: .ready(summary, token: token))
            model.changes = try await ImportChangesReader(db: req.db, scope: user.scope).changes(parsed)
            if case .roadmap(let records) = parsed.content {
                model.measureCount = records.count
                model.measures = try await lines(Array(records.prefix(shownMeasures)), on: req.db)
            }
            return model
        } catch let rejected as ImportRejected {
            return ImportPreviewModel(kind: kind, fileName: fileName, programme: programme, outcome: .rejected(rejected))
        }
    }

    /// Each record's deadline read as `opora roadmap` will read it: within its programme's start and end dates
    /// (the programmes read in one query).
    static func lines(_ records: [RoadmapRecord], on db: any Database) async throws -> [MeasureLine] {
        var periods: [String: DatePeriod] = [:]
        let codes = Array(Set(records.map(\.programme)))
        for plan in codes.isEmpty ? [] : try await PlanModel.query(on: db).filter(\.$code ~~ codes).all() {
            periods[plan.code] = plan.period
        }
        return records.map { record in
            let deadline = periods[record.programme].map { DeadlineReader.read(record.deadline, year: record.year, period: $0) }
            let needsDate = deadline?.kind == .unparsed
            return MeasureLine(line: record.line, section: record.section, number: record.number, measure: record.measure,
                               deadline: record.deadline, reading: needsDate ? "нужна дата" : deadline.map(describe) ?? "",
                               needsDate: needsDate)
        }
    }

    static func describe(_ deadline: Deadline) -> String {
        let dates = deadline.due.map(\.russian)
        let shown = dates.count > 4
            ? "\(dates[0]) … \(dates[dates.count - 1]) (\(dates.count) \(RussianFormat.plural(dates.count, "срок", "срока", "сроков")))"
            : dates.joined(separator: ", ")
        var text = deadline.kind.russianName + (shown.isEmpty ? "" : ": \(shown)")
        if !deadline.outside.isEmpty { text += "; вне срока программы: " + deadline.outside.map(\.russian).joined(separator: ", ") }
        return text
    }
}

enum ImportRunner {
    /// `programme` (roadmaps only) reads the file as a plan as printed for that programme.
    static func parse(_ req: Request, kind: ImportKind, programme: String? = nil, bytes: [UInt8],
                      fileName: String) async throws -> ParsedFile {
        let catalogues = try await ImportParser.catalogues(on: req.db, for: kind)
        return try await req.application.importWorkers.parse(kind, bytes: bytes, fileName: fileName,
                                                             programme: kind == .roadmap ? programme : nil, catalogues: catalogues)
    }
}

extension ImportPreviewModel {
    /// The upload page with this file's kind and programme still chosen: a refused file is picked again, nothing else.
    var againPath: String {
        var components = URLComponents()
        components.path = "/imports"
        components.queryItems = [URLQueryItem(name: "kind", value: kind.rawValue)]
            + (programme.map { [URLQueryItem(name: "programme", value: $0)] } ?? [])
        return components.string ?? "/imports"
    }
}
