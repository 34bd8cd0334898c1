import OporaDomain
import Vapor

struct DatabaseCheckController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("check", use: show)
    }

    /// 404 for those who do not see the check (as for anything outside a user's scope).
    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        guard let model = try await DatabaseCheckModel.build(req) else { throw Abort(.notFound) }
        return DatabaseCheckView.page(model, try req.pageContext())
    }
}
