import Fluent
import OporaData
import OporaDomain
import Vapor

struct CriteriaController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("criteria") { req async throws -> HTMLNode in
            CriteriaPageView.page(try await CriteriaPageModel.build(req), try req.pageContext())
        }
        routes.post("criteria", use: save)
    }

    struct Form: Content { var text: String }

    @Sendable func save(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        if case .schools = user.scope { throw Abort(.forbidden) }
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        let text = try req.content.decode(Form.self).text
        do {
            let saved = try await CriteriaRepository(db: req.db).save(year: year, scope: user.scope, text: text, actor: user.actor)
            return req.redirect(to: "/criteria?year=\(year)", flash: .success, "Сохранена версия \(saved.version)")
        } catch let error as CriteriaError {
            // Invalid text is shown again with every problem, so nothing typed is lost.
            return try await CriteriaPageView.page(try await CriteriaPageModel.build(req, text: text, error: error.description), try req.pageContext())
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
