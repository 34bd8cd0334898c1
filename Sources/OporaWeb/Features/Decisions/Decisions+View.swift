import Foundation
import OporaData
import OporaDomain

enum DecisionsView {
    static func page(_ model: DecisionsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Управленческие решения", context, active: .decisions) {
            el("h1") { "Управленческие решения" }
            el("p", .class("lead")) {
                "Каждое решение — ответ на находку: показатель не достиг цели, мероприятие просрочено, результаты или риски школы. Кто отвечает, к какому сроку и что получилось."
            }
            el("div", .class("toolbar")) {
                el("a", .href("/decisions?show=open" + (model.programmeFilter.map { "&programme=\($0)" } ?? "")), .when(!model.showAll, .class("active"))) { "исполняются" }
                el("a", .href("/decisions?show=all" + (model.programmeFilter.map { "&programme=\($0)" } ?? "")), .when(model.showAll, .class("active"))) { "все" }
            }
            el("table", .id("decisions")) {
                el("thead") {
                    el("tr") { el("th") { "Основание" }; el("th") { "Решение" }; el("th") { "Ответственный" }; el("th") { "Срок" }; el("th") { "Состояние" } }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(5, model.showAll ? "Решений пока нет" : "Открытых решений нет") }
                    model.rows.map { row in
                        let decision = row.decision
                        return el("tr", .id("d\(decision.id!)")) {
                            el("td") {
                                el("span", .class("tag")) { decision.kind.russianName }
                                el("div") { decision.finding }
                                if let programme = row.programme { el("div", .class("muted")) { programme } }
                            }
                            el("td") {
                                decision.decision
                                el("div", .class("muted")) { "\(model.names(decision.createdBy)), \(RussianFormat.date(decision.createdAt))" }
                            }
                            el("td") { decision.responsible }
                            el("td") { decision.due?.russian ?? "—"; if row.overdue { el("div") { el("span", .class("tag bad")) { "срок прошёл" } } } }
                            el("td") {
                                el("span", .class("tag \(decision.decisionStatus == .done ? "good" : "")")) { decision.decisionStatus.russianName }
                                if let outcome = decision.outcome { el("div", .class("muted")) { outcome } }
                                if row.canClose && decision.decisionStatus == .open {
                                    el("form", .method("post"), .action("/decisions/\(decision.id!)/close"), .class("row")) {
                                        Layout.csrfField(context.csrf)
                                        el("input", .type("hidden"), .name("version"), .value(String(decision.version)))
                                        UI.field("Результат", name: "outcome", value: nil)
                                        UI.select("", name: "status", options: [("done", "исполнено"), ("cancelled", "отменено")], selected: "done")
                                        el("button", .type("submit"), .class("secondary")) { "Закрыть" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if model.canDecide {
                el("h2", .id("new")) { "Новое решение" }
                el("form", .class("stack"), .method("post"), .action("/decisions")) {
                    Layout.csrfField(context.csrf)
                    el("input", .type("hidden"), .name("kind"), .value(model.draft.kind.rawValue))
                    el("input", .type("hidden"), .name("ref"), .value(model.draft.ref.map(String.init)))
                    el("input", .type("hidden"), .name("school"), .value(model.draft.schoolID.map(String.init)))
                    UI.select("Программа", name: "programme", options: model.programmes.map { (String($0.id), $0.name) },
                              selected: model.draft.programmeID.map(String.init), includeEmpty: "— без программы —")
                    el("label") {
                        el("span") { "Основание (\(model.draft.kind.russianName)) *" }
                        el("textarea", .name("finding"), Attr("rows", "3"), .required) { model.draft.finding }
                    }
                    el("label") { el("span") { "Решение *" }; el("textarea", .name("decision"), Attr("rows", "3"), .required) { "" } }
                    UI.field("Ответственный", name: "responsible", value: model.draft.responsible, required: true)
                    UI.field("Срок", name: "due", value: nil, hint: "ДД.ММ.ГГГГ")
                    el("div", .class("actions")) { el("button", .type("submit")) { "Записать решение" } }
                }
            }
        }
    }
}
