import ArgumentParser
import FluentKit
import Foundation
import OporaData
import OporaDomain

extension ReportCommand {
    /// `opora report results`: «Итоги программы» — the document a programme ends with.
    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "results",
            abstract: "Итоги программы: результаты школ на начало и итог, эффект поддержки, дорожная карта, показатели.")
        @Option(help: "Код программы") var programme: String
        @Option(help: "Год начала (базовый)") var from: Int
        @Option(help: "Год итога") var to: Int
        @Option(help: "Файл: .docx, .xlsx или .html") var out: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var signing: Signing

        func validate() throws {
            try Ranges.check(from, InputRange.year, "--from")
            try Ranges.check(to, InputRange.year, "--to")
            guard from < to else { throw ValidationError("--to должен быть позже --from") }
            _ = try ReportCommand.format(out)
        }

        func run() async throws {
            try await ReportCommand.write({ builder, db in
                try await builder.programmeResults(try await ReportCommand.programme(programme, on: db), from: from, to: to)
            }, out: out, database: database, signing: signing)
        }
    }
}
