import Foundation
import OporaData
import OporaDomain

enum SupportNetworkView {
    static let organisationAction = "/support/organisations"
    static func membershipAction(_ organisation: Int) -> String { "/support/organisations/\(organisation)/schools" }

    /// A school put into an organisation or taken out, chosen by name (none pre-chosen); a refusal stays in the row.
    static func membershipForm(_ organisation: Int, _ model: SupportNetworkModel, _ context: PageContext) -> HTMLNode {
        let action = membershipAction(organisation), echo = model.echo
        return el("form", .class("inline"), .method("post"), .action(action)) {
            Layout.csrfField(context.csrf)
            UI.refusal(echo, for: action)
            UI.select("Школа", name: "school", options: model.schools.map { (String($0.id), $0.name) },
                      selected: echo.value("school", for: action, stored: ""), required: true, includeEmpty: "— выберите школу —",
                      error: echo.error("school", for: action), searchable: model.schools.count > 10)
            UI.select("Действие", name: "member", options: [("1", "включить"), ("0", "исключить")],
                      selected: echo.value("member", for: action, stored: "1"))
            el("button", .type("submit"), .class("link")) { "применить" }
        }
    }

    static func page(_ model: SupportNetworkModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Сеть поддержки", context, active: .support) {
            el("div", .class("toolbar")) { el("a", .href("/support?year=\(model.year)")) { "← Сопровождение школ" } }
            el("h1") { "Сеть поддержки, \(model.year) год" }
            el("p", .class("lead")) { "Консультационные центры, их филиалы и пункты сопровождения, методические объединения и " +
                                      "кластеры со своими школами; стрелки — наставничество." }
            NetworkDiagram.svg(model.diagram)
            OrganisationKind.allCases.map { kind -> HTMLNode in
                let ofKind = model.organisations.filter { $0.model.organisationKind == kind }
                guard !ofKind.isEmpty else { return .empty }
                return el("section") {
                    el("h2") { kind.pluralName }
                    // On a phone each organisation is a card, its membership form in reach (`cards-narrow`).
                    el("table", .class("organisations cards-narrow")) {
                        UI.head(["Наименование", "Входит в", "Школы"])
                        el("tbody") {
                            ofKind.map { organisation in
                                el("tr") {
                                    el("td") {
                                        organisation.model.name
                                        if let base = organisation.model.baseSchoolID
                                            .flatMap({ id in model.schools.first { $0.id == id } }) {
                                            el("div", .class("muted")) { "на базе: \(base.name)" }
                                        }
                                        if let note = organisation.model.note { el("div", .class("muted")) { note } }
                                    }
                                    el("td", UI.cardLabel("Входит в")) {
                                        organisation.model.parentID
                                            .flatMap { id in model.organisations.first { $0.model.id == id }?.model.name } ?? "—"
                                    }
                                    el("td", UI.cardLabel("Школы")) {
                                        organisation.schools.isEmpty ? .text("—")
                                            : .text(organisation.schools.map(\.displayName).joined(separator: ", "))
                                        if model.canManage { membershipForm(organisation.model.id!, model, context) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if model.organisations.isEmpty { el("p", .class("muted")) { "Организаций сети поддержки пока нет." } }
            if model.canManage {
                let action = organisationAction, echo = model.echo
                el("h2", .id("new")) { "Добавить организацию" }
                UI.refusal(echo, for: action)
                el("form", .class("stack"), .method("post"), .action(action + "#new")) {
                    Layout.csrfField(context.csrf)
                    UI.select("Вид", name: "kind", options: OrganisationKind.allCases.map { ($0.rawValue, $0.russianName) },
                              selected: echo.value("kind", for: action, stored: OrganisationKind.point.rawValue), required: true,
                              error: echo.error("kind", for: action))
                    UI.field("Наименование", name: "name", value: echo.value("name", for: action, stored: ""), required: true,
                             error: echo.error("name", for: action))
                    UI.select("Входит в", name: "parent",
                              options: model.organisations.filter { [.centre, .branch].contains($0.model.organisationKind) }
                                .map { (String($0.model.id!), $0.model.name) },
                              selected: echo.value("parent", for: action, stored: ""), includeEmpty: "— самостоятельная —",
                              error: echo.error("parent", for: action))
                    UI.select("На базе школы", name: "base_school", options: model.schools.map { (String($0.id), $0.name) },
                              selected: echo.value("base_school", for: action, stored: ""), includeEmpty: "—",
                              error: echo.error("base_school", for: action), searchable: model.schools.count > 10)
                    UI.field("Примечание", name: "note", value: echo.value("note", for: action, stored: ""),
                             error: echo.error("note", for: action))
                    el("div", .class("actions")) { el("button", .type("submit")) { "Добавить" } }
                }
            }
        }
    }
}
