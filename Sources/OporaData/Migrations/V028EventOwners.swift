import FluentKit
import SQLKit

/// Events belong to the territory that imported them (0: none — a region-wide event has no municipality, an
/// event of the whole installation no region), so that one municipality's «КПК-1» is not another's. An event
/// stored before is given the territory its participants' schools share (their municipality, else their region,
/// else none): imports were not audited with their place, so the schools are the best witness.
/// SQLite cannot change a unique constraint in place: both tables are rebuilt, keeping their ids.
struct V028EventOwners: AsyncMigration {
    var name: String { "v028_event_owners" }

    func prepare(on database: any Database) async throws {
        try await database.schema("support_events_owned")
            .field("id", .int, .identifier(auto: true))
            .field("owner_region_id", .int, .required)
            .field("owner_municipality_id", .int, .required)
            .field("code", .string, .required)
            .field("title", .string)
            .field("kind", .string, .required)
            .field("start_on", .string, .required)
            .field("end_on", .string)
            .field("hours", .double, .required)
            .field("organiser", .string)
            .field("topic", .string)
            .unique(on: "owner_region_id", "owner_municipality_id", "code")
            .create()
        try await database.schema("event_participations_owned")
            .field("id", .int, .identifier(auto: true))
            .field("event_id", .int, .required, .references("support_events_owned", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("participants", .int, .required)
            .field("person", .string)
            .create()
        let sql = database.sql
        try await sql.raw("""
            INSERT INTO support_events_owned (id, owner_region_id, owner_municipality_id, code, title, kind, start_on, end_on, hours,
              organiser, topic)
            SELECT e.id,
              COALESCE((SELECT CASE WHEN COUNT(DISTINCT m.region_id) = 1 THEN MIN(m.region_id) END
                        FROM event_participations p JOIN schools s ON s.id = p.school_id
                        JOIN municipalities m ON m.id = s.municipality_id WHERE p.event_id = e.id), 0),
              COALESCE((SELECT CASE WHEN COUNT(DISTINCT s.municipality_id) = 1 THEN MIN(s.municipality_id) END
                        FROM event_participations p JOIN schools s ON s.id = p.school_id WHERE p.event_id = e.id), 0),
              e.code, e.title, e.kind, e.start_on, e.end_on, e.hours, e.organiser, e.topic
            FROM support_events e
            """).run()
        try await sql.raw("""
            INSERT INTO event_participations_owned (id, event_id, school_id, role, participants, person)
            SELECT id, event_id, school_id, role, participants, person FROM event_participations
            """).run()
        try await database.schema("event_participations").delete()
        try await database.schema("support_events").delete()
        // Renaming the events first lets SQLite carry the participations' reference to the new name.
        try await sql.raw("ALTER TABLE support_events_owned RENAME TO support_events").run()
        try await sql.raw("ALTER TABLE event_participations_owned RENAME TO event_participations").run()
        try await sql.create(index: "event_participations_school").on("event_participations").column("school_id").run()
        try await sql.create(index: "event_participations_event").on("event_participations").column("event_id").run()
        if sql.dialect.name == "postgresql" {
            // The ids were copied: the identity sequences continue after them.
            for table in ["support_events", "event_participations"] {
                try await sql.raw("""
                    SELECT setval(pg_get_serial_sequence('\(unsafeRaw: table)', 'id'), COALESCE(MAX(id), 0) + 1, false)
                    FROM \(unsafeRaw: table)
                    """).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        throw MigrationNotReversible(name: name)
    }
}
