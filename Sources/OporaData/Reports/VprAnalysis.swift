import OporaDomain

/// «Анализ результатов ВПР» for one place (a school, a municipality or a region) and a year, work by work: the
/// domain's `TaskReport`s and `TaskMarker`s (through `TaskRepository`), the region's distribution beside each, and the
/// deficits grouped by `TaskFigures.deficits` — what the pages show, `opora report vpr` writes and the support cycle
/// reads, gathered once by `VprAnalysisRepository`.
public struct VprAnalysis: Sendable {
    /// A sign of non-objective marking: its kind's name (with the school's, for a territory) and its figures in Russian.
    public struct Marker: Sendable, Hashable {
        public var title: String
        public var detail: String

        public init(title: String, detail: String) {
            self.title = title
            self.detail = detail
        }
    }

    /// One work (year × procedure × grade × subject) of the place.
    public struct Work: Sendable {
        public var report: TaskReport
        public var title: String
        /// The region's pupils at each primary score (nil when the place is the region).
        public var regionHistogram: [Int]?
        public var markers: [Marker]

        public init(report: TaskReport, title: String, regionHistogram: [Int]?, markers: [Marker]) {
            self.report = report
            self.title = title
            self.regionHistogram = regionHistogram
            self.markers = markers
        }

        public var work: WorkKey { report.work }
        public var deficits: [TaskLine] { report.tasks.filter(\.deficit) }
        /// The lowest primary score of each mark «3», «4», «5» by the work's scale, ascending (empty without a scale).
        public var boundaries: [(mark: Int, from: Int)] { report.scale?.boundaries.map { ($0.mark, $0.primary) } ?? [] }

        /// Shares of pupils (%) at each primary score.
        public static func shares(_ counts: [Int]) -> [Double] {
            let total = counts.reduce(0, +)
            return counts.map { total > 0 ? Double($0) / Double(total) * 100 : 0 }
        }
    }

    public var placeTitle: String
    /// Nil: every year the place has.
    public var year: Int?
    public var works: [Work]
    /// `TaskFigures.deficits` over the works, by requirement and by block (weakest first).
    public var byRequirement: [DeficitGroup]
    public var byBlock: [DeficitGroup]

    public init(placeTitle: String, year: Int?, works: [Work]) {
        self.placeTitle = placeTitle
        self.year = year
        self.works = works
        let reports = works.map(\.report)
        byRequirement = TaskFigures.deficits(reports, by: .requirement)
        byBlock = TaskFigures.deficits(reports, by: .block)
    }
}
