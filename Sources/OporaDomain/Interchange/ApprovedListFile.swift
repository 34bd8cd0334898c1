import Foundation

/// One row of an `approved_list` file: a school as the order lists it.
public struct ApprovedListRow: Sendable, Hashable {
    public var line: Int
    public var school: String
    public var status: IdentificationStatus
    public var reason: String
}

/// An `approved_list` file read and checked (CONTRACT.md): one order, the authority's own or a higher one's.
public struct ApprovedListOrder: Sendable, Hashable {
    public var year: Int
    public var number: String
    public var date: Date
    /// The municipality or region named in the file; nil = the uploader's scope, else the schools' municipality.
    public var territory: String?
    /// The issuing body as the file gives it (optional column `issuer`).
    public var issuer: String?
    public var authority: ListAuthority?
    public var rows: [ApprovedListRow]
}

public enum ApprovedListFile {
    public static let schema = TableSchema(
        kind: "approved_list",
        columns: [
            ColumnSpec("year", required: true, aliases: ["год"]),
            ColumnSpec("school", required: true, aliases: ["школа", "ОО", "код ОО", "код школы"]),
            ColumnSpec("order_number", required: true, aliases: ["номер приказа", "№ приказа"]),
            ColumnSpec("order_date", required: true, aliases: ["дата приказа"]),
            ColumnSpec("status", aliases: ["статус"]),
            ColumnSpec("reason", aliases: ["основание", "причина", "обоснование"]),
            ColumnSpec("territory", aliases: ["территория", "муниципалитет", "регион"]),
            ColumnSpec("issuer", aliases: ["орган", "издавший орган", "кем издан"]),
            ColumnSpec("authority", aliases: ["уровень приказа", "чей приказ"]),
        ])

    /// Reads a status as a code or as its Russian name; empty means `low_results` (CONTRACT.md).
    static func status(_ text: String) -> IdentificationStatus? {
        let key = HeaderKey.normalize(text)
        return IdentificationStatus.allCases.first {
            $0 != .none && (HeaderKey.normalize($0.rawValue) == key || HeaderKey.normalize($0.russianName) == key)
        }
    }

    public static func parse(_ table: DelimitedTable, file: String) throws -> (order: ApprovedListOrder, warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = schema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        if table.rows.isEmpty { issues.error(line: 2, column: "—", "в файле нет ни одной строки данных") }
        var rows: [ApprovedListRow] = []
        // The order's own fields: every row must carry the same ones (the first row that gives each is the reference).
        var firstSeen: [String: (line: Int, value: String)] = [:]
        var year: Int?
        var number: String?
        var date: Date?
        var territory: String?
        var issuer: String?
        var authority: ListAuthority?
        var schoolLines: [String: Int] = [:]
        for row in table.rows {
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            func same(_ column: String, _ value: String?) {
                let text = value ?? ""
                if let first = firstSeen[column] {
                    if first.value != text {
                        issues.error(
                            line: row.line, column: column,
                            "«\(text.prefix(60))» — а в строке \(file):\(first.line) «\(first.value.prefix(60))»: "
                                + "в одном файле один приказ, у всех строк одинаковые год, номер, дата и территория")
                    }
                } else {
                    firstSeen[column] = (row.line, text)
                }
            }
            let rowYear = reader.integer("year", range: InputRange.year, &issues)
            if reader.text("year") == nil { issues.error(line: row.line, column: "year", "пустое значение в обязательном столбце") }
            same("year", reader.text("year").map { rowYear.map(String.init) ?? $0 })
            if year == nil { year = rowYear }
            let rowNumber = reader.requiredText("order_number", &issues)?.trimmingCharacters(in: .whitespaces)
            if let rowNumber, rowNumber.count > 100 { issues.error(line: row.line, column: "order_number", "номер длиннее 100 символов") }
            same("order_number", rowNumber)
            if number == nil { number = rowNumber }
            var rowDate: Date? = nil
            if let text = reader.requiredText("order_date", &issues) {
                rowDate = RussianFormat.parseDate(text)
                if rowDate == nil {
                    issues.error(line: row.line, column: "order_date", "«\(text.prefix(40))»: ожидается дата ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")
                }
            }
            same("order_date", rowDate.map(RussianFormat.date) ?? reader.text("order_date"))
            if date == nil { date = rowDate }
            let rowTerritory = reader.text("territory")?.trimmingCharacters(in: .whitespaces)
            same("territory", rowTerritory)
            if territory == nil { territory = rowTerritory }
            let rowIssuer = reader.text("issuer")?.trimmingCharacters(in: .whitespaces)
            if let rowIssuer, rowIssuer.count > 300 { issues.error(line: row.line, column: "issuer", "текст длиннее 300 символов") }
            same("issuer", rowIssuer)
            if issuer == nil { issuer = rowIssuer }
            if let text = reader.text("authority") {
                if let parsed = ListAuthority(parsing: text) {
                    same("authority", parsed.rawValue)
                    if authority == nil { authority = parsed }
                } else {
                    issues.error(
                        line: row.line, column: "authority",
                        "«\(text.prefix(40))»: ожидается own, region или federal (собственный / региональный / федеральный)")
                }
            }
            let school = reader.requiredText("school", &issues)
            var status = IdentificationStatus.lowResults
            if let text = reader.text("status") {
                if let parsed = Self.status(text) {
                    status = parsed
                } else {
                    issues.error(
                        line: row.line, column: "status",
                        "«\(text.prefix(40))»: ожидается low_results, low_results_social или risk_of_decline")
                }
            }
            let reason = reader.text("reason")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if reason.count > 2000 { issues.error(line: row.line, column: "reason", "текст длиннее 2000 символов") }
            guard let school else { continue }
            if let first = schoolLines[school] {
                issues.error(line: row.line, column: "school", "школа «\(school.prefix(40))» уже указана в строке \(file):\(first)")
                continue
            }
            schoolLines[school] = row.line
            rows.append(ApprovedListRow(line: row.line, school: school, status: status, reason: reason))
        }
        try issues.throwIfFailed()
        guard let year, let number, let date else { throw ImportRejected(issues: issues.issues) }
        return (
            ApprovedListOrder(
                year: year, number: number, date: date, territory: territory, issuer: issuer, authority: authority, rows: rows),
            issues.warnings
        )
    }
}
