import OporaData
import OporaDomain
import Vapor

/// The last outcome of the database check, for the analyst's start page (a short panel) and its own page.
struct DatabaseCheckModel: Sendable {
    let report: DatabaseCheckReport?
    let now: Date

    var isStale: Bool { report.map { now.timeIntervalSince($0.finishedAt) > DatabaseCheckRules.staleAfter } ?? false }

    /// Read outside the page cache: the check writes no audit row, so the data version does not change with it.
    static func build(_ req: Request) async throws -> DatabaseCheckModel? {
        let user = try req.user
        guard DatabaseCheckRules.visible(to: user.role) else { return nil }
        return DatabaseCheckModel(report: try await DatabaseCheckStore(db: req.db).latest(), now: Date())
    }
}
