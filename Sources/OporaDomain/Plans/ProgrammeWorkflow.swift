import Foundation

/// The review of a school's programme: the school drafts and submits, its curator (or the authority) comments,
/// returns or approves. Every rule of who may do what lives here; pages and routes ask it.
public enum ProgrammeStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, submitted, returned, approved

    public var russianName: String {
        switch self {
        case .draft: "черновик"
        case .submitted: "на проверке"
        case .returned: "возвращена на доработку"
        case .approved: "утверждена"
        }
    }
}

public enum ProgrammeAction: String, Sendable, CaseIterable {
    case edit, submit, comment, returnForRevision = "return", approve
    /// Marking a remark resolved (or open again): the reviewer's word, not the school's.
    case resolveRemark = "resolve"
}

/// Who acts, as far as a programme is concerned.
public struct ProgrammeParticipant: Sendable, Hashable {
    public let role: Role
    /// The school is in the user's scope (a school administrator's own school, a curator's school, the
    /// coordinator's municipality, the analyst's region).
    public let seesSchool: Bool

    public init(role: Role, seesSchool: Bool) {
        self.role = role
        self.seesSchool = seesSchool
    }

    var writesTheProgramme: Bool { seesSchool && role == .schoolAdmin }
    var reviews: Bool { seesSchool && (role == .curator || role == .municipalCoordinator || role == .regionalAnalyst) }
}

public enum ProgrammeWorkflow {
    /// Days a submitted programme may wait for review before the board marks it overdue.
    public static let reviewDays = 14

    public static func allows(_ action: ProgrammeAction, _ status: ProgrammeStatus, by participant: ProgrammeParticipant) -> Bool {
        switch action {
        case .edit: participant.writesTheProgramme && status != .submitted
        case .submit: participant.writesTheProgramme && (status == .draft || status == .returned)
        case .comment: participant.writesTheProgramme || participant.reviews
        case .returnForRevision, .approve: participant.reviews && status == .submitted
        case .resolveRemark: participant.reviews
        }
    }

    /// Sending or approving a programme that still has open remarks is done only once the user confirmed it,
    /// having seen the remarks named: the school may disagree with a remark, the reviewer may let it go, but
    /// neither by oversight.
    public static func needsConfirmation(_ action: ProgrammeAction, openRemarks: Int) -> Bool {
        (action == .submit || action == .approve) && openRemarks > 0
    }

    /// What a request without the confirmation is told.
    public static func confirmationMessage(_ action: ProgrammeAction, openRemarks: Int) -> String {
        let verb = action == .approve ? "утвердить" : "отправить на проверку"
        return "У программы открытых замечаний: \(openRemarks). Чтобы \(verb) её с ними, подтвердите это (confirm=1)"
    }

    /// The status after an action; an edit of an approved programme opens a new draft.
    public static func status(after action: ProgrammeAction, from status: ProgrammeStatus) -> ProgrammeStatus {
        switch action {
        case .edit: status == .approved ? .draft : status
        case .submit: .submitted
        case .comment, .resolveRemark: status
        case .returnForRevision: .returned
        case .approve: .approved
        }
    }

    /// A submitted programme waiting longer than `reviewDays`.
    public static func isOverdue(_ status: ProgrammeStatus, submittedAt: Date?, now: Date) -> Bool {
        guard status == .submitted, let submittedAt else { return false }
        return now.timeIntervalSince(submittedAt) > Double(reviewDays) * 86_400
    }
}
