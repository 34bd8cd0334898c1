// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Opora",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "opora", targets: ["opora"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // TLS for SMTP (STARTTLS and SMTPS); Vapor depends on it already.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        // Tests only: a real HTTP client for the server started on a port (Vapor depends on it already).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Pure domain: no Vapor, no database. Metrics, rules, parsing of interchange files.
        .target(name: "OporaDomain", dependencies: []),
        // zlib, to inflate uploaded XLSX parts with our own bounds (see ZipArchiveReader).
        .systemLibrary(name: "COporaZlib", path: "Sources/COporaZlib"),
        // Persistence: Fluent models, migrations, repositories, importers, aggregates in SQL.
        .target(name: "OporaData", dependencies: [
            "OporaDomain", "COporaZlib",
            .product(name: "FluentKit", package: "fluent-kit"),
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "SQLiteNIO", package: "sqlite-nio"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // HTTP: routes, auth, views (server-rendered HTML, SVG charts), JSON API.
        .target(name: "OporaWeb", dependencies: [
            "OporaDomain", "OporaData",
            .product(name: "Vapor", package: "vapor"),
            .product(name: "Fluent", package: "fluent"),
        ]),
        .executableTarget(name: "opora", dependencies: [
            "OporaDomain", "OporaData", "OporaWeb",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Vapor", package: "vapor"),
        ]),
        // Shared by the data and web tests: the engines to run on (SQLite always, PostgreSQL when configured).
        .target(name: "OporaTestSupport", dependencies: [
            "OporaData", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], path: "Tests/TestHelpers"),
        .testTarget(name: "OporaDomainTests", dependencies: ["OporaDomain"]),
        .testTarget(name: "OporaDataTests", dependencies: ["OporaData", "OporaDomain", "OporaTestSupport"]),
        .testTarget(name: "OporaWebTests", dependencies: [
            "OporaWeb", "OporaData", "OporaDomain", "OporaTestSupport",
            .product(name: "XCTVapor", package: "vapor"),
        ]),
        // Starts the built `opora` binary on a free port with a fresh database, and talks to it over real HTTP.
        .target(name: "OporaLiveSupport", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Tests/LiveHelpers"),
        // The server as a browser meets it: chunked multipart uploads, cookies, redirects, hostile uploads.
        .testTarget(name: "OporaServerTests", dependencies: ["opora", "OporaLiveSupport", "OporaDomain", "OporaData", "OporaTestSupport"]),
        // A real browser (headless Chromium through WebDriver) on the pages: runs when chromium and chromedriver are installed.
        .testTarget(name: "OporaBrowserTests", dependencies: ["opora", "OporaLiveSupport", "OporaTestSupport"]),
        // Runs the built `opora` binary as a user would: exit codes, messages, files.
        .testTarget(name: "OporaCLITests", dependencies: [
            "opora", "OporaDomain", "OporaData", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
    ]
)
