import OporaData
import OporaDomain
import Vapor

extension Request {
    private struct DerivedKey: StorageKey { typealias Value = DerivedData }

    /// The derived reads of this request: the server's cache, at the data version read once per request.
    var derived: DerivedData {
        get async throws {
            if let existing = storage[DerivedKey.self] { return existing }
            let data = try await DerivedData.open(db, cache: application.derivedCache)
            storage[DerivedKey.self] = data
            return data
        }
    }
}

extension Request {
    /// A page's model for this scope and role and these query parameters, shared by every such request until
    /// the data changes (the pages of a region are computed once, not once per visit).
    func cachedModel<M: Sendable>(_ build: @escaping @Sendable (Request) async throws -> M) async throws -> M {
        let user = try self.user
        // The day is part of the key: what is overdue changes at midnight without any change to the data.
        return try await derived.cached(["page", url.path, url.query ?? "", user.scope, user.role, today.iso]) { try await build(self) }
    }
}

extension Application {
    private struct CacheKey: StorageKey { typealias Value = DerivedCache }

    /// Set once by `configure`, read by every request.
    var derivedCache: DerivedCache? {
        get { storage[CacheKey.self] }
        set { storage[CacheKey.self] = newValue }
    }
}
