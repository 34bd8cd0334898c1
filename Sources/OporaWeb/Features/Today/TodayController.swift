import Vapor

/// `/` — «Сегодня», the start page of every role; the former start page is `/overview`.
struct TodayController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(use: show)
    }

    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        TodayView.render(try await TodayModel.build(req), try req.pageContext())
    }
}
