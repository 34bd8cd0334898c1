import FluentKit
import SQLKit

/// Multi-row INSERTs of boxed values, as the small imports (task specifications, mark scales, thresholds, benchmarks)
/// write them — the one loop for them all; the plan kinds and every kind of a million rows write typed cells through
/// `BulkTable` instead (which falls back to this loop on an engine it has no fast path for).
extension SQLDatabase {
    /// Multi-row INSERT of `items`, each made into a row only when its chunk is sent. With `key`, a row whose key
    /// is stored already updates that row's `updating` columns (every non-key column when `updating` is nil).
    func insertRows<Item>(into table: String, columns: [String], items: [Item], key: [String]? = nil, updating: [String]? = nil,
                          row: (Item) -> [any Encodable & Sendable]) async throws {
        let chunk = max(1, BulkRows.bindLimit / max(1, columns.count))
        let updated = updating ?? columns.filter { !(key ?? []).contains($0) }
        if !items.isEmpty { try await DataVersion.bump(self) }
        for start in stride(from: 0, to: items.count, by: chunk) {
            var insert = self.insert(into: table).columns(columns)
            for item in items[start..<min(start + chunk, items.count)] { insert = insert.values(row(item)) }
            if let key {
                insert = insert.onConflict(with: key) { conflict in updated.reduce(conflict) { $0.set(excludedValueOf: $1) } }
            }
            try await insert.run()
        }
    }

    /// `insertRows(into:columns:items:)` of rows already made; with `updatingOnConflict` a row whose key is stored
    /// replaces every other column.
    func insertRows(into table: String, columns: [String], rows: [[any Encodable & Sendable]],
                    updatingOnConflict key: [String]? = nil) async throws {
        try await insertRows(into: table, columns: columns, items: rows, key: key) { $0 }
    }
}

enum BulkRows {
    /// Bound parameters per statement: SQLite refuses more than 32 766.
    static let bindLimit = 30_000

    /// `values` in slices small enough for one `IN (…)` each.
    static func chunks<T>(_ values: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: values.count, by: bindLimit).map { values[$0..<min($0 + bindLimit, values.count)] }
    }

    /// Whole numbers as comma-separated lists of 5,000, for `IN (…)` written into raw SQL (no binds to count).
    static func idLists(_ ids: [Int]) -> [String] {
        stride(from: 0, to: ids.count, by: 5_000).map { ids[$0..<min($0 + 5_000, ids.count)].map(String.init).joined(separator: ",") }
    }

    /// `rows` in the order of `key`, then of their place in the file. A bulk write in the order of the table's index
    /// adds each entry beside the one before, not on some page anywhere in the index: four million `specialists`
    /// rows in a file that lists the schools for each year took twice as long on either engine.
    static func inKeyOrder<Row>(_ rows: [Row], key: (Row) -> (Int, Int, Int)) -> [Row] {
        var keyed: [(key: (Int, Int, Int), index: Int)] = []
        keyed.reserveCapacity(rows.count)
        var ordered = true
        for (index, row) in rows.enumerated() {
            let next = key(row)
            if let last = keyed.last?.key, next < last { ordered = false }
            keyed.append((next, index))
        }
        if ordered { return rows }
        keyed.sort { ($0.key.0, $0.key.1, $0.key.2, $0.index) < ($1.key.0, $1.key.1, $1.key.2, $1.index) }
        return keyed.map { rows[$0.index] }
    }

    /// A list of names for an audit summary: the first ones and how many more (a file may change a million).
    /// With `total`, `items` may be only the first of them (more than `shown`, to tell that there are more).
    static func named(_ items: [String], shown: Int = 100, total: Int? = nil) -> String {
        let count = total ?? items.count
        guard count > shown else { return items.joined(separator: ", ") }
        return items.prefix(shown).joined(separator: ", ") + " и ещё \(count - shown)"
    }
}
