import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Curators per period, support organisations with their schools, the programmes' forecast figures and the mentor
/// pairs' status: the network around the listed schools, within the actor's scope.
extension SupportRepository {
    // MARK: curators

    /// Assignments of the scope's schools, newest first, with the curator and the school.
    public func curatorAssignments(_ scope: AccessScope) async throws -> [CuratorAssignmentModel] {
        try await CuratorAssignmentModel.query(on: db).filter(\.$school.$id ~~ schoolIDs(scope)).with(\.$user).with(\.$school)
            .sort(\.$startOn, .descending).all()
    }

    /// The active curators holding each of `schoolIDs` on `day`, by the same rule as a curator's scope.
    public func curatorNames(of schoolIDs: [Int], on day: CalendarDay = .today()) async throws -> [Int: [String]] {
        guard !schoolIDs.isEmpty else { return [:] }
        let links = try await UserSchoolModel.query(on: db).filter(\.$school.$id ~~ schoolIDs).with(\.$user).all()
        let assignments = try await CuratorAssignmentModel.query(on: db).filter(\.$school.$id ~~ schoolIDs).with(\.$user).all()
        var users: [Int: UserModel] = [:]
        for user in links.map(\.user) + assignments.map(\.user) where user.role == Role.curator.rawValue && user.isActive {
            users[user.id!] = user
        }
        var names: [Int: [String]] = [:]
        for (id, user) in users {
            let held = CuratorAssignment.schoolsHeld(
                linked: Set(links.filter { $0.$user.id == id }.map { $0.$school.id }),
                assignments: assignments.filter { $0.$user.id == id }.map { ($0.$school.id, $0.from, $0.until) }, on: day)
            for school in held { names[school, default: []].append(user.fullName) }
        }
        return names.mapValues { $0.sorted() }
    }

    /// Curator accounts the scope may assign: those already curating one of its schools, and those of its territory.
    public func curatorAccounts(_ scope: AccessScope) async throws -> [UserModel] {
        let ids = try await schoolIDs(scope)
        let linked = Set(try await UserSchoolModel.query(on: db).filter(\.$school.$id ~~ ids).all(\.$user.$id))
            .union(try await CuratorAssignmentModel.query(on: db).filter(\.$school.$id ~~ ids).all(\.$user.$id))
        let curators = try await UserModel.query(on: db).filter(\.$role == Role.curator.rawValue).filter(\.$isActive == true).sort(
            \.$fullName
        ).all()
        return curators.filter { user in
            if linked.contains(user.id!) { return true }
            switch scope {
            case .everything: return true
            case .municipality(let id): return user.$municipality.id == id
            case .region(let id): return user.$region.id == id
            case .schools: return false
            }
        }
    }

    public struct NewAssignment: Sendable {
        public var curatorID: Int, schoolID: Int, from: CalendarDay, until: CalendarDay?, direction: String?

        public init(curatorID: Int, schoolID: Int, from: CalendarDay, until: CalendarDay? = nil, direction: String? = nil) {
            self.curatorID = curatorID
            self.schoolID = schoolID
            self.from = from
            self.until = until
            self.direction = direction
        }
    }

    /// Records the assignment; the curator's scope follows it from its first day (`CuratorAssignment.schoolsHeld`).
    public func assignCurator(_ new: NewAssignment, scope: AccessScope, actor: Actor) async throws {
        guard try await schoolIDs(scope).contains(new.schoolID), let school = try await SchoolModel.find(new.schoolID, on: db) else {
            throw RepositoryError.notFound(entity: "школа")
        }
        guard let curator = try await curatorAccounts(scope).first(where: { $0.id == new.curatorID }) else {
            throw RepositoryError.notFound(entity: "куратор")
        }
        let existing = try await CuratorAssignmentModel.query(on: db).filter(\.$school.$id == new.schoolID).filter(
            \.$user.$id == new.curatorID
        ).all()
        let proposed = CuratorAssignment(curator: String(new.curatorID), school: String(new.schoolID), from: new.from, until: new.until)
        if let problem = CuratorAssignment.problem(with: proposed, existing: existing.map {
            CuratorAssignment(curator: String(new.curatorID), school: String(new.schoolID), from: $0.from, until: $0.until)
        }) { throw RepositoryError.invalid(field: "Куратор", message: problem) }
        try await db.transaction { tx in
            let assignment = CuratorAssignmentModel()
            assignment.$user.id = new.curatorID
            assignment.$school.id = new.schoolID
            assignment.startOn = new.from.iso
            assignment.endOn = new.until?.iso
            assignment.direction = new.direction
            assignment.version = 1
            assignment.createdBy = actor.login
            assignment.createdAt = Date()
            try await assignment.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "curator_assignment", entityID: assignment.id,
                                      summary: "Куратор «\(curator.fullName)» закреплён за «\(school.displayName)» с \(new.from.russian)"
                                        + (new.until.map { " по \($0.russian)" } ?? ""),
                                      place: AuditPlace(municipalityID: school.$municipality.id, schoolID: new.schoolID))
            try await Notifications.curatorAssigned(curator: curator, school: school, from: new.from, on: tx)
        }
    }

    /// Ends an assignment on `day` (kept in the history); the curator's scope follows it after that day.
    public func endAssignment(_ id: Int, on day: CalendarDay, expectedVersion: Int, scope: AccessScope, actor: Actor) async throws {
        guard
            let assignment = try await CuratorAssignmentModel.query(on: db).filter(\.$id == id).filter(\.$school.$id ~~ schoolIDs(scope))
                .with(\.$user).with(\.$school).first()
        else { throw RepositoryError.notFound(entity: "назначение куратора") }
        guard day >= assignment.from else {
            throw RepositoryError.invalid(field: "Дата окончания", message: "раньше начала \(assignment.from.russian)")
        }
        try await db.transaction { tx in
            try await OptimisticLock.claim(table: CuratorAssignmentModel.schema, id: id, expected: expectedVersion, on: tx)
            try await tx.sql.update(CuratorAssignmentModel.schema).set("end_on", to: day.iso).where("id", .equal, id).run()
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "curator_assignment", entityID: id,
                summary: "Куратор «\(assignment.user.fullName)» откреплён от «\(assignment.school.displayName)» с \(day.russian)",
                changes: [FieldChange(field: "по", old: assignment.until?.russian ?? "—", new: day.russian)],
                place: AuditPlace(municipalityID: assignment.school.$municipality.id, schoolID: assignment.$school.id))
        }
    }

    // MARK: support organisations

    /// An organisation as a reader of `scope` sees it: its schools limited to the scope.
    public struct Organisation: Sendable {
        public let model: SupportOrganisationModel
        public let schools: [SchoolModel]
    }

    /// Organisations of the scope's territory (a municipality also sees its region's centre) and any organisation
    /// one of the scope's schools belongs to.
    public func organisations(_ scope: AccessScope) async throws -> [Organisation] {
        let ids = try await schoolIDs(scope)
        let memberships = try await OrganisationSchoolModel.query(on: db).filter(\.$school.$id ~~ ids).with(\.$school).all()
        var regionOfMunicipality: Int? = nil
        if case .municipality(let id) = scope { regionOfMunicipality = try await MunicipalityModel.find(id, on: db)?.$region.id }
        let all = try await SupportOrganisationModel.query(on: db).sort(\.$name).all()
        let regionMunicipalities: Set<Int>
        if case .region(let region) = scope {
            regionMunicipalities = Set(try await MunicipalityModel.query(on: db).filter(\.$region.$id == region).all(\.$id))
        } else {
            regionMunicipalities = []
        }
        // A curator's or a school's scope is a set of schools: it sees its territory's network (the municipality's
        // centre and points, the region's), not only the organisations its schools are members of (issue 24).
        var ownTerritories: (municipalities: Set<Int>, regions: Set<Int>) = ([], [])
        if case .schools = scope {
            let places = try await IdentificationRepository(db: db).places(scope: scope)
            ownTerritories = (Set(places.map(\.municipalityID)), Set(places.map(\.regionID)))
        }
        let visible = all.filter { organisation in
            if memberships.contains(where: { $0.organisationID == organisation.id }) { return true }
            switch scope {
            case .everything: return true
            case .region(let region):
                return organisation.regionID == region || organisation.municipalityID.map(regionMunicipalities.contains) == true
            case .municipality(let id):
                return organisation.municipalityID == id || (organisation.regionID != nil && organisation.regionID == regionOfMunicipality)
            case .schools:
                return organisation.municipalityID.map(ownTerritories.municipalities.contains) == true
                    || organisation.regionID.map(ownTerritories.regions.contains) == true
            }
        }
        return visible.map { organisation in
            Organisation(
                model: organisation,
                schools: memberships.filter { $0.organisationID == organisation.id }.map(\.school).sorted { $0.name < $1.name })
        }
    }

    public struct NewOrganisation: Sendable {
        public var kind: OrganisationKind, name: String, parentID: Int?, baseSchoolID: Int?, note: String?

        public init(kind: OrganisationKind, name: String, parentID: Int? = nil, baseSchoolID: Int? = nil, note: String? = nil) {
            self.kind = kind
            self.name = name
            self.parentID = parentID
            self.baseSchoolID = baseSchoolID
            self.note = note
        }
    }

    /// Creates an organisation in the actor's territory (a coordinator's municipality, an analyst's region).
    @discardableResult
    public func addOrganisation(_ new: NewOrganisation, scope: AccessScope, actor: Actor) async throws -> SupportOrganisationModel {
        let name = new.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw RepositoryError.invalid(field: "Наименование", message: "обязательно") }
        try RepositoryError.check(name, field: "Наименование", limit: 300)
        let visible = try await organisations(scope)
        var parentKind: OrganisationKind? = nil
        if let parentID = new.parentID {
            guard let parent = visible.first(where: { $0.model.id == parentID }) else {
                throw RepositoryError.notFound(entity: "вышестоящая организация")
            }
            parentKind = parent.model.organisationKind
        }
        if let problem = new.kind.problem(withParent: parentKind) { throw RepositoryError.invalid(field: "Входит в", message: problem) }
        if let base = new.baseSchoolID, try await !schoolIDs(scope).contains(base) { throw RepositoryError.notFound(entity: "школа") }
        let organisation = SupportOrganisationModel()
        organisation.kind = new.kind.rawValue
        organisation.name = name
        organisation.parentID = new.parentID
        organisation.baseSchoolID = new.baseSchoolID
        organisation.note = new.note
        switch scope {
        case .municipality(let id): organisation.municipalityID = id
        case .region(let id): organisation.regionID = id
        case .everything: break
        case .schools: throw RepositoryError.invalid(field: "Организация", message: "создаёт орган управления образованием")
        }
        organisation.createdBy = actor.login
        organisation.createdAt = Date()
        try await db.transaction { tx in
            try await organisation.create(on: tx)
            try await AuditLog.record(
                on: tx, actor: actor, action: "create", entity: "support_organisation", entityID: organisation.id,
                summary: "\(new.kind.russianName.prefix(1).uppercased() + new.kind.russianName.dropFirst()) «\(name)»",
                place: AuditPlace(regionID: organisation.regionID, municipalityID: organisation.municipalityID))
        }
        return organisation
    }

    /// Adds or removes a school of the scope from an organisation the scope sees.
    public func setMembership(organisationID: Int, schoolID: Int, member: Bool, scope: AccessScope, actor: Actor) async throws {
        guard let organisation = try await organisations(scope).first(where: { $0.model.id == organisationID })?.model else {
            throw RepositoryError.notFound(entity: "организация")
        }
        guard try await schoolIDs(scope).contains(schoolID), let school = try await SchoolModel.find(schoolID, on: db) else {
            throw RepositoryError.notFound(entity: "школа")
        }
        let existing = try await OrganisationSchoolModel.query(on: db).filter(\.$organisationID == organisationID).filter(
            \.$school.$id == schoolID
        ).first()
        guard member != (existing != nil) else { return }
        try await db.transaction { tx in
            if let existing { try await existing.delete(on: tx) } else {
                let link = OrganisationSchoolModel()
                link.organisationID = organisationID
                link.$school.id = schoolID
                try await link.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "support_organisation", entityID: organisationID,
                                      summary: "«\(school.displayName)» \(member ? "включена в" : "исключена из") «\(organisation.name)»",
                                      place: AuditPlace(municipalityID: school.$municipality.id, schoolID: schoolID))
        }
    }

    // MARK: forecasts

    public func forecast(programmeID: Int, year: Int) async throws -> SupportForecastModel? {
        try await SupportForecastModel.query(on: db).filter(\.$programmeID == programmeID).filter(\.$year == year).first()
    }

    /// Sets a programme's forecast for a year; a stale form (another person saved meanwhile) is refused.
    public func setForecast(programme: PlanModel, year: Int, figures: SupportFigures, expectedVersion: Int, actor: Actor) async throws {
        for field in SupportFigures.fields {
            if let value = figures[keyPath: field.key], !(0...100_000).contains(value) {
                throw RepositoryError.invalid(field: field.name, message: "от 0 до 100 000")
            }
        }
        try await db.transaction { tx in
            let existing = try await SupportForecastModel.query(on: tx).filter(\.$programmeID == programme.id!).filter(\.$year == year)
                .first()
            if let existing {
                try await OptimisticLock.claim(table: SupportForecastModel.schema, id: existing.id!, expected: expectedVersion, on: tx)
                try await tx.sql.update(SupportForecastModel.schema).set("teams", to: figures.teams).set("people", to: figures.people)
                    .set("pairs", to: figures.pairs).set("points", to: figures.points).set("consulted", to: figures.consultedSchools)
                    .where("id", .equal, existing.id!).run()
            } else {
                guard expectedVersion == 0 else { throw RepositoryError.conflict(entity: "прогноз") }
                let forecast = SupportForecastModel()
                forecast.programmeID = programme.id!
                forecast.year = year
                forecast.teams = figures.teams
                forecast.people = figures.people
                forecast.pairs = figures.pairs
                forecast.points = figures.points
                forecast.consulted = figures.consultedSchools
                forecast.version = 1
                try await forecast.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "support_forecast", entityID: programme.id,
                                      summary: "Прогноз сопровождения программы «\(programme.code)» на \(year) год",
                                      place: AuditPlace(regionID: programme.regionID, municipalityID: programme.municipalityID))
        }
    }

    // MARK: mentor pairs' status

    /// Status and what the pair did, with a version check.
    public func updatePair(
        _ id: Int, status: MentorPairStatus, activities: String?, expectedVersion: Int, scope: AccessScope, actor: Actor
    ) async throws {
        guard
            let pair = try await MentorPairModel.query(on: db).filter(\.$id == id).filter(\.$supported.$id ~~ schoolIDs(scope))
                .with(\.$supported).with(\.$mentor).first()
        else { throw RepositoryError.notFound(entity: "пара") }
        try RepositoryError.check(activities, field: "Что сделано", limit: 5_000, multiline: true)
        try await db.transaction { tx in
            try await OptimisticLock.claim(table: MentorPairModel.schema, id: id, expected: expectedVersion, on: tx)
            try await tx.sql.update(MentorPairModel.schema).set("status", to: status.rawValue).set("activities", to: activities).where(
                "id", .equal, id
            ).run()
            var changes: [FieldChange] = []
            if pair.status != status.rawValue {
                changes.append(
                    FieldChange(
                        field: "состояние", old: MentorPairStatus(rawValue: pair.status)?.russianName ?? pair.status,
                        new: status.russianName))
            }
            if pair.activities != activities {
                changes.append(FieldChange(field: "что сделано", old: pair.activities ?? "", new: activities ?? ""))
            }
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "mentor_pair", entityID: id,
                summary: "Наставничество «\(pair.mentor.displayName)» → «\(pair.supported.displayName)»", changes: changes,
                place: AuditPlace(municipalityID: pair.supported.$municipality.id, schoolID: pair.$supported.id))
        }
    }
}
