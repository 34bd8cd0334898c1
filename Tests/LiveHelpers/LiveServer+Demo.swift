import Foundation

extension LiveServer {
    /// The demo logins (`opora demo` prints them): login and password, one per role.
    public static func demoPassword(_ login: String) -> String { "demo-\(login)" }

    /// `opora demo` on a free port: the synthetic territory with its programmes, roadmap, support and surveys, and one
    /// login per role (`demoPassword`). Its database file is made anew in a fresh folder; `stop()` removes both.
    /// The demo fills its database before it listens: in a debug build on a busy machine that takes a while.
    public static func startDemo(_ anchor: AnyClass, startup: TimeInterval = 300) async throws -> LiveServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("opora-demo.sqlite").path
        do {
            return try await launch(binary(for: anchor), folder: folder, database: database, environment: [:],
                                    command: { ["demo", "--port", String($0), "--file", database] }, startup: startup)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }
}
