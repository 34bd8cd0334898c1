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
        let page = max(1, (try? req.query.get(Int.self, at: "page")) ?? 1)
        let entries = try await ScopeQueries.auditEntries(user.scope, on: req.db)
            .sort(\.$at, .descending).sort(\.$id, .descending)
            .range((page - 1) * pageSize ..< page * pageSize + 1).all()
        return AuditModel(entries: Array(entries.prefix(pageSize)), page: page, hasMore: entries.count > pageSize)
    }
}

enum AuditView {
    static func page(_ model: AuditModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Журнал изменений", context, active: .audit) {
            el("h1") { "Журнал изменений" }
            el("p", .class("lead")) { "Кто, когда и что изменил: было → стало." }
            table(model.entries)
            el("div", .class("toolbar")) {
                if model.page > 1 { el("a", .href("/audit?page=\(model.page - 1)")) { "← Новее" } }
                el("span", .class("spacer"))
                if model.hasMore { el("a", .href("/audit?page=\(model.page + 1)")) { "Старше →" } }
            }
        }
    }

    static func table(_ entries: [AuditEntryModel]) -> HTMLNode {
        el("table") {
            el("thead") { el("tr") { el("th") { "Когда" }; el("th") { "Кто" }; el("th") { "Что" } } }
            el("tbody") {
                if entries.isEmpty { UI.emptyRow(3, "Записей нет") }
                entries.map { entry in
                    el("tr") {
                        el("td", .class("num")) { RussianFormat.dateTime(entry.at) }
                        el("td") { entry.actor }
                        el("td") {
                            entry.summary
                            let changes = AuditLog.decodeChanges(entry)
                            if !changes.isEmpty {
                                el("ul", .class("changes")) {
                                    changes.map { change in
                                        el("li") { "\(change.field): \(change.old ?? "—") → \(change.new ?? "—")" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

struct AuditController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("audit", use: show)
    }

    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        AuditView.page(try await AuditModel.build(req), try req.pageContext())
    }
}
