import Fluent
import OporaData
import OporaDomain
import Vapor

struct AuditModel {
    let entries: [AuditEntryModel]
    let page: Int
    let hasMore: Bool
    static let pageSize = 100

    static func build(_ req: Request) async throws -> AuditModel {
        let user = try req.require(\.canViewAudit)
        let page = try req.queryInt("page", in: InputRange.page, "страница") ?? 1
        let entries = try await ScopeQueries.auditEntries(user.scope, on: req.db)
            .sort(\.$at, .descending).sort(\.$id, .descending)
            .range((page - 1) * pageSize ..< page * pageSize + 1).all()
        return AuditModel(entries: Array(entries.prefix(pageSize)), page: page, hasMore: entries.count > pageSize)
    }
}
