import Fluent
import OporaData
import OporaDomain
import Vapor

/// Context data of one school in one year (social passport, ИСБШ and quality groups, user indicators), editable.
struct SchoolContextModel {
    struct Row: Sendable { let code: String; let label: String; let value: String? }

    static let standard = ContextFile.standard

    let school: SchoolModel
    let year: Int
    let rows: [Row]
    let canEdit: Bool
    /// The refused form: every value as typed, each reason beside its indicator.
    var echo: FormEcho? = nil

    static func build(_ req: Request, id: Int) async throws -> SchoolContextModel {
        let user = try req.user
        let school = try await req.schoolInScope(id)
        let repository = IdentificationRepository(db: req.db)
        let latest = try await repository.latestContextYear()
        let year = try req.queryYear() ?? latest ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let values = try await repository.context(year: year)[id] ?? [:]
        var rows = standard.map { Row(code: $0.code, label: $0.label, value: values[$0.code]?.text) }
        for (code, value) in values.sorted(by: { $0.key < $1.key }) where !standard.contains(where: { $0.code == code }) {
            rows.append(Row(code: code, label: code, value: value.text))
        }
        return SchoolContextModel(school: school, year: year, rows: rows, canEdit: user.role.canEditSchools)
    }
}
