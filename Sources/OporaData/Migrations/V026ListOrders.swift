import FluentKit
import SQLKit

/// Approved lists become orders kept with their history: who issued each (the territory's own authority or a higher
/// one, and its name), how each school came onto it (computed, added by hand, or from an order's file), and the
/// schools it took off or that left the list in force, each with its reason.
struct V026ListOrders: AsyncMigration {
    var name: String { "v026_list_orders" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.raw("ALTER TABLE identification_lists ADD COLUMN issuer TEXT NOT NULL DEFAULT ''").run()
        try await sql.raw("ALTER TABLE identification_lists ADD COLUMN authority TEXT NOT NULL DEFAULT 'own'").run()
        // Lists approved before orders named their issuer: the territory they were approved for names it.
        try await sql.raw("UPDATE identification_lists SET issuer = scope_label WHERE issuer = ''").run()
        try await sql.raw("ALTER TABLE identification_list_entries ADD COLUMN origin TEXT NOT NULL DEFAULT 'computed'").run()
        try await database.schema("identification_list_exits")
            .field("id", .int, .identifier(auto: true))
            .field("list_id", .int, .required, .references("identification_lists", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            // On the list in force before the order (an exit) and/or flagged by the criteria when it was approved (taken off).
            .field("was_listed", .bool, .required)
            .field("was_flagged", .bool, .required)
            .field("reason", .string, .required)
            .unique(on: "list_id", "school_id")
            .create()
        try await sql.create(index: "identification_lists_year_idx").on("identification_lists").column("year").run()
        try await sql.create(index: "identification_list_entries_list_idx").on("identification_list_entries").column("list_id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(index: "identification_list_entries_list_idx").run()
        try await sql.drop(index: "identification_lists_year_idx").run()
        try await database.schema("identification_list_exits").delete()
        try await database.schema("identification_list_entries").deleteField("origin").update()
        try await database.schema("identification_lists").deleteField("authority").deleteField("issuer").update()
    }
}
