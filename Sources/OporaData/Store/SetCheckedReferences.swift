import Logging
import NIOCore
import PostgresNIO

/// PostgreSQL checks a foreign key row by row, with a trigger that looks the referenced row up and locks it: about
/// 5 µs per key per row on the project's machine, more than the rest of a bulk insert (a million `specialists` rows
/// make four million of them). When the import's role may set `session_replication_role` (a superuser, or on
/// PostgreSQL 15+ a role granted `SET ON PARAMETER session_replication_role`), a plain bulk insert switches those
/// triggers off for its COPY alone and checks the same keys by set straight after, in the same transaction: every
/// referenced row must exist, and is locked `FOR KEY SHARE` until the import commits, as the row triggers would
/// have locked it. A role without that right keeps the row triggers.
/// The table's keys are read from the catalogue, so a key added by a later migration is checked without a change here.
struct SetCheckedReferences: Sendable {
    /// One single-column foreign key among the written columns.
    struct Link: Sendable {
        /// The column's place in the written row.
        let position: Int
        let column: String
        /// The referenced table and column, quoted as PostgreSQL prints them.
        let parent: String
        let parentColumn: String
    }

    let table: String
    let links: [Link]

    /// The keys of `table` among `columns`, if they can all be checked by set and the role may switch the row checks
    /// off; nil otherwise (and when the table has no key to check), so the COPY keeps the row triggers.
    static func of(table: String, columns: [String], on postgres: any PostgresDatabase,
                   logger: Logger) async throws -> SetCheckedReferences? {
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                guard try await mayDisableRowChecks(on: connection, logger: logger) else { return nil }
                var binds = PostgresBindings()
                binds.append(table)
                let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                    SELECT a.attname::text, c.confrelid::regclass::text, quote_ident(fa.attname::text), cardinality(c.conkey),
                           a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype),
                           has_table_privilege(c.confrelid, 'UPDATE')
                    FROM pg_constraint c
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                    JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
                    WHERE c.contype = 'f' AND c.conrelid = to_regclass($1)
                    """, binds: binds), logger: logger)
                var links: [Link] = []
                for try await row in rows {
                    let (column, parent, parentColumn, width, integer, mayLock) = try row.decode(
                        (String, String, String, Int, Bool, Bool).self)
                    // A key over several columns, or one that is not a whole number, is left to its trigger: no bulk
                    // write has one today. Locking a parent `FOR KEY SHARE` needs the right to update it (the
                    // trigger runs as the table's owner).
                    guard width == 1, integer, mayLock else { return nil }
                    guard let position = columns.firstIndex(of: column) else { continue }
                    links.append(Link(position: position, column: column, parent: parent, parentColumn: parentColumn))
                }
                return links.isEmpty ? nil : SetCheckedReferences(table: table, links: links)
            }
        }.get()
    }

    static func mayDisableRowChecks(on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            SELECT rolsuper, current_setting('server_version_num')::int FROM pg_roles WHERE rolname = current_user
            """, logger: logger)
        var superuser = false, version = 0
        for try await row in rows { (superuser, version) = try row.decode((Bool, Int).self) }
        if superuser { return true }
        guard version >= 150_000 else { return false }
        let granted = try await connection.query("SELECT has_parameter_privilege('session_replication_role', 'SET')",
                                                 logger: logger)
        for try await row in granted where try row.decode(Bool.self) { return true }
        return false
    }

    /// Row triggers off (`replica`) or back on (`origin`) until the transaction ends; outside a transaction PostgreSQL
    /// ignores `SET LOCAL`, so the triggers stay on.
    static func switchRowChecks(off: Bool, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL session_replication_role = \(off ? "replica" : "origin")"),
                                   logger: logger)
    }

    /// Every id in `wanted[i]` must be a row of `links[i]`'s table, locked until the transaction ends. Rows this
    /// transaction wrote are locked too: telling them by `xmin` alone would also take a frozen row of the same
    /// 32-bit number from four billion transactions ago for one of ours, and leave it free to be deleted.
    func check(_ wanted: [IDSet], on connection: PostgresConnection, logger: Logger) async throws {
        for (link, ids) in zip(links, wanted) where !ids.isEmpty {
            var binds = PostgresBindings()
            binds.append(ids.ids)
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                WITH locked AS (SELECT \(link.parentColumn) FROM ONLY \(link.parent) WHERE \(link.parentColumn) = ANY($1) FOR KEY SHARE)
                SELECT COUNT(*) FROM locked
                """, binds: binds), logger: logger)
            var found = 0
            for try await row in rows { found = try row.decode(Int.self) }
            if found != ids.count { throw VanishedReference(table: table, column: link.column, parent: link.parent) }
        }
    }
}

/// Rows of a bulk write name rows that are not there: most likely deleted by someone else while the file was being
/// written (every importer checks the names in its file before it writes).
public struct VanishedReference: Error, Sendable, CustomStringConvertible {
    /// Where, for the log: the written table and column and the table it refers to.
    public let table: String
    public let column: String
    public let parent: String

    public var description: String {
        "Строки файла ссылаются на записи, которых в базе уже нет: возможно, их удалили, пока файл загружался. "
            + "Файл не загружен, ничего не изменено; загрузите его ещё раз."
    }
}

/// A bulk write gave a key column something other than a whole number: a programming error, refused before anything
/// is committed (the keys are checked by set only as whole numbers).
struct KeyNotAnInteger: Error, Sendable, CustomStringConvertible {
    let table: String
    let column: String
    var description: String { "\(table).\(column): ключ записан не целым числом" }
}

/// The distinct ids a bulk write names in one key column: a bit for each small positive id (most rows name a few
/// hundred schools or territories, and hashing three ids a row into sets was a twentieth of a million programmes'
/// write), a set for any other.
struct IDSet: Sendable {
    private var bits: [UInt64] = []
    private var others: Set<Int> = []
    private(set) var count = 0

    /// Ids below this are bits: at most 8 MB of them.
    static let bitLimit = 1 << 26

    var isEmpty: Bool { count == 0 }

    mutating func insert(_ id: Int) {
        guard id > 0, id < Self.bitLimit else {
            if others.insert(id).inserted { count += 1 }
            return
        }
        let word = id >> 6, bit = UInt64(1) << UInt64(id & 63)
        if word >= bits.count {
            let grown = min(max(word + 1, bits.count * 2), Self.bitLimit >> 6)
            bits.append(contentsOf: repeatElement(0, count: grown - bits.count))
        }
        if bits[word] & bit == 0 {
            bits[word] |= bit
            count += 1
        }
    }

    /// Every id, for the query that finds them all (`check`): each once, as `count` counts them.
    var ids: [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(count)
        for (index, word) in bits.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                ids.append(index << 6 + rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        ids.append(contentsOf: others.sorted())
        return ids
    }
}
