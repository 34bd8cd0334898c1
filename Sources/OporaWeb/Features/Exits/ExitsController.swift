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

    @Sendable func record(_ req: Request) async throws -> Response {
        let user = try req.user
        guard ExitsModel.mayRecord(user) else { throw Abort(.forbidden, reason: "Выход из списка оформляет орган власти") }
        let form = try req.content.decode(Exit.self)
        let schoolID = try FormInput.recordID(form.school)
        // A school outside the scope is a 404, as on every page.
        let school = try await req.schoolInScope(schoolID)
        guard let year = form.year.cleaned.flatMap({ Int($0) }), InputRange.year.contains(year) else {
            throw Abort(.badRequest, reason: "Год: от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
        }
        let back = "/exits?year=\(year)"
        do {
            guard let date = form.order_date.cleaned.flatMap(RussianFormat.parseDate) else {
                throw RepositoryError.invalid(field: "Дата приказа", message: "ожидается ДД.ММ.ГГГГ")
            }
            let authority = form.authority.cleaned.flatMap(ListAuthority.init(rawValue:)) ?? .own
            try await ExitRepository(db: req.db).recordExit(
                schoolID: schoolID, year: year, number: try FormInput.name(form.order_number, "Номер приказа", limit: 100) ?? "",
                date: date, issuer: try FormInput.name(form.issuer, "Орган, издавший приказ", limit: 300) ?? "",
                authority: authority, reason: try FormInput.text(form.reason, "Основание", limit: 2000) ?? "",
                scope: user.scope, actor: user.actor)
            return req.redirect(to: back, flash: .success, "Поддержка школы «\(school.displayName)» завершена приказом")
        } catch let error as RepositoryError {
            return req.redirect(to: back, flash: .error, error.description)
        }
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
