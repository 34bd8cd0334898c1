import Foundation

/// Why a person gets an e-mail. Each event names who it is for; a user receives it only when the item's school
/// (or territory) lies within their scope — the same scope that opens the linked page.
public enum NotificationEvent: String, Sendable, Hashable, CaseIterable, Codable {
    case programmeReturned = "programme_returned"
    case programmeSubmitted = "programme_submitted"
    case programmeApproved = "programme_approved"
    case curatorAssigned = "curator_assigned"
    case measureOverdue = "measure_overdue"
    case digest
    case mentorPairAssigned = "mentor_pair_assigned"

    /// As the settings on `/account` name it.
    public var russianName: String {
        switch self {
        case .programmeReturned: "программа школы возвращена на доработку"
        case .programmeSubmitted: "программа школы отправлена на проверку"
        case .programmeApproved: "программа школы утверждена"
        case .curatorAssigned: "назначен куратор"
        case .measureOverdue: "мероприятие дорожной карты просрочено"
        case .digest: "ежедневная сводка «Сегодня»"
        case .mentorPairAssigned: "назначена школа-наставник"
        }
    }

    /// The roles an event is for: the school answers a return, its reviewers a submission.
    public var audience: Set<Role> {
        switch self {
        case .programmeReturned, .programmeApproved: [.schoolAdmin]
        case .programmeSubmitted: [.curator, .municipalCoordinator]
        case .curatorAssigned: [.curator, .schoolAdmin]
        case .measureOverdue: [.municipalCoordinator, .regionalAnalyst, .schoolAdmin]
        case .digest: [.regionalAnalyst, .municipalCoordinator, .curator, .schoolAdmin]
        case .mentorPairAssigned: [.schoolAdmin, .curator]
        }
    }
}

/// Who receives an event about a school: a role of its audience whose scope contains the school.
public enum NotificationAudience {
    public static func receives(_ event: NotificationEvent, role: Role, scope: AccessScope, place: SchoolPlace) -> Bool {
        event.audience.contains(role) && scope.contains(place)
    }

    /// An event about a territory's programme: those who may change it (`ProgrammeAccess.canChange`).
    public static func receives(_ event: NotificationEvent, role: Role, scope: AccessScope, programme: ProgrammePlace) -> Bool {
        event.audience.contains(role) && ProgrammeAccess.canChange(programme, role: role, scope: scope)
    }
}

/// The Russian text of each message: what happened, where, and the link to where it is done.
public enum NotificationText {
    public struct Content: Sendable, Hashable {
        public let subject: String
        public let body: String
    }

    public static let signature = "—\nИнформационная система «Опора»"

    public static func programme(_ event: NotificationEvent, title: String, school: String, actor: String, link: String) -> Content {
        let what: String, subject: String
        switch event {
        case .programmeReturned:
            subject = "Программа возвращена на доработку: \(school)"
            what = "Программа «\(title)» (\(school)) возвращена на доработку. Проверивший: \(actor).\n"
                + "Откройте программу, ответьте на замечания и отправьте её на проверку снова."
        case .programmeSubmitted:
            subject = "Программа на проверку: \(school)"
            what = "Программа «\(title)» (\(school)) отправлена на проверку. Отправил: \(actor).\n"
                + "Проверьте её: верните с замечаниями или утвердите."
        default:
            subject = "Программа утверждена: \(school)"
            what = "Программа «\(title)» (\(school)) утверждена. Утвердил: \(actor)."
        }
        return Content(subject: subject, body: what + "\n\nСсылка: \(link)")
    }

    public static func curatorAssigned(curator: String, school: String, from: CalendarDay, link: String) -> Content {
        Content(subject: "Назначен куратор: \(school)",
                body: "Куратором школы «\(school)» с \(from.russian) назначен(а) \(curator).\n\nСсылка: \(link)")
    }

    /// A mentor pair assigned: both schools' people learn who works with whom, for which years.
    public static func mentorPairAssigned(mentor: String, supported: String, years: ClosedRange<Int>, link: String) -> Content {
        let period = years.count == 1 ? "на \(years.lowerBound) год" : "на \(years.lowerBound)–\(years.upperBound) годы"
        return Content(subject: "Назначена школа-наставник: \(supported)",
                       body: "Школа «\(mentor)» назначена наставником школы «\(supported)» \(period).\n\nСсылка: \(link)")
    }

    public static func measureOverdue(plan: String, measures: [String], link: String) -> Content {
        let list = measures.prefix(20).map { "• \($0)" }.joined(separator: "\n")
        let more = measures.count > 20 ? "\n… и ещё \(measures.count - 20)" : ""
        return Content(subject: "Просрочены мероприятия: \(plan)",
                       body: "В дорожной карте «\(plan)» просрочены мероприятия (\(measures.count)):\n\(list)\(more)\n\nСсылка: \(link)")
    }

    /// The daily digest: «Сегодня» as a letter, grouped by kind, each line with its link.
    public static func digest(_ items: [TodayItem], day: CalendarDay, baseURL: String) -> Content {
        var lines = ["На \(day.russian) вас ждёт дел: \(items.count).", ""]
        for task in TodayTask.allCases {
            let group = items.filter { $0.task == task }
            guard !group.isEmpty else { continue }
            lines.append("\(task.russianName) (\(group.count)):")
            for item in group {
                lines.append("• \(item.title) — \(item.detail)\(item.late ? " [просрочено]" : "")\n  \(baseURL)\(item.path)")
            }
            lines.append("")
        }
        lines.append("Все дела: \(baseURL)/")
        return Content(subject: "Сегодня в «Опоре»: \(items.count) \(RussianFormat.plural(items.count, "дело", "дела", "дел"))",
                       body: lines.joined(separator: "\n"))
    }

    /// Every message ends with where to change the settings and the one-click unsubscribe.
    public static func withFooter(_ content: Content, settings: String, unsubscribe: String) -> Content {
        Content(subject: content.subject, body: content.body + "\n\n\(signature)\n"
                + "Настроить письма: \(settings)\nОтписаться от таких писем одним щелчком: \(unsubscribe)\n")
    }
}
