import Fluent
import OporaData
import OporaDomain
import Vapor

struct IdentificationController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("identification") { req async throws -> HTMLNode in
            IdentificationView.page(try await req.cachedModel(IdentificationModel.build), try req.pageContext())
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
                return try TableExport.response(model.exportRows(), format: format, name: "identification-\(model.year ?? 0)", sheet: "Идентификация")
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

    @Sendable func approve(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        if case .schools = user.scope { throw Abort(.forbidden) }
        let form = try req.content.decode(Approval.self)
        guard let year = form.year.cleaned.flatMap({ Int($0) }), InputRange.year.contains(year) else {
            throw Abort(.badRequest, reason: "Год: от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
        }
        let edits = try ListEdits(try req.content.decode([String: String].self))
        var threshold: Double? = nil
        if let text = form.threshold.cleaned {
            guard let value = NumberParsing.decimal(text), InputRange.percent.contains(value) else {
                throw Abort(.badRequest, reason: "Порог: число от 0 до 100")
            }
            threshold = value
        }
        let key = form.criteria.cleaned
        let choice = try await CriteriaChoice.read(req, year: year, scope: user.scope, key: key, threshold: threshold)
        var back = URLComponents(string: "/identification")!
        back.queryItems = [URLQueryItem(name: "year", value: String(year)), URLQueryItem(name: "criteria", value: choice.key)]
            + (threshold.map { [URLQueryItem(name: "threshold", value: String($0))] } ?? [])
        guard let date = form.order_date.cleaned.flatMap(RussianFormat.parseDate) else {
            return req.redirect(to: back.string ?? "/identification", flash: .error, "Дата приказа: ожидается ДД.ММ.ГГГГ")
        }
        let repository = IdentificationRepository(db: req.db)
        let identified = try await repository.identify(year: year, criteria: choice.criteria, scope: user.scope)
        let subjects = try await ResultLabels.subjects(on: req.db)
        let explanations = Dictionary(uniqueKeysWithValues: identified.map {
            ($0.school.id!, Identifier.sentence(schoolName: $0.school.displayName, $0.result, subjects: subjects))
        })
        do {
            _ = try await repository.approve(year: year, criteria: choice.criteria, identified: identified, explanations: explanations, scope: user.scope,
                                             scopeLabel: user.scopeLabel,
                                             orderNumber: try FormInput.name(form.order_number, "Номер приказа", limit: 100) ?? "",
                                             orderDate: date,
                                             issuer: try FormInput.name(form.issuer, "Орган, издавший приказ", limit: 300),
                                             added: edits.added,
                                             removed: edits.removed,
                                             exitReasons: edits.exitReasons, actor: user.actor)
            return req.redirect(to: "/identification/lists", flash: .success, "Список утверждён")
        } catch let error as RepositoryError {
            return req.redirect(to: back.string ?? "/identification", flash: .error, error.description)
        }
    }
}
