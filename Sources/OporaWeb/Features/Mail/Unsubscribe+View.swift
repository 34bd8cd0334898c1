import OporaDomain

enum UnsubscribeView {
    /// `event` nil: the link was used before or is not ours.
    static func render(_ event: NotificationEvent?, _ context: PageContext) -> HTMLNode {
        Layout.page("Отписка от писем", context, active: .account) {
            el("h1") { "Отписка от писем" }
            if let event {
                el("p", .class("flash success")) { "Готово: письма «\(event.russianName)» больше приходить не будут." }
            } else {
                el("p", .class("flash error")) { "Ссылка уже использована или неверна. Письма можно настроить в профиле." }
            }
            el("p") { el("a", .href("/account")) { "Настроить письма в профиле" } }
        }
    }
}
