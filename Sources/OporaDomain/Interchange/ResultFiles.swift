/// Identifies one assessment work: year × procedure × grade × subject.
public struct WorkKey: Sendable, Hashable, Codable, Comparable {
    public var year: Int
    public var procedure: ProcedureCode
    public var grade: Int
    public var subject: String

    public init(year: Int, procedure: ProcedureCode, grade: Int, subject: String) {
        self.year = year
        self.procedure = procedure
        self.grade = grade
        self.subject = subject
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.year, a.procedure.rawValue, a.grade, a.subject) < (b.year, b.procedure.rawValue, b.grade, b.subject)
    }
}

public struct ResultRecord: Sendable, Hashable {
    public var line: Int
    public var work: WorkKey
    public var school: String
    public var counts: ResultCounts

    public init(line: Int = 0, work: WorkKey, school: String, counts: ResultCounts) {
        self.line = line
        self.work = work
        self.school = school
        self.counts = counts
    }
}

public struct ScoreRecord: Sendable, Hashable {
    public var line: Int
    public var work: WorkKey
    public var school: String
    public var student: String
    public var className: String?
    public var variant: String?
    public var result: StudentResult

    public init(
        line: Int = 0, work: WorkKey, school: String, student: String, className: String? = nil, variant: String? = nil,
        result: StudentResult
    ) {
        self.line = line
        self.work = work
        self.school = school
        self.student = student
        self.className = className
        self.variant = variant
        self.result = result
    }
}

public struct ThresholdRecord: Sendable, Hashable {
    public var line: Int
    public var year: Int
    public var procedure: ProcedureCode
    public var subject: String
    /// nil: the threshold applies to every grade.
    public var grade: Int?
    public var threshold: ScoreThreshold

    public init(line: Int = 0, year: Int, procedure: ProcedureCode, subject: String, grade: Int?, threshold: ScoreThreshold) {
        self.line = line
        self.year = year
        self.procedure = procedure
        self.subject = subject
        self.grade = grade
        self.threshold = threshold
    }
}

public enum BenchmarkLevel: String, Sendable, Codable, CaseIterable {
    case russia, region, municipality

    public var russianName: String {
        switch self {
        case .russia: "Россия"
        case .region: "Регион"
        case .municipality: "Муниципалитет"
        }
    }

    public init?(parsing text: String) {
        switch HeaderKey.normalize(text) {
        case "russia", "россия", "рф": self = .russia
        case "region", "регион", "субъект", "область": self = .region
        case "municipality", "муниципалитет", "район", "мо": self = .municipality
        default: return nil
        }
    }
}

public struct BenchmarkRecord: Sendable, Hashable {
    public var line: Int
    public var work: WorkKey
    public var level: BenchmarkLevel
    public var name: String
    public var participants: Int?
    public var successRate: Double?
    public var qualityRate: Double?
    public var meanMark: Double?
    public var meanScore: Double?
    public var belowMinRate: Double?
}

/// Parsing of the `results`, `scores`, `thresholds` and `benchmarks` files of CONTRACT.md.
public struct ResultFiles: Sendable {
    public let subjects: [SubjectDefinition]
    /// Every accepted spelling (as written and normalised) → subject code, so rows do not search the catalogue.
    let subjectIndex: [String: String]

    public init(subjects: [SubjectDefinition] = SubjectCatalogue.standard) {
        self.subjects = subjects
        var index: [String: String] = [:]
        for subject in subjects {
            for spelling in [subject.code, subject.name] + subject.aliases {
                index[spelling] = subject.code
                index[HeaderKey.normalize(spelling)] = subject.code
            }
        }
        subjectIndex = index
    }

    static let workColumns = [
        ColumnSpec("year", required: true, aliases: ["год"]),
        ColumnSpec("procedure", required: true, aliases: ["процедура"]),
        ColumnSpec("grade", required: true, aliases: ["класс", "параллель"]),
        ColumnSpec("subject", required: true, aliases: ["предмет"]),
    ]

    public static let resultsSchema = TableSchema(kind: "results", columns: workColumns + [
        ColumnSpec("school", required: true, aliases: ["школа", "ОО", "код ОО"]),
        ColumnSpec("participants", required: true, aliases: ["участников", "количество участников", "кол-во участников"]),
        ColumnSpec("m2", aliases: ["2", "отметка 2", "«2»", "отметка «2»"]),
        ColumnSpec("m3", aliases: ["3", "отметка 3", "«3»", "отметка «3»"]),
        ColumnSpec("m4", aliases: ["4", "отметка 4", "«4»", "отметка «4»"]),
        ColumnSpec("m5", aliases: ["5", "отметка 5", "«5»", "отметка «5»"]),
        ColumnSpec("below_min", aliases: ["не преодолели порог", "не преодолели минимальный порог"]),
        ColumnSpec("high", aliases: ["высокобалльники", "высокобалльников"]),
        ColumnSpec("mean_score", aliases: ["средний балл", "средний тестовый балл"]),
        ColumnSpec("lowered", aliases: ["понизили"]),
        ColumnSpec("confirmed", aliases: ["подтвердили"]),
        ColumnSpec("raised", aliases: ["повысили"]),
    ])

    public static let scoresSchema = TableSchema(kind: "scores", columns: workColumns + [
        ColumnSpec("school", required: true, aliases: ["школа", "ОО", "код ОО"]),
        ColumnSpec("student", required: true, aliases: ["ученик", "код участника"]),
        ColumnSpec("class", aliases: ["литера", "класс с литерой"]),
        ColumnSpec("variant", aliases: ["вариант"]),
        ColumnSpec("primary_score", aliases: ["первичный балл"]),
        ColumnSpec("score", aliases: ["балл", "тестовый балл"]),
        ColumnSpec("mark", aliases: ["отметка"]),
        ColumnSpec("term_mark", aliases: ["отметка по журналу"]),
    ])

    public static let thresholdsSchema = TableSchema(kind: "thresholds", columns: [
        ColumnSpec("year", required: true, aliases: ["год"]),
        ColumnSpec("procedure", required: true, aliases: ["процедура"]),
        ColumnSpec("subject", required: true, aliases: ["предмет"]),
        ColumnSpec("min_score", required: true, aliases: ["минимальный балл", "порог"]),
        ColumnSpec("high_score", aliases: ["высокий балл"]),
        ColumnSpec("grade", aliases: ["класс", "параллель"]),
    ])

    public static let benchmarksSchema = TableSchema(kind: "benchmarks", columns: workColumns + [
        ColumnSpec("level", required: true, aliases: ["уровень"]),
        ColumnSpec("name", required: true, aliases: ["наименование", "название"]),
        ColumnSpec("participants", aliases: ["участников", "количество участников"]),
        ColumnSpec("success_rate", aliases: ["успеваемость", "уровень обученности"]),
        ColumnSpec("quality_rate", aliases: ["качество", "качество знаний", "качество обученности"]),
        ColumnSpec("mean_mark", aliases: ["средняя отметка"]),
        ColumnSpec("mean_score", aliases: ["средний балл"]),
        ColumnSpec("below_min_rate", aliases: ["доля не преодолевших порог"]),
    ])

    func work(_ reader: RowReader, _ issues: inout IssueCollector) -> WorkKey? {
        let year = reader.integer("year", range: InputRange.year, &issues)
        var procedure: ProcedureCode? = nil
        if let text = reader.requiredText("procedure", &issues) {
            procedure = ProcedureCode(parsing: text)
            if procedure == nil {
                issues.error(
                    line: reader.line, column: "procedure", "«\(text)»: неизвестная процедура (VPR, OGE, EGE, GVE, DIAG, PISA, TERM)")
            }
        }
        let grade = reader.integer("grade", range: InputRange.grade, &issues)
        let subject = self.subject(reader, &issues)
        if reader.text("year") == nil { issues.error(line: reader.line, column: "year", "пустое значение в обязательном столбце") }
        if reader.text("grade") == nil { issues.error(line: reader.line, column: "grade", "пустое значение в обязательном столбце") }
        guard let year, let procedure, let grade, let subject else { return nil }
        return WorkKey(year: year, procedure: procedure, grade: grade, subject: subject)
    }

    func subject(_ reader: RowReader, _ issues: inout IssueCollector) -> String? {
        guard let text = reader.requiredText("subject", &issues) else { return nil }
        guard let code = subjectIndex[text] ?? subjectIndex[HeaderKey.normalize(text)] else {
            issues.error(line: reader.line, column: "subject", "«\(text)»: предмета нет в справочнике")
            return nil
        }
        return code
    }

    func count(_ reader: RowReader, _ column: String, _ issues: inout IssueCollector) -> Int? {
        reader.integer(column, range: 0...100_000, &issues)
    }

    // MARK: results

    public func parseResults(_ table: DelimitedTable, file: String) throws -> (records: [ResultRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = Self.resultsSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [ResultRecord] = []
        var seen: [ResultKey: Int] = [:]
        for row in table.rows {
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let work = work(reader, &issues)
            let school = reader.requiredText("school", &issues)
            let participants = count(reader, "participants", &issues)
            if reader.text("participants") == nil {
                issues.error(line: row.line, column: "participants", "пустое значение в обязательном столбце")
            }
            var counts = ResultCounts(participants: participants ?? 0)
            counts.m2 = count(reader, "m2", &issues)
            counts.m3 = count(reader, "m3", &issues)
            counts.m4 = count(reader, "m4", &issues)
            counts.m5 = count(reader, "m5", &issues)
            counts.belowMin = count(reader, "below_min", &issues)
            counts.high = count(reader, "high", &issues)
            counts.meanScore = reader.decimal("mean_score", range: 0...100, &issues)
            counts.lowered = count(reader, "lowered", &issues)
            counts.confirmed = count(reader, "confirmed", &issues)
            counts.raised = count(reader, "raised", &issues)
            guard let work, let school, participants != nil else { continue }
            for problem in Plausibility.problems(in: counts) { issues.error(line: row.line, column: problem.column, problem.message) }
            if counts.hasMarks, counts.markTotal < counts.participants {
                issues.warning(
                    line: row.line, column: "m2", "отметок «2»–«5» (\(counts.markTotal)) меньше, чем участников (\(counts.participants))")
            }
            let key = ResultKey(work: work, school: school)
            if let first = seen[key] {
                issues.error(line: row.line, column: "school", "эта работа школы «\(school)» уже была в строке \(first)")
            } else {
                seen[key] = row.line
            }
            records.append(ResultRecord(line: row.line, work: work, school: school, counts: counts))
        }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    struct ResultKey: Hashable { let work: WorkKey; let school: String }

    // MARK: scores

    // MARK: thresholds

    public func parseThresholds(_ table: DelimitedTable, file: String) throws -> (records: [ThresholdRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = Self.thresholdsSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [ThresholdRecord] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let year = reader.integer("year", range: InputRange.year, &issues)
            var procedure: ProcedureCode? = nil
            if let text = reader.requiredText("procedure", &issues) {
                procedure = ProcedureCode(parsing: text)
                if procedure == nil { issues.error(line: row.line, column: "procedure", "«\(text)»: неизвестная процедура") }
            }
            let subject = self.subject(reader, &issues)
            let minimum = reader.decimal("min_score", range: 0...1000, &issues)
            if reader.text("min_score") == nil {
                issues.error(line: row.line, column: "min_score", "пустое значение в обязательном столбце")
            }
            let high = reader.decimal("high_score", range: 0...1000, &issues)
            let grade = reader.integer("grade", range: InputRange.grade, &issues)
            if let minimum, let high, high < minimum {
                issues.error(line: row.line, column: "high_score", "высокий балл ниже минимального")
            }
            guard let year, let procedure, let subject, let minimum else { continue }
            let key = "\(year)|\(procedure.rawValue)|\(subject)|\(grade ?? 0)"
            if let first = seen[key] {
                issues.error(line: row.line, column: "subject", "этот порог уже был в строке \(first)")
                continue
            }
            seen[key] = row.line
            records.append(ThresholdRecord(line: row.line, year: year, procedure: procedure, subject: subject, grade: grade,
                                           threshold: ScoreThreshold(minScore: minimum, highScore: high)))
        }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    // MARK: benchmarks

    public func parseBenchmarks(_ table: DelimitedTable, file: String) throws -> (records: [BenchmarkRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = Self.benchmarksSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [BenchmarkRecord] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let work = work(reader, &issues)
            var level: BenchmarkLevel? = nil
            if let text = reader.requiredText("level", &issues) {
                level = BenchmarkLevel(parsing: text)
                if level == nil { issues.error(line: row.line, column: "level", "«\(text)»: ожидается russia, region или municipality") }
            }
            let name = reader.requiredText("name", &issues)
            let participants = reader.integer("participants", range: 0...10_000_000, &issues)
            let success = reader.decimal("success_rate", range: 0...100, &issues)
            let quality = reader.decimal("quality_rate", range: 0...100, &issues)
            let meanMark = reader.decimal("mean_mark", range: 2...5, &issues)
            let meanScore = reader.decimal("mean_score", range: 0...100, &issues)
            let below = reader.decimal("below_min_rate", range: 0...100, &issues)
            for problem in Plausibility.problems(successRate: success, qualityRate: quality, participants: participants) {
                // Printed comparison figures are what officials received; we keep them but say they cannot be exact.
                issues.warning(line: row.line, column: problem.column, problem.message)
            }
            guard let work, let level, let name else { continue }
            let key = "\(work.year)|\(work.procedure.rawValue)|\(work.grade)|\(work.subject)|\(level.rawValue)|\(HeaderKey.normalize(name))"
            if let first = seen[key] {
                issues.error(line: row.line, column: "name", "эти показатели («\(name)») уже были в строке \(first)")
                continue
            }
            seen[key] = row.line
            records.append(BenchmarkRecord(line: row.line, work: work, level: level, name: name, participants: participants,
                                           successRate: success, qualityRate: quality, meanMark: meanMark, meanScore: meanScore,
                                           belowMinRate: below))
        }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }
}

/// One context value of a school in a year (social passport share, ИСБШ group, quality group, cluster, any user code).
public struct ContextRecord: Sendable, Hashable {
    public var line: Int
    public var year: Int
    public var school: String
    public var indicator: String
    public var text: String
    public var number: Double?

    public init(line: Int = 0, year: Int, school: String, indicator: String, text: String, number: Double?) {
        self.line = line
        self.year = year
        self.school = school
        self.indicator = indicator
        self.text = text
        self.number = number
    }
}

public enum ContextFile {
    public static let schema = TableSchema(kind: "context", columns: [
        ColumnSpec("year", required: true, aliases: ["год"]),
        ColumnSpec("school", required: true, aliases: ["школа", "ОО", "код ОО"]),
        ColumnSpec("indicator", required: true, aliases: ["показатель"]),
        ColumnSpec("value", required: true, aliases: ["значение"]),
    ])

    /// The standard indicators in the order pages and reports show them, with their Russian labels.
    public static let standard: [(code: String, label: String)] = [
        ("isbs_group", "Группа ИСБШ (1–11)"), ("quality_group", "Группа качества (1–11)"), ("cluster", "Кластер"),
        ("single_parent", "Доля обучающихся из неполных семей, %"), ("parents_higher_ed", "Доля родителей с высшим образованием, %"),
        ("parents_unemployed", "Доля неработающих родителей, %"), ("deviant_registered", "Доля состоящих на учёте, %"),
        ("non_native_russian", "Доля неносителей русского языка, %"), ("ovz_share", "Доля обучающихся с ОВЗ, %"),
    ]

    /// A code's label; a user-defined code is shown as it was loaded.
    public static func label(_ code: String) -> String { standard.first { $0.code == code }?.label ?? code }

    /// Indicators with a fixed meaning and range; any other code is a user-defined indicator.
    public static let shares: Set<String> = [
        "single_parent", "parents_higher_ed", "parents_unemployed", "deviant_registered", "non_native_russian", "ovz_share",
    ]
    public static let groups: Set<String> = ["isbs_group", "quality_group"]

    /// The longest value: a number or a short label («сельская»), never a text.
    public static let valueLimit = 200

    /// Why a code cannot name an indicator, nil when it can (as loaded: lower case).
    public static func codeProblem(_ indicator: String) -> String? {
        indicator.range(of: "^[a-z][a-z0-9_]{0,63}$", options: .regularExpression) == nil
            ? "«\(shown(indicator))»: код показателя — латинские буквы, цифры и _" : nil
    }

    /// A value as its indicator reads it: a group 1–11, a share 0–100 (or why not), any other a number if it is one
    /// (or a label up to `valueLimit` characters).
    public static func read(_ indicator: String, _ value: String) -> (number: Double?, problem: String?) {
        if groups.contains(indicator) {
            guard let group = NumberParsing.integer(value), (1...11).contains(group) else {
                return (nil, "группа от 1 до 11, а не «\(shown(value))»")
            }
            return (Double(group), nil)
        }
        if shares.contains(indicator) {
            guard let share = NumberParsing.decimal(value), (0...100).contains(share) else {
                return (nil, "доля в процентах от 0 до 100, а не «\(shown(value))»")
            }
            return (share, nil)
        }
        guard value.count <= valueLimit else { return (nil, TextInput.tooLongMessage(limit: valueLimit, length: value.count)) }
        return (NumberParsing.decimal(value), nil)
    }

    /// A refused value as a message quotes it: its beginning when it is long.
    static func shown(_ value: String) -> String { value.count > 40 ? String(value.prefix(40)) + "…" : value }

    public static func parse(_ table: DelimitedTable, file: String) throws -> (records: [ContextRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = schema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [ContextRecord] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let year = reader.integer("year", range: InputRange.year, &issues)
            if reader.text("year") == nil { issues.error(line: row.line, column: "year", "пустое значение в обязательном столбце") }
            let school = reader.requiredText("school", &issues)
            let indicator = reader.requiredText("indicator", &issues).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let value = reader.requiredText("value", &issues)
            if let indicator, let problem = codeProblem(indicator) {
                issues.error(line: row.line, column: "indicator", problem)
            }
            var number: Double? = nil
            if let indicator, let value {
                let read = self.read(indicator, value)
                if let problem = read.problem { issues.error(line: row.line, column: "value", "\(indicator): \(problem)") }
                number = read.number
            }
            guard let year, let school, let indicator, let value else { continue }
            let key = "\(year)|\(school)|\(indicator)"
            if let first = seen[key] {
                issues.error(
                    line: row.line, column: "indicator", "«\(indicator)» школы «\(school)» за \(year) год уже был в строке \(first)")
                continue
            }
            seen[key] = row.line
            records.append(ContextRecord(line: row.line, year: year, school: school, indicator: indicator, text: value, number: number))
        }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }
}

import Foundation
