import OporaData
import OporaDomain

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
