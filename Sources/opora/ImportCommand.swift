import ArgumentParser
import Foundation
import OporaData
import OporaDomain

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Загрузить файл (CSV, UTF-8 или Windows-1251, «,» или «;»). Всё или ничего.",
        discussion:
            "Виды: schools, results, scores, thresholds, benchmarks, context (CSV или XLSX). Ошибки выводятся как ФАЙЛ:СТРОКА: столбец: " +
            "сообщение; при ошибке база не меняется."
    )

    @Argument(help: "Вид данных: schools, results, scores, thresholds, benchmarks, context")
    var kind: String

    @Argument(help: "Путь к файлу")
    var file: String

    @Option(help: "Лист книги XLSX (по умолчанию первый)") var sheet: String?
    @Option(help: "Для roadmap: код программы, если файл — план мероприятий как напечатан (без столбца programme)") var programme: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard ImportKind(rawValue: kind) != nil else {
            throw ValidationError(
                "неизвестный вид данных «\(kind)»; поддерживаются: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if programme != nil && kind != ImportKind.roadmap.rawValue { throw ValidationError("--programme указывается только для roadmap") }
        if let programme, programme.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--programme: пустой код программы")
        }
    }

    func run() async throws {
        let limits = ImportLimits.standard
        let fileName = (file as NSString).lastPathComponent
        if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > limits.fileBytes {
            throw InputError(ImportIssue(file: fileName, line: 1, column: "—", message: limits.fileTooLarge(size)).description)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.isReadableFile(atPath: file), FileManager.default.fileExists(atPath: file, isDirectory: &isFolder),
              !isFolder.boolValue else { throw InputError("\(file): файл не найден или не читается") }
        let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
        do {
            let importer = Importer(db: store.db, actor: .commandLine)
            let summary = try await importer.write(try await parse(with: importer, fileName: fileName, limits: limits))
            for warning in summary.warnings { FileHandle.standardError.write(Data((warning.description + "\n").utf8)) }
            print("\(fileName): загружено — \(summary.russianDescription)")
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }

    /// The file read and parsed; its bytes are let go when this returns, so a file of hundreds of megabytes is not held
    /// in memory while its rows are written.
    func parse(with importer: Importer, fileName: String, limits: ImportLimits) async throws -> ParsedFile {
        guard let bytes = FileBytes.read(file) else { throw InputError("\(file): файл не найден или не читается") }
        return try await importer.parse(ImportKind(rawValue: kind)!, bytes: bytes, fileName: fileName, sheet: sheet,
                                        programme: programme?.trimmingCharacters(in: .whitespaces), limits: limits)
    }
}
