import OporaData
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

extension Application {
    private struct CacheKey: StorageKey { typealias Value = DerivedCache }

    /// Set once by `configure`, read by every request.
    var derivedCache: DerivedCache? {
        get { storage[CacheKey.self] }
        set { storage[CacheKey.self] = newValue }
    }
}
