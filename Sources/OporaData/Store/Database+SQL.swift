import FluentKit
import SQLKit

extension Database {
    /// The database as SQL. Opora only ever opens SQLite or PostgreSQL through their Fluent SQL drivers, so
    /// this holds for every `Database` it hands out; this is the one place that relies on it.
    public var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            preconditionFailure("Opora's databases are SQL databases (SQLite or PostgreSQL)")
        }
        return sql
    }
}

extension SQLDatabase {
    /// Multi-row INSERT in chunks that stay under SQLite's bind limit; with `updatingOnConflict` the rows whose
    /// key is stored already replace it (every other column is set from the new row).
    func insertRows(
        into table: String, columns: [String], rows: [[any Encodable & Sendable]], updatingOnConflict key: [String]? = nil
    ) async throws {
        let chunk = max(1, 30_000 / max(1, columns.count))
        let updated = columns.filter { !(key ?? []).contains($0) }
        for start in stride(from: 0, to: rows.count, by: chunk) {
            var insert = self.insert(into: table).columns(columns)
            for row in rows[start..<min(start + chunk, rows.count)] { insert = insert.values(row) }
            if let key {
                insert = insert.onConflict(with: key) { conflict in updated.reduce(conflict) { $0.set(excludedValueOf: $1) } }
            }
            try await insert.run()
        }
    }
}
