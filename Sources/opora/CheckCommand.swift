import ArgumentParser
import Foundation
import OporaData
import OporaDomain

/// `opora check`: the database's integrity (the engine's own check), every reference, the audit trail. Prints the
/// Russian report (or JSON), keeps the outcome for the start page and `/health`; exit status 1 on a fault.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Проверить базу данных: целостность, ссылки между записями, журнал изменений. Код выхода 1 при нарушениях.",
        discussion: "Что проверяется — docs/OPERATIONS.md, раздел «Проверка базы данных».")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, table, json }

    @Option(help: "Формат: text (отчёт по-русски) или json") var format = Format.text
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var report: DatabaseCheckReport? = nil
        try await withStore(database) { db in
            let outcome = await DatabaseChecker(db: db).run()
            // Kept so the start page shows it; a database that cannot take the row is still reported on.
            try? await DatabaseCheckStore(db: db).save(outcome, source: .command)
            report = outcome
        }
        guard let report else { return }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .text, .table:
            print(report.text)
        }
        if !report.ok {
            fflush(nil)
            FileHandle.standardError.write(Data("Проверка базы данных: \(report.verdict).\n".utf8))
            throw ExitCode(1)
        }
    }
}
