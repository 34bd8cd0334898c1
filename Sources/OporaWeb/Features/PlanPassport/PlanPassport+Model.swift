import Fluent
import OporaData
import OporaDomain
import Vapor

/// One programme's passport, its versions and what each amendment changed.
struct PlanPageModel: Sendable {
    struct Version: Sendable {
        let number: Int
        let order: String?
        let note: String?
        let by: String
        let at: Date
    }
    struct Participant: Sendable {
        let code: String
        let name: String?
        let status: IdentificationStatus?
    }

    let plan: PlanModel
    let passport: ProgrammePassport
    let territory: String
    let versions: [Version]
    let compared: (old: Int, new: Int)?
    let changes: [ProgrammePassport.Change]
    let participants: [Participant]
    let listYear: Int?
    let canChange: Bool
    /// The schools a participant is chosen from (the programme's territory), by name; empty unless the user may change it.
    var candidates: [(code: String, name: String)] = []

    /// The checkbox of one candidate participant.
    static func participantInput(_ code: String) -> String { "participant_" + code }

    /// The schools of the programme's territory by name, and any participant the passport names that the
    /// registry does not hold (kept, so an amendment never drops it unseen).
    static func candidates(_ req: Request, _ plan: PlanModel) async throws -> [(code: String, name: String)] {
        let schools = try await ScopeQueries.schoolNames(PlanRepository.territory(plan), on: req.db).map { ($0.code, $0.name) }
        let known = Set(schools.map(\.0))
        return schools + plan.passport.participants.filter { !known.contains($0) }.map { ($0, "\($0) — нет в реестре") }
    }

    static func order(_ number: String, _ date: String?) -> String {
        "№ \(number)" + (date.flatMap(CalendarDay.init(parsing:)).map { " от \($0.russian)" } ?? "")
    }

    static func build(_ req: Request, id: Int) async throws -> PlanPageModel {
        let user = try req.user
        let plan = try await PlanModel.load(req, id: id)
        let amendments = try await PlanRepository(db: req.db).amendments(id)
        let versions = amendments.map { amendment in
            Version(number: amendment.number, order: amendment.orderNumber.map { order($0, amendment.orderDate) },
                    note: amendment.note, by: amendment.createdBy, at: amendment.createdAt)
        }
        // Compare the versions asked for, else the newest with the one before.
        var compared: (Int, Int)? = nil
        if let text = try req.queryText("compare", maxLength: 20) {
            let numbers = text.split(separator: "-").compactMap { Int($0) }
            if numbers.count == 2 { compared = (numbers[0], numbers[1]) }
        } else if amendments.count >= 2 {
            compared = (amendments[amendments.count - 2].number, amendments[amendments.count - 1].number)
        }
        var changes: [ProgrammePassport.Change] = []
        if let (old, new) = compared, let a = amendments.first(where: { $0.number == old }),
           let b = amendments.first(where: { $0.number == new }),
           let pa = a.passport, let pb = b.passport {
            changes = ProgrammePassport.compare(pa, pb, roadmaps: (a.roadmap, b.roadmap))
        } else {
            compared = nil
        }
        let passport = plan.passport
        // Participants linked to the newest approved list of the programme's territory.
        let territory = PlanRepository.territory(plan)
        let years = try await IdentificationRepository(db: req.db).lists(scope: territory).map(\.year)
        let listYear = years.max()
        let statuses = try await listYear.asyncFlatMap {
            try await IdentificationRepository(db: req.db).approvedStatuses(year: $0, scope: territory)
        }
        let schools = passport.participants.isEmpty
            ? [] : try await SchoolModel.query(on: req.db).filter(\.$code ~~ passport.participants).all()
        let participants = passport.participants.map { code in
            let school = schools.first { $0.code == code }
            return Participant(code: code, name: school?.displayName, status: school.flatMap { statuses?[$0.id!] })
        }
        var model = PlanPageModel(plan: plan, passport: passport, territory: try await plan.territoryName(on: req.db), versions: versions,
                                  compared: compared, changes: changes, participants: participants, listYear: listYear,
                                  canChange: plan.canChange(user))
        if model.canChange { model.candidates = try await candidates(req, plan) }
        return model
    }
}

