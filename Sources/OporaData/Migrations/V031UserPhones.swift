import FluentKit

/// A user's work phone, printed with their full name as a document's executor («Исполнитель: …, тел. …»).
struct V031UserPhones: AsyncMigration {
    var name: String { "v031_user_phones" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("phone", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("phone").update()
    }
}
