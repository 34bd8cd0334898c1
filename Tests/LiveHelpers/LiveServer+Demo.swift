import AsyncHTTPClient
import Foundation

extension LiveServer {
    /// The demo logins (`opora demo` prints them): login and password, one per role.
    public static func demoPassword(_ login: String) -> String { "demo-\(login)" }

    /// `opora demo` on a free port: the synthetic territory with its programmes, roadmap, support and surveys, and one
    /// login per role (`demoPassword`). Its database file is made anew in a fresh folder; `stop()` removes both.
    public static func startDemo(_ anchor: AnyClass, startup: TimeInterval = 300) async throws -> LiveServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("opora-demo.sqlite").path
        let port = try freePort()
        let log = folder.appendingPathComponent("demo-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = binary(for: anchor)
        process.arguments = ["demo", "--port", String(port), "--file", database]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? "warning"
        process.environment = environment
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let server = LiveServer(port: port, folder: folder, database: database, process: process, log: log)
        // The demo fills its database before it listens: in a debug build that takes a while.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let deadline = Date().addingTimeInterval(startup)
        while Date() < deadline, process.isRunning {
            if let response = try? await client.execute(HTTPClientRequest(url: server.baseURL + "/health"), timeout: .seconds(2)),
                response.status == .ok
            {
                try? await client.shutdown()
                return server
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        try? await client.shutdown()
        let output = server.output
        server.stop()
        throw LiveServerError.notStarted(output)
    }
}
