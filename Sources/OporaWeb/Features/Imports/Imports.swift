import Fluent
import Foundation
import OporaData
import OporaDomain
import Vapor

/// Upload in the browser: the file is checked and imported inside a transaction that is rolled back,
/// the user sees what would change (or every error with its line), and only then commits.
enum ImportKindChoice: String, CaseIterable {
    case schools, results, scores, thresholds, benchmarks, context

    var russianName: String {
        switch self {
        case .schools: "Реестр школ (schools)"
        case .results: "Результаты по школам (results)"
        case .scores: "Результаты по ученикам (scores)"
        case .thresholds: "Пороговые баллы (thresholds)"
        case .benchmarks: "Показатели для сравнения: МО, регион, Россия (benchmarks)"
        case .context: "Контекстные данные: соцпаспорт, ИСБШ, группа качества (context)"
        }
    }
}

struct ImportPreviewModel {
    enum Outcome {
        case ready(ImportSummary)
        case rejected(ImportRejected)
    }

    let kind: ImportKindChoice
    let fileName: String
    let token: String
    let outcome: Outcome
}

/// Rolls back the dry run after the importer has done (and counted) everything.
struct DryRunFinished: Error { let summary: ImportSummary }

enum ImportRunner {
    static func run(_ kind: ImportKindChoice, bytes: [UInt8], fileName: String, user: CurrentUser, on db: any Database) async throws -> ImportSummary {
        switch kind {
        case .schools:
            return try await SchoolImporter(db: db, actor: user.actor, scope: user.scope).importFile(bytes: bytes, fileName: fileName)
        case .results, .scores, .thresholds, .benchmarks, .context:
            return try await ResultsImporter(db: db, actor: user.actor, scope: user.scope)
                .importFile(kind: ResultsImporter.Kind(rawValue: kind.rawValue)!, bytes: bytes, fileName: fileName)
        }
    }

    static func preview(_ kind: ImportKindChoice, bytes: [UInt8], fileName: String, user: CurrentUser, on db: any Database) async throws -> ImportPreviewModel.Outcome {
        do {
            try await db.transaction { tx in
                let summary = try await run(kind, bytes: bytes, fileName: fileName, user: user, on: tx)
                throw DryRunFinished(summary: summary)
            }
            return .ready(ImportSummary())
        } catch let finished as DryRunFinished {
            return .ready(finished.summary)
        } catch let rejected as ImportRejected {
            return .rejected(rejected)
        }
    }
}

/// Uploaded files wait here between preview and commit (bound to the user, removed after use).
enum PendingUploads {
    static var directory: URL { FileManager.default.temporaryDirectory.appendingPathComponent("opora-uploads", isDirectory: true) }

    /// A preview nobody committed within a day is dropped the next time anyone uploads.
    static let lifetime: TimeInterval = 24 * 3600

    static func store(_ bytes: [UInt8], userID: Int) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        removeStale(now: Date())
        let token = "\(userID)-" + [UInt8].random(count: 16).map { String(format: "%02x", $0) }.joined()
        try Data(bytes).write(to: directory.appendingPathComponent(token))
        return token
    }

    static func removeStale(now: Date) {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for file in files {
            guard let modified = try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate,
                  now.timeIntervalSince(modified) > lifetime else { continue }
            try? FileManager.default.removeItem(at: file)
        }
    }

    static func take(_ token: String, userID: Int) throws -> [UInt8] {
        guard token.hasPrefix("\(userID)-"), token.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { throw Abort(.forbidden) }
        let url = directory.appendingPathComponent(token)
        guard let bytes = FileBytes.read(url.path) else {
            throw Abort(.gone, reason: "Файл для загрузки не найден (уже загружен или устарел). Выберите его снова.")
        }
        try? FileManager.default.removeItem(at: url)
        return bytes
    }
}

enum ImportsView {
    static func form(_ context: PageContext) -> HTMLNode {
        Layout.page("Загрузка данных", context, active: .imports) {
            el("h1") { "Загрузка данных" }
            el("p", .class("lead")) {
                "CSV (UTF-8 или Windows-1251, разделитель «,» или «;», русские или английские заголовки) или XLSX (первый лист). "
                "Сначала вы увидите, что изменится; в базу ничего не попадёт, пока вы не подтвердите."
            }
            el("form", .class("stack"), .method("post"), .action("/imports/preview"), Attr("enctype", "multipart/form-data")) {
                Layout.csrfField(context.csrf)
                UI.select("Что загружаем", name: "kind", options: ImportKindChoice.allCases.map { ($0.rawValue, $0.russianName) }, selected: "results", required: true)
                el("label") { el("span") { "Файл *" }; el("input", .type("file"), .name("file"), .required, Attr("accept", ".csv,.txt,.xlsx")) }
                el("div", .class("actions")) { el("button", .type("submit")) { "Проверить" } }
            }
        }
    }

    static func preview(_ model: ImportPreviewModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Проверка файла", context, active: .imports) {
            el("h1") { "Проверка файла «\(model.fileName)»" }
            switch model.outcome {
            case .ready(let summary):
                el("div", .class("flash success")) {
                    "Файл прошёл проверку. Будет: \(summary.russianDescription). Пока ничего не записано."
                }
                if !summary.warnings.isEmpty {
                    el("h2") { "Предупреждения" }
                    el("ul") { summary.warnings.map { warning in el("li") { warning.description } } }
                }
                el("form", .class("row"), .method("post"), .action("/imports/commit")) {
                    Layout.csrfField(context.csrf)
                    el("input", .type("hidden"), .name("token"), .value(model.token))
                    el("input", .type("hidden"), .name("kind"), .value(model.kind.rawValue))
                    el("input", .type("hidden"), .name("file_name"), .value(model.fileName))
                    el("button", .type("submit")) { "Загрузить в базу" }
                    el("a", .class("button secondary"), .href("/imports")) { "Отмена" }
                }
            case .rejected(let rejected):
                el("div", .class("flash error"), Attr("role", "alert")) {
                    "Файл не принят: ошибок \(rejected.errorCount). Ничего не изменено — исправьте файл и загрузите снова."
                }
                el("table") {
                    el("thead") { el("tr") { el("th", .class("num")) { "Строка" }; el("th") { "Столбец" }; el("th") { "Что не так" } } }
                    el("tbody") {
                        rejected.issues.map { issue in
                            el("tr") {
                                el("td", .class("num")) { String(issue.line) }
                                el("td") { issue.column }
                                el("td") { (issue.severity == .warning ? "предупреждение: " : "") + issue.message }
                            }
                        }
                    }
                }
                el("p") { el("a", .class("button"), .href("/imports")) { "Выбрать другой файл" } }
            }
        }
    }
}

struct ImportsController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("imports", use: form)
        routes.on(.POST, "imports", "preview", body: .collect(maxSize: "200mb"), use: preview)
        routes.post("imports", "commit", use: commit)
    }

    @Sendable func form(_ req: Request) async throws -> HTMLNode {
        _ = try req.require(\.canImport)
        return ImportsView.form(try req.pageContext())
    }

    struct Upload: Content { var kind: String; var file: File }

    @Sendable func preview(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let upload = try req.content.decode(Upload.self)
        guard let kind = ImportKindChoice(rawValue: upload.kind) else { throw Abort(.badRequest, reason: "Неизвестный вид данных") }
        let bytes = [UInt8](buffer: upload.file.data)
        let fileName = (upload.file.filename as NSString).lastPathComponent
        let outcome = try await ImportRunner.preview(kind, bytes: bytes, fileName: fileName, user: user, on: req.db)
        let token = try PendingUploads.store(bytes, userID: user.id)
        let status: HTTPStatus = { if case .rejected = outcome { return .unprocessableEntity } else { return .ok } }()
        return try await ImportsView.preview(ImportPreviewModel(kind: kind, fileName: fileName, token: token, outcome: outcome), try req.pageContext())
            .encodeResponse(status: status, for: req)
    }

    struct Commit: Content { var token: String; var kind: String; var file_name: String }

    @Sendable func commit(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode(Commit.self)
        guard let kind = ImportKindChoice(rawValue: form.kind) else { throw Abort(.badRequest) }
        let bytes = try PendingUploads.take(form.token, userID: user.id)
        do {
            let summary = try await ImportRunner.run(kind, bytes: bytes, fileName: form.file_name, user: user, on: req.db)
            return req.redirect(to: kind == .schools ? "/schools" : "/results", flash: .success, "«\(form.file_name)» загружен: \(summary.russianDescription)")
        } catch let rejected as ImportRejected {
            return req.redirect(to: "/imports", flash: .error, "Файл не принят: " + rejected.errors.prefix(3).map(\.description).joined(separator: "; "))
        }
    }
}
