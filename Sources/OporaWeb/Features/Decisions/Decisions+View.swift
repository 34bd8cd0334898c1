import Foundation
import OporaData
import OporaDomain

enum DecisionsView {
    static func page(_ model: DecisionsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Управленческие решения", context, active: .decisions) {
            el("h1") { "Управленческие решения" }
            el("p", .class("lead")) {
                "Каждое решение — ответ на находку: показатель не достиг цели, мероприятие просрочено, результаты или риски школы. " +
                "Кто отвечает, к какому сроку и что получилось."
            }
            el("div", .class("toolbar")) {
                let filter = model.programmeFilter.map { "&programme=\($0)" } ?? ""
                el("a", .href("/decisions?show=open" + filter), .when(!model.showAll, .class("active"))) { "исполняются" }
                el("a", .href("/decisions?show=all" + filter), .when(model.showAll, .class("active"))) { "все" }
            }
            el("table", .id("decisions"), .class("cards-narrow")) {
                UI.head(columns)
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(5, model.showAll ? "Решений пока нет" : "Открытых решений нет") }
                    model.rows.map { row in
                        let decision = row.decision
                        return el("tr", .id("d\(decision.id!)")) {
                            el("td", UI.cardLabel(columns[0])) {
                                el("span", .class("tag")) { decision.kind.russianName }
                                el("div") { decision.finding }
                                if let programme = row.programme { el("div", .class("muted")) { programme } }
                            }
                            el("td", UI.cardLabel(columns[1])) {
                                decision.decision
                                el("div", .class("muted")) {
                                    "\(model.names(decision.createdBy)), \(RussianFormat.date(decision.createdAt))"
                                }
                            }
                            el("td", UI.cardLabel(columns[2])) { decision.responsible }
                            el("td", UI.cardLabel(columns[3])) { decision.due?.russian ?? "—"
                                       if row.overdue { el("div") { el("span", .class("tag bad")) { "срок прошёл" } } } }
                            el("td", UI.cardLabel(columns[4])) {
                                el("span", .class(decision.decisionStatus == .done ? "tag good" : "tag")) {
                                    decision.decisionStatus.russianName
                                }
                                if let outcome = decision.outcome { el("div", .class("muted")) { outcome } }
                                if row.canClose && decision.decisionStatus == .open {
                                    closeForm(decision, echo: model.echo, context)
                                }
                            }
                        }
                    }
                }
            }
            if model.canDecide {
                newForm(model, context)
            }
        }
    }

    static let newAction = "/decisions"
    static let columns = ["Основание", "Решение", "Ответственный", "Срок", "Состояние"]

    /// A new decision: the finding it answers (prefilled from the data), the decision, who answers for it and by
    /// when — a deadline already past or years ahead is asked about. A refused one comes back as typed.
    static func newForm(_ model: DecisionsModel, _ context: PageContext) -> HTMLNode {
        let action = newAction, echo = model.echo, draft = model.draft
        func typed(_ name: String, _ stored: String? = nil) -> String { echo.value(name, for: action, stored: stored ?? "") }
        let kind = FindingKind(rawValue: typed("kind", draft.kind.rawValue)) ?? .other
        return HTMLNode.fragment {
            el("h2", .id("new")) { "Новое решение" }
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action + "#new")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("kind"), .value(kind.rawValue))
                el("input", .type("hidden"), .name("ref"), .value(typed("ref", draft.ref.map(String.init))))
                el("input", .type("hidden"), .name("school"), .value(typed("school", draft.schoolID.map(String.init))))
                UI.select("Программа", name: "programme", options: model.programmes.map { (String($0.id), $0.name) },
                          selected: typed("programme", draft.programmeID.map(String.init)), includeEmpty: "— без программы —",
                          error: echo.error("programme", for: action), searchable: model.programmes.count > 10)
                UI.textArea("Основание (\(kind.russianName))", name: "finding", value: typed("finding", draft.finding), rows: 3,
                            required: true, error: echo.error("finding", for: action))
                UI.textArea("Решение", name: "decision", value: typed("decision"), rows: 3, required: true,
                            error: echo.error("decision", for: action))
                UI.field("Ответственный", name: "responsible", value: typed("responsible", draft.responsible), required: true,
                         error: echo.error("responsible", for: action))
                UI.field("Срок", name: "due", value: typed("due"), hint: "ДД.ММ.ГГГГ", error: echo.error("due", for: action),
                         warning: echo.warning("due", for: action))
                el("div", .class("actions")) { el("button", .type("submit")) { "Записать решение" } }
            }
        }
    }

    /// Closing a decision: what came of it; a refusal (someone closed it first) keeps what was typed.
    static func closeForm(_ decision: DecisionModel, echo: FormEcho?, _ context: PageContext) -> HTMLNode {
        let action = "/decisions/\(decision.id!)/close"
        return HTMLNode.fragment {
            UI.refusal(echo, for: action)
            el("form", .method("post"), .action(action + "#d\(decision.id!)"), .class("row")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(String(decision.version)))
                UI.field("Результат", name: "outcome", value: echo.value("outcome", for: action, stored: ""),
                         error: echo.error("outcome", for: action))
                UI.select("Итог", name: "status", options: [("done", "исполнено"), ("cancelled", "отменено")],
                          selected: echo.value("status", for: action, stored: "done"), error: echo.error("status", for: action))
                el("button", .type("submit"), .class("secondary")) { "Закрыть" }
            }
        }
    }
}
