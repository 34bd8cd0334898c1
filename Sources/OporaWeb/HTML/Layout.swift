import OporaDomain

/// What every page needs from the request to draw its frame.
public struct PageContext: Sendable {
    public let user: CurrentUser?
    public let csrf: String
    public let flash: Flash?

    public init(user: CurrentUser?, csrf: String, flash: Flash? = nil) {
        self.user = user
        self.csrf = csrf
        self.flash = flash
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
    case surveys
}

enum Layout {
    static func page(_ title: String, _ context: PageContext, active: Section, @HTMLBuilder content: () -> HTMLNode) -> HTMLNode {
        document(title) {
            if let user = context.user {
                el("header", .class("top")) {
                    el("a", .href("/"), .class("brand")) { "Опора" }
                    el("nav") {
                        navLink("/", "Главная", .home, active)
                        navLink("/schools", "Школы", .schools, active)
                        navLink("/results", "Результаты", .results, active)
                        navLink("/identification", "Идентификация", .identification, active)
                        navLink("/risks", "Риски", .risks, active)
                        navLink("/programmes", "Программы школ", .programmes, active)
                        navLink("/plans", "Дорожные карты", .plans, active)
                        navLink("/support", "Сопровождение", .support, active)
                        navLink("/decisions", "Решения", .decisions, active)
                        navLink("/reports", "Отчёты", .reports, active)
                        navLink("/questionnaires", "Анкеты", .questionnaires, active)
                        navLink("/campaigns", "Анкетирование", .surveys, active)
                        if user.scope.isTerritory { navLink("/effect", "Результативность", .effect, active) }
                        if user.role.canImport { navLink("/imports", "Загрузка данных", .imports, active) }
                        if user.role.canManageMunicipalities || user.role == .municipalCoordinator {
                            navLink("/municipalities", "Муниципалитеты", .municipalities, active)
                        }
                        if user.role.canManageRegions { navLink("/regions", "Регионы", .regions, active) }
                        navLink("/years", "Учебные годы", .years, active)
                        navLink("/catalogues", "Справочники", .catalogues, active)
                        if user.role.canViewAudit { navLink("/audit", "Журнал изменений", .audit, active) }
                        if user.role.canManageUsers { navLink("/users", "Пользователи", .users, active) }
                    }
                    el("div", .class("who")) {
                        el("a", .href("/account"), .title(user.role.russianName + " · мой профиль")) { "\(user.fullName) · \(user.scopeLabel)" }
                        el("form", .method("post"), .action("/logout"), .class("inline")) {
                            csrfField(context.csrf)
                            el("button", .type("submit"), .class("link")) { "Выйти" }
                        }
                    }
                }
            }
            el("main") {
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
            }
            el("body") { body() }
        }]))
    }

    static func navLink(_ href: String, _ label: String, _ section: Section, _ active: Section) -> HTMLNode {
        el("a", .href(href), .when(section == active, .class("active"))) { label }
    }

    static func csrfField(_ token: String) -> HTMLNode {
        el("input", .type("hidden"), .name(CSRF.field), .value(token))
    }
}

/// Small view helpers shared by the features.
enum UI {
    static func field(_ label: String, name: String, value: String?, type: String = "text", required: Bool = false,
                      hint: String? = nil) -> HTMLNode {
        el("label") {
            el("span") { label + (required ? " *" : "") }
            el("input", .type(type), .name(name), .value(value), .when(required, .required))
            if let hint { el("small") { hint } }
        }
    }

    static func select(_ label: String, name: String, options: [(value: String, label: String)], selected: String?,
                       required: Bool = false, includeEmpty: String? = nil) -> HTMLNode {
        el("label") {
            el("span") { label + (required ? " *" : "") }
            el("select", .name(name), .when(required, .required)) {
                if let includeEmpty { el("option", .value("")) { includeEmpty } }
                options.map { option in
                    el("option", .value(option.value), .when(option.value == selected, .selected)) { option.label }
                }
            }
        }
    }

    static func number(_ value: Int?) -> String { value.map(RussianFormat.integer) ?? "—" }

    static func emptyRow(_ columns: Int, _ message: String) -> HTMLNode {
        el("tr") { el("td", Attr("colspan", String(columns)), .class("empty")) { message } }
    }
}
