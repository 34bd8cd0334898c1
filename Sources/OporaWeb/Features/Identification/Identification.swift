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
    /// The threshold typed for a what-if, if it differs from the preset.
    let whatIfThreshold: Double?
    /// Against the latest approved list of the scope: who would enter or leave.
    let changes: ListChanges?
    let approvedList: IdentificationListModel?
    let canApprove: Bool
    let names: [String: String]

    static func build(_ req: Request) async throws -> IdentificationModel {
        let user = try req.user
        let works = try await ResultsRepository(db: req.db).availableWorks(scope: user.scope)
        let years = Array(Set(works.map(\.year))).sorted(by: >)
        let year = (try? req.query.get(Int.self, at: "year")) ?? years.first
        var stored: (CriteriaSet, CriteriaSetModel)? = nil
        if let year { stored = try await CriteriaRepository(db: req.db).effective(year: year, scope: user.scope) }
        let requested = try? req.query.get(String.self, at: "criteria")
        let presetKey = requested.flatMap { CriteriaSet.presets[$0] == nil && $0 != "stored" ? nil : $0 } ?? (stored == nil ? "seed004" : "stored")
        var criteria = presetKey == "stored" ? (stored?.0 ?? .seed004) : CriteriaSet.presets[presetKey]!
        let whatIf = (try? req.query.get(String.self, at: "threshold")).flatMap(NumberParsing.decimal).flatMap { (0...100).contains($0) ? $0 : nil }
        if let whatIf { criteria.lowResults.threshold = whatIf; criteria.lowResults.riskLowerBound = min(criteria.lowResults.riskLowerBound, whatIf) }
        let canApprove = user.role.canImport && { if case .schools = user.scope { return false } else { return true } }()
        guard let year else {
            return IdentificationModel(years: years, year: nil, presetKey: presetKey, criteria: criteria, rows: [], whatIfThreshold: whatIf,
                                       changes: nil, approvedList: nil, canApprove: canApprove, names: [:])
        }
        let subjects = try await ResultLabels.subjects(on: req.db)
        let identified = try await IdentificationRepository(db: req.db).identify(year: year, criteria: criteria, scope: user.scope)
        let order: [IdentificationStatus] = [.lowResultsSocial, .lowResults, .riskOfDecline, .none]
        let rows = identified.map { item in
            Row(schoolID: item.school.id!, school: item.school.displayName, status: item.result.status,
                sentence: Identifier.sentence(schoolName: item.school.displayName, item.result, subjects: subjects),
                isbs: item.isbsGroup, quality: item.qualityGroup)
        }.sorted { (order.firstIndex(of: $0.status)!, $0.school) < (order.firstIndex(of: $1.status)!, $1.school) }
        let approved = try await IdentificationRepository(db: req.db).lists(scope: user.scope).first
        var changes: ListChanges? = nil
        if let approved {
            let previous = Dictionary(uniqueKeysWithValues: approved.entries.map { (String($0.$school.id), IdentificationStatus(rawValue: $0.status) ?? .none) })
            let current = Dictionary(uniqueKeysWithValues: rows.map { (String($0.schoolID), $0.status) })
            changes = ListChanges.compare(previous: previous, current: current)
        }
        let names = Dictionary(uniqueKeysWithValues: identified.map { (String($0.school.id!), $0.school.displayName) })
        return IdentificationModel(years: years, year: year, presetKey: presetKey, criteria: criteria, rows: rows, whatIfThreshold: whatIf,
                                   changes: changes, approvedList: approved, canApprove: canApprove, names: names)
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
                UI.select("Критерии", name: "criteria",
                          options: [("stored", "Сохранённый набор на год (или правило 30 %)")] + CriteriaSet.presets.sorted { $0.key > $1.key }.map { ($0.key, $0.value.name) },
                          selected: model.presetKey)
                UI.field("Что если порог, %", name: "threshold", value: model.whatIfThreshold.map { RussianFormat.number($0) }, hint: "пусто — как в критериях")
                el("button", .type("submit"), .class("secondary")) { "Применить" }
                el("span", .class("spacer"))
                if let year = model.year {
                    el("a", .class("button secondary"), .href("/identification/export.csv?year=\(year)&criteria=\(model.presetKey)")) { "CSV" }
                    el("a", .class("button secondary"), .href("/identification/export.xlsx?year=\(year)&criteria=\(model.presetKey)")) { "XLSX" }
                    el("a", .class("button secondary"), .href("/typology?year=\(year)")) { "Типология" }
                    el("a", .class("button secondary"), .href("/criteria?year=\(year)")) { "Критерии" }
                }
            }
            let flagged = model.rows.filter { $0.status != .none }
            if let changes = model.changes, let list = model.approvedList {
                el("div", .class("panel")) {
                    el("strong") { "По сравнению с утверждённым списком на \(list.year) год (приказ № \(list.orderNumber) от \(RussianFormat.date(list.orderDate))): " }
                    "войдут — \(changes.entered.count), останутся — \(changes.stayed.count), выйдут — \(changes.left.count)."
                    if !changes.entered.isEmpty { el("p") { "Войдут: " + changes.entered.map { model.names[$0] ?? $0 }.joined(separator: ", ") } }
                    if !changes.left.isEmpty { el("p") { "Выйдут: " + changes.left.map { model.names[$0] ?? $0 }.joined(separator: ", ") } }
                    el("p") { el("a", .href("/identification/lists")) { "История списков" } }
                }
            }
            if model.canApprove, let year = model.year, !flagged.isEmpty {
                el("form", .class("row panel"), .method("post"), .action("/identification/approve")) {
                    Layout.csrfField(context.csrf)
                    el("input", .type("hidden"), .name("year"), .value(String(year)))
                    el("input", .type("hidden"), .name("criteria"), .value(model.presetKey))
                    el("input", .type("hidden"), .name("threshold"), .value(model.whatIfThreshold.map { String($0) }))
                    UI.field("Номер приказа", name: "order_number", value: nil, required: true)
                    UI.field("Дата приказа", name: "order_date", value: RussianFormat.date(Date()), required: true, hint: "ДД.ММ.ГГГГ")
                    el("button", .type("submit")) { "Утвердить список (\(flagged.count))" }
                }
            }
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

struct IdentificationListsModel {
    struct Entry { let school: String; let status: IdentificationStatus; let explanation: String }
    struct Item { let list: IdentificationListModel; let entered: [Entry]; let stayed: [Entry]; let left: [Entry] }
    let items: [Item]

    static func build(_ req: Request) async throws -> IdentificationListsModel {
        let user = try req.user
        let lists = try await IdentificationRepository(db: req.db).lists(scope: user.scope)
        let names = Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: req.db).all().map { ($0.id!, $0.displayName) })
        var items: [Item] = []
        for (index, list) in lists.enumerated() {
            // The previous list of the same scope (lists are newest first).
            let previous = lists[(index + 1)...].first { $0.regionID == list.regionID && $0.municipalityID == list.municipalityID }
            let now = Dictionary(uniqueKeysWithValues: list.entries.map { ($0.$school.id, $0) })
            let before = Dictionary(uniqueKeysWithValues: (previous?.entries ?? []).map { ($0.$school.id, $0) })
            func entry(_ e: IdentificationListEntryModel) -> Entry {
                Entry(school: names[e.$school.id] ?? "?", status: IdentificationStatus(rawValue: e.status) ?? .none, explanation: e.explanation)
            }
            items.append(Item(list: list,
                              entered: now.filter { before[$0.key] == nil }.values.map(entry).sorted { $0.school < $1.school },
                              stayed: now.filter { before[$0.key] != nil }.values.map(entry).sorted { $0.school < $1.school },
                              left: previous == nil ? [] : before.filter { now[$0.key] == nil }.values.map(entry).sorted { $0.school < $1.school }))
        }
        return IdentificationListsModel(items: items)
    }
}

enum IdentificationListsView {
    static func page(_ model: IdentificationListsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Списки школ", context, active: .identification) {
            el("h1") { "Утверждённые списки школ" }
            if model.items.isEmpty { el("div", .class("panel")) { el("p") { "Списков пока нет. Утвердите список на странице «Идентификация»." } } }
            model.items.map { item in
                el("div", .class("panel")) {
                    el("h2", Attr("style", "margin-top:0")) {
                        "\(item.list.year) год, \(item.list.scopeLabel): приказ № \(item.list.orderNumber) от \(RussianFormat.date(item.list.orderDate))"
                    }
                    el("p", .class("muted")) { "Критерии: \(item.list.criteriaName). Утвердил: \(item.list.approvedBy), \(RussianFormat.dateTime(item.list.approvedAt))." }
                    section("Вошли", item.entered)
                    section("Остались", item.stayed)
                    section("Вышли", item.left)
                }
            }
        }
    }

    static func section(_ title: String, _ entries: [IdentificationListsModel.Entry]) -> HTMLNode {
        el("div") {
            el("h3") { "\(title): \(entries.count)" }
            if !entries.isEmpty {
                el("ul") { entries.map { entry in el("li") { entry.explanation.isEmpty ? entry.school : entry.explanation } } }
            }
        }
    }
}

struct IdentificationController {
    struct Approval: Content { var year: Int; var criteria: String?; var threshold: String?; var order_number: String?; var order_date: String? }

    @Sendable func approve(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        if case .schools = user.scope { throw Abort(.forbidden) }
        let form = try req.content.decode(Approval.self)
        var criteria = CriteriaSet.presets[form.criteria ?? "seed004"] ?? .seed004
        if form.criteria == "stored", let stored = try await CriteriaRepository(db: req.db).effective(year: form.year, scope: user.scope) {
            criteria = stored.0
        }
        if let threshold = form.threshold.cleaned.flatMap(NumberParsing.decimal), (0...100).contains(threshold) {
            criteria.lowResults.threshold = threshold
            criteria.lowResults.riskLowerBound = min(criteria.lowResults.riskLowerBound, threshold)
        }
        let back = "/identification?year=\(form.year)&criteria=\(form.criteria ?? "seed004")"
        guard let date = form.order_date.cleaned.flatMap(RussianFormat.parseDate) else {
            return req.redirect(to: back, flash: .error, "Дата приказа: ожидается ДД.ММ.ГГГГ")
        }
        let repository = IdentificationRepository(db: req.db)
        let identified = try await repository.identify(year: form.year, criteria: criteria, scope: user.scope)
        let subjects = try await ResultLabels.subjects(on: req.db)
        let explanations = Dictionary(uniqueKeysWithValues: identified.map {
            ($0.school.id!, Identifier.sentence(schoolName: $0.school.displayName, $0.result, subjects: subjects))
        })
        do {
            _ = try await repository.approve(year: form.year, criteria: criteria, identified: identified, explanations: explanations, scope: user.scope,
                                             scopeLabel: user.scopeLabel, orderNumber: form.order_number ?? "", orderDate: date, actor: user.actor)
            return req.redirect(to: "/identification/lists", flash: .success, "Список утверждён")
        } catch let error as RepositoryError {
            return req.redirect(to: back, flash: .error, error.description)
        }
    }

    func register(_ routes: any RoutesBuilder) {
        routes.post("identification", "approve", use: approve)
        routes.get("identification", "lists") { req async throws -> HTMLNode in
            IdentificationListsView.page(try await IdentificationListsModel.build(req), try req.pageContext())
        }
        routes.get("identification") { req async throws -> HTMLNode in
            IdentificationView.page(try await IdentificationModel.build(req), try req.pageContext())
        }
        routes.get("typology") { req async throws -> HTMLNode in
            IdentificationView.typology(try await TypologyModel.build(req), try req.pageContext())
        }
    }
}

/// Criteria sets per scope and year: the text (YAML or JSON), validated on save, with every version kept.
struct CriteriaPageModel {
    let year: Int
    let text: String
    let versions: [CriteriaSetModel]
    let inherited: Bool
    let canEdit: Bool
    let error: String?

    static func build(_ req: Request, text: String? = nil, error: String? = nil) async throws -> CriteriaPageModel {
        let user = try req.user
        let year = (try? req.query.get(Int.self, at: "year")) ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let repository = CriteriaRepository(db: req.db)
        let versions = try await repository.versions(year: year, scope: user.scope)
        let effective = try await repository.effective(year: year, scope: user.scope)
        let current = try text ?? versions.first?.body ?? effective?.1.body ?? CriteriaFile.yaml(.seed004)
        let canEdit = user.role.canImport && { if case .schools = user.scope { return false } else { return true } }()
        return CriteriaPageModel(year: year, text: current, versions: versions, inherited: versions.isEmpty && effective != nil, canEdit: canEdit, error: error)
    }
}

enum CriteriaPageView {
    static func page(_ model: CriteriaPageModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Критерии", context, active: .identification) {
            el("h1") { "Критерии отбора на \(model.year) год" }
            el("p", .class("lead")) { "Набор критериев — данные, а не код: формат описан в docs/CRITERIA.md. Отсутствующие ключи берутся из правила 30 % (seed 004)." }
            el("form", .class("row"), .method("get"), .action("/criteria")) {
                UI.field("Год", name: "year", value: String(model.year), type: "number")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            if model.inherited { el("div", .class("flash success")) { "Своего набора на этот год нет: действует набор вышестоящего уровня (показан ниже)." } }
            if let error = model.error { el("div", .class("flash error"), Attr("role", "alert")) { el("pre", Attr("style", "white-space:pre-wrap;margin:0")) { error } } }
            el("form", .method("post"), .action("/criteria?year=\(model.year)")) {
                Layout.csrfField(context.csrf)
                el("textarea", .name("text"), Attr("rows", "24"), Attr("style", "width:100%;font-family:monospace"),
                   .when(!model.canEdit, Attr("readonly", ""))) { model.text }
                if model.canEdit { el("p") { el("button", .type("submit")) { "Проверить и сохранить новую версию" } } }
            }
            el("h2") { "Версии" }
            el("table") {
                el("thead") { el("tr") { el("th", .class("num")) { "Версия" }; el("th") { "Название" }; el("th") { "Кто" }; el("th") { "Когда" } } }
                el("tbody") {
                    if model.versions.isEmpty { UI.emptyRow(4, "Сохранённых версий нет") }
                    model.versions.map { version in
                        el("tr") {
                            el("td", .class("num")) { String(version.version) }
                            el("td") { version.name }
                            el("td") { version.createdBy }
                            el("td") { RussianFormat.dateTime(version.createdAt) }
                        }
                    }
                }
            }
        }
    }
}

struct CriteriaController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("criteria") { req async throws -> HTMLNode in
            CriteriaPageView.page(try await CriteriaPageModel.build(req), try req.pageContext())
        }
        routes.post("criteria", use: save)
    }

    struct Form: Content { var text: String }

    @Sendable func save(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        if case .schools = user.scope { throw Abort(.forbidden) }
        guard let year = try? req.query.get(Int.self, at: "year") else { throw Abort(.badRequest, reason: "Не указан год") }
        let text = try req.content.decode(Form.self).text
        do {
            let saved = try await CriteriaRepository(db: req.db).save(year: year, scope: user.scope, text: text, actor: user.actor)
            return req.redirect(to: "/criteria?year=\(year)", flash: .success, "Сохранена версия \(saved.version)")
        } catch let error as CriteriaError {
            // Invalid text is shown again with every problem, so nothing typed is lost.
            return try await CriteriaPageView.page(try await CriteriaPageModel.build(req, text: text, error: error.description), try req.pageContext())
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
