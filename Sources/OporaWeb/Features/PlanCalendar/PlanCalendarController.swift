import Fluent
import OporaData
import OporaDomain
import Vapor

struct PlanCalendarController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("plans", ":id", "calendar") { req async throws -> HTMLNode in
            let id = try req.intParameter("id")
            return PlansView.calendar(try await req.cachedModel { try await RoadmapCalendarModel.build($0, id: id) }, try req.pageContext())
        }
    }
}
