import FluentKit
import Foundation
import Logging
import NIOCore
import OporaDomain
import PostgresNIO

/// PostgreSQL's bulk path for student groups: `COPY … FROM STDIN` into a temporary table of the transaction,
/// then one statement that upserts the counts and the rows together. Binding fifty thousand parameters per
/// statement, as SQLite wants it, is PostgreSQL's slow path.
enum PostgresBulk {
    static let countColumns = ["school_id", "year", "procedure", "grade", "subject", "students", "participants",
                               "m2", "m3", "m4", "m5", "below_min", "high", "mean_score", "lowered", "confirmed", "raised"]

    static func upsertGroups(_ groups: [ScoreGroupStore.PreparedGroup], on db: any PostgresDatabase, logger: Logger) async throws {
        try await db.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await upsert(groups, connection: connection, logger: logger)
            }
        }.get()
    }

    static func upsert(_ groups: [ScoreGroupStore.PreparedGroup], connection: PostgresConnection, logger: Logger) async throws {
        // Dropped at the end of the import's transaction; emptied between batches of the same import.
        try await connection.query("""
            CREATE TEMP TABLE IF NOT EXISTS score_groups_incoming (school_id bigint, year bigint, procedure text, grade bigint, subject text,
              students bigint, participants bigint, m2 bigint, m3 bigint, m4 bigint, m5 bigint, below_min bigint, high bigint,
              mean_score double precision, lowered bigint, confirmed bigint, raised bigint, rows bytea) ON COMMIT DROP
            """, logger: logger)
        try await connection.query("TRUNCATE score_groups_incoming", logger: logger)
        try await connection.copyFrom(table: "score_groups_incoming", columns: countColumns + ["rows"], logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(1 << 20)
            for group in groups {
                appendLine(group, to: &buffer)
                if buffer.readableBytes >= 1 << 20 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
        let columns = countColumns.joined(separator: ", ")
        let updates = countColumns.filter { !["school_id", "year", "procedure", "grade", "subject"].contains($0) }
            .map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try await connection.query(PostgresQuery(unsafeSQL: """
            WITH upserted AS (
              INSERT INTO score_groups (\(columns)) SELECT \(columns) FROM score_groups_incoming
              ON CONFLICT (year, procedure, grade, subject, school_id) DO UPDATE SET \(updates)
              RETURNING id, school_id, year, procedure, grade, subject)
            INSERT INTO score_group_rows (group_id, rows)
              SELECT u.id, i.rows FROM upserted u JOIN score_groups_incoming i
                ON i.school_id = u.school_id AND i.year = u.year AND i.procedure = u.procedure AND i.grade = u.grade AND i.subject = u.subject
            ON CONFLICT (group_id) DO UPDATE SET rows = excluded.rows
            """), logger: logger)
    }

    /// One line of COPY's text format: tab-separated, `\N` for no value, bytea as `\\x` and hex.
    static func appendLine(_ group: ScoreGroupStore.PreparedGroup, to buffer: inout ByteBuffer) {
        let c = group.counts
        func integer(_ value: Int?) {
            if let value { buffer.writeString(String(value)) } else { buffer.writeStaticString("\\N") }
            buffer.writeInteger(UInt8(ascii: "\t"))
        }
        func text(_ value: String) {
            // Codes and subjects are plain; any tab, newline or backslash is escaped all the same.
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
            buffer.writeInteger(UInt8(ascii: "\t"))
        }
        integer(group.schoolID); integer(group.work.year); text(group.work.procedure.rawValue); integer(group.work.grade); text(group.work.subject)
        integer(group.students); integer(c.participants); integer(c.m2); integer(c.m3); integer(c.m4); integer(c.m5)
        integer(c.belowMin); integer(c.high)
        if let mean = c.meanScore { buffer.writeString(String(mean)) } else { buffer.writeStaticString("\\N") }
        buffer.writeInteger(UInt8(ascii: "\t"))
        integer(c.lowered); integer(c.confirmed); integer(c.raised)
        buffer.writeStaticString("\\\\x")
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in group.rows {
            buffer.writeInteger(hex[Int(byte >> 4)])
            buffer.writeInteger(hex[Int(byte & 0x0F)])
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }
}
