import Foundation

/// A programme's passport line from a `programmes` file.
public struct ProgrammeRecord: Sendable, Hashable {
    public var line: Int = 0
    public var code: String
    public var name: String
    public var start: CalendarDay
    public var end: CalendarDay
    public var level: ProgrammeLevel
    public var territory: String?
    public var school: String?
    public var orderNumber: String?
    public var orderDate: CalendarDay?
    public var goal: String?

    public init(line: Int = 0, code: String, name: String, start: CalendarDay, end: CalendarDay, level: ProgrammeLevel = .municipality,
                territory: String? = nil, school: String? = nil, orderNumber: String? = nil, orderDate: CalendarDay? = nil,
                goal: String? = nil) {
        self.line = line
        self.code = code
        self.name = name
        self.start = start
        self.end = end
        self.level = level
        self.territory = territory
        self.school = school
        self.orderNumber = orderNumber
        self.orderDate = orderDate
        self.goal = goal
    }

    public var period: DatePeriod { .from(start, to: end) }
}

/// A measure line from a `roadmap` file.
public struct RoadmapRecord: Sendable, Hashable {
    public var line: Int
    public var programme: String
    public var section: String
    public var number: String
    public var measure: String
    public var deadline: String
    public var responsible: String?
    public var result: String?
    public var status: MeasureStatus
    public var doneOn: CalendarDay?
    public var year: Int?
    public var comment: String?
}

/// An indicator line from an `indicators` file.
public struct IndicatorRecord: Sendable, Hashable {
    public var line: Int
    public var programme: String
    public var code: String
    public var name: String
    public var unit: String?
    public var direction: IndicatorDirection
    public var baseline: Double?
    public var baselineYear: Int?
    public var formula: IndicatorFormula?
    public var periodicity: String?
    public var months: [Int]
    public var source: String?
    public var responsible: String?
}

/// A yearly value line from an `indicator_values` file, with the expert's rubric scores.
public struct IndicatorValueRecord: Sendable, Hashable {
    public var line: Int
    public var programme: String
    public var indicator: String
    public var year: Int
    public var phase: MonitoringPhase
    public var value: Double
    public var target: Double?
    public var points: IndicatorPoints?
    /// The points when only their sum is known (seed 004's Table 12 prints «4 б.»).
    public var pointsTotal: Int?
    public var comment: String?

    /// The indicator's points: the rubric's sum, or the total given alone.
    public var totalPoints: Int? { points?.total ?? pointsTotal }
}

/// `programmes`, `roadmap`, `indicators` and `indicator_values` files (CONTRACT.md).
public enum ProgrammeFiles {
    static let programme = ColumnSpec("programme", required: true, aliases: ["программа", "код программы"])

    public static let programmesSchema = TableSchema(kind: "programmes", columns: [
        ColumnSpec("code", required: true, aliases: ["код", "код программы"]),
        ColumnSpec("name", required: true, aliases: ["наименование", "название", "наименование программы"]),
        ColumnSpec("start", required: true, aliases: ["начало", "дата начала", "год начала"]),
        ColumnSpec("end", required: true, aliases: ["окончание", "дата окончания", "год окончания"]),
        ColumnSpec("level", aliases: ["уровень"]),
        ColumnSpec("territory", aliases: ["территория", "муниципалитет", "регион"]),
        ColumnSpec("school", aliases: ["школа", "код ОО"]),
        ColumnSpec("order_number", aliases: ["номер приказа", "приказ №", "приказ"]),
        ColumnSpec("order_date", aliases: ["дата приказа"]),
        ColumnSpec("goal", aliases: ["цель", "цель программы"]),
    ])

    public static let roadmapSchema = TableSchema(kind: "roadmap", columns: roadmapColumns(programmeRequired: true))

    /// A plan as printed (`import roadmap FILE --programme CODE`): the programme is chosen, not a column.
    public static let printedRoadmapSchema = TableSchema(kind: "roadmap", columns: roadmapColumns(programmeRequired: false))

    /// The seeds' own column titles are aliases (CONTRACT.md, «A roadmap may also be a seed's plan table»).
    static func roadmapColumns(programmeRequired: Bool) -> [ColumnSpec] {
        [
            ColumnSpec("programme", required: programmeRequired, aliases: ["программа", "код программы"]),
            ColumnSpec("number", required: programmeRequired, aliases: ["№ п/п", "№", "номер", "n п/п", "№п/п", "№ пп"]),
            ColumnSpec("measure", required: true, aliases: [
                "мероприятие", "мероприятия", "содержание мероприятия", "наименование мероприятия", "наименования мероприятия",
                "наименование мероприятий", "основные мероприятия", "содержание мероприятий", "перечень мероприятий",
            ]),
            ColumnSpec("deadline", required: true, aliases: ["сроки", "срок", "срок исполнения", "сроки реализации", "сроки исполнения",
                                                            "сроки проведения", "срок реализации", "срок проведения", "период",
                                                            "период реализации", "период проведения", "дата", "дата проведения"]),
            ColumnSpec("section", aliases: ["раздел", "направление"]),
            ColumnSpec("responsible", aliases: [
                "ответственные", "ответственный", "исполнители", "ответственные исполнители", "ответственный исполнитель", "исполнитель",
                "ответственный исполнитель, соисполнитель, участник", "ответственный исполнитель, соисполнители",
                "ответственные за исполнение", "ответственный за исполнение",
            ]),
            ColumnSpec("result", aliases: [
                "ожидаемый результат", "форма отчёта", "результаты исполнения", "результат", "планируемый результат",
                "прогнозируемый результат", "ожидаемые результаты", "планируемые результаты", "прогнозируемые результаты", "результаты",
                "форма отчетности", "показатель результата",
            ]),
            ColumnSpec("status", aliases: ["статус"]),
            ColumnSpec("done_on", aliases: ["дата выполнения", "выполнено"]),
            ColumnSpec("year", aliases: ["год"]),
            ColumnSpec("comment", aliases: ["комментарий", "примечание"]),
        ]
    }

    /// A printed title no alias names exactly («Планируемый результат (показатели)», «Сроки исполнения (период)»): the
    /// column it begins like. Only for titles the schema does not know, so an exact alias always wins.
    static func printedColumn(_ title: String) -> String? {
        let key = HeaderKey.normalize(title)
        let starts: [(String, String)] = [
            ("№", "number"), ("номер", "number"), ("срок", "deadline"), ("период", "deadline"), ("дата проведения", "deadline"),
            ("ответствен", "responsible"), ("исполнител", "responsible"), ("соисполнител", "responsible"),
            ("планируем", "result"), ("прогнозируем", "result"), ("ожидаем", "result"), ("результат", "result"), ("форма отч", "result"),
            ("основные мероприяти", "measure"), ("мероприяти", "measure"), ("содержание мероприяти", "measure"),
            ("наименование мероприяти", "measure"), ("наименования мероприяти", "measure"),
        ]
        return starts.first { key.hasPrefix($0.0) }?.1
    }

    public static let indicatorsSchema = TableSchema(kind: "indicators", columns: [
        programme,
        ColumnSpec("code", required: true, aliases: ["код", "код показателя", "№ п/п"]),
        ColumnSpec("name", required: true, aliases: ["наименование", "показатель", "наименование показателя"]),
        ColumnSpec("unit", aliases: ["единица измерения", "ед. изм."]),
        ColumnSpec("direction", aliases: ["направленность", "динамика"]),
        ColumnSpec("baseline", aliases: ["базовое значение"]),
        ColumnSpec("baseline_year", aliases: ["базовый год"]),
        ColumnSpec("formula", aliases: ["формула", "расчёт"]),
        ColumnSpec("periodicity", aliases: ["периодичность", "периодичность заполнения"]),
        ColumnSpec("months", aliases: ["месяцы", "период заполнения", "месяцы сбора"]),
        ColumnSpec("source", aliases: ["источник", "источник данных"]),
        ColumnSpec("responsible", aliases: ["ответственный", "ответственные"]),
    ])

    public static let valuesSchema = TableSchema(kind: "indicator_values", columns: [
        programme,
        ColumnSpec("indicator", required: true, aliases: ["показатель", "код показателя"]),
        ColumnSpec("year", required: true, aliases: ["год"]),
        ColumnSpec("value", required: true, aliases: ["значение", "фактическое значение"]),
        ColumnSpec("target", aliases: ["целевое значение", "цель"]),
        ColumnSpec("presence", aliases: ["наличие", "представленность"]),
        ColumnSpec("dynamics", aliases: ["динамика"]),
        ColumnSpec("documentation", aliases: ["документальное подтверждение", "подтверждение"]),
        ColumnSpec("points", aliases: ["баллы", "балл"]),
        ColumnSpec("phase", aliases: ["этап", "этап мониторинга"]),
        ColumnSpec("comment", aliases: ["комментарий", "примечание"]),
    ])

    static func date(_ reader: RowReader, _ column: String, _ issues: inout IssueCollector) -> CalendarDay? {
        guard let text = reader.text(column) else { return nil }
        guard let day = CellText.day(text) else {
            issues.error(line: reader.line, column: column, "«\(text.prefix(40))»: \(CalendarDay.expected)")
            return nil
        }
        return day
    }

    static func limited(_ reader: RowReader, _ column: String, _ maximum: Int, _ issues: inout IssueCollector) -> String? {
        guard let text = reader.text(column).map({ CellText.trimmed($0) }), !text.isEmpty else { return nil }
        if CellText.exceeds(text, maximum) { issues.error(line: reader.line, column: column, "текст длиннее \(maximum) символов") }
        return text
    }

    static func empty(_ rows: Int, _ issues: inout IssueCollector) {
        if rows == 0 { issues.error(line: 2, column: "—", "в файле нет ни одной строки данных") }
    }

    /// The parse of a value that a file repeats on most rows («done», «май, сентябрь»), made once per distinct text.
    /// Texts are kept by their bytes: a `String` key hashes its Unicode normal form, slow for Cyrillic («май, сентябрь»).
    struct Memo<Value> {
        var known: [ByteKey: Value?] = [:]

        mutating func value(_ text: String, _ parse: (String) -> Value?) -> Value? {
            if let answer = known[ByteKey(text)] { return answer }
            let answer = parse(text)
            if known.count < 1_000 { known[ByteKey(text)] = answer }
            return answer
        }
    }

    /// Two texts as one key, compared as `String`s: a «programme|code» text made for every row cost a string a row
    /// (and took «A|B», «C» for «A», «B|C»).
    struct TextPair: Hashable {
        let first: String
        let second: String
    }

    /// An indicator's value by programme and indicator, year and phase.
    struct ValueKey: Hashable {
        let indicator: TextPair
        let year: Int
        let phase: MonitoringPhase
    }

    // MARK: programmes

    /// Reads the rows as they come (a CSV is streamed, never held as cells); a level is read once per distinct text.
    public static func parseProgrammes(_ table: some DelimitedRows, file: String) throws
        -> (records: [ProgrammeRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = programmesSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [ProgrammeRecord] = table.arrayForRows(), seen: [String: Int] = table.dictionaryForRows(), count = 0
        var levels = Memo<ProgrammeLevel>(), texts = TextPool()
        try table.forEachRow { row in
            count += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let code = limited(reader, "code", 40, &issues)
            if code == nil { issues.error(line: row.line, column: "code", "пустое значение в обязательном столбце") }
            let name = limited(reader, "name", 1000, &issues)
            if name == nil { issues.error(line: row.line, column: "name", "пустое значение в обязательном столбце") }
            let start = bound(reader, "start", start: true, &issues), end = bound(reader, "end", start: false, &issues)
            if let start, let end, end < start {
                issues.error(line: row.line, column: "end", "окончание \(end.russian) раньше начала \(start.russian)")
            }
            if let start, let end, end.year - start.year > 15 { issues.error(line: row.line, column: "end", "программа длиннее 15 лет") }
            var level = ProgrammeLevel.municipality
            if let text = reader.text("level") {
                if let parsed = levels.value(text, ProgrammeLevel.init(parsing:)) { level = parsed } else {
                    issues.error(line: row.line, column: "level",
                                 "«\(text.prefix(40))»: ожидается region / municipality / school (региональная / муниципальная / школьная)")
                }
            }
            let territory = texts.shared(limited(reader, "territory", 300, &issues)), school = limited(reader, "school", 40, &issues)
            if level == .school && school == nil {
                issues.error(line: row.line, column: "school", "для школьной программы укажите код школы")
            }
            let orderNumber = limited(reader, "order_number", 100, &issues), orderDate = date(reader, "order_date", &issues)
            let goal = texts.shared(limited(reader, "goal", 5000, &issues))
            guard let code, let name, let start, let end, start <= end else { return }
            if let first = seen[code] {
                issues.error(line: row.line, column: "code", "программа «\(code)» уже описана в строке \(file):\(first)")
                return
            }
            seen[code] = row.line
            records.append(ProgrammeRecord(line: row.line, code: code, name: name, start: start, end: end, level: level,
                                           territory: territory, school: school, orderNumber: texts.shared(orderNumber),
                                           orderDate: orderDate, goal: goal))
        }
        empty(count, &issues)
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    /// A period bound: a date, or a year alone (the start of a year is 1 January, its end 31 December).
    static func bound(_ reader: RowReader, _ column: String, start: Bool, _ issues: inout IssueCollector) -> CalendarDay? {
        guard let text = reader.text(column) else {
            issues.error(line: reader.line, column: column, "пустое значение в обязательном столбце")
            return nil
        }
        if let year = Int(text) ?? Int(CellText.trimmed(text, newlines: false)), InputRange.year.contains(year) {
            return start ? CalendarDay(year: year, month: 1, day: 1) : CalendarDay(year: year, month: 12, day: 31)
        }
        if let day = CellText.day(text), InputRange.year.contains(day.year) { return day }
        issues.error(line: reader.line, column: column, "«\(text.prefix(40))»: ожидается год или дата ДД.ММ.ГГГГ")
        return nil
    }

    // MARK: roadmap

    /// Reads a roadmap. Rows with the same programme, section and number replace earlier ones (the later line wins,
    /// with a warning). With `programme` the file is a plan as printed (CONTRACT.md): no `programme` column, the seeds'
    /// titles, and every printed measure kept — one printed twice under one number gets a number of its own.
    ///
    /// Headings, as the seeds print them: a row with text only in its first cell heads the rows below it, and one
    /// that is a year («2021», «2022 год») also gives them their `year` and starts a new part (seed 002 repeats
    /// its numbers 1–28 every year, so the year heading is part of the section). Without a `section` column, a
    /// numbered row with nothing but its title whose number begins the next row's («1.» before «1.1.») is a
    /// heading too. A measure printed without a number gets one unique in its section, and one without a deadline
    /// is kept and waits for a date («нужна дата»); each with a warning naming `FILE:LINE`.
    ///
    /// The rows are walked twice (a CSV is streamed, never held as cells) when the numbers printed are needed: once for
    /// them, once to read. A file with a section and a number on every row (as Opora and the benchmarks write it) is
    /// read in one walk, and read again in two only when a row turns out to need the numbers printed after it.
    public static func parseRoadmap(_ table: some DelimitedRows, file: String, programme chosen: String? = nil) throws
        -> (records: [RoadmapRecord], warnings: [ImportIssue]) {
        do {
            return try readRoadmap(table, file: file, chosen: chosen, lookahead: false)
        } catch is NeedsNumbersPrinted {
            return try readRoadmap(table, file: file, chosen: chosen, lookahead: true)
        }
    }

    /// A row needs the numbers printed below it, which a one-walk reading has not got.
    struct NeedsNumbersPrinted: Error {}

    /// The measures read so far by programme, section and number, compared as bytes. Found by a digest of the three
    /// texts' bytes and confirmed against the record it names: no key text is built, hashed or kept per row (a
    /// «programme|section|number» `String` a row, with its dictionary of a million of them, was a tenth of a
    /// million-row roadmap's import).
    struct MeasureIndex {
        struct Key: Hashable { let programme: ByteKey, section: ByteKey, number: ByteKey }
        private var byDigest: [Int: Int] = [:]
        /// A key whose digest another key had first (a 64-bit coincidence): kept apart, still found.
        private var collided: [Key: Int] = [:]
        /// `MeasureIndex.digest`; a test gives one that makes every key coincide.
        private let digest: (String, String, String) -> Int

        /// `byDigest`: an empty dictionary, reserved for the file's rows (`dictionaryForRows`).
        init(digest: @escaping (String, String, String) -> Int = MeasureIndex.digest, byDigest: [Int: Int] = [:]) {
            self.digest = digest
            self.byDigest = byDigest
        }

        /// The bytes of the three texts, each followed by 0xFF, which UTF-8 never holds: two keys feed the same bytes
        /// only when they are the same.
        static func digest(_ programme: String, _ section: String, _ number: String) -> Int {
            var hasher = Hasher()
            ByteKey.combine(programme, into: &hasher)
            hasher.combine(UInt8(0xFF))
            ByteKey.combine(section, into: &hasher)
            hasher.combine(UInt8(0xFF))
            ByteKey.combine(number, into: &hasher)
            return hasher.finalize()
        }

        static func names(_ record: RoadmapRecord, _ programme: String, _ section: String, _ number: String) -> Bool {
            ByteKey.sameBytes(record.number, number) && ByteKey.sameBytes(record.section, section)
                && ByteKey.sameBytes(record.programme, programme)
        }

        func position(_ programme: String, _ section: String, _ number: String, in records: [RoadmapRecord]) -> Int? {
            guard let found = byDigest[digest(programme, section, number)] else { return nil }
            if Self.names(records[found], programme, section, number) { return found }
            return collided.isEmpty ? nil : collided[Key(programme: ByteKey(programme), section: ByteKey(section), number: ByteKey(number))]
        }

        /// The position of the record with this key; nil when there is none, and `candidate` is its position from now.
        mutating func firstOrAdd(_ candidate: Int, _ programme: String, _ section: String, _ number: String,
                                 in records: [RoadmapRecord]) -> Int? {
            let code = digest(programme, section, number)
            guard let found = byDigest[code] else {
                byDigest[code] = candidate
                return nil
            }
            if Self.names(records[found], programme, section, number) { return found }
            let key = Key(programme: ByteKey(programme), section: ByteKey(section), number: ByteKey(number))
            if let other = collided[key] { return other }
            collided[key] = candidate
            return nil
        }
    }

    /// `lookahead`: walk the rows for their numbers first; without it the walk stops with `NeedsNumbersPrinted` where
    /// they are needed (a heading found by the next row's number, a number to give).
    static func readRoadmap(_ table: some DelimitedRows, file: String, chosen: String?, lookahead wanted: Bool) throws
        -> (records: [RoadmapRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let namesProgramme = table.header.contains { roadmapSchema.lookup[HeaderKey.normalize($0)]?.name == "programme" }
        let schema = chosen == nil && namesProgramme ? roadmapSchema : printedRoadmapSchema
        let header = table.header.map { title in
            schema.lookup[HeaderKey.normalize(title)] == nil ? printedColumn(title) ?? title : title
        }
        let columns = schema.bind(header: header, issues: &issues)
        if chosen == nil && !namesProgramme {
            // A plan pasted from Word names no programme: say how to choose one rather than only that a column is missing.
            issues.error(line: 1, column: "programme", "нет обязательного столбца («программа»); если это план мероприятий как напечатан, "
                + "выберите программу: opora import roadmap ФАЙЛ --programme КОД или поле «Программа» на странице «Загрузка данных»")
        }
        try issues.throwIfFailed()
        let programmeColumn = columns.positions["programme"]
        // Keys compared as bytes, as the database compares a measure's section and number. `index` also tells the
        // numbers taken in each programme's section, so a number given (or a repeated one renumbered) never collides.
        var records: [RoadmapRecord] = table.arrayForRows(), index = MeasureIndex(byDigest: table.dictionaryForRows())
        // Per programme: the section heading in force, and the year heading with its year.
        var heading: [String: String] = [:], yearHeading: [String: (title: String, year: Int)] = [:]
        var lastNumber: [ByteKey: String] = [:]
        // Where the search for a free number resumes, per section and stem: a plan of many unnumbered rows is read
        // in one pass, not by trying «1», «2» … again for each row.
        var suffixes: [String: Int] = [:]
        // A numbered subheading («5.2 Повышение учебной мотивации:» before «5.2.1») heads only the rows numbered under
        // it; the heading it interrupted comes back after them.
        var subheading: [String: (stem: String, parent: String?)] = [:]
        // The first walk: the numbers printed, and the one printed on the next numbered row after each row (a
        // heading's number begins it). Rows with nothing but white space are not rows of the plan.
        var printed: Set<String> = []
        var nextNumber: [String?] = []
        var count = 0
        let numberColumn = columns.positions["number"]
        let lookahead = wanted || (numberColumn != nil && !columns.has("section"))
        if lookahead {
            try table.forEachRow { row in
                count += 1
                guard row.cells.contains(where: { !CellText.isBlank($0) }) else { return }
                guard let column = numberColumn else { return }
                guard row.cells.indices.contains(column) else { nextNumber.append(nil); return }
                let number = CellText.trimmed(row.cells[column], newlines: false)
                printed.insert(number)
                nextNumber.append(number.isEmpty ? nil : row.cells[column])
            }
            empty(count, &issues)
        }
        if numberColumn != nil {
            var following: String? = nil
            for position in nextNumber.indices.reversed() {
                let own = nextNumber[position]
                nextNumber[position] = following
                if let own { following = own }
            }
        }
        if !columns.has("number") {
            // A printed plan may have no number column at all (seed 003's «500+» roadmap): one warning, not one per row.
            issues.warning(line: 1, column: "number",
                           "в плане нет столбца с номерами: мероприятиям даны номера 1, 2, 3 … по порядку в разделе")
        }
        var statuses = Memo<MeasureStatus>(), texts = TextPool()
        var position = -1
        let hasSection = columns.has("section")
        try table.forEachRow { row in
            if !lookahead { count += 1 }
            // Counted rather than listed: the filled positions are listed only for a row that may be the numbering
            // under a printed header (three filled cells or more, the first a number).
            var filledCount = 0, firstFilled = 0
            for index in row.cells.indices where !CellText.isBlank(row.cells[index]) {
                if filledCount == 0 { firstFilled = index }
                filledCount += 1
            }
            guard filledCount > 0 else { return }
            position += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            if filledCount >= 3, startsLikeANumeral(row.cells[firstFilled]),
               isColumnNumbering(row.cells, row.cells.indices.filter { !CellText.isBlank(row.cells[$0]) }) { return }
            let programme = chosen ?? limited(reader, "programme", 40, &issues)
            if programme == nil { issues.error(line: row.line, column: "programme", "пустое значение в обязательном столбце") }
            let key = programme ?? ""
            if filledCount == 1, firstFilled == 0, programmeColumn != 0, !columns.has("section") || columns.positions["section"] != 0 {
                let text = row.cells[0].split(whereSeparator: \.isWhitespace).joined(separator: " ")
                subheading[key] = nil
                if let year = yearOfHeading(text) {
                    yearHeading[key] = (text, year)
                    heading[key] = nil
                } else {
                    heading[key] = text
                }
                return
            }
            let number = limited(reader, "number", 40, &issues)
            // Most files have no headings: no lookups for them on every row.
            if !subheading.isEmpty, let open = subheading[key], !(number.map { startsSubsection($0, of: open.stem) } ?? true) {
                heading[key] = open.parent
                subheading[key] = nil
            }
            let measure = limited(reader, "measure", 5000, &issues)
            let deadline = texts.shared(limited(reader, "deadline", 500, &issues))
            let responsible = texts.shared(limited(reader, "responsible", 2000, &issues))
            let result = texts.shared(limited(reader, "result", 5000, &issues))
            let comment = texts.shared(limited(reader, "comment", 5000, &issues))
            if !hasSection, deadline == nil, responsible == nil, result == nil, reader.text("status") == nil,
               let measure, let number, nextNumber.indices.contains(position),
               let next = nextNumber[position], startsSubsection(next, of: number) {
                if startsSubsection(number, of: heading[key].flatMap { $0.split(separator: " ").first.map(String.init) } ?? "") {
                    subheading[key] = (number, heading[key])
                }
                heading[key] = "\(number) \(measure)"
                return
            }
            if measure == nil { issues.error(line: row.line, column: "measure", "нет текста мероприятия") }
            var status = MeasureStatus.planned
            if let text = reader.text("status") {
                if let parsed = statuses.value(text, MeasureStatus.init(parsing:)) { status = parsed }
                else { issues.error(line: row.line, column: "status", "«\(text.prefix(40))»: ожидается \(MeasureStatus.accepted)") }
            }
            let doneOn = date(reader, "done_on", &issues)
            let year = reader.integer("year", range: InputRange.year, &issues) ?? (yearHeading.isEmpty ? nil : yearHeading[key]?.year)
            let section = texts.shared(limited(reader, "section", 500, &issues)
                ?? [yearHeading[key]?.title, heading[key]].compactMap { $0 }.joined(separator: " — ")) ?? ""
            guard let programme, let measure else { return }
            func taken(_ number: String) -> Bool { index.position(programme, section, number, in: records) != nil }
            var given = number ?? ""
            if number == nil && !columns.has("number") {
                given = freeNumber(after: nil, base: "", in: "\(programme)|\(section)", &suffixes, taken: taken)
            } else if number == nil {
                guard lookahead else { throw NeedsNumbersPrinted() }
                given = freeNumber(after: lastNumber[ByteKey("\(programme)|\(section)")], in: "\(programme)|\(section)", &suffixes) {
                    taken($0) || printed.contains($0)
                }
                issues.warning(line: row.line, column: "number", "номер не указан: мероприятию дан № \(given)")
            } else if chosen != nil, let earlier = index.position(programme, section, given, in: records) {
                guard lookahead else { throw NeedsNumbersPrinted() }
                let renumbered = freeNumber(after: given, in: "\(programme)|\(section)", &suffixes) { taken($0) || printed.contains($0) }
                issues.warning(line: row.line, column: "number",
                               "№ \(given) уже был в строке \(file):\(records[earlier].line); мероприятию дан № \(renumbered)")
                given = renumbered
            }
            if deadline == nil {
                issues.warning(line: row.line, column: "deadline",
                               "срок не указан: мероприятие сохранено, нужна дата — назначьте её на странице дорожной карты")
            }
            // Only a walk that looks ahead gives numbers after the last one printed.
            if lookahead, let number { lastNumber[ByteKey("\(programme)|\(section)")] = number }
            let record = RoadmapRecord(line: row.line, programme: programme, section: section, number: given, measure: measure,
                                       deadline: deadline ?? "", responsible: responsible, result: result, status: status, doneOn: doneOn,
                                       year: year, comment: comment)
            if let earlier = index.firstOrAdd(records.count, programme, section, given, in: records) {
                issues.warning(line: row.line, column: "number",
                               "мероприятие № \(given) раздела «\(section.prefix(60))» уже было в строке "
                                   + "\(file):\(records[earlier].line); взята эта строка")
                records[earlier] = record
            } else {
                records.append(record)
            }
        }
        if !lookahead { empty(count, &issues) }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    /// «2021», «2022 год», «2023 г.»: a year heading.
    static func yearOfHeading(_ text: String) -> Int? {
        let words = HeaderKey.normalize(text).split(whereSeparator: { $0 == " " || $0 == "." })
        guard let first = words.first, first.count == 4, let year = Int(first), InputRange.year.contains(year), words.count <= 2 else {
            return nil
        }
        return words.count == 1 || ["год", "г"].contains(String(words[1])) ? year : nil
    }

    /// The row of column numbers under a printed header («1 2 3 4»).
    static func isColumnNumbering(_ cells: [String], _ filled: [Int]) -> Bool {
        guard filled.count >= 3 else { return false }
        return filled.enumerated().allSatisfy { offset, index in
            guard startsLikeANumeral(cells[index]) else { return false }
            return Int(CellText.trimmed(cells[index]).trimmingCharacters(in: CharacterSet(charactersIn: "."))) == offset + 1
        }
    }

    /// A cell whose text, trimmed, begins with a digit or a dot.
    static func startsLikeANumeral(_ cell: String) -> Bool {
        guard let first = CellText.trimmed(cell).utf8.first else { return false }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: ".")
    }

    /// «1.1.» after «1.» (or «1»): the next row opens a subsection of this one.
    static func startsSubsection(_ next: String, of number: String) -> Bool {
        let stem = number.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard !stem.isEmpty else { return false }
        let child = next.trimmingCharacters(in: .whitespaces)
        return child.hasPrefix(stem + ".") && child.trimmingCharacters(in: CharacterSet(charactersIn: ".")) != stem
    }

    /// A number for a measure printed without one (or printed twice): the previous number with «-1», «-2» …
    /// («1.1.» → «1.1-1»), or «б/н-1» … at a section's start; never one taken in the section.
    /// With `base` "" (no number column at all) the numbers are plain «1», «2» ….
    /// The numbers taken in a section only grow, so the search resumes where the last one for the same stem ended
    /// (`suffixes`, keyed by `section` and stem).
    static func freeNumber(after previous: String?, base fixed: String? = nil, in section: String, _ suffixes: inout [String: Int],
                           taken: (String) -> Bool) -> String {
        let stem = previous.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ". ")) }.flatMap { $0.isEmpty ? nil : $0 }
        let base = fixed ?? stem ?? "б/н"
        let joiner = base.isEmpty ? "" : "-"
        let key = "\(section)|\(base)"
        var suffix = suffixes[key] ?? 1
        while taken("\(base)\(joiner)\(suffix)") { suffix += 1 }
        suffixes[key] = suffix
        return "\(base)\(joiner)\(suffix)"
    }

    // MARK: indicators

    public static func parseIndicators(_ table: some DelimitedRows, file: String) throws
        -> (records: [IndicatorRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = indicatorsSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [IndicatorRecord] = table.arrayForRows(), seen: [TextPair: Int] = table.dictionaryForRows(), count = 0
        var directions = Memo<IndicatorDirection>(), monthLists = Memo<[Int]>(), texts = TextPool()
        try table.forEachRow { row in
            count += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let programme = reader.requiredText("programme", &issues)
            let code = limited(reader, "code", 40, &issues)
            if code == nil { issues.error(line: row.line, column: "code", "пустое значение в обязательном столбце") }
            let name = limited(reader, "name", 2000, &issues)
            if name == nil { issues.error(line: row.line, column: "name", "пустое значение в обязательном столбце") }
            var direction = IndicatorDirection.up
            if let text = reader.text("direction") {
                if let parsed = directions.value(text, IndicatorDirection.init(parsing:)) { direction = parsed }
                else { issues.error(line: row.line, column: "direction", "«\(text.prefix(40))»: ожидается up / down (рост / снижение)") }
            }
            let baseline = reader.decimal("baseline", &issues)
            let baselineYear = reader.integer("baseline_year", range: InputRange.year, &issues)
            var formula: IndicatorFormula? = nil
            if let text = reader.text("formula") {
                formula = IndicatorFormula(rawValue: HeaderKey.normalize(text).replacingOccurrences(of: " ", with: "_"))
                if formula == nil {
                    let known = IndicatorFormula.allCases.map(\.rawValue).joined(separator: ", ")
                    issues.error(line: row.line, column: "formula",
                                 "«\(text.prefix(40))»: Опора считает \(known); иначе оставьте пустым и вносите значения")
                }
            }
            var months: [Int] = []
            if let text = reader.text("months") {
                if let parsed = monthLists.value(text, CollectionMonths.parse) { months = parsed }
                else {
                    issues.error(line: row.line, column: "months",
                                 "«\(text.prefix(60))»: ожидаются месяцы («май, сентябрь») или их номера («5, 9»)")
                }
            }
            let periodicity = texts.shared(limited(reader, "periodicity", 200, &issues))
            let source = texts.shared(limited(reader, "source", 2000, &issues))
            let responsible = texts.shared(limited(reader, "responsible", 500, &issues)), unit = limited(reader, "unit", 40, &issues)
            guard let programme, let code, let name else { return }
            let key = TextPair(first: programme, second: code)
            if let first = seen[key] {
                issues.error(line: row.line, column: "code", "показатель «\(code)» уже описан в строке \(file):\(first)")
                return
            }
            seen[key] = row.line
            records.append(IndicatorRecord(line: row.line, programme: programme, code: code, name: name, unit: unit, direction: direction,
                                           baseline: baseline, baselineYear: baselineYear, formula: formula, periodicity: periodicity,
                                           months: months, source: source, responsible: responsible))
        }
        empty(count, &issues)
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    // MARK: indicator values

    public static func parseValues(_ table: some DelimitedRows, file: String) throws
        -> (records: [IndicatorValueRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = valuesSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [IndicatorValueRecord] = table.arrayForRows(), seen: [ValueKey: Int] = table.dictionaryForRows(), count = 0
        var phases = Memo<MonitoringPhase>(), texts = TextPool()
        try table.forEachRow { row in
            count += 1
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let programme = reader.requiredText("programme", &issues), indicator = reader.requiredText("indicator", &issues)
            let year = reader.integer("year", range: InputRange.year, &issues)
            if reader.text("year") == nil { issues.error(line: row.line, column: "year", "пустое значение в обязательном столбце") }
            let value = reader.decimal("value", range: -1e12...1e12, &issues)
            if reader.text("value") == nil { issues.error(line: row.line, column: "value", "пустое значение в обязательном столбце") }
            let target = reader.decimal("target", range: -1e12...1e12, &issues)
            let presence = reader.integer("presence", range: IndicatorPoints.presenceRange, &issues)
            let dynamics = reader.integer("dynamics", range: IndicatorPoints.dynamicsRange, &issues)
            let documentation = reader.integer("documentation", range: IndicatorPoints.documentationRange, &issues)
            let total = reader.integer("points", range: 0...IndicatorPoints.maximum, &issues)
            let given = [presence, dynamics, documentation].compactMap { $0 }.count
            var points: IndicatorPoints? = nil
            if given == 3, let presence, let dynamics, let documentation {
                points = IndicatorPoints(presence: presence, dynamics: dynamics, documentation: documentation)
                if let total, total != points!.total {
                    issues.error(line: row.line, column: "points",
                                 "\(total) не равно сумме оценок \(presence) + \(dynamics) + \(documentation) = \(points!.total)")
                }
            } else if given > 0, let missing = ["presence", "dynamics", "documentation"].first(where: { reader.text($0) == nil }) {
                // Part of the rubric given and the rest left empty (a value out of range is reported by its column).
                issues.error(line: row.line, column: missing,
                             "оценка по рубрике неполная: нужны все три (наличие 0–2, динамика 0–3, документальное подтверждение 0–2)")
            }
            var phase = MonitoringPhase.final
            if let text = reader.text("phase") {
                if let parsed = phases.value(text, MonitoringPhase.init(parsing:)) { phase = parsed }
                else {
                    issues.error(line: row.line, column: "phase",
                                 "«\(text.prefix(40))»: ожидается entry / intermediate / final (входной / промежуточный / итоговый)")
                }
            }
            let comment = texts.shared(limited(reader, "comment", 2000, &issues))
            guard let programme, let indicator, let year, let value else { return }
            let key = ValueKey(indicator: TextPair(first: programme, second: indicator), year: year, phase: phase)
            if let first = seen[key] {
                issues.error(line: row.line, column: "indicator",
                             "значение показателя «\(indicator)» за \(year) год (\(phase.russianName) этап) "
                                 + "уже есть в строке \(file):\(first)")
                return
            }
            seen[key] = row.line
            records.append(IndicatorValueRecord(line: row.line, programme: programme, indicator: indicator, year: year, phase: phase,
                                                value: value, target: target, points: points, pointsTotal: points == nil ? total : nil,
                                                comment: comment))
        }
        empty(count, &issues)
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }
}
