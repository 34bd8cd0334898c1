import FluentKit
import Foundation
import OporaDomain

/// School programmes, their submitted versions and review comments. Who may do what is the domain's
/// `ProgrammeWorkflow`; here every change is checked against the version the user opened and audited.
public struct ProgrammeRepository: Sendable {
    public let db: any Database
    public let actor: Actor

    public init(db: any Database, actor: Actor) {
        self.db = db
        self.actor = actor
    }

    // MARK: reading

    /// Programmes of the schools in scope, with their school and its municipality.
    public func programmes(_ scope: AccessScope, schoolID: Int? = nil) async throws -> [SchoolProgrammeModel] {
        var ids = try await ScopeQueries.schoolIDs(scope, on: db)
        if let schoolID { ids = ids.filter { $0 == schoolID } }
        guard !ids.isEmpty else { return [] }
        return try await SchoolProgrammeModel.query(on: db).filter(\.$school.$id ~~ ids)
            .with(\.$school) { $0.with(\.$municipality) }.with(\.$revisions).sort(\.$id).all()
    }

    /// One programme if its school is in scope (nil otherwise: the page answers 404).
    public func find(_ id: Int, scope: AccessScope) async throws -> SchoolProgrammeModel? {
        guard let programme = try await SchoolProgrammeModel.query(on: db).filter(\.$id == id)
            .with(\.$school) { $0.with(\.$municipality) }.with(\.$revisions).first() else { return nil }
        let visible = try await ScopeQueries.schools(scope, on: db).filter(\.$id == programme.$school.id).count() > 0
        return visible ? programme : nil
    }

    public func comments(_ programmeID: Int) async throws -> [ProgrammeCommentModel] {
        try await ProgrammeCommentModel.query(on: db).filter(\.$programmeID == programmeID).sort(\.$id).all()
    }

    /// The remarks not yet resolved (replies are part of their remark's thread, not remarks of their own).
    public func openRemarks(_ programmeID: Int, on db: (any Database)? = nil) async throws -> [ProgrammeCommentModel] {
        try await ProgrammeCommentModel.query(on: db ?? self.db).filter(\.$programmeID == programmeID).filter(\.$resolved == false)
            .filter(\.$parentID == nil).sort(\.$id).all()
    }

    /// Refuses to send or approve over open remarks the user has not confirmed (`ProgrammeWorkflow.needsConfirmation`).
    func checkOpenRemarks(_ id: Int, action: ProgrammeAction, confirmed: Bool, on tx: any Database) async throws {
        let open = try await openRemarks(id, on: tx).count
        if ProgrammeWorkflow.needsConfirmation(action, openRemarks: open) && !confirmed {
            throw RepositoryError.invalid(field: "Замечания", message: ProgrammeWorkflow.confirmationMessage(action, openRemarks: open))
        }
    }

    // MARK: writing

    public func create(schoolID: Int, kind: ProgrammeKind, factor: Int?, title: String, period: ClosedRange<Int>,
                       content: ProgrammeContent = ProgrammeContent()) async throws -> SchoolProgrammeModel {
        let name = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw RepositoryError.invalid(field: "Название", message: "обязательно") }
        try RepositoryError.check(name, field: "Название", limit: 300)
        if kind == .antiRisk, factor.map({ !RiskFactor.numbers.contains($0) }) ?? true {
            throw RepositoryError.invalid(field: "Фактор риска", message: "антирисковая программа пишется по одному фактору риска (1–12)")
        }
        return try await db.transaction { tx in
            let programme = SchoolProgrammeModel()
            programme.$school.id = schoolID
            programme.kind = kind.rawValue
            programme.factor = kind == .antiRisk ? factor : nil
            programme.title = name
            programme.startYear = period.lowerBound
            programme.endYear = period.upperBound
            programme.status = ProgrammeStatus.draft.rawValue
            programme.contentJSON = try Self.json(content.withStableIDs(previous: nil))
            programme.version = 1
            programme.updatedAt = Date()
            programme.updatedBy = actor.login
            try await programme.create(on: tx)
            try await AuditLog.record(
                on: tx, actor: actor, action: "create", entity: "programme", entityID: programme.id,
                summary: "Создана программа «\(programme.title)» (\(kind.russianName), \(period.lowerBound)–\(period.upperBound))",
                place: AuditPlace(schoolID: schoolID))
            return programme
        }
    }

    /// Saves the draft if nobody saved it since `expectedVersion`; an approved programme becomes a new draft.
    public func save(_ id: Int, expectedVersion: Int, content: ProgrammeContent) async throws {
        try await db.transaction { tx in
            guard let programme = try await SchoolProgrammeModel.find(id, on: tx) else {
                throw RepositoryError.notFound(entity: "программа")
            }
            guard programme.programmeStatus != .submitted else {
                throw RepositoryError.invalid(
                    field: "Программа", message: "на проверке у куратора: изменить её можно после возврата на доработку")
            }
            try await OptimisticLock.claim(table: SchoolProgrammeModel.schema, id: id, expected: expectedVersion, on: tx)
            // Each item keeps its id, so a remark stays on its item whatever was inserted or removed before it.
            let content = content.withStableIDs(previous: programme.content)
            let changes = ProgrammeChange.compare(programme.content, content)
            let status = ProgrammeWorkflow.status(after: .edit, from: programme.programmeStatus)
            try await SchoolProgrammeModel.query(on: tx).filter(\.$id == id)
                .set(\.$contentJSON, to: try Self.json(content)).set(\.$status, to: status.rawValue)
                .set(\.$updatedAt, to: Date()).set(\.$updatedBy, to: actor.login).update()
            guard !changes.isEmpty else { return }
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "programme", entityID: id,
                                      summary: "Изменена программа «\(programme.title)»", changes: Self.fieldChanges(changes),
                                      place: AuditPlace(schoolID: programme.$school.id))
        }
    }

    /// Sends the current content for review as a new numbered version; over open remarks only when `confirmed`.
    public func submit(_ id: Int, expectedVersion: Int, confirmed: Bool = false) async throws {
        try await db.transaction { tx in
            guard let programme = try await SchoolProgrammeModel.find(id, on: tx) else {
                throw RepositoryError.notFound(entity: "программа")
            }
            guard programme.programmeStatus == .draft || programme.programmeStatus == .returned else {
                throw RepositoryError.invalid(field: "Программа", message: "уже \(programme.programmeStatus.russianName)")
            }
            let problems = programme.content.problemsBeforeSubmission(period: programme.period)
            guard problems.isEmpty else {
                throw RepositoryError.invalid(field: "Перед отправкой", message: problems.joined(separator: "; "))
            }
            try await checkOpenRemarks(id, action: .submit, confirmed: confirmed, on: tx)
            try await OptimisticLock.claim(table: SchoolProgrammeModel.schema, id: id, expected: expectedVersion, on: tx)
            let number = try await ProgrammeRevisionModel.query(on: tx).filter(\.$programme.$id == id).count() + 1
            let revision = ProgrammeRevisionModel()
            revision.$programme.id = id
            revision.number = number
            revision.contentJSON = programme.contentJSON
            revision.submittedBy = actor.login
            revision.submittedAt = Date()
            try await revision.create(on: tx)
            try await SchoolProgrammeModel.query(on: tx).filter(\.$id == id)
                .set(\.$status, to: ProgrammeStatus.submitted.rawValue).set(\.$submittedAt, to: Date())
                .set(\.$updatedAt, to: Date()).set(\.$updatedBy, to: actor.login).update()
            try await AuditLog.record(
                on: tx, actor: actor, action: "submit", entity: "programme", entityID: id,
                summary: "Программа «\(programme.title)» отправлена на проверку (редакция \(number))",
                changes: [
                    FieldChange(field: "статус", old: programme.programmeStatus.russianName, new: ProgrammeStatus.submitted.russianName)
                ],
                place: AuditPlace(schoolID: programme.$school.id))
            try await Notifications.programme(.programmeSubmitted, programme, actor: actor, on: tx)
        }
    }

    /// Returns the submitted version for revision or approves it (over open remarks only when `confirmed`).
    public func decide(_ id: Int, expectedVersion: Int, action: ProgrammeAction, confirmed: Bool = false) async throws {
        guard action == .approve || action == .returnForRevision else {
            throw RepositoryError.invalid(field: "Решение", message: "неизвестно")
        }
        try await db.transaction { tx in
            guard let programme = try await SchoolProgrammeModel.find(id, on: tx) else {
                throw RepositoryError.notFound(entity: "программа")
            }
            guard programme.programmeStatus == .submitted else {
                throw RepositoryError.invalid(field: "Программа", message: "не на проверке (\(programme.programmeStatus.russianName))")
            }
            try await checkOpenRemarks(id, action: action, confirmed: confirmed, on: tx)
            try await OptimisticLock.claim(table: SchoolProgrammeModel.schema, id: id, expected: expectedVersion, on: tx)
            let status = ProgrammeWorkflow.status(after: action, from: .submitted)
            try await SchoolProgrammeModel.query(on: tx).filter(\.$id == id)
                .set(\.$status, to: status.rawValue).set(\.$updatedAt, to: Date()).set(\.$updatedBy, to: actor.login).update()
            if let revision = try await ProgrammeRevisionModel.query(on: tx).filter(\.$programme.$id == id).sort(\.$number, .descending)
                .first()
            {
                revision.decision = status.rawValue
                revision.decidedBy = actor.login
                revision.decidedAt = Date()
                try await revision.update(on: tx)
            }
            try await AuditLog.record(
                on: tx, actor: actor, action: action.rawValue, entity: "programme", entityID: id,
                summary: "Программа «\(programme.title)»: \(status.russianName)",
                changes: [FieldChange(field: "статус", old: ProgrammeStatus.submitted.russianName, new: status.russianName)],
                place: AuditPlace(schoolID: programme.$school.id))
            try await Notifications.programme(action == .approve ? .programmeApproved : .programmeReturned, programme, actor: actor, on: tx)
        }
    }

    /// The longest remark or reply, in characters: a longer one is refused with this limit, never cut.
    public static let remarkLimit = 4000

    /// A remark on an item (or a reply to a remark), against the newest version.
    @discardableResult
    public func comment(
        _ programme: SchoolProgrammeModel, itemKey: String, parentID: Int?, text: String, authorName: String
    ) async throws -> ProgrammeCommentModel {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw RepositoryError.invalid(field: "Замечание", message: "пустое") }
        try RepositoryError.check(body, field: "Замечание", limit: Self.remarkLimit, multiline: true)
        let item = programme.content.items.first { $0.key == itemKey }
        guard itemKey == "general" || item != nil else {
            throw RepositoryError.invalid(field: "Замечание", message: "нет такого пункта программы")
        }
        // The audit names the item as the page does («Показатель 1»), not by its key.
        let itemName = item?.label ?? "документ в целом"
        let id = programme.id!
        return try await db.transaction { tx in
            if let parentID {
                guard let parent = try await ProgrammeCommentModel.find(parentID, on: tx), parent.programmeID == id else {
                    throw RepositoryError.notFound(entity: "замечание")
                }
            }
            let comment = ProgrammeCommentModel()
            comment.programmeID = id
            comment.revision = try await ProgrammeRevisionModel.query(on: tx).filter(\.$programme.$id == id).count()
            comment.itemKey = itemKey
            comment.parentID = parentID
            comment.author = actor.login
            comment.authorName = authorName
            comment.text = body
            comment.resolved = false
            comment.createdAt = Date()
            try await comment.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "comment", entity: "programme", entityID: id,
                                      summary: "Замечание к программе «\(programme.title)» (\(itemName)): \(comment.text.prefix(200))",
                                      place: AuditPlace(schoolID: programme.$school.id))
            return comment
        }
    }

    public func setResolved(_ commentID: Int, programme: SchoolProgrammeModel, resolved: Bool) async throws {
        try await db.transaction { tx in
            guard let comment = try await ProgrammeCommentModel.find(commentID, on: tx), comment.programmeID == programme.id else {
                throw RepositoryError.notFound(entity: "замечание")
            }
            guard comment.resolved != resolved else { return }
            comment.resolved = resolved
            try await comment.update(on: tx)
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "programme", entityID: programme.id,
                summary: "Замечание к программе «\(programme.title)» \(resolved ? "снято" : "открыто снова")",
                changes: [FieldChange(field: "замечание", old: resolved ? "открыто" : "снято", new: resolved ? "снято" : "открыто")],
                place: AuditPlace(schoolID: programme.$school.id))
        }
    }

    static func json(_ content: ProgrammeContent) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(content), as: UTF8.self)
    }

    static func fieldChanges(_ changes: [ProgrammeChange]) -> [FieldChange] {
        changes.map { FieldChange(field: $0.section.russianName, old: $0.old, new: $0.new) }
    }
}
