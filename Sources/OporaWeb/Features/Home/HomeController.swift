import Vapor

struct HomeController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("overview", use: show)
    }

    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        HomeView.render(try await req.cachedModel(HomeModel.build), try req.pageContext(), check: try await DatabaseCheckModel.build(req))
    }
}
