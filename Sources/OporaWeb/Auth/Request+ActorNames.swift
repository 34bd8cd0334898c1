import OporaData
import Vapor

extension Request {
    private struct ActorNamesKey: StorageKey { typealias Value = ActorNames }

    /// Display names for the logins a page shows as actors, read once per request however many rows ask.
    var actorNames: ActorNames {
        get async throws {
            if let known = storage[ActorNamesKey.self] { return known }
            let names = try await ActorNames.load(on: db)
            storage[ActorNamesKey.self] = names
            return names
        }
    }
}
