import Vapor

struct AuditController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("audit", use: show)
        routes.get("audit", ":id") { req async throws -> HTMLNode in
            AuditView.entry(try await AuditEntryPageModel.build(req), try req.pageContext())
        }
    }

    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        AuditView.page(try await req.cachedModel(AuditModel.build), try req.pageContext())
    }
}
