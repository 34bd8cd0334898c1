import Foundation
import Logging
import OporaDomain

/// Backups taken by `serve` in the background: every `interval` after the newest in `directory` (the first a minute
/// after the start when none is due sooner), keeping the newest `keep`
/// (`BackupRetention`). Each runs on its own connection pool in a task of its own, so requests never wait for it;
/// a failure is logged and the next one is tried at the next interval.
public struct ScheduledBackups: Sendable {
    public let target: DatabaseTarget
    public let directory: String
    public let interval: TimeInterval
    public let keep: Int
    public let logger: Logger

    public init(target: DatabaseTarget, directory: String, interval: TimeInterval, keep: Int, logger: Logger) {
        self.target = target
        self.directory = directory
        self.interval = interval
        self.keep = keep
        self.logger = logger
    }

    /// Runs until the task is cancelled (the server stopping).
    public func start() -> Task<Void, Never> {
        Task.detached(priority: .utility) {
            while !Task.isCancelled {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                let delay = min(BackupRetention.delay(names: names, now: Date(), interval: interval), max(interval, 1))
                do { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) } catch { return }
                await runOnce()
            }
        }
    }

    /// One backup and the pruning of older ones.
    @discardableResult
    public func runOnce(now: Date = Date()) async -> BackupSummary? {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = (directory as NSString).appendingPathComponent(BackupRetention.fileName(at: now))
            let store = try await OporaStore.open(target, migrating: false, logger: logger)
            let summary: BackupSummary
            do {
                summary = try await Backup.write(from: store, to: path)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            for name in BackupRetention.toDelete(names, keep: keep) {
                try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
            }
            logger.info("backup written", metadata: ["file": .string(path), "bytes": .stringConvertible(summary.bytes),
                                                     "seconds": .stringConvertible(summary.seconds)])
            return summary
        } catch {
            logger.error("backup failed", metadata: ["error": .string(String(describing: error))])
            return nil
        }
    }
}
