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

    @Sendable func endAssignment(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        let id = try req.intParameter("id")
        return try await SupportBoardController.answer(req, back: SupportBoardController.referringPath(req, fallback: "/support")) {
            guard let day = try FormInput.day(form["until"], "Дата окончания")
                else { throw RepositoryError.invalid(field: "Дата окончания", message: "обязательна") }
            try await SupportRepository(db: req.db).endAssignment(id, on: day, expectedVersion: Int(form["version"] ?? "") ?? 0,
                                                                  scope: user.scope, actor: user.actor)
            return "Куратор откреплён"
        }
    }

    @Sendable func updatePair(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        let id = try req.intParameter("id")
        let back = SupportBoardController.referringPath(req, fallback: "/support")
        return try await SupportBoardController.answer(req, back: back) {
            guard let status = form["status"].flatMap(MentorPairStatus.init(rawValue:))
                else { throw RepositoryError.invalid(field: "Состояние", message: "выберите из списка") }
            try await SupportRepository(db: req.db).updatePair(id, status: status, activities: form["activities"].cleaned,
                                                               expectedVersion: Int(form["version"] ?? "") ?? 0,
                                                               scope: user.scope, actor: user.actor)
            return "Сохранено"
        }
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

    @Sendable func done(_ req: Request) async throws -> Response {
        let user = try req.user
        guard user.role != .viewer else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        let id = try req.intParameter("id")
        let version = Int(try req.content.decode([String: String].self)["version"] ?? "") ?? 0
        return try await SupportBoardController.answer(req, back: SupportBoardController.referringPath(req, fallback: "/support")) {
            try await SupportRepository(db: req.db).closeFollowUp(id, expectedVersion: version, scope: user.scope, actor: user.actor)
            return "Отмечено исполненным"
        }
    }
}
