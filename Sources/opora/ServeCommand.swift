import ArgumentParser
import Foundation
import Logging
import OporaData
import OporaDomain
import OporaWeb
import Vapor

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Запустить веб-сервер.")

    @ArgumentParser.Option(help: "Адрес (по умолчанию 127.0.0.1)") var host = "127.0.0.1"
    @ArgumentParser.Option(help: "Порт (по умолчанию 8080)") var port = 8080
    @ArgumentParser.Option(help: "Формат журнала: text или json") var logFormat = LogFormat.text
    @ArgumentParser.Flag(help: "Сессионная cookie только по HTTPS (за обратным прокси)") var secureCookies = false
    @OptionGroup var backups: ScheduledBackupOptions
    @OptionGroup var mail: MailCommandOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try Ranges.check(port, 1...65535, "--port")
        try mail.validate()
        try backups.validate()
    }

    func run() async throws {
        let target = try database.target()
        try await ServerRunner.run(target: target, host: host, port: port, logFormat: logFormat,
                                   options: ServerOptions(secureCookies: secureCookies,
                                                          mail: mail.options(defaultURL: "http://\(host):\(port)"))) { app in
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

/// SMTP for notifications: each option falls back to its `OPORA_SMTP_*` variable (`OPORA_PUBLIC_URL` for links).
struct MailCommandOptions: ParsableArguments {
    @ArgumentParser.Option(help: "SMTP-сервер для уведомлений (или OPORA_SMTP_HOST); без него письма ждут в очереди")
    var smtpHost: String?
    @ArgumentParser.Option(help: "Порт SMTP (или OPORA_SMTP_PORT; по умолчанию 25)") var smtpPort: Int?
    @ArgumentParser.Option(help: "Пользователь SMTP (или OPORA_SMTP_USER)") var smtpUser: String?
    @ArgumentParser.Option(help: "Пароль SMTP (лучше OPORA_SMTP_PASSWORD: аргументы видны в списке процессов)") var smtpPassword: String?
    @ArgumentParser.Option(help: "Адрес отправителя (или OPORA_SMTP_FROM)") var smtpFrom: String?
    @ArgumentParser.Option(help: "Защита соединения: starttls (по умолчанию), tls (порт 465) или none (или OPORA_SMTP_SECURITY)")
    var smtpSecurity: String?
    @ArgumentParser.Option(help: "PEM-файл своего удостоверяющего центра для сертификата сервера (или OPORA_SMTP_CA_FILE)")
    var smtpCaFile: String?
    @ArgumentParser.Option(help: "Адрес сайта для ссылок в письмах (или OPORA_PUBLIC_URL)") var publicURL: String?

    func validate() throws {
        if let smtpPort { try Ranges.check(smtpPort, 1...65535, "--smtp-port") }
        let from = smtpFrom ?? ProcessInfo.processInfo.environment["OPORA_SMTP_FROM"]
        if let from, !MailAddress.isValid(from) { throw ValidationError("--smtp-from: \(MailAddress.problemMessage)") }
        let security = smtpSecurity ?? ProcessInfo.processInfo.environment["OPORA_SMTP_SECURITY"]
        if let security, SMTPSecurity(rawValue: security) == nil {
            throw ValidationError("--smtp-security: допустимо starttls, tls или none, а не «\(security)»")
        }
        if let file = smtpCaFile ?? ProcessInfo.processInfo.environment["OPORA_SMTP_CA_FILE"], !file.isEmpty,
           !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("--smtp-ca-file: файл «\(file)» не найден или не читается")
        }
    }

    func options(defaultURL: String) -> MailOptions {
        let environment = ProcessInfo.processInfo.environment
        var smtp = SMTPSettings.fromEnvironment(environment)
        if let smtpHost { smtp = smtp ?? SMTPSettings(host: smtpHost, from: "opora@localhost"); smtp?.host = smtpHost }
        if let smtpPort { smtp?.port = smtpPort }
        if let smtpUser { smtp?.user = smtpUser }
        if let smtpPassword { smtp?.password = smtpPassword }
        if let smtpFrom { smtp?.from = smtpFrom }
        if let security = smtpSecurity.flatMap(SMTPSecurity.init(rawValue:)) { smtp?.security = security }
        if let smtpCaFile { smtp?.trustedCertificates = smtpCaFile }
        return MailOptions(smtp: smtp, publicURL: publicURL ?? environment["OPORA_PUBLIC_URL"] ?? defaultURL)
    }
}

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
