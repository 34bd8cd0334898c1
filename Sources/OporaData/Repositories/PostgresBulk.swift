import FluentKit
import Foundation
import Logging
import NIOCore
import OporaDomain
import PostgresNIO

/// PostgreSQL's bulk path for student groups. Groups not stored before (the bulk of a first import) get their
/// ids from the sequence in one query and go into both tables as binary arrays through `unnest`; groups that
/// replace stored ones are copied (`COPY … FROM STDIN`) into a temporary table and upserted, counts and rows
/// together, by one statement.
/// Binding fifty thousand parameters per statement, as SQLite wants it, is PostgreSQL's slow path.
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

    static func upsert(_ all: [ScoreGroupStore.PreparedGroup], connection: PostgresConnection, logger: Logger) async throws {
        try await insertNew(all.filter(\.isNew), connection: connection, logger: logger)
        let groups = all.filter { !$0.isNew }
        guard !groups.isEmpty else { return }
        // Dropped at the end of the import's transaction; emptied between batches of the same import.
        try await connection.query("""
            CREATE TEMP TABLE IF NOT EXISTS score_groups_incoming (school_id bigint, year bigint, procedure text, grade bigint, subject
            text,
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
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH upserted AS (
                      INSERT INTO score_groups (\(columns)) SELECT \(columns) FROM score_groups_incoming
                      ON CONFLICT (year, procedure, grade, subject, school_id) DO UPDATE SET \(updates)
                      RETURNING id, school_id, year, procedure, grade, subject)
                    INSERT INTO score_group_rows (group_id, rows)
                      SELECT u.id, i.rows FROM upserted u JOIN score_groups_incoming i
                        ON i.school_id = u.school_id AND i.year = u.year AND i.procedure = u.procedure AND i.grade = u.grade AND
                    i.subject = u.subject
                    ON CONFLICT (group_id) DO UPDATE SET rows = excluded.rows
                    """), logger: logger)
    }

    /// New groups: ids reserved from the sequence in one call, then the counts and the rows inserted from arrays.
    static func insertNew(_ groups: [ScoreGroupStore.PreparedGroup], connection: PostgresConnection, logger: Logger) async throws {
        guard !groups.isEmpty else { return }
        var ids: [Int] = []
        ids.reserveCapacity(groups.count)
        // One call moves the sequence past the whole batch; safe because every writer of student groups holds
        // the import write lock (ImportWriteLock), so no other session takes ids from it meanwhile.
        let reserved = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('score_groups', 'id'), nextval(pg_get_serial_sequence('score_groups', 'id')) +
                    \(groups.count - 1)) AS last
                    """), logger: logger)
        for try await (last) in reserved.decode(Int.self) { ids = Array((last - groups.count + 1)...last) }
        guard ids.count == groups.count else { throw ScoreGroupStore.StoreInconsistency(table: "score_groups") }
        // Counts and students go as binary arrays (nothing to format and parse as text); `unnest` makes rows of
        // them. Counts are never negative, so −1 (and NaN for a mean) stands for «no value» in an array.
        func column(_ value: (ScoreGroupStore.PreparedGroup) -> Int?) -> [Int] { groups.map { value($0) ?? -1 } }
        var counts = PostgresBindings()
        counts.append(ids)
        counts.append(column { $0.schoolID })
        counts.append(column { $0.work.year })
        counts.append(groups.map(\.work.procedure.rawValue))
        counts.append(column { $0.work.grade })
        counts.append(groups.map(\.work.subject))
        counts.append(column { $0.students })
        counts.append(column { $0.counts.participants })
        for key in [\ResultCounts.m2, \.m3, \.m4, \.m5, \.belowMin, \.high] { counts.append(column { $0.counts[keyPath: key] }) }
        counts.append(groups.map { $0.counts.meanScore ?? .nan })
        for key in [\ResultCounts.lowered, \.confirmed, \.raised] { counts.append(column { $0.counts[keyPath: key] }) }
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO score_groups (id, school_id, year, procedure, grade, subject, students, participants, m2, m3, m4, m5,
                    below_min, high,
                      mean_score, lowered, confirmed, raised)
                    SELECT id, school_id, year, procedure, grade, subject, students, participants, NULLIF(m2, -1), NULLIF(m3, -1),
                    NULLIF(m4, -1),
                      NULLIF(m5, -1), NULLIF(below_min, -1), NULLIF(high, -1), NULLIF(mean_score, 'NaN'::float8), NULLIF(lowered, -1),
                      NULLIF(confirmed, -1), NULLIF(raised, -1)
                    FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::int8[], $6::text[], $7::int8[], $8::int8[],
                    $9::int8[], $10::int8[],
                      $11::int8[], $12::int8[], $13::int8[], $14::int8[], $15::float8[], $16::int8[], $17::int8[], $18::int8[])
                      AS incoming(id, school_id, year, procedure, grade, subject, students, participants, m2, m3, m4, m5, below_min,
                    high, mean_score,
                                  lowered, confirmed, raised)
                    """, binds: counts), logger: logger)
        // The students go as binary arrays (no hex to write and to decode): `unnest` turns them into rows.
        var binds = PostgresBindings()
        binds.append(ids)
        binds.append(groups.map { ByteBuffer(bytes: $0.rows) })
        try await connection.query(
            PostgresQuery(
                unsafeSQL: "INSERT INTO score_group_rows (group_id, rows) SELECT * FROM unnest($1::int8[], $2::bytea[])",
                binds: binds), logger: logger)
    }

    /// One line of COPY's text format: tab-separated, `\N` for no value, bytea as `\\x` and hex.
    static func appendLine(_ group: ScoreGroupStore.PreparedGroup, to buffer: inout ByteBuffer) {
        appendCounts(group, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        appendBytea(group.rows, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Hex into the buffer's free space directly: megabytes per batch, so no per-byte buffer calls.
    static func appendBytea(_ bytes: [UInt8], to buffer: inout ByteBuffer) {
        buffer.writeStaticString("\\\\x")
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bytes.count * 2) { target in
            let out = target.bindMemory(to: UInt8.self)
            hexDigits.withUnsafeBufferPointer { hex in
                bytes.withUnsafeBufferPointer { source in
                    var index = 0
                    for byte in source {
                        out[index] = hex[Int(byte >> 4)]
                        out[index + 1] = hex[Int(byte & 0x0F)]
                        index += 2
                    }
                }
            }
            return bytes.count * 2
        }
    }

    /// The count columns of a group, tab-separated (no trailing tab).
    static func appendCounts(_ group: ScoreGroupStore.PreparedGroup, to buffer: inout ByteBuffer) {
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
        integer(group.schoolID); integer(group.work.year); text(group.work.procedure.rawValue); integer(group.work.grade);
        text(group.work.subject)
        integer(group.students); integer(c.participants); integer(c.m2); integer(c.m3); integer(c.m4); integer(c.m5)
        integer(c.belowMin); integer(c.high)
        if let mean = c.meanScore { buffer.writeString(String(mean)) } else { buffer.writeStaticString("\\N") }
        buffer.writeInteger(UInt8(ascii: "\t"))
        integer(c.lowered); integer(c.confirmed)
        if let raised = c.raised { buffer.writeString(String(raised)) } else { buffer.writeStaticString("\\N") }
    }
}
