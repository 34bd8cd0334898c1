import Foundation
import OporaDomain
import XCTest
import ZIPFoundation

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

    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    func testImportSchoolsIsIdempotentAndAllOrNothing() throws {
        let good = try write("schools.csv", Array("""
        Код ОО;Наименование;Муниципалитет;Регион;Обучающихся
        71001;МКОУ «Липицкая СОШ»;Чернский район;Тульская область;98
        71002;МБОУ «Чернская СОШ № 1»;Чернский район;Тульская область;612
        """.utf8))
        let first = try opora(["import", "schools", good])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("добавлено: 2"), first.stdout)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("opora.sqlite").path), "default database file")
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
        // A folder is no file: refused before the database is opened, so none is made.
        let folder = try opora(["--db", "folder.sqlite", "import", "schools", directory.path])
        XCTAssertEqual(folder.status, 1)
        XCTAssertTrue(folder.stderr.contains("файл не найден или не читается"), folder.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("folder.sqlite").path))
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
        let weak = try opora([
            "user", "add", "--login", "weak-user", "--name", "y", "--role", "viewer", "--municipality", "Чернский район", "--password",
            "short",
        ])
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

    func testStatsAsContractSpecifies() throws {
        let schools = try write(
            "schools.csv", Array("code;name;municipality\nL1;МКОУ «Липицкая СОШ»;Чернский район\nL2;МБОУ СОШ № 1;Чернский район\n".utf8))
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        var scores = "year,procedure,grade,subject,school,student,mark\n"
        for (index, mark) in [2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4].enumerated() { scores += "2023,VPR,5,math,L1,S\(index),\(mark)\n" }
        let scoresFile = try write("scores.csv", Array(scores.utf8))
        let imported = try opora(["import", "scores", scoresFile])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let results = try write(
            "results.csv",
            TextEncoding.utf8ToWindows1251(
                "Год;Процедура;Класс;Предмет;Код ОО;Участников;Отметка 2;Отметка 3;Отметка 4;Отметка " +
                "5\n2023;ВПР;5;Математика;L2;6;0;2;2;2\n"
            ))
        XCTAssertEqual(try opora(["import", "results", results]).status, 0)

        let json = try opora(["stats", "--year", "2023", "--procedure", "VPR", "--grade", "5", "--subject", "math", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let array = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(array.count, 2)
        let first = array[0]
        XCTAssertEqual(first["school"] as? String, "L1")
        XCTAssertEqual(first["year"] as? Int, 2023)
        XCTAssertEqual(first["procedure"] as? String, "VPR")
        XCTAssertEqual(first["grade"] as? Int, 5)
        XCTAssertEqual(first["subject"] as? String, "math")
        XCTAssertEqual(first["participants"] as? Int, 14)
        XCTAssertEqual(first["success_rate"] as? Double, 64.29)
        XCTAssertEqual(first["quality_rate"] as? Double, 14.29)
        XCTAssertEqual(first["mean_mark"] as? Double, 2.79)
        XCTAssertEqual(first["sou"] as? Double, 32.86)
        XCTAssertEqual(first["below_min_rate"] as? Double, 35.71)
        for key in ["mean_score", "high_rate", "lowered_rate", "confirmed_rate", "raised_rate"] {
            XCTAssertTrue(first[key] is NSNull, "\(key) must be null")
        }
        XCTAssertEqual(array[1]["small_group"] as? Bool, true, "6 participants")

        let one = try opora(["stats", "--year", "2023", "--procedure", "ВПР", "--school", "L2", "--format", "csv"])
        XCTAssertEqual(one.stdout.split(separator: "\n").count, 2)
        XCTAssertTrue(one.stdout.hasPrefix("school,school_name,year,procedure,grade,subject,participants,success_rate"))
        let table = try opora(["stats", "--year", "2023", "--procedure", "VPR"])
        XCTAssertTrue(table.stdout.contains("64,3"), table.stdout)
        XCTAssertTrue(table.stdout.contains("малая группа"))
        XCTAssertEqual(try opora(["stats", "--year", "2023", "--procedure", "NIKO"]).status, 2)
        XCTAssertEqual(try opora(["stats", "--year", "2023", "--procedure", "VPR", "--school", "nope"]).status, 1)
        XCTAssertEqual(
            try opora(["stats", "--year", "2019", "--procedure", "VPR", "--format", "json"]).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines), "[]")
    }

    func testTypologyAndIdentifyAsContractSpecifies() throws {
        // Seed 004, Table 7: school № → (ИСБШ group, quality group).
        let table7: [(Int, Int, Int)] = [
            (40, 2, 5), (3, 3, 4), (22, 3, 5), (26, 3, 5), (36, 3, 5), (11, 3, 6), (29, 3, 6), (10, 4, 5), (28, 4, 5),
            (2, 4, 6), (5, 4, 7), (9, 4, 7), (1, 5, 5), (4, 5, 7), (7, 5, 7), (20, 6, 3), (16, 6, 4), (12, 6, 5),
            (15, 7, 4), (6, 7, 6), (32, 7, 7), (21, 7, 8),
        ]
        var schools = "code,name,municipality\n"
        var context = "Год;Код ОО;Показатель;Значение\n"
        for (number, isbs, quality) in table7 {
            schools += "P\(number),МАОУ СОШ № \(number),ГО Первоуральск\n"
            context += "2023;P\(number);isbs_group;\(isbs)\n2023;P\(number);quality_group;\(quality)\n"
        }
        XCTAssertEqual(try opora(["import", "schools", try write("s.csv", Array(schools.utf8))]).status, 0)
        let imported = try opora(["import", "context", try write("c.csv", Array(context.utf8))])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let typology = try opora(["typology", "--year", "2023", "--format", "json"])
        let lines = try JSONSerialization.jsonObject(with: Data(typology.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(lines.count, 22)
        let counts = Dictionary(grouping: lines, by: { $0["type"] as! String }).mapValues(\.count)
        XCTAssertEqual(counts, ["unfavourable": 7, "resilient": 5, "failing": 5, "conditionally_favourable": 5])
        XCTAssertTrue(
            try opora(["typology", "--year", "2023"]).stdout.contains(
                "неблагополучные: 7, резильентные: 5, несправляющиеся: 5, условно благополучные: 5, благополучные: 0 — из 22"))

        // № 16: ВПР-2023 mathematics grade 6 34,2 % and ОГЭ-2023 mathematics 31 % → low results, with ИСБШ 6 (not unfavourable).
        let results =
            "year,procedure,grade,subject,school,participants,below_min\n2023,VPR,6,math,P16,38,13\n2023,OGE,9,math,P16,29,9\n" +
            "2023,VPR,6,math,P40,20,7\n2023,OGE,9,rus,P40,20,6\n2023,OGE,9,rus,P3,20,2\n"
        XCTAssertEqual(try opora(["import", "results", try write("r.csv", Array(results.utf8))]).status, 0)
        let identify = try opora(["identify", "--year", "2023", "--format", "json"])
        XCTAssertEqual(identify.status, 0, identify.stderr)
        let flags = try JSONSerialization.jsonObject(with: Data(identify.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(flags.count, 22, "one element per school")
        let byCode = Dictionary(uniqueKeysWithValues: flags.map { ($0["school"] as! String, $0) })
        XCTAssertEqual(byCode["P16"]?["status"] as? String, "low_results")
        XCTAssertEqual(byCode["P40"]?["status"] as? String, "low_results_social", "ИСБШ group 2")
        XCTAssertEqual(byCode["P3"]?["status"] as? String, "none")
        let reasons = byCode["P16"]?["reasons"] as! [[String: Any]]
        XCTAssertEqual(reasons.count, 2)
        XCTAssertEqual(reasons[1]["procedure"] as? String, "VPR")
        XCTAssertEqual(reasons[1]["grade"] as? Int, 6)
        XCTAssertEqual(reasons[1]["subject"] as? String, "math")
        XCTAssertEqual(reasons[1]["value"] as? Double, 34.21)
        XCTAssertEqual(reasons[1]["threshold"] as? Double, 30)
        let table = try opora(["identify", "--year", "2023"])
        XCTAssertTrue(table.stdout.contains("ВПР-2023 математика, 6 класс: 34,2 % (13 из 38) не преодолели порог ≥ 30 %"), table.stdout)

        let criteria = try write("c.yaml", Array("name: Строже\nlow_results:\n  threshold: 35\n".utf8))
        let strict = try opora(["identify", "--year", "2023", "--criteria", criteria, "--format", "json"])
        XCTAssertFalse(strict.stdout.contains("\"status\":\"low_results"), strict.stdout)
        XCTAssertTrue(
            strict.stdout.contains("\"rule\":\"near_miss.low_results\""), "P40's 35 % is named though the pattern fails: \(strict.stdout)")
        let broken = try write("bad.yaml", Array("name: x\nlow_results:\n  threshold: 300\n".utf8))
        let rejected = try opora(["identify", "--year", "2023", "--criteria", broken])
        XCTAssertEqual(rejected.status, 1)
        XCTAssertTrue(rejected.stderr.contains("low_results.threshold: от 0 до 100"), rejected.stderr)
        let badContext = try opora([
            "import", "context", try write("bc.csv", Array("year,school,indicator,value\n2023,P1,isbs_group,12\n".utf8)),
        ])
        XCTAssertEqual(badContext.status, 1)
        XCTAssertTrue(badContext.stderr.contains("bc.csv:2: value: isbs_group: группа от 1 до 11, а не «12»"), badContext.stderr)
    }
}

extension CLITests {
    /// Numbers out of range are a usage error (exit 2) with a message, never a trap (signal 4).
    func testOutOfRangeOptionsAreUsageErrors() throws {
        for arguments in [["identify", "--year=-9223372036854775808"], ["typology", "--year", "9223372036854775807"],
                          ["stats", "--year=-1", "--procedure", "VPR"], ["stats", "--year", "2023", "--procedure", "VPR", "--grade", "99"],
                          ["stats", "--year", "2023", "--procedure", "VPR", "--min-group", "0"], ["generate", "region", "--year=-5"],
                          ["serve", "--port=-9223372036854775808"]] {
            let run = try opora(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("ожидается число от"), "\(arguments): \(run.stderr)")
        }
    }

    /// The files that once killed `opora import` with signal 4: now a one-line refusal and exit status 1.
    func testHostileSpreadsheetsAreRefusedNotFatal() throws {
        let sheet = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>code</t></is></c></row>"
            + "<row r=\"2\"><c r=\"AAAAAAAAAAAAAAAAAAAAAAAA2\"><v>1</v></c></row></sheetData></worksheet>"
        let file = try write("deep.xlsx", try XLSXBuilder.workbook(sheet: sheet))
        let run = try opora(["import", "schools", file])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("deep.xlsx:1: —: XLSX: файл повреждён"), run.stderr)
        let truncated = try write("cut.xlsx", Array(try XLSXBuilder.workbook(sheet: sheet).prefix(300)))
        let cut = try opora(["import", "results", truncated])
        XCTAssertEqual(cut.status, 1, cut.stderr)
        XCTAssertTrue(cut.stderr.contains("файл повреждён"), cut.stderr)
    }

    /// Without --criteria, each school is judged by the set stored for its own territory.
    func testIdentifyUsesEachTerritorysOwnSet() throws {
        let schools = "code,name,municipality,region\nA1,Школа А,Район А,Область\nB1,Школа Б,Район Б,Область\n"
        XCTAssertEqual(try opora(["import", "schools", try write("s.csv", Array(schools.utf8))]).status, 0)
        let results = "year,procedure,grade,subject,school,participants,below_min\n" +
            "2023,VPR,6,math,A1,40,14\n2023,OGE,9,math,A1,40,14\n2023,VPR,6,math,B1,40,14\n2023,OGE,9,math,B1,40,14\n"
        XCTAssertEqual(try opora(["import", "results", try write("r.csv", Array(results.utf8))]).status, 0)
        // 35 %: flagged under the programme's 30 %; Район Б has stored a 40 % rule of its own.
        try storeCriteria(municipality: "Район Б", year: 2023, text: "name: Район Б — 40 %\nlow_results:\n  threshold: 40\n")
        let run = try opora(["identify", "--year", "2023", "--format", "csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        // Outside Pervouralsk the default rule is not named after it.
        XCTAssertTrue(run.stdout.contains("A1,Школа А,2023,low_results,Правило по умолчанию: 30 %"), run.stdout)
        XCTAssertTrue(
            run.stdout.contains("B1,Школа Б,2023,risk_of_decline,Район Б — 40 %"), "35 % is in Район Б's risk band [15, 40): \(run.stdout)")
    }

    func storeCriteria(municipality: String, year: Int, text: String) throws {
        // Stored as the web page stores it: through the same repository, here by a tiny helper command.
        let path = try write("criteria.yaml", Array(text.utf8))
        let run = try opora(["criteria", "save", "--year", String(year), "--municipality", municipality, path])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    func testUsersAreDeactivatedAndTheirTokensListedAndRevoked() throws {
        XCTAssertEqual(
            try opora(["user", "add", "--login", "ivanova", "--name", "Иванова", "--role", "regional_analyst", "--password", "secret-123"])
                .status, 0)
        let token = try opora(["user", "token", "ivanova", "--name", "выгрузка"])
        XCTAssertEqual(token.status, 0)
        let tokens = try opora(["user", "tokens", "ivanova"])
        XCTAssertTrue(tokens.stdout.hasPrefix("1\tвыгрузка\tвыдан "), tokens.stdout)
        XCTAssertTrue(tokens.stdout.contains("не использовался"))
        XCTAssertEqual(try opora(["user", "revoke", "ivanova", "1"]).status, 0)
        XCTAssertTrue(try opora(["user", "tokens", "ivanova"]).stdout.contains("нет API-токенов"))
        XCTAssertEqual(try opora(["user", "revoke", "ivanova", "1"]).status, 1)
        let off = try opora(["user", "deactivate", "ivanova"])
        XCTAssertEqual(off.status, 0, off.stderr)
        XCTAssertEqual(try opora(["user", "activate", "ivanova"]).status, 0)
        XCTAssertEqual(try opora(["user", "deactivate", "nobody"]).status, 1)
    }
}

/// A workbook with a hand-written sheet.
enum XLSXBuilder {
    static func workbook(sheet: String) throws -> [UInt8] {
        let parts: [(String, String)] = [
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            (
                "_rels/.rels",
                "<Relationships><Relationship Id=\"rId1\" " +
                "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" " +
                "Target=\"xl/workbook.xml\"/></Relationships>"
            ),
            ("xl/workbook.xml", "<workbook><sheets><sheet name=\"Лист1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](archive.data ?? Data())
    }
}

extension CLITests {
    /// The Pervouralsk programme's risk tables imported as the programme wrote them (Windows-1251, «;», Russian
    /// headers), and the direction lists derived from them; a conflicting rating is refused with both lines.
    func testRisksImportAndDirectionsAsContractSpecifies() throws {
        let codes = ["1", "3", "5", "6", "10", "11", "12", "16", "20", "22", "26", "28", "29", "36", "40"]
        let schools = try write(
            "schools.csv",
            Array(
                (["code;name;municipality;region"] + codes.map { "\($0);МАОУ СОШ № \($0);ГО Первоуральск;Свердловская область" })
                    .joined(separator: "\n").utf8))
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "Fixtures/pervouralsk-risks-2023.csv")
        let risks = try write("risks.csv", TextEncoding.utf8ToWindows1251(try String(contentsOf: fixture, encoding: .utf8)))
        let imported = try opora(["import", "risks", risks])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("добавлено: 136"), imported.stdout)
        XCTAssertTrue((imported.stdout + imported.stderr).contains("та же оценка"), imported.stdout)

        let json = try opora(["directions", "--year", "2023", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        struct Line: Decodable { let code: String; let name: String; let factors: [Int]; let schools: [String] }
        let lines = try JSONDecoder().decode([Line].self, from: Data(json.stdout.utf8))
        XCTAssertEqual(
            lines.map(\.code), ["staff_shortage", "competence", "pd_system", "equipment", "atmosphere", "failure_risk", "ovz", "parents"])
        XCTAssertEqual(lines.first { $0.code == "ovz" }?.schools, ["1", "3", "6", "16"])
        XCTAssertEqual(lines.first { $0.code == "atmosphere" }?.factors, [9, 11, 12])

        let definition = try write("directions.yaml", Array("- code: kadry\n  name: Кадры\n  factors: [2, 3, 5]\n".utf8))
        let custom = try opora(["directions", "--year", "2023", "--definition", definition, "--format", "csv"])
        XCTAssertEqual(custom.status, 0, custom.stderr)
        XCTAssertEqual(custom.stdout.split(separator: "\n").last, "kadry,Кадры,2 3 5,3 6 11 16 22 26 28 36 40")
        let badDefinition = try write("bad.yaml", Array("- code: kadry\n  name: Кадры\n  factors: [13]\n".utf8))
        let refused = try opora(["directions", "--year", "2023", "--definition", badDefinition])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("фактора риска № 13 нет"), refused.stderr)

        // A territory named: its schools, and its saved directions (none saved here: the programme's).
        let territory = try opora(["directions", "--year", "2023", "--municipality", "ГО Первоуральск", "--format", "json"])
        XCTAssertEqual(territory.status, 0, territory.stderr)
        XCTAssertEqual(
            try JSONDecoder().decode([Line].self, from: Data(territory.stdout.utf8)).first { $0.code == "ovz" }?.schools,
            ["1", "3", "6", "16"])
        let unknown = try opora(["directions", "--year", "2023", "--municipality", "Нигде"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("Муниципалитет «Нигде» не найден"), unknown.stderr)

        let conflict = try write("conflict.csv", Array("year;school;factor;level\n2023;40;7;high\n2023;40;8;low\n2023;40;7;medium\n".utf8))
        let rejected = try opora(["import", "risks", conflict])
        XCTAssertEqual(rejected.status, 1)
        XCTAssertTrue(
            rejected.stderr.contains(
                "conflict.csv:4: level: школа «40», фактор 7, 2023 год: здесь «средняя», а в строке conflict.csv:2 «высокая»"),
            rejected.stderr)
        // Nothing was written: school 40 still rates factor 7 «средняя» as the tables say.
        let after = try opora(["directions", "--year", "2023", "--format", "json"])
        XCTAssertFalse(
            try JSONDecoder().decode([Line].self, from: Data(after.stdout.utf8)).first { $0.code == "ovz" }!.schools.contains("40"))
    }

    // MARK: programmes, roadmap, score

    func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
            .path
    }

    /// Seed 004 as its authority would load it: the 2023 programme and plan, the 2024 amendment with its roadmap,
    /// Table 12's indicators and points.
    func loadSeed004() throws {
        let schools = try write(
            "schools.csv", Array("code;name;municipality;region\nPRV01;МАОУ СОШ № 1;Первоуральск;Свердловская область\n".utf8))
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        for (kind, file) in [("programmes", "pervouralsk-programme-2023.csv"), ("roadmap", "pervouralsk-roadmap-2023.csv"),
                             ("programmes", "pervouralsk-programme-2024.csv"), ("roadmap", "pervouralsk-roadmap-2024.csv"),
                             ("indicators", "pervouralsk-indicators.csv"), ("indicator_values", "pervouralsk-indicator-values.csv")] {
            let run = try opora(["import", kind, fixture(file)])
            XCTAssertEqual(run.status, 0, "\(kind): \(run.stderr)")
        }
    }

    func testScoreOfSeed004Table12() throws {
        try loadSeed004()
        for (year, total) in [(2022, 36), (2023, 42)] {
            let run = try opora(["score", "--programme", "P04", "--year", String(year), "--format", "json"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(json["programme"] as? String, "P04")
            XCTAssertEqual(json["year"] as? Int, year)
            XCTAssertEqual(json["total"] as? Int, total)
            XCTAssertEqual(json["maximum"] as? Int, 63)
            XCTAssertEqual(json["level"] as? String, "satisfactory")
            XCTAssertEqual((json["indicators"] as? [[String: Any]])?.count, 9)
        }
        let table = try opora(["score", "--programme", "P04", "--year", "2023"])
        XCTAssertTrue(table.stdout.contains("42 из 63 баллов — уровень «удовлетворительный»"), table.stdout)
        XCTAssertTrue(table.stdout.contains("начинается с 95 баллов, а максимум при этих показателях — 63"), table.stdout)
        let csv = try opora(["score", "--programme", "P04", "--year", "2022", "--format", "csv"])
        XCTAssertTrue(csv.stdout.hasSuffix("P04,2022,total,итого,,,,,,36\n"), csv.stdout)
        let unknown = try opora(["score", "--programme", "P99", "--year", "2023"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("Программы с кодом «P99» нет"), unknown.stderr)
    }

    func testRoadmapPrintsContractShapeAndFiltersByDueWindow() throws {
        try loadSeed004()
        let run = try opora(["roadmap", "--programme", "P04", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.count, 64, "50 measures of 2023 and the 2024 roadmap's 14 new ones (same section and number replace)")
        let row = try XCTUnwrap(
            rows.first { $0["number"] as? String == "2.8." && ($0["deadline"] as? String)?.contains("10.09.2024") == true })
        XCTAssertEqual(row["programme"] as? String, "P04")
        XCTAssertEqual(row["kind"] as? String, "date")
        XCTAssertEqual(row["due"] as? [String], ["2024-09-10"])
        XCTAssertEqual(row["status"] as? String, "planned")
        let recurring = try XCTUnwrap(rows.first { ($0["deadline"] as? String)?.hasPrefix("Второй вторник месяца 2024") == true })
        XCTAssertEqual(recurring["kind"] as? String, "recurring")
        XCTAssertEqual((recurring["due"] as? [String])?.prefix(2), ["2024-01-09", "2024-02-13"])
        XCTAssertEqual((recurring["due"] as? [String])?.count, 24, "every month of 2024 and 2025")
        XCTAssertTrue(
            rows.contains { $0["kind"] as? String == "unparsed" }, "the seed's links in the deadline column are kept for a person to date")

        let window = try opora(["roadmap", "--programme", "P04", "--due-from", "01.09.2024", "--due-to", "30.09.2024", "--format", "json"])
        let inWindow = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(window.stdout.utf8)) as? [[String: Any]])
        XCTAssertFalse(inWindow.isEmpty)
        for item in inWindow {
            for due in try XCTUnwrap(item["due"] as? [String]) { XCTAssertTrue(due >= "2024-09-01" && due <= "2024-09-30", "\(due)") }
        }
        XCTAssertTrue(inWindow.contains { $0["number"] as? String == "2.8." })
        let bad = try opora(["roadmap", "--programme", "P04", "--due-from", "31.02.2024"])
        XCTAssertEqual(bad.status, 2, "a date that does not exist is bad usage")
    }

    func testBadPlanFilesChangeNothing() throws {
        try loadSeed004()
        let before = try opora(["roadmap", "--programme", "P04", "--format", "csv"]).stdout
        let noMeasure = try write("roadmap.csv", Array("""
        programme,section,number,measure,deadline,status
        P04,9. Новый раздел,9.1.,Новое мероприятие,до 01.12.2025,planned
        P04,9. Новый раздел,9.2.,,до 01.12.2025,planned
        P04,9. Новый раздел,9.3.,Ещё одно,до 01.12.2025,сделаем
        """.utf8))
        let refused = try opora(["import", "roadmap", noMeasure])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("roadmap.csv:3: measure: нет текста мероприятия"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("roadmap.csv:4: status: «сделаем»"), refused.stderr)
        XCTAssertEqual(try opora(["roadmap", "--programme", "P04", "--format", "csv"]).stdout, before, "nothing written")

        let unknownProgramme = try write("other.csv", Array("programme,number,measure,deadline\nP77,1,Мероприятие,2025\n".utf8))
        let missing = try opora(["import", "roadmap", unknownProgramme])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("other.csv:2: programme: программы с кодом «P77» нет"), missing.stderr)

        let score = try opora(["score", "--programme", "P04", "--year", "2023", "--format", "json"]).stdout
        let outside = try write(
            "values.csv",
            Array("programme,indicator,year,value,presence,dynamics,documentation\nP04,1,2023,40,2,3,2\nP04,2,2023,20,2,5,1\n".utf8))
        let rubric = try opora(["import", "indicator_values", outside])
        XCTAssertEqual(rubric.status, 1)
        XCTAssertTrue(rubric.stderr.contains("values.csv:3: dynamics: 5 вне допустимого диапазона 0–3"), rubric.stderr)
        XCTAssertEqual(try opora(["score", "--programme", "P04", "--year", "2023", "--format", "json"]).stdout, score, "nothing written")
        let unknownIndicator = try write("values2.csv", Array("programme,indicator,year,value\nP04,99,2023,40\n".utf8))
        let noIndicator = try opora(["import", "indicator_values", unknownIndicator])
        XCTAssertTrue(noIndicator.stderr.contains("values2.csv:2: indicator: у программы «P04» нет показателя «99»"), noIndicator.stderr)
    }

    /// The staff and Table 23 files through the binary: a bad file names its lines and writes nothing; a good one
    /// shows on the school's card.
    func testStaffAndTable23FilesThroughTheBinary() throws {
        try loadLipitskaya()
        let bad = try write("кадры.csv", Array("""
        Код ОО;Год;Должность;Количество;Категория;Курсы, часов
        71001;2022;учитель;10;высшая;36
        71001;2022;учитель;4;заслуженная;
        99999;2022;учитель;3;первая;
        """.utf8))
        let refused = try opora(["import", "staff", bad])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("кадры.csv:3: category: «заслуженная»"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("Ничего не изменено"), refused.stderr)
        let card = directory.appendingPathComponent("card.docx").path
        XCTAssertEqual(try opora(["report", "school", "--school", "71001", "--year", "2022", "--out", card]).status, 0)
        XCTAssertFalse(try wordText(card).contains("Педагогов"), "the refused file wrote nothing")

        let staff = try write("staff.csv", Array("""
        Код ОО;Год;Должность;Количество;Категория;Курсы, часов
        71001;2022;учитель;10;высшая;36
        71001;2022;учитель;4;первая;
        71001;2022;учитель;2;без категории;72
        """.utf8))
        XCTAssertEqual(try opora(["import", "staff", staff]).status, 0)
        let table23 = try write(
            "t23.csv",
            Array("ОО;Год;Социальный педагог;Педагог-психолог;Педагог доп. образования;Вакансии\n71001;2022;1*;1;\"3; 6*\";2\n".utf8))
        let imported = try opora(["import", "specialists", table23])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let badTable = try write("t23bad.csv", Array("ОО;Год;Педагог-психолог\n71001;2022;полтора\n".utf8))
        let refusedTable = try opora(["import", "specialists", badTable])
        XCTAssertEqual(refusedTable.status, 1)
        XCTAssertTrue(refusedTable.stderr.contains("t23bad.csv:2: psychologist: «полтора»"), refusedTable.stderr)
        XCTAssertEqual(try opora(["report", "school", "--school", "71001", "--year", "2022", "--out", card]).status, 0)
        let text = try wordText(card)
        XCTAssertTrue(text.contains("Педагогов | 16; с высшей и первой категорией 87,5 %; прошли курсовую подготовку 75 %"), text)
    }

    // MARK: reports

    /// The text of a DOCX's body, paragraph by paragraph.
    func wordText(_ path: String) throws -> String { try DocumentText.word(path) }

    func loadLipitskaya() throws {
        for (kind, file) in [
            ("schools", "lipitskaya-schools.csv"), ("results", "lipitskaya-results-2022.csv"),
            ("benchmarks", "lipitskaya-benchmarks-2022.csv"),
        ] {
            let run = try opora(["import", kind, fixture(file)])
            XCTAssertEqual(run.status, 0, "\(kind): \(run.stderr)")
        }
    }

    /// Seed 000's school: its card's figures are `opora stats`'s, with one decimal and a decimal comma, beside the
    /// district, the region and Russia the seed prints.
    func testSchoolCardOfSeed000EqualsStats() throws {
        try loadLipitskaya()
        let stats = try opora(["stats", "--year", "2022", "--procedure", "VPR", "--school", "71001", "--format", "json"])
        let lines = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [[String: Any]])
        let math5 = try XCTUnwrap(lines.first { $0["grade"] as? Int == 5 && $0["subject"] as? String == "math" })
        XCTAssertEqual(try XCTUnwrap(math5["success_rate"] as? Double), 64.29, accuracy: 0.01)

        let docx = directory.appendingPathComponent("card.docx").path
        let run = try opora(["report", "school", "--school", "71001", "--year", "2022", "--out", docx])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try wordText(docx)
        XCTAssertTrue(text.contains("Паспорт школы: МКОУ «Липицкая СОШ»"))
        // The mathematics row of grade 5: school 64,3 (9 of 14), district 85,5, region 92, Russia 88; quality 14,3.
        XCTAssertTrue(text.contains("Математика | 14 *1 | 64,3 | 85,5 | 92 | 88 | 14,3 | 41,8 | 58,5 | 51 | ниже среднего"), text)
        XCTAssertTrue(text.contains("*1 — выборка меньше 20 участников"), "FIOKO's sample-size note, numbered once for the document")
        for line in lines {
            let rate = RussianFormat.number(try XCTUnwrap(line["success_rate"] as? Double), digits: 1)
            XCTAssertTrue(text.contains("| \(rate) |"), "stats' \(line["subject"]!) \(line["grade"]!): \(rate) in the card")
        }
        XCTAssertTrue(text.contains("нет данных: показатель региона не загружен"), "grades 6–8 have no benchmarks: flagged, not left blank")
        XCTAssertTrue(text.contains("Ниже и региона, и России"))

        let html = directory.appendingPathComponent("card.html").path
        XCTAssertEqual(try opora(["report", "school", "--school", "71001", "--year", "2022", "--out", html]).status, 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("<td class=\"num\">64,3</td>"))
        XCTAssertTrue(page.contains("@media print"))
        XCTAssertTrue(page.contains("<svg") && page.contains("Успеваемость, ВПР-2022, 5 класс"), "the chart drawn in HTML")
        XCTAssertTrue(text.contains("Диаграмма: Успеваемость, ВПР-2022, 5 класс"), "and given as figures in Word")

        let xlsx = directory.appendingPathComponent("card.xlsx").path
        XCTAssertEqual(try opora(["report", "school", "--school", "71001", "--year", "2022", "--out", xlsx]).status, 0)
        let archive = try Archive(url: URL(fileURLWithPath: xlsx), accessMode: .read)
        var sheet = Data()
        _ = try archive.extract(try XCTUnwrap(archive["xl/worksheets/sheet1.xml"])) { sheet.append($0) }
        XCTAssertTrue(String(decoding: sheet, as: UTF8.self).contains("<v>64.28571428571"), "a percentage is a number in Excel")

        let bad = try opora([
            "report", "school", "--school", "71001", "--year", "2022", "--out", directory.appendingPathComponent("card.pdf").path,
        ])
        XCTAssertEqual(bad.status, 2)
        let unknown = try opora(["report", "school", "--school", "99999", "--year", "2022", "--out", docx])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("Школа с кодом «99999» не найдена"))
    }

    func testMunicipalNoteOfSeed000() throws {
        try loadLipitskaya()
        let docx = directory.appendingPathComponent("note.docx").path
        let run = try opora(["report", "note", "--year", "2022", "--municipality", "чернский район", "--out", docx])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try wordText(docx)
        XCTAssertTrue(text.contains("Аналитическая справка о результатах оценочных процедур 2022 года"))
        XCTAssertTrue(text.contains("Основные выводы"))
        XCTAssertTrue(text.contains("ВПР-2022, математика, 5 класс: успеваемость муниципалитета 85,5 % (загруженный показатель), "
                                    + "региона 92 %, России 88 %; ниже и региона, и России — Липицкая СОШ (64,3 %)."), text)
        XCTAssertTrue(text.contains("Липицкая СОШ | 14 *1 | 64,3 | 14,3"), text)
        XCTAssertTrue(text.contains("Муниципалитет (загружено)"), "the district's own figure is the imported one")
        let missing = try opora(["report", "note", "--year", "2022", "--municipality", "Нет такого", "--out", docx])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("есть: Чернский район"), missing.stderr)
    }
}
