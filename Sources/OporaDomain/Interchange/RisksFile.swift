/// `risks` files (CONTRACT.md): one rating of a school's risk profile per row.
public enum RisksFile {
    public static let schema = TableSchema(kind: "risks", columns: [
        ColumnSpec("year", required: true, aliases: ["год"]),
        ColumnSpec("school", required: true, aliases: ["школа", "ОО", "код ОО", "код школы"]),
        ColumnSpec("factor", required: true, aliases: ["фактор риска", "фактор", "фактор риска / значимость"]),
        ColumnSpec("level", required: true, aliases: ["значимость", "уровень", "уровень риска"]),
        ColumnSpec("source", aliases: ["источник"]),
        ColumnSpec("comment", aliases: ["комментарий", "примечание"]),
    ])

    /// Parses and checks every row. A school rated twice for one factor and year with different levels is
    /// refused with both lines named; the same rating twice is kept once, with a warning.
    /// The rows are read as they stream (a million-row file is never held as cells as well).
    public static func parse(_ table: some DelimitedRows, file: String, catalogue: [RiskFactor] = RiskFactor.catalogue) throws
        -> (records: [RiskRating], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = schema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [RiskRating] = [], rowCount = 0
        var seen: [Key: (line: Int, level: RiskLevel)] = [:]
        // A file repeats a dozen factors and four levels a million times: each distinct text is read once.
        var factors: [String: Int?] = [:], levels: [String: RiskLevel?] = [:]
        // Every column found once; the rows read them by position.
        let yearColumn = ColumnCell("year", in: columns), schoolColumn = ColumnCell("school", in: columns)
        let factorColumn = ColumnCell("factor", in: columns), levelColumn = ColumnCell("level", in: columns)
        let sourceColumn = ColumnCell("source", in: columns), commentColumn = ColumnCell("comment", in: columns)
        try table.forEachRow { row in
            rowCount += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let year = reader.integer(yearColumn, range: InputRange.year, &issues)
            if reader.text(yearColumn) == nil { issues.error(line: row.line, column: "year", "пустое значение в обязательном столбце") }
            let school = reader.requiredText(schoolColumn, &issues)
            var factor: Int? = nil
            if let text = reader.requiredText(factorColumn, &issues) {
                // The installation's names, and the federal ones they may have replaced.
                if let known = factors[text] { factor = known } else {
                    factor = RiskFactor.number(parsing: text, catalogue: catalogue) ?? RiskFactor.number(parsing: text)
                    factors[text] = factor
                }
                if factor == nil {
                    issues.error(line: row.line, column: "factor",
                                 "«\(text.prefix(80))»: ожидается номер фактора риска от 1 до 12 или его название")
                }
            }
            var level: RiskLevel? = nil
            if let text = reader.requiredText(levelColumn, &issues) {
                if let known = levels[text] { level = known } else { level = RiskLevel(parsing: text); levels[text] = level }
                if level == nil {
                    issues.error(line: row.line, column: "level",
                                 "«\(text.prefix(40))»: ожидается high/medium/low/none или высокая/средняя/низкая/не актуален")
                }
            }
            let source = reader.text(sourceColumn), comment = reader.text(commentColumn)
            if let source, source.utf8.count > 200, source.count > 200 {
                issues.error(line: row.line, column: "source", "источник длиннее 200 символов")
            }
            guard let year, let school, let factor, let level else { return }
            let key = Key(year: year, school: school, factor: factor)
            if let first = seen[key] {
                let what = "школа «\(school)», фактор \(factor), \(year) год"
                if first.level == level {
                    issues.warning(line: row.line, column: "level",
                                   "\(what): та же оценка, что в строке \(file):\(first.line); учтена один раз")
                } else {
                    issues.error(line: row.line, column: "level",
                                 "\(what): здесь «\(level.russianName)», а в строке \(file):\(first.line) «\(first.level.russianName)» — "
                                     + "оставьте одну оценку")
                }
                return
            }
            seen[key] = (row.line, level)
            records.append(RiskRating(line: row.line, year: year, school: school, factor: factor, level: level, source: source,
                                      comment: comment))
        }
        if rowCount == 0 { issues.error(line: 2, column: "—", "в файле нет ни одной строки данных") }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    /// A rating's place, hashed as it is (a million interpolated strings cost more than the check).
    struct Key: Hashable {
        let year: Int
        let school: String
        let factor: Int
    }
}
