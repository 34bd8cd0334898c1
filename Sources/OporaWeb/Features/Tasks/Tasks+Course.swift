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
    let schools: [(code: String, name: String, ticked: Bool)]

    static func build(_ req: Request) async throws -> TasksCourseModel {
        let user = try req.user
        try requirePlanner(user)
        guard let requirement = try req.queryText("requirement", maxLength: 500), let year = try req.queryYear() else {
            throw Abort(.badRequest, reason: "Не указаны требование и год")
        }
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

    /// A territory's coordinator or analyst plans courses (a school's user does not).
    static func requirePlanner(_ user: CurrentUser) throws {
        guard user.role.canImport, user.scope.isTerritory else {
            throw Abort(.forbidden, reason: "Курсы планирует орган управления образованием")
        }
    }

    struct Form: Content {
        var code: String?; var title: String?; var topic: String?; var start: String?; var hours: String?
        var schools: [String]?
    }

    /// One `events` row per ticked school; the importer checks the scope, the codes and the figures.
    static func save(_ req: Request) async throws -> Response {
        let user = try req.user
        try requirePlanner(user)
        let form = try req.content.decode(Form.self)
        let schools = (form.schools ?? []).compactMap { Optional($0).cleaned }
        guard !schools.isEmpty else { return req.redirect(to: "/tasks", flash: .error, "Не выбраны школы") }
        func cell(_ text: String?) -> String { "\"" + (text ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let header = "event,title,kind,start,hours,school,topic"
        let rows = schools.map { school in
            [cell(form.code), cell(form.title), "course", cell(form.start), cell(form.hours), cell(school), cell(form.topic)]
                .joined(separator: ",")
        }
        do {
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope)
                .importFile(.events, bytes: Array(([header] + rows).joined(separator: "\n").utf8), fileName: "форма")
            return req.redirect(to: "/support", flash: .success, "Курс «\(form.title ?? "")» запланирован: школ \(schools.count)")
        } catch let rejected as ImportRejected {
            return req.redirect(to: "/tasks", flash: .error, rejected.errors.map { "\($0.column): \($0.message)" }.joined(separator: "; "))
        }
    }
}

extension TasksView {
    static func course(_ model: TasksCourseModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Запланировать курс", context, active: .tasks) {
            el("h1") { "Запланировать курс по дефициту ВПР" }
            el("p", .class("lead")) { "Требование: «\(model.requirement)», \(model.year) год. Отмечены школы перечня с этим дефицитом." }
            el("form", .method("post"), .action("/tasks/course"), .class("panel"), .id("course-form")) {
                Layout.csrfField(context.csrf)
                UI.field("Код мероприятия", name: "code", value: model.code, required: true)
                UI.field("Наименование", name: "title", value: model.title, required: true)
                UI.field("Тема", name: "topic", value: model.requirement)
                UI.field("Дата начала", name: "start", value: model.start.russian, required: true, hint: "ДД.ММ.ГГГГ")
                UI.field("Часов", name: "hours", value: model.hours, required: true)
                el("fieldset") {
                    el("legend") { "Школы" }
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
