import Fluent
import NIOConcurrencyHelpers
import OporaData
import OporaDomain
import Vapor

/// `serve` checks the database in the background (`DatabaseCheckSchedule`): a task of its own, reading through the
/// pool like any request, never holding a request up. Several processes on one database share the schedule (each
/// reads when the last check finished before running one), so a region's servers check it about once a day.
final class DailyDatabaseCheck: LifecycleHandler, Sendable {
    let schedule: DatabaseCheckSchedule
    private let task = BackgroundTask()

    init(schedule: DatabaseCheckSchedule) { self.schedule = schedule }

    /// Starting a task needs no waiting: one synchronous hook serves both `boot()` (tests) and `asyncBoot()` (serve).
    func didBoot(_ application: Application) throws {
        let schedule = schedule
        let db = application.db
        let logger = Logger(label: "opora.check")
        task.start {
            while !Task.isCancelled {
                let last = try? await DatabaseCheckStore(db: db).lastFinished()
                let wait = schedule.wait(lastFinished: last, now: Date())
                if wait > 0 {
                    // Wakes at least hourly to see a check another process made meanwhile.
                    do { try await Task.sleep(nanoseconds: UInt64(min(wait, 3600) * 1_000_000_000)) } catch { return }
                    continue
                }
                await Self.runOnce(db: db, logger: logger)
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        // A check under way stops between two of its queries.
        await task.stop()?.value
    }

    func shutdown(_ application: Application) { _ = task.stop() }

    static func runOnce(db: any Database, logger: Logger) async {
        let report = await DatabaseChecker(db: db).run()
        guard !Task.isCancelled else { return }
        let seconds = report.finishedAt.timeIntervalSince(report.startedAt)
        let metadata: Logger.Metadata = ["faults": "\(report.faultCount)", "seconds": "\(RussianFormat.number(seconds))"]
        if report.ok {
            logger.info("Проверка базы данных: \(report.verdict)", metadata: metadata)
        } else {
            logger.error("Проверка базы данных: \(report.verdict); подробности — на странице /check или «opora check»", metadata: metadata)
        }
        do {
            try await DatabaseCheckStore(db: db).save(report, source: .serve)
        } catch {
            logger.error("Проверка базы данных: итог не сохранён: \(StoreErrors.describe(error))")
            // Not retried at once: the next attempt waits for the schedule's first delay.
            try? await Task.sleep(nanoseconds: 600 * 1_000_000_000)
        }
    }
}

extension Application {
    /// Starts the background check when the server boots (nil schedule: none).
    func useDailyDatabaseCheck(_ schedule: DatabaseCheckSchedule?) {
        guard let schedule else { return }
        lifecycle.use(DailyDatabaseCheck(schedule: schedule))
    }
}
