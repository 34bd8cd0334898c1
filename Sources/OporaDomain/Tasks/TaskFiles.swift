/// The `tasks`, `mark_scales` and `task_benchmarks` files of CONTRACT.md (small tables, read whole).
extension ResultFiles {
    static let taskColumn = ColumnSpec("task", required: true, aliases: ["задание", "номер задания", "№ задания"])

    public static let tasksSchema = TableSchema(kind: "tasks", columns: workColumns + [
        taskColumn,
        ColumnSpec("max_points", required: true, aliases: ["максимальный балл", "макс. балл", "максимальный первичный балл"]),
        ColumnSpec("requirement", aliases: ["проверяемые требования", "проверяемые умения", "умения", "требование", "проверяемое умение"]),
        ColumnSpec("block", aliases: ["блок", "раздел", "блок пооп"]),
        ColumnSpec("level", aliases: ["уровень", "уровень сложности"]),
    ])

    public static let markScalesSchema = TableSchema(kind: "mark_scales", columns: workColumns + [
        ColumnSpec("mark", required: true, aliases: ["отметка"]),
        ColumnSpec("min_primary", required: true, aliases: ["минимальный первичный балл", "первичный балл от", "от"]),
    ])

    public static let taskBenchmarksSchema = TableSchema(kind: "task_benchmarks", columns: workColumns + [
        taskColumn,
        ColumnSpec("level", required: true, aliases: ["уровень"]),
        ColumnSpec("percent", required: true, aliases: ["процент выполнения", "% выполнения", "выполнение"]),
        ColumnSpec("name", aliases: ["наименование", "название"]),
    ])

    /// A `tasks` file: one line per task; a task twice in one work is refused naming both lines.
    public func parseTasks(_ table: DelimitedTable, file: String) throws -> (records: [TaskSpecRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = Self.tasksSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [TaskSpecRecord] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let work = work(reader, &issues)
            let task = reader.requiredText("task", &issues)
            let maximum = reader.integer("max_points", range: 1...100, &issues)
            if reader.text("max_points") == nil { issues.error(line: row.line, column: "max_points",
                "пустое значение в обязательном столбце") }
            var level = TaskLevel.basic
            if let text = reader.text("level") {
                if let parsed = TaskLevel(parsing: text) { level = parsed } else {
                    issues.error(line: row.line, column: "level", "«\(text)»: уровень задания — basic / advanced (базовый / повышенный)")
                }
            }
            guard let work, let task, let maximum else { continue }
            let key = "\(ResultFiles.label(work))|\(TaskSpec.key(task))"
            if let first = seen[key] {
                issues.error(line: row.line, column: "task", "задание «\(task)» этой работы уже было в строке \(first)")
                continue
            }
            seen[key] = row.line
            records.append(TaskSpecRecord(line: row.line, work: work, spec: TaskSpec(
                task: task, maxPoints: maximum, requirement: reader.text("requirement"), block: reader.text("block"), level: level)))
        }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    /// A `mark_scales` file: the lowest primary score of the marks 3, 4, 5; they must rise with the mark.
    public func parseMarkScales(_ table: DelimitedTable, file: String) throws -> (records: [MarkScaleRecord], warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = Self.markScalesSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [MarkScaleRecord] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let work = work(reader, &issues)
            let mark = reader.integer("mark", range: 3...5, &issues)
            let minimum = reader.integer("min_primary", range: 0...1000, &issues)
            if reader.text("mark") == nil { issues.error(line: row.line, column: "mark", "пустое значение в обязательном столбце") }
            if reader.text("min_primary") == nil { issues.error(line: row.line, column: "min_primary",
                "пустое значение в обязательном столбце") }
            guard let work, let mark, let minimum else { continue }
            let key = "\(ResultFiles.label(work))|\(mark)"
            if let first = seen[key] {
                issues.error(line: row.line, column: "mark", "отметка «\(mark)» этой работы уже была в строке \(first)")
                continue
            }
            seen[key] = row.line
            records.append(MarkScaleRecord(line: row.line, work: work, mark: mark, minPrimary: minimum))
        }
        for (_, lines) in Dictionary(grouping: records, by: \.work) {
            let sorted = lines.sorted { $0.mark < $1.mark }
            for (lower, higher) in zip(sorted, sorted.dropFirst()) where higher.minPrimary <= lower.minPrimary {
                issues.error(line: higher.line, column: "min_primary",
                             "порог отметки «\(higher.mark)» (\(higher.minPrimary)) не выше порога «\(lower.mark)» "
                                + "(\(lower.minPrimary), строка \(lower.line))")
            }
        }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    /// A `task_benchmarks` file: percent of completion 0–100 per task and level (`name` for a municipality).
    public func parseTaskBenchmarks(_ table: DelimitedTable, file: String) throws -> (records: [TaskBenchmarkRecord],
        warnings: [ImportIssue]) {
        var issues = IssueCollector(file: file)
        let columns = Self.taskBenchmarksSchema.bind(header: table.header, issues: &issues)
        try issues.throwIfFailed()
        var records: [TaskBenchmarkRecord] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let reader = RowReader(line: row.line, cells: row.cells, columns: columns)
            let work = work(reader, &issues)
            let task = reader.requiredText("task", &issues)
            var level: BenchmarkLevel? = nil
            if let text = reader.requiredText("level", &issues) {
                level = BenchmarkLevel(parsing: text)
                if level == nil { issues.error(line: row.line, column: "level", "«\(text)»: уровень — russia / region / municipality") }
            }
            let percent = reader.decimal("percent", range: 0...100, &issues)
            if reader.text("percent") == nil { issues.error(line: row.line, column: "percent", "пустое значение в обязательном столбце") }
            let name = reader.text("name") ?? ""
            if level == .municipality && name.isEmpty {
                issues.error(line: row.line, column: "name", "для уровня municipality нужно наименование муниципалитета")
            }
            guard let work, let task, let level, let percent else { continue }
            let key = "\(ResultFiles.label(work))|\(TaskSpec.key(task))|\(level.rawValue)|\(name)"
            if let first = seen[key] {
                issues.error(line: row.line, column: "task", "задание «\(task)» этого уровня уже было в строке \(first)")
                continue
            }
            seen[key] = row.line
            records.append(TaskBenchmarkRecord(line: row.line, benchmark: TaskBenchmark(
                work: work, task: task, level: level, name: level == .municipality ? name : "", percent: percent)))
        }
        try issues.throwIfFailed()
        return (records, issues.warnings)
    }

    /// A work as people name it: «ВПР-2023, 5 кл., Математика».
    public static func label(_ work: WorkKey) -> String {
        let subject = SubjectCatalogue.standardNames[work.subject] ?? work.subject
        return "\(work.procedure.russianShortName)-\(work.year), \(work.grade) кл., \(subject)"
    }
}
