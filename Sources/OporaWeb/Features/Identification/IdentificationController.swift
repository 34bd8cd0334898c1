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

    struct Approval: Content { var year: String?; var criteria: String?; var threshold: String?; var order_number: String?; var order_date: String? }

    @Sendable func approve(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        if case .schools = user.scope { throw Abort(.forbidden) }
        let form = try req.content.decode(Approval.self)
        guard let year = form.year.cleaned.flatMap({ Int($0) }), InputRange.year.contains(year) else {
            throw Abort(.badRequest, reason: "Год: от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
        }
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
                                             scopeLabel: user.scopeLabel, orderNumber: String((form.order_number ?? "").prefix(100)), orderDate: date,
                                             actor: user.actor)
            return req.redirect(to: "/identification/lists", flash: .success, "Список утверждён")
        } catch let error as RepositoryError {
            return req.redirect(to: back.string ?? "/identification", flash: .error, error.description)
        }
    }
}
