import Fluent
import NIOPosix
import OporaData
import OporaDomain
import SQLKit
import Vapor

public struct ServerOptions: Sendable {
    /// bcrypt work factor; tests lower it to keep the suite fast.
    public var bcryptCost: Int
    /// Mark the session cookie Secure (set when served over HTTPS behind a proxy).
    public var secureCookies: Bool
    public var sessionLifetime: SessionLifetime
    public var loginThrottle: LoginThrottle
    /// The background database check (`opora check` daily); nil: none.
    public var databaseCheck: DatabaseCheckSchedule?
    /// E-mail: the background sender and the daily digest; nil: none (messages still wait in the outbox).
    public var mail: MailOptions?
    /// The public survey form's limits per address and per link.
    public var surveyLimits: SurveyRateLimits

    public init(bcryptCost: Int = 12, secureCookies: Bool = false, sessionLifetime: SessionLifetime = .init(),
                loginThrottle: LoginThrottle = .init(), databaseCheck: DatabaseCheckSchedule? = .init(), mail: MailOptions? = nil,
                surveyLimits: SurveyRateLimits = .init()) {
        self.mail = mail
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.loginThrottle = loginThrottle
        self.databaseCheck = databaseCheck
        self.surveyLimits = surveyLimits
    }
}

/// Wires database, sessions, middleware and routes into `app`, and brings the schema up to date.
public func configure(_ app: Application, database target: DatabaseTarget, options: ServerOptions = .init()) async throws {
    if !target.isPostgres {
        // Every SQLite query holds a thread of this pool until it returns, a long statement of an import and a write
        // waiting for the import's lock included: a thread per connection (and two for password checks) keeps pages
        // and /health from queueing behind them. The default pool has a thread per core.
        app.threadPool = NIOThreadPool(numberOfThreads: DatabaseTarget.connectionsPerEventLoop * System.coreCount + 2)
    }
    app.databases.use(try target.configurationFactory(), as: .init(string: "main"), isDefault: true)
    app.migrations.add(OporaMigrations.all)
    app.fluent.migrationLogLevel = .debug
    do {
        try await target.prepare(app.db)
        try await app.autoMigrate()
    } catch {
        throw DatabaseTargetError.unreachable(target.displayName, StoreErrors.describe(error))
    }

    app.derivedCache = DerivedCache()
    _ = app.importWorkers
    app.useDailyDatabaseCheck(options.databaseCheck)
    app.useMailDelivery(options.mail)

    app.middleware = .init()
    app.middleware.use(AccessLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(FriendlyErrorMiddleware())
    app.middleware.use(SessionMiddleware(lifetime: options.sessionLifetime, secureCookies: options.secureCookies))
    app.middleware.use(UserLoaderMiddleware())
    // Forms and JSON are small; the one upload route sets its own limit.
    app.routes.defaultMaxBodySize = "2mb"

    try routes(app, options: options)
}

func routes(_ app: Application, options: ServerOptions) throws {
    app.get("health", use: health)
    app.get("assets", "opora.css") { _ -> Response in
        var headers = HTTPHeaders()
        headers.contentType = .css
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: Stylesheet.css))
    }
    app.get("assets", "opora.js") { _ -> Response in
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/javascript; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: Script.js))
    }

    UnsubscribeController().register(app)
    // The public survey form: no login, no session, no CSRF cookie; its one-time form token guards each post.
    SurveyFormController(limiter: SurveyRateLimiter(options.surveyLimits)).register(app)

    let withCSRF = app.grouped(CSRFMiddleware())
    LoginController(throttle: options.loginThrottle).register(withCSRF)

    let protected = app.grouped(RequireUserMiddleware(), CSRFMiddleware(), TodayBadgeMiddleware())
    TodayController().register(protected)
    HomeController().register(protected)
    SchoolsController().register(protected)
    SchoolContextController().register(protected)
    RegistryController().register(protected)
    AuditController().register(protected)
    UsersController(bcryptCost: options.bcryptCost).register(protected)
    AccountController(bcryptCost: options.bcryptCost).register(protected)
    ResultsController().register(protected)
    IdentificationController().register(protected)
    RisksController().register(protected)
    ProgrammesController().register(protected)
    PlansController().register(protected)
    DecisionsController().register(protected)
    ReportsController().register(protected)
    EffectController().register(protected)
    SupportBoardController().register(protected)
    SupportNetworkController().register(protected)
    SupportWorkListController().register(protected)
    SchoolSupportController().register(protected)
    CriteriaController().register(protected)
    DirectionsController().register(protected)
    ExitsController().register(protected)
    ProgrammeExecutionController().register(protected)
    ImportsController().register(protected)
    APIController().register(protected)
    DatabaseCheckController().register(protected)
    SearchController().register(protected)
    QuestionnairesController().register(protected)
    TasksController().register(protected)
    CampaignsController().register(protected)
    // The QR codes of a campaign's links are public like the form itself (the token is the key); the sheets of a
    // campaign's freshly issued links are opened by a signed-in user.
    SurveySheetController().register(public: app, protected: protected)
}
