import Fluent
import OporaData
import OporaDomain
import Vapor

/// «Выход из списка»: the schools on the list in force for a year, each judged by its territory's exit criteria
/// (`ExitReadiness`), those ready first; an exit is recorded by the order that ends the school's support.
struct ExitsModel: Sendable {
    struct Row: Sendable {
        let schoolID: Int
        let school: String
        let municipality: String
        let status: IdentificationStatus
        let order: String
        let ready: Bool
        let reasons: [ExitCondition]
        let criteria: String
    }

    let year: Int
    let ready: [Row]
    let notReady: [Row]
    /// Coordinators and analysts record exits; others read.
    let canRecord: Bool
    let defaultIssuer: String
    /// A refused exit order, shown again as typed in its school's row.
    var echo: FormEcho? = nil

    static func build(_ req: Request) async throws -> ExitsModel {
        let user = try req.user
        // By default the newest year an order was recorded for (not later than this year): the list now in force.
        let newest = try await IdentificationListModel.query(on: req.db).filter(\.$year <= req.today.year).max(\.$year)
        let year = try req.queryYear() ?? newest ?? req.today.year
        let candidates = try await ExitRepository(db: req.db).candidates(year: year, scope: user.scope, today: req.today)
        let rows = candidates.map { candidate in
            Row(schoolID: candidate.schoolID, school: candidate.schoolName, municipality: candidate.municipality,
                status: candidate.listing.status,
                order: "№ \(candidate.listing.order.number) от \(RussianFormat.date(candidate.listing.order.date))",
                ready: candidate.verdict.ready, reasons: candidate.verdict.conditions,
                criteria: candidate.criteria.name + (candidate.criteriaVersion.map { ", версия \($0)" } ?? " (по умолчанию)"))
        }
        return ExitsModel(
            year: year, ready: rows.filter(\.ready), notReady: rows.filter { !$0.ready }, canRecord: ExitsModel.mayRecord(user),
            defaultIssuer: "Орган управления образованием: \(user.scopeLabel)")
    }

    static func mayRecord(_ user: CurrentUser) -> Bool {
        guard user.role.canImport else { return false }
        if case .schools = user.scope { return false }
        return true
    }
}

/// The exit criteria of the user's territory: the text in force, its versions, and whether the user may save one.
struct ExitCriteriaModel: Sendable {
    let text: String
    let versions: [(version: Int, name: String, by: String, at: Date)]
    let inherited: Bool
    let canEdit: Bool
    let error: String?

    static func build(_ req: Request, text: String? = nil, error: String? = nil) async throws -> ExitCriteriaModel {
        let user = try req.user
        let repository = ExitRepository(db: req.db)
        let own = try await repository.versions(scope: user.scope)
        let names = try await req.actorNames
        let effective = try await repository.effective(scope: user.scope)
        let current = try text ?? own.first?.body ?? effective.model?.body ?? ExitCriteriaFile.yaml(effective.criteria)
        return ExitCriteriaModel(
            text: current, versions: own.map { ($0.version, $0.name, names($0.createdBy), $0.createdAt) }, inherited: own.isEmpty,
            canEdit: ExitsModel.mayRecord(user), error: error)
    }
}
