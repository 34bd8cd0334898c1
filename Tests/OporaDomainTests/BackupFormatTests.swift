import Foundation
import XCTest
@testable import OporaDomain

final class BackupFormatTests: XCTestCase {
    func testSHA256MatchesTheStandardsVectors() {
        let cases: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(SHA256Digest.hex(of: Array(input.utf8)), expected, input)
        }
        // A million «a», fed in uneven pieces: the incremental path gives the same digest as one piece.
        var digest = SHA256Digest()
        var fed = 0
        var piece = 1
        while fed < 1_000_000 {
            let count = min(piece, 1_000_000 - fed)
            digest.update([UInt8](repeating: UInt8(ascii: "a"), count: count))
            fed += count
            piece = piece * 3 % 1_001 + 1
        }
        XCTAssertEqual(digest.hexDigest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testRowsReadBackAsWritten() throws {
        let rows: [[BackupFormat.Value]] = [
            [.integer(1), .text("Школа № 5 «Радуга»"), .null, .bool(true), .bool(false)],
            [.integer(-42), .integer(Int64.max), .number("0.1"), .number("1733491234.123456"), .number("1e-05")],
            [.text("кавычка \" и \\ обратная черта"), .text("строки\nи\tтабуляция\r"), .text("\u{1}\u{1F}"), .text("😀 ё")],
            [],
        ]
        for row in rows {
            let line = BackupFormat.rowLine(row)
            XCTAssertFalse(line.contains("\n"), line)
            XCTAssertEqual(try BackupFormat.parseRow(Substring(line)), row, line)
        }
        // Another writer's escapes (\/, \u, surrogate pairs) read as JSON defines them.
        XCTAssertEqual(try BackupFormat.parseRow(#"["a\/b", "\u0416\ud83d\ude00", 3.5E2]"#),
                       [.text("a/b"), .text("Ж😀"), .number("3.5E2")])
    }

    func testDoublesAreWrittenSoThatTheyReadBackExactly() throws {
        for value in [0.0, 3.0, -2.5, 0.1, 1.0 / 3.0, 1733491234.1234567, 1e-7, 123456789012345678.0] {
            guard case .number(let text)? = BackupFormat.number(value) else { return XCTFail("\(value)") }
            XCTAssertEqual(Double(text), value, text)
            XCTAssertEqual(try BackupFormat.parseRow(Substring("[\(text)]")), [.number(text)])
        }
        XCTAssertNil(BackupFormat.number(.infinity))
        XCTAssertNil(BackupFormat.number(.nan))
    }

    func testDamagedRowsAreRefused() {
        for line in ["[1,", "[\"open]", "[1 2]", "[tru]", "{}", "[1]x", "[--1]", "[\"\\q\"]", "[\"\\u12\"]"] {
            XCTAssertThrowsError(try BackupFormat.parseRow(Substring(line)), line)
        }
    }

    func testFramesReadBackAsWritten() {
        let frames: [BackupFormat.Frame] = [
            .header(createdAt: "2026-12-06T12:00:00Z", engine: "sqlite", migrations: ["v001_registry", "v002_catalogues"]),
            .table("schools", columns: [.init(name: "id", kind: .integer), .init(name: "rows", kind: .blob)]),
            .trailer(rows: ["schools": 3], sha256: String(repeating: "0", count: 64)),
        ]
        for frame in frames {
            XCTAssertEqual(BackupFormat.Frame.parse(Substring(frame.line())), frame)
            XCTAssertTrue(frame.line().hasPrefix("{"))
        }
    }

    func testAnArchivesSchemaIsMatchedAgainstTheKnownMigrations() {
        let known = ["v001", "v002", "v003", "v004"]
        let cases: [([String], ArchiveSchema)] = [
            (known, .current),
            (["v003", "v001", "v002", "v004"], .current),
            (["v001", "v002"], .older(count: 2)),
            (["v001"], .older(count: 1)),
            (known + ["v005"], .newer(unknown: ["v005"])),
            (["v001", "v999"], .newer(unknown: ["v999"])),
            (["v001", "v003"], .inconsistent),
            ([], .inconsistent),
        ]
        for (archive, expected) in cases {
            XCTAssertEqual(ArchiveSchema.match(archive: archive, known: known), expected, "\(archive)")
        }
    }

    func testScheduledBackupsKeepTheNewestAndTouchNothingElse() {
        let calendar = Calendar(identifier: .gregorian)
        var components = DateComponents(timeZone: TimeZone(identifier: "UTC"), year: 2026, month: 12, day: 6, hour: 3)
        let first = calendar.date(from: components)!
        components.day = 7
        let second = calendar.date(from: components)!
        XCTAssertEqual(BackupRetention.fileName(at: first), "opora-backup-20261206T030000Z.jsonl.gz")
        let names = [BackupRetention.fileName(at: second), "notes.txt", BackupRetention.fileName(at: first),
                     "opora-backup-20261205T030000Z.jsonl.gz", "opora-backup-20261208T030000Z.jsonl.gz.partial"]
        XCTAssertEqual(BackupRetention.toDelete(names, keep: 2), ["opora-backup-20261205T030000Z.jsonl.gz"])
        XCTAssertEqual(BackupRetention.toDelete(names, keep: 1).count, 2)
        XCTAssertEqual(BackupRetention.toDelete(names, keep: 10), [])
    }

    func testTheNextScheduledBackupFollowsTheNewestInTheFolderNotTheStart() {
        let day: TimeInterval = 24 * 3600
        let taken = BackupRetention.takenAt("opora-backup-20261206T030000Z.jsonl.gz")!
        XCTAssertNil(BackupRetention.takenAt("notes.txt"))
        let names = ["opora-backup-20261206T030000Z.jsonl.gz", "opora-backup-20261205T030000Z.jsonl.gz", "notes.txt"]
        let table: [(String, [String], TimeInterval, TimeInterval)] = [
            ("none yet: a minute after the start", ["notes.txt"], 0, 60),
            ("23 hours after the newest: the hour left", names, 23 * 3600, 3600),
            ("restarted every 12 hours: still the rest of the day", names, 12 * 3600, 12 * 3600),
            ("overdue: a minute after the start", names, 30 * 3600, 60),
        ]
        for (name, files, age, expected) in table {
            XCTAssertEqual(BackupRetention.delay(names: files, now: taken.addingTimeInterval(age), interval: day), expected,
                           accuracy: 0.001, name)
        }
    }
}
