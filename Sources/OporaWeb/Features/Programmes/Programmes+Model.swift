import Fluent
import OporaData
import OporaDomain
import Vapor

extension CurrentUser {
    /// The user as the programme workflow sees them for a school they can open.
    var programmeParticipant: ProgrammeParticipant { ProgrammeParticipant(role: role, seesSchool: true) }
}

/// The coordinator's board: every programme of the scope with its status, open remarks and review delay.
struct ProgrammesBoardModel: Sendable {
    struct Row: Sendable {
        let id: Int
        let school: String
        let schoolID: Int
        let municipality: String
        let title: String
        let kind: ProgrammeKind
        let factor: Int?
        let period: ClosedRange<Int>
        let status: ProgrammeStatus
        let overdue: Bool
        let openComments: Int
        let versions: Int
        let updatedAt: Date
    }

    static let filters = ["all"] + ProgrammeStatus.allCases.map(\.rawValue) + ["overdue"]

    let rows: [Row]
    let filter: String
    let counts: [String: Int]
    /// Schools where the user may start a programme (a school administrator's own).
    let ownSchools: [(id: Int, name: String)]
    /// The risk factors an anti-risk programme is written for, by name.
    var factors: [RiskFactor] = []
    let thisYear: Int

    static func build(_ req: Request) async throws -> ProgrammesBoardModel {
        let user = try req.user
        let filter = try req.queryChoice("status", from: filters, default: "all")
        let repository = ProgrammeRepository(db: req.db, actor: user.actor)
        let programmes = try await repository.programmes(user.scope)
        let ids = programmes.compactMap(\.id)
        var open: [Int: Int] = [:]
        if !ids.isEmpty {
            let comments = try await ProgrammeCommentModel.query(on: req.db).filter(\.$programmeID ~~ ids).filter(\.$resolved == false)
                .filter(\.$parentID == nil).all()
            for comment in comments {
                open[comment.programmeID, default: 0] += 1
            }
        }
        let now = Date()
        let all = programmes.map { programme in
            Row(id: programme.id!, school: programme.school.displayName, schoolID: programme.$school.id,
                municipality: programme.school.municipality.name,
                title: programme.title, kind: programme.programmeKind, factor: programme.factor, period: programme.period,
                status: programme.programmeStatus,
                overdue: ProgrammeWorkflow.isOverdue(programme.programmeStatus, submittedAt: programme.submittedAt, now: now),
                openComments: open[programme.id!] ?? 0, versions: programme.revisions.count, updatedAt: programme.updatedAt)
        }
        var counts = Dictionary(grouping: all, by: \.status.rawValue).mapValues(\.count)
        counts["overdue"] = all.filter(\.overdue).count
        counts["all"] = all.count
        let rows = all.filter { filter == "all" || (filter == "overdue" ? $0.overdue : $0.status.rawValue == filter) }
            .sorted { ($0.overdue ? 0 : 1, $0.school, $0.id) < ($1.overdue ? 0 : 1, $1.school, $1.id) }
        var own: [(id: Int, name: String)] = []
        if user.role == .schoolAdmin {
            own = try await ScopeQueries.schools(user.scope, on: req.db).sort(\.$name).all().compactMap { school in school.id.map { ($0,
                school.displayName) } }
        }
        var model = ProgrammesBoardModel(rows: rows, filter: filter, counts: counts, ownSchools: own, thisYear: req.today.year)
        if !own.isEmpty { model.factors = try await RiskRepository(db: req.db).factors() }
        return model
    }
}

/// One programme: its content with the deadlines read, the remarks on each item, its versions, and what the
/// user may do with it now.
struct ProgrammeModel: Sendable {
    struct Thread: Sendable { let comment: ProgrammeCommentModel; let replies: [ProgrammeCommentModel] }

    let programme: SchoolProgrammeModel
    let content: ProgrammeContent
    let deadlines: [Deadline]
    let threads: [String: [Thread]]
    let revisions: [ProgrammeRevisionModel]
    let allowed: Set<ProgrammeAction>
    let factorName: String?
    let overdue: Bool
    /// The school's ВПР deficits by requirement («Дефициты ВПР», `TasksView.programmeDeficits`).
    var vprDeficits: [DeficitGroup] = []
    /// Who sent and decided each version, by name (`ActorNames`).
    var names = ActorNames(names: [:])
    /// A refused action of this page (a decision, a remark, a measure from a deficit), shown beside its button
    /// or field with what was typed.
    var echo: FormEcho? = nil

    var openComments: Int { threads.values.flatMap { $0 }.filter { !$0.comment.resolved }.count }

    static func load(_ req: Request, id: Int) async throws -> SchoolProgrammeModel {
        let user = try req.user
        guard let programme = try await ProgrammeRepository(db: req.db, actor: user.actor).find(id, scope: user.scope) else {
            throw Abort(.notFound, reason: "Программа не найдена")
        }
        req.pageSchool = programme.school.name
        return programme
    }

    /// The programme's page as shown: with the school's ВПР deficits and, after a refusal, the refused form.
    static func page(_ req: Request, id: Int, echo: FormEcho? = nil) async throws -> ProgrammeModel {
        var model = try await build(req, id: id)
        model.vprDeficits = try await VprAnalysisRepository(db: req.db)
            .deficits(place: .school(model.programme.$school.id)).byRequirement
        model.echo = echo
        return model
    }

    static func build(_ req: Request, id: Int) async throws -> ProgrammeModel {
        let user = try req.user
        let programme = try await load(req, id: id)
        let content = programme.content
        let comments = try await ProgrammeRepository(db: req.db, actor: user.actor).comments(id)
        let replies = Dictionary(grouping: comments.filter { $0.parentID != nil }, by: { $0.parentID! })
        // A remark on an item since removed is shown with the remarks on the whole document, where it can still be
        // answered and resolved.
        let keys = Set(content.items.map(\.key))
        let threads = Dictionary(grouping: comments.filter { $0.parentID == nil }.map { Thread(comment: $0,
            replies: replies[$0.id!] ?? []) },
                                 by: { keys.contains($0.comment.itemKey) ? $0.comment.itemKey : "general" })
        let participant = user.programmeParticipant
        let factors = try await RiskRepository(db: req.db).factors()
        return ProgrammeModel(
            programme: programme, content: content,
            deadlines: content.measures.map { DeadlineReader.read($0.deadline, period: .calendarYears(programme.period)) },
            threads: threads, revisions: programme.revisions.sorted { $0.number < $1.number },
            allowed: Set(ProgrammeAction.allCases.filter { ProgrammeWorkflow.allows($0, programme.programmeStatus, by: participant) }),
            factorName: programme.factor.flatMap { number in factors.first { $0.number == number }?.name },
            overdue: ProgrammeWorkflow.isOverdue(programme.programmeStatus, submittedAt: programme.submittedAt, now: Date()),
            names: try await req.actorNames)
    }
}

/// The edit form's fields: the goal, tasks one per line, and rows of measures and indicators (empty rows are
/// dropped, three blank rows are offered for new ones).
struct ProgrammeForm: Content {
    var version: Int?
    var fields: [String: String]

    static let blankRows = 3

    init(from decoder: any Decoder) throws {
        let all = try [String: String](from: decoder)
        version = all["version"].flatMap { Int($0) }
        fields = all
    }

    func encode(to encoder: any Encoder) throws { try fields.encode(to: encoder) }

    init(_ content: ProgrammeContent, version: Int) {
        var fields: [String: String] = ["version": String(version), "goal": content.goal, "tasks": content.tasks.joined(separator: "\n")]
        for (index, measure) in content.measures.enumerated() {
            fields["m_id_\(index + 1)"] = measure.id
            fields["m_text_\(index + 1)"] = measure.text
            fields["m_deadline_\(index + 1)"] = measure.deadline
            fields["m_responsible_\(index + 1)"] = measure.responsible
            fields["m_result_\(index + 1)"] = measure.result
        }
        for (index, indicator) in content.indicators.enumerated() {
            fields["i_id_\(index + 1)"] = indicator.id
            fields["i_name_\(index + 1)"] = indicator.name
            fields["i_unit_\(index + 1)"] = indicator.unit
            fields["i_baseline_\(index + 1)"] = indicator.baseline
            fields["i_target_\(index + 1)"] = indicator.target
        }
        self.version = version
        self.fields = fields
    }

    func value(_ key: String) -> String { fields[key].cleaned ?? "" }

    /// Rows that have anything typed in them, in order (at most 500 of each); a row's id and number alone are not
    /// something typed.
    func rows(_ prefix: String) -> [Int] {
        let numbers = Set(fields.keys.compactMap { key -> Int? in
            guard key.hasPrefix(prefix), !key.hasPrefix(prefix + "id_"), !key.hasPrefix(prefix + "order_") else { return nil }
            return key.split(separator: "_").last.flatMap { Int($0) }
        })
        return numbers.filter { (1...500).contains($0) }.sorted()
    }

    /// The typed content; a goal or a task over its limit is refused with the limit named, never cut.
    var content: ProgrammeContent {
        get throws {
            let tasks = (try FormInput.text(fields["tasks"], "Задачи", limit: 50_000) ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for task in tasks { try RepositoryError.check(task, field: "Задача", limit: 1000) }
            return try content(goal: FormInput.text(fields["goal"], "Цель", limit: 4000) ?? "", tasks: tasks)
        }
    }

    private func content(goal: String, tasks: [String]) -> ProgrammeContent {
        ProgrammeContent(
            goal: goal,
            tasks: tasks,
            measures: ordered("m_", rows("m_").map { n in
                (n, ProgrammeMeasure(id: itemID("m_id_\(n)"), text: value("m_text_\(n)"), deadline: value("m_deadline_\(n)"),
                                     responsible: value("m_responsible_\(n)"), result: value("m_result_\(n)")))
            }.filter { !($0.1.text + $0.1.deadline + $0.1.responsible + $0.1.result).isEmpty }, hasID: { $0.id != nil }),
            indicators: ordered("i_", rows("i_").map { n in
                (n, ProgrammeIndicator(id: itemID("i_id_\(n)"), name: value("i_name_\(n)"), unit: value("i_unit_\(n)"),
                                       baseline: value("i_baseline_\(n)"), target: value("i_target_\(n)")))
            }.filter { !($0.1.name + $0.1.unit + $0.1.baseline + $0.1.target).isEmpty }, hasID: { $0.id != nil }))
    }

    /// An item's stable id as the form sent it back (a short number; anything else is no id).
    func itemID(_ key: String) -> String? {
        value(key).count <= 9 && Int(value(key)) != nil ? value(key) : nil
    }

    /// Rows in the order of their «№» fields: a new row numbered 2 goes before the item that was number 2 (that is
    /// how a measure is inserted), rows without a number keep their place.
    func ordered<T>(_ prefix: String, _ rows: [(Int, T)], hasID: (T) -> Bool) -> [T] {
        rows.map { n, item in
            (position: Double(value("\(prefix)order_\(n)").replacingOccurrences(of: ",", with: ".")) ?? Double(n), new: hasID(item) ? 1 : 0,
             row: n, item: item)
        }
        .sorted { ($0.position, $0.new, $0.row) < ($1.position, $1.new, $1.row) }
        .map(\.item)
    }
}

/// Two versions side by side: what was added, removed and changed.
struct ProgrammeComparisonModel: Sendable {
    let programme: SchoolProgrammeModel
    let from: (label: String, content: ProgrammeContent)
    let to: (label: String, content: ProgrammeContent)
    let changes: [ProgrammeChange]
    let revisions: [Int]

    static func build(_ req: Request, id: Int) async throws -> ProgrammeComparisonModel {
        let programme = try await ProgrammeModel.load(req, id: id)
        let revisions = programme.revisions.sorted { $0.number < $1.number }
        let numbers = revisions.map(\.number)
        guard let last = numbers.last else { throw Abort(.badRequest, reason: "У программы ещё нет отправленных редакций") }
        let fromNumber = try req.queryInt("from", in: 1...max(1, last), "редакция") ?? max(1, last - 1)
        let toNumber = try req.queryInt("to", in: 0...max(1, last),
            "редакция") ?? (programme.programmeStatus == .submitted || programme.programmeStatus == .approved ? last : 0)
        func version(_ number: Int) -> (String, ProgrammeContent) {
            if number == 0 { return ("текущий черновик", programme.content) }
            return ("редакция \(number)", revisions.first { $0.number == number }?.content ?? ProgrammeContent())
        }
        let from = version(fromNumber), to = version(toNumber)
        return ProgrammeComparisonModel(programme: programme, from: from, to: to, changes: ProgrammeChange.compare(from.1, to.1),
            revisions: numbers)
    }
}
