import FluentKit
import Foundation
import OporaData
import OporaTestSupport
import SQLKit
import XCTest

/// Issue 18, «during any import other users' pages answer in their usual time»: an import holds SQLite's write lock
/// for its whole transaction. A signed-in user's page writes the session's «last seen» once a minute; that write
/// waited for the import to end (and spun a processor core meanwhile: SQLiteNIO's busy handler retries at once),
/// so a page asked during a 30-second import answered after 30 seconds. The touch is only a hint: it gives up.
final class WritesDuringImportTests: XCTestCase {
    static let importSeconds: TimeInterval = 3

    func testASessionTouchDoesNotWaitForAnImportsWriteLock() async throws {
        try await TestEngines.withEachStore(sharedFile: true) { store in
            let locked = expectation(description: "the import holds the write lock")
            let importing = Task {
                try await store.db.transaction { tx in
                    try await ImportWriteLock.acquire(on: tx)
                    locked.fulfill()
                    try await Task.sleep(nanoseconds: UInt64(Self.importSeconds * 1e9))
                }
            }
            await fulfillment(of: [locked], timeout: 10)
            let started = Date()
            try await SessionStore(db: store.db).touch(String(repeating: "a", count: 64), at: Date())
            let waited = Date().timeIntervalSince(started)
            XCTAssertLessThan(waited, 1, "a page's session touch waited \(waited) s for the import")
            try await importing.value
            // Once the import is over, writes go through as before (the connection kept no short timeout).
            try await store.db.transaction { tx in try await ImportWriteLock.acquire(on: tx) }
        }
    }
}
