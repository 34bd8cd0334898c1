/// One participation line of an `events` file: an event (seminar, course, internship …) and who of a school took
/// part — a count of people in a role, or one coded person (the least personal data that answers the questions).
public struct EventRecord: Sendable, Hashable {
    public var line: Int
    public var event: String
    public var title: String?
    public var kind: EventKind
    public var start: CalendarDay
    public var end: CalendarDay?
    public var hours: Double
    public var organiser: String?
    public var topic: String?
    public var participation: Participation
}

public enum EventKind: String, Sendable, Hashable, Codable, CaseIterable {
    case seminar, course, internship, webinar, conference, other

    public var russianName: String {
        switch self {
        case .seminar: "семинар"
        case .course: "курсы"
        case .internship: "стажировка"
        case .webinar: "вебинар"
        case .conference: "конференция"
        case .other: "иное"
        }
    }

    public init?(parsing text: String) {
        let key = HeaderKey.normalize(text)
        if let kind = EventKind(rawValue: key) { self = kind; return }
        let stems: [(String, EventKind)] = [("семинар", .seminar), ("курс", .course), ("кпк", .course), ("повышение квалификации", .course),
                                            ("стажир", .internship), ("вебинар", .webinar), ("конференц", .conference), ("иное", .other)]
        guard let found = stems.first(where: { key.hasPrefix($0.0) }) else { return nil }
        self = found.1
    }
}

/// Roles of participants (issue: teacher, head, deputy, psychologist …), read from English codes or Russian words.
public enum ParticipantRole {
    static let roles: [(code: String, stems: [String], name: String)] = [
        ("teacher", ["teacher", "учител", "педагог"], "учитель"),
        ("head", ["head", "директор", "руководител"], "руководитель"),
        ("deputy", ["deputy", "заместител", "зам"], "заместитель руководителя"),
        ("psychologist", ["psychologist", "психолог", "педагог-психолог"], "педагог-психолог"),
        ("speech_therapist", ["speech_therapist", "speech therapist", "логопед"], "учитель-логопед"),
        ("defectologist", ["defectologist", "дефектолог"], "учитель-дефектолог"),
        ("social_pedagogue", ["social_pedagogue", "social pedagogue", "социальн"], "социальный педагог"),
        ("tutor", ["tutor", "тьютор"], "тьютор"),
    ]

    /// The role's code; a psychologist is matched before a teacher («педагог-психолог» is not a teacher).
    public static func code(_ text: String) -> String? {
        let key = HeaderKey.normalize(text)
        for role in roles.reversed() where role.stems.contains(where: { key.hasPrefix($0) }) { return role.code }
        return nil
    }

    public static func russianName(_ code: String) -> String { roles.first { $0.code == code }?.name ?? code }
}

public enum EventsFile {
    public static let schema = TableSchema(kind: "events", columns: [
        ColumnSpec("event", required: true, aliases: ["мероприятие", "код мероприятия"]),
        ColumnSpec("start", required: true, aliases: ["дата", "дата начала", "начало"]),
        ColumnSpec("hours", required: true, aliases: ["часов", "часы", "объём, часов", "объем часов"]),
        ColumnSpec("school", required: true, aliases: ["школа", "ОО", "код ОО"]),
        ColumnSpec("title", aliases: ["наименование", "название"]),
        ColumnSpec("kind", aliases: ["вид", "форма"]),
        ColumnSpec("end", aliases: ["дата окончания", "окончание"]),
        ColumnSpec("organiser", aliases: ["организатор"]),
        ColumnSpec("topic", aliases: ["тема"]),
        ColumnSpec("role", aliases: ["должность", "роль", "категория участников"]),
        ColumnSpec("count", aliases: ["участников", "количество", "человек"]),
        ColumnSpec("person", aliases: ["код участника", "участник"]),
    ])

    /// Checks every row; the same coded person twice at one event, or one event given two different lengths in
    /// hours, is refused with both lines named.
    public static func parse(_ table: some DelimitedRows, file: String) throws -> (records: [EventRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = schema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [EventRecord] = [], rowCount = 0, texts = TextPool()
        var persons: [EventPerson: Int] = [:]
        // An event has one length: the first line that gives a code its hours, to name it when another differs.
        var hoursOf: [String: (line: Int, hours: Double)] = [:]
        // A log repeats its events, roles and dates on every row: each distinct text is read once.
        // Kept by their bytes: a `String` key hashes its Unicode normal form, slow for Cyrillic («семинар», «учитель»).
        var roles: [ByteKey: String?] = [:], kinds: [ByteKey: EventKind?] = [:], days: [String: CalendarDay?] = [:]
        // Every column found once; the rows read them by position.
        let eventColumn = ColumnCell("event", in: columns), schoolColumn = ColumnCell("school", in: columns)
        let startColumn = ColumnCell("start", in: columns), endColumn = ColumnCell("end", in: columns)
        let hoursColumn = ColumnCell("hours", in: columns), kindColumn = ColumnCell("kind", in: columns)
        let roleColumn = ColumnCell("role", in: columns), countColumn = ColumnCell("count", in: columns)
        let personColumn = ColumnCell("person", in: columns), titleColumn = ColumnCell("title", in: columns)
        let organiserColumn = ColumnCell("organiser", in: columns), topicColumn = ColumnCell("topic", in: columns)
        func day(_ reader: RowReader, _ column: ColumnCell, _ issues: inout IssueCollector) -> CalendarDay? {
            guard let text = reader.text(column) else { return nil }
            if let known = days[text] {
                if known == nil { issues.error(line: reader.line, column: column.name, "«\(text.prefix(40))»: \(CalendarDay.expected)") }
                return known
            }
            let parsed = CalendarDay(parsing: text)
            days[text] = parsed
            if parsed == nil { issues.error(line: reader.line, column: column.name, "«\(text.prefix(40))»: \(CalendarDay.expected)") }
            return parsed
        }
        try table.forEachRow { row in
            rowCount += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let event = reader.limited(eventColumn, 100, &issues)
            if event == nil { issues.error(line: row.line, column: "event", "пустое значение в обязательном столбце") }
            let school = reader.requiredText(schoolColumn, &issues)
            var start: CalendarDay? = nil
            if reader.text(startColumn) == nil { issues.error(line: row.line, column: "start", "пустое значение в обязательном столбце") }
            else { start = day(reader, startColumn, &issues) }
            let end = day(reader, endColumn, &issues)
            if let start, let end, end < start {
                issues.error(line: row.line, column: "end", "окончание \(end.russian) раньше начала \(start.russian)")
            }
            let hours = reader.decimal(hoursColumn, range: 0.5...2_000, &issues)
            if reader.text(hoursColumn) == nil { issues.error(line: row.line, column: "hours", "пустое значение в обязательном столбце") }
            var kind = EventKind.other
            if let text = reader.text(kindColumn) {
                let parsed: EventKind?
                if let known = kinds[ByteKey(text)] { parsed = known } else {
                    parsed = EventKind(parsing: text)
                    kinds[ByteKey(text)] = parsed
                }
                if let parsed { kind = parsed }
                else {
                    issues.error(line: row.line, column: "kind",
                                 "«\(text.prefix(40))»: ожидается семинар, курсы, стажировка, вебинар, конференция или иное")
                }
            }
            var role = "teacher"
            if let text = reader.text(roleColumn) {
                let code: String?
                if let known = roles[ByteKey(text)] { code = known } else { code = ParticipantRole.code(text); roles[ByteKey(text)] = code }
                if let code { role = code }
                else {
                    issues.error(line: row.line, column: "role", "«\(text.prefix(40))»: ожидается учитель, руководитель, заместитель, "
                                     + "педагог-психолог, логопед, дефектолог, социальный педагог или тьютор")
                }
            }
            let count = reader.integer(countColumn, range: 1...10_000, &issues)
            let person = reader.limited(personColumn, 40, &issues)
            if count != nil && person != nil {
                issues.error(line: row.line, column: "count", "укажите либо число участников, либо код участника")
            }
            let title = texts.shared(reader.limited(titleColumn, 1000, &issues))
            let organiser = texts.shared(reader.limited(organiserColumn, 300, &issues))
            let topic = texts.shared(reader.limited(topicColumn, 1000, &issues))
            guard let event, let school, let start, let hours else { return }
            if let first = hoursOf[event] {
                if first.hours != hours {
                    issues.error(line: row.line, column: "hours",
                                 "у мероприятия «\(event)» \(RussianFormat.number(hours, digits: 2)) ч., "
                                     + "а в строке \(file):\(first.line) — \(RussianFormat.number(first.hours, digits: 2)) ч.: "
                                     + "у одного мероприятия одна продолжительность")
                    return
                }
            } else {
                hoursOf[event] = (row.line, hours)
            }
            if let person {
                let key = EventPerson(event: event, school: school, person: person)
                if let first = persons[key] {
                    issues.error(line: row.line, column: "person",
                                 "участник «\(person)» уже записан на это мероприятие в строке \(file):\(first)")
                    return
                }
                persons[key] = row.line
            }
            records.append(EventRecord(line: row.line, event: event, title: title, kind: kind, start: start, end: end, hours: hours,
                                       organiser: organiser, topic: topic,
                                       participation: Participation(event: event, school: school, role: role, hours: hours, start: start,
                                                                                  count: person == nil ? (count ?? 1) : 1, person: person)))
        }
        if rowCount == 0 { issues.error(line: 2, column: "—", "в файле нет ни одной строки данных") }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }
}

/// A coded person at an event from a school, hashed as it is (no interpolated string per row).
struct EventPerson: Hashable {
    let event: String
    let school: String
    let person: String
}
