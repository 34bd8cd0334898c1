import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Two records of who and what:
/// - a management decision keeps the level of authority that took it (`owner_level`: region, municipality or
///   school), so that only that level and those above it close it. A stored decision gets its author's level:
///   a municipality's or a region's account gives its own, an account of schools gives the school; an author no
///   longer known (or the command line) leaves it to the decision's municipality, else its region.
/// - a school programme's tasks, measures and indicators get stable ids, which remarks are anchored to instead
///   of positions. Every item gets its current position as its id (`taskIDs` for the tasks, `id` in each measure
///   and indicator), in the programme and in each submitted version, so that a remark written as «measure.3»
///   names the same measure as before and stays on it through later edits.
struct V029DecisionOwnersAndRemarkAnchors: AsyncMigration {
    var name: String { "v029_decision_owners_and_remark_anchors" }

    func prepare(on database: any Database) async throws {
        try await database.schema("management_decisions")
            .field("owner_level", .string, .required, .sql(.default("region")))
            .update()
        let sql = database.sql
        try await sql.raw("""
            UPDATE management_decisions SET owner_level = CASE
              WHEN EXISTS (SELECT 1 FROM users u WHERE u.login = management_decisions.created_by AND u.municipality_id IS NOT NULL)
                THEN 'municipality'
              WHEN EXISTS (SELECT 1 FROM users u WHERE u.login = management_decisions.created_by AND u.region_id IS NOT NULL)
                THEN 'region'
              WHEN school_id IS NOT NULL AND EXISTS (SELECT 1 FROM users u JOIN user_schools us ON us.user_id = u.id
                                                     WHERE u.login = management_decisions.created_by)
                THEN 'school'
              WHEN EXISTS (SELECT 1 FROM users u WHERE u.login = management_decisions.created_by) THEN 'region'
              WHEN municipality_id IS NOT NULL THEN 'municipality'
              ELSE 'region' END
            """).run()
        for table in ["school_programmes", "programme_revisions"] {
            struct Row: Decodable { let id: Int; let content_json: String }
            for row in try await sql.select().column("id").column("content_json").from(table).all(decoding: Row.self) {
                guard let anchored = Self.anchored(row.content_json), anchored != row.content_json else { continue }
                try await sql.update(table).set("content_json", to: anchored).where("id", .equal, row.id).run()
            }
        }
    }

    /// The content with each task, measure and indicator given its position (from 1) as its id where it has none.
    static func anchored(_ json: String) -> String? {
        guard var content = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { return nil }
        if content["taskIDs"] == nil, let tasks = content["tasks"] as? [Any] {
            content["taskIDs"] = tasks.indices.map { String($0 + 1) }
        }
        for section in ["measures", "indicators"] {
            guard let items = content[section] as? [[String: Any]] else { continue }
            content[section] = items.enumerated().map { index, item -> [String: Any] in
                var item = item
                if item["id"] == nil { item["id"] = String(index + 1) }
                return item
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: content, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    func revert(on database: any Database) async throws {
        throw MigrationNotReversible(name: name)
    }
}
