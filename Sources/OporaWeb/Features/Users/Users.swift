import Fluent
import OporaData
import OporaDomain
import Vapor

struct UsersModel {
    struct Row { let login: String; let fullName: String; let role: Role; let scope: String; let isActive: Bool }
    let rows: [Row]
    let municipalities: [(id: Int, name: String)]
    let regions: [(id: Int, name: String)]
    let schools: [(id: Int, name: String)]

    static func build(_ req: Request) async throws -> UsersModel {
        let user = try req.require(\.canManageUsers)
        let municipalities = try await ScopeQueries.municipalities(user.scope, on: req.db).sort(\.$name).all()
        let regions = try await ScopeQueries.regions(user.scope, on: req.db).sort(\.$name).all()
        let schools = try await ScopeQueries.schools(user.scope, on: req.db).sort(\.$name).all()
        var rows: [Row] = []
        // Users are listed when their own scope lies inside the viewer's.
        for candidate in try await UserModel.query(on: req.db).sort(\.$login).all() {
            let (scope, label) = try await AccountService.scope(of: candidate, on: req.db)
            let visible: Bool
            switch scope {
            case .everything: visible = user.scope == .everything
            case .region(let id): visible = user.scope.containsRegion(id: id)
            case .municipality(let id): visible = municipalities.contains { $0.id == id }
            case .schools(let ids): visible = !ids.isEmpty && ids.allSatisfy { id in schools.contains { $0.id == id } }
            }
            if visible { rows.append(Row(login: candidate.login, fullName: candidate.fullName, role: candidate.roleValue, scope: label, isActive: candidate.isActive)) }
        }
        return UsersModel(rows: rows, municipalities: municipalities.map { ($0.id!, $0.name) },
                          regions: regions.map { ($0.id!, $0.name) }, schools: schools.map { ($0.id!, $0.displayName) })
    }
}

enum UsersView {
    static func page(_ model: UsersModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Пользователи", context, active: .users) {
            el("h1") { "Пользователи" }
            el("table") {
                el("thead") { el("tr") { el("th") { "Логин" }; el("th") { "ФИО" }; el("th") { "Роль" }; el("th") { "Область доступа" } } }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(4, "Пользователей нет") }
                    model.rows.map { row in
                        el("tr") {
                            el("td") { row.login }
                            el("td") { row.fullName }
                            el("td") { row.role.russianName }
                            el("td") { row.scope }
                        }
                    }
                }
            }
            el("h2") { "Добавить пользователя" }
            el("form", .class("stack"), .method("post"), .action("/users")) {
                Layout.csrfField(context.csrf)
                UI.field("Логин", name: "login", value: nil, required: true)
                UI.field("ФИО", name: "full_name", value: nil, required: true)
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

struct UsersController {
    let bcryptCost: Int

    func register(_ routes: any RoutesBuilder) {
        routes.get("users", use: show)
        routes.post("users", use: create)
    }

    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        UsersView.page(try await UsersModel.build(req), try req.pageContext())
    }

    struct Form: Content {
        var login: String?; var full_name: String?; var password: String?; var role: String?
        var region_id: String?; var municipality_id: String?; var school_ids: [Int]?
    }

    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try req.require(\.canManageUsers)
        let form = try req.content.decode(Form.self)
        guard let role = Role(rawValue: form.role ?? "") else { return req.redirect(to: "/users", flash: .error, "Роль: выберите из списка") }
        if user.role != .regionalAnalyst && role == .regionalAnalyst {
            return req.redirect(to: "/users", flash: .error, "Роль регионального аналитика может выдать только региональный аналитик")
        }
        let new = AccountService.NewUser(login: form.login ?? "", fullName: form.full_name ?? "", password: form.password ?? "", role: role,
                                         regionID: form.region_id.cleaned.flatMap { Int($0) },
                                         municipalityID: form.municipality_id.cleaned.flatMap { Int($0) }, schoolIDs: form.school_ids ?? [])
        do {
            try await AccountService.createUser(new, by: user.actor, grantorScope: user.scope, bcryptCost: bcryptCost, on: req.db)
            return req.redirect(to: "/users", flash: .success, "Пользователь \(new.login) добавлен")
        } catch let error as RepositoryError {
            return req.redirect(to: "/users", flash: .error, error.description)
        }
    }
}
