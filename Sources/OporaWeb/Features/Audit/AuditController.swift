import Vapor

struct AuditController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("audit", use: show)
    }

    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        AuditView.page(try await AuditModel.build(req), try req.pageContext())
    }
}
