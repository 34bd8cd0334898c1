import Fluent
import OporaData
import OporaDomain
import Vapor

/// What an upload would do: the summary of a dry run, or every problem with its line.
struct ImportPreviewModel {
    enum Outcome {
        case ready(ImportSummary, token: String)
        case rejected(ImportRejected)
    }

    let kind: ImportKind
    let fileName: String
    let outcome: Outcome

    /// Reads the file on the import thread (no database connection held), then writes it inside a
    /// transaction that is rolled back, so the summary counts exactly what the commit would do.
    static func build(_ req: Request, user: CurrentUser, kind: ImportKind, bytes: [UInt8], fileName: String) async throws -> ImportPreviewModel {
        do {
            let parsed = try await ImportRunner.parse(req, kind: kind, bytes: bytes, fileName: fileName)
            let summary = try await ImportRunner.dryRun(parsed, user: user, on: req.db)
            let token = try PendingUploads.store(bytes, userID: user.id)
            return ImportPreviewModel(kind: kind, fileName: fileName, outcome: .ready(summary, token: token))
        } catch let rejected as ImportRejected {
            return ImportPreviewModel(kind: kind, fileName: fileName, outcome: .rejected(rejected))
        }
    }
}

enum ImportRunner {
    /// Rolls back the dry run after the writer has done (and counted) everything.
    struct DryRunFinished: Error { let summary: ImportSummary }

    static func parse(_ req: Request, kind: ImportKind, bytes: [UInt8], fileName: String) async throws -> ParsedFile {
        let catalogues = try await ImportParser.catalogues(on: req.db)
        return try await req.application.importWorkers.parse(kind, bytes: bytes, fileName: fileName, catalogues: catalogues)
    }

    static func dryRun(_ parsed: ParsedFile, user: CurrentUser, on db: any Database) async throws -> ImportSummary {
        do {
            try await db.transaction { tx in
                throw DryRunFinished(summary: try await Importer(db: tx, actor: user.actor, scope: user.scope).write(parsed))
            }
            return ImportSummary()
        } catch let finished as DryRunFinished {
            return finished.summary
        }
    }
}
