import OporaData
import OporaDomain

enum AuditView {
    static func page(_ model: AuditModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Журнал изменений", context, active: .audit) {
            el("h1") { "Журнал изменений" }
            el("p", .class("lead")) { "Кто, когда и что изменил: было → стало." }
            table(model.entries, names: model.names)
            let school = model.schoolID.map { "school=\($0)&" } ?? ""
            el("div", .class("toolbar")) {
                if model.page > 1 { el("a", .href("/audit?\(school)page=\(model.page - 1)")) { "← Новее" } }
                el("span", .class("spacer"))
                if model.hasMore { el("a", .href("/audit?\(school)page=\(model.page + 1)")) { "Старше →" } }
            }
        }
    }

    static func entry(_ model: AuditEntryPageModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Запись журнала", context, active: .audit) {
            el("h1") { "Запись журнала изменений" }
            el("p", .class("lead")) { "\(RussianFormat.dateTime(model.entry.at)), \(model.names(model.entry.actor))" }
            el("p") { model.entry.summary }
            changes(AuditLog.decodeChanges(model.entry), limit: nil)
            el("p") { el("a", .href("/audit")) { "← К журналу" } }
        }
    }

    static func changes(_ list: [FieldChange], limit: Int?, entryID: Int? = nil) -> HTMLNode {
        guard !list.isEmpty else { return .empty }
        return el("ul", .class("changes")) {
            list.prefix(limit ?? list.count).map { change in
                el("li") { "\(change.field): \(change.old ?? "—") → \(change.new ?? "—")" }
            }
            if let limit, list.count > limit, let entryID {
                el("li") { el("a", .href("/audit/\(entryID)")) { "… и ещё \(list.count - limit) — все изменения" } }
            }
        }
    }

    static func table(_ entries: [AuditEntryModel], names: ActorNames) -> HTMLNode {
        el("table") {
            el("thead") { el("tr") { el("th") { "Когда" }; el("th") { "Кто" }; el("th") { "Что" } } }
            el("tbody") {
                if entries.isEmpty { UI.emptyRow(3, "Записей нет") }
                entries.map { entry in
                    el("tr") {
                        el("td", .class("num")) { RussianFormat.dateTime(entry.at) }
                        el("td") { names(entry.actor) }
                        el("td") {
                            entry.summary
                            changes(AuditLog.decodeChanges(entry), limit: AuditModel.changesShown, entryID: entry.id)
                        }
                    }
                }
            }
        }
    }
}
