import Fluent
import OporaData
import OporaDomain
import Vapor

/// The support board (`/support`): its export, its JSON and the forms on it — a curator assigned, a mentor pair
/// formed, a programme's forecast set.
struct SupportBoardController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("support") { req async throws -> HTMLNode in
            SupportBoardView.page(try await req.cachedModel(SupportBoardModel.build), try req.pageContext())
        }
        routes.get("support", "export.xlsx") { req async throws -> Response in
            let model = try await req.cachedModel(SupportBoardModel.build)
            return try TableExport.response(model.sheet, format: .xlsx, name: TableExport.fileName(["support", String(model.year)]),
                                            sheet: "Сопровождение")
        }
        routes.get("api", "support") { req async throws -> SupportAPI in SupportAPI(try await req.cachedModel(SupportBoardModel.build)) }
        routes.post("support", "pairs", use: addPair)
        routes.post("support", "curators", use: assignCurator)
        routes.post("support", "forecasts", use: setForecast)
    }

    /// The board as JSON for other software: the same rows and scope as the page.
    struct SupportAPI: Content {
        struct Row: Content {
            let code: String, school: String, status: String?, curators: [String], mentor: String?
            let lastVisit: String?, nextFollowUp: String?, overdue: Int, people: Int, personHours: Double, teamMeetsRule: Bool
        }
        let year: Int
        let teams: Int
        let teamPeople: Int
        let withoutMentor: [String]
        let schools: [Row]

        init(_ model: SupportBoardModel) {
            year = model.year
            teams = model.teams.teams
            teamPeople = model.teams.people
            withoutMentor = model.withoutMentor
            schools = model.rows.map {
                Row(code: $0.code, school: $0.school, status: $0.status?.rawValue, curators: $0.curators, mentor: $0.mentor,
                    lastVisit: $0.lastVisit?.iso,
                    nextFollowUp: $0.nextFollowUp?.iso, overdue: $0.overdue, people: $0.people, personHours: $0.personHours,
                        teamMeetsRule: $0.teamMeetsRule)
            }
        }
    }

    /// A form's answer: back to `path` with the change's message or the refusal's, 404 for what the scope does not hold.
    static func answer(_ req: Request, back path: String, _ change: () async throws -> String) async throws -> Response {
        do {
            return req.redirect(to: path, flash: .success, try await change())
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            return req.redirect(to: path, flash: .error, error.description)
        }
    }

    /// The page the form was sent from (a path of this site only, `SafeRedirect`), or `fallback`.
    static func referringPath(_ req: Request, fallback: String) -> String {
        SafeRedirect.referringPath(req.headers.first(name: .referer)) ?? fallback
    }

    @Sendable func assignCurator(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        let schoolID = try FormInput.recordID(form["school"])
        return try await Self.answer(req, back: "/schools/\(schoolID)/support") {
            guard let from = try FormInput.day(form["from"], "С") else { throw RepositoryError.invalid(field: "С", message: "обязательно") }
            try await SupportRepository(db: req.db).assignCurator(
                .init(curatorID: try FormInput.recordID(form["curator"]), schoolID: schoolID, from: from,
                      until: try FormInput.day(form["until"], "По"),
                      direction: try FormInput.name(form["direction"], "Направление", limit: 200)), scope: user.scope, actor: user.actor)
            return "Куратор закреплён"
        }
    }


    @Sendable func setForecast(_ req: Request) async throws -> Response {
        let user = try req.user
        let form = try req.content.decode([String: String].self)
        guard let year = form["year"].cleaned.flatMap({ Int($0) }), InputRange.year.contains(year)
            else { throw Abort(.badRequest, reason: "Год: от 2000 до 2100") }
        guard let programme = try await PlanRepository(db: req.db).programme(try FormInput.recordID(form["programme"]),
                                                                             scope: user.scope) else { throw Abort(.notFound) }
        guard ProgrammeAccess.canChange(programme.place, role: user.role, scope: user.scope)
            else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        return try await Self.answer(req, back: "/support?year=\(year)") {
            var figures = SupportFigures()
            for field in SupportFigures.fields {
                guard let text = form[field.code].cleaned else { continue }
                guard let value = Int(text) else { throw RepositoryError.invalid(field: field.name, message: "ожидается целое число") }
                figures[keyPath: field.key] = value
            }
            try await SupportRepository(db: req.db).setForecast(programme: programme, year: year, figures: figures,
                                                                expectedVersion: Int(form["version"] ?? "") ?? -1, actor: user.actor)
            return "Прогноз сохранён"
        }
    }


    @Sendable func addPair(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        return try await Self.answer(req, back: "/support") {
            guard let start = form["start_year"].cleaned.flatMap({ Int($0) }), let end = form["end_year"].cleaned.flatMap({ Int($0) }),
                  InputRange.year.contains(start), InputRange.year.contains(end) else {
                throw RepositoryError.invalid(field: "Период", message: "годы от 2000 до 2100")
            }
            guard start <= end else { throw RepositoryError.invalid(field: "Период", message: "окончание раньше начала") }
            let warnings = try await SupportRepository(db: req.db).addPair(
                .init(supportedID: try FormInput.recordID(form["supported"]), mentorID: try FormInput.recordID(form["mentor"]),
                      period: start...end,
                      agreementNumber: try FormInput.name(form["agreement_number"], "Номер соглашения", limit: 100),
                      agreementDate: try FormInput.day(form["agreement_date"], "Дата соглашения"),
                      subject: try FormInput.text(form["subject"], "Предмет соглашения", limit: 1000),
                      link: try FormInput.name(form["link"], "Ссылка", limit: 1000)), scope: user.scope, actor: user.actor)
            return "Наставник закреплён" + (warnings.isEmpty ? "" : ". Внимание: " + warnings.joined(separator: "; "))
        }
    }

}
