import Foundation
import OporaDomain
import XCTest

/// End-to-end checks of the `opora` executable: what a user types and what they see.
final class CLITests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("opora-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    func opora(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let bundle = Bundle(for: Self.self).bundleURL
        let binary = [bundle.appendingPathComponent("opora"), bundle.deletingLastPathComponent().appendingPathComponent("opora")]
            .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? bundle.appendingPathComponent("opora")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "OPORA_DATABASE_URL")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func testImportSchoolsIsIdempotentAndAllOrNothing() throws {
        let good = try write("schools.csv", Array("""
        Код ОО;Наименование;Муниципалитет;Регион;Обучающихся
        71001;МКОУ «Липицкая СОШ»;Чернский район;Тульская область;98
        71002;МБОУ «Чернская СОШ № 1»;Чернский район;Тульская область;612
        """.utf8))
        let first = try opora(["import", "schools", good])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("добавлено: 2"), first.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("opora.sqlite").path), "default database file")
        let again = try opora(["import", "schools", good])
        XCTAssertTrue(again.stdout.contains("добавлено: 0, изменено: 0, без изменений: 2"), again.stdout)

        let bad = try write("bad.csv", TextEncoding.utf8ToWindows1251("""
        Код ОО;Наименование;Муниципалитет;Обучающихся
        71003;МКОУ Тургеневская СОШ;Чернский район;40
        71004;МКОУ Полтево;Чернский район;сорок
        """))
        let rejected = try opora(["import", "schools", bad])
        XCTAssertEqual(rejected.status, 1)
        XCTAssertTrue(rejected.stderr.contains("bad.csv:3: students: «сорок» — не целое число"), rejected.stderr)
        XCTAssertTrue(rejected.stderr.contains("Ничего не изменено"))
        let after = try opora(["import", "schools", good])
        XCTAssertTrue(after.stdout.contains("без изменений: 2"), "the good row of the bad file was not written")
    }

    func testGlobalDatabaseOptionBeforeOrAfterTheSubcommand() throws {
        let file = try write("s.csv", Array("code,name,municipality\nX1,Школа,Район\n".utf8))
        XCTAssertEqual(try opora(["--db", "a.sqlite", "import", "schools", file]).status, 0)
        XCTAssertEqual(try opora(["import", "schools", file, "--db", "b.sqlite"]).status, 0)
        XCTAssertEqual(try opora(["import", "schools", file], environment: ["OPORA_DATABASE_URL": "c.sqlite"]).status, 0)
        for name in ["a.sqlite", "b.sqlite", "c.sqlite"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), name)
        }
    }

    func testUsageAndInputErrorsHaveTheirExitCodes() throws {
        let unknownKind = try opora(["import", "pupils", "x.csv"])
        XCTAssertEqual(unknownKind.status, 2)
        XCTAssertTrue(unknownKind.stderr.contains("неизвестный вид данных"), unknownKind.stderr)
        XCTAssertEqual(try opora(["frobnicate"]).status, 2)
        let missing = try opora(["import", "schools", "nope.csv"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nope.csv: файл не найден"))
        let badURL = try opora(["--db", "mysql://x/y", "import", "schools", "nope.csv"])
        XCTAssertEqual(badURL.status, 1)
        let unreachable = try opora(["user", "list", "--db", "postgres://u:secret@127.0.0.1:1/x"])
        XCTAssertEqual(unreachable.status, 1)
        XCTAssertTrue(unreachable.stderr.contains("База данных недоступна"), unreachable.stderr)
        XCTAssertFalse(unreachable.stderr.contains("secret"))
        XCTAssertEqual(try opora(["--help"]).status, 0)
    }

    func testUserAddNeedsAPasswordAndHashesIt() throws {
        let file = try write("s.csv", Array("code,name,municipality\nX1,Школа,Чернский район\n".utf8))
        XCTAssertEqual(try opora(["import", "schools", file]).status, 0)
        let noPassword = try opora(["user", "add", "--login", "coord", "--name", "Петрова", "--role", "municipal_coordinator",
                                    "--municipality", "Чернский район"])
        XCTAssertEqual(noPassword.status, 2, "no terminal and no password: refuse, never invent one")
        let added = try opora(["user", "add", "--login", "coord", "--name", "Петрова", "--role", "municipal_coordinator",
                               "--municipality", "Чернский район"], environment: ["OPORA_PASSWORD": "long-enough-1"])
        XCTAssertEqual(added.status, 0, added.stderr)
        let list = try opora(["user", "list"])
        XCTAssertTrue(list.stdout.contains("coord\tmunicipal_coordinator\tЧернский район"), list.stdout)
        let wrongRole = try opora(["user", "add", "--login", "x", "--name", "x", "--role", "boss", "--password", "long-enough-1"])
        XCTAssertEqual(wrongRole.status, 2)
        let weak = try opora(["user", "add", "--login", "weak-user", "--name", "y", "--role", "viewer", "--municipality", "Чернский район", "--password", "short"])
        XCTAssertEqual(weak.status, 1)
        XCTAssertTrue(weak.stderr.contains("не короче 8 символов"))
    }

    func testServeExplainsABusyPort() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                _ = bind(listener, raw, length)
                _ = getsockname(listener, raw, &length)
            }
        }
        listen(listener, 1)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let run = try opora(["serve", "--port", String(port)])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("Порт \(port) на 127.0.0.1 уже занят"), run.stderr)
    }
}
