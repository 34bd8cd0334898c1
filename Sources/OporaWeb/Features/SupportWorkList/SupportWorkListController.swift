import Fluent
import OporaData
import OporaDomain
import Vapor

/// A curator's own work list (`/support/mine`).
struct SupportWorkListController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("support", "mine") { req async throws -> HTMLNode in
            SupportWorkListView.page(try await CuratorWorkModel.build(req), try req.pageContext())
        }
    }
}
