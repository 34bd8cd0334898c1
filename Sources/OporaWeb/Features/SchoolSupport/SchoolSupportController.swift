import Fluent
import OporaData
import OporaDomain
import Vapor

/// A school's «Сопровождение» tab (`/schools/:id/support`) and its forms: a visit logged, a follow-up done, a
/// curator released, a mentor pair's state.
struct SchoolSupportController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("schools", ":id", "support") { req async throws -> HTMLNode in
            var model = try await SchoolSupportModel.build(req, id: try req.intParameter("id"))
            model.vprDeficits = try await VprAnalysisRepository(db: req.db).deficits(place: .school(model.school.id!)).byRequirement
            return SchoolSupportView.page(model, try req.pageContext())
        }
        routes.post("support", "pairs", ":id", use: updatePair)
        routes.post("support", "visits", use: addVisit)
        routes.post("support", "visits", ":id", "done", use: done)
        routes.post("support", "curators", ":id", "end", use: endAssignment)
    }

    /// A curator released on a day (today by default): a day that does not exist, or one before the assignment began,
    /// comes back beside the field on the school's tab as typed; a stale form (someone changed it first) is a 409.
    @Sendable func endAssignment(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let id = try req.intParameter("id")
        guard let school = try await CuratorAssignmentModel.find(id, on: req.db)?.$school.id else { throw Abort(.notFound) }
        _ = try await req.schoolInScope(school)
        var check = FormCheck(req.formValues(), today: req.today)
        let day = check.day("until", required: true)
        let action = SchoolSupportView.endAction(id)
        guard check.passed, let day else { return try await Self.refused(req, check, action: action, school: school) }
        do {
            try await SupportRepository(db: req.db).endAssignment(id, on: day, expectedVersion: check.openedVersion,
                                                                  scope: user.scope, actor: user.actor)
        } catch let error as RepositoryError {
            return try await Self.refused(req, check, action: action, school: school, error: error,
                                          inputs: ["Дата окончания": "until"])
        }
        return req.redirect(to: "/schools/\(school)/support", flash: .success, "Куратор откреплён")
    }

    /// A mentor pair's state and what was done: a refused one comes back open in its row as typed.
    @Sendable func updatePair(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let id = try req.intParameter("id")
        guard let school = try await MentorPairModel.find(id, on: req.db)?.$supported.id else { throw Abort(.notFound) }
        _ = try await req.schoolInScope(school)
        var check = FormCheck(req.formValues(), today: req.today)
        let status = check.choice("status", MentorPairStatus.self)
        let activities = check.text("activities", limit: 5_000)
        let action = SchoolSupportView.pairAction(id)
        guard check.passed, let status else { return try await Self.refused(req, check, action: action, school: school) }
        do {
            try await SupportRepository(db: req.db).updatePair(id, status: status, activities: activities,
                                                               expectedVersion: check.openedVersion, scope: user.scope, actor: user.actor)
        } catch let error as RepositoryError {
            return try await Self.refused(req, check, action: action, school: school, error: error,
                                          inputs: ["Что сделано": "activities", "Состояние": "status"])
        }
        return req.redirect(to: "/schools/\(school)/support#pairs", flash: .success, "Сохранено")
    }

    /// The school's tab again with a refused form of it: 422, or 409 when someone else saved first; a record the
    /// scope does not hold is a 404. A repository refusal stands beside the field `inputs` names for it.
    static func refused(_ req: Request, _ check: FormCheck, action: String, school: Int, error: RepositoryError? = nil,
                        inputs: [String: String] = [:]) async throws -> Response {
        var check = check
        var message: String? = nil
        var status = HTTPStatus.unprocessableEntity
        if let error {
            if case .notFound = error { throw Abort(.notFound) }
            if case .conflict = error { status = .conflict }
            message = check.absorb(error, inputs: inputs)
        }
        return try await SupportBoardController.refused(req, check.echo(action: action, message: message), school: school,
                                                        status: status)
    }

    /// A visit logged from the board (the school chosen) or from a school's tab. It must have happened: a day
    /// after today is refused; a long-past one and a follow-up already due are asked about («Дата верна»).
    @Sendable func addVisit(_ req: Request) async throws -> Response {
        let user = try req.user
        guard user.role != .viewer else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        var check = FormCheck(req.formValues(), today: req.today)
        let schoolID = check.school("school")
        // A school outside the scope is a 404 before anything typed is looked at, as on every page.
        if let schoolID { _ = try await req.schoolInScope(schoolID) }
        let day = check.day("date", required: true, expect: .happened)
        let visitor = check.name("visitor", limit: 300, required: true)
        let format = check.choice("format", VisitFormat.self, required: false) ?? .onSite
        let topic = check.text("topic", limit: 1000, required: true)
        let findings = check.text("findings", limit: 5000)
        let recommendations = check.text("recommendations", limit: 5000)
        let followUp = check.text("follow_up", limit: 2000)
        let due = check.day("follow_up_due", expect: .due)
        if let day, let due, due < day { check.refuse("follow_up_due", "раньше даты визита (\(day.russian))") }
        let tab = check["page"] == "school" ? schoolID : nil
        let action = SchoolSupportView.visitAction
        guard check.passed, let schoolID, let day, let visitor, let topic else {
            return try await SupportBoardController.refused(req, check.echo(action: action), school: tab)
        }
        do {
            try await SupportRepository(db: req.db).addVisit(
                .init(schoolID: schoolID, day: day, visitor: visitor, format: format, topic: topic, findings: findings,
                      recommendations: recommendations, followUp: followUp, followUpDue: due),
                scope: user.scope, actor: user.actor)
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let message = check.absorb(error, inputs: ["Кто": "visitor", "Тема": "topic", "Срок исполнения": "follow_up_due"])
            return try await SupportBoardController.refused(req, check.echo(action: action, message: message), school: tab)
        }
        return req.redirect(to: "/schools/\(schoolID)/support", flash: .success, "Визит записан")
    }

    /// A visit's follow-up marked done: a button only, so its refusal (someone marked it or changed the visit first)
    /// stands next to that button on the school's tab.
    @Sendable func done(_ req: Request) async throws -> Response {
        let user = try req.user
        guard user.role != .viewer else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        let id = try req.intParameter("id")
        guard let school = try await VisitModel.find(id, on: req.db)?.$school.id else { throw Abort(.notFound) }
        _ = try await req.schoolInScope(school)
        let check = FormCheck(req.formValues(), today: req.today)
        do {
            try await SupportRepository(db: req.db).closeFollowUp(id, expectedVersion: check.openedVersion, scope: user.scope,
                                                                  actor: user.actor)
        } catch let error as RepositoryError {
            return try await Self.refused(req, check, action: SchoolSupportView.doneAction(id), school: school, error: error)
        }
        return req.redirect(to: "/schools/\(school)/support#visits", flash: .success, "Отмечено исполненным")
    }
}

extension FormCheck {
    /// The version the form was opened at (`version`, 0 when none was sent).
    fileprivate var openedVersion: Int { self["version"].flatMap { Int($0) } ?? 0 }
}
