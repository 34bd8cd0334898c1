import Fluent
import Foundation
import OporaData
import OporaDomain
import Vapor

/// Upload in the browser: the file is checked and imported inside a transaction that is rolled back, the user
/// sees what would change (or every error with its line), and only then commits.
struct ImportsController {
    /// The multipart body around the largest file accepted.
    static let maximumBody = ImportLimits.standard.fileBytes + (1 << 20)

    func register(_ routes: any RoutesBuilder) {
        routes.get("imports", use: form)
        routes.on(.POST, "imports", "preview", body: .collect(maxSize: ByteCount(value: Self.maximumBody)), use: preview)
        routes.post("imports", "commit", use: commit)
    }

    @Sendable func form(_ req: Request) async throws -> HTMLNode {
        let user = try req.require(\.canImport)
        var model = try await ImportFormModel.build(req, user: user)
        // Back from a refused check, the kind and programme stay chosen; only the file is picked again.
        if let kind = (try? req.query.get(String.self, at: "kind")).flatMap(ImportKind.init(rawValue:)) { model.kind = kind }
        if let code = try? req.query.get(String.self, at: "programme"), model.programmes.contains(where: { $0.code == code }) {
            model.programme = code
        }
        return ImportsView.form(model, try req.pageContext())
    }

    /// `programme`: for a roadmap, the programme a plan as printed is loaded into (empty: the file names it).
    struct Upload: Content { var kind: String; var file: File; var programme: String? }

    /// A programme code from the form, or nil for none (and for kinds other than a roadmap).
    static func programme(_ text: String?, kind: ImportKind) throws -> String? {
        guard kind == .roadmap, let code = text?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
        guard code.count <= 40 else { throw RepositoryError.invalid(field: "Программа", message: "Выберите программу из списка") }
        return code
    }

    /// The upload form again (422) with the kind and programme as chosen, the reason beside its field, the refused
    /// file's problems over it; the file itself must be chosen again (a browser never keeps it).
    func refused(_ req: Request, user: CurrentUser, _ check: FormCheck, message: String, problems: [String] = [])
    async throws -> Response {
        var model = try await ImportFormModel.build(req, user: user)
        model.echo = check.echo(action: ImportFormModel.action, message: message)
        model.problems = problems
        return try await ImportsView.form(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
    }

    @Sendable func preview(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        guard let upload = try? req.content.decode(Upload.self) else {
            var check = FormCheck(req.formValues(), today: req.today)
            check.refuse("file", "Выберите файл")
            return try await refused(req, user: user, check, message: "Файл не выбран")
        }
        var check = FormCheck(["kind": upload.kind, "programme": upload.programme ?? ""], today: req.today)
        guard let kind = check.choice("kind", ImportKind.self) else {
            return try await refused(req, user: user, check, message: "Не проверено: выберите, что загружаем")
        }
        let fileName = Self.safeFileName(upload.file.filename)
        let bytes = [UInt8](buffer: upload.file.data)
        let programme: String?
        do { programme = try Self.programme(upload.programme, kind: kind) } catch {
            check.refuse("programme", "Выберите программу из списка")
            return try await refused(req, user: user, check, message: "Не проверено: выберите программу из списка")
        }
        var model = try await ImportPreviewModel.build(req, user: user, kind: kind, programme: programme, bytes: bytes, fileName: fileName)
        let status: HTTPStatus = { if case .rejected = model.outcome { return .unprocessableEntity } else { return .ok } }()
        if status == .unprocessableEntity {
            var again = try await ImportFormModel.build(req, user: user)
            again.kind = kind
            again.programme = programme ?? ""
            again.askFileAgain = true
            model.again = again
        }
        return try await ImportsView.preview(model, try req.pageContext()).encodeResponse(status: status, for: req)
    }

    struct Commit: Content { var token: String; var kind: String; var file_name: String; var programme: String? }

    @Sendable func commit(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode(Commit.self)
        var check = FormCheck(["kind": form.kind, "programme": form.programme ?? ""], today: req.today)
        guard let kind = check.choice("kind", ImportKind.self) else {
            return try await refused(req, user: user, check, message: "Не загружено: выберите, что загружаем")
        }
        let fileName = Self.safeFileName(form.file_name)
        let bytes = try PendingUploads.take(form.token, userID: user.id)
        do {
            let programme = try Self.programme(form.programme, kind: kind)
            let parsed = try await ImportRunner.parse(req, kind: kind, programme: programme, bytes: bytes, fileName: fileName)
            let summary = try await Importer(db: req.db, actor: user.actor, scope: user.scope).write(parsed)
            let next: String
            switch kind {
            case .schools: next = "/schools"
            case .risks: next = "/risks"
            case .programmes, .roadmap, .indicators, .indicatorValues: next = "/plans"
            default: next = "/results"
            }
            return req.redirect(to: next, flash: .success, "«\(fileName)» загружен: \(summary.russianDescription)")
        } catch let rejected as ImportRejected {
            // The data changed since the check (or the file was checked against other data): nothing is written,
            // the form comes back with the kind and programme chosen and every problem listed.
            check.refuse("file", "Выберите файл снова: браузер не сохраняет выбранный файл")
            let message = "Файл «\(fileName)» не принят: ошибок \(rejected.errorCount). "
                + "Ничего не изменено — исправьте файл и загрузите снова."
            return try await refused(req, user: user, check, message: message,
                                     problems: ImportFormModel.problems(rejected, kind: kind, fileName: fileName))
        }
    }

    /// The name as the user knows it, without any folder and kept short (it appears in messages and the log).
    static func safeFileName(_ name: String) -> String {
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String.UnicodeScalarView()
        cleaned.append(contentsOf: base.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(120))
        return cleaned.isEmpty ? "файл" : String(cleaned)
    }
}
