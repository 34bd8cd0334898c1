import Fluent
import OporaData
import OporaDomain
import Vapor

/// The risk matrix: the schools of the scope × the twelve factors for one year, the derived direction lists,
/// and each school's place on the year's approved list.
struct RiskMatrixModel: Sendable {
    struct Row: Sendable {
        let schoolID: Int
        let code: String
        let name: String
        let municipality: String
        /// Status on the year's approved list; nil when the school is not on it (or no list is visible).
        let status: IdentificationStatus?
        let levels: [Int: RiskLevel]
        var highCount: Int { levels.values.filter { $0 == .high }.count }
        var hasProfile: Bool { !levels.isEmpty }
    }

    enum StatusFilter: String, CaseIterable, Sendable {
        case all, listed, unlisted
        var label: String {
            switch self {
            case .all: "Все школы с профилем или в списке"
            case .listed: "Только школы из утверждённого списка"
            case .unlisted: "Профиль есть, в списке нет"
            }
        }
    }

    static let sortKeys = ["school", "high"] + RiskFactor.numbers.map { "f\($0)" }

    let years: [Int]
    let year: Int?
    let factors: [RiskFactor]
    let municipalities: [(id: Int, name: String)]
    let municipality: Int?
    let filter: StatusFilter
    let sort: String
    /// Whether a list approved for the year is visible: without one, nothing is marked «нет в списке».
    let hasList: Bool
    let rows: [Row]
    let directions: [DirectionList]
    var directionsSource = ""

    /// How many schools rate each factor high: the table's last row.
    var highCounts: [Int: Int] {
        var counts: [Int: Int] = [:]
        for row in rows { for (factor, level) in row.levels where level == .high { counts[factor, default: 0] += 1 } }
        return counts
    }

    var names: [String: String] { Dictionary(rows.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first }) }

    static func build(_ req: Request) async throws -> RiskMatrixModel {
        let user = try req.user
        let repository = RiskRepository(db: req.db)
        let years = try await repository.years(user.scope)
        let year = try req.queryYear() ?? years.first
        let municipalities = try await ScopeQueries.municipalities(user.scope, on: req.db).sort(\.$name).all()
            .compactMap { municipality in municipality.id.map { (id: $0, name: municipality.name) } }
        let municipality = try req.queryInt("municipality", in: InputRange.id, "муниципалитет")
        let filter = StatusFilter(rawValue: try req.queryChoice("status", from: StatusFilter.allCases.map(\.rawValue),
                                                                default: "all")) ?? .all
        let sort = try req.queryChoice("sort", from: sortKeys, default: "high")
        let factors = try await repository.factors()
        guard let year else {
            return RiskMatrixModel(years: years, year: nil, factors: factors, municipalities: municipalities, municipality: municipality,
                                   filter: filter, sort: sort, hasList: false, rows: [], directions: [])
        }
        let inScope = try await req.derived.schoolIDs(user.scope)
        let schools = try await repository.schoolLines().filter { school in
            (inScope?.contains(school.id) ?? true) && (municipality.map { $0 == school.municipalityID } ?? true)
        }
        var levels: [Int: [Int: RiskLevel]] = [:]
        for (school, factor, level) in try await repository.levels(year: year) { levels[school, default: [:]][factor] = level }
        let statuses = try await IdentificationRepository(db: req.db).approvedStatuses(year: year, scope: user.scope)
        var rows: [Row] = schools.compactMap { school in
            let profile = levels[school.id], status = statuses?[school.id]
            guard profile != nil || status != nil else { return nil }
            return Row(schoolID: school.id, code: school.code, name: school.name, municipality: school.municipality, status: status,
                       levels: profile ?? [:])
        }
        switch filter {
        case .all: break
        case .listed: rows = rows.filter { $0.status != nil }
        case .unlisted: rows = rows.filter { $0.status == nil && $0.hasProfile }
        }
        rows.sort(by: order(sort))
        let ratings = rows.flatMap { row in row.levels.map { RiskRating(year: year, school: row.code, factor: $0.key, level: $0.value) } }
        let (directions, saved) = try await DirectionsRepository(db: req.db).effective(year: year, scope: user.scope)
        return RiskMatrixModel(years: years, year: year, factors: factors, municipalities: municipalities, municipality: municipality,
                               filter: filter, sort: sort, hasList: statuses != nil, rows: rows,
                               directions: DirectionList.derive(directions, from: ratings, year: year),
                               directionsSource: saved.map { "сохранённые направления, версия \($0.version)" } ?? "направления " +
                                                                                                                  "программы " +
                                                                                                                  "Первоуральска 2023–2025")
    }

    /// Ties keep the schools in natural order of their names.
    static func order(_ sort: String) -> (Row, Row) -> Bool {
        let byName: (Row, Row) -> Bool = { DirectionList.naturalOrder($0.name, $1.name) }
        if sort == "school" { return byName }
        if sort == "high" { return { $0.highCount != $1.highCount ? $0.highCount > $1.highCount : byName($0, $1) } }
        let factor = Int(sort.dropFirst()) ?? 1
        // High first, then medium, low, not relevant, and unrated last.
        func rank(_ row: Row) -> Int {
            row.levels[factor].map { RiskLevel.allCases.sorted().firstIndex(of: $0)! } ?? RiskLevel.allCases.count
        }
        return { rank($0) != rank($1) ? rank($0) < rank($1) : byName($0, $1) }
    }

    /// The whole table as the page shows it, with the count of high ratings as the last row.
    func exportRows() -> [[SheetCell]] {
        var sheet: [[SheetCell]] = [[.text("Код"), .text("Школа"), .text("Муниципалитет"), .text("Статус в списке")]
            + factors.map { .text("\($0.number). \($0.name)") } + [.text("Высоких")]]
        for row in rows {
            sheet.append([.text(row.code), .text(row.name), .text(row.municipality),
                          .text(row.status?.russianName ?? (hasList ? "нет в списке" : "—"))]
                + factors.map { factor in row.levels[factor.number].map { .text($0.russianName) } ?? .empty }
                + [.number(Double(row.highCount))])
        }
        let counts = highCounts
        sheet.append([.text(""), .text("Высокая значимость: школ"), .text(""), .text("")]
            + factors.map { .number(Double(counts[$0.number] ?? 0)) } + [.empty])
        return sheet
    }
}

/// One school's risk profile for a year, editable, with its history across years.
struct SchoolRiskProfileModel: Sendable {
    struct History: Sendable { let year: Int; let levels: [Int: RiskLevel] }

    let school: SchoolModel
    let year: Int
    let factors: [RiskFactor]
    let ratings: [Int: RiskRating]
    let history: [History]
    let canEdit: Bool
    let status: IdentificationStatus?
    let hasList: Bool
    /// Survey campaigns of the school: each proposes a profile the curator accepts or changes (`Features/Campaigns`).
    var surveys: [(id: Int, title: String)] = []
    /// A refused profile, shown again as typed with each problem beside its factor's field.
    var echo: FormEcho? = nil

    static func build(_ req: Request, id: Int) async throws -> SchoolRiskProfileModel {
        let user = try req.user
        let school = try await req.schoolInScope(id)
        let repository = RiskRepository(db: req.db)
        let byYear = try await repository.ratings(school: school)
        let year = try req.queryYear() ?? byYear.keys.max() ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let history = byYear.keys.sorted().map { History(year: $0, levels: byYear[$0]!.mapValues(\.level)) }
        let statuses = try await IdentificationRepository(db: req.db).approvedStatuses(year: year, scope: user.scope)
        var model = SchoolRiskProfileModel(
            school: school, year: year, factors: try await repository.factors(), ratings: byYear[year] ?? [:],
            history: history, canEdit: user.role.canRateRisks, status: statuses?[id], hasList: statuses != nil)
        model.surveys = try await SurveyCampaignRepository(db: req.db).campaigns(scope: .schools([id])).map { ($0.id, $0.title) }
        return model
    }

    /// What changed from one year to the next, in words: «3: средняя → высокая».
    static func changes(from earlier: History, to later: History) -> [String] {
        RiskFactor.numbers.compactMap { factor in
            let old = earlier.levels[factor], new = later.levels[factor]
            guard old != new else { return nil }
            return "\(factor): \(old?.russianName ?? "—") → \(new?.russianName ?? "—")"
        }
    }
}

/// The questionnaire for one school and year: the questions, grouped by factor.
struct RiskQuestionnaireModel: Sendable {
    let school: SchoolModel
    let year: Int
    let questionnaire: RiskQuestionnaire
    let factors: [RiskFactor]
    /// The refused answers, ticked again as they were.
    var echo: FormEcho? = nil

    static func build(_ req: Request, id: Int) async throws -> RiskQuestionnaireModel {
        _ = try req.require(\.canRateRisks)
        let school = try await req.schoolInScope(id)
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        return RiskQuestionnaireModel(school: school, year: year, questionnaire: .fiocoThemes,
                                      factors: try await RiskRepository(db: req.db).factors())
    }
}
