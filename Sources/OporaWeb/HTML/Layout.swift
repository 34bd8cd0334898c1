import OporaDomain

/// What every page needs from the request to draw its frame.
public struct PageContext: Sendable {
    public let user: CurrentUser?
    public let csrf: String
    public let flash: Flash?
    /// How many things wait for the user today (`TodayList`): the badge on «Сегодня».
    public let todayCount: Int?
    /// The full name of the school the page is about (`Request.pageSchool`): printed at the top of the page.
    public let school: String?

    public init(user: CurrentUser?, csrf: String, flash: Flash? = nil, todayCount: Int? = nil, school: String? = nil) {
        self.user = user
        self.csrf = csrf
        self.flash = flash
        self.todayCount = todayCount
        self.school = school
    }
}

public struct Flash: Sendable, Codable {
    public enum Kind: String, Sendable, Codable { case success, error }
    public let kind: Kind
    public let message: String
}

/// The navigation sections; `active` highlights one.
enum Section: String {
    case home, schools, results, identification, risks, programmes, plans, support, decisions, reports, effect
    case municipalities, regions, years, catalogues, audit, users, imports, account
    case questionnaires
    case today
    case tasks
    case surveys
}

enum Layout {
    static func page(_ title: String, _ context: PageContext, active: Section, @HTMLBuilder content: () -> HTMLNode) -> HTMLNode {
        document(title) {
            el("a", .href("#content"), .class("skip")) { "Перейти к содержанию" }
            if let user = context.user {
                el("header", .class("top")) {
                    el("a", .href("/"), .class("brand")) { "Опора" }
                    // Collapses the menu on a phone (opora.js); without scripts the menu simply stays open.
                    el("button", .type("button"), .class("menu-toggle"), Attr("aria-expanded", "false"),
                       Attr("aria-controls", "main-menu")) { "Меню" }
                    el("nav", Attr("id", "main-menu"), Attr("aria-label", "Разделы")) {
                        todayLink(context.todayCount, active)
                        Menu.groups(for: user).map { group in menuGroup(group, active) }
                    }
                    el("form", .class("search"), .method("get"), .action("/search"), Attr("role", "search")) {
                        el("input", .type("search"), .name("q"), Attr("placeholder", "Поиск"),
                           Attr("aria-label", "Поиск по школам, программам, мероприятиям и решениям"))
                    }
                    el("div", .class("who")) {
                        el("a", .href("/account"), .title(user.role.russianName + " · мой профиль")) {
                            "\(user.fullName) · \(user.scopeLabel)"
                        }
                        el("form", .method("post"), .action("/logout"), .class("inline")) {
                            csrfField(context.csrf)
                            el("button", .type("submit"), .class("link")) { "Выйти" }
                        }
                    }
                }
            }
            el("main", Attr("id", "content"), Attr("tabindex", "-1")) {
                printHead(title, school: context.school)
                if let flash = context.flash {
                    el("div", .class("flash \(flash.kind.rawValue)"), Attr("role", "status")) { flash.message }
                }
                content()
            }
            el("footer") { "Опора — поддержка школ с низкими образовательными результатами" }
        }
    }

    static func document(_ title: String, @HTMLBuilder body: () -> HTMLNode) -> HTMLNode {
        HTMLNode(.fragment([HTMLNode(rendered: "<!DOCTYPE html>"), el("html", Attr("lang", "ru")) {
            el("head") {
                el("meta", Attr("charset", "utf-8"))
                el("meta", .name("viewport"), Attr("content", "width=device-width, initial-scale=1"))
                el("title") { "\(title) — Опора" }
                el("link", Attr("rel", "stylesheet"), .href("/assets/opora.css"))
                el("script", Attr("src", "/assets/opora.js"), Attr("defer", "defer")) { "" }
            }
            el("body") { body() }
        }]))
    }

    static func navLink(_ href: String, _ label: String, _ section: Section, _ active: Section) -> HTMLNode {
        el("a", .href(href), .when(section == active, .class("active")), .when(section == active, Attr("aria-current", "page"))) {
            label
        }
    }

    /// A group of the menu: a disclosure (`<details>`), so it opens by mouse, touch or keyboard without a script;
    /// the group of the current page is marked, and says so to a screen reader.
    static func menuGroup(_ group: Menu.Group, _ active: Section) -> HTMLNode {
        let current = group.entries.contains { $0.section == active }
        return el("details", .class(current ? "nav-group current" : "nav-group")) {
            el("summary") {
                group.title
                if current { el("span", .class("visually-hidden")) { " (вы здесь)" } }
            }
            el("div", .class("nav-items")) {
                group.entries.map { entry in navLink(entry.href, entry.label, entry.section, active) }
            }
        }
    }

    /// Seen only on paper: what the page is, and on a school's page the school's full name, above the content.
    static func printHead(_ title: String, school: String?) -> HTMLNode {
        el("div", .class("print-head")) {
            if let school { el("p", .class("print-school")) { school } }
            el("p", .class("print-title")) { title }
        }
    }

    /// «Сегодня» with the count of what waits, read by screen readers as words.
    static func todayLink(_ count: Int?, _ active: Section) -> HTMLNode {
        el("a", .href("/"), .class(active == .today ? "today-link active" : "today-link")) {
            "Сегодня"
            if let count, count > 0 {
                el("span", .class("today-badge"), .title("Ждёт вас: \(count)"), Attr("aria-label", "ждёт вас: \(count)")) { String(count) }
            }
        }
    }

    static func csrfField(_ token: String) -> HTMLNode {
        el("input", .type("hidden"), .name(CSRF.field), .value(token))
    }
}

/// The menu: entries grouped by what the user does, in the order of the management cycle (GUIDE §2): the schools
/// and their results, choosing the schools to support, their programmes, the support itself, surveys, reports and
/// decisions, and administration. Only entries the user's role may open; a group left empty is not shown.
enum Menu {
    struct Entry: Sendable {
        let href: String
        let label: String
        let section: Section
    }

    struct Group: Sendable {
        let title: String
        let entries: [Entry]
    }

    static func groups(for user: CurrentUser) -> [Group] {
        let role = user.role
        func entry(_ href: String, _ label: String, _ section: Section, when allowed: Bool = true) -> Entry? {
            allowed ? Entry(href: href, label: label, section: section) : nil
        }
        let all: [(String, [Entry?])] = [
            ("Школы", [
                entry("/overview", "Обзор", .home),
                entry("/schools", "Школы", .schools),
                entry("/results", "Результаты", .results),
                entry("/tasks", "Анализ ВПР", .tasks),
            ]),
            ("Отбор", [
                entry("/identification", "Идентификация", .identification),
                entry("/risks", "Риски", .risks),
            ]),
            ("Программы", [
                entry("/programmes", "Программы школ", .programmes),
                entry("/plans", "Дорожные карты", .plans),
                entry("/decisions", "Решения", .decisions),
            ]),
            ("Поддержка", [
                entry("/support", "Сопровождение", .support),
            ]),
            ("Опросы", [
                entry("/questionnaires", "Анкеты", .questionnaires),
                entry("/campaigns", "Анкетирование", .surveys),
            ]),
            ("Отчёты", [
                entry("/reports", "Отчёты", .reports),
                entry("/effect", "Результативность", .effect, when: user.scope.isTerritory),
            ]),
            ("Администрирование", [
                entry("/imports", "Загрузка данных", .imports, when: role.canImport),
                entry("/municipalities", "Муниципалитеты", .municipalities,
                      when: role.canManageMunicipalities || role == .municipalCoordinator),
                entry("/regions", "Регионы", .regions, when: role.canManageRegions),
                entry("/years", "Учебные годы", .years),
                entry("/catalogues", "Справочники", .catalogues),
                entry("/audit", "Журнал изменений", .audit, when: role.canViewAudit),
                entry("/users", "Пользователи", .users, when: role.canManageUsers),
            ]),
        ]
        return all.compactMap { title, entries in
            let shown = entries.compactMap { $0 }
            return shown.isEmpty ? nil : Group(title: title, entries: shown)
        }
    }
}

/// Small view helpers shared by the features.
enum UI {
    /// A labelled input; a refused value's reason stands beside it (`error`), and a doubtful date's (`warning`)
    /// with a «Дата верна» box that confirms exactly the value shown.
    /// A refused field is marked `aria-invalid`; opora.js focuses (and scrolls to) the first one of the page, so on a
    /// phone a form refused below the fold comes back at its problem (an `autofocus` on each refused field would
    /// put several on one page, which HTML forbids).
    static func field(_ label: String, name: String, value: String?, type: String = "text", required: Bool = false,
                      hint: String? = nil, error: String? = nil, warning: String? = nil) -> HTMLNode {
        let note = error ?? warning
        return HTMLNode.fragment {
            el("label", Attr("class", error != nil ? "field invalid" : warning != nil ? "field doubtful" : nil)) {
                el("span") { label + (required ? " *" : "") }
                el("input", .type(type), .name(name), .value(value), .when(required, .required),
                   Attr("aria-invalid", error != nil ? "true" : nil), Attr("aria-describedby", note != nil ? "\(name)-note" : nil))
                if let hint { el("small") { hint } }
                if let note { el("small", .class(error != nil ? "field-error" : "field-warning"), .id("\(name)-note")) { note } }
            }
            if warning != nil, error == nil, let value { confirmation(name, value: value) }
        }
    }

    /// The box that confirms a doubtful date: it carries the date, so a changed date is asked about again.
    static func confirmation(_ name: String, value: String) -> HTMLNode {
        el("label", .class("field-confirm")) {
            el("input", .type("checkbox"), .name(FormCheck.confirmation(name)), .value(value))
            "Дата верна"
        }
    }

    static func select(_ label: String, name: String, options: [(value: String, label: String)], selected: String?,
                       required: Bool = false, includeEmpty: String? = nil, error: String? = nil,
                       searchable: Bool = false) -> HTMLNode {
        el("label", Attr("class", error != nil ? "field invalid" : nil)) {
            el("span") { label + (required ? " *" : "") }
            el("select", .name(name), .when(required, .required), Attr("data-search", searchable ? label : nil),
               Attr("aria-invalid", error != nil ? "true" : nil), Attr("aria-describedby", error != nil ? "\(name)-note" : nil)) {
                if let includeEmpty { el("option", .value("")) { includeEmpty } }
                options.map { option in
                    el("option", .value(option.value), .when(option.value == selected, .selected)) { option.label }
                }
            }
            if let error { el("small", .class("field-error"), .id("\(name)-note")) { error } }
        }
    }

    /// A multi-line field with its refusal beside it.
    static func textArea(_ label: String, name: String, value: String?, rows: Int = 4, required: Bool = false,
                         hint: String? = nil, error: String? = nil) -> HTMLNode {
        el("label", Attr("class", error != nil ? "field invalid" : nil)) {
            el("span") { label + (required ? " *" : "") }
            el("textarea", .name(name), Attr("rows", String(rows)), .when(required, .required),
               Attr("aria-invalid", error != nil ? "true" : nil), Attr("aria-describedby", error != nil ? "\(name)-note" : nil)) {
                value ?? ""
            }
            if let hint { el("small") { hint } }
            if let error { el("small", .class("field-error"), .id("\(name)-note")) { error } }
        }
    }

    /// The refused form's message over it, announced to screen readers.
    static func refusal(_ echo: FormEcho?, for action: String) -> HTMLNode {
        guard let message = echo.message(for: action) else { return .empty }
        return el("div", .class("flash error"), Attr("role", "alert")) { message }
    }

    static func number(_ value: Int?) -> String { value.map(RussianFormat.integer) ?? "—" }

    /// A table's header row of plain titles (a `cards-narrow` table gives its cells the same titles by `cardLabel`).
    static func head(_ titles: [String]) -> HTMLNode {
        el("thead") { el("tr") { titles.map { title in el("th") { title } } } }
    }

    /// A cell's column title, shown above the cell when a phone shows its row as a card (a `cards-narrow` table).
    static func cardLabel(_ title: String) -> Attr { Attr("data-label", title) }

    static func emptyRow(_ columns: Int, _ message: String) -> HTMLNode {
        el("tr") { el("td", Attr("colspan", String(columns)), .class("empty")) { message } }
    }
}
