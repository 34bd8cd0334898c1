import Fluent
import OporaData
import OporaDomain
import Vapor

struct DecisionsController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("decisions") { req async throws -> HTMLNode in
            DecisionsView.page(try await DecisionsModel.build(req), try req.pageContext())
        }
        routes.post("decisions", use: create)
        routes.post("decisions", ":id", "close", use: close)
    }

    func requireDecider(_ req: Request) throws -> CurrentUser {
        let user = try req.user
        guard user.role != .viewer, user.role != .curator
            else { throw Abort(.forbidden, reason: "Решения записывает орган управления образованием") }
        return user
    }

    /// The page again with a refused form as typed: 422, or 409 when someone else saved first.
    func refused(_ req: Request, _ echo: FormEcho, status: HTTPStatus = .unprocessableEntity) async throws -> Response {
        var model = try await DecisionsModel.build(req)
        model.echo = echo
        return try await DecisionsView.page(model, try req.pageContext()).encodeResponse(status: status, for: req)
    }

    /// A decision belongs to the programme's territory, or to the user's own where it names none. Its deadline is
    /// read as a deadline: one already past, or years ahead, is asked about before it is saved.
    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try requireDecider(req)
        var check = FormCheck(req.formValues(), today: req.today)
        let programmeID = check.record("programme", "Выберите программу", required: false)
        let schoolID = check.record("school", "Выберите школу", required: false)
        // A programme or school outside the scope is a 404 before anything typed is looked at, as on every page.
        if let programmeID {
            _ = try await PlanModel.load(req, id: programmeID)
        } else if let schoolID {
            _ = try await req.schoolInScope(schoolID)
        }
        let kind = check.choice("kind", FindingKind.self, required: false) ?? .other
        let ref = check["ref"].flatMap { Int($0) }
        let finding = check.text("finding", limit: 2000, required: true)
        let decision = check.text("decision", limit: 5000, required: true)
        let responsible = check.name("responsible", limit: 300, required: true)
        let due = check.day("due", expect: .due)
        guard check.passed, let finding, let decision, let responsible else {
            return try await refused(req, check.echo(action: DecisionsView.newAction))
        }
        var place = AuditPlace()
        if let programmeID {
            let plan = try await PlanModel.load(req, id: programmeID)
            guard plan.canChange(user)
                else { throw Abort(.forbidden, reason: "Решения по этой программе записывает её ответственный орган") }
            place = AuditPlace(regionID: plan.regionID, municipalityID: plan.municipalityID, schoolID: plan.schoolID)
        } else if let schoolID {
            // A decision about one school belongs to it (and so to its municipality and region).
            let school = try await req.schoolInScope(schoolID)
            place = AuditPlace(regionID: school.municipality.$region.id, municipalityID: school.$municipality.id, schoolID: schoolID)
        } else {
            switch user.scope {
            case .everything: break
            case .region(let id): place = AuditPlace(regionID: id)
            case .municipality(let id):
                let municipality = try await MunicipalityModel.find(id, on: req.db)
                place = AuditPlace(regionID: municipality?.$region.id, municipalityID: id)
            case .schools(let ids):
                guard let school = ids.sorted().first, let found = try await ScopeQueries.place(ofSchool: school, on: req.db) else {
                    throw Abort(.forbidden)
                }
                place = AuditPlace(regionID: found.regionID, municipalityID: found.municipalityID, schoolID: school)
            }
        }
        let back = "/decisions" + (programmeID.map { "?programme=\($0)" } ?? "")
        do {
            try await PlanRepository(db: req.db).createDecision(
                .init(programmeID: programmeID, schoolID: place.schoolID, place: place, kind: kind, findingRef: ref, finding: finding,
                      decision: decision, responsible: responsible, due: due, ownerLevel: DecisionOwnerLevel.of(creator: user.scope)),
                actor: user.actor)
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let message = check.absorb(error, inputs: ["Основание": "finding", "Решение": "decision", "Ответственный": "responsible",
                                                       "Срок": "due"])
            return try await refused(req, check.echo(action: DecisionsView.newAction, message: message))
        }
        return req.redirect(to: back, flash: .success, "Решение записано")
    }

    @Sendable func close(_ req: Request) async throws -> Response {
        let user = try requireDecider(req)
        let id = try req.intParameter("id")
        guard let decision = try await PlanRepository(db: req.db).decisions(user.scope).first(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "Решение не найдено")
        }
        guard DecisionAccess.canChange(decision.owner, role: user.role, scope: user.scope) else {
            throw Abort(.forbidden, reason: "Решение принял вышестоящий орган: закрыть его может только он")
        }
        var check = FormCheck(req.formValues(), today: req.today)
        let status = check.choice("status", DecisionStatus.self, required: false) ?? .done
        let outcome = check.text("outcome", limit: 2000)
        let action = "/decisions/\(id)/close"
        guard check.passed else { return try await refused(req, check.echo(action: action)) }
        do {
            try await PlanRepository(db: req.db).closeDecision(id, expectedVersion: check["version"].flatMap { Int($0) } ?? 0,
                                                               status: status, outcome: outcome, actor: user.actor)
            return req.redirect(to: "/decisions", flash: .success, "Решение закрыто")
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let message = check.absorb(error, inputs: ["Итог": "outcome"])
            let conflict: Bool
            if case .conflict = error { conflict = true } else { conflict = false }
            return try await refused(req, check.echo(action: action, message: message), status: conflict ? .conflict : .unprocessableEntity)
        }
    }
}
