import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// The shapes the seeds file (issue 19, point 8): ЕГЭ scores by bands per school (seed 003), ОГЭ marks per school,
/// and Table 13 of seed 004 (what is collected when). Each is a document of its own and a section of the note; the
/// rules (bands, which rows count, the total) are the domain's `EgeScoreBands`, `BandCounts`, `MarkCounts` and
/// `CollectionTableRow`.
extension ReportBuilder {
    static let noData = "нет данных"

    /// The municipality with its region, or «not found».
    func municipalityWithRegion(_ municipalityID: Int) async throws -> MunicipalityModel {
        guard let municipality = try await MunicipalityModel.query(on: db).filter(\.$id == municipalityID).with(\.$region).first() else {
            throw RepositoryError.notFound(entity: "муниципалитет")
        }
        return municipality
    }

    /// The subject's code for a code or a name as a person writes it («rus», «Русский язык»); nil if none matches.
    public func subjectCode(_ text: String) async throws -> String? {
        let key = HeaderKey.normalize(text)
        let subjects = try await SubjectModel.query(on: db).all()
        if let exact = subjects.first(where: { $0.code == text }) { return exact.code }
        return subjects.first { subject in
            HeaderKey.normalize(subject.name) == key || HeaderKey.normalize(subject.code) == key
                || subject.aliases.split(separator: "|").contains { HeaderKey.normalize(String($0)) == key }
        }?.code
    }

    struct StoredGroupRow: Decodable { let id: Int; let school_id: Int; let grade: Int; let subject: String }

    /// The per-student rows of the year's ЕГЭ for the schools given, by school and work.
    func egeStudentRows(year: Int, subject: String?, schoolIDs: [Int]) async throws -> [WorkKey: [Int: [StudentRow]]] {
        guard !schoolIDs.isEmpty else { return [:] }
        let ids = schoolIDs.sorted().map(String.init).joined(separator: ",")
        var query: SQLQueryString = """
        SELECT id, school_id, grade, subject FROM score_groups
        WHERE year = \(bind: year) AND procedure = \(bind: ProcedureCode.ege.rawValue) AND school_id IN (\(unsafeRaw: ids))
        """
        if let subject { query = "\(query) AND subject = \(bind: subject)" }
        let groups = try await db.sql.raw(query).all(decoding: StoredGroupRow.self)
        let rows = try await ScoreGroupStore(db: db).storedRows(ids: groups.map(\.id))
        var result: [WorkKey: [Int: [StudentRow]]] = [:]
        for group in groups {
            let work = WorkKey(year: year, procedure: .ege, grade: group.grade, subject: group.subject)
            result[work, default: [:]][group.school_id] = rows[group.id] ?? []
        }
        return result
    }

    // MARK: ЕГЭ score bands

    /// One table per ЕГЭ work of the year (one subject, or all): a row per school of the municipality that sat it, the
    /// pupils in each band of seed 003, the mean score, and the municipality's total. A school known only by its
    /// aggregated counts reads «нет данных» in the bands and is left out of the total's bands (said in a note).
    public func egeBandTables(year: Int, municipalityID: Int, subject: String?) async throws -> [ReportTable] {
        let context = try await context()
        let schools = try await SchoolModel.query(on: db).filter(\.$municipality.$id == municipalityID).all()
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id!, $0.displayName) })
        let results = try await ResultsRepository(db: db).results(ResultFilter(year: year, procedure: .ege, subject: subject),
                                                                   scope: .municipality(municipalityID))
        let students = try await egeStudentRows(year: year, subject: subject, schoolIDs: Array(names.keys))
        let works = Dictionary(grouping: results, by: \.work)
        let grades = Set(works.keys.map { "\($0.subject)" }).count < works.count
        return works.keys.sorted().map { work in
            let ordered = works[work]!.sorted { (names[$0.schoolID] ?? "") < (names[$1.schoolID] ?? "") }
            var counted: [BandCounts] = []
            var anyWithoutScore = false
            var rows: [[ReportCell]] = []
            var withoutRows: [String] = []
            for (index, result) in ordered.enumerated() {
                let name = names[result.schoolID] ?? ""
                guard let pupils = students[work]?[result.schoolID] else {
                    withoutRows.append(name)
                    rows.append([.integer(index + 1), .text(name), .integer(result.counts.participants)]
                                + EgeScoreBands.ege.map { _ in ReportCell.text(Self.noData) }
                                + [.number(result.counts.meanScore, digits: 1), .text("")])
                    continue
                }
                let bands = BandCounts.count(pupils.map(\.result))
                counted.append(bands)
                anyWithoutScore = anyWithoutScore || bands.withoutScore > 0
                rows.append(Self.bandRow([.integer(index + 1), .text(name)], bands))
            }
            let total = BandCounts.total(counted)
            let flag = withoutRows.isEmpty ? nil
                : "в итог по интервалам не вошли школы без данных по ученикам: \(withoutRows.joined(separator: ", "))"
            rows.append(Self.bandRow(["", ReportCell(.text("ИТОГО"), flag: flag)], total))
            var header = ["№", "ОО", "Кол-во уч-ков"] + EgeScoreBands.ege.map(\.label) + ["Ср. балл", "Без балла"]
            var widths = [1, 6, 2] + EgeScoreBands.ege.map { _ in 1 } + [2, 2]
            if !anyWithoutScore {
                // Seed 003's shape: the column of pupils without a score only when there are any.
                header.removeLast()
                widths.removeLast()
                rows = rows.map { Array($0.dropLast()) }
            }
            let title = "ЕГЭ-\(year), \(context.subject(work.subject).lowercased())" + (grades ? ", \(work.grade) класс" : "")
                + ": распределение участников по интервалам тестовых баллов"
            return ReportTable(title: title, header: header, rows: rows, widths: widths)
        }
    }

    static func bandRow(_ leading: [ReportCell], _ bands: BandCounts) -> [ReportCell] {
        leading + [.integer(bands.scored)] + bands.bands.map { ReportCell.integer($0) }
            + [.number(bands.meanScore, digits: 1), .integer(bands.withoutScore)]
    }

    public func egeBands(year: Int, municipalityID: Int, subject: String) async throws -> ReportDocument {
        let municipality = try await municipalityWithRegion(municipalityID)
        let context = try await context()
        var document = ReportDocument(title: "Результаты ЕГЭ \(year) года по интервалам тестовых баллов",
                                      subtitle: ["\(municipality.name), \(municipality.region.name)", context.subject(subject)])
        let tables = try await egeBandTables(year: year, municipalityID: municipalityID, subject: subject)
        if tables.isEmpty { document.paragraph("Результатов ЕГЭ \(year) года по этому предмету в муниципалитете \(Self.noData).") }
        tables.forEach { document.table($0) }
        Self.appendFlags(&document)
        return document
    }

    // MARK: ОГЭ marks

    /// One table per ОГЭ work of the year: a row per school with its count of «2»…«5», of pupils below the minimum
    /// and the mean mark, and the total. Counts without marks read «нет данных» and stay out of the total.
    public func ogeMarkTables(year: Int, municipalityID: Int, subject: String?) async throws -> [ReportTable] {
        let context = try await context()
        let schools = try await SchoolModel.query(on: db).filter(\.$municipality.$id == municipalityID).all()
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id!, $0.displayName) })
        let results = try await ResultsRepository(db: db).results(ResultFilter(year: year, procedure: .oge, subject: subject),
                                                                   scope: .municipality(municipalityID))
        let works = Dictionary(grouping: results, by: \.work)
        let grades = Set(works.keys.map(\.subject)).count < works.count
        return works.keys.sorted().map { work in
            let ordered = works[work]!.sorted { (names[$0.schoolID] ?? "") < (names[$1.schoolID] ?? "") }
            var counted: [MarkCounts] = []
            var without: [String] = []
            var rows: [[ReportCell]] = ordered.enumerated().map { index, result in
                let name = names[result.schoolID] ?? ""
                guard let marks = MarkCounts(result.counts) else {
                    without.append(name)
                    return [.integer(index + 1), .text(name), .integer(result.counts.participants)]
                        + Array(repeating: ReportCell.text(Self.noData), count: 6)
                }
                counted.append(marks)
                return Self.markRow([.integer(index + 1), .text(name)], marks)
            }
            let flag = without.isEmpty ? nil : "в итог не вошли школы без отметок: \(without.joined(separator: ", "))"
            rows.append(Self.markRow(["", ReportCell(.text("ИТОГО"), flag: flag)], MarkCounts.total(counted)))
            let title = "ОГЭ-\(year), \(context.subject(work.subject).lowercased())" + (grades ? ", \(work.grade) класс" : "")
                + ": отметки по школам"
            return ReportTable(title: title, header: ["№", "ОО", "Кол-во уч-ков", "«2»", "«3»", "«4»", "«5»",
                                                      "Не преодолели порог", "Средняя отметка"],
                               rows: rows, widths: [1, 6, 2, 1, 1, 1, 1, 2, 2])
        }
    }

    static func markRow(_ leading: [ReportCell], _ marks: MarkCounts) -> [ReportCell] {
        leading + [.integer(marks.participants)] + marks.marks.map { ReportCell.integer($0) }
            + [marks.belowMin.map { ReportCell.integer($0) } ?? .text(noData), .number(marks.meanMark, digits: 2)]
    }

    public func ogeMarks(year: Int, municipalityID: Int, subject: String) async throws -> ReportDocument {
        let municipality = try await municipalityWithRegion(municipalityID)
        let context = try await context()
        var document = ReportDocument(title: "Результаты ОГЭ \(year) года: отметки по школам",
                                      subtitle: ["\(municipality.name), \(municipality.region.name)", context.subject(subject)])
        let tables = try await ogeMarkTables(year: year, municipalityID: municipalityID, subject: subject)
        if tables.isEmpty { document.paragraph("Результатов ОГЭ \(year) года по этому предмету в муниципалитете \(Self.noData).") }
        tables.forEach { document.table($0) }
        Self.appendFlags(&document)
        return document
    }

    /// The note's sections for the score bands and the marks (every subject of the year), when there are results.
    func appendExamShapes(_ document: inout ReportDocument, year: Int, municipalityID: Int) async throws {
        let bands = try await egeBandTables(year: year, municipalityID: municipalityID, subject: nil)
        if !bands.isEmpty {
            document.heading("ЕГЭ: распределение тестовых баллов по школам")
            bands.forEach { document.table($0) }
        }
        let marks = try await ogeMarkTables(year: year, municipalityID: municipalityID, subject: nil)
        if !marks.isEmpty {
            document.heading("ОГЭ: отметки по школам")
            marks.forEach { document.table($0) }
        }
    }

    // MARK: Table 13

    /// Seed 004's Table 13 for a programme: each indicator with its periodicity, months, source and responsible.
    public func collectionScheduleTable(_ plan: PlanModel) async throws -> ReportTable? {
        let indicators = try await PlanRepository(db: db).indicators(plan.id!)
        guard !indicators.isEmpty else { return nil }
        let rows = indicators.map { indicator in
            CollectionTableRow(code: indicator.code, indicator: indicator.name, periodicity: indicator.periodicity,
                               months: indicator.monthList, source: indicator.source, responsible: indicator.responsible)
        }
        return ReportTable(title: "Регламент сбора отчётных данных (таблица 13)",
                           header: ["Код", "Показатель", "Периодичность заполнения", "Период заполнения", "Источник", "Ответственный"],
                           rows: rows.map { row in
                               [.text(row.code), .text(row.indicator), .text(row.periodicity), .text(row.period), .text(row.source),
                                .text(row.responsible)]
                           }, widths: [1, 7, 3, 3, 3, 3])
    }

    public func collectionSchedule(_ plan: PlanModel) async throws -> ReportDocument {
        var document = ReportDocument(title: "Регламент сбора отчётных данных в ходе мониторинга программы",
                                      subtitle: ["«\(plan.name)»"])
        if let table = try await collectionScheduleTable(plan) {
            document.table(table)
        } else {
            document.paragraph("У программы нет показателей: регламент сбора пуст.")
        }
        return document
    }
}
