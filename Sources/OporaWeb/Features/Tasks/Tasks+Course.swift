import Fluent
import Foundation
import OporaData
import OporaDomain
import Vapor

/// «Запланировать курс» from a common deficit of the listed schools: the events form, prefilled with the course's
/// title, the requirement as its topic and the listed schools that show the deficit. Saved as an `events` file through
/// the importer, so the event belongs to the user's territory and is audited like any upload.
struct TasksCourseModel: Sendable {
    let requirement: String
    let year: Int
    let code: String
    let title: String
    let start: CalendarDay
    let hours: String
    /// The territory's schools, those with the deficit ticked.
    var schools: [(code: String, name: String, ticked: Bool)]
    /// A refused form, shown again as typed with each problem beside its field.
    var echo: FormEcho?

    static func build(_ req: Request) async throws -> TasksCourseModel {
        guard let requirement = try req.queryText("requirement", maxLength: 500), let year = try req.queryYear() else {
            throw Abort(.badRequest, reason: "Не указаны требование и год")
        }
        return try await build(req, requirement: requirement, year: year)
    }

    static func build(_ req: Request, requirement: String, year: Int) async throws -> TasksCourseModel {
        let user = try req.user
        try requirePlanner(user)
        let repository = VprAnalysisRepository(db: req.db)
        let withDeficit = Set(try await repository.listedDeficits(year: year, scope: user.scope)?
            .first { $0.requirement == requirement }?.schools ?? [])
        let schools = try await ScopeQueries.schools(user.scope, on: req.db).sort(\.$name).all()
        // A short code that stays the same for the same requirement, so a course planned twice is one event.
        let number = requirement.unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 9_973 }
        return TasksCourseModel(
            requirement: requirement, year: year, code: "ВПР-\(year)-\(number)",
            title: DeficitMeasure.courseTitle(requirement: requirement), start: CalendarDay.today(), hours: "36",
            schools: schools.map { ($0.code, $0.displayName, withDeficit.contains($0.id!)) })
    }

    func value(_ input: String, _ stored: String) -> String { echo.value(input, for: "/tasks/course", stored: stored) }
    func error(_ input: String) -> String? { echo.error(input, for: "/tasks/course") }

    /// A territory's coordinator or analyst plans courses (a school's user does not).
    static func requirePlanner(_ user: CurrentUser) throws {
        guard user.role.canImport, user.scope.isTerritory else {
            throw Abort(.forbidden, reason: "Курсы планирует орган управления образованием")
        }
    }

    struct Form: Content {
        var code: String?; var title: String?; var topic: String?; var start: String?; var hours: String?
        var schools: [String]?; var requirement: String?; var year: String?; var confirm_start: String?
    }

    /// The `events` columns the importer may refuse, and the form's fields they come from.
    static let inputs = ["event": "code", "title": "title", "topic": "topic", "start": "start", "hours": "hours",
                         "school": "schools"]

    /// One `events` row per ticked school; the importer checks the scope, the codes and the figures. A refused
    /// form comes back as typed, each problem beside its field.
    static func save(_ req: Request) async throws -> Response {
        let user = try req.user
        try requirePlanner(user)
        let form = try req.content.decode(Form.self)
        let schools = (form.schools ?? []).compactMap { Optional($0).cleaned }
        var check = FormCheck(["code": form.code ?? "", "title": form.title ?? "", "topic": form.topic ?? "",
                               "start": form.start ?? "", "hours": form.hours ?? "",
                               FormCheck.confirmation("start"): form.confirm_start ?? ""], today: req.today)
        _ = check.required("code")
        _ = check.required("title")
        let start = check.day("start", required: true, expect: .due)
        _ = check.integer("hours", in: 1...10_000, required: true)
        if schools.isEmpty { check.refuse("schools", "Отметьте хотя бы одну школу") }
        func refused(_ message: String? = nil) async throws -> Response {
            guard let requirement = form.requirement.cleaned, let year = form.year.cleaned.flatMap({ Int($0) }),
                  InputRange.year.contains(year) else {
                // The requirement and year are the form's hidden fields, never typed: without them it is no course form.
                throw Abort(.badRequest, reason: "Форма курса без требования и года: откройте её заново из «Анализа ВПР»")
            }
            var model = try await build(req, requirement: requirement, year: year)
            model.echo = check.echo(action: "/tasks/course", message: message)
            model.schools = model.schools.map { ($0.code, $0.name, schools.contains($0.code)) }
            return try await TasksView.course(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard check.passed, let start else { return try await refused() }
        func cell(_ text: String?) -> String { "\"" + (text ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let header = "event,title,kind,start,hours,school,topic"
        let rows = schools.map { school in
            [cell(form.code), cell(form.title), "course", cell(start.russian), cell(form.hours), cell(school), cell(form.topic)]
                .joined(separator: ",")
        }
        do {
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope)
                .importFile(.events, bytes: Array(([header] + rows).joined(separator: "\n").utf8), fileName: "форма")
            return req.redirect(to: "/support", flash: .success, "Курс «\(form.title ?? "")» запланирован: школ \(schools.count)")
        } catch let rejected as ImportRejected {
            var unplaced: [String] = []
            for issue in rejected.errors {
                if let input = inputs[issue.column] { check.refuse(input, issue.message) } else { unplaced.append(issue.message) }
            }
            return try await refused(unplaced.isEmpty ? nil : unplaced.joined(separator: "; "))
        }
    }
}

extension TasksView {
    static func course(_ model: TasksCourseModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Запланировать курс", context, active: .tasks) {
            el("h1") { "Запланировать курс по дефициту ВПР" }
            el("p", .class("lead")) { "Требование: «\(model.requirement)», \(model.year) год. Отмечены школы перечня с этим дефицитом." }
            UI.refusal(model.echo, for: "/tasks/course")
            el("form", .method("post"), .action("/tasks/course"), .class("panel"), .id("course-form")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("requirement"), .value(model.requirement))
                el("input", .type("hidden"), .name("year"), .value(String(model.year)))
                UI.field("Код мероприятия", name: "code", value: model.value("code", model.code), required: true,
                         error: model.error("code"))
                UI.field("Наименование", name: "title", value: model.value("title", model.title), required: true,
                         error: model.error("title"))
                UI.field("Тема", name: "topic", value: model.value("topic", model.requirement), error: model.error("topic"))
                UI.field("Дата начала", name: "start", value: model.value("start", model.start.russian), required: true,
                         hint: "ДД.ММ.ГГГГ", error: model.error("start"), warning: model.echo.warning("start", for: "/tasks/course"))
                UI.field("Часов", name: "hours", value: model.value("hours", model.hours), required: true, error: model.error("hours"))
                el("fieldset") {
                    el("legend") { "Школы" }
                    if let problem = model.error("schools") { el("p", .class("field-error")) { problem } }
                    model.schools.map { school in
                        el("label") {
                            el("input", .type("checkbox"), .name("schools[]"), .value(school.code), .when(school.ticked, .checked))
                            " \(school.name)"
                        }
                    }
                }
                el("button", .type("submit")) { "Запланировать" }
            }
        }
    }
}
