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
    @Sendable func addVisit(_ req: Request) async throws -> Response {
        let user = try req.user
        guard user.role != .viewer else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        let form = try req.content.decode([String: String].self)
        let schoolID = try FormInput.recordID(form["school"])
        return try await SupportBoardController.answer(req, back: "/schools/\(schoolID)/support") {
            guard let day = try FormInput.day(form["date"], "Дата")
                else { throw RepositoryError.invalid(field: "Дата", message: "обязательна") }
            try await SupportRepository(db: req.db).addVisit(
                .init(schoolID: schoolID, day: day, visitor: try FormInput.name(form["visitor"], "Кто", limit: 300) ?? "",
                      format: form["format"].flatMap(VisitFormat.init(rawValue:)) ?? .onSite,
                      topic: try FormInput.text(form["topic"], "Тема", limit: 1000) ?? "",
                      findings: try FormInput.text(form["findings"], "Выводы", limit: 5000),
                      recommendations: try FormInput.text(form["recommendations"], "Рекомендации", limit: 5000),
                      followUp: try FormInput.text(form["follow_up"], "Поручение", limit: 2000),
                      followUpDue: try FormInput.day(form["follow_up_due"], "Срок")),
                scope: user.scope, actor: user.actor)
            return "Визит записан"
        }
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
