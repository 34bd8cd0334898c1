import FluentKit
import Foundation
import OporaDomain

/// Builds the documents officials file from what Opora holds: a school's card and a municipality's analytical
/// note. Every figure comes from the same reads as `opora stats` (a school's counts, its municipality's pooled
/// counts) or from the imported benchmarks; sections with no data are left out, not printed empty.
public struct ReportBuilder: Sendable {
    public let db: any Database
    /// The date of preparation every document prints.
    public var prepared: CalendarDay

    public init(db: any Database, prepared: CalendarDay = .today()) {
        self.db = db
        self.prepared = prepared
    }

    struct Context {
        let subjects: [String: String]
        func subject(_ code: String) -> String { subjects[code] ?? code }
    }

    func context() async throws -> Context {
        Context(subjects: Dictionary(uniqueKeysWithValues: try await SubjectModel.query(on: db).all().map { ($0.code, $0.name) }))
    }

    static func workTitle(_ work: WorkKey, _ context: Context) -> String {
        "\(work.procedure.russianShortName)-\(work.year), \(context.subject(work.subject).lowercased()), \(work.grade) класс"
    }

    /// One row's figures for a work — a school's, the municipality's or an imported benchmark's —, all from one source:
    /// a row never mixes imported figures with those Opora computes from the schools it holds.
    struct Figures {
        let participants: Int?
        let success: Double?
        let quality: Double?
        let meanMark: Double?
        let meanScore: Double?
        let belowMin: Double?
        /// From a loaded benchmark (true) or computed from the counts Opora holds (false).
        let imported: Bool

        init(_ benchmark: ResultsRepository.Benchmark) {
            participants = benchmark.participants
            success = benchmark.successRate
            quality = benchmark.qualityRate
            meanMark = benchmark.meanMark
            meanScore = benchmark.meanScore
            belowMin = benchmark.belowMinRate
            imported = true
        }

        init(_ pool: ResultPool) {
            participants = pool.participants
            success = pool.success?.rate
            quality = pool.quality?.rate
            meanMark = pool.meanMark
            meanScore = pool.meanScore
            belowMin = pool.belowMin?.rate
            imported = false
        }

        /// «Муниципалитет (по школам в Опоре)» or «Муниципалитет (загружено)»: which source the row is.
        var municipalityLabel: String { imported ? "Муниципалитет (загружено)" : "Муниципалитет (по школам в Опоре)" }
    }

    /// A work's comparison figures: the municipality's computed from its schools, its imported benchmark (when one is
    /// loaded under its name), the region's and Russia's.
    struct Comparison {
        let computed: Figures?
        let imported: Figures?
        let region: ResultsRepository.Benchmark?
        let russia: ResultsRepository.Benchmark?

        /// The one municipal figure a single column shows: the imported benchmark if loaded (it covers every school),
        /// else the computed one — whole, never a mix of the two.
        var municipality: Figures? { imported ?? computed }
    }

    func comparisons(year: Int, municipality: MunicipalityModel, regionID: Int) async throws -> [WorkKey: Comparison] {
        let results = ResultsRepository(db: db)
        let municipalityID = municipality.id!
        let pooled = Dictionary(
            grouping: try await results.results(ResultFilter(year: year), scope: .municipality(municipalityID)), by: \.work)
        let benchmarks = try await results.benchmarks(ResultFilter(year: year), scope: .region(regionID))
        // A municipality's benchmark is the one loaded under its name (another municipality's figure is not its own).
        let ownName = HeaderKey.normalize(municipality.name)
        func isOwn(_ name: String) -> Bool {
            let name = HeaderKey.normalize(name)
            return !name.isEmpty && (name == ownName || ownName.contains(name) || name.contains(ownName))
        }
        var comparisons: [WorkKey: Comparison] = [:]
        for work in Set(pooled.keys).union(benchmarks.map(\.work)) {
            let imported = benchmarks.first { $0.work == work && $0.level == .municipality && isOwn($0.name) }
            let pool = pooled[work].map { ResultPool($0.map(\.counts), procedure: work.procedure, subject: work.subject) }
            comparisons[work] = Comparison(computed: pool.map(Figures.init), imported: imported.map(Figures.init),
                                           region: benchmarks.first { $0.work == work && $0.level == .region },
                                           russia: benchmarks.first { $0.work == work && $0.level == .russia })
        }
        return comparisons
    }

    /// Success and quality of a row as printed, with quality above success flagged on the quality cell — in every row,
    /// a school's, the municipality's and the imported benchmarks' alike. `benchmark` names an imported figure (then a
    /// missing or impossible one is flagged too); nil for figures computed from counts.
    static func successAndQuality(_ success: Double?, _ quality: Double?,
                                  benchmark: String?) -> (success: ReportCell, quality: ReportCell) {
        let successCell = benchmark.map { ReportChecks.benchmark(success, name: $0) } ?? .percent(success)
        if let flag = ReportChecks.quality(quality, success: success) { return (successCell, .percent(quality, flag: flag)) }
        return (successCell, benchmark.map { ReportChecks.benchmark(quality, name: $0) } ?? .percent(quality))
    }

    /// A comparison row of the note's work table, every figure from the same source.
    static func comparisonRow(_ label: String, _ figures: Figures?, benchmark: String?) -> [ReportCell] {
        let (success, quality) = successAndQuality(figures?.success, figures?.quality, benchmark: benchmark)
        return [.text(label), .integer(figures?.participants), success, quality, .number(figures?.meanMark, digits: 2),
                .number(figures?.meanScore, digits: 1), .percent(figures?.belowMin), ""]
    }

    // MARK: school card

    /// The school's support in the year: mentor, visits, people trained, staff (when the network holds any of it).
    func appendSupport(_ document: inout ReportDocument, schoolID: Int, year: Int) async throws {
        let support = SupportRepository(db: db), scope = AccessScope.schools([schoolID])
        let from = CalendarDay(year: year, month: 1, day: 1), to = CalendarDay(year: year, month: 12, day: 31)
        let mentors = try await support.mentoringPairs(scope, year: year).map { "«\($0.mentor.displayName)»" }
        let visits = try await support.visits(scope)
        let ofYear = visits.filter { $0.day.map((from...to).contains) == true }
        let open = visits.filter { !$0.followUpDone && $0.due != nil }
        let training = TrainingSummary.compute(
            try await support.participations(scope, from: from, to: to), rule: .seed002, within: from...to
        ).first
        let staff = StaffSummary.compute(try await StaffRepository(db: db).staff(scope, year: year)).first
        guard !mentors.isEmpty || !visits.isEmpty || training != nil || staff != nil else { return }
        document.heading("Сопровождение, \(year)")
        var rows: [[ReportCell]] = [
            [.text("Школа-наставник"), .text(mentors.isEmpty ? "не закреплена" : mentors.joined(separator: ", "))],
            [
                .text("Визитов и консультаций за год"),
                .text(ofYear.isEmpty ? "нет" : "\(ofYear.count), последний \(ofYear.compactMap(\.day).max()!.russian)"),
            ],
            [
                .text("Рекомендации к исполнению"),
                .text(
                    open.isEmpty
                        ? "нет"
                        : open.compactMap { visit in visit.due.map { "\(visit.followUp ?? visit.topic) — до \($0.russian)" } }.joined(
                            separator: "; ")),
            ],
        ]
        if let training {
            rows.append([
                .text("Обучено по журналу мероприятий"),
                .text(
                    "\(training.people) чел., \(RussianFormat.number(training.personHours)) человеко-часов; "
                        + (training.teamMeetsRule
                            ? "команда соответствует правилу «\(TrainingRule.seed002.russianName)»" : "команда не набрана")),
            ])
        }
        if let staff {
            rows.append([
                .text("Педагогов"),
                .text(
                    "\(staff.people); с высшей и первой категорией \(RussianFormat.number(staff.categorised.rate ?? 0)) %; "
                        + "прошли курсовую подготовку \(RussianFormat.number(staff.trainedShare.rate ?? 0)) %; с дефицитами " +
                            "\(staff.withDeficit)"
                ),
            ])
        }
        document.table(ReportTable(header: ["", ""], rows: rows, widths: [4, 9]))
    }

    public func schoolCard(schoolID: Int, year: Int) async throws -> ReportDocument {
        guard
            let school = try await SchoolModel.query(on: db).filter(\.$id == schoolID).with(\.$municipality, { $0.with(\.$region) }).first()
        else {
            throw RepositoryError.notFound(entity: "школа")
        }
        let context = try await context()
        let municipality = school.municipality, region = municipality.region
        var document = ReportDocument(title: "Паспорт школы: \(school.name)",
                                      subtitle: ["\(municipality.name), \(region.name)", "по данным на \(year) год"])

        document.heading("Общие сведения")
        var facts: [[ReportCell]] = [
            ["Код", .text(school.code)], ["Наименование", .text(school.name)], ["Муниципалитет", .text(municipality.name)],
        ]
        if let director = school.director { facts.append(["Директор", .text(director)]) }
        if let address = school.address { facts.append(["Адрес", .text(address)]) }
        if let settlement = school.settlement.flatMap(Settlement.init(rawValue:)) {
            facts.append(["Местность", .text(settlement.russianName)])
        }
        if let students = school.students { facts.append(["Обучающихся", .integer(students)]) }
        if let ovz = school.studentsOVZ { facts.append(["Из них с ОВЗ", .integer(ovz)]) }
        let contextValues = try await IdentificationRepository(db: db).context(year: year)[schoolID] ?? [:]
        for (code, value) in contextValues.sorted(by: { $0.key < $1.key }) {
            facts.append([.text(ContextFile.label(code)), value.number.map { ReportCell.number($0, digits: 2) } ?? .text(value.text)])
        }
        document.table(ReportTable(header: ["Показатель", "Значение"], rows: facts, widths: [2, 5]))

        // Results of the year against the municipality, the region and Russia, then the dynamics over three years.
        let results = ResultsRepository(db: db)
        let years = Array((year - 2)...year)
        var byYear: [Int: [SchoolWorkResult]] = [:]
        for y in years { byYear[y] = try await results.results(ResultFilter(year: y, schoolIDs: [schoolID]), scope: .everything) }
        let current = byYear[year] ?? []
        if !current.isEmpty {
            document.heading("Результаты оценочных процедур \(year) года")
            let comparisons = try await comparisons(year: year, municipality: municipality, regionID: region.id!)
            var belowBoth: [String] = []
            let groups = Dictionary(grouping: current, by: { "\($0.work.procedure.rawValue)|\($0.work.grade)" })
                .sorted(by: { $0.key < $1.key })
            for (_, unsorted) in groups {
                let group = unsorted.sorted(by: { $0.work.subject < $1.work.subject })
                let first = group[0].work
                // ЕГЭ is scored, not marked: its section shows the mean score and the share below the minimum.
                if first.procedure == .ege || !group.contains(where: { $0.counts.hasMarks }) {
                    document.table(Self.scoredWorks(group, comparisons: comparisons, context: context))
                    continue
                }
                var rows: [[ReportCell]] = []
                var bars: [(label: String, values: [Double?])] = []
                for result in group {
                    let pool = ResultPool([result.counts], procedure: result.work.procedure, subject: result.work.subject)
                    let comparison = comparisons[result.work]
                    let success = ReportChecks.share(pool.success)
                    let qualityFlag = ReportChecks.quality(pool.quality?.rate, success: pool.success?.rate)
                    let quality = qualityFlag.map { ReportCell.percent(pool.quality?.rate, flag: $0) } ?? ReportChecks.share(pool.quality)
                    let regionRate = comparison?.region?.successRate, russiaRate = comparison?.russia?.successRate
                    var mark = ""
                    if let rate = pool.success?.rate, let regionRate, let russiaRate, rate < regionRate, rate < russiaRate {
                        mark = "ниже среднего"
                        belowBoth.append("\(context.subject(result.work.subject).lowercased()) (\(result.work.grade) класс): "
                            + "\(RussianFormat.number(rate)) % при \(RussianFormat.number(regionRate)) % по региону и "
                            + "\(RussianFormat.number(russiaRate)) % по России")
                    }
                    let municipal = comparison?.municipality
                    bars.append((context.subject(result.work.subject), [pool.success?.rate, municipal?.success, regionRate, russiaRate]))
                    let ownCells = Self.successAndQuality(municipal?.success, municipal?.quality, benchmark: nil)
                    let regionCells = Self.successAndQuality(regionRate, comparison?.region?.qualityRate, benchmark: "показатель региона")
                    let russiaCells = Self.successAndQuality(russiaRate, comparison?.russia?.qualityRate, benchmark: "показатель России")
                    rows.append([.text(context.subject(result.work.subject)),
                                 ReportCell(.integer(result.counts.participants), flag: FiocoChecks.sampleNote(result.counts.participants)),
                                 success, ownCells.success, regionCells.success, russiaCells.success,
                                 quality, ownCells.quality, regionCells.quality, russiaCells.quality, .text(mark)])
                }
                document.table(
                    ReportTable(
                        title: "\(first.procedure.russianShortName)-\(year), \(first.grade) класс",
                        header: [
                            "Предмет", "Участников", "школа", "муниципалитет", "регион", "Россия",
                            "школа", "муниципалитет", "регион", "Россия", "Оценка",
                        ], rows: rows, widths: [4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3],
                        groups: HeaderGroup.grouping(leading: 2, [("Успеваемость, %", 4), ("Качество, %", 4)], trailing: 1)))
                document.blocks.append(
                    .chart(
                        ReportChart(
                            title: "Успеваемость, \(first.procedure.russianShortName)-\(year), \(first.grade) класс",
                            series: ["Школа", "Муниципалитет", "Регион", "Россия"], groups: bars)))
            }
            if !belowBoth.isEmpty {
                document.paragraph("Ниже и региона, и России успеваемость школы по предметам: " + belowBoth.joined(separator: "; ") + ".")
            }
        }
        let subjects = Set(byYear.values.flatMap { $0.map { "\($0.work.procedure.rawValue)|\($0.work.grade)|\($0.work.subject)" } })
        if byYear.values.filter({ !$0.isEmpty }).count >= 2 {
            document.heading("Динамика за \(years.first!)–\(year) годы")
            var rows: [[ReportCell]] = []
            for key in subjects.sorted() {
                let parts = key.split(separator: "|").map(String.init)
                var row: [ReportCell] = [
                    .text(
                        "\(ProcedureCode(rawValue: parts[0])?.russianShortName ?? parts[0]), \(context.subject(parts[2]).lowercased()), " +
                        "\(parts[1]) класс"
                    )
                ]
                var failures: [Double?] = []
                for y in years {
                    let result = byYear[y]?.first { "\($0.work.procedure.rawValue)|\($0.work.grade)|\($0.work.subject)" == key }
                    let pool = result.map { ResultPool([$0.counts], procedure: $0.work.procedure, subject: $0.work.subject) }
                    row.append(ReportChecks.share(pool?.success))
                    row.append(ReportChecks.share(pool?.quality))
                    row.append(ReportChecks.share(pool?.failure))
                    failures.append(pool?.failure?.rate)
                }
                rows.append(row + [.text(FiocoChecks.failureTrend(failures) ?? "")])
            }
            document.table(
                ReportTable(
                    header: ["Работа"] + years.flatMap { ["Успеваемость \($0), %", "Качество \($0), %", "«2» \($0), %"] } + ["Доля «2»"],
                    rows: rows, widths: [5] + years.flatMap { _ in [2, 2, 2] } + [3]))
        }

        // Objectivity: ВПР marks against term marks.
        let compared = current.filter { $0.work.procedure == .vpr && $0.counts.hasObjectivity && $0.counts.objectivityTotal > 0 }
        if !compared.isEmpty {
            document.heading("Объективность: ВПР и отметки по журналу")
            document.table(
                ReportTable(
                    header: ["Работа", "Сравнено работ", "Понизили, %", "Подтвердили, %", "Повысили, %"],
                    rows: compared.map { result in
                        let pool = ResultPool([result.counts], procedure: result.work.procedure, subject: result.work.subject)
                        return [
                            .text(Self.workTitle(result.work, context)), .integer(result.counts.objectivityTotal),
                            ReportChecks.share(pool.lowered),
                            ReportChecks.share(pool.confirmed), ReportChecks.share(pool.raised),
                        ]
                    }, widths: [5, 2, 2, 2, 2]))
        }

        // Identification: the school on the list in force (as its order recorded it), then what the rule says today.
        let listed = try await IdentificationRepository(db: db).listInForce(year: year, scope: .schools([schoolID]))
        let derived = try await DerivedData.open(db, cache: nil)
        let criteria = try await derived.effectiveCriteria(year: year, scope: .municipality(municipality.id!))
            ?? .defaultRule(territory: municipality.name)
        let identified = try await IdentificationRepository(db: db).identify(year: year, criteria: criteria, scope: .schools([schoolID]))
            .first
        if listed != nil || identified.map({ $0.result.status != .none || !$0.result.reasons.isEmpty }) == true {
            document.heading("Идентификация")
            if let listing = listed?[schoolID] {
                let order = "приказ № \(listing.order.number) от \(RussianFormat.date(listing.order.date)), \(listing.order.issuer)"
                document.paragraph("В перечне \(year) года (\(order)): \(listing.status.russianName)"
                                   + (listing.entry.reason.isEmpty ? "." : "; основание: \(listing.entry.reason)."))
            } else if listed != nil {
                document.paragraph("В перечне \(year) года, утверждённом приказом, школы нет.")
            }
            if let identified {
                document.paragraph(
                    "По критериям «\(criteria.name)»: " + Identifier.explanation(identified.result, subjects: context.subjects))
            }
        }

        // Risk profile.
        let ratings = try await RiskRepository(db: db).ratings(school: school)
        if let profileYear = ratings.keys.filter({ $0 <= year }).max(), let profile = ratings[profileYear] {
            let factors = try await RiskRepository(db: db).factors()
            document.heading("Профиль рисков (\(profileYear) год)")
            document.table(
                ReportTable(
                    header: ["№", "Фактор риска", "Значимость", "Источник"],
                    rows: profile.values.sorted { $0.factor < $1.factor }.map { rating in
                        [
                            .integer(rating.factor), .text(factors.first { $0.number == rating.factor }?.name ?? ""),
                            .text(rating.level.russianName), .text(rating.source ?? ""),
                        ]
                    }, widths: [1, 8, 2, 3]))
        }

        // Programmes: the school's own documents and the programmes it takes part in.
        let own = try await SchoolProgrammeModel.query(on: db).filter(\.$school.$id == schoolID).all()
        if !own.isEmpty {
            document.heading("Программы школы")
            document.table(ReportTable(header: ["Документ", "Название", "Срок", "Статус"], rows: own.map { programme in
                [.text(programme.programmeKind.russianName), .text(programme.title), .text("\(programme.startYear)–\(programme.endYear)"),
                 .text(programme.programmeStatus.russianName)]
            }, widths: [3, 6, 2, 2]))
        }
        let participates = try await PlanRepository(db: db).programmes(.schools([schoolID])).filter {
            $0.passport.participants.contains(school.code)
        }
        if !participates.isEmpty {
            document.paragraph("Участвует в программах: " + participates.map { "«\($0.name)»" }.joined(separator: "; ") + ".")
        }
        if let curators = try await SupportRepository(db: db).curatorNames(of: [schoolID])[schoolID] {
            document.paragraph("Куратор: " + curators.joined(separator: ", ") + ".")
        }
        try await appendSupport(&document, schoolID: schoolID, year: year)
        let decisions = try await PlanRepository(db: db).decisions(.schools([schoolID]))
        if !decisions.isEmpty {
            document.heading("Управленческие решения")
            document.table(
                ReportTable(
                    header: ["Основание", "Решение", "Ответственный", "Срок", "Состояние"],
                    rows: decisions.map { decision in
                        [
                            .text(decision.finding), .text(decision.decision), .text(decision.responsible),
                            .text(decision.due?.russian ?? "—"),
                            .text(decision.decisionStatus.russianName + (decision.outcome.map { ": \($0)" } ?? "")),
                        ]
                    }, widths: [4, 4, 2, 2, 3]))
        }
        Self.appendFlags(&document)
        document.signature = DocumentSignature(issuer: try await issuer(school: schoolID), prepared: prepared)
        return document
    }

    /// A scored work's table on the card (ЕГЭ): per subject the mean score and the share below the minimum, the school's
    /// beside its municipality's, the region's and Russia's.
    static func scoredWorks(_ group: [SchoolWorkResult], comparisons: [WorkKey: Comparison], context: Context) -> ReportTable {
        let first = group[0].work
        let rows = group.map { result -> [ReportCell] in
            let pool = ResultPool([result.counts], procedure: result.work.procedure, subject: result.work.subject)
            let comparison = comparisons[result.work], municipal = comparison?.municipality
            return [.text(context.subject(result.work.subject)),
                    ReportCell(.integer(result.counts.participants), flag: FiocoChecks.sampleNote(result.counts.participants)),
                    .number(pool.meanScore, digits: 1), .number(municipal?.meanScore, digits: 1),
                    .number(comparison?.region?.meanScore, digits: 1), .number(comparison?.russia?.meanScore, digits: 1),
                    ReportChecks.share(pool.belowMin), .percent(municipal?.belowMin), .percent(comparison?.region?.belowMinRate),
                    .percent(comparison?.russia?.belowMinRate)]
        }
        return ReportTable(title: "\(first.procedure.russianShortName)-\(first.year), \(first.grade) класс", header: [
            "Предмет", "Участников", "школа", "муниципалитет", "регион", "Россия", "школа", "муниципалитет", "регион", "Россия",
        ], rows: rows, widths: [4, 2, 2, 2, 2, 2, 2, 2, 2, 2],
        groups: HeaderGroup.grouping(leading: 2, [("Средний балл", 4), ("Не преодолели минимальный порог, %", 4)]))
    }

    static func appendFlags(_ document: inout ReportDocument) {
        let flags = document.flags
        guard !flags.isEmpty else { return }
        document.heading("Примечания к таблицам")
        for (index, flag) in flags.enumerated() { document.paragraph("*\(index + 1) — \(flag).") }
    }

    // MARK: municipal note

    public func municipalNote(municipalityID: Int, year: Int) async throws -> ReportDocument {
        guard let municipality = try await MunicipalityModel.query(on: db).filter(\.$id == municipalityID).with(\.$region).first() else {
            throw RepositoryError.notFound(entity: "муниципалитет")
        }
        let context = try await context()
        let region = municipality.region
        var document = ReportDocument(title: "Аналитическая справка о результатах оценочных процедур \(year) года",
                                      subtitle: ["\(municipality.name), \(region.name)"])
        let schools = try await SchoolModel.query(on: db).filter(\.$municipality.$id == municipalityID).sort(\.$name).all()
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id!, $0.displayName) })
        let results = ResultsRepository(db: db)
        let current = try await results.results(ResultFilter(year: year), scope: .municipality(municipalityID))
        let comparisons = try await comparisons(year: year, municipality: municipality, regionID: region.id!)
        var findings: [String] = []
        document.heading("Результаты \(year) года по школам")
        for (work, group) in Dictionary(grouping: current, by: \.work).sorted(by: { $0.key < $1.key }) {
            let comparison = comparisons[work]
            let regionRate = comparison?.region?.successRate, russiaRate = comparison?.russia?.successRate
            var below: [String] = []
            var rows: [[ReportCell]] = group.sorted { (names[$0.schoolID] ?? "") < (names[$1.schoolID] ?? "") }.map { result in
                let pool = ResultPool([result.counts], procedure: work.procedure, subject: work.subject)
                let qualityFlag = ReportChecks.quality(pool.quality?.rate, success: pool.success?.rate)
                var mark = ""
                if let rate = pool.success?.rate, let regionRate, let russiaRate, rate < regionRate, rate < russiaRate {
                    mark = "ниже среднего"
                    below.append("\(names[result.schoolID] ?? "") (\(RussianFormat.number(rate)) %)")
                }
                return [
                    .text(names[result.schoolID] ?? ""),
                    ReportCell(.integer(result.counts.participants), flag: FiocoChecks.sampleNote(result.counts.participants)),
                    ReportChecks.share(pool.success),
                    qualityFlag.map { ReportCell.percent(pool.quality?.rate, flag: $0) } ?? ReportChecks.share(pool.quality),
                    .number(pool.meanMark, digits: 2), .number(pool.meanScore, digits: 1), ReportChecks.share(pool.belowMin), .text(mark),
                ]
            }
            // The municipality as Opora computes it from the schools it holds, and, when loaded, as imported: two rows,
            // each whole from its source and labelled which (a row mixing them printed 85,5 % success beside 35,7 % «2»).
            let computed = Figures(ResultPool(group.map(\.counts), procedure: work.procedure, subject: work.subject))
            rows.append(Self.comparisonRow(computed.municipalityLabel, computed, benchmark: nil))
            if let imported = comparison?.imported {
                rows.append(Self.comparisonRow(imported.municipalityLabel, imported, benchmark: nil))
            }
            rows.append(Self.comparisonRow("Регион", comparison?.region.map(Figures.init), benchmark: "показатель региона"))
            rows.append(Self.comparisonRow("Россия", comparison?.russia.map(Figures.init), benchmark: "показатель России"))
            document.table(
                ReportTable(
                    title: Self.workTitle(work, context),
                    header: [
                        "Школа", "Участников", "Успеваемость, %", "Качество, %",
                        "Средняя отметка", "Средний балл", "Не преодолели порог, %", "",
                    ],
                    rows: rows, widths: [6, 2, 2, 2, 2, 2, 2, 2]))
            if let municipal = comparison?.municipality, let success = municipal.success {
                let source = municipal.imported ? "загруженный показатель" : "по школам в Опоре"
                var sentence = "\(Self.workTitle(work, context).capitalizedFirst): успеваемость муниципалитета "
                    + "\(RussianFormat.number(success)) % (\(source))"
                if let regionRate { sentence += ", региона \(RussianFormat.number(regionRate)) %" }
                if let russiaRate { sentence += ", России \(RussianFormat.number(russiaRate)) %" }
                if !below.isEmpty { sentence += "; ниже и региона, и России — \(below.joined(separator: ", "))" }
                findings.append(sentence + ".")
            }
        }

        // Objectivity, school by school: ВПР against journal marks, and ВПР against ОГЭ (GUIDE §4 signals).
        var objectivity: [[ReportCell]] = []
        for (schoolID, group) in Dictionary(grouping: current, by: \.schoolID).sorted(by: { (names[$0.key] ?? "") < (names[$1.key] ?? "") })
        {
            let vpr = group.filter { $0.work.procedure == .vpr }, oge = group.filter { $0.work.procedure == .oge }
            let pool = ResultPool(vpr.map { ($0.counts, $0.work.procedure, $0.work.subject) })
            guard let confirmed = pool.confirmed else { continue }
            let ogePool = oge.isEmpty ? nil : ResultPool(oge.map { ($0.counts, $0.work.procedure, $0.work.subject) })
            let signals = ObjectivitySignal.signals(
                confirmedRate: confirmed.rate, compared: confirmed.base, vprSuccess: pool.success?.rate,
                ogeSuccess: ogePool?.success?.rate)
            objectivity.append([
                .text(names[schoolID] ?? ""), .integer(confirmed.base), ReportChecks.share(pool.lowered), ReportChecks.share(confirmed),
                ReportChecks.share(pool.raised), .text(signals.map(\.russianName).joined(separator: "; ")),
            ])
        }
        if !objectivity.isEmpty {
            document.heading("Объективность оценивания: ВПР и отметки по журналу, \(year)")
            document.table(
                ReportTable(
                    header: ["Школа", "Сравнено работ", "Понизили, %", "Подтвердили, %", "Повысили, %", "Признаки"],
                    rows: objectivity, widths: [5, 2, 2, 2, 2, 4]))
            let doubtful = objectivity.filter { row in
                if case .text(let text) = row[5].value {
                    return text.contains(ObjectivitySignal.fewConfirmed(rate: 0).russianName)
                } else {
                    return false
                }
            }
            if !doubtful.isEmpty {
                findings.append(
                    "ВПР подтверждают отметки по журналу меньше чем в половине работ в \(doubtful.count) школах: " +
                    "\(doubtful.map(\.first!.text).joined(separator: ", "))."
                )
            }
        }

        // The municipality's distribution of marks for each work of the year.
        let distributions = Dictionary(grouping: current, by: \.work).sorted { $0.key < $1.key }.compactMap {
            work, group -> [ReportCell]? in
            let pool = ResultPool(group.map(\.counts), procedure: work.procedure, subject: work.subject)
            guard let marks = pool.marks, marks.markTotal > 0 else { return nil }
            let total = marks.markTotal
            return [.text(Self.workTitle(work, context)), .integer(total)] + [marks.m2, marks.m3, marks.m4, marks.m5].map { count in
                ReportChecks.share(Share(count: count ?? 0, base: total))
            }
        }
        if !distributions.isEmpty {
            document.heading("Распределение отметок по муниципалитету (по школам в Опоре), \(year)")
            document.table(
                ReportTable(
                    header: ["Работа", "Участников", "«2», %", "«3», %", "«4», %", "«5», %"], rows: distributions,
                    widths: [6, 2, 2, 2, 2, 2]))
        }
        let charted = comparisons.filter { $0.key.year == year && $0.value.municipality?.success != nil }.sorted { $0.key < $1.key }
        if !charted.isEmpty {
            document.blocks.append(
                .chart(
                    ReportChart(
                        title: "Успеваемость \(year): муниципалитет, регион, Россия", series: ["Муниципалитет", "Регион", "Россия"],
                        groups: charted.map { work, comparison in
                            (
                                Self.workTitle(work, context),
                                [
                                    comparison.municipality?.success, comparison.region?.successRate,
                                    comparison.russia?.successRate,
                                ]
                            )
                        })))
        }
        // Seed 003's shapes: ЕГЭ scores by bands and ОГЭ marks per school (ReportBuilder+Shapes.swift).
        try await appendExamShapes(&document, year: year, municipalityID: municipalityID)

        // Dynamics of the municipality over three years, pooled from its schools.
        var byYear: [Int: [WorkKey: ResultPool]] = [:]
        for y in (year - 2)...year {
            let rows = y == year ? current : try await results.results(ResultFilter(year: y), scope: .municipality(municipalityID))
            byYear[y] = Dictionary(grouping: rows, by: \.work).mapValues {
                ResultPool($0.map(\.counts), procedure: $0[0].work.procedure, subject: $0[0].work.subject)
            }
        }
        if byYear.values.filter({ !$0.isEmpty }).count >= 2 {
            document.heading("Динамика по муниципалитету")
            struct Line: Hashable, Comparable {
                let procedure: ProcedureCode, grade: Int, subject: String
                static func < (a: Line, b: Line) -> Bool {
                    (a.procedure.rawValue, a.grade, a.subject) < (b.procedure.rawValue, b.grade, b.subject)
                }
            }
            let lines = Set(byYear.values.flatMap { $0.keys.map { Line(procedure: $0.procedure, grade: $0.grade, subject: $0.subject) } })
                .sorted()
            let years = Array((year - 2)...year)
            document.table(
                ReportTable(
                    header: ["Работа"] + years.flatMap { ["Успеваемость \($0), %", "Качество \($0), %", "«2» \($0), %"] } + ["Доля «2»"],
                    rows: lines.map { line in
                        let pools = years.map { y in
                            byYear[y]?[WorkKey(year: y, procedure: line.procedure, grade: line.grade, subject: line.subject)]
                        }
                        return [
                            .text("\(line.procedure.russianShortName), \(context.subject(line.subject).lowercased()), \(line.grade) класс")
                        ]
                            + pools.flatMap { pool -> [ReportCell] in
                                [ReportChecks.share(pool?.success), ReportChecks.share(pool?.quality), ReportChecks.share(pool?.failure)]
                            }
                            + [.text(FiocoChecks.failureTrend(pools.map { $0?.failure?.rate }) ?? "")]
                    }, widths: [5] + years.flatMap { _ in [2, 2, 2] } + [3]))
        }

        // Identification: the year's approved list, with the reasons of the rule in force.
        let identification = IdentificationRepository(db: db)
        // The list in force when there is one: its schools with the reasons the order recorded; else today's criteria.
        let listed = try await identification.listInForce(year: year, scope: .municipality(municipalityID))
        let derived = try await DerivedData.open(db, cache: nil)
        let criteria = try await derived.effectiveCriteria(year: year, scope: .municipality(municipalityID))
            ?? .defaultRule(territory: municipality.name)
        let identified = try await identification.identify(year: year, criteria: criteria, scope: .municipality(municipalityID))
        let flagged = identified.filter { item in listed.map { $0[item.school.id!] != nil } ?? (item.result.status != .none) }
        if !flagged.isEmpty || listed != nil {
            document.heading("Идентификация школ")
            document.paragraph(listed == nil
                               ? "Список \(year) года не утверждён; ниже — школы, которые выделяют критерии «\(criteria.name)»."
                               : "Перечень \(year) года по приказу в силе; основания — как записаны в приказе.")
            document.table(ReportTable(header: ["Школа", "Статус", "Основание"], rows: flagged.map { item in
                let listing = listed?[item.school.id!]
                return [.text(item.school.displayName), .text((listing?.status ?? item.result.status).russianName),
                        .text(listing?.entry.reason ?? Identifier.explanation(item.result, subjects: context.subjects))]
            }, widths: [3, 2, 8]))
            findings.append("В списке школ с низкими образовательными результатами и в зоне риска — \(flagged.count) из \(schools.count).")
        }
        let typed = identified.compactMap(\.type)
        if !typed.isEmpty {
            document.heading("Типология школ (ИСБШ × качество результатов)")
            document.table(ReportTable(header: ["Тип", "Школ", "Школы"], rows: SchoolType.allCases.map { type in
                let members = identified.filter { $0.type == type }.map(\.school.displayName).sorted()
                return [.text(type.russianName.capitalizedFirst), .integer(members.count), .text(members.joined(separator: ", "))]
            }, widths: [3, 1, 10]))
            if identified.count > typed.count {
                document.paragraph("Без типа (нет группы ИСБШ или группы качества): \(identified.count - typed.count) школ.")
            }
        }

        // Risk profiles: how many schools rate each factor high.
        let profiles = try await RiskRepository(db: db).profiles(year: year, scope: .municipality(municipalityID))
        if !profiles.isEmpty {
            let factors = try await RiskRepository(db: db).factors()
            document.heading("Профили рисков \(year) года")
            var high: [Int: Int] = [:]
            for profile in profiles.values {
                for rating in profile.ratings.values where rating.level == .high { high[rating.factor, default: 0] += 1 }
            }
            document.table(
                ReportTable(
                    header: ["№", "Фактор риска", "Школ с высокой значимостью"],
                    rows: factors.map { factor in
                        [.integer(factor.number), .text(factor.name), .integer(high[factor.number] ?? 0)]
                    }, widths: [1, 8, 3]))
            if let top = high.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }), top.value > 0 {
                findings.append(
                    "Чаще всего высоко оценён фактор № \(top.key) «\(factors.first { $0.number == top.key }?.name ?? "")» — в " +
                    "\(top.value) из \(profiles.count) профилей."
                )
            }
        }

        // Programmes of the municipality: roadmap execution, the year's score, open decisions.
        let plans = try await PlanRepository(db: db).programmes(.municipality(municipalityID)).filter {
            $0.municipalityID == municipalityID && $0.schoolID == nil
        }
        let today = CalendarDay.today()
        for plan in plans {
            document.heading("Программа «\(plan.name)»")
            let rows = RoadmapRow.rows(try await PlanRepository(db: db).measures(plan.id!), period: plan.period, today: today)
            if !rows.isEmpty {
                let (sections, total) = ExecutionTally.bySection(rows.map { ($0.measure.section, $0.progress) })
                let states: [MeasureProgress] = [.done, .inProgress, .overdue, .notStarted, .cancelled]
                document.table(
                    ReportTable(
                        title: "Исполнение дорожной карты на \(today.russian)",
                        header: ["Раздел"] + states.map { $0.russianName } + ["Всего"],
                        rows: (sections + [("Итого", total)]).map { section, tally in
                            [.text(section.isEmpty ? "Без раздела" : section)] + states.map { .integer(tally[$0]) } + [
                                .integer(tally.total)
                            ]
                        }, widths: [6, 2, 2, 2, 2, 2, 2]))
                findings.append("Дорожная карта: выполнено \(total[.done]) из \(total.total) мероприятий, просрочено \(total[.overdue]).")
            }
            let (lines, score) = try await PlanRepository(db: db).score(plan, year: year)
            if lines.contains(where: { $0.total != nil }) {
                document.table(
                    ReportTable(
                        title: "Показатели и оценка эффективности, \(year) год",
                        header: ["Код", "Показатель", "Значение", "Цель", "Баллы"],
                        rows: lines.map { line in
                            [
                                .text(line.code), .text(line.name),
                                .number(line.value, digits: 1, flag: line.disagreement),
                                .number(line.target, digits: 1), .integer(line.total),
                            ]
                        } + [["", "Итого", "", "", .integer(score.total)]], widths: [1, 8, 2, 2, 2]))
                document.paragraph("Итог: \(score.total) из \(score.maximum) баллов — уровень «\(score.level.russianName)».")
                findings.append(
                    "Эффективность программы в \(year) году: \(score.total) из \(score.maximum) баллов, уровень " +
                    "«\(score.level.russianName)»."
                )
            }
            // Seed 004's Table 13: what is collected when (ReportBuilder+Shapes.swift).
            if let schedule = try await collectionScheduleTable(plan) { document.table(schedule) }
        }
        let open = try await PlanRepository(db: db).decisions(.municipality(municipalityID), openOnly: true)
        if !open.isEmpty {
            document.heading("Исполняемые управленческие решения")
            document.table(ReportTable(header: ["Основание", "Решение", "Ответственный", "Срок"], rows: open.map { decision in
                [.text(decision.finding), .text(decision.decision), .text(decision.responsible), .text(decision.due?.russian ?? "—")]
            }, widths: [5, 5, 2, 2]))
        }
        if !findings.isEmpty {
            // The findings go first: a short text built from the tables below, every figure traceable to one.
            var blocks: [ReportBlock] = [.heading("Основные выводы", level: 2)]
            blocks += findings.map { .paragraph($0) }
            document.blocks = blocks + document.blocks
        }
        Self.appendFlags(&document)
        document.signature = DocumentSignature(issuer: try await issuer(municipalityID: municipalityID, regionID: nil), prepared: prepared)
        return document
    }

    // MARK: indicators

    /// A programme's indicators over the years with the year's rubric scores and the level, as filed with the
    /// programme's monitoring.
    public func indicatorReport(_ plan: PlanModel) async throws -> ReportDocument {
        let repository = PlanRepository(db: db)
        let indicators = try await repository.indicators(plan.id!)
        let values = try await repository.values(plan.id!)
        let years = Array(Set(values.map(\.year))).sorted()
        var document = ReportDocument(title: "Показатели эффективности программы", subtitle: ["«\(plan.name)»"])
        document.heading("Значения показателей по годам")
        var scores: [Int: (lines: [ScoreLine], score: ProgrammeScore)] = [:]
        for year in years { scores[year] = try await repository.score(plan, year: year) }
        var rows: [[ReportCell]] = []
        for indicator in indicators {
            var row: [ReportCell] = [
                .text(indicator.code), .text(indicator.name + (indicator.unit.map { ", \($0)" } ?? "")),
                .number(indicator.baseline, digits: 1),
            ]
            for year in years {
                let value = PlanRepository.yearValues(values.filter { $0.indicatorID == indicator.id }, year: year)[indicator.id!]
                // An entered value Opora's own computation contradicts carries a numbered note with both values.
                let disagreement = scores[year]?.lines.first { $0.code == indicator.code }?.disagreement
                row.append(.number(value?.value, digits: 1, flag: value == nil ? nil : disagreement))
                row.append(.number(value?.target, digits: 1))
            }
            rows.append(row)
        }
        document.table(
            ReportTable(
                header: ["Код", "Показатель", "Базовое"] + years.flatMap { ["\($0): значение", "\($0): цель"] }, rows: rows,
                widths: [1, 7, 2] + years.flatMap { _ in [2, 2] }))
        for year in years {
            guard let (lines, score) = scores[year] else { continue }
            document.heading("Оценка эффективности за \(year) год")
            document.table(
                ReportTable(
                    header: ["Код", "Показатель", "Наличие (0–2)", "Динамика (0–3)", "Подтверждение (0–2)", "Баллы"],
                    rows: lines.map { line in
                        [
                            .text(line.code), .text(line.name), .integer(line.points?.presence), .integer(line.points?.dynamics),
                            .integer(line.points?.documentation),
                            .integer(line.total),
                        ]
                    } + [["", "Итого", "", "", "", .integer(score.total)]], widths: [1, 8, 2, 2, 2, 2]))
            document.paragraph("Итог: \(score.total) из \(score.maximum) баллов — уровень «\(score.level.russianName)».")
            for warning in score.unreachable { document.paragraph("Внимание: \(warning).") }
        }
        Self.appendFlags(&document)
        document.signature = DocumentSignature(issuer: try await issuer(of: plan), prepared: prepared)
        return document
    }

    // MARK: identification appendix

    /// The appendix to the order(s) in force for the scope and year (CONTRACT.md): exactly the schools they list, with
    /// the status and reason each order recorded, and the issuing body, number and date. Today's data never adds
    /// or removes a school, nor rewrites a reason.
    public func identificationAppendix(year: Int, scope: AccessScope, scopeLabel: String) async throws -> ReportDocument {
        let identification = IdentificationRepository(db: db)
        let places = try await identification.places(scope: scope)
        let orders = try await identification.orders(years: [year])
        let inForce = ListInForce.ordersInForce(year: year, places: places, orders: orders)
        let listed = ListInForce.schools(year: year, places: places, orders: orders)
        let schools = try await SchoolModel.query(on: db).filter(\.$id ~~ Array(listed.keys)).with(\.$municipality).all()
        let title = "Перечень школ с низкими образовательными результатами и школ, функционирующих в зоне риска снижения "
            + "образовательных результатов"
        var document = ReportDocument(title: title, subtitle: inForce.map(Self.orderLine) + ["\(scopeLabel), \(year) год"],
                                      landscape: false)
        guard !inForce.isEmpty else {
            document.paragraph(Self.noOrderMessage(year: year, scopeLabel: scopeLabel))
            document.signature = DocumentSignature(issuer: try await issuer(scope: scope, label: scopeLabel), prepared: prepared)
            return document
        }
        let rows = schools.sorted { ($0.municipality.name, $0.name) < ($1.municipality.name, $1.name) }
        let several = inForce.count > 1
        let header = ["№ п/п", "Муниципалитет", "Образовательная организация", "Статус", "Основание"] + (several ? ["Приказ"] : [])
        document.table(ReportTable(header: header, rows: rows.enumerated().compactMap { index, school -> [ReportCell]? in
            guard let listing = listed[school.id!] else { return nil }
            return [.integer(index + 1), .text(school.municipality.name), .text(school.name), .text(listing.status.russianName),
                    .text(listing.entry.reason)]
                + (several ? [.text("№ \(listing.order.number) от \(RussianFormat.date(listing.order.date))")] : [])
        }, widths: [1, 3, 5, 4, 6] + (several ? [3] : [])))
        let basis = "приказ \(SignedDocuments.orderNumberLine(date: inForce[0].date, number: inForce[0].number))"
        document.signature = DocumentSignature(issuer: inForce[0].issuer, prepared: prepared,
                                               approval: DocumentApproval(position: SignedDocuments.headOf(inForce[0].issuer),
                                                                          basis: basis))
        return document
    }

    /// «Приложение к приказу <органа> от 15.03.2023 № 21» for one order in force.
    static func orderLine(_ order: ListOrder) -> String {
        let higher = order.authority == .own ? "" : " (\(order.authority.russianName))"
        return "Приложение к приказу: \(order.issuer)\(higher) от \(RussianFormat.date(order.date)) № \(order.number)"
    }

    public static func noOrderMessage(year: Int, scopeLabel: String) -> String {
        "На \(year) год для территории «\(scopeLabel)» нет приказа об утверждении перечня: утвердите список на странице «Идентификация» "
            + "или загрузите приказ (approved_list)."
    }
}
