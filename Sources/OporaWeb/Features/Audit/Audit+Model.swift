import Fluent
import OporaData
import OporaDomain
import Vapor

struct AuditModel: Sendable {
    let entries: [AuditEntryModel]
    let page: Int
    let hasMore: Bool
    /// One school's entries only (`?school=`, the school card's link), within the scope like the rest.
    var schoolID: Int? = nil
    /// Who made each change, by name rather than login (`ActorNames`).
    var names = ActorNames(names: [:])
    static let pageSize = 100
    /// Changes listed per entry on the list; the rest are on the entry's own page.
    static let changesShown = 8

    static func build(_ req: Request) async throws -> AuditModel {
        let user = try req.require(\.canViewAudit)
        let page = try req.queryInt("page", in: InputRange.page, "страница") ?? 1
        let schoolID = try req.queryInt("school", in: InputRange.id, "школа")
        var query = ScopeQueries.auditEntries(user.scope, on: req.db)
        if let schoolID { query = query.filter(\.$schoolID == schoolID) }
        let entries = try await query.sort(\.$at, .descending).sort(\.$id, .descending)
            .range((page - 1) * pageSize ..< page * pageSize + 1).all()
        return AuditModel(entries: Array(entries.prefix(pageSize)), page: page, hasMore: entries.count > pageSize,
                          schoolID: schoolID, names: try await req.actorNames)
    }
}

/// One entry of the log with every change it holds (an import of a region lists hundreds).
struct AuditEntryPageModel {
    let entry: AuditEntryModel
    var names = ActorNames(names: [:])

    static func build(_ req: Request) async throws -> AuditEntryPageModel {
        let user = try req.require(\.canViewAudit)
        let id = try req.intParameter("id")
        guard let entry = try await ScopeQueries.auditEntries(user.scope, on: req.db).filter(\.$id == id).first() else {
            throw Abort(.notFound, reason: "Запись журнала не найдена")
        }
        return AuditEntryPageModel(entry: entry, names: try await req.actorNames)
    }
}
