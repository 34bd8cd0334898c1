import OporaData
import Vapor

struct SearchController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("search") { req async throws -> HTMLNode in
            SearchView.page(try await SearchModel.build(req), try req.pageContext())
        }
    }
}
