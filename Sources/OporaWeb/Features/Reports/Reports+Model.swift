import Fluent
import OporaData
import OporaDomain
import Vapor

/// What the user may download: a card for each school of the scope, the note of each municipality the scope
/// holds whole, the year's appendix of the approved list.
struct ReportsModel: Sendable {
    let schools: [(id: Int, name: String)]
    let municipalities: [(id: Int, name: String)]
    let years: [Int]
    let year: Int
    let canAppendix: Bool
    /// ЕГЭ bands, ОГЭ marks, Table 13 (Reports+Shapes.swift).
    var shapes = ReportShapesModel()

    static func build(_ req: Request) async throws -> ReportsModel {
        let user = try req.user
        let schools = try await ScopeQueries.schools(user.scope, on: req.db).sort(\.$name).all().map { ($0.id!, $0.displayName) }
        let works = try await req.derived.availableWorks(scope: user.scope)
        let years = Array(Set(works.map(\.year))).sorted(by: >)
        let today = CalendarDay.today()
        var model = ReportsModel(schools: schools, municipalities: try await noteMunicipalities(req, user: user),
                                 years: years.isEmpty ? [today.year] : years,
                                 year: try req.queryYear() ?? years.first ?? today.year, canAppendix: Self.canAppendix(user))
        model.shapes = try await ReportShapesModel.build(req, user: user)
        return model
    }

    /// Municipalities whose note the user may write: those the scope holds whole (not a school set's).
    static func noteMunicipalities(_ req: Request, user: CurrentUser) async throws -> [(id: Int, name: String)] {
        if case .schools = user.scope { return [] }
        return try await ScopeQueries.municipalities(user.scope, on: req.db).sort(\.$name).all().map { ($0.id!, $0.name) }
    }

    static func canAppendix(_ user: CurrentUser) -> Bool {
        if case .schools = user.scope { return false }
        return true
    }
}
