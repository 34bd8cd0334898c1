import ArgumentParser
import Foundation
import Logging
import OporaData
import OporaWeb
import Vapor

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Запустить веб-сервер.")

    @ArgumentParser.Option(help: "Адрес (по умолчанию 127.0.0.1)") var host = "127.0.0.1"
    @ArgumentParser.Option(help: "Порт (по умолчанию 8080)") var port = 8080
    @ArgumentParser.Option(help: "Формат журнала: text или json") var logFormat = LogFormat.text
    @ArgumentParser.Flag(help: "Сессионная cookie только по HTTPS (за обратным прокси)") var secureCookies = false
    @OptionGroup var backups: ScheduledBackupOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try Ranges.check(port, 1...65535, "--port")
        try backups.validate()
    }

    func run() async throws {
        let target = try database.target()
        try await ServerRunner.run(target: target, host: host, port: port, logFormat: logFormat,
                                   options: ServerOptions(secureCookies: secureCookies)) { app in
            let users = try await UserModel.query(on: app.db).count()
            print("Опора: \(target.displayName), http://\(host):\(port)")
            // The shipped questionnaires, on the first start (and any a new release adds); edited ones stay as they are.
            let presets = try await QuestionnaireRepository(db: app.db).installPresets()
            if !presets.isEmpty { print("Добавлены анкеты: \(presets.map(\.title).joined(separator: "; "))") }
            if users == 0 {
                print("В базе нет ни одного пользователя. Создайте первого (пароль будет запрошен):")
                print("  opora user add --login admin --name \"Иванова А. В.\" --role regional_analyst")
            }
            if let schedule = backups.schedule(target: target, logger: app.logger) {
                let task = schedule.start()
                app.lifecycle.use(CancelOnShutdown(task: task))
                print("Резервные копии: в \(schedule.directory) каждые \(backups.backupEvery) ч, хранится \(schedule.keep)")
            }
            fflush(nil)
        }
    }
}

enum LogFormat: String, ExpressibleByArgument { case text, json }

enum ServerRunner {
    nonisolated(unsafe) private static var loggingReady = false

    static func bootstrapLogging(_ format: LogFormat) {
        guard !loggingReady else { return }
        loggingReady = true
        let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "") ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Configures and serves until SIGINT/SIGTERM (Vapor's serve command shuts down gracefully on both).
    static func run(target: DatabaseTarget, host: String, port: Int, logFormat: LogFormat, options: ServerOptions,
                    beforeServe: (Application) async throws -> Void) async throws {
        guard (1...65535).contains(port) else { throw ValidationError("порт должен быть от 1 до 65535") }
        bootstrapLogging(logFormat)
        let app = try await Application.make(Environment(name: "production", arguments: ["opora"]))
        do {
            try await configure(app, database: target, options: options)
            app.http.server.configuration.hostname = host
            app.http.server.configuration.port = port
            try await beforeServe(app)
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            let text = String(describing: error)
            if text.contains("Address already in use") || text.contains("errno: 98") {
                throw InputError("Порт \(port) на \(host) уже занят другим процессом. Укажите другой: --port N")
            }
            if text.contains("Cannot assign requested address") || text.contains("errno: 99") {
                throw InputError("Адрес \(host) недоступен на этой машине. Укажите другой: --host 127.0.0.1")
            }
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// `serve --backup-dir DIR [--backup-every HOURS] [--backup-keep N]`: backups taken in the background.
struct ScheduledBackupOptions: ParsableArguments {
    @ArgumentParser.Option(help: "Папка для резервных копий по расписанию (без неё копии не делаются)") var backupDir: String?
    @ArgumentParser.Option(help: "Интервал между копиями, часов (по умолчанию 24; можно дробное)") var backupEvery = 24.0
    @ArgumentParser.Option(help: "Сколько последних копий хранить (по умолчанию 7)") var backupKeep = 7

    func validate() throws {
        guard backupEvery > 0, backupEvery <= 24 * 366 else { throw ValidationError("--backup-every: ожидается число часов больше 0") }
        try Ranges.check(backupKeep, 1...10_000, "--backup-keep")
    }

    func schedule(target: DatabaseTarget, logger: Logger) -> ScheduledBackups? {
        guard let backupDir else { return nil }
        return ScheduledBackups(target: target, directory: backupDir, interval: backupEvery * 3600, keep: backupKeep,
                                logger: logger)
    }
}

/// Stops the scheduled backups when the server shuts down.
struct CancelOnShutdown: LifecycleHandler {
    let task: Task<Void, Never>
    func shutdown(_ application: Application) { task.cancel() }
}
