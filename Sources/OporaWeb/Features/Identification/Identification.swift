import Fluent
import OporaData
import OporaDomain
import Vapor

/// The identification page: the criteria applied to the year, each flagged school explained in one sentence.
struct IdentificationModel {
    struct Row { let schoolID: Int; let school: String; let status: IdentificationStatus; let sentence: String; let isbs: Int?; let quality: Int? }

    let years: [Int]
    let year: Int?
    let presetKey: String
    let criteria: CriteriaSet
    let rows: [Row]

    static func build(_ req: Request) async throws -> IdentificationModel {
        let user = try req.user
        let works = try await ResultsRepository(db: req.db).availableWorks(scope: user.scope)
        let years = Array(Set(works.map(\.year))).sorted(by: >)
        let year = (try? req.query.get(Int.self, at: "year")) ?? years.first
        let presetKey = (try? req.query.get(String.self, at: "criteria")).flatMap { CriteriaSet.presets[$0] == nil ? nil : $0 } ?? "seed004"
        let criteria = CriteriaSet.presets[presetKey]!
        guard let year else { return IdentificationModel(years: years, year: nil, presetKey: presetKey, criteria: criteria, rows: []) }
        let subjects = try await ResultLabels.subjects(on: req.db)
        let identified = try await IdentificationRepository(db: req.db).identify(year: year, criteria: criteria, scope: user.scope)
        let order: [IdentificationStatus] = [.lowResultsSocial, .lowResults, .riskOfDecline, .none]
        let rows = identified.map { item in
            Row(schoolID: item.school.id!, school: item.school.displayName, status: item.result.status,
                sentence: Identifier.sentence(schoolName: item.school.displayName, item.result, subjects: subjects),
                isbs: item.isbsGroup, quality: item.qualityGroup)
        }.sorted { (order.firstIndex(of: $0.status)!, $0.school) < (order.firstIndex(of: $1.status)!, $1.school) }
        return IdentificationModel(years: years, year: year, presetKey: presetKey, criteria: criteria, rows: rows)
    }
}

/// Typology grid (ИСБШ group × quality group, 11 × 11) and scatter, from the context data of a year.
struct TypologyModel {
    struct Point { let schoolID: Int; let school: String; let isbs: Int; let quality: Int; let type: SchoolType }
    let year: Int
    let points: [Point]

    static func build(_ req: Request) async throws -> TypologyModel {
        let user = try req.user
        let repository = IdentificationRepository(db: req.db)
        let latest = try await repository.latestContextYear()
        let year = (try? req.query.get(Int.self, at: "year")) ?? latest ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let context = try await IdentificationRepository(db: req.db).context(year: year)
        let schools = try await ScopeQueries.schools(user.scope, on: req.db).all()
        let points: [Point] = schools.compactMap { school in
            guard let isbs = context[school.id!]?["isbs_group"]?.number, let quality = context[school.id!]?["quality_group"]?.number else { return nil }
            return Point(schoolID: school.id!, school: school.displayName, isbs: Int(isbs), quality: Int(quality),
                         type: TypologyRule.seed004.type(isbsGroup: Int(isbs), qualityGroup: Int(quality)))
        }
        return TypologyModel(year: year, points: points.sorted { $0.school < $1.school })
    }
}

enum IdentificationView {
    static func tag(_ status: IdentificationStatus) -> HTMLNode {
        let style: String
        switch status {
        case .lowResultsSocial, .lowResults: style = "bad"
        case .riskOfDecline: style = "warn"
        case .none: style = "good"
        }
        return el("span", .class("tag \(style)")) { status.russianName }
    }

    static func page(_ model: IdentificationModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Идентификация", context, active: .identification) {
            el("h1") { "Идентификация школ" }
            el("p", .class("lead")) { model.criteria.description ?? model.criteria.name }
            el("form", .class("row"), .method("get"), .action("/identification")) {
                UI.select("Год", name: "year", options: model.years.map { (String($0), String($0)) }, selected: model.year.map(String.init))
                UI.select("Критерии", name: "criteria", options: CriteriaSet.presets.sorted { $0.key > $1.key }.map { ($0.key, $0.value.name) },
                          selected: model.presetKey)
                el("button", .type("submit"), .class("secondary")) { "Применить" }
                el("span", .class("spacer"))
                if let year = model.year {
                    el("a", .class("button secondary"), .href("/identification/export.csv?year=\(year)&criteria=\(model.presetKey)")) { "CSV" }
                    el("a", .class("button secondary"), .href("/identification/export.xlsx?year=\(year)&criteria=\(model.presetKey)")) { "XLSX" }
                    el("a", .class("button secondary"), .href("/typology?year=\(year)")) { "Типология" }
                }
            }
            let flagged = model.rows.filter { $0.status != .none }
            el("div", .class("cards")) {
                IdentificationStatus.allCases.map { status in
                    HomeView.card(String(model.rows.filter { $0.status == status }.count), status.russianName)
                }
            }
            el("h2") { "Выявленные школы: \(flagged.count) из \(model.rows.count)" }
            el("table") {
                el("thead") { el("tr") { el("th") { "Школа" }; el("th") { "Статус" }; el("th", .class("num")) { "ИСБШ" }; el("th") { "Обоснование (для приказа)" } } }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(4, "Нет данных за выбранный год") }
                    model.rows.map { row in
                        el("tr") {
                            el("td") { el("a", .href("/schools/\(row.schoolID)/results")) { row.school } }
                            el("td") { tag(row.status) }
                            el("td", .class("num")) { row.isbs.map(String.init) ?? "—" }
                            el("td") { row.status == .none ? el("span", .class("muted")) { "—" } : .text(row.sentence) }
                        }
                    }
                }
            }
        }
    }

    static func typology(_ model: TypologyModel, _ context: PageContext) -> HTMLNode {
        let byCell = Dictionary(grouping: model.points) { "\($0.isbs)|\($0.quality)" }
        let counts = Dictionary(grouping: model.points, by: \.type).mapValues(\.count)
        return Layout.page("Типология", context, active: .identification) {
            el("h1") { "Типология школ: ИСБШ × качество, \(model.year)" }
            el("p", .class("lead")) { "Группа индекса социального благополучия (строки) и группа качества подготовки (столбцы), 1–11; типы — по программе Первоуральска (seed 004)." }
            el("form", .class("row"), .method("get"), .action("/typology")) {
                UI.field("Год", name: "year", value: String(model.year), type: "number")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            el("div", .class("cards")) {
                SchoolType.allCases.map { type in
                    el("div", .class("card"), Attr("style", "border-left:6px solid \(type.colour)")) {
                        el("div", .class("value")) { String(counts[type] ?? 0) }
                        el("div", .class("label")) { type.russianName }
                    }
                }
            }
            if model.points.isEmpty {
                el("div", .class("panel")) { el("p") { "Нет групп ИСБШ и качества за \(model.year) год: загрузите context (isbs_group, quality_group)." } }
            } else {
                el("div", .class("panel")) { scatter(model) }
                el("table", Attr("style", "table-layout:fixed")) {
                    el("thead") { el("tr") {
                        el("th") { "ИСБШ \\ качество" }
                        (1...11).map { q in el("th", .class("num")) { String(q) } }
                    } }
                    el("tbody") {
                        (1...11).map { isbs in
                            el("tr") {
                                el("th") { String(isbs) }
                                (1...11).map { quality in
                                    let type = TypologyRule.seed004.type(isbsGroup: isbs, qualityGroup: quality)
                                    return el("td", Attr("style", "background:\(type.colour)22;font-size:.8rem"), .title(type.russianName)) {
                                        (byCell["\(isbs)|\(quality)"] ?? []).map { point in
                                            el("div") { el("a", .href("/schools/\(point.schoolID)")) { point.school } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func scatter(_ model: TypologyModel) -> HTMLNode {
        let size = 440.0, margin = 40.0
        let cell = (size - margin) / 11
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(size) \(size)\" width=\"440\" role=\"img\" class=\"chart\">"
        for isbs in 1...11 {
            for quality in 1...11 {
                let type = TypologyRule.seed004.type(isbsGroup: isbs, qualityGroup: quality)
                svg += "<rect x=\"\(margin + Double(quality - 1) * cell)\" y=\"\(Double(11 - isbs) * cell)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(type.colour)\" fill-opacity=\"0.14\"/>"
            }
            svg += "<text x=\"\(margin - 6)\" y=\"\(Double(11 - isbs) * cell + cell / 2 + 4)\" font-size=\"10\" text-anchor=\"end\">\(isbs)</text>"
            svg += "<text x=\"\(margin + Double(isbs - 1) * cell + cell / 2)\" y=\"\(size - 24)\" font-size=\"10\" text-anchor=\"middle\">\(isbs)</text>"
        }
        svg += "<text x=\"\(margin + (size - margin) / 2)\" y=\"\(size - 6)\" font-size=\"11\" text-anchor=\"middle\">группа качества</text>"
        svg += "<text x=\"10\" y=\"\((size - margin) / 2)\" font-size=\"11\" transform=\"rotate(-90 10 \((size - margin) / 2))\" text-anchor=\"middle\">группа ИСБШ</text>"
        var placed: [String: Int] = [:]
        for point in model.points {
            let key = "\(point.isbs)|\(point.quality)"
            let k = placed[key, default: 0]
            placed[key] = k + 1
            let x = margin + Double(point.quality - 1) * cell + cell / 2 + Double(k % 3 - 1) * 8
            let y = Double(11 - point.isbs) * cell + cell / 2 + Double(k / 3) * 8 - 4
            svg += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"5\" fill=\"\(point.type.colour)\" stroke=\"#fff\"><title>\(HTMLNode.escape(point.school)): \(point.type.russianName)</title></circle>"
        }
        return .trusted(svg + "</svg>")
    }
}

struct IdentificationController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("identification") { req async throws -> HTMLNode in
            IdentificationView.page(try await IdentificationModel.build(req), try req.pageContext())
        }
        routes.get("typology") { req async throws -> HTMLNode in
            IdentificationView.typology(try await TypologyModel.build(req), try req.pageContext())
        }
    }
}
