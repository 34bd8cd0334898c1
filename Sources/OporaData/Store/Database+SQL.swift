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
