import FluentKit
import SQLKit
import Foundation
import OporaDomain

/// A regional, municipal or school programme the authority signs: its current passport and the bands it is scored
/// by. Called a plan in code to keep it apart from a school's own programme documents (`SchoolProgrammeModel`).
public final class PlanModel: Model, @unchecked Sendable {
    public static let schema = "programmes"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "code") public var code: String
    @Field(key: "level") public var level: String
    @OptionalField(key: "region_id") public var regionID: Int?
    @OptionalField(key: "municipality_id") public var municipalityID: Int?
    @OptionalField(key: "school_id") public var schoolID: Int?
    @Field(key: "passport_json") public var passportJSON: String
    @Field(key: "start_on") public var startOn: String
    @Field(key: "end_on") public var endOn: String
    @OptionalField(key: "order_number") public var orderNumber: String?
    @OptionalField(key: "order_date") public var orderDate: String?
    @Field(key: "band_high") public var bandHigh: Int
    @Field(key: "band_medium") public var bandMedium: Int
    @Field(key: "band_satisfactory") public var bandSatisfactory: Int
    @Field(key: "version") public var version: Int
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "updated_by") public var updatedBy: String
    /// The first version while it is the only one, kept in this row (`AmendmentModel.storeFirstVersions`): its note,
    /// who adopted it and when; all empty once it is a row of `programme_amendments`.
    @OptionalField(key: "adopted_note") public var adoptedNote: String?
    @OptionalField(key: "adopted_by") public var adoptedBy: String?
    @OptionalField(key: "adopted_at") public var adoptedAt: Date?

    public init() {}

    public var passport: ProgrammePassport {
        if let decoded = try? JSONDecoder().decode(ProgrammePassport.self, from: Data(passportJSON.utf8)) { return decoded }
        let start = CalendarDay(parsing: startOn) ?? CalendarDay(year: 2000, month: 1, day: 1)
        return ProgrammePassport(name: code, start: start, end: CalendarDay(parsing: endOn) ?? start)
    }
    public var name: String { passport.name }
    /// From the start date to the end date (deadlines are read within it); `period.years` for the calendar years.
    public var period: DatePeriod { passport.period }
    public var programmeLevel: ProgrammeLevel { ProgrammeLevel(rawValue: level) ?? .municipality }
    public var bands: ScoreBands { ScoreBands(high: bandHigh, medium: bandMedium, satisfactory: bandSatisfactory) }
    public var place: ProgrammePlace { ProgrammePlace(regionID: regionID ?? 0, municipalityID: municipalityID, schoolID: schoolID) }
}

/// One version of the passport, with the order that approved it (the first is the programme as adopted).
public final class AmendmentModel: Model, @unchecked Sendable {
    public static let schema = "programme_amendments"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "programme_id") public var programmeID: Int
    @Field(key: "number") public var number: Int
    @OptionalField(key: "order_number") public var orderNumber: String?
    @OptionalField(key: "order_date") public var orderDate: String?
    @OptionalField(key: "note") public var note: String?
    @Field(key: "passport_json") public var passportJSON: String
    /// The roadmap under this version, one line per measure; `roadmapAsItStands` for the programme's measures as they
    /// stand (the newest version), read so by `PlanRepository.amendments`.
    @OptionalField(key: "roadmap_json") public var roadmapJSON: String?
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var passport: ProgrammePassport? { try? JSONDecoder().decode(ProgrammePassport.self, from: Data(passportJSON.utf8)) }
    public var roadmap: [String] { roadmapJSON.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? [] }

    /// The `passport_json` of a version whose passport is its programme's as it stands: an import of a million
    /// programmes writes each passport once, not again for its first version. Only a programme's newest version
    /// holds it; `keepPassports` gives such a version its own copy before the programme's passport changes, and
    /// `PlanRepository.amendments` reads it as the programme's.
    static let sameAsProgramme = ""

    /// The `roadmap_json` of a version whose roadmap is its programme's measures as they stand: a roadmap import of a
    /// million measures no longer writes them a second time as the newest version's copy. Only a programme's newest
    /// version holds it; `keepRoadmaps` gives such a version its own copy before a newer version is added.
    static let roadmapAsItStands = ""

    /// Before new versions of the programmes are added: a first version kept in its programme's row becomes a row, then
    /// every version standing for the passport or the roadmap as they are gets its own copy.
    static func keepVersions(_ lines: [Int: [String]], ofProgrammes programmeIDs: [Int], on db: any Database) async throws {
        try await storeFirstVersions(ofProgrammes: programmeIDs, on: db)
        try await keepPassports(ofProgrammes: programmeIDs, on: db)
        try await keepRoadmaps(lines, ofProgrammes: programmeIDs, on: db)
    }

    /// The first versions kept in the rows of `programmeIDs` (V049) written as version 1, with their own copy of the
    /// passport (their roadmap is copied by `keepRoadmaps`), and cleared from the rows.
    static func storeFirstVersions(ofProgrammes programmeIDs: [Int], on db: any Database) async throws {
        for list in BulkRows.idLists(programmeIDs) {
            try await db.sql.raw("""
                INSERT INTO programme_amendments (programme_id, number, order_number, order_date, note, passport_json, roadmap_json,
                  created_by, created_at)
                SELECT id, 1, order_number, order_date, adopted_note, passport_json, \(bind: roadmapAsItStands), adopted_by,
                  COALESCE(adopted_at, updated_at)
                FROM programmes WHERE id IN (\(unsafeRaw: list)) AND adopted_by IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM programme_amendments a WHERE a.programme_id = programmes.id AND a.number = 1)
                """).run()
            try await db.sql.raw("""
                UPDATE programmes SET adopted_note = NULL, adopted_by = NULL, adopted_at = NULL
                WHERE id IN (\(unsafeRaw: list)) AND adopted_by IS NOT NULL
                """).run()
        }
    }

    /// Before new versions of the programmes are added: each of their versions that holds `roadmapAsItStands` gets a copy
    /// of the roadmap as it stands, `lines[programme]` (the measures' `ProgrammePassport.roadmapLine`s in position order).
    private static func keepRoadmaps(_ lines: [Int: [String]], ofProgrammes programmeIDs: [Int], on db: any Database) async throws {
        // Programmes without measures (most of a file of new programmes amended again) get `[]` by one statement a
        // few thousand; the others their lines, a version each.
        let withMeasures = programmeIDs.filter { !(lines[$0] ?? []).isEmpty }, without = programmeIDs.filter { (lines[$0] ?? []).isEmpty }
        for list in BulkRows.idLists(without) {
            try await db.sql.raw("""
                UPDATE programme_amendments SET roadmap_json = '[]' \
                WHERE programme_id IN (\(unsafeRaw: list)) AND roadmap_json = \(bind: roadmapAsItStands)
                """).run()
        }
        var updates: [(id: Int, json: String)] = []
        for list in BulkRows.idLists(withMeasures) {
            updates = try await BulkTable.read("""
                SELECT id, programme_id FROM programme_amendments WHERE programme_id IN (\(list)) AND roadmap_json = '\(roadmapAsItStands)'
                """, on: db, into: updates) { updates, row in
                if let id = row.int(0), let programme = row.int(1) { updates.append((id, PlanJSON.strings(lines[programme] ?? []))) }
            }
        }
        try await PlanImporter.setRoadmaps(updates, on: db)
    }

    /// Before the passports of `programmeIDs` change: each of their versions that holds `sameAsProgramme` gets a copy of
    /// the passport it stands for.
    private static func keepPassports(ofProgrammes programmeIDs: [Int], on db: any Database) async throws {
        for list in BulkRows.idLists(programmeIDs) {
            try await db.sql.raw("""
                UPDATE programme_amendments SET passport_json = \
                (SELECT p.passport_json FROM programmes p WHERE p.id = programme_amendments.programme_id) \
                WHERE programme_id IN (\(unsafeRaw: list)) AND passport_json = \(bind: sameAsProgramme)
                """).run()
        }
    }
}

/// A roadmap measure: the deadline kept as written, the status as reported.
public final class MeasureModel: Model, @unchecked Sendable {
    public static let schema = "roadmap_measures"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "programme_id") public var programmeID: Int
    @Field(key: "position") public var position: Int
    @Field(key: "section") public var section: String
    @Field(key: "number") public var number: String
    @Field(key: "measure") public var measure: String
    @Field(key: "deadline") public var deadline: String
    @OptionalField(key: "responsible") public var responsible: String?
    @OptionalField(key: "result") public var result: String?
    @Field(key: "status") public var status: String
    @OptionalField(key: "done_on") public var doneOn: String?
    @OptionalField(key: "year") public var year: Int?
    @OptionalField(key: "comment") public var comment: String?
    @OptionalField(key: "evidence") public var evidence: String?
    @OptionalField(key: "dated_on") public var datedOn: String?
    @Field(key: "version") public var version: Int
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "updated_by") public var updatedBy: String

    public init() {}

    public var measureStatus: MeasureStatus { MeasureStatus(rawValue: status) ?? .planned }
}

/// A measure read for display in bulk: plain columns decoded by SQLKit, without Fluent's per-row reflection
/// (a 10 000-measure roadmap read in a fraction of the time).
public struct MeasureRow: Sendable, Decodable {
    public let id: Int
    public let programme_id: Int
    public let position: Int
    public let section: String
    public let number: String
    public let measure: String
    public let deadline: String
    public let responsible: String?
    public let result: String?
    public let status: String
    public let done_on: String?
    public let year: Int?
    public let comment: String?
    public let evidence: String?
    public let dated_on: String?
    public let version: Int

    public static let columns = [
        "id", "programme_id", "position", "section", "number", "measure", "deadline", "responsible", "result", "status",
        "done_on", "year", "comment", "evidence", "dated_on", "version",
    ]

    public init(_ model: MeasureModel) {
        id = model.id ?? 0
        programme_id = model.programmeID
        position = model.position
        section = model.section
        number = model.number
        measure = model.measure
        deadline = model.deadline
        responsible = model.responsible
        result = model.result
        status = model.status
        done_on = model.doneOn
        year = model.year
        comment = model.comment
        evidence = model.evidence
        dated_on = model.datedOn
        version = model.version
    }

    public var domain: RoadmapMeasure {
        RoadmapMeasure(section: section, number: number, measure: measure, deadline: deadline, responsible: responsible,
                       status: MeasureStatus(rawValue: status) ?? .planned, doneOn: done_on.flatMap(CalendarDay.init(parsing:)), year: year,
                       datedOn: dated_on.flatMap(CalendarDay.init(parsing:)))
    }
}

public final class IndicatorModel: Model, @unchecked Sendable {
    public static let schema = "programme_indicators"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "programme_id") public var programmeID: Int
    @Field(key: "position") public var position: Int
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "unit") public var unit: String?
    @Field(key: "direction") public var direction: String
    @OptionalField(key: "baseline") public var baseline: Double?
    @OptionalField(key: "baseline_year") public var baselineYear: Int?
    @OptionalField(key: "formula") public var formula: String?
    @OptionalField(key: "periodicity") public var periodicity: String?
    @OptionalField(key: "months") public var months: String?
    @OptionalField(key: "source") public var source: String?
    @OptionalField(key: "responsible") public var responsible: String?

    public init() {}

    public var indicatorDirection: IndicatorDirection { IndicatorDirection(rawValue: direction) ?? .up }
    public var indicatorFormula: IndicatorFormula? { formula.flatMap(IndicatorFormula.init(rawValue:)) }
    public var monthList: [Int] { (months ?? "").split(separator: ",").compactMap { Int($0) } }
    public var monitored: MonitoredIndicator {
        MonitoredIndicator(code: code, name: name, direction: indicatorDirection, months: monthList)
    }
}

public final class IndicatorValueModel: Model, @unchecked Sendable {
    public static let schema = "indicator_values"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "indicator_id") public var indicatorID: Int
    @Field(key: "year") public var year: Int
    @Field(key: "phase") public var phase: String
    @Field(key: "value") public var value: Double
    @OptionalField(key: "target") public var target: Double?
    @OptionalField(key: "presence") public var presence: Int?
    @OptionalField(key: "dynamics") public var dynamics: Int?
    @OptionalField(key: "documentation") public var documentation: Int?
    @OptionalField(key: "points") public var points: Int?
    @OptionalField(key: "comment") public var comment: String?
    @Field(key: "entered_by") public var enteredBy: String
    @Field(key: "entered_at") public var enteredAt: Date

    public init() {}

    public var monitoringPhase: MonitoringPhase { MonitoringPhase(rawValue: phase) ?? .final }
}

public final class DecisionModel: Model, @unchecked Sendable {
    public static let schema = "management_decisions"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @OptionalField(key: "programme_id") public var programmeID: Int?
    @OptionalField(key: "region_id") public var regionID: Int?
    @OptionalField(key: "municipality_id") public var municipalityID: Int?
    @OptionalField(key: "school_id") public var schoolID: Int?
    /// `DecisionOwnerLevel`: who took the decision, and so who may close it.
    @Field(key: "owner_level") public var ownerLevel: String
    @Field(key: "finding_kind") public var findingKind: String
    @OptionalField(key: "finding_ref") public var findingRef: Int?
    @Field(key: "finding") public var finding: String
    @Field(key: "decision") public var decision: String
    @Field(key: "responsible") public var responsible: String
    @OptionalField(key: "due_on") public var dueOn: String?
    @Field(key: "status") public var status: String
    @OptionalField(key: "outcome") public var outcome: String?
    @Field(key: "version") public var version: Int
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var decisionStatus: DecisionStatus { DecisionStatus(rawValue: status) ?? .open }
    public var kind: FindingKind { FindingKind(rawValue: findingKind) ?? .other }
    public var due: CalendarDay? { dueOn.flatMap(CalendarDay.init(parsing:)) }
    public var owner: DecisionOwner {
        DecisionOwner(level: DecisionOwnerLevel(rawValue: ownerLevel) ?? .region, regionID: regionID, municipalityID: municipalityID,
                      schoolID: schoolID)
    }
}
