import Fluent
import OporaData
import OporaDomain
import Vapor

/// A territory's management directions: a form, and the YAML text as the advanced view; both save a new version.
struct DirectionsController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("risks", "directions") { req async throws -> HTMLNode in
            DirectionsView.page(try await DirectionsPageModel.build(req), try req.pageContext())
        }
        routes.post("risks", "directions", use: saveText)
        routes.post("risks", "directions", "form", use: saveForm)
    }

    struct TextForm: Content { var text: String }

    /// The advanced view: invalid text comes back with every problem.
    @Sendable func saveText(_ req: Request) async throws -> Response {
        let user = try CriteriaController.editor(req)
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        let text = try req.content.decode(TextForm.self).text
        do {
            let saved = try await DirectionsRepository(db: req.db).save(year: year, scope: user.scope, text: text, actor: user.actor)
            return req.redirect(to: "/risks/directions?year=\(year)", flash: .success, "Сохранена версия \(saved.version)")
        } catch let error as DirectionsFileError {
            let model = try await DirectionsPageModel.build(req, text: text, textError: error.description)
            return try await DirectionsView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// The form, read by the domain (`DirectionsForm.read`) and stored as the YAML the advanced view shows.
    @Sendable func saveForm(_ req: Request) async throws -> Response {
        let user = try CriteriaController.editor(req)
        var fields = req.formValues()
        fields[CSRF.field] = nil
        guard let year = fields["year"].flatMap({ Int($0) }), InputRange.year.contains(year) else {
            throw Abort(.badRequest, reason: "Год: от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
        }
        switch DirectionsForm.read(fields) {
        case .success(let directions):
            let text = try DirectionsFile.yaml(directions)
            let saved = try await DirectionsRepository(db: req.db).save(year: year, scope: user.scope, text: text, actor: user.actor)
            return req.redirect(to: "/risks/directions?year=\(year)", flash: .success, "Сохранена версия \(saved.version)")
        case .failure(let refused):
            let echo = FormEcho(action: DirectionsPageModel.formAction, values: fields,
                                message: "Направления не сохранены: исправьте отмеченные поля. Всё введённое сохранено в форме.",
                                fieldErrors: refused.errors)
            let model = try await DirectionsPageModel.build(req, year: year, echo: echo)
            return try await DirectionsView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
