struct LoginView {
    struct Model {
        var message: String?
        var login: String
        var next: String
        var csrf: String
    }

    let model: Model

    func render() -> HTMLNode {
        Layout.document("Вход") {
            el("div", .class("login")) {
                el("h1") { "Опора" }
                el("p", .class("muted")) { "Поддержка школ с низкими образовательными результатами" }
                if let message = model.message { el("div", .class("flash error"), Attr("role", "alert")) { message } }
                el("form", .method("post"), .action("/login")) {
                    Layout.csrfField(model.csrf)
                    el("input", .type("hidden"), .name("next"), .value(model.next))
                    UI.field("Логин", name: "login", value: model.login, required: true)
                    UI.field("Пароль", name: "password", value: nil, type: "password", required: true)
                    el("button", .type("submit")) { "Войти" }
                }
            }
        }
    }
}
