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
        return ImportsView.form(try await ImportFormModel.build(req, user: user), try req.pageContext())
    }

    /// `programme`: for a roadmap, the programme a plan as printed is loaded into (empty: the file names it).
    struct Upload: Content { var kind: String; var file: File; var programme: String? }

    /// A programme code from the form, or nil for none (and for kinds other than a roadmap).
    static func programme(_ text: String?, kind: ImportKind) throws -> String? {
        guard kind == .roadmap, let code = text?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
        guard code.count <= 40 else { throw Abort(.badRequest, reason: "Слишком длинный код программы") }
        return code
    }

    @Sendable func preview(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let upload = try req.content.decode(Upload.self)
        guard let kind = ImportKind(rawValue: upload.kind) else { throw Abort(.badRequest, reason: "Неизвестный вид данных") }
        let fileName = Self.safeFileName(upload.file.filename)
        let bytes = [UInt8](buffer: upload.file.data)
        let programme = try Self.programme(upload.programme, kind: kind)
        let model = try await ImportPreviewModel.build(req, user: user, kind: kind, programme: programme, bytes: bytes, fileName: fileName)
        let status: HTTPStatus = { if case .rejected = model.outcome { return .unprocessableEntity } else { return .ok } }()
        return try await ImportsView.preview(model, try req.pageContext()).encodeResponse(status: status, for: req)
    }

    struct Commit: Content { var token: String; var kind: String; var file_name: String; var programme: String? }

    @Sendable func commit(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode(Commit.self)
        guard let kind = ImportKind(rawValue: form.kind) else { throw Abort(.badRequest, reason: "Неизвестный вид данных") }
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
            let problems = rejected.errors.prefix(3).map { issue in
                let shown = issue.forOfficial(kind)
                return "\(shown.place)" + (shown.column.isEmpty ? "" : ", «\(shown.column)»") + ": \(shown.message)"
            }
            return req.redirect(to: "/imports", flash: .error, "Файл не принят: " + problems.joined(separator: "; "))
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
