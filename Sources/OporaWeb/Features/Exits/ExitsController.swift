import Fluent
import OporaData
import OporaDomain
import Vapor

struct ExitsController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("exits") { req async throws -> HTMLNode in
            ExitsView.page(try await ExitsModel.build(req), try req.pageContext())
        }
        routes.post("exits", "record", use: record)
        routes.get("exits", "criteria") { req async throws -> HTMLNode in
            ExitsView.criteria(try await ExitCriteriaModel.build(req), try req.pageContext())
        }
        routes.post("exits", "criteria", use: saveCriteria)
    }

    struct Exit: Content {
        var school: String?; var year: String?; var order_number: String?; var order_date: String?
        var issuer: String?; var authority: String?; var reason: String?
    }

    /// An exit by order: the order's number, date (a day that exists, asked about when years from today), issuer
    /// and reason; a refused one comes back in its school's row as typed.
    @Sendable func record(_ req: Request) async throws -> Response {
        let user = try req.user
        guard ExitsModel.mayRecord(user) else { throw Abort(.forbidden, reason: "Выход из списка оформляет орган власти") }
        var check = FormCheck(req.formValues(), today: req.today)
        let schoolID = try FormInput.recordID(check["school"])
        // A school outside the scope is a 404, as on every page.
        let school = try await req.schoolInScope(schoolID)
        guard let year = check["year"].flatMap({ Int($0) }), InputRange.year.contains(year) else {
            throw Abort(.badRequest, reason: "Год: от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
        }
        let number = check.name("order_number", limit: 100, required: true)
        let date = check.day("order_date", required: true)
        let issuer = check.name("issuer", limit: 300, required: true)
        let authority = check.choice("authority", ListAuthority.self, required: false) ?? .own
        let reason = check.text("reason", limit: 2000, required: true)
        let orderDate = date.flatMap { RussianFormat.parseDate($0.russian) }
        guard check.passed, let number, let orderDate, let issuer, let reason else {
            return try await refused(req, check.echo(action: ExitsView.recordAction))
        }
        do {
            _ = try await ExitRepository(db: req.db).recordExit(
                schoolID: schoolID, year: year, number: number, date: orderDate, issuer: issuer, authority: authority, reason: reason,
                scope: user.scope, actor: user.actor)
            return req.redirect(to: "/exits?year=\(year)", flash: .success, "Поддержка школы «\(school.displayName)» завершена приказом")
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let message = check.absorb(error, inputs: ["Номер приказа": "order_number", "Дата приказа": "order_date",
                                                       "Орган, издавший приказ": "issuer", "Основание": "reason"])
            return try await refused(req, check.echo(action: ExitsView.recordAction, message: message))
        }
    }

    /// The list again with the refused order in its row: 422.
    func refused(_ req: Request, _ echo: FormEcho) async throws -> Response {
        var model = try await ExitsModel.build(req)
        model.echo = echo
        return try await ExitsView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
    }

    struct Criteria: Content { var text: String? }

    @Sendable func saveCriteria(_ req: Request) async throws -> Response {
        let user = try req.user
        guard ExitsModel.mayRecord(user) else { throw Abort(.forbidden, reason: "Критерии выхода задаёт орган власти") }
        let text = try req.content.decode(Criteria.self).text ?? ""
        do {
            let saved = try await ExitRepository(db: req.db).save(scope: user.scope, text: text, actor: user.actor)
            return req.redirect(to: "/exits/criteria", flash: .success, "Сохранена версия \(saved.version)")
        } catch let error as ExitCriteriaError {
            // The typed text comes back with every problem, so nothing is lost.
            let model = try await ExitCriteriaModel.build(req, text: text, error: error.description)
            return try await ExitsView.criteria(model, try req.pageContext())
                .encodeResponse(status: .unprocessableEntity, for: req)
        } catch let error as RepositoryError {
            let model = try await ExitCriteriaModel.build(req, text: text, error: error.description)
            return try await ExitsView.criteria(model, try req.pageContext())
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
