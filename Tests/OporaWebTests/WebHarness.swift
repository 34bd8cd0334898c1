import Fluent
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import Vapor
import XCTVapor

/// A configured app on one engine, with two municipalities (A and B) and a user per role.
struct WebFixture {
    let app: Application
    let schoolA: Int
    let schoolA2: Int
    let schoolB: Int
    let municipalityA: Int
    let municipalityB: Int

    static let password = "correct-horse"

    static func make(
        _ target: DatabaseTarget, options: ServerOptions = ServerOptions(bcryptCost: 4), reset: Bool = true
    ) async throws -> WebFixture {
        if reset { try await TestEngines.reset(target) }
        let app = try await Application.make(.testing)
        // The access log's line per request (info) would fill the suite's output.
        app.logger.logLevel = .notice
        do {
            try await configure(app, database: target, options: options)
            if !reset { return try await reopen(app) }
            let records = [
                SchoolRecord(
                    code: "A1", name: "МКОУ «Липицкая СОШ»", municipality: "Чернский район", region: "Тульская область", students: 98),
                SchoolRecord(
                    code: "A2", name: "МБОУ «Чернская СОШ № 1»", municipality: "Чернский район", region: "Тульская область", students: 612),
                SchoolRecord(
                    code: "B1", name: "МБОУ «Белёвская СОШ № 2»", municipality: "Белёвский район", region: "Тульская область", students: 400
                ),
            ]
            _ = try await SchoolImporter(db: app.db, actor: .commandLine).write(records, fileName: "fixture.csv")
            let schools = Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: app.db).all().map { ($0.code, $0) })
            let a = schools["A1"]!.$municipality.id, b = schools["B1"]!.$municipality.id
            let region = try await RegionModel.query(on: app.db).first()!.id!
            let users: [AccountService.NewUser] = [
                .init(login: "coord-a", fullName: "Координатор А", password: password, role: .municipalCoordinator, municipalityID: a),
                .init(login: "coord-b", fullName: "Координатор Б", password: password, role: .municipalCoordinator, municipalityID: b),
                .init(login: "analyst", fullName: "Аналитик", password: password, role: .regionalAnalyst, regionID: region),
                // The whole installation's analyst: the only one who changes what every region shares.
                .init(login: "admin", fullName: "Администратор", password: password, role: .regionalAnalyst),
                .init(login: "director-a", fullName: "Директор", password: password, role: .schoolAdmin, schoolIDs: [schools["A1"]!.id!]),
                .init(login: "viewer-a", fullName: "Наблюдатель", password: password, role: .viewer, municipalityID: a),
            ]
            for user in users { try await AccountService.createUser(user, by: .commandLine, bcryptCost: 4, on: app.db) }
            // Something in B's part of the audit log that A must never see.
            try await RegistryRepository(db: app.db, actor: .commandLine).updateSchool(
                id: schools["B1"]!.id!, expectedVersion: 1,
                SchoolFields(code: "B1", name: "МБОУ «Белёвская СОШ № 2»", municipalityID: b, director: "Секретова Б. Б.", students: 401))
            return WebFixture(app: app, schoolA: schools["A1"]!.id!, schoolA2: schools["A2"]!.id!, schoolB: schools["B1"]!.id!,
                              municipalityA: a, municipalityB: b)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// The fixture's ids, read back from a database it made earlier (a restarted server).
    static func reopen(_ app: Application) async throws -> WebFixture {
        let schools = Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: app.db).all().map { ($0.code, $0) })
        return WebFixture(app: app, schoolA: schools["A1"]!.id!, schoolA2: schools["A2"]!.id!, schoolB: schools["B1"]!.id!,
                          municipalityA: schools["A1"]!.$municipality.id, municipalityB: schools["B1"]!.$municipality.id)
    }

    func shutdown() async throws { try await app.asyncShutdown() }

    /// Runs `body` once per engine.
    static func onEachEngine(options: ServerOptions = ServerOptions(bcryptCost: 4), _ body: (WebFixture) async throws -> Void) async throws
    {
        for target in TestEngines.targets {
            let fixture = try await make(target, options: options)
            do {
                try await body(fixture)
            } catch {
                try? await fixture.shutdown()
                throw EngineFailure(engine: target.displayName, underlying: error)
            }
            try await fixture.shutdown()
            PostgresRunCounter.record(target)
        }
    }
}

/// A browser: keeps the session cookie and the CSRF token like a real one does.
final class Browser {
    let app: Application
    /// Cookies as a browser keeps them (the session and, before login, the form token's cookie).
    var cookies: [String: String] = [:]
    var cookie: String? { cookies["opora_session"] }
    var csrf: String?
    var bearer: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> XCTHTTPResponse {
        try await send(.GET, path)
    }

    @discardableResult
    func post(_ path: String, _ form: [(String, String)], withCSRF: Bool = true) async throws -> XCTHTTPResponse {
        var fields = form
        if withCSRF, let csrf { fields.append(("_csrf", csrf)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: body, contentType: "application/x-www-form-urlencoded")
    }

    @discardableResult
    func sendJSON(_ method: HTTPMethod, _ path: String, _ json: String) async throws -> XCTHTTPResponse {
        try await send(method, path, body: json, contentType: "application/json")
    }

    func send(_ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String? = nil) async throws -> XCTHTTPResponse {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let bearer { headers.bearerAuthorization = .init(token: bearer) }
        if let contentType { headers.add(name: .contentType, value: contentType) }
        let response = try await app.testable().sendRequest(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for (name, value) in response.headers.setCookie?.all ?? [:] {
            if value.string.isEmpty || value.maxAge == 0 { cookies[name] = nil } else { cookies[name] = value.string }
        }
        if let token = Self.csrfToken(in: response.body.string) { csrf = token }
        return response
    }

    /// Opens the login page (which sets the session and CSRF token) and signs in.
    @discardableResult
    func login(_ login: String, _ password: String = WebFixture.password) async throws -> XCTHTTPResponse {
        try await get("/login")
        return try await post("/login", [("login", login), ("password", password), ("next", "/")])
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
