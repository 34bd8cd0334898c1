import OporaDomain

enum UsersView {
    static func page(_ model: UsersModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Пользователи", context, active: .users) {
            el("h1") { "Пользователи" }
            el("table") {
                el("thead") { el("tr") { el("th") { "Логин" }; el("th") { "ФИО" }; el("th") { "Роль" }; el("th") { "Область доступа" }; el("th") { "Доступ" } } }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(5, "Пользователей нет") }
                    model.rows.map { row in
                        el("tr", .when(!row.isActive, .class("muted"))) {
                            el("td") { row.login }
                            el("td") { row.fullName }
                            el("td") { row.role.russianName }
                            el("td") { row.scope }
                            el("td") {
                                if row.isSelf {
                                    el("span", .class("muted")) { "это вы" }
                                } else {
                                    el("form", .method("post"), .action("/users/\(row.login)/\(row.isActive ? "deactivate" : "activate")"), .class("inline")) {
                                        Layout.csrfField(context.csrf)
                                        el("span") { row.isActive ? "активен " : "отключён " }
                                        el("button", .type("submit"), .class("link")) { row.isActive ? "Отключить" : "Включить" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("h2") { "Добавить пользователя" }
            el("form", .class("stack"), .method("post"), .action("/users")) {
                Layout.csrfField(context.csrf)
                UI.field("Логин", name: "login", value: nil, required: true)
                UI.field("ФИО", name: "full_name", value: nil, required: true)
                UI.field("Электронная почта", name: "email", value: nil, type: "email", hint: "для уведомлений; можно позже в профиле")
                UI.field("Пароль", name: "password", value: nil, type: "password", required: true, hint: "не короче 8 символов")
                UI.select("Роль", name: "role", options: Role.allCases.map { ($0.rawValue, $0.russianName) }, selected: nil, required: true)
                UI.select("Регион", name: "region_id", options: model.regions.map { (String($0.id), $0.name) }, selected: nil, includeEmpty: "—")
                UI.select("Муниципалитет", name: "municipality_id", options: model.municipalities.map { (String($0.id), $0.name) }, selected: nil, includeEmpty: "—")
                el("label") {
                    el("span") { "Школы (для куратора и администратора школы)" }
                    el("select", .name("school_ids[]"), Attr("multiple", ""), Attr("size", "6")) {
                        model.schools.map { school in el("option", .value(String(school.id))) { school.name } }
                    }
                }
                el("div", .class("actions")) { el("button", .type("submit")) { "Добавить" } }
            }
        }
    }
}
