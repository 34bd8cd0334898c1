import ArgumentParser
import Foundation
import OporaData
import OporaDomain
import OporaWeb
import Vapor

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo",
        abstract: "Создать заново демонстрационную базу (вымышленный муниципалитет) и запустить сервер.")

    @ArgumentParser.Option(help: "Порт (по умолчанию 8080)") var port = 8080
    @ArgumentParser.Option(help: "Адрес (по умолчанию 127.0.0.1)") var host = "127.0.0.1"
    @ArgumentParser.Option(help: "Файл демонстрационной базы (пересоздаётся)") var file = "opora-demo.sqlite"

    func validate() throws { try Ranges.check(port, 1...65535, "--port") }

    func run() async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        let target = DatabaseTarget.sqliteFile(file)
        try await ServerRunner.run(target: target, host: host, port: port, logFormat: .text, options: ServerOptions()) { app in
            let logins = try await DemoData.load(into: app.db)
            print("")
            print("Опора — демонстрационный режим (данные вымышленные, база \(file) создана заново)")
            print("Откройте в браузере: http://\(host):\(port)")
            print("")
            print("Демо-входы (логин / пароль — роль, область доступа):")
            for login in logins {
                print("  \(login.login) / \(login.password) — \(login.role.russianName), \(login.scope)")
            }
            print("")
            print("Остановка: Ctrl+C")
            fflush(nil)  // the logins must appear at once even when stdout is a pipe or a file
        }
    }
}
