/// A task of a work as its КИМ specification names it: basic (the default) or advanced.
public enum TaskLevel: String, Sendable, Codable, CaseIterable {
    case basic, advanced

    public var russianName: String {
        switch self {
        case .basic: "базовый"
        case .advanced: "повышенный"
        }
    }

    /// FIOKO's mastery threshold (percent): below it a task is not yet mastered.
    public var masteryThreshold: Double {
        switch self {
        case .basic: 60
        case .advanced: 30
        }
    }

    public init?(parsing text: String) {
        switch HeaderKey.normalize(text) {
        case "basic", "базовый", "б", "базовый уровень": self = .basic
        case "advanced", "повышенный", "п", "повышенный уровень", "высокий", "в": self = .advanced
        default: return nil
        }
    }
}

/// One task of a specification: its number as printed (`1`, `4.1`, `5(2)`, `К1`), maximum points,
/// the requirement (умение) it checks, its block and level.
public struct TaskSpec: Sendable, Hashable, Codable {
    public var task: String
    public var maxPoints: Int
    public var requirement: String?
    public var block: String?
    public var level: TaskLevel

    public init(task: String, maxPoints: Int, requirement: String? = nil, block: String? = nil, level: TaskLevel = .basic) {
        self.task = task
        self.maxPoints = maxPoints
        self.requirement = requirement
        self.block = block
        self.level = level
    }

    /// How a task number is compared: without spaces, a Latin «K» read as the Cyrillic «К» (both are printed).
    public static func key(_ task: String) -> String {
        var result = ""
        for character in task where !character.isWhitespace {
            switch character {
            case "K", "k", "к": result.append("К")
            default: result.append(character)
            }
        }
        return result
    }
}

/// The specification of one work: its tasks in printed order.
public struct TaskSpecification: Sendable, Hashable, Codable {
    public var work: WorkKey
    public var tasks: [TaskSpec]

    public init(work: WorkKey, tasks: [TaskSpec]) {
        self.work = work
        self.tasks = tasks
    }

    /// The work's maximum primary score: the sum of its tasks' maxima.
    public var maxPrimary: Int { tasks.reduce(0) { $0 + $1.maxPoints } }

    /// The position of a task (compared by `TaskSpec.key`), or nil when the work has no such task.
    public func index(of task: String) -> Int? {
        let key = TaskSpec.key(task)
        return tasks.firstIndex { TaskSpec.key($0.task) == key }
    }
}

/// A work's scale: the lowest primary score for the marks 3, 4 and 5 (below the «3» is a «2»).
public struct MarkScale: Sendable, Hashable, Codable {
    public var work: WorkKey
    /// mark (3, 4, 5) → the lowest primary score for it.
    public var minimums: [Int: Int]

    public init(work: WorkKey, minimums: [Int: Int]) {
        self.work = work
        self.minimums = minimums
    }

    /// The mark the scale gives a primary score.
    public func mark(forPrimary primary: Int) -> Int {
        var mark = 2
        for candidate in [3, 4, 5] { if let minimum = minimums[candidate], primary >= minimum { mark = candidate } }
        return mark
    }

    /// The boundaries (mark, lowest primary score), ascending.
    public var boundaries: [(mark: Int, primary: Int)] {
        minimums.sorted { $0.key < $1.key }.map { (mark: $0.key, primary: $0.value) }
    }
}

/// The region's or Russia's (or a named municipality's) completion of one task (`task_benchmarks`).
public struct TaskBenchmark: Sendable, Hashable, Codable {
    public var work: WorkKey
    public var task: String
    public var level: BenchmarkLevel
    public var name: String
    public var percent: Double

    public init(work: WorkKey, task: String, level: BenchmarkLevel, name: String = "", percent: Double) {
        self.work = work
        self.task = task
        self.level = level
        self.name = name
        self.percent = percent
    }
}

/// A line of a `tasks` file.
public struct TaskSpecRecord: Sendable, Hashable {
    public var line: Int
    public var work: WorkKey
    public var spec: TaskSpec

    public init(line: Int, work: WorkKey, spec: TaskSpec) {
        self.line = line
        self.work = work
        self.spec = spec
    }
}

/// A line of a `mark_scales` file.
public struct MarkScaleRecord: Sendable, Hashable {
    public var line: Int
    public var work: WorkKey
    public var mark: Int
    public var minPrimary: Int

    public init(line: Int, work: WorkKey, mark: Int, minPrimary: Int) {
        self.line = line
        self.work = work
        self.mark = mark
        self.minPrimary = minPrimary
    }
}

/// A line of a `task_benchmarks` file.
public struct TaskBenchmarkRecord: Sendable, Hashable {
    public var line: Int
    public var benchmark: TaskBenchmark

    public init(line: Int, benchmark: TaskBenchmark) {
        self.line = line
        self.benchmark = benchmark
    }
}
