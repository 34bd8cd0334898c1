import Foundation
import OporaData
import OporaDomain

extension PlansView {
    static func page(_ model: PlanPageModel, _ context: PageContext, echo: FormEcho? = nil) -> HTMLNode {
        let plan = model.plan, passport = model.passport, id = plan.id!
        return Layout.page(passport.name, context, active: .plans) {
            tabs(plan, "passport")
            el("div", .class("toolbar")) { el("a", .href("/plans/\(id)/passport.docx")) { "Паспорт программы (DOCX)" } }
            el("dl", .class("facts panel")) {
                el("dt") { "Код" }; el("dd") { plan.code }
                el("dt") { "Уровень" }; el("dd") { "\(plan.programmeLevel.russianName), \(model.territory)" }
                el("dt") { "Срок реализации" }; el("dd") { "\(passport.start.russian) — \(passport.end.russian)" }
                el("dt") { "Действующая редакция" }
                el("dd") { "№ \(model.versions.last?.number ?? 1)" + (plan.orderNumber.map { ", приказ " + PlanPageModel.order($0,
                    plan.orderDate) } ?? "") }
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
                el("thead") { el("tr") { el("th") { "Редакция" }; el("th") { "Приказ" }; el("th") { "Основание" }
                el("th") { "Кто, когда" }; el("th") { "" } } }
                el("tbody") {
                    model.versions.map { version in
                        el("tr") {
                            el("td") { "№ \(version.number)" }
                            el("td") { version.order ?? "—" }
                            el("td") { version.note ?? "" }
                            el("td") { "\(version.by), \(RussianFormat.dateTime(version.at))" }
                            el("td") {
                                if version.number > 1 { el("a",
                                    .href("/plans/\(id)?compare=\(version.number - 1)-\(version.number)")) { "что изменилось" } }
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
            if model.canChange { amendForm(model, context, echo: echo) }
        }
    }

    static func listBlock(_ title: String, _ items: [String]) -> HTMLNode {
        guard !items.isEmpty else { return .empty }
        return el("section") {
            el("h2") { title }
            el("ol") { items.map { item in el("li") { item } } }
        }
    }

    /// The passport's editor: every text in a box tall enough for it, participants chosen by name, and a refused
    /// amendment back as typed with each problem beside its field.
    static func amendForm(_ model: PlanPageModel, _ context: PageContext, echo: FormEcho?) -> HTMLNode {
        let passport = model.passport, plan = model.plan
        let action = "/plans/\(plan.id!)/amend", bandsAction = "/plans/\(plan.id!)/bands"
        func value(_ name: String, _ stored: String, _ form: String = action) -> String { echo.value(name, for: form, stored: stored) }
        func field(_ label: String, _ name: String, _ stored: String = "", required: Bool = false, hint: String? = nil) -> HTMLNode {
            UI.field(label, name: name, value: value(name, stored), required: required, hint: hint,
                     error: echo.error(name, for: action), warning: echo.warning(name, for: action))
        }
        func area(_ label: String, _ name: String, _ stored: String, hint: String? = nil) -> HTMLNode {
            let text = value(name, stored)
            // Tall enough for what it holds (a long line wraps at about 90 characters), so nothing is cut off.
            let rows = text.split(separator: "\n", omittingEmptySubsequences: false).reduce(0) { $0 + 1 + $1.count / 90 }
            return UI.textArea(label, name: name, value: text, rows: min(max(3, rows + 1), 30), hint: hint,
                               error: echo.error(name, for: action))
        }
        let chosen: Set<String> = echo.message(for: action) != nil
            ? Set(model.candidates.map(\.code).filter { echo?.values[PlanPageModel.participantInput($0)] != nil })
            : Set(passport.participants)
        return el("section", .id("amend")) {
            el("h2") { "Внести изменения" }
            el("p", .class("muted")) { "Изменение сохраняется новой редакцией с приказом, которым оно утверждено; прежние редакции "
                + "остаются." }
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action)) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(value("version", String(plan.version))))
                field("Наименование", "name", passport.name, required: true)
                field("Начало", "start", passport.start.russian, required: true, hint: "ДД.ММ.ГГГГ")
                field("Окончание", "end", passport.end.russian, required: true, hint: "ДД.ММ.ГГГГ")
                area("Цель", "goal", passport.goal)
                area("Задачи", "tasks", passport.tasks.joined(separator: "\n"), hint: "по одной в строке")
                el("fieldset", .class("participants"), .id("participants-choice")) {
                    el("legend") { "Участники — школы территории" }
                    if model.candidates.isEmpty { el("p", .class("muted")) { "В реестре нет школ этой территории" } }
                    model.candidates.map { school in
                        let input = PlanPageModel.participantInput(school.code)
                        return el("label", .class("check")) {
                            el("input", .type("checkbox"), .name(input), .value("1"), .when(chosen.contains(school.code),
                                Attr("checked", "checked")))
                            " \(school.name)"
                        }
                    }
                }
                area("Ожидаемые результаты", "expected_results", passport.expectedResults.joined(separator: "\n"),
                    hint: "по одному в строке")
                area("Финансирование", "funding", passport.funding.joined(separator: "\n"), hint: "строка на источник и год")
                area("Нормативная основа", "basis", passport.basis.joined(separator: "\n"), hint: "документ в строке")
                field("Приказ №", "order_number", required: true)
                field("Дата приказа", "order_date", hint: "ДД.ММ.ГГГГ")
                field("Основание, примечание", "note")
                el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить редакцию" } }
            }
            el("h2", .id("bands")) { "Уровни эффективности" }
            UI.refusal(echo, for: bandsAction)
            el("form", .class("row"), .method("post"), .action(bandsAction)) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(value("version", String(plan.version), bandsAction)))
                [("Высокий — от", "high", plan.bandHigh), ("Средний — от", "medium", plan.bandMedium),
                 ("Удовлетворительный — от", "satisfactory", plan.bandSatisfactory)].map { label, name, stored in
                    UI.field(label, name: name, value: value(name, String(stored), bandsAction), required: true,
                             error: echo.error(name, for: bandsAction))
                }
                el("button", .type("submit"), .class("secondary")) { "Сохранить уровни" }
            }
        }
    }
}
