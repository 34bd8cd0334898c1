import Fluent
import OporaData
import OporaDomain
import Vapor

struct SupportController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("support") { req async throws -> HTMLNode in
            SupportView.board(try await req.cachedModel(SupportBoardModel.build), try req.pageContext())
        }
        routes.get("schools", ":id", "support") { req async throws -> HTMLNode in
            SupportView.school(try await SchoolSupportModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("support", "pairs", use: addPair)
        routes.post("support", "visits", use: addVisit)
        routes.post("support", "visits", ":id", "done", use: done)
    }

    static func day(_ text: String?, _ field: String) throws -> CalendarDay? {
        guard let text = text.cleaned else { return nil }
        guard let day = CalendarDay(parsing: text) else { throw RepositoryError.invalid(field: field, message: "ожидается дата ДД.ММ.ГГГГ") }
        return day
    }

    static func id(_ text: String?) throws -> Int {
        guard let text = text.cleaned, let id = Int(text), InputRange.id.contains(id) else { throw Abort(.notFound) }
        return id
    }

    @Sendable func addPair(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        do {
            guard let start = form["start_year"].cleaned.flatMap({ Int($0) }), let end = form["end_year"].cleaned.flatMap({ Int($0) }),
                  InputRange.year.contains(start), InputRange.year.contains(end) else {
                throw RepositoryError.invalid(field: "Период", message: "годы от 2000 до 2100")
            }
            guard start <= end else { throw RepositoryError.invalid(field: "Период", message: "окончание раньше начала") }
            let warnings = try await SupportRepository(db: req.db).addPair(
                .init(supportedID: try Self.id(form["supported"]), mentorID: try Self.id(form["mentor"]), period: start...end,
                      agreementNumber: form["agreement_number"].cleaned.map { String($0.prefix(100)) },
                      agreementDate: try Self.day(form["agreement_date"], "Дата соглашения"), subject: form["subject"].cleaned.map { String($0.prefix(1000)) },
                      link: form["link"].cleaned.map { String($0.prefix(1000)) }), scope: user.scope, actor: user.actor)
            return req.redirect(to: "/support", flash: .success, "Наставник закреплён" + (warnings.isEmpty ? "" : ". Внимание: " + warnings.joined(separator: "; ")))
        } catch let error as RepositoryError {
            return req.redirect(to: "/support", flash: .error, error.description)
        }
    }

    @Sendable func addVisit(_ req: Request) async throws -> Response {
        let user = try req.user
        guard user.role != .viewer else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        let form = try req.content.decode([String: String].self)
        let schoolID = try Self.id(form["school"])
        let back = "/schools/\(schoolID)/support"
        do {
            guard let day = try Self.day(form["date"], "Дата") else { throw RepositoryError.invalid(field: "Дата", message: "обязательна") }
            try await SupportRepository(db: req.db).addVisit(
                .init(schoolID: schoolID, day: day, visitor: String((form["visitor"].cleaned ?? "").prefix(300)),
                      format: form["format"].flatMap(VisitFormat.init(rawValue:)) ?? .onSite, topic: String((form["topic"].cleaned ?? "").prefix(1000)),
                      findings: form["findings"].cleaned.map { String($0.prefix(5000)) }, recommendations: form["recommendations"].cleaned.map { String($0.prefix(5000)) },
                      followUp: form["follow_up"].cleaned.map { String($0.prefix(2000)) }, followUpDue: try Self.day(form["follow_up_due"], "Срок")),
                scope: user.scope, actor: user.actor)
            return req.redirect(to: back, flash: .success, "Визит записан")
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            return req.redirect(to: back, flash: .error, error.description)
        }
    }

    @Sendable func done(_ req: Request) async throws -> Response {
        let user = try req.user
        guard user.role != .viewer else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        let id = try req.intParameter("id")
        let version = Int(try req.content.decode([String: String].self)["version"] ?? "") ?? 0
        do {
            try await SupportRepository(db: req.db).closeFollowUp(id, expectedVersion: version, scope: user.scope, actor: user.actor)
            return req.redirect(to: req.headers.first(name: .referer).flatMap { URL(string: $0)?.path } ?? "/support", flash: .success, "Отмечено исполненным")
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            return req.redirect(to: "/support", flash: .error, error.description)
        }
    }
}
