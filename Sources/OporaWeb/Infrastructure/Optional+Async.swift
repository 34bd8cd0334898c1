extension Optional {
    /// `flatMap` for an async transform: a year that may be absent, read into a value that may be absent.
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
