import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The built `opora` executable, serving a fresh database on a free port: the server a user's browser meets,
/// not the in-process test harness (which buffers request bodies and once hid a broken upload page).
public final class LiveServer: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    public let database: String
    let process: Process
    let log: URL

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public static let password = "correct-horse-7"

    /// The `opora` binary next to the test bundle (SwiftPM builds it for every target that depends on it).
    public static func binary(for anchor: AnyClass) -> URL {
        let bundle = Bundle(for: anchor).bundleURL
        return [bundle.appendingPathComponent("opora"), bundle.deletingLastPathComponent().appendingPathComponent("opora")]
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
            ?? bundle.deletingLastPathComponent().appendingPathComponent("opora")
    }

    /// Two municipalities (A: two schools, B: one) and a user per role, all with `password`; then `opora serve`.
    /// `database`: an empty PostgreSQL database's address instead of a new SQLite file.
    public static func start(_ anchor: AnyClass, environment: [String: String] = [:], database: String? = nil) async throws -> LiveServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = database ?? folder.appendingPathComponent("opora.sqlite").path
        let binary = binary(for: anchor)
        let schools = """
        code,name,municipality,region,students
        A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область,98
        A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область,612
        B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область,400
        """
        let schoolsFile = folder.appendingPathComponent("schools.csv")
        try Data(schools.utf8).write(to: schoolsFile)
        try run(binary, ["import", "schools", schoolsFile.path, "--db", database], in: folder)
        for user in [["coord-a", "municipal_coordinator", "--municipality", "Чернский район"],
                     ["analyst", "regional_analyst", "--region", "Тульская область"],
                     ["viewer-a", "viewer", "--municipality", "Чернский район"],
                     ["director-a", "school_admin", "--school", "A1"],
                     ["curator-a", "curator", "--school", "A1"]] {
            try run(binary, ["user", "add", "--login", user[0], "--name", "Пользователь \(user[0])", "--role", user[1], user[2], user[3],
                             "--password", password, "--db", database], in: folder)
        }
        do {
            return try await launch(binary, folder: folder, database: database, environment: environment)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// Another `opora serve` on the first one's database (several processes behind one proxy); stop it with
    /// `stop(removeFiles: false)`, the first one removes the files.
    public static func startAnother(_ anchor: AnyClass, sharing first: LiveServer,
                                    environment: [String: String] = [:]) async throws -> LiveServer {
        try await launch(binary(for: anchor), folder: first.folder, database: first.database, environment: environment)
    }

    /// `command` gives the arguments for a port (`serve` unless told); `startup` how long it may take to answer.
    static func launch(_ binary: URL, folder: URL, database: String, environment: [String: String],
                       command: ((Int) -> [String])? = nil, startup: TimeInterval = 60) async throws -> LiveServer {
        var lastError: (any Error)? = nil
        for _ in 0..<5 {
            let port = try freePort()
            let log = folder.appendingPathComponent("server-\(port).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = binary
            process.arguments = command?(port) ?? ["serve", "--port", String(port), "--db", database]
            process.currentDirectoryURL = folder
            var env = ProcessInfo.processInfo.environment
            env["LOG_LEVEL"] = env["LOG_LEVEL"] ?? "warning"
            for (key, value) in environment { env[key] = value }
            process.environment = env
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let server = LiveServer(port: port, folder: folder, database: database, process: process, log: log)
            do {
                try await server.waitUntilHealthy(within: startup)
                return server
            } catch {
                lastError = error
                server.stop(removeFiles: false)
            }
        }
        throw lastError ?? LiveServerError.notStarted("")
    }

    /// Runs `opora ARGUMENTS --db DATABASE` in the server's folder (an import while the server runs); its output.
    @discardableResult
    public func opora(_ arguments: [String], anchor: AnyClass) throws -> String {
        try Self.run(Self.binary(for: anchor), arguments + ["--db", database], in: folder)
    }

    init(port: Int, folder: URL, database: String, process: Process, log: URL) {
        self.port = port
        self.folder = folder
        self.database = database
        self.process = process
        self.log = log
    }

    public var isRunning: Bool { process.isRunning }

    /// What the server printed (for failure messages).
    public var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func waitUntilHealthy(within seconds: TimeInterval) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard process.isRunning else { break }
            if let response = try? await client.execute(HTTPClientRequest(url: baseURL + "/health"), timeout: .seconds(2)),
                response.status == .ok
            {
                try? await client.shutdown()
                return
            }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        try? await client.shutdown()
        throw LiveServerError.notStarted(output)
    }

    /// SIGTERM, as a service manager stops it; then the files go.
    public func stop(removeFiles: Bool = true) {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        if removeFiles { try? FileManager.default.removeItem(at: folder) }
    }

    @discardableResult
    static func run(_ binary: URL, _ arguments: [String], in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LiveServerError.setup("opora \(arguments.joined(separator: " ")): \(output)") }
        return output
    }

    /// A port nobody listens on now (the kernel's choice for port 0).
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LiveServerError.setup("socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw LiveServerError.setup("bind") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public enum LiveServerError: Error, CustomStringConvertible {
    case notStarted(String)
    case setup(String)

    public var description: String {
        switch self {
        case .notStarted(let output): "the server did not start:\n\(output)"
        case .setup(let what): "setting up the live server failed: \(what)"
        }
    }
}

/// A browser without a screen: keeps cookies, does not follow redirects on its own, sends what a browser sends.
public final class HTTPSession: @unchecked Sendable {
    public struct Page: Sendable {
        public let status: Int
        public let headers: [(String, String)]
        public let body: String
        public let bytes: [UInt8]

        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    public let server: LiveServer
    let client: HTTPClient
    public var cookies: [String: String] = [:]
    /// The last form token seen on a page.
    public var csrf: String?
    /// Sent with every request (e.g. `X-Real-IP`, as the proxy on the server's machine tells the client's address).
    public var extraHeaders: [(String, String)] = []

    public static let browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

    public init(_ server: LiveServer) {
        self.server = server
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    }

    public func close() async { try? await client.shutdown() }

    @discardableResult
    public func get(_ path: String, timeout: TimeAmount = .seconds(60)) async throws -> Page {
        try await send("GET", path, body: nil, contentType: nil, timeout: timeout)
    }

    @discardableResult
    public func post(_ path: String, _ fields: [(String, String)], withCSRF: Bool = true) async throws -> Page {
        var all = fields
        if withCSRF, let csrf { all.append(("_csrf", csrf)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send("POST", path, body: .bytes(ByteBuffer(string: body)), contentType: "application/x-www-form-urlencoded")
    }

    /// A multipart form as a browser posts it: the token as the first field (where the page's form puts it),
    /// the file last, the body sent in pieces of `chunk` bytes with chunked transfer encoding.
    @discardableResult
    public func upload(_ path: String, fields: [(String, String)], file: (field: String, name: String, bytes: [UInt8]),
                       chunk: Int = 16 * 1024, timeout: TimeAmount = .seconds(120)) async throws -> Page {
        let boundary = "----WebKitFormBoundary\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
        var body: [UInt8] = []
        for (name, value) in (csrf.map { [("_csrf", $0)] } ?? []) + fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array(
            ("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").utf8)
        body += file.bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        let pieces = stride(from: 0, to: body.count, by: chunk).map { ByteBuffer(bytes: body[$0..<min($0 + chunk, body.count)]) }
        let stream = AsyncStream<ByteBuffer> { continuation in
            for piece in pieces { continuation.yield(piece) }
            continuation.finish()
        }
        return try await send(
            "POST", path, body: .stream(stream, length: .unknown), contentType: "multipart/form-data; boundary=\(boundary)",
            timeout: timeout)
    }

    public func send(_ method: String, _ path: String, body: HTTPClientRequest.Body?, contentType: String?,
                     accept: String = browserAccept, timeout: TimeAmount = .seconds(60)) async throws -> Page {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "Mozilla/5.0 (X11; Linux x86_64) OporaLiveTests")
        if !cookies.isEmpty {
            request.headers.add(
                name: "Cookie", value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in extraHeaders { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = body
        let response = try await client.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 64 << 20)
        let bytes = Array(buffer.readableBytesView)
        for value in response.headers["Set-Cookie"] {
            let pair = value.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let content = String(pair[pair.index(after: equals)...])
            if content.isEmpty || value.lowercased().contains("max-age=0") { cookies[name] = nil } else { cookies[name] = content }
        }
        let page = Page(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                        body: String(decoding: bytes, as: UTF8.self), bytes: bytes)
        if let token = Self.csrfToken(in: page.body) { csrf = token }
        return page
    }

    /// Opens the login page (its form token) and signs in.
    @discardableResult
    public func login(_ login: String, _ password: String = LiveServer.password) async throws -> Page {
        try await get("/login")
        return try await post("/login", [("login", login), ("password", password), ("next", "/")])
    }

    public static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    public static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
