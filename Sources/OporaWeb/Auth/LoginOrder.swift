import Foundation

/// Puts the attempts on one account in this process into one order. The database alone cannot: two attempts
/// stamped a microsecond apart may be written in the other order, and each then reads the other as later, so both
/// go on to the password check (one guess in a hundred parallel ones got through that way). Under this gate an
/// attempt's stamp is taken and written, and its turn is read, one attempt at a time, with stamps that only grow.
actor LoginOrder {
    static let shared = LoginOrder()

    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var lastStamp = Date.distantPast

    /// Runs `body` alone among the attempts on `login`.
    func alone<T: Sendable>(_ login: String, _ body: @Sendable () async throws -> T) async throws -> T {
        if busy.contains(login) {
            await withCheckedContinuation { waiting[login, default: []].append($0) }
        } else {
            busy.insert(login)
        }
        defer { release(login) }
        return try await body()
    }

    /// A stamp later than every earlier one: both engines keep microseconds, so a millisecond apart is always apart.
    func stamp() -> Date {
        lastStamp = max(Date(), lastStamp.addingTimeInterval(0.001))
        return lastStamp
    }

    private func release(_ login: String) {
        if var queue = waiting[login], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[login] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            busy.remove(login)
        }
    }
}
