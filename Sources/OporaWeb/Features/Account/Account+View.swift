import OporaDomain

enum AccountView {
    static func page(_ model: AccountModel, _ context: PageContext) -> HTMLNode {
        let echo = model.echo
        return Layout.page("Мой профиль", context, active: .account) {
            el("h1") { "Мой профиль" }
            el("p", .class("lead")) {
                "\(model.user.fullName) · \(model.user.login) · \(model.user.role.russianName) · \(model.user.scopeLabel)"
            }

            el("h2", .id("phone")) { "Исполнитель в документах" }
            UI.refusal(echo, for: phoneAction)
            el("form", .class("row"), .method("post"), .action(phoneAction + "#phone")) {
                Layout.csrfField(context.csrf)
                UI.field("Рабочий телефон", name: "phone", value: echo.value("phone", for: phoneAction, stored: model.phone ?? ""),
                         required: false, hint: "печатается в отчётах рядом с ФИО: «Исполнитель: \(model.user.fullName), тел. …»",
                         error: echo.error("phone", for: phoneAction))
                el("button", .type("submit")) { "Сохранить" }
            }

            el("h2", .id("mail")) { "Уведомления по электронной почте" }
            UI.refusal(echo, for: mailAction)
            el("form", .class("account-mail"), .method("post"), .action(mailAction + "#mail")) {
                Layout.csrfField(context.csrf)
                UI.field("Электронная почта", name: "email", value: echo.value("email", for: mailAction, stored: model.email ?? ""),
                         type: "email", hint: "сюда приходят письма о том, что ждёт вашего действия; пусто — писем нет",
                         error: echo.error("email", for: mailAction))
                el("fieldset") {
                    el("legend") { "Присылать письма, когда" }
                    NotificationEvent.allCases.filter { $0.audience.contains(model.user.role) }.map { event in
                        el("label", .class("check")) {
                            el("input", .type("checkbox"), .name("events[]"), .value(event.rawValue),
                               .when(wanted(event, model), Attr("checked", "checked")))
                            " " + event.russianName
                        }
                    }
                }
                el("button", .type("submit")) { "Сохранить настройки писем" }
            }

            el("table") {
                el("thead") {
                    el("tr") { el("th") { "Устройство" }; el("th") { "Адрес" }; el("th") { "Вход" }; el("th") { "Последнее действие" } }
                }
                el("tbody") {
                    model.sessions.map { session in
                        el("tr") {
                            el("td") { session.device + (session.isCurrent ? " (этот сеанс)" : "") }
                            el("td") { session.address }
                            el("td", .class("num")) { RussianFormat.dateTime(session.createdAt) }
                            el("td", .class("num")) { RussianFormat.dateTime(session.lastSeenAt) }
                        }
                    }
                }
            }
            el("form", .method("post"), .action("/account/sign-out-everywhere")) {
                Layout.csrfField(context.csrf)
                el("button", .type("submit"), .class("secondary")) { "Выйти на всех устройствах" }
            }

            el("h2", .id("password")) { "Смена пароля" }
            UI.refusal(echo, for: passwordAction)
            el("form", .class("stack"), .method("post"), .action(passwordAction + "#password")) {
                Layout.csrfField(context.csrf)
                UI.field("Текущий пароль", name: "current", value: nil, type: "password", required: true,
                         error: echo.error("current", for: passwordAction))
                UI.field("Новый пароль", name: "password", value: nil, type: "password", required: true, hint: "не короче 8 символов",
                         error: echo.error("password", for: passwordAction))
                UI.field("Новый пароль ещё раз", name: "repeat", value: nil, type: "password", required: true,
                         error: echo.error("repeat", for: passwordAction))
                el("p", .class("muted")) { "После смены пароля все сеансы, кроме нового, завершатся." }
                el("div", .class("actions")) { el("button", .type("submit")) { "Сменить пароль" } }
            }

            el("h2", .id("tokens")) { "API-токены" }
            el("p", .class("muted")) {
                "Для программ, которые обращаются к Опоре (заголовок Authorization: Bearer …). Токен показывается один раз."
            }
            if let token = model.newToken {
                el("div", .class("flash success"), Attr("role", "status")) {
                    el("p") { "Новый токен — скопируйте его сейчас, больше он показан не будет:" }
                    el("code", .id("new-token")) { token }
                }
            }
            el("table") {
                el("thead") {
                    el("tr") { el("th") { "Назначение" }; el("th") { "Выдан" }; el("th") { "Последнее использование" }; el("th") { "" } }
                }
                el("tbody") {
                    if model.tokens.isEmpty { UI.emptyRow(4, "Токенов нет") }
                    model.tokens.map { token in
                        el("tr") {
                            el("td") { token.name }
                            el("td", .class("num")) { token.createdAt.map(RussianFormat.dateTime) ?? "—" }
                            el("td", .class("num")) { token.lastUsedAt.map(RussianFormat.dateTime) ?? "не использовался" }
                            el("td") {
                                el("form", .method("post"), .action("/account/tokens/\(token.id)/revoke"), .class("inline")) {
                                    Layout.csrfField(context.csrf)
                                    el("button", .type("submit"), .class("link")) { "Отозвать" }
                                }
                            }
                        }
                    }
                }
            }
            UI.refusal(echo, for: tokenAction)
            el("form", .class("row"), .method("post"), .action(tokenAction + "#tokens")) {
                Layout.csrfField(context.csrf)
                UI.field("Назначение нового токена", name: "name", value: echo.value("name", for: tokenAction, stored: ""), required: true,
                         hint: "например, «выгрузка для РЦОИ»", error: echo.error("name", for: tokenAction))
                el("button", .type("submit")) { "Выдать токен" }
            }
        }
    }

    static let phoneAction = "/account/phone"
    static let mailAction = "/account/mail"
    static let passwordAction = "/account/password"
    static let tokenAction = "/account/tokens"

    /// An event's box: as ticked in a refused form, else as stored.
    static func wanted(_ event: NotificationEvent, _ model: AccountModel) -> Bool {
        guard let echo = model.echo, echo.action == mailAction else { return !model.mailDisabled.contains(event) }
        return (echo.values["events"] ?? "").split(separator: ",").contains { $0 == event.rawValue }
    }
}
