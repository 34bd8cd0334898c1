import Fluent
import OporaData
import OporaDomain
import Vapor

/// How `serve` sends mail: the SMTP server (nil: messages wait in the outbox), how often the outbox is read, and
/// the hour (UTC) after which each day's digest and overdue measures are queued.
public struct MailOptions: Sendable {
    public var smtp: SMTPSettings?
    public var publicURL: String
    public var interval: TimeInterval
    public var digestHour: Int

    public init(smtp: SMTPSettings?, publicURL: String, interval: TimeInterval = 30, digestHour: Int = 4) {
        self.smtp = smtp
        self.publicURL = publicURL
        self.interval = interval
        self.digestHour = digestHour
    }
}

/// The background sender: a task of its own that never holds a request; the outbox is the only thing requests
/// and the sender share. Several processes on one database may run it: the dedupe keys keep each day's messages single.
final class MailDelivery: LifecycleHandler, Sendable {
    let options: MailOptions
    private let task = BackgroundTask()

    init(options: MailOptions) { self.options = options }

    func didBoot(_ application: Application) throws {
        let options = options
        let db = application.db
        let today = application.today
        let logger = Logger(label: "opora.mail")
        task.start {
            var queuedOn: CalendarDay? = nil
            while !Task.isCancelled {
                let day = today()
                if queuedOn != day, Calendar(identifier: .gregorian).component(.hour, from: Date()) >= options.digestHour {
                    do {
                        let queued = try await DailyMail.queue(on: db, today: day)
                        queuedOn = day
                        logger.info("mail: daily messages queued", metadata: ["count": "\(queued)"])
                    } catch {
                        logger.error("mail: daily messages not queued", metadata: ["error": "\(error)"])
                    }
                }
                if let smtp = options.smtp {
                    do {
                        let outcome = try await MailSender(db: db, client: SMTPClient(settings: smtp)).sendDue()
                        if outcome.sent + outcome.failed > 0 {
                            logger.info("mail: outbox read", metadata: ["sent": "\(outcome.sent)", "failed": "\(outcome.failed)"])
                        }
                    } catch {
                        logger.error("mail: outbox not read", metadata: ["error": "\(error)"])
                    }
                }
                do { try await Task.sleep(nanoseconds: UInt64(options.interval * 1_000_000_000)) } catch { return }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        await task.stop()?.value
    }

    func shutdown(_ application: Application) { _ = task.stop() }
}

extension Application {
    func useMailDelivery(_ options: MailOptions?) {
        guard let options else { return }
        MailLinks.publicURL = options.publicURL
        lifecycle.use(MailDelivery(options: options))
    }
}
