import OporaDomain

enum UsersView {
    static func page(_ model: UsersModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Пользователи", context, active: .users) {
            el("h1") { "Пользователи" }
            el("table", .id("users"), .class("cards-narrow")) {
                UI.head(columns)
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(5, "Пользователей нет") }
                    model.rows.map { row in
                        el("tr", .when(!row.isActive, .class("muted"))) {
                            el("td", UI.cardLabel(columns[0])) { row.login }
                            el("td", UI.cardLabel(columns[1])) { row.fullName }
                            el("td", UI.cardLabel(columns[2])) { row.role.russianName }
                            el("td", UI.cardLabel(columns[3])) { row.scope }
                            el("td", UI.cardLabel(columns[4])) {
                                UI.refusal(model.echo, for: accessAction(row.login, active: true))
                                UI.refusal(model.echo, for: accessAction(row.login, active: false))
                                if row.isSelf {
                                    el("span", .class("muted")) { "это вы" }
                                } else {
                                    el("form", .method("post"), .action(accessAction(row.login, active: !row.isActive)),
                                       .class("inline")) {
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
            newUserForm(model, context)
        }
    }

    static let newAction = "/users"
    static let columns = ["Логин", "ФИО", "Роль", "Область доступа", "Доступ"]
    /// The button that lets a user in again (`active`) or shuts them out.
    static func accessAction(_ login: String, active: Bool) -> String { "/users/\(login)/\(active ? "activate" : "deactivate")" }

    /// A new user: the place defaults to the administrator's own; a refused form keeps everything typed except the
    /// password, with each problem beside its field.
    static func newUserForm(_ model: UsersModel, _ context: PageContext) -> HTMLNode {
        let action = newAction, echo = model.echo
        func typed(_ name: String, _ stored: String? = nil) -> String { echo.value(name, for: action, stored: stored ?? "") }
        let chosenSchools = Set(typed("school_ids").split(separator: ",").map(String.init))
        let schoolsError = echo.error("school_ids", for: action)
        return HTMLNode.fragment {
            el("h2", .id("new")) { "Добавить пользователя" }
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action + "#new")) {
                Layout.csrfField(context.csrf)
                UI.field("Логин", name: "login", value: typed("login"), required: true, hint: "латинские буквы, цифры, . _ @ -",
                         error: echo.error("login", for: action))
                UI.field("ФИО", name: "full_name", value: typed("full_name"), required: true, error: echo.error("full_name", for: action))
                UI.field("Электронная почта", name: "email", value: typed("email"), type: "email",
                         hint: "для уведомлений; можно позже в профиле", error: echo.error("email", for: action))
                UI.field("Пароль", name: "password", value: nil, type: "password", required: true, hint: "не короче 8 символов",
                         error: echo.error("password", for: action))
                UI.select("Роль", name: "role", options: Role.allCases.map { ($0.rawValue, $0.russianName) }, selected: typed("role"),
                          required: true, includeEmpty: "— выберите роль —", error: echo.error("role", for: action))
                UI.select("Регион", name: "region_id", options: model.regions.map { (String($0.id), $0.name) },
                          selected: typed("region_id", model.ownRegion.map(String.init)), includeEmpty: "—",
                          error: echo.error("region_id", for: action))
                UI.select("Муниципалитет", name: "municipality_id", options: model.municipalities.map { (String($0.id), $0.name) },
                          selected: typed("municipality_id", model.ownMunicipality.map(String.init)), includeEmpty: "—",
                          error: echo.error("municipality_id", for: action), searchable: model.municipalities.count > 10)
                el("label", Attr("class", schoolsError != nil ? "field invalid" : nil)) {
                    el("span") { "Школы (для куратора и администратора школы)" }
                    el("select", .name("school_ids[]"), Attr("multiple", ""), Attr("size", "6"),
                       Attr("aria-invalid", schoolsError != nil ? "true" : nil),
                       Attr("aria-describedby", schoolsError != nil ? "school_ids-note" : nil)) {
                        model.schools.map { school in
                            el("option", .value(String(school.id)), .when(chosenSchools.contains(String(school.id)),
                                                                          .selected)) { school.name }
                        }
                    }
                    if let schoolsError { el("small", .class("field-error"), .id("school_ids-note")) { schoolsError } }
                }
                el("div", .class("actions")) { el("button", .type("submit")) { "Добавить" } }
            }
        }
    }
}
