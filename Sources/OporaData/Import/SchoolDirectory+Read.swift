import FluentKit
import OporaDomain
import SQLKit
import SQLiteNIO

/// The schools the support imports (risks, events, staff, specialists) resolve their codes against, read as plain
/// columns (issue 18: /health during an import).
/// On SQLite the rows are taken on the database's own thread: the pooled database hands every row of a query to the
/// event loop as a task of its own, and decoding ten thousand schools as models there held up every other request
/// of that loop — `/health` among them — for a second in a debug build, twice per upload (preview and commit).
extension ResultsImporter {
    static let directoryQuery = """
        SELECT s.id AS id, s.code AS code, s.name AS name, s.short_name AS short_name, s.municipality_id AS municipality_id,
          m.region_id AS region_id FROM schools s JOIN municipalities m ON m.id = s.municipality_id
        """

    /// One school of the directory as read.
    struct DirectoryRow: Decodable {
        let id: Int, code: String, name: String, short_name: String?, municipality_id: Int, region_id: Int
    }

    /// Rows of SQLite's callback, gathered on the connection's thread one after another.
    final class DirectoryCollector: @unchecked Sendable {
        var rows: [DirectoryRow] = []
    }

    static func readDirectory(on db: any Database, scope: AccessScope) async throws -> SchoolDirectory {
        var rows: [DirectoryRow]
        if let sqlite = db as? any SQLiteDatabase {
            let collected = DirectoryCollector()
            try await sqlite.withConnection { connection in
                try await connection.query(directoryQuery, []) { row in
                    guard let id = row.column("id")?.integer, let code = row.column("code")?.string, let name = row.column("name")?.string,
                          let municipality = row.column("municipality_id")?.integer, let region = row.column("region_id")?.integer
                    else { return }
                    collected.rows.append(DirectoryRow(id: id, code: code, name: name, short_name: row.column("short_name")?.string,
                                                       municipality_id: municipality, region_id: region))
                }
            }
            rows = collected.rows
        } else {
            rows = try await db.sql.raw(SQLQueryString(directoryQuery)).all(decoding: DirectoryRow.self)
        }
        var ids: [String: Int] = [:], places: [Int: SchoolPlace] = [:], names: [Int: String] = [:]
        ids.reserveCapacity(rows.count)
        places.reserveCapacity(rows.count)
        names.reserveCapacity(rows.count)
        for row in rows {
            ids[row.code] = row.id
            places[row.id] = SchoolPlace(schoolID: row.id, municipalityID: row.municipality_id, regionID: row.region_id)
            // As `SchoolModel.displayName`: the short name where there is one.
            names[row.id] = row.short_name ?? row.name
        }
        return SchoolDirectory(ids: ids, places: places, names: names, scope: scope)
    }
}
