import Foundation
import OporaData
import OporaDomain

extension PlansView {
    static func page(_ model: PlanPageModel, _ context: PageContext) -> HTMLNode {
        let plan = model.plan, passport = model.passport, id = plan.id!
        return Layout.page(passport.name, context, active: .plans) {
            tabs(plan, "passport")
            el("div", .class("toolbar")) { el("a", .href("/plans/\(id)/passport.docx")) { "Паспорт программы (DOCX)" } }
            el("dl", .class("facts panel")) {
                el("dt") { "Код" }; el("dd") { plan.code }
                el("dt") { "Уровень" }; el("dd") { "\(plan.programmeLevel.russianName), \(model.territory)" }
                el("dt") { "Срок реализации" }; el("dd") { "\(passport.start.russian) — \(passport.end.russian)" }
                el("dt") { "Действующая редакция" }
                el("dd") { "№ \(model.versions.last?.number ?? 1)" + (plan.orderNumber.map { ", приказ " + PlanPageModel.order($0, plan.orderDate) } ?? "") }
                el("dt") { "Цель" }; el("dd") { passport.goal.isEmpty ? "не указана" : passport.goal }
            }
            listBlock("Задачи", passport.tasks)
            listBlock("Ожидаемые результаты", passport.expectedResults)
            listBlock("Финансирование", passport.funding)
            listBlock("Нормативная основа", passport.basis)
            if !model.participants.isEmpty {
                el("h2") { "Участники" + (model.listYear.map { " (статус по списку \($0) года)" } ?? "") }
                el("table", .id("participants")) {
                    el("thead") { el("tr") { el("th") { "Код" }; el("th") { "Школа" }; el("th") { "В списке" } } }
                    el("tbody") {
                        model.participants.map { participant in
                            el("tr") {
                                el("td") { participant.code }
                                el("td") { participant.name ?? "нет в реестре" }
                                el("td") { participant.status.map { $0 == .none ? "не в списке" : $0.russianName } ?? "—" }
                            }
                        }
                    }
                }
            }
            el("h2") { "Редакции и изменения" }
            el("table", .id("versions")) {
                el("thead") { el("tr") { el("th") { "Редакция" }; el("th") { "Приказ" }; el("th") { "Основание" }; el("th") { "Кто, когда" }; el("th") { "" } } }
                el("tbody") {
                    model.versions.map { version in
                        el("tr") {
                            el("td") { "№ \(version.number)" }
                            el("td") { version.order ?? "—" }
                            el("td") { version.note ?? "" }
                            el("td") { "\(version.by), \(RussianFormat.dateTime(version.at))" }
                            el("td") {
                                if version.number > 1 { el("a", .href("/plans/\(id)?compare=\(version.number - 1)-\(version.number)")) { "что изменилось" } }
                            }
                        }
                    }
                }
            }
            if let (old, new) = model.compared {
                el("h2", .id("changes")) { "Изменения редакции № \(new) против № \(old)" }
                if model.changes.isEmpty { el("p", .class("muted")) { "Редакции не различаются." } }
                else {
                    el("table", .id("diff")) {
                        el("thead") { el("tr") { el("th") { "Раздел" }; el("th") { "Было" }; el("th") { "Стало" } } }
                        el("tbody") {
                            model.changes.map { change in
                                el("tr", .class("change \(change.change.kind.rawValue)")) {
                                    el("td") { change.part.russianName }
                                    el("td") { change.change.old ?? "—" }
                                    el("td") { change.change.new ?? "—" }
                                }
                            }
                        }
                    }
                }
            }
            if model.canChange { amendForm(model, context) }
        }
    }

    static func listBlock(_ title: String, _ items: [String]) -> HTMLNode {
        guard !items.isEmpty else { return .empty }
        return el("section") {
            el("h2") { title }
            el("ol") { items.map { item in el("li") { item } } }
        }
    }

    static func amendForm(_ model: PlanPageModel, _ context: PageContext) -> HTMLNode {
        let passport = model.passport, plan = model.plan
        func area(_ label: String, _ name: String, _ lines: [String], hint: String) -> HTMLNode {
            el("label") {
                el("span") { label }
                el("textarea", .name(name), Attr("rows", "4")) { lines.joined(separator: "\n") }
                el("small") { hint }
            }
        }
        return el("section") {
            el("h2") { "Внести изменения" }
            el("p", .class("muted")) { "Изменение сохраняется новой редакцией с приказом, которым оно утверждено; прежние редакции остаются." }
            el("form", .class("stack"), .method("post"), .action("/plans/\(plan.id!)/amend")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(String(plan.version)))
                UI.field("Наименование", name: "name", value: passport.name, required: true)
                UI.field("Начало", name: "start", value: passport.start.russian, required: true)
                UI.field("Окончание", name: "end", value: passport.end.russian, required: true)
                el("label") { el("span") { "Цель" }; el("textarea", .name("goal"), Attr("rows", "3")) { passport.goal } }
                area("Задачи", "tasks", passport.tasks, hint: "по одной в строке")
                area("Участники (коды школ)", "participants", passport.participants, hint: "по одному коду в строке")
                area("Ожидаемые результаты", "expected_results", passport.expectedResults, hint: "по одному в строке")
                area("Финансирование", "funding", passport.funding, hint: "строка на источник и год")
                area("Нормативная основа", "basis", passport.basis, hint: "документ в строке")
                UI.field("Приказ №", name: "order_number", value: nil, required: true)
                UI.field("Дата приказа", name: "order_date", value: nil, hint: "ДД.ММ.ГГГГ")
                UI.field("Основание, примечание", name: "note", value: nil)
                el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить редакцию" } }
            }
            el("h2") { "Уровни эффективности" }
            el("form", .class("row"), .method("post"), .action("/plans/\(plan.id!)/bands")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(String(plan.version)))
                UI.field("Высокий — от", name: "high", value: String(plan.bandHigh), type: "number", required: true)
                UI.field("Средний — от", name: "medium", value: String(plan.bandMedium), type: "number", required: true)
                UI.field("Удовлетворительный — от", name: "satisfactory", value: String(plan.bandSatisfactory), type: "number", required: true)
                el("button", .type("submit"), .class("secondary")) { "Сохранить уровни" }
            }
        }
    }
}
