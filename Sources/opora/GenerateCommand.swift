import ArgumentParser
import Foundation
import OporaDomain

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate",
        abstract: "Записать синтетические данные в CSV (демо-муниципалитет; для проверки загрузки и замеров).")

    @Argument(help: "Что создать: demo") var what = "demo"
    @Option(help: "Папка для файлов") var out = "opora-data"

    func run() async throws {
        guard what == "demo" else { throw ValidationError("неизвестный набор «\(what)»; доступен: demo") }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = (out as NSString).appendingPathComponent("schools.csv")
        try DemoMunicipality.schoolsCSV().write(toFile: path, atomically: true, encoding: .utf8)
        print("Записано: \(path)")
    }
}
