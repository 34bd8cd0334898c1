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
        var records: [StaffRecord] = [], persons: [SchoolYearPerson: Int] = [:], rowCount = 0, texts = TextPool()
        // A file repeats a few positions, categories and routes on every row: each distinct text is read once.
        var positions: [String: String?] = [:], categories: [String: QualificationCategory?] = [:]
        var routes: [String: DevelopmentRoute?] = [:]
        // Every column found once; the rows read them by position.
        let schoolColumn = ColumnCell("school", in: columns), yearColumn = ColumnCell("year", in: columns)
        let positionColumn = ColumnCell("position", in: columns), countColumn = ColumnCell("count", in: columns)
        let personColumn = ColumnCell("person", in: columns), categoryColumn = ColumnCell("category", in: columns)
        let hoursColumn = ColumnCell("course_hours", in: columns), routeColumn = ColumnCell("route", in: columns)
        let topicColumn = ColumnCell("course_topic", in: columns), providerColumn = ColumnCell("course_provider", in: columns)
        let deficitColumn = ColumnCell("deficit", in: columns), hasAttested = columns.has("attested")
        try table.forEachRow { row in
            rowCount += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let school = reader.requiredText(schoolColumn, &issues)
            let year = reader.integer(yearColumn, range: InputRange.year, &issues)
            if reader.text(yearColumn) == nil { issues.error(line: row.line, column: "year", "пустое значение в обязательном столбце") }
            var position = "teacher"
            if let text = reader.text(positionColumn) {
                let parsed: String?
                if let known = positions[text] { parsed = known } else { parsed = ParticipantRole.code(text); positions[text] = parsed }
                if let code = parsed { position = code }
                else {
                    issues.error(line: row.line, column: "position", "«\(text.prefix(40))»: ожидается учитель, руководитель, заместитель, "
                                     + "педагог-психолог, логопед, дефектолог, социальный педагог или тьютор")
                }
            }
            let count = reader.integer(countColumn, range: 1...10_000, &issues)
            let person = reader.limited(personColumn, 40, &issues)
            if count != nil && person != nil {
                issues.error(line: row.line, column: "count", "укажите либо число педагогов, либо код педагога")
            }
            var category: QualificationCategory? = nil
            if let text = reader.text(categoryColumn) {
                if let known = categories[text] { category = known } else {
                    category = QualificationCategory(parsing: text)
                    categories[text] = category
                }
                if category == nil {
                    issues.error(line: row.line, column: "category",
                                 "«\(text.prefix(40))»: ожидается высшая, первая, соответствие занимаемой должности или без категории")
                }
            }
            let attested = hasAttested ? ProgrammeFiles.date(reader, "attested", &issues) : nil
            let hours = reader.decimal(hoursColumn, range: 0...2_000, &issues)
            var route: DevelopmentRoute? = nil
            if let text = reader.text(routeColumn) {
                if let known = routes[text] { route = known } else { route = DevelopmentRoute(parsing: text); routes[text] = route }
                if route == nil {
                    issues.error(line: row.line, column: "route",
                                 "«\(text.prefix(40))»: ожидается нет, разработан, реализуется или завершён")
                }
            }
            let topic = texts.shared(reader.limited(topicColumn, 1000, &issues))
            let provider = texts.shared(reader.limited(providerColumn, 300, &issues))
            let deficit = texts.shared(reader.limited(deficitColumn, 1000, &issues))
            if route != nil && route != DevelopmentRoute.none && deficit == nil {
                issues.warning(line: row.line, column: "route", "маршрут указан без дефицита, на котором он построен")
            }
            if let attested, let year, attested.year > year + 1 {
                issues.error(line: row.line, column: "attested", "дата аттестации \(attested.russian) позже \(year) года")
            }
            guard let school, let year else { return }
            if let person {
                let key = SchoolYearPerson(school: school, year: year, person: person)
                if let first = persons[key] {
                    issues.error(line: row.line, column: "person",
                                 "педагог «\(person)» уже записан за \(year) год в строке \(file):\(first)")
                    return
                }
                persons[key] = row.line
            }
            let group = StaffGroup(school: school, year: year, position: position, count: person == nil ? (count ?? 1) : 1, person: person,
                                   category: category, attestedOn: attested, courseHours: hours, courseTopic: topic,
                                   courseProvider: provider, deficit: deficit, route: route)
            records.append(StaffRecord(line: row.line, group: group))
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
            issues.error(line: 1, column: "—",
                         "нет ни одного столбца специалистов (социальный педагог, тьютор, педагог-психолог …) и нет столбца «Вакансии»")
        }
        try issues.throwIfFailed()
        var records: [SpecialistsRecord] = [], seen: [SchoolYear: Int] = table.dictionaryForRows(), rowCount = 0
        // Table 23's cells are a handful of texts («1», «1*», «3; 6*»): each is read once.
        var cells: [String: SpecialistCount?] = [:]
        // Every column found once; the rows read them by position.
        let schoolColumn = ColumnCell("school", in: columns), yearColumn = ColumnCell("year", in: columns)
        let vacanciesColumn = ColumnCell("vacancies", in: columns)
        let specialtyColumns = Specialty.allCases.filter { columns.has($0.rawValue) }.map { ($0, ColumnCell($0.rawValue, in: columns)) }
        try table.forEachRow { row in
            rowCount += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let school = reader.requiredText(schoolColumn, &issues)
            let year = reader.integer(yearColumn, range: InputRange.year, &issues)
            if reader.text(yearColumn) == nil { issues.error(line: row.line, column: "year", "пустое значение в обязательном столбце") }
            var counts: [Specialty: SpecialistCount] = [:]
            for (specialty, column) in specialtyColumns {
                guard let text = reader.text(column) else { continue }
                let parsed: SpecialistCount?
                if let known = cells[text] { parsed = known } else { parsed = SpecialistCount(cell: text); cells[text] = parsed }
                if let count = parsed { counts[specialty] = count }
                else {
                    issues.error(line: row.line, column: specialty.rawValue,
                                 "«\(text.prefix(40))»: ожидается число штатных, «1*» для совместителя или «3; 6*»")
                }
            }
            let vacancies = reader.integer(vacanciesColumn, range: 0...1_000, &issues)
            guard let school, let year else { return }
            let key = SchoolYear(school: school, year: year)
            if let first = seen[key] {
                issues.error(line: row.line, column: "school", "школа «\(school)» за \(year) год уже описана в строке \(file):\(first)")
                return
            }
            seen[key] = row.line
            let described = SpecialistsRow(school: school, year: year, counts: counts, vacancies: vacancies)
            records.append(SpecialistsRecord(line: row.line, row: described))
        }
        if rowCount == 0 { issues.error(line: 2, column: "—", "в файле нет ни одной строки данных") }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }
}

/// Keys of the duplicate checks, hashed as they are (a million interpolated strings cost more than the check).
struct SchoolYear: Hashable {
    let school: String
    let year: Int
}

struct SchoolYearPerson: Hashable {
    let school: String
    let year: Int
    let person: String
}
