import Fluent
import OporaData
import OporaDomain
import Vapor

struct CriteriaController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("criteria") { req async throws -> HTMLNode in
            CriteriaPageView.page(try await CriteriaPageModel.build(req), try req.pageContext())
        }
        routes.post("criteria", use: save)
        routes.post("criteria", "form", use: saveForm)
    }

    struct Form: Content { var text: String }

    /// Who may save a set: a coordinator or analyst of a territory (not of single schools).
    static func editor(_ req: Request) throws -> CurrentUser {
        let user = try req.require(\.canImport)
        if case .schools = user.scope { throw Abort(.forbidden) }
        return user
    }

    /// The advanced view: the set as YAML or JSON text.
    @Sendable func save(_ req: Request) async throws -> Response {
        let user = try Self.editor(req)
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        let text = try req.content.decode(Form.self).text
        do {
            let saved = try await CriteriaRepository(db: req.db).save(year: year, scope: user.scope, text: text, actor: user.actor)
            return req.redirect(to: "/criteria?year=\(year)", flash: .success, "Сохранена версия \(saved.version)")
        } catch let error as CriteriaError {
            // Invalid text is shown again with every problem, so nothing typed is lost.
            let model = try await CriteriaPageModel.build(req, text: text, textError: error.description)
            return try await CriteriaPageView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// The form: read by the domain (`CriteriaForm.read`), stored as the YAML the advanced view shows, so a set
    /// saved either way is the same set. A refusal keeps every value typed and names each problem beside its field.
    @Sendable func saveForm(_ req: Request) async throws -> Response {
        let user = try Self.editor(req)
        var values = req.formValues()
        values[CSRF.field] = nil
        var check = FormCheck(values, today: req.today)
        let year = check.integer("year", in: InputRange.year, required: true)
        let names = try await ResultLabels.subjects(on: req.db)
        let catalogue = SubjectCatalogue.standard.map(\.code)
        let codes = catalogue + names.keys.filter { !catalogue.contains($0) }.sorted()
        switch CriteriaForm.read(values, subjectCodes: codes) {
        case .success(let criteria):
            if check.passed, let year {
                let text = try CriteriaFile.yaml(criteria)
                let saved = try await CriteriaRepository(db: req.db).save(year: year, scope: user.scope, text: text, actor: user.actor)
                return req.redirect(to: "/criteria?year=\(year)", flash: .success, "Сохранена версия \(saved.version)")
            }
        case .failure(let refused):
            for (input, message) in refused.errors { check.refuse(input, message) }
        }
        let echo = check.echo(action: CriteriaPageModel.formAction,
                              message: "Набор не сохранён: исправьте отмеченные поля. Всё введённое сохранено в форме.")
        let model = try await CriteriaPageModel.build(req, year: year, echo: echo)
        return try await CriteriaPageView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
    }
}
