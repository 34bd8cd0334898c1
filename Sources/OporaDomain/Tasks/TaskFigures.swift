/// What one school's pupils scored in one work, task by task: the stored aggregate (one per school × work),
/// which adds up to a municipality and a region without any pupil's row.
public struct TaskTally: Sendable, Hashable, Codable {
    public var work: WorkKey
    /// Task numbers in the specification's order; `points` and `notAttempted` follow it.
    public var tasks: [String]
    public var participants: Int
    /// Points scored on each task, summed over the pupils («Х» counts 0).
    public var points: [Int]
    /// Pupils with «Х» (not attempted) on each task.
    public var notAttempted: [Int]
    /// Pupils by mark and primary score: `byMark[slot][score]`, slot 0 no mark, 1…4 the marks 2…5; score 0…maximum.
    public var byMark: [[Int]]

    public init(spec: TaskSpecification) {
        work = spec.work
        tasks = spec.tasks.map(\.task)
        participants = 0
        points = Array(repeating: 0, count: spec.tasks.count)
        notAttempted = points
        byMark = Array(repeating: Array(repeating: 0, count: spec.maxPrimary + 1), count: 5)
    }

    public init(work: WorkKey, tasks: [String], participants: Int, points: [Int], notAttempted: [Int], byMark: [[Int]]) {
        self.work = work
        self.tasks = tasks
        self.participants = participants
        self.points = points
        self.notAttempted = notAttempted
        self.byMark = byMark
    }

    /// The slot of `byMark` for a mark (nil or outside 2–5: slot 0).
    public static func slot(mark: Int?) -> Int {
        guard let mark, (2...5).contains(mark) else { return 0 }
        return mark - 1
    }

    /// Adds one pupil: points per task in the specification's order, which tasks were «Х», the mark set.
    public mutating func add(points pupilPoints: [Int], notAttempted skipped: [Bool], mark: Int?) {
        participants += 1
        var primary = 0
        for index in pupilPoints.indices {
            points[index] += pupilPoints[index]
            primary += pupilPoints[index]
            if skipped[index] { notAttempted[index] += 1 }
        }
        let slot = Self.slot(mark: mark)
        if primary >= byMark[slot].count {
            for row in byMark.indices { byMark[row] += Array(repeating: 0, count: primary + 1 - byMark[row].count) }
        }
        byMark[slot][primary] += 1
    }

    /// Adds another school's tally of the same work (tasks matched by number, so a tally stored under
    /// an older specification still adds up).
    public mutating func merge(_ other: TaskTally) {
        participants += other.participants
        if other.tasks == tasks {
            // The usual case — schools of one work share its specification's order — adds position by position; a
            // region sums a thousand tallies per page.
            for index in tasks.indices {
                points[index] += other.points[index]
                notAttempted[index] += other.notAttempted[index]
            }
        } else {
            mergeTasks(other)
        }
        let width = max(byMark.first?.count ?? 0, other.byMark.first?.count ?? 0)
        for slot in 0..<5 {
            if byMark[slot].count < width { byMark[slot] += Array(repeating: 0, count: width - byMark[slot].count) }
            for (score, count) in other.byMark[slot].enumerated() { byMark[slot][score] += count }
        }
    }

    /// Tasks matched by number as written («К1» = «K1», spaces ignored); a task only the other has is appended.
    mutating func mergeTasks(_ other: TaskTally) {
        let mine = Dictionary(tasks.enumerated().map { (TaskSpec.key($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })
        for (index, task) in other.tasks.enumerated() {
            if let mine = mine[TaskSpec.key(task)] {
                points[mine] += other.points[index]
                notAttempted[mine] += other.notAttempted[index]
            } else {
                tasks.append(task)
                points.append(other.points[index])
                notAttempted.append(other.notAttempted[index])
            }
        }
    }

    /// The tallies of several schools added up (nil when there are none).
    public static func sum(_ tallies: [TaskTally]) -> TaskTally? {
        guard var total = tallies.first else { return nil }
        for tally in tallies.dropFirst() { total.merge(tally) }
        return total
    }

    /// Pupils at each primary score (every mark together), 0 … the highest score held.
    public var histogram: [Int] {
        let width = byMark.first?.count ?? 0
        return (0..<width).map { score in byMark.reduce(0) { $0 + $1[score] } }
    }

    /// Points scored on a task (by number), or nil when the tally has no such task.
    public func points(of task: String) -> Int? {
        let key = TaskSpec.key(task)
        return tasks.firstIndex { TaskSpec.key($0) == key }.map { points[$0] }
    }
}

/// One line of «Достижение планируемых результатов»: a task with the scope's completion and the comparisons.
public struct TaskLine: Sendable, Hashable, Codable {
    public var task: String
    public var maxPoints: Int
    public var requirement: String?
    public var block: String?
    public var level: TaskLevel
    /// Points scored and possible (participants × maximum) in the scope.
    public var points: Int
    public var possible: Int
    /// points / possible × 100, unrounded; nil without participants.
    public var percent: Double?
    /// The same over every pupil of the school's municipality Opora holds (nil for a region's report).
    public var municipality: Double?
    /// From `task_benchmarks` (nil when absent).
    public var region: Double?
    public var russia: Double?
    /// The region as Opora holds it (all its pupils), used where the region's benchmark is absent.
    public var regionHeld: Double?
    public var deficit: Bool

    public init(task: String, maxPoints: Int, requirement: String? = nil, block: String? = nil, level: TaskLevel = .basic, points: Int,
                possible: Int, percent: Double?, municipality: Double? = nil, region: Double? = nil, russia: Double? = nil,
                regionHeld: Double? = nil, deficit: Bool) {
        self.task = task
        self.maxPoints = maxPoints
        self.requirement = requirement
        self.block = block
        self.level = level
        self.points = points
        self.possible = possible
        self.percent = percent
        self.municipality = municipality
        self.region = region
        self.russia = russia
        self.regionHeld = regionHeld
        self.deficit = deficit
    }
}

/// The task-by-task figures of one work for a school, a municipality or a region (`opora tasks`).
public struct TaskReport: Sendable, Hashable, Codable {
    public var work: WorkKey
    public var participants: Int
    /// Fewer than `TaskFigures.smallGroup` participants.
    public var small: Bool
    public var tasks: [TaskLine]
    /// Pupils at each primary score from 0 to the work's maximum, zeros included.
    public var histogram: [Int]
    /// The work's scale when loaded (mark boundaries for the histogram).
    public var scale: MarkScale?

    public init(work: WorkKey, participants: Int, small: Bool, tasks: [TaskLine], histogram: [Int], scale: MarkScale? = nil) {
        self.work = work
        self.participants = participants
        self.small = small
        self.tasks = tasks
        self.histogram = histogram
        self.scale = scale
    }
}

/// The rules of CONTRACT's `opora tasks`: completion, the deficit rule, the histogram, the small group.
public enum TaskFigures {
    /// Below this many participants a figure is shown as a small group's (as everywhere in Opora).
    public static let smallGroup = 5
    /// A task this many percentage points or more below the region's is a deficit whatever its level.
    public static let belowRegion = 10.0

    /// Points scored over points possible × 100; nil when nothing was possible.
    public static func percent(points: Int, possible: Int) -> Double? {
        possible > 0 ? Double(points) / Double(possible) * 100 : nil
    }

    /// Rounded to hundredths, as `opora tasks` prints it.
    public static func rounded(_ value: Double?) -> Double? {
        value.map { ($0 * 100).rounded() / 100 }
    }

    /// CONTRACT: below FIOKO's mastery threshold for the level (60 basic, 30 advanced), or at least
    /// 10 points below the region's where that is known.
    public static func isDeficit(percent: Double?, level: TaskLevel, region: Double?) -> Bool {
        guard let percent else { return false }
        if percent < level.masteryThreshold { return true }
        if let region, region - percent >= belowRegion - 1e-9 { return true }
        return false
    }

    /// The report for one scope: `tally` is the scope's pupils (nil: none), `municipality` the school's
    /// municipality (for a school's or municipality's report), `region` every pupil of the region Opora holds,
    /// `benchmarks` the work's `task_benchmarks` (region and Russia by level).
    public static func report(spec: TaskSpecification, tally: TaskTally?, municipality: TaskTally? = nil, region: TaskTally? = nil,
                              benchmarks: [TaskBenchmark] = [], scale: MarkScale? = nil) -> TaskReport {
        let participants = tally?.participants ?? 0
        func benchmark(_ task: String, _ level: BenchmarkLevel) -> Double? {
            let key = TaskSpec.key(task)
            return benchmarks.first { $0.level == level && TaskSpec.key($0.task) == key }?.percent
        }
        func held(_ tally: TaskTally?, _ spec: TaskSpec) -> Double? {
            guard let tally, let points = tally.points(of: spec.task) else { return nil }
            return percent(points: points, possible: tally.participants * spec.maxPoints)
        }
        let lines = spec.tasks.map { task -> TaskLine in
            let points = tally?.points(of: task.task) ?? 0
            let possible = participants * task.maxPoints
            let value = percent(points: points, possible: possible)
            let regionBenchmark = benchmark(task.task, .region)
            return TaskLine(task: task.task, maxPoints: task.maxPoints, requirement: task.requirement, block: task.block, level: task.level,
                            points: points, possible: possible, percent: value, municipality: held(municipality, task),
                                region: regionBenchmark,
                            russia: benchmark(task.task, .russia), regionHeld: held(region, task),
                            deficit: isDeficit(percent: value, level: task.level, region: regionBenchmark))
        }
        var histogram = Array(repeating: 0, count: spec.maxPrimary + 1)
        for (score, count) in (tally?.histogram ?? []).enumerated() where count > 0 {
            if score >= histogram.count { histogram += Array(repeating: 0, count: score + 1 - histogram.count) }
            histogram[score] += count
        }
        return TaskReport(work: spec.work, participants: participants, small: participants < smallGroup, tasks: lines,
                          histogram: histogram, scale: scale)
    }
}

/// Deficits gathered across tasks, grades and years: by requirement (умение) or by block.
public struct DeficitGroup: Sendable, Hashable, Codable {
    public enum Grouping: String, Sendable, Codable { case requirement, block }

    /// The requirement's or block's text («требование не указано» / «блок не указан» when the specification has none).
    public var name: String
    /// The works where a task of this group was a deficit, ascending.
    public var works: [WorkKey]
    /// The deficit tasks as «ВПР-2023, 5 кл., Математика: 4.1».
    public var tasks: [String]
    /// Pooled over every task of the group in those reports (deficit or not): points over possible.
    public var points: Int
    public var possible: Int
    public var percent: Double?
    public var deficitTasks: Int
    public var allTasks: Int
}

extension TaskFigures {
    /// Groups with at least one deficit task, the weakest first (lowest pooled percent, then name).
    public static func deficits(_ reports: [TaskReport], by grouping: DeficitGroup.Grouping) -> [DeficitGroup] {
        var groups: [String: DeficitGroup] = [:]
        for report in reports {
            for line in report.tasks {
                let raw = grouping == .requirement ? line.requirement : line.block
                let name = raw ?? (grouping == .requirement ? "требование не указано" : "блок не указан")
                var group = groups[name] ?? DeficitGroup(name: name, works: [], tasks: [], points: 0, possible: 0, percent: nil,
                                                        deficitTasks: 0, allTasks: 0)
                group.points += line.points
                group.possible += line.possible
                group.allTasks += 1
                if line.deficit {
                    group.deficitTasks += 1
                    group.tasks.append("\(ResultFiles.label(report.work)): \(line.task)")
                    if !group.works.contains(report.work) { group.works.append(report.work) }
                }
                groups[name] = group
            }
        }
        return groups.values.filter { $0.deficitTasks > 0 }.map { group in
            var group = group
            group.works.sort()
            group.percent = percent(points: group.points, possible: group.possible)
            return group
        }.sorted { ($0.percent ?? 0, $0.name) < ($1.percent ?? 0, $1.name) }
    }
}
