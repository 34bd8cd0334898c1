import NIOPosix
import OporaData
import OporaDomain
import Vapor

/// The thread that reads uploaded files. Parsing is the slow part of an upload and needs no database, so it
/// runs here: off the event loops (pages keep answering) and off the blocking pool that SQLite and password
/// checks share, one file at a time (a second upload waits its turn instead of taking the other core).
final class ImportWorkers: LifecycleHandler, Sendable {
    let pool = NIOThreadPool(numberOfThreads: 1)

    init() { pool.start() }

    func shutdownAsync(_ application: Application) async {
        try? await pool.shutdownGracefully()
    }

    /// Reads and checks a file; throws `ImportRejected` with every problem.
    func parse(_ kind: ImportKind, bytes: [UInt8], fileName: String, programme: String? = nil,
               catalogues: ImportCatalogues) async throws -> ParsedFile {
        try await pool.runIfActive {
            try ImportParser.parse(kind, bytes: bytes, fileName: fileName, programme: programme, catalogues: catalogues)
        }
    }
}

extension Application {
    private struct ImportWorkersKey: StorageKey { typealias Value = ImportWorkers }

    var importWorkers: ImportWorkers {
        if let existing = storage[ImportWorkersKey.self] { return existing }
        let workers = ImportWorkers()
        storage[ImportWorkersKey.self] = workers
        lifecycle.use(workers)
        return workers
    }
}
