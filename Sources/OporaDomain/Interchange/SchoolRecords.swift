/// A school row of a `schools` file, checked and typed.
public struct SchoolRecord: Sendable, Hashable {
    public var line: Int
    public var code: String
    public var name: String
    public var municipality: String
    public var region: String?
    public var shortName: String?
    public var number: String?
    public var settlement: Settlement?
    public var address: String?
    public var director: String?
    public var students: Int?
    public var studentsOVZ: Int?

    public init(line: Int = 0, code: String, name: String, municipality: String, region: String? = nil,
                shortName: String? = nil, number: String? = nil, settlement: Settlement? = nil, address: String? = nil,
                director: String? = nil, students: Int? = nil, studentsOVZ: Int? = nil) {
        self.line = line
        self.code = code
        self.name = name
        self.municipality = municipality
        self.region = region
        self.shortName = shortName
        self.number = number
        self.settlement = settlement
        self.address = address
        self.director = director
        self.students = students
        self.studentsOVZ = studentsOVZ
    }
}

public enum SchoolFile {
    public static let schema = TableSchema(kind: "schools", columns: [
        ColumnSpec("code", required: true, aliases: ["код", "код ОО", "код школы"]),
        ColumnSpec("name", required: true, aliases: ["наименование", "название", "полное наименование", "наименование ОО"]),
        ColumnSpec("municipality", required: true, aliases: ["муниципалитет", "муниципальное образование", "МО", "район"]),
        ColumnSpec("region", aliases: ["регион", "субъект", "субъект РФ"]),
        ColumnSpec("short_name", aliases: ["краткое наименование", "сокращённое наименование", "краткое название"]),
        ColumnSpec("number", aliases: ["номер", "№"]),
        ColumnSpec("settlement", aliases: ["тип поселения", "тип поселения (городская / сельская)", "местность"]),
        ColumnSpec("address", aliases: ["адрес"]),
        ColumnSpec("director", aliases: ["директор", "руководитель"]),
        ColumnSpec("students", aliases: ["обучающихся", "количество обучающихся", "контингент", "учащихся"]),
        ColumnSpec("students_ovz", aliases: ["обучающихся с ОВЗ", "ОВЗ", "количество обучающихся с ОВЗ"]),
    ])

    /// Parses and checks every row; throws `ImportRejected` listing every problem if any row is invalid.
    public static func parse(_ table: DelimitedTable, file: String) throws -> (records: [SchoolRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = schema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        if table.rows.isEmpty { issues.error(line: 2, column: "—", "в файле нет ни одной строки данных") }

        var records: [SchoolRecord] = []
        var firstLineOfCode: [String: Int] = [:]
        for row in table.rows {
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let code = reader.requiredText("code", &issues)
            let name = reader.requiredText("name", &issues)
            let municipality = reader.requiredText("municipality", &issues)
            var settlement: Settlement? = nil
            if let text = reader.text("settlement") {
                settlement = Settlement(parsing: text)
                if settlement == nil {
                    issues.error(line: row.line, column: "settlement", "«\(text)»: ожидается urban/rural или городская/сельская")
                }
            }
            let students = reader.integer("students", range: 0...20_000, &issues)
            let ovz = reader.integer("students_ovz", range: 0...20_000, &issues)
            if let students, let ovz, ovz > students {
                issues.error(
                    line: row.line, column: "students_ovz", "обучающихся с ОВЗ (\(ovz)) больше, чем всего обучающихся (\(students))")
            }
            if let code {
                if code.count > 64 { issues.error(line: row.line, column: "code", "код длиннее 64 символов") }
                if let first = firstLineOfCode[code] {
                    issues.error(line: row.line, column: "code", "код «\(code)» уже встречался в строке \(first)")
                } else {
                    firstLineOfCode[code] = row.line
                }
            }
            guard let code, let name, let municipality else { continue }
            records.append(SchoolRecord(
                line: row.line, code: code, name: name, municipality: municipality, region: reader.text("region"),
                shortName: reader.text("short_name"), number: reader.text("number"), settlement: settlement,
                address: reader.text("address"), director: reader.text("director"), students: students, studentsOVZ: ovz))
        }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }
}
