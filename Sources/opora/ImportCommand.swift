import ArgumentParser
import Foundation
import OporaData
import OporaDomain

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Загрузить файл (CSV, UTF-8 или Windows-1251, «,» или «;»). Всё или ничего.",
        discussion: "Виды: schools, results, scores, thresholds, benchmarks, context (CSV или XLSX). Ошибки выводятся как ФАЙЛ:СТРОКА: столбец: сообщение; при ошибке база не меняется.")

    @Argument(help: "Вид данных: schools, results, scores, thresholds, benchmarks, context")
    var kind: String

    @Argument(help: "Путь к файлу")
    var file: String

    @Option(help: "Лист книги XLSX (по умолчанию первый)") var sheet: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard ImportKind(rawValue: kind) != nil else {
            throw ValidationError("неизвестный вид данных «\(kind)»; поддерживаются: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        guard let bytes = FileBytes.read(file) else { throw InputError("\(file): файл не найден или не читается") }
        let store = try await OporaStore.open(try database.target(), migrations: CLIMigrations.all)
        do {
            let fileName = (file as NSString).lastPathComponent
            let summary: ImportSummary
            switch ImportKind(rawValue: kind)! {
            case .schools:
                summary = try await SchoolImporter(db: store.db, actor: .commandLine).importFile(bytes: bytes, fileName: fileName, sheet: sheet)
            case .results, .scores, .thresholds, .benchmarks, .context:
                let kind = ResultsImporter.Kind(rawValue: kind)!
                summary = try await ResultsImporter(db: store.db, actor: .commandLine).importFile(kind: kind, bytes: bytes, fileName: fileName, sheet: sheet)
            }
            for warning in summary.warnings { FileHandle.standardError.write(Data((warning.description + "\n").utf8)) }
            print("\(fileName): загружено — \(summary.russianDescription)")
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }
}

enum ImportKind: String, CaseIterable {
    case schools, results, scores, thresholds, benchmarks, context
}
