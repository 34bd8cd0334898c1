import FluentKit
import SQLKit

/// The subject and procedure catalogues, with the entries CONTRACT.md names, as they were when this
/// migration was released (later changes are later migrations or edits in the UI).
struct V002Catalogues: AsyncMigration {
    var name: String { "v002_catalogues" }

    static let subjects: [(code: String, name: String, aliases: [String])] = [
        ("rus", "Русский язык", ["русский", "рус", "рус. яз.", "русский яз."]),
        ("math", "Математика", ["мат", "матем."]),
        ("math_base", "Математика (базовый уровень)", ["математика базовая", "математика (база)", "математика б"]),
        ("math_prof", "Математика (профильный уровень)", ["математика профильная", "математика (профиль)", "математика п"]),
        ("hist", "История", []), ("bio", "Биология", []), ("geo", "География", []), ("phys", "Физика", []),
        ("chem", "Химия", []), ("soc", "Обществознание", []), ("lit", "Литература", []),
        ("eng", "Английский язык", ["английский"]), ("inf", "Информатика", ["информатика и икт"]),
        ("world", "Окружающий мир", []), ("read", "Читательская грамотность", []), ("sci", "Естественнонаучная грамотность", []),
    ]

    static let procedures: [(code: String, shortName: String, name: String)] = [
        ("VPR", "ВПР", "Всероссийские проверочные работы"),
        ("OGE", "ОГЭ", "Основной государственный экзамен"),
        ("EGE", "ЕГЭ", "Единый государственный экзамен"),
        ("GVE", "ГВЭ", "Государственный выпускной экзамен"),
        ("DIAG", "Региональная диагностика", "Региональная диагностическая работа"),
        ("PISA", "Оценка по модели PISA", "Региональная оценка по модели PISA"),
        ("TERM", "Промежуточная аттестация", "Четвертные и годовые отметки, промежуточная аттестация"),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema("subjects")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("aliases", .string, .required)
            .field("version", .int, .required)
            .unique(on: "code")
            .create()
        try await database.schema("procedures")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("short_name", .string, .required)
            .field("name", .string, .required)
            .field("version", .int, .required)
            .unique(on: "code")
            .create()
        let sql = database.sql
        for subject in Self.subjects {
            try await sql.insert(into: "subjects").columns("code", "name", "aliases", "version")
                .values(SQLBind(subject.code), SQLBind(subject.name), SQLBind(subject.aliases.joined(separator: "|")), SQLBind(1)).run()
        }
        for procedure in Self.procedures {
            try await sql.insert(into: "procedures").columns("code", "short_name", "name", "version")
                .values(SQLBind(procedure.code), SQLBind(procedure.shortName), SQLBind(procedure.name), SQLBind(1)).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("procedures").delete()
        try await database.schema("subjects").delete()
    }
}
