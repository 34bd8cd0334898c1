import OporaDomain

enum SearchView {
    static func page(_ model: SearchModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Поиск", context, active: .home) {
            el("h1") { "Поиск" }
            el("form", .class("row"), .method("get"), .action("/search"), Attr("role", "search")) {
                el("label") {
                    el("span") { "Школа, программа, мероприятие или решение" }
                    el("input", .type("search"), .name("q"), .value(model.query), Attr("autofocus", "autofocus"))
                }
                el("button", .type("submit")) { "Найти" }
            }
            if model.tooShort {
                el("p", .class("muted")) { "Введите хотя бы два символа." }
            } else if !model.query.trimmingCharacters(in: .whitespaces).isEmpty {
                if model.groups.isEmpty {
                    el("p") { "Ничего не найдено по запросу «\(model.query)» среди данных, доступных вам." }
                } else {
                    el("p", .class("lead")) { "Найдено: \(RussianFormat.integer(model.total))" }
                }
                model.groups.map { group in
                    el("section", .class("panel")) {
                        el("h2") { "\(group.title) (\(RussianFormat.integer(group.total)))" }
                        el("ul") {
                            group.hits.map { hit in
                                el("li") {
                                    el("a", .href(hit.href)) { hit.title }
                                    if !hit.detail.isEmpty { el("span", .class("muted")) { " — \(hit.detail)" } }
                                }
                            }
                        }
                        if group.total > group.hits.count {
                            el("p", .class("muted")) {
                                "Показаны первые \(group.hits.count); уточните запрос, чтобы увидеть остальные."
                            }
                        }
                    }
                }
            }
        }
    }
}
