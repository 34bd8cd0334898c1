/// The `staff` and `specialists` file kinds (docs/SUPPORT.md): a school's pedagogical staff per year as coded
/// persons or counts, and seed 004's Table 23 as printed.
public struct StaffRecord: Sendable, Hashable {
    public var line: Int
    public var group: StaffGroup
}

public struct SpecialistsRecord: Sendable, Hashable {
    public var line: Int
    public var row: SpecialistsRow
}

public enum StaffFiles {
    public static let staffSchema = TableSchema(kind: "staff", columns: [
        ColumnSpec("school", required: true, aliases: ["школа", "ОО", "код ОО"]),
        ColumnSpec("year", required: true, aliases: ["год", "учебный год"]),
        ColumnSpec("position", aliases: ["должность", "роль"]),
        ColumnSpec("count", aliases: ["количество", "человек", "число педагогов"]),
        ColumnSpec("person", aliases: ["код педагога", "код работника", "код участника"]),
        ColumnSpec("category", aliases: ["категория", "квалификационная категория"]),
        ColumnSpec("attested", aliases: ["дата аттестации", "аттестация"]),
        ColumnSpec("course_hours", aliases: ["курсы, часов", "часов курсов", "кпк, часов", "часов кпк"]),
        ColumnSpec("course_topic", aliases: ["тема курсов", "курсы", "программа курсов"]),
        ColumnSpec("course_provider", aliases: ["организатор курсов", "где обучался", "организация"]),
        ColumnSpec("deficit", aliases: ["дефицит", "профессиональный дефицит", "профессиональные дефициты"]),
        ColumnSpec("route", aliases: ["иом", "индивидуальный образовательный маршрут", "статус иом"]),
    ])

    /// Every row checked; the same coded person twice in one school and year is refused with both lines named.
    public static func parseStaff(_ table: some DelimitedRows, file: String) throws -> (records: [StaffRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = staffSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [StaffRecord] = [], persons: [String: Int] = [:], rowCount = 0, texts = TextPool()
        // A file repeats a few positions, categories and routes on every row: each distinct text is read once.
        var positions: [String: String?] = [:], categories: [String: QualificationCategory?] = [:]
        var routes: [String: DevelopmentRoute?] = [:]
        try table.forEachRow { row in
            rowCount += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let school = reader.requiredText("school", &issues)
            let year = reader.integer("year", range: InputRange.year, &issues)
            if reader.text("year") == nil { issues.error(line: row.line, column: "year", "пустое значение в обязательном столбце") }
            var position = "teacher"
            if let text = reader.text("position") {
                let parsed = positions[text] ?? ParticipantRole.code(text)
                positions[text] = parsed
                if let code = parsed { position = code }
                else { issues.error(line: row.line, column: "position", "«\(text.prefix(40))»: ожидается учитель, руководитель, заместитель, педагог-психолог, логопед, дефектолог, социальный педагог или тьютор") }
            }
            let count = reader.integer("count", range: 1...10_000, &issues)
            let person = ProgrammeFiles.limited(reader, "person", 40, &issues)
            if count != nil && person != nil { issues.error(line: row.line, column: "count", "укажите либо число педагогов, либо код педагога") }
            var category: QualificationCategory? = nil
            if let text = reader.text("category") {
                category = categories[text] ?? QualificationCategory(parsing: text)
                categories[text] = category
                if category == nil { issues.error(line: row.line, column: "category", "«\(text.prefix(40))»: ожидается высшая, первая, соответствие занимаемой должности или без категории") }
            }
            let attested = ProgrammeFiles.date(reader, "attested", &issues)
            let hours = reader.decimal("course_hours", range: 0...2_000, &issues)
            var route: DevelopmentRoute? = nil
            if let text = reader.text("route") {
                route = routes[text] ?? DevelopmentRoute(parsing: text)
                routes[text] = route
                if route == nil { issues.error(line: row.line, column: "route", "«\(text.prefix(40))»: ожидается нет, разработан, реализуется или завершён") }
            }
            let topic = texts.shared(ProgrammeFiles.limited(reader, "course_topic", 1000, &issues))
            let provider = texts.shared(ProgrammeFiles.limited(reader, "course_provider", 300, &issues))
            let deficit = texts.shared(ProgrammeFiles.limited(reader, "deficit", 1000, &issues))
            if route != nil && route != DevelopmentRoute.none && deficit == nil {
                issues.warning(line: row.line, column: "route", "маршрут указан без дефицита, на котором он построен")
            }
            if let attested, let year, attested.year > year + 1 { issues.error(line: row.line, column: "attested", "дата аттестации \(attested.russian) позже \(year) года") }
            guard let school, let year else { return }
            if let person {
                let key = "\(school)|\(year)|\(person)"
                if let first = persons[key] {
                    issues.error(line: row.line, column: "person", "педагог «\(person)» уже записан за \(year) год в строке \(file):\(first)")
                    return
                }
                persons[key] = row.line
            }
            records.append(StaffRecord(line: row.line, group: StaffGroup(school: school, year: year, position: position, count: person == nil ? (count ?? 1) : 1,
                                                                         person: person, category: category, attestedOn: attested, courseHours: hours,
                                                                         courseTopic: topic, courseProvider: provider, deficit: deficit, route: route)))
        }
        if rowCount == 0 { issues.error(line: 2, column: "—", "в файле нет ни одной строки данных") }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    public static let specialistsSchema = TableSchema(kind: "specialists", columns: [
        ColumnSpec("school", required: true, aliases: ["школа", "ОО", "код ОО"]),
        ColumnSpec("year", required: true, aliases: ["год"]),
    ] + Specialty.allCases.map { specialty in
        ColumnSpec(specialty.rawValue, aliases: [specialty.russianName] + extraHeaders(specialty))
    } + [ColumnSpec("vacancies", aliases: ["вакансии", "вакансий"])])

    static func extraHeaders(_ specialty: Specialty) -> [String] {
        switch specialty {
        case .psychologist: ["психолог"]
        case .speechTherapist: ["логопед"]
        case .defectologist: ["дефектолог"]
        case .additionalEducation: ["педагог дополнительного образования"]
        case .organiser: ["организатор"]
        case .socialPedagogue, .tutor: []
        }
    }

    /// Table 23 as printed, with a year: «1», «1*» for a part-timer, «3; 6*»; one row per school and year.
    public static func parseSpecialists(_ table: some DelimitedRows,
                                        file: String) throws -> (records: [SpecialistsRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = specialistsSchema.bind(header: table.header, issues: &issues)
        if !Specialty.allCases.contains(where: { columns.has($0.rawValue) }) && !columns.has("vacancies") {
            issues.error(line: 1, column: "—", "нет ни одного столбца специалистов (социальный педагог, тьютор, педагог-психолог …) и нет столбца «Вакансии»")
        }
        try issues.throwIfFailed()
        var records: [SpecialistsRecord] = [], seen: [String: Int] = [:], rowCount = 0
        // Table 23's cells are a handful of texts («1», «1*», «3; 6*»): each is read once.
        var cells: [String: SpecialistCount?] = [:]
        try table.forEachRow { row in
            rowCount += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let school = reader.requiredText("school", &issues)
            let year = reader.integer("year", range: InputRange.year, &issues)
            if reader.text("year") == nil { issues.error(line: row.line, column: "year", "пустое значение в обязательном столбце") }
            var counts: [Specialty: SpecialistCount] = [:]
            for specialty in Specialty.allCases {
                guard let text = reader.text(specialty.rawValue) else { continue }
                let parsed = cells[text] ?? SpecialistCount(cell: text)
                cells[text] = parsed
                if let count = parsed { counts[specialty] = count }
                else { issues.error(line: row.line, column: specialty.rawValue, "«\(text.prefix(40))»: ожидается число штатных, «1*» для совместителя или «3; 6*»") }
            }
            let vacancies = reader.integer("vacancies", range: 0...1_000, &issues)
            guard let school, let year else { return }
            let key = "\(school)|\(year)"
            if let first = seen[key] {
                issues.error(line: row.line, column: "school", "школа «\(school)» за \(year) год уже описана в строке \(file):\(first)")
                return
            }
            seen[key] = row.line
            records.append(SpecialistsRecord(line: row.line, row: SpecialistsRow(school: school, year: year, counts: counts, vacancies: vacancies)))
        }
        if rowCount == 0 { issues.error(line: 2, column: "—", "в файле нет ни одной строки данных") }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }
}
