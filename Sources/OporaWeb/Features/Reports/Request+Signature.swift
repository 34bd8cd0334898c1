import Fluent
import OporaData
import OporaDomain
import Vapor

extension Request {
    /// The builder of the documents this user downloads, dated with today's date for this request.
    var reportBuilder: ReportBuilder { ReportBuilder(db: db, prepared: today) }

    /// The document as this user issues it: its executor is the signed-in user — the full name and phone of the
    /// profile («Мой профиль»), never the login.
    func signed(_ document: ReportDocument) async throws -> ReportDocument {
        var document = document
        let stored = try await UserModel.find(try user.id, on: db)
        document.signature?.executor = stored?.executor
        return document
    }

    /// The signature of a document written without the report model (the roadmap's execution report).
    func signature(issuer: String) async throws -> DocumentSignature {
        let stored = try await UserModel.find(try user.id, on: db)
        return DocumentSignature(issuer: issuer, prepared: today, executor: stored?.executor)
    }
}
