import Foundation

/// What `opora check` verifies, defined once: the references between our tables (declared foreign keys and the
/// ones kept without a constraint), the parts a record cannot be without, and the records whose creation the audit
/// log must show. The data layer runs one query per item; pages, the command line and `/health` only read the report.
public enum DatabaseCheckRules {
    /// Every reference of the schema as of V036, one per column. `zeroMeansNone`: 0 stands for «none» / «every
    /// territory» (benchmarks and events of the whole installation). Not listed, on purpose: `management_decisions.
    /// finding_ref` (a note of what prompted the decision; a re-imported roadmap replaces the measure it named) and
    /// `audit_log.entity_id` (an entry outlives what it describes: a revoked token, a replaced event).
    public static let references: [TableReference] = [
        .init("municipalities", "region_id", "regions", declared: true, "муниципалитет своего региона"),
        .init("schools", "municipality_id", "municipalities", declared: true, "школа своего муниципалитета"),
        .init("users", "region_id", "regions", declared: true, "регион пользователя"),
        .init("users", "municipality_id", "municipalities", declared: true, "муниципалитет пользователя"),
        .init("user_schools", "user_id", "users", declared: true, "школы пользователя"),
        .init("user_schools", "school_id", "schools", declared: true, "школы пользователя"),
        .init("api_tokens", "user_id", "users", declared: true, "владелец API-токена"),
        .init("user_sessions", "user_id", "users", declared: true, "сеанс пользователя", rowID: nil),
        .init("audit_log", "user_id", "users", declared: false, "автор записи журнала"),
        .init("audit_log", "region_id", "regions", declared: false, "место записи журнала: регион"),
        .init("audit_log", "municipality_id", "municipalities", declared: false, "место записи журнала: муниципалитет"),
        .init("audit_log", "school_id", "schools", declared: false, "место записи журнала: школа"),
        .init("results", "school_id", "schools", declared: true, "результаты школы"),
        .init("score_groups", "school_id", "schools", declared: true, "работы обучающихся школы"),
        .init("score_group_rows", "group_id", "score_groups", declared: true, "строки обучающихся работы", rowID: "group_id"),
        .init("benchmarks", "owner_region_id", "regions", declared: false, "регион, загрузивший сравнительные данные",
              zeroMeansNone: true),
        .init("context_values", "school_id", "schools", declared: true, "контекстные данные школы"),
        .init("identification_lists", "region_id", "regions", declared: false, "регион приказа о перечне"),
        .init("identification_lists", "municipality_id", "municipalities", declared: false, "муниципалитет приказа о перечне"),
        .init("identification_list_entries", "list_id", "identification_lists", declared: true, "школа в приказе о перечне"),
        .init("identification_list_entries", "school_id", "schools", declared: true, "школа в приказе о перечне"),
        .init("identification_list_exits", "list_id", "identification_lists", declared: true, "выход школы из перечня"),
        .init("identification_list_exits", "school_id", "schools", declared: true, "выход школы из перечня"),
        .init("criteria_sets", "region_id", "regions", declared: false, "регион набора критериев"),
        .init("criteria_sets", "municipality_id", "municipalities", declared: false, "муниципалитет набора критериев"),
        .init("direction_sets", "region_id", "regions", declared: false, "регион набора направлений"),
        .init("direction_sets", "municipality_id", "municipalities", declared: false, "муниципалитет набора направлений"),
        .init("risk_ratings", "school_id", "schools", declared: true, "рисковый профиль школы"),
        .init("risk_ratings", "factor", "risk_factors", declared: true, "фактор риска оценки", targetColumn: "number"),
        .init("school_programmes", "school_id", "schools", declared: true, "программа школы"),
        .init("school_programmes", "factor", "risk_factors", declared: false, "фактор риска антирисковой программы",
              targetColumn: "number"),
        .init("programme_revisions", "programme_id", "school_programmes", declared: true, "редакция программы школы"),
        .init("programme_comments", "programme_id", "school_programmes", declared: true, "замечание к программе школы"),
        .init("programme_measure_reports", "programme_id", "school_programmes", declared: true, "выполнение мероприятия программы школы"),
        .init("programme_indicator_readings", "programme_id", "school_programmes", declared: true,
              "значение показателя программы школы"),
        .init("exit_criteria_sets", "region_id", "regions", declared: true, "регион критериев выхода"),
        .init("exit_criteria_sets", "municipality_id", "municipalities", declared: true, "муниципалитет критериев выхода"),
        .init("programme_comments", "parent_id", "programme_comments", declared: false, "ответ на замечание"),
        .init("programmes", "region_id", "regions", declared: true, "регион программы"),
        .init("programmes", "municipality_id", "municipalities", declared: true, "муниципалитет программы"),
        .init("programmes", "school_id", "schools", declared: true, "школа программы"),
        .init("programme_amendments", "programme_id", "programmes", declared: true, "изменение программы"),
        .init("roadmap_measures", "programme_id", "programmes", declared: true, "мероприятие дорожной карты"),
        .init("programme_indicators", "programme_id", "programmes", declared: true, "показатель программы"),
        .init("indicator_values", "indicator_id", "programme_indicators", declared: true, "значение показателя"),
        .init("management_decisions", "programme_id", "programmes", declared: true, "программа управленческого решения"),
        .init("management_decisions", "region_id", "regions", declared: true, "регион управленческого решения"),
        .init("management_decisions", "municipality_id", "municipalities", declared: true, "муниципалитет управленческого решения"),
        .init("management_decisions", "school_id", "schools", declared: true, "школа управленческого решения"),
        .init("mentor_pairs", "supported_id", "schools", declared: true, "поддерживаемая школа пары"),
        .init("mentor_pairs", "mentor_id", "schools", declared: true, "школа-наставник пары"),
        .init("support_visits", "school_id", "schools", declared: true, "визит в школу"),
        .init("support_events", "owner_region_id", "regions", declared: false, "регион мероприятия", zeroMeansNone: true),
        .init("support_events", "owner_municipality_id", "municipalities", declared: false, "муниципалитет мероприятия",
              zeroMeansNone: true),
        .init("event_participations", "event_id", "support_events", declared: true, "участие в мероприятии"),
        .init("event_participations", "school_id", "schools", declared: true, "участие школы в мероприятии"),
        .init("curator_assignments", "user_id", "users", declared: true, "куратор назначения"),
        .init("curator_assignments", "school_id", "schools", declared: true, "школа назначения куратора"),
        .init("support_organisations", "parent_id", "support_organisations", declared: true, "головная организация"),
        .init("support_organisations", "municipality_id", "municipalities", declared: true, "муниципалитет организации"),
        .init("support_organisations", "region_id", "regions", declared: true, "регион организации"),
        .init("support_organisations", "base_school_id", "schools", declared: true, "базовая школа организации"),
        .init("support_organisation_schools", "organisation_id", "support_organisations", declared: true, "школы организации"),
        .init("support_organisation_schools", "school_id", "schools", declared: true, "школы организации"),
        .init("staff_records", "school_id", "schools", declared: true, "кадры школы"),
        .init("school_staffing", "school_id", "schools", declared: true, "специалисты и вакансии школы"),
        .init("support_forecasts", "programme_id", "programmes", declared: true, "прогноз поддержки программы"),
        .init("mail_outbox", "user_id", "users", declared: true, "получатель письма"),
        .init("mail_preferences", "user_id", "users", declared: true, "настройки писем пользователя"),
        .init("mail_unsubscribe_tokens", "user_id", "users", declared: true, "ссылка для отписки пользователя"),
        .init("task_benchmarks", "owner_region_id", "regions", declared: false, "регион, загрузивший выполнение заданий",
              zeroMeansNone: true),
        .init("task_tallies", "school_id", "schools", declared: true, "баллы по заданиям школы"),
        .init("survey_campaigns", "questionnaire_id", "questionnaires", declared: true, "версия анкеты кампании"),
        .init("survey_campaigns", "region_id", "regions", declared: true, "регион кампании анкетирования"),
        .init("survey_campaigns", "municipality_id", "municipalities", declared: true, "муниципалитет кампании анкетирования"),
        .init("survey_links", "campaign_id", "survey_campaigns", declared: true, "ссылка кампании анкетирования"),
        .init("survey_links", "school_id", "schools", declared: true, "школа ссылки анкетирования"),
        .init("survey_form_tokens", "link_id", "survey_links", declared: true, "одноразовая форма ссылки анкетирования"),
        .init("survey_responses", "link_id", "survey_links", declared: true, "ответ по ссылке анкетирования"),
        .init("survey_answers", "response_id", "survey_responses", declared: true, "ответ на вопрос анкеты"),
    ]

    /// Records that are not whole without a part kept in another table.
    public static let requiredParts: [RequiredPart] = [
        .init("score_groups", part: "score_group_rows", partColumn: "group_id", "работа без строк обучающихся (счётчики без учеников)"),
    ]

    /// The records the authority answers for, each of which the audit log must show being created (in the same
    /// transaction as the record, by every path that creates one: forms, imports, the command line, the demo).
    /// Other changes are audited too, but their absence cannot be told from the data (an edit leaves no trace
    /// but its audit row), so only creation is checked. An authority's programmes are not in the list: an import of
    /// many writes one audit entry per territory (a row per programme would double a large import), so their
    /// creation cannot be told row by row. A school programme is `create`d by its school.
    public static let auditRules: [AuditRule] = [
        .init("users", entity: "user", actions: ["create"], "пользователь",
              auditedSince: .init(column: "created_at", migration: "v004_audit_log")),
        .init("identification_lists", entity: "identification_list", actions: ["create"], "приказ об утверждении перечня"),
        .init("school_programmes", entity: "programme", actions: ["create"], "программа школы"),
        .init("management_decisions", entity: "decision", actions: ["create"], "управленческое решение"),
        .init("survey_campaigns", entity: "survey_campaign", actions: ["create"], "кампания анкетирования"),
    ]

    /// How many faulty rows of one check the report names (the count is always exact).
    public static let listedPerCheck = 50
}

/// `table.column` names a row of `target` by its `targetColumn` (its id, or a catalogue's number).
public struct TableReference: Sendable, Hashable {
    public let table: String
    public let column: String
    public let target: String
    public let targetColumn: String
    /// A declared foreign key: PostgreSQL enforces it; SQLite does only when a connection turns keys on
    /// (Opora's do; the `sqlite3` shell does not), so it is checked like the others.
    public let declared: Bool
    public let zeroMeansNone: Bool
    /// The column naming the row in the report; nil where the row's key is not to be printed (a session's hash).
    public let rowID: String?
    public let meaning: String

    public init(_ table: String, _ column: String, _ target: String, declared: Bool, _ meaning: String,
                targetColumn: String = "id", zeroMeansNone: Bool = false, rowID: String? = "id") {
        self.table = table
        self.column = column
        self.target = target
        self.targetColumn = targetColumn
        self.declared = declared
        self.zeroMeansNone = zeroMeansNone
        self.rowID = rowID
        self.meaning = meaning
    }

    public var name: String { "\(table).\(column) → \(target).\(targetColumn)" }

    public func fault(row: Int?, value: Int) -> CheckFault {
        CheckFault(kind: .reference, check: name, table: table, rowID: row,
                   message: "\(column) = \(value): в таблице \(target) нет записи с \(targetColumn) = \(value) (\(meaning))")
    }
}

/// A record of `table` must have a row of `part` whose `partColumn` is its id.
public struct RequiredPart: Sendable, Hashable {
    public let table: String
    public let part: String
    public let partColumn: String
    public let meaning: String

    public init(_ table: String, part: String, partColumn: String, _ meaning: String) {
        self.table = table
        self.part = part
        self.partColumn = partColumn
        self.meaning = meaning
    }

    public var name: String { "\(table).id ← \(part).\(partColumn)" }

    public func fault(row: Int) -> CheckFault {
        CheckFault(kind: .part, check: name, table: table, rowID: row, message: "нет записи в \(part) (\(meaning))")
    }
}

/// Every row of `table` has an audit row with this `entity`, `entity_id` = its id and one of `actions`.
public struct AuditRule: Sendable, Hashable {
    public let table: String
    public let entity: String
    public let actions: [String]
    public let what: String
    /// Records made before the audit log recorded their creation are exempt: their `column` is earlier than when
    /// `migration` was applied (a database that lived through V003 without V004 has users and no log).
    public let auditedSince: Since?

    public struct Since: Sendable, Hashable {
        public let column: String
        public let migration: String

        public init(column: String, migration: String) {
            self.column = column
            self.migration = migration
        }
    }

    public init(_ table: String, entity: String, actions: [String], _ what: String, auditedSince: Since? = nil) {
        self.table = table
        self.entity = entity
        self.actions = actions
        self.what = what
        self.auditedSince = auditedSince
    }

    public var name: String { "журнал: создание записей \(table) (\(entity))" }

    public func fault(row: Int) -> CheckFault {
        CheckFault(kind: .audit, check: name, table: table, rowID: row,
                   message: "\(what) № \(row): в журнале изменений нет записи о создании "
                       + "(entity «\(entity)», действие «\(actions.joined(separator: "» или «"))»)")
    }
}

/// The schema the database records against the migrations this program knows.
public enum SchemaState {
    public static func faults(applied: [String], known: [String]) -> [CheckFault] {
        let appliedSet = Set(applied)
        let knownSet = Set(known)
        let missing = known.filter { !appliedSet.contains($0) }.map {
            CheckFault(kind: .schema, check: checkName, table: "_fluent_migrations", rowID: nil,
                       message: "миграция \($0) не применена: схема базы старее программы")
        }
        let unknown = applied.filter { !knownSet.contains($0) }.sorted().map {
            CheckFault(kind: .schema, check: checkName, table: "_fluent_migrations", rowID: nil,
                       message: "миграция \($0) неизвестна этой версии программы: база создана более новой версией")
        }
        return missing + unknown
    }

    public static let checkName = "схема: применены все миграции программы"

    /// `current`, `behind` (a migration not applied) or `newer` (a migration this program does not know).
    public static func status(applied: [String], known: [String]) -> String {
        let appliedSet = Set(applied)
        if applied.contains(where: { !Set(known).contains($0) }) { return "newer" }
        return known.allSatisfy(appliedSet.contains) ? "current" : "behind"
    }
}

public struct CheckFault: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// The engine's own check (SQLite's integrity and foreign key checks, PostgreSQL reading every table).
        case engine
        case schema
        case reference
        case part
        case audit
    }

    public let kind: Kind
    public let check: String
    /// Empty when the fault is the database's as a whole.
    public let table: String
    public let rowID: Int?
    public let message: String

    public init(kind: Kind, check: String, table: String, rowID: Int?, message: String) {
        self.kind = kind
        self.check = check
        self.table = table
        self.rowID = rowID
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case kind, check, table, message
        case rowID = "row_id"
    }

    /// «results, строка 17: school_id = 99: …».
    public var line: String {
        let place = table.isEmpty ? "" : (rowID.map { "\(table), строка \($0): " } ?? "\(table): ")
        return place + message
    }
}

/// One check performed, with how many faults it found (all of them, not only those listed).
public struct CheckItem: Codable, Sendable, Hashable {
    public let kind: CheckFault.Kind
    public let name: String
    public let faults: Int

    public init(kind: CheckFault.Kind, name: String, faults: Int) {
        self.kind = kind
        self.name = name
        self.faults = faults
    }
}

/// The outcome of one run of the check: what was checked, and each fault found (up to
/// `DatabaseCheckRules.listedPerCheck` per check).
public struct DatabaseCheckReport: Codable, Sendable {
    public var startedAt: Date
    public var finishedAt: Date
    /// «SQLite» or «PostgreSQL» (never the address: the report is shown on pages).
    public var engine: String
    public var tables: Int
    public var rows: Int
    public var checks: [CheckItem]
    public var faults: [CheckFault]

    public init(startedAt: Date, finishedAt: Date, engine: String, tables: Int, rows: Int, checks: [CheckItem], faults: [CheckFault]) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.engine = engine
        self.tables = tables
        self.rows = rows
        self.checks = checks
        self.faults = faults
    }

    enum CodingKeys: String, CodingKey {
        case engine, tables, rows, checks, faults, ok
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case faultCount = "fault_count"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        finishedAt = try container.decode(Date.self, forKey: .finishedAt)
        engine = try container.decode(String.self, forKey: .engine)
        tables = try container.decode(Int.self, forKey: .tables)
        rows = try container.decode(Int.self, forKey: .rows)
        checks = try container.decode([CheckItem].self, forKey: .checks)
        faults = try container.decode([CheckFault].self, forKey: .faults)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ok, forKey: .ok)
        try container.encode(faultCount, forKey: .faultCount)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(engine, forKey: .engine)
        try container.encode(tables, forKey: .tables)
        try container.encode(rows, forKey: .rows)
        try container.encode(checks, forKey: .checks)
        try container.encode(faults, forKey: .faults)
    }

    public var faultCount: Int { checks.map(\.faults).reduce(0, +) }
    public var ok: Bool { faultCount == 0 }

    /// «нарушений нет» / «найдено нарушений: 3».
    public var verdict: String {
        ok ? "нарушений нет" : "найдено \(RussianFormatCount.faults(faultCount))"
    }

    /// The Russian report `opora check` prints and the details page shows.
    public var text: String {
        var lines = ["Проверка базы данных (\(engine)) \(RussianFormat.dateTime(startedAt)) UTC: \(verdict).",
                     "Прочитано таблиц: \(tables), записей: \(RussianFormat.integer(rows)).", "", "Что проверено:"]
        for item in checks {
            let count = item.faults == 0 ? "" : ": \(RussianFormatCount.faults(item.faults))"
            lines.append("  \(item.faults == 0 ? "✓" : "✗") \(item.name)\(count)")
        }
        if !faults.isEmpty {
            lines.append("")
            lines.append("Нарушения:")
            for item in checks where item.faults > 0 {
                let listed = faults.filter { $0.check == item.name }
                lines.append("  \(item.name):")
                lines += listed.map { "    \($0.line)" }
                if item.faults > listed.count { lines.append("    … и ещё \(item.faults - listed.count)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}

enum RussianFormatCount {
    static func faults(_ count: Int) -> String {
        "\(count) \(RussianFormat.plural(count, "нарушение", "нарушения", "нарушений"))"
    }
}

extension DatabaseCheckRules {
    /// Who sees the check's outcome on the start page and its report: the regional analysts (the administrators
    /// of an installation are analysts of the whole of it). The report names tables and row numbers, never content.
    public static func visible(to role: Role) -> Bool { role == .regionalAnalyst }

    /// How often `serve` runs the check in the background.
    public static let interval: TimeInterval = 24 * 3600

    /// A last outcome older than this is shown as stale (the daily run did not happen).
    public static let staleAfter: TimeInterval = 2 * interval
}

/// When the server's background check runs next: a first check soon after start when none was ever made, then
/// `interval` after the last one (whoever made it: another server process, or `opora check` by hand).
public struct DatabaseCheckSchedule: Sendable, Hashable {
    public var interval: TimeInterval
    /// How long after start a database that was never checked is checked (start-up is not slowed by it).
    public var firstDelay: TimeInterval

    public init(interval: TimeInterval = DatabaseCheckRules.interval, firstDelay: TimeInterval = 60) {
        self.interval = interval
        self.firstDelay = firstDelay
    }

    /// Seconds to wait before the next check (0: now); never more than `interval`, even when the last check is
    /// recorded in the future (a clock set back).
    public func wait(lastFinished: Date?, now: Date) -> TimeInterval {
        guard let lastFinished else { return firstDelay }
        return min(interval, max(0, lastFinished.addingTimeInterval(interval).timeIntervalSince(now)))
    }
}
