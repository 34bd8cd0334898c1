import NIOConcurrencyHelpers
import Vapor

/// One background task a lifecycle handler owns: started once at boot, cancelled and awaited at shutdown (so work
/// under way stops between two of its steps, never in the middle of a write).
final class BackgroundTask: Sendable {
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    func start(_ body: @escaping @Sendable () async -> Void) {
        task.withLockedValue { running in
            guard running == nil else { return }
            running = Task.detached(priority: .background, operation: body)
        }
    }

    /// Cancels the task and returns it, for the caller to await.
    func stop() -> Task<Void, Never>? {
        let running = task.withLockedValue { running in
            defer { running = nil }
            return running
        }
        running?.cancel()
        return running
    }
}
