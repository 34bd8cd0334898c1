import FluentKit
import SQLKit

struct V003Accounts: AsyncMigration {
    var name: String { "v003_accounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("id", .int, .identifier(auto: true))
            .field("login", .string, .required)
            .field("full_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("region_id", .int, .references("regions", "id"))
            .field("municipality_id", .int, .references("municipalities", "id"))
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "login")
            .create()
        try await database.schema("user_schools")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .unique(on: "user_id", "school_id")
            .create()
        try await database.schema("api_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("name", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["api_tokens", "user_schools", "users"] { try await database.schema(table).delete() }
    }
}
