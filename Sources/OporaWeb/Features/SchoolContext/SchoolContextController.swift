import Fluent
import OporaData
import OporaDomain
import Vapor

struct SchoolContextController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("schools", ":id", "context") { req async throws -> HTMLNode in
            SchoolContextView.page(try await SchoolContextModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("schools", ":id", "context", use: save)
    }

    @Sendable func save(_ req: Request) async throws -> Response {
        let user = try req.require(\.canEditSchools)
        let id = try req.intParameter("id")
        let school = try await req.schoolInScope(id)
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        var check = FormCheck(req.formValues(), today: req.today)
        // The form becomes a `context` file, so the same checks apply as to an import; each value is first read
        // as its indicator reads it, so a refusal stands beside that indicator's field, in its words.
        var lines = ["year,school,indicator,value"]
        var inputs: [[String: String]] = []  // per line of the file: its column → the form's input
        func add(_ code: String, _ value: String, _ columns: [String: String]) {
            let cells = [String(year), school.code, code, value].map { CSVText.cell($0) }
            lines.append(cells.joined(separator: ","))
            inputs.append(columns)
        }
        for key in check.values.keys.sorted() where key.hasPrefix("v_") {
            guard let value = check[key] else { continue }
            let code = String(key.dropFirst(2))
            if let problem = ContextFile.read(code, value).problem { check.refuse(key, Self.sentence(problem)); continue }
            add(code, value, ["indicator": key, "value": key])
        }
        switch (check["new_code"]?.lowercased(), check["new_value"]) {
        case (nil, nil): break
        case (nil, _?): check.refuse("new_code", "Укажите код нового показателя")
        case (_?, nil): check.refuse("new_value", "Укажите значение нового показателя")
        case (let code?, let value?):
            if let problem = ContextFile.codeProblem(code) { check.refuse("new_code", problem) }
            if let problem = ContextFile.read(code, value).problem { check.refuse("new_value", Self.sentence(problem)) }
            if check.errors["new_code"] == nil, check.errors["new_value"] == nil {
                add(code, value, ["indicator": "new_code", "value": "new_value"])
            }
        }
        func refused(_ message: String? = nil) async throws -> Response {
            var model = try await SchoolContextModel.build(req, id: id)
            model.echo = check.echo(action: SchoolContextView.action(model), message: message)
            return try await SchoolContextView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard check.passed else { return try await refused() }
        guard lines.count > 1 else { return try await refused("Нечего сохранять: впишите хотя бы одно значение") }
        do {
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope)
                .importFile(.context, bytes: Array(lines.joined(separator: "\n").utf8), fileName: "форма")
            return req.redirect(to: "/schools/\(id)/context?year=\(year)", flash: .success, "Сохранено")
        } catch let rejected as ImportRejected {
            var unplaced: [String] = []
            for issue in rejected.errors {
                let index = issue.line - 2  // line 1 is the header
                if inputs.indices.contains(index), let input = inputs[index][issue.column] {
                    check.refuse(input, Self.sentence(issue.message))
                } else {
                    unplaced.append(issue.message)
                }
            }
            return try await refused(unplaced.isEmpty ? nil : "Не сохранено: " + unplaced.joined(separator: "; "))
        }
    }

    /// A file's message as a sentence beside a field: capitalised.
    static func sentence(_ message: String) -> String { message.prefix(1).uppercased() + message.dropFirst() }
}
