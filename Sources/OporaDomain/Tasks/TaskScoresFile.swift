/// One school's pupils in one work, read from a `task_scores` file: the task tally that is stored, and the
/// pupils' rows (primary score = the sum of points, mark, term mark) that also go the `scores` way.
public struct TaskScoreGroup: Sendable {
    public var work: WorkKey
    public var school: String
    public var firstLine: Int
    public var tally: TaskTally
    public var rows: [StudentRow]

    public init(work: WorkKey, school: String, firstLine: Int, tally: TaskTally, rows: [StudentRow]) {
        self.work = work
        self.school = school
        self.firstLine = firstLine
        self.tally = tally
        self.rows = rows
    }

    /// The same pupils as a `scores` group (what `opora stats`, identification and objectivity read).
    public var scoreGroup: ScoreGroup { ScoreGroup(work: work, school: school, firstLine: firstLine, rows: rows) }
}

public struct ParsedTaskScores: Sendable {
    public var groups: [TaskScoreGroup]
    /// The specification each work was read with (from the database or from a «Максимальный балл» row).
    public var specifications: [WorkKey: TaskSpecification]
    /// Works whose specification came from the file itself (to be stored when the database has none).
    public var specifiedByFile: Set<WorkKey>
    /// Pupils' rows read (the «Максимальный балл» row not counted).
    public var rows: Int
    public var warnings: [ImportIssue]

    public init(groups: [TaskScoreGroup], specifications: [WorkKey: TaskSpecification], specifiedByFile: Set<WorkKey>, rows: Int,
                warnings: [ImportIssue]) {
        self.groups = groups
        self.specifications = specifications
        self.specifiedByFile = specifiedByFile
        self.rows = rows
        self.warnings = warnings
    }
}

extension ResultFiles {
    /// The fixed columns of `task_scores`, with the headers of the collection form a school fills; every other
    /// header is a task number.
    public static let taskScoresSchema = TableSchema(kind: "task_scores", columns: workColumns + [
        ColumnSpec("school", required: true, aliases: ["школа", "ОО", "код ОО", "школа/код ОО", "код школы"]),
        ColumnSpec("student", required: true, aliases: ["ученик", "код участника", "код ученика"]),
        ColumnSpec("class", aliases: ["литера", "класс с литерой", "класс (буква)", "буква класса", "буква"]),
        ColumnSpec("variant", aliases: ["вариант"]),
        ColumnSpec("mark", aliases: ["отметка", "отметка за работу", "отметка за ВПР"]),
        ColumnSpec("term_mark", aliases: ["отметка по журналу", "отметка за четверть", "отметка за предыдущую четверть",
                                          "отметка за триместр", "отметка за полугодие"]),
        ColumnSpec("primary_score", aliases: ["первичный балл", "сумма баллов"]),
    ])

    /// The student cell of the row that gives each task's maximum.
    public static let maximaRowLabel = "максимальный балл"

    /// Reads and checks a whole `task_scores` file (CSV bytes; a spreadsheet comes rendered as CSV) against the
    /// specifications already stored; throws `ImportRejected` with every problem if any row is bad.
    public func parseTaskScores(_ bytes: [UInt8], file: String, specifications: [WorkKey: TaskSpecification],
                                limits: ImportLimits = .standard) throws -> ParsedTaskScores {
        guard bytes.count <= limits.fileBytes else {
            throw ImportLimitExceeded(line: 1, message: limits.fileTooLarge(bytes.count)).rejection(file: file)
        }
        let (text, _) = TextEncoding.decodeToUTF8(bytes)
        var reader = TaskScoresReader(files: self, file: file, stored: specifications)
        var records = RecordIterator(bytes: text, delimiter: DelimitedTextReader.detectDelimiter(text), limits: limits)
        do {
            while let (line, cells) = try records.next() {
                if reader.header == nil {
                    reader.bindHeader(cells)
                    if reader.issues.hasErrors { break }
                    continue
                }
                if cells.allSatisfy(\.isEmpty) { continue }
                guard reader.rows < limits.rows else { throw ImportLimitExceeded(line: line, message: limits.tooManyRows) }
                reader.read(line: line, cells: cells)
            }
        } catch let exceeded as ImportLimitExceeded {
            reader.issues.error(line: exceeded.line, column: exceeded.column, exceeded.message)
        }
        return try reader.finish()
    }
}

/// The row-by-row work of `parseTaskScores`.
struct TaskScoresReader {
    let files: ResultFiles
    let stored: [WorkKey: TaskSpecification]
    var issues: IssueCollector
    var header: BoundColumns?
    /// Header position → the task number written there (every header that is not a fixed column).
    var taskColumns: [(position: Int, title: String)] = []
    /// Maxima from a «Максимальный балл» row: for one work, or (work cells left empty) for every work of the file.
    var maximaByWork: [WorkKey: (line: Int, maxima: [Int])] = [:]
    var maximaForAll: (line: Int, maxima: [Int])?
    /// Per work: the specification and, per task of it, the header position of its column.
    var bound: [WorkKey: (spec: TaskSpecification, positions: [Int])] = [:]
    var specifiedByFile: Set<WorkKey> = []
    var unusable: Set<WorkKey> = []
    var groups: [TaskScoreGroup] = []
    var groupIndex: [ScoreGroup.GroupKey: Int] = [:]
    var firstLines: [[String: Int]] = []
    var rows = 0
    /// Positions of year, procedure, grade and subject, and the last row's cells there with the work they gave.
    var workPositions: [Int] = []
    var lastWorkCells: [String] = []
    var lastWork: WorkKey?

    init(files: ResultFiles, file: String, stored: [WorkKey: TaskSpecification]) {
        self.files = files
        self.stored = stored
        issues = IssueCollector(file: file)
    }

    mutating func bindHeader(_ cells: [String]) {
        let schema = ResultFiles.taskScoresSchema
        var positions: [String: Int] = [:]
        var seenTasks: [String: String] = [:]
        for (index, title) in cells.enumerated() {
            let key = HeaderKey.normalize(title)
            if key.isEmpty { continue }
            if let spec = schema.lookup[key] {
                if positions[spec.name] != nil {
                    issues.error(line: 1, column: title, "столбец «\(spec.name)» указан дважды")
                } else {
                    positions[spec.name] = index
                }
                continue
            }
            let task = title.trimmingCharacters(in: .whitespaces)
            if let earlier = seenTasks[TaskSpec.key(task)] {
                issues.error(line: 1, column: task, "столбец задания «\(earlier)» указан дважды")
                continue
            }
            seenTasks[TaskSpec.key(task)] = task
            taskColumns.append((index, task))
        }
        for spec in schema.columns where spec.required && positions[spec.name] == nil {
            issues.error(line: 1, column: spec.name, "нет обязательного столбца («\(spec.aliases.first ?? spec.name)»)")
        }
        if taskColumns.isEmpty { issues.error(line: 1, column: "—", "нет ни одного столбца с номером задания («1», «4.1», «К1» …)") }
        header = BoundColumns(positions: positions)
        workPositions = ["year", "procedure", "grade", "subject"].map { positions[$0] ?? Int.max }
    }

    func cell(_ cells: [String], _ position: Int) -> String {
        position < cells.count ? cells[position] : ""
    }

    static func isNoValue(_ text: String) -> Bool { text.isEmpty || text == "—" || text == "-" || text == "–" }

    static func isNotAttempted(_ text: String) -> Bool { text == "Х" || text == "X" || text == "х" || text == "x" }

    /// A small whole number written plainly (points and maxima), else nil.
    static func points(_ text: String) -> Int? {
        let utf8 = text.utf8
        if utf8.count == 1, let byte = utf8.first, byte >= 0x30, byte <= 0x39 { return Int(byte - 0x30) }
        guard let value = NumberParsing.decimal(text), value == value.rounded(), value >= 0, value < 1000 else { return nil }
        return Int(value)
    }

    mutating func read(line: Int, cells: [String]) {
        guard let header else { return }
        let row = RowReader(line: line, cells: cells, columns: header)
        if let student = row.text("student"), HeaderKey.normalize(student) == ResultFiles.maximaRowLabel {
            readMaxima(row, cells: cells)
            return
        }
        rows += 1
        let work = cachedWork(row, cells: cells)
        let school = row.requiredText("school", &issues)
        let student = row.requiredText("student", &issues)
        let mark = row.integer("mark", range: 2...5, &issues)
        let termMark = row.integer("term_mark", range: 2...5, &issues)
        let writtenPrimary = row.integer("primary_score", range: 0...1000, &issues)
        guard let work else { return }
        guard let (spec, positions) = specification(for: work, line: line) else { return }
        var points = Array(repeating: 0, count: spec.tasks.count)
        var skipped = Array(repeating: false, count: spec.tasks.count)
        var valid = true
        for (index, task) in spec.tasks.enumerated() {
            let text = cell(cells, positions[index])
            // The column's title as the file writes it, found only when a problem is worded.
            var column: String { taskColumns.first { $0.position == positions[index] }?.title ?? task.task }
            if let value = Self.points(text), value <= task.maxPoints {
                points[index] = value
            } else if Self.isNotAttempted(text) {
                skipped[index] = true
            } else if Self.isNoValue(text) {
                issues.error(line: line, column: column, "пустая ячейка: укажите баллы за задание или «Х», если ученик к нему не приступал")
                valid = false
            } else if let value = Self.points(text) {
                issues.error(line: line, column: column, "\(value) больше максимального балла задания (\(task.maxPoints))")
                valid = false
            } else {
                issues.error(line: line, column: column, "«\(text)» — не балл: нужно целое число от 0 до \(task.maxPoints) или «Х»")
                valid = false
            }
        }
        let primary = points.reduce(0, +)
        if valid, let writtenPrimary, writtenPrimary != primary {
            issues.error(line: line, column: "primary_score",
                "первичный балл \(writtenPrimary) не равен сумме баллов по заданиям (\(primary))")
        }
        guard let school, let student else { return }
        let index = group(work, school, spec: spec, line: line)
        if let first = firstLines[index][student] {
            issues.error(line: line, column: "student", "ученик «\(student)» дважды в одной работе (см. строку \(first))")
            return
        }
        firstLines[index][student] = line
        guard valid, !issues.hasErrors else { return }
        groups[index].tally.add(points: points, notAttempted: skipped, mark: mark)
        groups[index].rows.append(StudentRow(student: student, className: row.text("class"), variant: row.text("variant"),
                                             result: StudentResult(mark: mark, termMark: termMark, primaryScore: Double(primary))))
    }

    /// The row's work: parsed once for a run of rows with the same work cells (a school's form repeats them on every line).
    mutating func cachedWork(_ row: RowReader, cells: [String]) -> WorkKey? {
        let same = lastWorkCells.count == workPositions.count
            && zip(workPositions, lastWorkCells).allSatisfy { cell(cells, $0.0) == $0.1 }
        if same, let lastWork { return lastWork }
        let work = files.work(row, &issues)
        lastWorkCells = workPositions.map { cell(cells, $0) }
        lastWork = work
        return work
    }

    /// A «Максимальный балл» row: each task's maximum, for the row's work or (work cells empty) for the whole file.
    mutating func readMaxima(_ row: RowReader, cells: [String]) {
        var maxima: [Int] = []
        var valid = true
        for (position, title) in taskColumns {
            let text = cell(cells, position)
            if let value = Self.points(text), value >= 1 {
                maxima.append(value)
            } else {
                issues.error(line: row.line, column: title,
                    "в строке «Максимальный балл» нужен максимальный балл задания (целое число от 1)")
                valid = false
            }
        }
        guard valid else { return }
        let workGiven = ["year", "procedure", "grade", "subject"].contains { row.text($0) != nil }
        if workGiven {
            guard let work = files.work(row, &issues) else { return }
            if maximaByWork[work] != nil || bound[work] != nil {
                issues.error(line: row.line, column: "student",
                    "строка «Максимальный балл» этой работы должна быть одна и стоять до строк учеников")
                return
            }
            maximaByWork[work] = (row.line, maxima)
        } else {
            if maximaForAll != nil || !bound.isEmpty {
                issues.error(line: row.line, column: "student", "строка «Максимальный балл» должна быть одна и стоять до строк учеников")
                return
            }
            maximaForAll = (row.line, maxima)
        }
    }

    /// The specification a work's rows are read with, bound to the header the first time the work appears:
    /// every task column must be a task of it and every task of it must have a column.
    mutating func specification(for work: WorkKey, line: Int) -> (TaskSpecification, [Int])? {
        if let ready = bound[work] { return ready }
        if unusable.contains(work) { return nil }
        let label = ResultFiles.label(work)
        var spec = stored[work]
        if let given = maximaByWork[work] ?? maximaForAll {
            if let known = spec {
                // Both given: the file's maxima must agree with the stored specification.
                for (offset, column) in taskColumns.enumerated() {
                    if let index = known.index(of: column.title), known.tasks[index].maxPoints != given.maxima[offset] {
                        issues.error(line: given.line, column: column.title, "максимальный балл \(given.maxima[offset]) не совпадает "
                                     + "со спецификацией работы «\(label)» (\(known.tasks[index].maxPoints))")
                    }
                }
            } else {
                spec = TaskSpecification(work: work, tasks: zip(taskColumns, given.maxima).map { TaskSpec(task: $0.title, maxPoints: $1) })
                specifiedByFile.insert(work)
            }
        }
        guard let spec else {
            issues.error(line: line, column: "—", "нет спецификации работы «\(label)»: загрузите файл tasks "
                         + "или добавьте строку «Максимальный балл» перед строками учеников")
            unusable.insert(work)
            return nil
        }
        var positions: [Int] = Array(repeating: -1, count: spec.tasks.count)
        var fits = true
        for column in taskColumns {
            if let index = spec.index(of: column.title) {
                positions[index] = column.position
            } else {
                issues.error(line: 1, column: column.title, "нет такого задания в спецификации работы «\(label)»")
                fits = false
            }
        }
        for (index, task) in spec.tasks.enumerated() where positions[index] < 0 {
            issues.error(line: 1, column: task.task, "нет столбца задания «\(task.task)» работы «\(label)»")
            fits = false
        }
        guard fits else {
            unusable.insert(work)
            return nil
        }
        bound[work] = (spec, positions)
        return (spec, positions)
    }

    mutating func group(_ work: WorkKey, _ school: String, spec: TaskSpecification, line: Int) -> Int {
        if let last = groups.indices.last, groups[last].school == school, groups[last].work == work { return last }
        let key = ScoreGroup.GroupKey(work: work, school: school)
        if let index = groupIndex[key] { return index }
        groupIndex[key] = groups.count
        groups.append(TaskScoreGroup(work: work, school: school, firstLine: line, tally: TaskTally(spec: spec), rows: []))
        firstLines.append([:])
        return groups.count - 1
    }

    func finish() throws -> ParsedTaskScores {
        var issues = issues
        if header == nil { issues.error(line: 1, column: "—", "файл пуст") }
        if rows == 0 && !issues.hasErrors { issues.error(line: 2, column: "—", "в файле нет ни одной строки с баллами учеников") }
        try issues.throwIfFailed()
        var specifications: [WorkKey: TaskSpecification] = [:]
        for (work, entry) in bound { specifications[work] = entry.spec }
        return ParsedTaskScores(groups: groups, specifications: specifications, specifiedByFile: specifiedByFile, rows: rows,
                                warnings: issues.warnings)
    }
}
