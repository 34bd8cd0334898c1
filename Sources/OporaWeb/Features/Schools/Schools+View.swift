import OporaData
import OporaDomain

enum SchoolsView {
    static func list(_ model: SchoolsListModel, _ context: PageContext) -> HTMLNode {
        let students = model.rows.compactMap(\.students).reduce(0, +)
        return Layout.page("Школы", context, active: .schools) {
            el("h1") { "Школы" }
            el("p", .class("lead")) { "Школ: \(model.rows.count), обучающихся: \(RussianFormat.integer(students))" }
            el("form", .class("row"), .method("get"), .action("/schools")) {
                UI.select("Муниципалитет", name: "municipality",
                          options: model.municipalities.map { (String($0.id), $0.name) },
                          selected: model.selectedMunicipality.map(String.init), includeEmpty: "Все")
                UI.field("Поиск", name: "q", value: model.query)
                el("button", .type("submit"), .class("secondary")) { "Показать" }
                el("span", .class("spacer"))
                el("a", .class("button secondary"), .href(exportLink(model, format: "csv"))) { "CSV" }
                el("a", .class("button secondary"), .href(exportLink(model, format: "xlsx"))) { "XLSX" }
                if model.canCreate { el("a", .class("button"), .href("/schools/new")) { "Добавить школу" } }
            }
            el("table") {
                el("thead") {
                    el("tr") {
                        el("th") { "Код" }
                        el("th") { "Школа" }
                        el("th") { "Муниципалитет" }
                        el("th") { "Местность" }
                        el("th", .class("num")) { "Обучающихся" }
                        el("th", .class("num")) { "С ОВЗ" }
                        el("th") { "Директор" }
                    }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(7, "Школ не найдено") }
                    model.paging.slice(model.rows).map { row in
                        el("tr") {
                            el("td", .class("muted")) { row.code }
                            el("td") { el("a", .href("/schools/\(row.id)")) { row.shortName ?? row.name } }
                            el("td") { row.municipality }
                            el("td") { row.settlement.flatMap(Settlement.init(rawValue:))?.russianName ?? "—" }
                            el("td", .class("num")) { UI.number(row.students) }
                            el("td", .class("num")) { UI.number(row.studentsOVZ) }
                            el("td") { row.director ?? "—" }
                        }
                    }
                }
            }
            model.paging.links("/schools", [("municipality", model.selectedMunicipality.map(String.init)),
                                            ("q", model.query.isEmpty ? nil : model.query)])
        }
    }

    static func exportLink(_ model: SchoolsListModel, format: String) -> String {
        var items: [String] = []
        if let municipality = model.selectedMunicipality { items.append("municipality=\(municipality)") }
        if !model.query.isEmpty { items.append("q=\(model.query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
        return "/schools/export.\(format)" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }

    static func fact(_ label: String, _ value: String?) -> HTMLNode {
        el("div", Attr("style", "display:contents")) {
            el("dt") { label }
            el("dd", Attr("style", "margin:0")) { value ?? "—" }
        }
    }

    static func form(_ model: SchoolFormModel, _ context: PageContext) -> HTMLNode {
        let values = model.values
        let title = model.id == nil ? "Новая школа" : "Изменение школы"
        return Layout.page(title, context, active: .schools) {
            el("h1") { title }
            if let error = model.error { el("div", .class("flash error"), Attr("role", "alert")) { error } }
            let errors = model.fieldErrors
            el("form", .class("stack"), .method("post"), .action(model.id.map { "/schools/\($0)" } ?? "/schools")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(String(model.version)))
                if model.id == nil {
                    UI.field("Код ОО", name: "code", value: values.code, required: true,
                             hint: "Уникальный код (как в ФИС ОКО или региональной базе)", error: errors["code"])
                } else if model.mayChangeCode {
                    UI.field("Код ОО", name: "code", value: values.code, required: true, hint: SchoolCode.warning,
                             error: errors["code"])
                } else {
                    el("label") {
                        el("span") { "Код ОО" }
                        el("input", .name("code"), .value(values.code), Attr("readonly", "readonly"), .id("code"))
                        el("small", .class("muted")) { SchoolCode.warning + ". " + SchoolCode.notAllowed.prefix(1).uppercased()
                            + SchoolCode.notAllowed.dropFirst() }
                    }
                }
                if let old = model.confirmCodeChangeFrom {
                    el("div", .class("flash error"), .id("confirm-code")) {
                        el("p") { "Вы меняете код ОО «\(old)» на «\(values.code ?? "")». \(SchoolCode.warning)." }
                        el("label") {
                            el("input", .type("checkbox"), .name("confirm_code"), .value("1"))
                            " Да, изменить код ОО"
                        }
                    }
                }
                UI.field("Полное наименование", name: "name", value: values.name, required: true, error: errors["name"])
                UI.field("Краткое наименование", name: "short_name", value: values.short_name, error: errors["short_name"])
                UI.field("Номер", name: "number", value: values.number, error: errors["number"])
                UI.select("Муниципалитет", name: "municipality_id", options: model.municipalities.map { (String($0.id), $0.name) },
                          selected: values.municipality_id.map(String.init), required: true,
                          includeEmpty: model.municipalities.count == 1 ? nil : "— выберите муниципалитет —",
                          error: errors["municipality_id"], searchable: model.municipalities.count > 10)
                UI.field("Организационная форма", name: "organisational_form", value: values.organisational_form, hint: "МБОУ, МКОУ, МАОУ…",
                         error: errors["organisational_form"])
                UI.select("Тип поселения", name: "settlement", options: Settlement.allCases.map { ($0.rawValue, $0.russianName) },
                          selected: values.settlement.flatMap(Settlement.init(parsing:))?.rawValue ?? values.settlement, includeEmpty: "—",
                          error: errors["settlement"])
                UI.field("Адрес", name: "address", value: values.address, error: errors["address"])
                UI.field("Директор", name: "director", value: values.director, error: errors["director"])
                UI.field("Обучающихся", name: "students", value: values.students, type: "number", error: errors["students"])
                UI.field("Обучающихся с ОВЗ", name: "students_ovz", value: values.students_ovz, type: "number",
                         error: errors["students_ovz"])
                UI.field("Смен", name: "shifts", value: values.shifts, type: "number", error: errors["shifts"])
                el("div", .class("actions")) {
                    el("button", .type("submit")) { "Сохранить" }
                    " "
                    el("a", .class("button secondary"), .href(model.id.map { "/schools/\($0)" } ?? "/schools")) { "Отмена" }
                }
            }
        }
    }
}

import Foundation
