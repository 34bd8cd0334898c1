import Fluent
import OporaData
import OporaDomain
import Vapor

/// «Сегодня»: what waits for the signed-in user (`TodayList` over `TodayRepository`'s facts in the user's scope).
struct TodayModel: Sendable {
    let greeting: String
    let scopeLabel: String
    let role: Role
    let day: CalendarDay
    let items: [TodayItem]

    var lateCount: Int { items.filter(\.late).count }

    /// The groups in the rule's order, each with its items.
    var groups: [(task: TodayTask, items: [TodayItem])] {
        TodayTask.allCases.compactMap { task in
            let group = items.filter { $0.task == task }
            return group.isEmpty ? nil : (task, group)
        }
    }

    static func build(_ req: Request) async throws -> TodayModel {
        let user = try req.user
        return TodayModel(greeting: DocumentSignature.personName(fullName: user.fullName, login: user.login) ?? user.fullName,
                          scopeLabel: user.scopeLabel, role: user.role, day: req.today, items: try await items(req))
    }

    /// The user's items, computed once per data version, day, role and scope (the badge asks on every page).
    static func items(_ req: Request) async throws -> [TodayItem] {
        let user = try req.user
        let db = req.db, day = req.today
        return try await req.derived.cached(["today", user.role, user.scope, day.iso]) {
            try await TodayRepository(db: db).items(role: user.role, scope: user.scope, today: day)
        }
    }
}

/// Counts the user's «Сегодня» for the menu's badge on every page of a signed-in user.
struct TodayBadgeMiddleware: AsyncMiddleware {
    struct CountKey: StorageKey { typealias Value = Int }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .GET, request.auth.has(CurrentUser.self), !request.url.path.hasPrefix("/api/"),
           let items = try? await TodayModel.items(request) {
            request.storage[CountKey.self] = items.count
        }
        return try await next.respond(to: request)
    }
}
