import Foundation

/// What waits for a person today, by kind; each kind is one line of «Сегодня» and one count of the menu's badge.
public enum TodayTask: String, Sendable, Hashable, CaseIterable, Codable {
    case reviewProgramme = "review_programme"
    case answerRemarks = "answer_remarks"
    case overdueMeasures = "overdue_measures"
    case overdueFollowUps = "overdue_follow_ups"
    case decisionsDue = "decisions_due"
    case collectIndicators = "collect_indicators"
    case approveList = "approve_list"

    public var russianName: String {
        switch self {
        case .reviewProgramme: "Программы школ на проверке"
        case .answerRemarks: "Программы, возвращённые на доработку"
        case .overdueMeasures: "Просроченные мероприятия дорожных карт"
        case .overdueFollowUps: "Просроченные поручения по итогам выездов"
        case .decisionsDue: "Управленческие решения: срок подошёл или прошёл"
        case .collectIndicators: "Показатели, которые собираются в этом месяце"
        case .approveList: "Перечни ШНОР без приказа"
        }
    }
}

/// One thing to do, with the page where it is done.
public struct TodayItem: Sendable, Hashable {
    public let task: TodayTask
    /// «Программа развития МАОУ СОШ № 2 — возвращена 28.02.2023»: what and where.
    public let title: String
    /// A second line: why it is here (how late, which remarks …).
    public let detail: String
    public let path: String
    /// Past its date (shown first and marked).
    public let late: Bool

    public init(task: TodayTask, title: String, detail: String, path: String, late: Bool) {
        self.task = task
        self.title = title
        self.detail = detail
        self.path = path
        self.late = late
    }
}

/// What the data layer gathers in the user's scope; the rule below decides what of it is the user's to do.
public struct TodayFacts: Sendable {
    public struct Programme: Sendable, Hashable {
        public let id: Int, title: String, school: String, status: ProgrammeStatus, submittedAt: Date?, openRemarks: Int
        public init(id: Int, title: String, school: String, status: ProgrammeStatus, submittedAt: Date?, openRemarks: Int = 0) {
            (self.id, self.title, self.school, self.status) = (id, title, school, status)
            (self.submittedAt, self.openRemarks) = (submittedAt, openRemarks)
        }
    }

    /// A territory programme's roadmap and indicators: measures already judged by `MeasureProgress.of`, the
    /// indicators `CollectionSchedule.missing` names for this month, and whether the user may change it.
    public struct Plan: Sendable, Hashable {
        public let id: Int, name: String, progress: [MeasureProgress], missingIndicators: [String], canChange: Bool
        public init(id: Int, name: String, progress: [MeasureProgress], missingIndicators: [String], canChange: Bool) {
            (self.id, self.name, self.progress, self.missingIndicators, self.canChange) = (id, name, progress, missingIndicators, canChange)
        }
    }

    public struct Decision: Sendable, Hashable {
        public let id: Int, title: String, school: String?, status: DecisionStatus, due: CalendarDay?, canClose: Bool
        public init(id: Int, title: String, school: String?, status: DecisionStatus, due: CalendarDay?, canClose: Bool) {
            (self.id, self.title, self.school, self.status, self.due, self.canClose) = (id, title, school, status, due, canClose)
        }
    }

    public struct Visit: Sendable, Hashable {
        public let schoolID: Int, school: String, followUp: String, due: CalendarDay?, done: Bool
        public init(schoolID: Int, school: String, followUp: String, due: CalendarDay?, done: Bool) {
            (self.schoolID, self.school, self.followUp, self.due, self.done) = (schoolID, school, followUp, due, done)
        }
    }

    public var programmes: [Programme]
    public var plans: [Plan]
    public var decisions: [Decision]
    public var visits: [Visit]
    /// Years with results to identify on but no approved list in force for the user's territory.
    public var yearsWithoutList: [Int]

    public init(programmes: [Programme] = [], plans: [Plan] = [], decisions: [Decision] = [], visits: [Visit] = [],
                yearsWithoutList: [Int] = []) {
        self.programmes = programmes
        self.plans = plans
        self.decisions = decisions
        self.visits = visits
        self.yearsWithoutList = yearsWithoutList
    }
}

/// «Сегодня»: the rule of what is a person's to do, asked by the start page, the menu's badge and the daily digest.
/// Each kind asks the domain's own rule (`ProgrammeWorkflow`, `MeasureProgress`, `FollowUp`, `DecisionStatus`,
/// `CollectionSchedule` through the facts) rather than judging dates again.
public enum TodayList {
    /// A decision shows this many days before its due date.
    public static let decisionNoticeDays = 7

    public static func items(role: Role, scope: AccessScope, facts: TodayFacts, today: CalendarDay, now: Date) -> [TodayItem] {
        guard role != .viewer else { return [] }
        let participant = ProgrammeParticipant(role: role, seesSchool: true)
        var items: [TodayItem] = []
        for programme in facts.programmes {
            if ProgrammeWorkflow.allows(.approve, programme.status, by: participant) {
                let late = ProgrammeWorkflow.isOverdue(programme.status, submittedAt: programme.submittedAt, now: now)
                let since = programme.submittedAt.map { " с " + RussianFormat.date($0) } ?? ""
                items.append(TodayItem(task: .reviewProgramme, title: "«\(programme.title)» — \(programme.school)",
                                       detail: "ждёт проверки\(since)" + (late ? ", дольше \(ProgrammeWorkflow.reviewDays) дней" : ""),
                                       path: "/programmes/\(programme.id)", late: late))
            } else if programme.status == .returned, ProgrammeWorkflow.allows(.submit, programme.status, by: participant) {
                let remarks = programme.openRemarks > 0 ? "открытых замечаний: \(programme.openRemarks)" : "замечания разобраны"
                items.append(TodayItem(task: .answerRemarks, title: "«\(programme.title)» — \(programme.school)",
                                       detail: "возвращена на доработку; \(remarks)", path: "/programmes/\(programme.id)", late: false))
            }
        }
        for plan in facts.plans where plan.canChange {
            let overdue = plan.progress.filter { $0 == .overdue }.count
            if overdue > 0 {
                items.append(TodayItem(task: .overdueMeasures, title: plan.name, detail: "просрочено мероприятий: \(overdue)",
                                       path: "/plans/\(plan.id)/roadmap", late: true))
            }
            if !plan.missingIndicators.isEmpty {
                items.append(TodayItem(task: .collectIndicators, title: plan.name,
                                       detail: "нет значений за этот месяц: " + plan.missingIndicators.joined(separator: ", "),
                                       path: "/plans/\(plan.id)/indicators", late: false))
            }
        }
        if role != .schoolAdmin {
            let followUps = role == .curator ? "/support/mine" : "/support"
            for visit in facts.visits where FollowUp.isOverdue(due: visit.due, done: visit.done, today: today) {
                items.append(TodayItem(task: .overdueFollowUps, title: visit.school,
                                       detail: "\(visit.followUp) — срок \(visit.due?.russian ?? "")",
                                       path: followUps, late: true))
            }
        }
        let horizon = today.adding(days: decisionNoticeDays)
        for decision in facts.decisions where decision.canClose && decision.status == .open {
            guard let due = decision.due, due <= horizon else { continue }
            let late = decision.status.isOverdue(due: due, today: today)
            items.append(TodayItem(task: .decisionsDue, title: decision.title + (decision.school.map { " — \($0)" } ?? ""),
                                   detail: (late ? "просрочено, срок " : "срок ") + due.russian,
                                   path: "/decisions", late: late))
        }
        // Lists are approved for a territory, never for a set of schools (`IdentificationController.approve`).
        if role.canImport, scope.holdsTerritory {
            for year in facts.yearsWithoutList {
                items.append(TodayItem(task: .approveList, title: "Перечень ШНОР \(year) года",
                                       detail: "результаты загружены, приказа об утверждении перечня нет",
                                       path: "/identification?year=\(year)", late: false))
            }
        }
        let order = Dictionary(uniqueKeysWithValues: TodayTask.allCases.enumerated().map { ($1, $0) })
        return items.enumerated().sorted { a, b in
            (a.element.late ? 0 : 1, order[a.element.task]!, a.offset) < (b.element.late ? 0 : 1, order[b.element.task]!, b.offset)
        }.map(\.element)
    }
}

extension AccessScope {
    /// A region, a municipality or everything: a territory lists are approved for, not a set of schools.
    public var holdsTerritory: Bool {
        if case .schools = self { return false }
        return true
    }
}
