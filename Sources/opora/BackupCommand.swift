import ArgumentParser
import Foundation
import OporaData
import OporaDomain

/// `opora backup --out FILE`: one archive of every record (docs/OPERATIONS-BACKUP.md), also while a server writes.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Резервная копия всей базы в один файл (согласованный снимок, можно при работающем сервере).")

    @Option(help: "Файл архива (например, opora-2026-12-06.jsonl.gz)") var out: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        let summary: BackupSummary
        do {
            summary = try await Backup.write(from: store, to: out)
        } catch let error as BackupError {
            await store.close()
            throw InputError(error.description)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        print("Резервная копия записана: \(summary.path) — \(summary.rows) записей в \(summary.tables) таблицах, "
              + "\(BackupText.size(summary.bytes)), \(BackupText.seconds(summary.seconds)).")
    }
}

/// `opora restore FILE`: the archive into an empty database, all or nothing.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Восстановить архив opora backup в пустую базу (SQLite или PostgreSQL): всё или ничего.")

    @Argument(help: "Файл архива") var file: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw InputError("Файл «\(file)» не найден. Ничего не записано.") }
        // Opened as it is: migrating first would write into the database before the archive is checked.
        let store = try await OporaStore.open(try database.target(), migrating: false)
        let summary: RestoreSummary
        do {
            summary = try await Restore.load(file, into: store)
        } catch let error as BackupError {
            await store.close()
            throw InputError(error.description)
        } catch {
            await store.close()
            throw InputError("Восстановление не выполнено, ничего не записано: \(StoreErrors.describe(error))")
        }
        await store.close()
        var text = "Восстановлено: \(summary.rows) записей в \(summary.tables) таблицах, \(BackupText.seconds(summary.seconds))"
        if summary.migrated > 0 { text += "; схема обновлена до текущей версии (миграций: \(summary.migrated))" }
        print(text + ".")
    }
}

enum BackupText {
    static func size(_ bytes: Int) -> String {
        let megabytes = Double(bytes) / 1_048_576
        return RussianFormat.number(megabytes, digits: 1) + " МБ"
    }

    static func seconds(_ value: Double) -> String {
        RussianFormat.number(value, digits: 1) + " с"
    }
}
