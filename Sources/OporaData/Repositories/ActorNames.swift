import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// The people behind the logins a page shows as actors («утвердил», «записал», an audit row's author): their full
/// names, read once per page (every account in one query: accounts are few), with the login only as a fallback for
/// an account without a stored name or one that no longer exists (the command line, a removed user).
public struct ActorNames: Sendable {
    public let names: [String: String]

    public init(names: [String: String]) { self.names = names }

    /// Every account's display name (`DocumentSignature.personName`: a name equal to the login is no name).
    public static func load(on db: any Database) async throws -> ActorNames {
        struct Row: Decodable { let login: String; let full_name: String }
        let rows = try await db.sql.select().column("login").column("full_name").from(UserModel.schema).all(decoding: Row.self)
        var names: [String: String] = [:]
        for row in rows {
            if let name = DocumentSignature.personName(fullName: row.full_name, login: row.login) { names[row.login] = name }
        }
        return ActorNames(names: names)
    }

    /// The person's name for a login, the login itself when none is stored; «—» for no actor.
    public func name(_ login: String?) -> String {
        guard let login = login?.trimmingCharacters(in: .whitespaces), !login.isEmpty else { return "—" }
        return names[login] ?? login
    }

    public func callAsFunction(_ login: String?) -> String { name(login) }
}
