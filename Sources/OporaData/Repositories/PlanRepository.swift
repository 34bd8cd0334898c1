import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Programmes the authority signs, their roadmaps, indicators and the management decisions taken on them.
public struct PlanRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    // MARK: visibility

    /// The places of the scope's schools (a school-set scope) or of its municipality, for `ProgrammeAccess`.
    func places(_ scope: AccessScope) async throws -> [SchoolPlace] {
        switch scope {
        case .everything, .region: return []
        case .municipality(let id):
            guard let municipality = try await MunicipalityModel.find(id, on: db) else { return [] }
            return [SchoolPlace(schoolID: 0, municipalityID: id, regionID: municipality.$region.id)]
        case .schools(let ids):
            return try await SchoolModel.query(on: db).filter(\.$id ~~ Array(ids)).with(\.$municipality).all().map {
                SchoolPlace(schoolID: $0.id!, municipalityID: $0.$municipality.id, regionID: $0.municipality.$region.id)
            }
        }
    }

    /// Programmes the scope reads, by level (regional first) and code.
    public func programmes(_ scope: AccessScope) async throws -> [PlanModel] {
        let places = try await places(scope)
        let order: [String: Int] = ["region": 0, "municipality": 1, "school": 2]
        return try await PlanModel.query(on: db).all()
            .filter { ProgrammeAccess.canRead($0.place, scope: scope, schoolPlaces: places) }
            .sorted { (order[$0.level] ?? 3, $0.code) < (order[$1.level] ?? 3, $1.code) }
    }

    /// The programme if the scope reads it (nil otherwise: the caller answers 404, not 403).
    public func programme(_ id: Int, scope: AccessScope) async throws -> PlanModel? {
        guard let programme = try await PlanModel.find(id, on: db) else { return nil }
        return ProgrammeAccess.canRead(programme.place, scope: scope, schoolPlaces: try await places(scope)) ? programme : nil
    }

    public func programme(code: String) async throws -> PlanModel? {
        try await PlanModel.query(on: db).filter(\.$code == code).first()
    }

    // MARK: passport and amendments

    /// The versions, oldest first; the newest, if it holds `AmendmentModel.sameAsProgramme`, with the programme's passport,
    /// and if it holds `AmendmentModel.roadmapAsItStands`, with the programme's roadmap.
    /// A first version kept in its programme's row (V049) is read as version 1.
    public func amendments(_ programmeID: Int) async throws -> [AmendmentModel] {
        // The row read before the versions: a first version moved out of it meanwhile is then among them.
        let kept = try await PlanModel.find(programmeID, on: db).flatMap(Self.firstVersion(keptIn:))
        var amendments = try await AmendmentModel.query(on: db).filter(\.$programmeID == programmeID).sort(\.$number).all()
        if let kept, !amendments.contains(where: { $0.number == kept.number }) { amendments.insert(kept, at: 0) }
        let standing = amendments.filter { $0.roadmapJSON == AmendmentModel.roadmapAsItStands }
        if !standing.isEmpty {
            let lines = PlanJSON.strings(try await roadmapLines(programmeID))
            // Read again after the measures: a version given its own copy meanwhile (a newer version was added, and the
            // measures may have changed since) shows that copy, not the measures read.
            struct Copy: Decodable { let id: Int; let roadmap_json: String? }
            // A version kept in the programme's row is looked for as a row too: moved out of it meanwhile, it holds the
            // roadmap as it was then.
            let storedIDs = standing.compactMap(\.id)
            let now = storedIDs.isEmpty ? [] : try await db.sql.select().column("id").column("roadmap_json").from(AmendmentModel.schema)
                .where("id", .in, SQLBind.group(storedIDs)).all(decoding: Copy.self)
            let copies = Dictionary(now.map { ($0.id, $0.roadmap_json) }, uniquingKeysWith: { first, _ in first })
            let movedOut = kept != nil && standing.contains { $0.id == nil } ? try await db.sql.select().column("id").column("roadmap_json")
                .from(AmendmentModel.schema).where("programme_id", .equal, programmeID).where("number", .equal, 1)
                .first(decoding: Copy.self) : nil
            for amendment in standing {
                let copy = amendment.id.map { copies[$0] ?? nil } ?? movedOut?.roadmap_json
                amendment.roadmapJSON = copy.flatMap { $0 == AmendmentModel.roadmapAsItStands ? nil : $0 } ?? lines
            }
        }
        guard amendments.contains(where: { $0.passportJSON == AmendmentModel.sameAsProgramme }) else { return amendments }
        // Resolved in one statement: a file or a form that changes the passport between two reads gives the version
        // its own copy, which this read then takes, rather than the new passport.
        struct Resolved: Decodable { let number: Int; let passport_json: String }
        let resolved = try await db.sql.raw("""
            SELECT a.number, COALESCE(NULLIF(a.passport_json, \(bind: AmendmentModel.sameAsProgramme)), p.passport_json) AS passport_json
            FROM programme_amendments a JOIN programmes p ON p.id = a.programme_id WHERE a.programme_id = \(bind: programmeID)
            """).all(decoding: Resolved.self)
        let byNumber = Dictionary(resolved.map { ($0.number, $0.passport_json) }, uniquingKeysWith: { first, _ in first })
        for amendment in amendments where amendment.passportJSON == AmendmentModel.sameAsProgramme {
            amendment.passportJSON = byNumber[amendment.number] ?? amendment.passportJSON
        }
        return amendments
    }

    /// Version 1 as the programme's row keeps it: its passport and order are the programme's, its roadmap the measures.
    static func firstVersion(keptIn programme: PlanModel) -> AmendmentModel? {
        guard let by = programme.adoptedBy, let id = programme.id else { return nil }
        let version = AmendmentModel()
        version.programmeID = id
        version.number = 1
        version.orderNumber = programme.orderNumber
        version.orderDate = programme.orderDate
        version.note = programme.adoptedNote
        version.passportJSON = programme.passportJSON
        version.roadmapJSON = AmendmentModel.roadmapAsItStands
        version.createdBy = by
        version.createdAt = programme.adoptedAt ?? programme.updatedAt
        return version
    }

    /// Saves the passport as the programme's current one and keeps it as a new version with its order; the caller has
    /// claimed the programme's next version (`OptimisticLock`).
    func savePassport(_ programme: PlanModel, _ passport: ProgrammePassport, orderNumber: String?, orderDate: CalendarDay?,
                      note: String?, actor: Actor) async throws {
        try await AmendmentModel.keepVersions([programme.id!: try await roadmapLines(programme.id!)], ofProgrammes: [programme.id!], on: db)
        (programme.adoptedNote, programme.adoptedBy, programme.adoptedAt) = (nil, nil, nil)
        programme.passportJSON = PlanImporter.json(passport)
        programme.startOn = passport.start.iso
        programme.endOn = passport.end.iso
        programme.orderNumber = orderNumber
        programme.orderDate = orderDate?.iso
        programme.updatedAt = Date()
        programme.updatedBy = actor.login
        try await programme.save(on: db)
        let last = try await AmendmentModel.query(on: db).filter(\.$programmeID == programme.id!).sort(\.$number, .descending).first()
        let amendment = AmendmentModel()
        amendment.programmeID = programme.id!
        amendment.number = (last?.number ?? 0) + 1
        amendment.orderNumber = orderNumber
        amendment.orderDate = orderDate?.iso
        amendment.note = note
        amendment.passportJSON = programme.passportJSON
        amendment.roadmapJSON = AmendmentModel.roadmapAsItStands
        amendment.createdBy = actor.login
        amendment.createdAt = Date()
        try await amendment.create(on: db)
    }

    /// The roadmap as it stands, a line per measure in position order: what a version holding
    /// `AmendmentModel.roadmapAsItStands` stands for.
    func roadmapLines(_ programmeID: Int) async throws -> [String] {
        try await measures(programmeID).map { ProgrammePassport.roadmapLine($0.domain) }
    }

    /// An amendment from the passport form: a stale form answers `.conflict`, an amendment names its order.
    public func amend(_ programmeID: Int, expectedVersion: Int, passport: ProgrammePassport, orderNumber: String, orderDate: CalendarDay?,
                      note: String?, actor: Actor) async throws {
        guard !passport.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RepositoryError.invalid(field: "Наименование", message: "обязательно")
        }
        try RepositoryError.check(passport.name, field: "Наименование", limit: PassportLimits.name)
        try RepositoryError.check(passport.goal, field: "Цель", limit: PassportLimits.goal, multiline: true)
        try RepositoryError.check(orderNumber, field: "Номер приказа", limit: PassportLimits.orderNumber)
        try RepositoryError.check(note, field: "Примечание", limit: PassportLimits.note, multiline: true)
        guard passport.start <= passport.end else { throw RepositoryError.invalid(field: "Срок", message: "окончание раньше начала") }
        guard !orderNumber.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RepositoryError.invalid(field: "Приказ", message: "изменение программы утверждается приказом: укажите его номер")
        }
        try await db.transaction { tx in
            guard let programme = try await PlanModel.find(programmeID, on: tx) else { throw RepositoryError.notFound(entity: "программа") }
            // Claimed in the database, not compared with what was read: a file or another form that changed the
            // programme meanwhile makes this one stale (409), rather than both being saved and a version standing for
            // the wrong passport.
            try await OptimisticLock.claim(table: PlanModel.schema, id: programmeID, expected: expectedVersion, on: tx)
            let old = programme.passport
            let changes = ProgrammePassport.compare(old, passport)
            guard !changes.isEmpty else { throw RepositoryError.invalid(field: "Паспорт", message: "ничего не изменено") }
            try await PlanRepository(db: tx).savePassport(
                programme, passport, orderNumber: orderNumber, orderDate: orderDate, note: note, actor: actor)
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "programme", entityID: programmeID,
                summary: "Изменения в программу «\(passport.name)» (приказ № \(orderNumber))",
                changes: changes.prefix(100).map { FieldChange(field: $0.part.russianName, old: $0.change.old, new: $0.change.new) },
                place: PlanImporter.place(programme))
        }
    }

    public func setBands(_ programmeID: Int, expectedVersion: Int, bands: ScoreBands, actor: Actor) async throws {
        guard bands.high > bands.medium, bands.medium > bands.satisfactory, bands.satisfactory > 0 else {
            throw RepositoryError.invalid(field: "Уровни", message: "границы должны убывать: высокий > средний > удовлетворительный > 0")
        }
        try await db.transaction { tx in
            guard let programme = try await PlanModel.find(programmeID, on: tx) else { throw RepositoryError.notFound(entity: "программа") }
            try await OptimisticLock.claim(table: PlanModel.schema, id: programmeID, expected: expectedVersion, on: tx)
            let old = programme.bands
            programme.bandHigh = bands.high
            programme.bandMedium = bands.medium
            programme.bandSatisfactory = bands.satisfactory
            programme.updatedAt = Date()
            programme.updatedBy = actor.login
            try await programme.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "programme", entityID: programmeID,
                                      summary: "Границы уровней эффективности программы «\(programme.name)»",
                                      changes: [FieldChange(field: "уровни", old: "\(old.high)/\(old.medium)/\(old.satisfactory)",
                                                            new: "\(bands.high)/\(bands.medium)/\(bands.satisfactory)")],
                                      place: PlanImporter.place(programme))
        }
    }

    // MARK: roadmap

    public func measures(_ programmeID: Int) async throws -> [MeasureRow] {
        try await db.sql.select().columns(MeasureRow.columns.map { SQLIdentifier($0) }).from(MeasureModel.schema)
            .where("programme_id", .equal, programmeID).orderBy("position").all(decoding: MeasureRow.self)
    }

    public struct MeasureUpdate: Sendable {
        public var status: MeasureStatus
        public var doneOn: CalendarDay?
        public var datedOn: CalendarDay?
        public var evidence: String?
        public var comment: String?

        public init(status: MeasureStatus, doneOn: CalendarDay?, datedOn: CalendarDay?, evidence: String?, comment: String?) {
            self.status = status
            self.doneOn = doneOn
            self.datedOn = datedOn
            self.evidence = evidence
            self.comment = comment
        }
    }

    /// The responsible's report on a measure; a form opened before someone else's save answers `.conflict`.
    public func updateMeasure(_ id: Int, programme: PlanModel, expectedVersion: Int, _ update: MeasureUpdate, actor: Actor) async throws {
        if update.status == .done, update.doneOn == nil {
            throw RepositoryError.invalid(field: "Дата выполнения", message: "укажите, когда мероприятие выполнено")
        }
        try RepositoryError.check(update.evidence, field: "Подтверждение", limit: 5_000, multiline: true)
        try RepositoryError.check(update.comment, field: "Комментарий", limit: 5_000, multiline: true)
        try await db.transaction { tx in
            guard let measure = try await MeasureModel.find(id, on: tx), measure.programmeID == programme.id else {
                throw RepositoryError.notFound(entity: "мероприятие")
            }
            try await OptimisticLock.claim(table: MeasureModel.schema, id: id, expected: expectedVersion, on: tx)
            var changes: [FieldChange] = []
            func note(_ field: String, _ old: String?, _ new: String?) {
                if old != new { changes.append(FieldChange(field: field, old: old, new: new)) }
            }
            note("статус", measure.measureStatus.russianName, update.status.russianName)
            note("дата выполнения", measure.doneOn.flatMap(CalendarDay.init(parsing:))?.russian, update.doneOn?.russian)
            note("назначенная дата", measure.datedOn.flatMap(CalendarDay.init(parsing:))?.russian, update.datedOn?.russian)
            note("подтверждение", measure.evidence, update.evidence)
            note("комментарий", measure.comment, update.comment)
            try await tx.sql.update(MeasureModel.schema)
                .set("status", to: update.status.rawValue).set("done_on", to: update.doneOn?.iso).set("dated_on", to: update.datedOn?.iso)
                .set("evidence", to: update.evidence).set("comment", to: update.comment)
                .set("updated_at", to: Date()).set("updated_by", to: actor.login)
                .where("id", .equal, id).run()
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "roadmap_measure", entityID: id,
                summary: "Мероприятие № \(measure.number) программы «\(programme.name)»: \(update.status.russianName)",
                changes: changes, place: PlanImporter.place(programme))
        }
    }

    // MARK: indicators

    public func indicators(_ programmeID: Int) async throws -> [IndicatorModel] {
        try await IndicatorModel.query(on: db).filter(\.$programmeID == programmeID).sort(\.$position).all()
    }

    public func values(_ programmeID: Int) async throws -> [IndicatorValueModel] {
        let ids = try await indicators(programmeID).compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        return try await IndicatorValueModel.query(on: db).filter(\.$indicatorID ~~ ids).sort(\.$year).all()
    }

    // MARK: decisions

    /// Decisions the scope sees: its territory's, and for a school set those about its schools.
    public func decisions(_ scope: AccessScope, openOnly: Bool = false) async throws -> [DecisionModel] {
        var query = DecisionModel.query(on: db)
        switch scope {
        case .everything: break
        case .region(let id): query = query.filter(\.$regionID == id)
        case .municipality(let id): query = query.filter(\.$municipalityID == id)
        case .schools(let ids): query = query.filter(\.$schoolID ~~ Array(ids))
        }
        if openOnly { query = query.filter(\.$status == DecisionStatus.open.rawValue) }
        return try await query.sort(\.$createdAt, .descending).sort(\.$id, .descending).all()
    }

    public struct NewDecision: Sendable {
        public var programmeID: Int?
        public var schoolID: Int?
        public var place: AuditPlace
        public var kind: FindingKind
        public var findingRef: Int?
        public var finding: String
        public var decision: String
        public var responsible: String
        public var due: CalendarDay?
        /// The level of authority taking the decision (`DecisionOwnerLevel.of(creator:)`); by default the place's
        /// municipality, else its region.
        public var ownerLevel: DecisionOwnerLevel

        public init(
            programmeID: Int?, schoolID: Int?, place: AuditPlace, kind: FindingKind, findingRef: Int?, finding: String, decision: String,
            responsible: String, due: CalendarDay?, ownerLevel: DecisionOwnerLevel? = nil
        ) {
            self.ownerLevel = ownerLevel ?? (place.municipalityID != nil ? .municipality : .region)
            self.programmeID = programmeID
            self.schoolID = schoolID
            self.place = place
            self.kind = kind
            self.findingRef = findingRef
            self.finding = finding
            self.decision = decision
            self.responsible = responsible
            self.due = due
        }
    }

    @discardableResult
    public func createDecision(_ new: NewDecision, actor: Actor) async throws -> DecisionModel {
        for (field, text, limit) in [
            ("Основание", new.finding, 2000), ("Решение", new.decision, 5000), ("Ответственный", new.responsible, 300),
        ] {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { throw RepositoryError.invalid(field: field, message: "обязательно") }
            try RepositoryError.check(trimmed, field: field, limit: limit, multiline: field != "Ответственный")
        }
        return try await db.transaction { tx in
            let model = DecisionModel()
            model.programmeID = new.programmeID
            model.regionID = new.place.regionID
            model.municipalityID = new.place.municipalityID
            model.schoolID = new.schoolID
            model.ownerLevel = new.ownerLevel.rawValue
            model.findingKind = new.kind.rawValue
            model.findingRef = new.findingRef
            model.finding = new.finding.trimmingCharacters(in: .whitespacesAndNewlines)
            model.decision = new.decision.trimmingCharacters(in: .whitespacesAndNewlines)
            model.responsible = new.responsible.trimmingCharacters(in: .whitespacesAndNewlines)
            model.dueOn = new.due?.iso
            model.status = DecisionStatus.open.rawValue
            model.version = 1
            model.createdBy = actor.login
            model.createdAt = Date()
            model.updatedAt = Date()
            try await model.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "decision", entityID: model.id,
                                      summary: "Управленческое решение: \(model.decision.prefix(120))", place: new.place)
            return model
        }
    }

    public func closeDecision(_ id: Int, expectedVersion: Int, status: DecisionStatus, outcome: String?, actor: Actor) async throws {
        if status != .open, (outcome ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw RepositoryError.invalid(field: "Результат", message: "опишите, что сделано (или почему решение отменено)")
        }
        try await db.transaction { tx in
            guard let decision = try await DecisionModel.find(id, on: tx) else { throw RepositoryError.notFound(entity: "решение") }
            try await OptimisticLock.claim(table: DecisionModel.schema, id: id, expected: expectedVersion, on: tx)
            let old = decision.decisionStatus
            try await tx.sql.update(DecisionModel.schema).set("status", to: status.rawValue).set("outcome", to: outcome)
                .set("updated_at", to: Date()).where("id", .equal, id).run()
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "decision", entityID: id,
                summary: "Решение «\(decision.decision.prefix(80))»: \(status.russianName)",
                changes: [FieldChange(field: "статус", old: old.russianName, new: status.russianName)],
                place: AuditPlace(regionID: decision.regionID, municipalityID: decision.municipalityID, schoolID: decision.schoolID))
        }
    }
}

/// The passport form's fields and their limits, the same for the page and the repository.
public enum PassportLimits {
    public static let name = 1_000
    public static let goal = 5_000
    /// Each list of the passport (tasks, participants, …) as typed, one item a line.
    public static let list = 50_000
    public static let orderNumber = 100
    public static let note = 1_000
}
