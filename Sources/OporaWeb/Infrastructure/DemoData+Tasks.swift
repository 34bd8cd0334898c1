import Fluent
import Foundation
import OporaData
import OporaDomain

/// Task-level ВПР results for the demo territory (issue 20): the specification, scale and region's and Russia's
/// completion of «ВПР, 5 класс, математика» for the last two years, and each pupil's points per task. The pupils are
/// the demo's own (same codes, marks and primary scores), their primary score spread over the tasks, so every other
/// figure of the demo stays as it was. One school has a peak at the «3» boundary, one does hard tasks better than easy.
extension DemoData {
    static let taskWorkGrade = 5
    static let taskWorkSubject = "math"

    /// Twelve tasks, 20 points: tasks 10–12 advanced.
    static let demoTasks: [(task: String, max: Int, requirement: String, block: String, level: TaskLevel, region: Double,
        russia: Double)] = [
        ("1", 1, "Развитие представлений о натуральных числах и свойствах делимости", "Числа и вычисления", .basic, 81.2, 83.0),
        ("2", 1, "Выполнение арифметических действий с обыкновенными дробями", "Числа и вычисления", .basic, 66.4, 69.1),
        ("3", 1, "Выполнение арифметических действий с десятичными дробями", "Числа и вычисления", .basic, 71.5, 72.8),
        ("4", 1, "Решение задач на нахождение части числа и числа по его части", "Текстовые задачи", .basic, 58.9, 61.7),
        ("5", 2, "Решение текстовых задач арифметическим способом", "Текстовые задачи", .basic, 55.3, 57.2),
        ("6", 1, "Чтение и анализ информации, представленной в таблицах и на диаграммах", "Статистика и данные", .basic, 74.8, 76.5),
        ("7", 2, "Вычисление значения числового выражения в несколько действий", "Числа и вычисления", .basic, 52.6, 55.4),
        ("8", 2, "Вычисление периметра и площади прямоугольника и квадрата", "Геометрия", .basic, 49.7, 52.3),
        ("9", 2, "Построение геометрических фигур на клетчатой бумаге", "Геометрия", .basic, 61.0, 63.9),
        ("10", 2, "Решение задач на движение и на работу", "Текстовые задачи", .advanced, 33.1, 35.6),
        ("11", 2, "Решение логических задач методом рассуждений", "Логика", .advanced, 27.4, 29.8),
        ("12", 3, "Решение задач повышенной трудности: построение цепочки рассуждений", "Логика", .advanced, 12.6, 14.9),
    ]

    static func demoSpecification(year: Int) -> TaskSpecification {
        TaskSpecification(work: WorkKey(year: year, procedure: .vpr, grade: taskWorkGrade, subject: taskWorkSubject),
                          tasks: demoTasks.map { TaskSpec(task: $0.task, maxPoints: $0.max, requirement: $0.requirement, block: $0.block,
                                                          level: $0.level) })
    }

    static func loadTasks(into db: any Database, actor: Actor) async throws {
        let years = Array(resultYears.suffix(2))
        let importer = TaskImporter(db: db, actor: actor)
        var specRecords: [TaskSpecRecord] = [], scales: [MarkScaleRecord] = [], benchmarks: [TaskBenchmarkRecord] = []
        for year in years {
            let spec = demoSpecification(year: year)
            specRecords += spec.tasks.enumerated().map { TaskSpecRecord(line: $0.offset + 2, work: spec.work, spec: $0.element) }
            // The scale of a 20-point work: «3» from 5, «4» from 10, «5» from 15.
            scales += [(3, 5), (4, 10), (5, 15)].map { MarkScaleRecord(line: 0, work: spec.work, mark: $0.0, minPrimary: $0.1) }
            for task in demoTasks {
                benchmarks.append(TaskBenchmarkRecord(line: 0, benchmark: TaskBenchmark(work: spec.work, task: task.task, level: .region,
                                                                                        percent: task.region)))
                benchmarks.append(TaskBenchmarkRecord(line: 0, benchmark: TaskBenchmark(work: spec.work, task: task.task, level: .russia,
                                                                                        percent: task.russia)))
            }
        }
        _ = try await importer.writeTasks(specRecords, fileName: "demo-tasks.csv")
        _ = try await importer.writeMarkScales(scales, fileName: "demo-mark-scales.csv")
        _ = try await importer.writeTaskBenchmarks(benchmarks, fileName: "demo-task-benchmarks.csv")

        // The demo's pupils again (the generator is seeded), only this work.
        let profiles = DemoMunicipality.schools().map {
            SyntheticResults.profile(code: $0.code, students: $0.students ?? 0, rural: $0.settlement == .rural,
                                     selective: $0.name.contains("Лицей") || $0.name.contains("Гимназия"))
        }
        var byGroup: [String: [ScoreRecord]] = [:]
        var order: [String] = []
        SyntheticResults.generate(profiles: profiles, years: resultYears, works: SyntheticResults.demoWorks, seed: 2025) { record in
            guard years.contains(record.work.year), record.work.procedure == .vpr, record.work.grade == taskWorkGrade,
                  record.work.subject == taskWorkSubject else { return }
            let key = "\(record.school)|\(record.work.year)"
            if byGroup[key] == nil { order.append(key) }
            byGroup[key, default: []].append(record)
        }
        // Three schools of the last spring with at least 20 pupils show one marker each: the first a peak at the «3»
        // boundary, the second hard tasks done better than easy ones, the third marks that do not follow the scale.
        // Every other pupil's primary score is kept within their mark's band of the scale.
        let latest = years.last!
        let shown = order.compactMap { key -> String? in
            guard let records = byGroup[key], records.count >= 20, records.first?.work.year == latest else { return nil }
            return records.first?.school
        }.sorted()
        let peak = shown.first, hardFirst = shown.dropFirst().first, offScale = shown.dropFirst(2).first
        let bands: [Int: ClosedRange<Int>] = [2: 0...4, 3: 5...9, 4: 10...14, 5: 15...20]
        var groups: [TaskScoreGroup] = []
        for key in order {
            guard let records = byGroup[key], let first = records.first else { continue }
            let spec = demoSpecification(year: first.work.year)
            let school = first.work.year == latest ? first.school : ""
            var random = SeededRandom(seed: key.hashValueStable)
            var tally = TaskTally(spec: spec)
            var rows: [StudentRow] = []
            for record in records {
                var primary = Int(record.result.primaryScore ?? 0)
                if school != offScale, let mark = record.result.mark, let band = bands[mark], !band.contains(primary) {
                    primary = random.int(band)
                }
                if school == peak, record.result.mark == 3, random.chance(0.6) { primary = 5 }
                let (points, skipped) = spread(primary, spec: spec, hardFirst: school == hardFirst, random: &random)
                tally.add(points: points, notAttempted: skipped, mark: record.result.mark)
                var result = record.result
                result.primaryScore = Double(points.reduce(0, +))
                rows.append(StudentRow(student: record.student, className: record.className, variant: record.variant, result: result))
            }
            groups.append(TaskScoreGroup(work: spec.work, school: first.school, firstLine: 0, tally: tally, rows: rows))
        }
        var specifications: [WorkKey: TaskSpecification] = [:]
        for year in years { specifications[demoSpecification(year: year).work] = demoSpecification(year: year) }
        let parsed = ParsedTaskScores(groups: groups, specifications: specifications, specifiedByFile: [],
                                      rows: groups.reduce(0) { $0 + $1.rows.count }, warnings: [])
        _ = try await importer.writeTaskScores(parsed, fileName: "demo-task-scores.csv")
    }

    /// A primary score spread over the tasks: the easier tasks (by the region's completion, with noise) take their
    /// points first; a task left at 0 is sometimes «Х».
    static func spread(_ primary: Int, spec: TaskSpecification, hardFirst: Bool, random: inout SeededRandom) -> ([Int], [Bool]) {
        let ease = demoTasks.map { task -> Double in
            let base = task.region + random.double(-25...25)
            return hardFirst && task.level == .advanced ? base + 80 : base
        }
        var points = Array(repeating: 0, count: spec.tasks.count)
        var left = min(primary, spec.maxPrimary)
        for index in ease.indices.sorted(by: { ease[$0] > ease[$1] }) where left > 0 {
            let given = min(left, spec.tasks[index].maxPoints)
            points[index] = given
            left -= given
        }
        let skipped = points.indices.map { points[$0] == 0 && random.chance(spec.tasks[$0].level == .advanced ? 0.35 : 0.1) }
        return (points, skipped)
    }
}
