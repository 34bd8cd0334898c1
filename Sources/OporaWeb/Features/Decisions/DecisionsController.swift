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
        guard user.role != .viewer, user.role != .curator else { throw Abort(.forbidden, reason: "Решения записывает орган управления образованием") }
        return user
    }

    struct NewDecision: Content {
        var kind: String?; var ref: String?; var programme: String?; var school: String?
        var finding: String?; var decision: String?; var responsible: String?; var due: String?
    }

    /// A decision belongs to the programme's territory, or to the user's own where it names none.
    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try requireDecider(req)
        let form = try req.content.decode(NewDecision.self)
        var place = AuditPlace()
        var programmeID: Int? = nil
        if let text = form.programme.cleaned {
            let id = try FormInput.recordID(text)
            let plan = try await PlanModel.load(req, id: id)
            guard plan.canChange(user) else { throw Abort(.forbidden, reason: "Решения по этой программе записывает её ответственный орган") }
            programmeID = id
            place = AuditPlace(regionID: plan.regionID, municipalityID: plan.municipalityID, schoolID: plan.schoolID)
        } else if let text = form.school.cleaned {
            // A decision about one school belongs to it (and so to its municipality and region).
            let id = try FormInput.recordID(text)
            let school = try await req.schoolInScope(id)
            place = AuditPlace(regionID: school.municipality.$region.id, municipalityID: school.$municipality.id, schoolID: id)
        } else {
            switch user.scope {
            case .everything: break
            case .region(let id): place = AuditPlace(regionID: id)
            case .municipality(let id):
                let municipality = try await MunicipalityModel.find(id, on: req.db)
                place = AuditPlace(regionID: municipality?.$region.id, municipalityID: id)
            case .schools(let ids):
                guard let school = ids.sorted().first, let found = try await ScopeQueries.place(ofSchool: school, on: req.db) else { throw Abort(.forbidden) }
                place = AuditPlace(regionID: found.regionID, municipalityID: found.municipalityID, schoolID: school)
            }
        }
        let back = "/decisions" + (programmeID.map { "?programme=\($0)" } ?? "")
        var due: CalendarDay? = nil
        if let text = form.due.cleaned {
            guard let day = CalendarDay(parsing: text) else { return req.redirect(to: back + "#new", flash: .error, "Срок: ожидается дата ДД.ММ.ГГГГ") }
            due = day
        }
        do {
            try await PlanRepository(db: req.db).createDecision(
                .init(programmeID: programmeID, schoolID: place.schoolID, place: place, kind: form.kind.flatMap(FindingKind.init(rawValue:)) ?? .other,
                      findingRef: form.ref.cleaned.flatMap { Int($0) }, finding: form.finding.cleaned ?? "", decision: form.decision.cleaned ?? "",
                      responsible: form.responsible.cleaned ?? "", due: due, ownerLevel: DecisionOwnerLevel.of(creator: user.scope)),
                actor: user.actor)
            return req.redirect(to: back, flash: .success, "Решение записано")
        } catch let error as RepositoryError {
            return req.redirect(to: back + "#new", flash: .error, error.description)
        }
    }

    struct Closing: Content { var version: String?; var status: String?; var outcome: String? }

    @Sendable func close(_ req: Request) async throws -> Response {
        let user = try requireDecider(req)
        let id = try req.intParameter("id")
        guard let decision = try await PlanRepository(db: req.db).decisions(user.scope).first(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "Решение не найдено")
        }
        guard DecisionAccess.canChange(decision.owner, role: user.role, scope: user.scope) else {
            throw Abort(.forbidden, reason: "Решение принял вышестоящий орган: закрыть его может только он")
        }
        let form = try req.content.decode(Closing.self)
        do {
            try await PlanRepository(db: req.db).closeDecision(id, expectedVersion: Int(form.version ?? "") ?? 0,
                                                               status: form.status.flatMap(DecisionStatus.init(rawValue:)) ?? .done,
                                                               outcome: try FormInput.text(form.outcome, "Итог", limit: 2000),
                                                               actor: user.actor)
            return req.redirect(to: "/decisions", flash: .success, "Решение закрыто")
        } catch let error as RepositoryError {
            return req.redirect(to: "/decisions#d\(decision.id!)", flash: .error, error.description)
        }
    }
}
