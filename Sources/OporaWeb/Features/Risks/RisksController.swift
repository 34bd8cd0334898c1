import Fluent
import OporaData
import OporaDomain
import Vapor

struct RisksController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("risks") { req async throws -> HTMLNode in
            RisksView.page(try await req.cachedModel(RiskMatrixModel.build), try req.pageContext())
        }
        for format in TableExport.Format.allCases {
            routes.get("risks", "export.\(format.rawValue)") { req async throws -> Response in
                let model = try await RiskMatrixModel.build(req)
                return try TableExport.response(model.exportRows(), format: format, name: "risks-\(model.year ?? 0)",
                                                sheet: "Матрица рисков")
            }
        }
        routes.get("schools", ":id", "risks") { req async throws -> HTMLNode in
            RisksView.profile(try await SchoolRiskProfileModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("schools", ":id", "risks", use: save)
        routes.get("schools", ":id", "risks", "questionnaire") { req async throws -> HTMLNode in
            RisksView.questionnaire(try await RiskQuestionnaireModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("schools", ":id", "risks", "questionnaire", use: answer)
    }

    /// The form becomes a `risks` file, so the same checks, scope and audit apply as to an import; a factor set
    /// back to «не оценён» is taken out of the profile.
    @Sendable func save(_ req: Request) async throws -> Response {
        let user = try req.require(\.canRateRisks)
        let id = try req.intParameter("id")
        let school = try await req.schoolInScope(id)
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        let form = try req.content.decode([String: String].self)
        var lines = ["year,school,factor,level,source,comment"]
        var cleared: [Int] = [], rated: [Int] = []
        for factor in RiskFactor.numbers {
            guard let level = form["level_\(factor)"].cleaned else { cleared.append(factor); continue }
            rated.append(factor)
            let cells = [String(year), school.code, String(factor), level, form["source_\(factor)"].cleaned ?? "",
                         form["comment_\(factor)"].cleaned ?? ""]
            lines.append(cells.map { CSVText.cell($0) }.joined(separator: ","))
        }
        let back = "/schools/\(id)/risks?year=\(year)"
        do {
            if lines.count > 1 {
                _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope)
                    .importFile(.risks, bytes: Array(lines.joined(separator: "\n").utf8), fileName: "форма")
            }
            try await RiskRepository(db: req.db).remove(schoolID: id, schoolName: school.displayName, year: year, factors: cleared,
                                                       actor: user.actor)
            return req.redirect(to: back, flash: .success, "Профиль сохранён")
        } catch let rejected as ImportRejected {
            // Each problem of the file the form became goes back beside its factor's field (line 2 is the first rated one).
            var check = FormCheck(form, today: req.today)
            var unplaced: [String] = []
            for issue in rejected.errors {
                let index = issue.line - 2
                if rated.indices.contains(index), ["level", "source", "comment"].contains(issue.column) {
                    check.refuse("\(issue.column)_\(rated[index])", issue.message)
                } else {
                    unplaced.append(issue.message)
                }
            }
            let summary = unplaced.isEmpty ? nil : "Не сохранено: " + unplaced.joined(separator: "; ")
            var model = try await SchoolRiskProfileModel.build(req, id: id)
            model.echo = check.echo(action: "/schools/\(id)/risks", message: summary)
            return try await RisksView.profile(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// The answers become ratings of the factors answered in full, through the same `risks` import. A refusal
    /// comes back as the questionnaire with every answer ticked as it was, and a factor begun but not finished
    /// named beside it.
    @Sendable func answer(_ req: Request) async throws -> Response {
        let user = try req.require(\.canRateRisks)
        let id = try req.intParameter("id")
        let school = try await req.schoolInScope(id)
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        var check = FormCheck(req.formValues(), today: req.today)
        let questionnaire = RiskQuestionnaire.fiocoThemes
        let answers = check.values.compactMapValues { Int($0) }
        let scores = questionnaire.scores(answers)
        for factor in questionnaire.unfinished(answers) {
            check.refuse(RisksView.factorInput(factor), "Ответьте на все вопросы фактора — иначе он не будет оценён")
        }
        func refused(_ message: String) async throws -> Response {
            var model = try await RiskQuestionnaireModel.build(req, id: id)
            model.echo = check.echo(action: RisksView.questionnaireAction(model), message: message)
            return try await RisksView.questionnaire(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard !scores.isEmpty else { return try await refused("Не записано: ни по одному фактору не ответили на все вопросы") }
        var lines = ["year,school,factor,level,source,comment"]
        for (factor, score) in scores.sorted(by: { $0.key < $1.key }) {
            lines.append([String(year), school.code, String(factor), score.level.rawValue, questionnaire.source,
                          "анкета: \(score.points) из \(score.maximum) баллов"]
                .map { CSVText.cell($0) }.joined(separator: ","))
        }
        do {
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope)
                .importFile(.risks, bytes: Array(lines.joined(separator: "\n").utf8), fileName: "анкета")
            return req.redirect(to: "/schools/\(id)/risks?year=\(year)", flash: .success,
                                "По анкете оценено факторов: \(scores.count) из \(RiskFactor.numbers.count)")
        } catch let rejected as ImportRejected {
            return try await refused("Не записано: " + rejected.errors.map(\.message).joined(separator: "; "))
        }
    }
}
