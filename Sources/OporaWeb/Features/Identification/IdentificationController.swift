import Fluent
import OporaData
import OporaDomain
import Vapor

struct IdentificationController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("identification") { req async throws -> HTMLNode in
            IdentificationView.page(try await req.cachedModel { try await IdentificationModel.build($0) }, try req.pageContext())
        }
        routes.post("identification", "approve", use: approve)
        routes.get("identification", "lists") { req async throws -> HTMLNode in
            IdentificationListsView.page(try await IdentificationListsModel.build(req), try req.pageContext())
        }
        routes.get("typology") { req async throws -> HTMLNode in
            IdentificationView.typology(try await req.cachedModel(TypologyModel.build), try req.pageContext())
        }
        for format in TableExport.Format.allCases {
            routes.get("identification", "export.\(format.rawValue)") { req async throws -> Response in
                let model = try await IdentificationModel.build(req)
                return try TableExport.response(model.exportRows(), format: format, name: "identification-\(model.year ?? 0)",
                                                sheet: "Идентификация")
            }
        }
    }

    struct Approval: Content {
        var year: String?; var criteria: String?; var threshold: String?
        var order_number: String?; var order_date: String?; var issuer: String?
    }

    /// The changes typed on the approval form: `remove_<id>` (with `remove_reason_<id>`), `add_school_<n>` (with
    /// `add_status_<n>` and `add_reason_<n>`), `exit_reason_<id>`. Ids outside the territory are refused by the repository.
    struct ListEdits {
        var added: [Int: (status: IdentificationStatus, reason: String)] = [:]
        var removed: [Int: String] = [:]
        var exitReasons: [Int: String] = [:]

        init(_ form: [String: String]) throws {
            func id(_ text: Substring) throws -> Int {
                guard let value = Int(text), InputRange.id.contains(value) else {
                    throw Abort(.badRequest, reason: "Школа: неверный номер")
                }
                return value
            }
            // Reasons are refused over their limit, never cut (issue 18, point 3).
            func reason(_ text: String?, _ field: String) throws -> String { try FormInput.text(text, field, limit: 500) ?? "" }
            for (key, value) in form {
                let text = value.trimmingCharacters(in: .whitespaces)
                if key.hasPrefix("remove_reason_") { continue }
                if key.hasPrefix("remove_") {
                    let school = try id(key.dropFirst("remove_".count))
                    removed[school] = try reason(form["remove_reason_\(school)"], "Причина исключения")
                } else if key.hasPrefix("exit_reason_") {
                    let school = try id(key.dropFirst("exit_reason_".count))
                    exitReasons[school] = try reason(value, "Причина выхода")
                } else if key.hasPrefix("add_school_"), !text.isEmpty {
                    let index = key.dropFirst("add_school_".count)
                    let status = form["add_status_\(index)"].flatMap(IdentificationStatus.init(rawValue:)) ?? .none
                    let school = try id(Substring(text))
                    added[school] = (status, try reason(form["add_reason_\(index)"], "Причина включения"))
                }
            }
        }
    }

    /// The approval form's fields for the repository's Russian field names, so a refusal stands beside its field.
    static let approvalInputs = ["Номер приказа": "order_number", "Дата приказа": "order_date", "Орган, издавший приказ": "issuer"]
    static let approvalAction = "/identification/approve"

    /// Approving makes an order from the list the page shows. A what-if run (a threshold typed over the set's) is
    /// refused: an order rests on the criteria set in force, versioned and audited, not on a figure typed into a
    /// search box — to approve by another threshold, the official saves it in the set first. Any other refusal
    /// shows the page again with every value typed and each problem beside its field (`FormCheck`).
    @Sendable func approve(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        if case .schools = user.scope { throw Abort(.forbidden) }
        let form = try req.content.decode(Approval.self)
        guard let year = form.year.cleaned.flatMap({ Int($0) }), InputRange.year.contains(year) else {
            throw Abort(.badRequest, reason: "Год: от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
        }
        var values = req.formValues()
        values[CSRF.field] = nil
        let choice = try await CriteriaChoice.read(req, year: year, scope: user.scope, key: form.criteria.cleaned, threshold: nil)
        var message: String? = nil
        if let text = form.threshold.cleaned {
            guard let value = NumberParsing.decimal(text), InputRange.percent.contains(value) else {
                throw Abort(.badRequest, reason: "Порог: число от 0 до 100")
            }
            if value != choice.criteria.lowResults.threshold {
                message = IdentificationView.whatIfRefusal(typed: RussianFormat.plain(value), set: choice.criteria.lowResults.threshold)
            }
        }
        values["threshold"] = nil
        var check = FormCheck(values, today: req.today)
        let orderNumber = check.name("order_number", limit: 100, required: true)
        let issuer = check.name("issuer", limit: 300)
        let day = check.day("order_date", required: true, expect: .any)
        var edits = try ListEdits([:])
        do { edits = try ListEdits(values) } catch let error as RepositoryError { message = message ?? error.description }
        if check.passed, message == nil, let orderNumber, let day, let orderDate = RussianFormat.parseDate(day.iso) {
            let repository = IdentificationRepository(db: req.db)
            let identified = try await repository.identify(year: year, criteria: choice.criteria, scope: user.scope)
            let subjects = try await ResultLabels.subjects(on: req.db)
            let explanations = Dictionary(uniqueKeysWithValues: identified.map {
                ($0.school.id!, Identifier.sentence(schoolName: $0.school.displayName, $0.result, subjects: subjects))
            })
            do {
                _ = try await repository.approve(year: year, criteria: choice.criteria, identified: identified, explanations: explanations,
                                                 scope: user.scope, scopeLabel: user.scopeLabel, orderNumber: orderNumber,
                                                 orderDate: orderDate, issuer: issuer, added: edits.added, removed: edits.removed,
                                                 exitReasons: edits.exitReasons, actor: user.actor)
                return req.redirect(to: "/identification/lists", flash: .success, "Список утверждён")
            } catch let error as RepositoryError {
                message = check.absorb(error, inputs: Self.approvalInputs)
            }
        }
        var model = try await IdentificationModel.build(req, year: year, criteria: choice.key)
        model.approvalEcho = check.echo(action: Self.approvalAction, message: message)
        return try await IdentificationView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
    }
}
