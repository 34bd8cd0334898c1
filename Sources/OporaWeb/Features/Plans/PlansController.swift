import Fluent
import OporaData
import OporaDomain
import Vapor

/// The pages of a programme, each in its own folder (list, passport, roadmap, calendar, indicators);
/// this registers them and holds what their actions share.
struct PlansController {
    func register(_ routes: any RoutesBuilder) {
        PlanListController().register(routes)
        PlanPassportController().register(routes)
        RoadmapController().register(routes)
        PlanCalendarController().register(routes)
        PlanIndicatorsController().register(routes)
    }

    /// The programme, refused with 403 unless the user may change it (the scope check of `load` comes first: 404).
    static func changeable(_ req: Request) async throws -> (PlanModel, CurrentUser) {
        let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
        let user = try req.user
        guard plan.canChange(user) else { throw Abort(.forbidden, reason: "Изменять эту программу может её ответственный орган") }
        return (plan, user)
    }

    static func csv(_ header: [String], _ cells: [String]) -> [UInt8] {
        Array((CSVText.line(header) + "\n" + cells.map { CSVText.cell($0) }.joined(separator: ",")).utf8)
    }

    static func message(_ rejected: ImportRejected) -> String {
        rejected.errors.map { "\($0.column): \($0.message)" }.joined(separator: "; ")
    }
}
