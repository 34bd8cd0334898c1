import FluentKit
import Foundation
import OporaDomain

/// Sends what the outbox holds, oldest first; a failure is tried again after `MailRetry.delay` and given up after
/// `MailRetry.maxAttempts`. Runs outside any request (`serve`'s background task, `MailDelivery`).
public struct MailSender: Sendable {
    public let db: any Database
    public let client: SMTPClient

    public init(db: any Database, client: SMTPClient) {
        self.db = db
        self.client = client
    }

    public struct Outcome: Sendable, Hashable {
        public var sent = 0
        public var failed = 0

        public init(sent: Int = 0, failed: Int = 0) {
            self.sent = sent
            self.failed = failed
        }
    }

    @discardableResult
    public func sendDue(now: Date = Date(), limit: Int = 50) async throws -> Outcome {
        let due = try await MailOutboxModel.query(on: db).filter(\.$sentAt == nil).filter(\.$failedAt == nil)
            .filter(\.$nextAttemptAt <= now).sort(\.$id).limit(limit).all()
        var outcome = Outcome()
        for message in due {
            let mail = MailMessage(from: client.settings.from, to: message.recipient, subject: message.subject, body: message.body)
            do {
                try await client.send(mail, messageID: "\(message.id!).\(Int(message.createdAt.timeIntervalSince1970))@opora",
                                      unsubscribe: message.unsubscribeURL, date: now)
                try await MailOutboxModel.query(on: db).filter(\.$id == message.id!).set(\.$sentAt, to: Date())
                    .set(\.$attempts, to: message.attempts + 1).set(\.$lastError, to: nil).update()
                outcome.sent += 1
            } catch {
                let attempts = message.attempts + 1
                let reason = String(String(describing: error).prefix(500))
                let update = MailOutboxModel.query(on: db).filter(\.$id == message.id!).set(\.$attempts, to: attempts)
                    .set(\.$lastError, to: reason)
                    .set(\.$nextAttemptAt, to: now.addingTimeInterval(MailRetry.delay(afterAttempt: attempts)))
                if MailRetry.givesUp(after: attempts) { update.set(\.$failedAt, to: now) }
                try await update.update()
                outcome.failed += 1
            }
        }
        return outcome
    }
}

/// The daily messages: each user's digest of «Сегодня» and, to those who may change a roadmap, its overdue
/// measures — each told once (a dedupe key per user and day, per user and set of overdue measures).
public enum DailyMail {
    public static func queue(on db: any Database, today: CalendarDay = .today(), now: Date = Date()) async throws -> Int {
        var queued = 0
        let users = try await Notifications.candidates(.digest, on: db)
        for user in users {
            let (scope, _) = try await UserScopes.scope(of: user, on: db, day: today)
            let items = try await TodayRepository(db: db).items(role: user.roleValue, scope: scope, today: today, now: now)
            guard !items.isEmpty else { continue }
            let content = NotificationText.digest(items, day: today, baseURL: MailLinks.publicURL)
            if try await Notifications.write(.digest, to: user, content: content, dedupe: "digest:\(user.id!):\(today.iso)", on: db) {
                queued += 1
            }
        }
        let plans = PlanRepository(db: db)
        let recipients = try await Notifications.candidates(.measureOverdue, on: db)
        for plan in try await plans.programmes(.everything) where plan.period.years.upperBound >= today.year - 1 {
            let rows = RoadmapRow.rows(try await plans.measures(plan.id!), period: plan.period, today: today)
                .filter { $0.progress == .overdue }
            guard !rows.isEmpty else { continue }
            let told = SHA256Digest.hex(of: Array(rows.map { String($0.id) }.joined(separator: ",").utf8)).prefix(16)
            let content = NotificationText.measureOverdue(plan: plan.name,
                                                          measures: rows.map { "\($0.measure.number) \($0.measure.measure)" },
                                                          link: MailLinks.publicURL + "/plans/\(plan.id!)/roadmap")
            for user in recipients {
                let (scope, _) = try await UserScopes.scope(of: user, on: db, day: today)
                guard NotificationAudience.receives(.measureOverdue, role: user.roleValue, scope: scope, programme: plan.place) else {
                    continue
                }
                if try await Notifications.write(.measureOverdue, to: user, content: content,
                                                 dedupe: "measure_overdue:\(plan.id!):\(user.id!):\(told)", on: db) { queued += 1 }
            }
        }
        return queued
    }
}
