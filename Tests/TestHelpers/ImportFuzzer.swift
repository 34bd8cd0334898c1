import Foundation
import OporaData
import OporaDomain

/// Mutates valid import files into odd and hostile ones (bytes, encodings, quotes, huge cells, extreme
/// numbers, deep column letters, damaged and exploding archives) and runs the importers on them. Every case
/// must end in a table or a refusal; a trap ends the process, and the case that caused it is in `lastCaseFile`.
public struct ImportFuzzer {
    public struct Report: Sendable {
        public var cases = 0
        public var accepted = 0
        public var refused = 0
        public var slowest: (seconds: Double, description: String) = (0, "")
        public var byMutation: [String: Int] = [:]
    }

    public struct Case: Sendable {
        public let kind: ImportKind
        public let mutation: String
        public let fileName: String
        public let bytes: [UInt8]
        public var description: String { "\(kind.rawValue) \(fileName) [\(mutation)], \(bytes.count) bytes" }
    }

    /// Where the case about to run is written first, so that a crash names it.
    public static var lastCaseFile: URL { FileManager.default.temporaryDirectory.appendingPathComponent("opora-fuzz-last-case.txt") }

    /// Small limits, so that every limit is reached by some case quickly (the mechanism is the same at full size).
    public static let limits = ImportLimits(fileBytes: 2 << 20, decompressedBytes: 1 << 20, rows: 2_000, columns: 64, cellCharacters: 2_000)

    var random: SystemRandomNumberGeneratorSeeded
    public init(seed: UInt64) { random = SystemRandomNumberGeneratorSeeded(seed: seed) }

    // MARK: valid seeds

    public static let seeds: [(ImportKind, String)] = [
        (
            .schools,
            "code;name;municipality;region;settlement;students\nA1;МКОУ «Липицкая СОШ»;Чернский район;Тульская " +
            "область;сельская;98\nA2;МБОУ \"Чернская СОШ № 1\";Чернский район;Тульская область;городская;612\n"
        ),
        (
            .results,
            "year,procedure,grade,subject,school,participants,m2,m3,m4,m5,below_min,mean_score\n2023,ВПР,5,Математика,A1,14,5,7,2,0,5,\n" +
            "2023,ОГЭ,9,rus,A2,29,3,10,10,6,3,\"27,5\"\n"
        ),
        (
            .scores,
            "year;procedure;grade;subject;school;student;class;mark;term_mark;score\n2023;VPR;5;math;A1;S1;5А;3;4;12\n" +
            "2023;VPR;5;math;A1;S2;5А;2;3;4,5\n2023;OGE;9;rus;A2;S9;9Б;4;4;28\n"
        ),
        (.thresholds, "year,procedure,subject,min_score,high_score,grade\n2023,ЕГЭ,rus,24,81,\n2023,ОГЭ,math,8,,9\n"),
        (
            .benchmarks,
            "year;procedure;grade;subject;level;name;participants;success_rate;quality_rate\n2023;ВПР;5;math;region;Тульская " +
            "область;12000;84,5;40,1\n2023;ВПР;5;math;russia;Россия;;86;42\n"
        ),
        (.context, "year,school,indicator,value\n2023,A1,isbs_group,3\n2023,A1,single_parent,\"24,5\"\n2023,A2,my_code,текст\n"),
        (
            .risks,
            "Год;Код ОО;Фактор риска;Значимость;Источник\n2023;A1;1. Низкий уровень оснащения " +
            "школы;высокая;анкета\n2023;A1;7;low;\n2023;A2;Дефицит педагогических кадров;none;эксперт\n"
        ),
        (
            .programmes,
            "code;name;start;end;level;territory;order_number;order_date;goal\nP1;Муниципальная " +
            "программа;2023;2025;муниципальная;Чернский район;14;11.01.2023;Цель\n"
        ),
        (
            .roadmap,
            "Программа;№ п/п;Мероприятия;Сроки;Ответственные;Статус;Дата выполнения\nP1;1.;Информационно-аналитическое " +
            "обеспечение;;;;\nP1;1.1.;Анализ ВПР;Октябрь Май;УО;выполняется;\nP1;1.2.;Мониторинг;до " +
            "10.09.2024;УО;выполнено;09.09.2024\nP1;1.3.;Консультации;Второй вторник месяца 2023-2025 гг.;ИМЦ;;\n"
        ),
        (
            .indicators,
            "programme,code,name,unit,direction,formula,periodicity,months\nP1,1,Доля ШНОР,%,down,share_listed,два раза в год,\"Май, " +
            "Сентябрь\"\nP1,2,Доля педагогов,%,up,,один раз в год,Февраль\n"
        ),
        (
            .events,
            "Мероприятие;Наименование;Вид;Дата;Часов;Школа;Должность;Участников;Код участника\nKPK-1;Школьная " +
            "команда;курсы;15.02.2024;32;A1;учитель;5;\nKPK-1;Школьная " +
            "команда;курсы;15.02.2024;32;A2;педагог-психолог;;P-17\nSEM-2;Семинар;семинар;2024-03-10;4;A1;заместитель;1;\n"
        ),
        (
            .staff,
            "Код ОО;Год;Должность;Количество;Код педагога;Категория;Дата аттестации;Курсы, " +
            "часов;Дефицит;ИОМ\nA1;2024;учитель;6;;высшая;12.03.2023;36;;\nA1;2024;учитель;;T-7;первая;;;формирующее " +
            "оценивание;реализуется\nA2;2024;педагог-психолог;1;;без категории;;72;;\n"
        ),
        (
            .specialists,
            "ОО;Год;Социальный педагог;Тьютор;Педагог-психолог;Учитель-логопед;Вакансии\nA1;2022;1*;0;1;\"3; 6*\";2\nA2;2022;1;1;2;0;4\n"
        ),
        (
            .indicatorValues,
            "Программа;Показатель;Год;Значение;Целевое значение;Наличие;Динамика;Документальное " +
            "подтверждение\nP1;1;2023;33;30;2;2;2\nP1;2;2023;\"45,5\";50;1;1;1\n"
        ),
        (
            .approvedList,
            "Год;Код ОО;Номер приказа;Дата приказа;Статус;Основание\n"
                + "2023;A1;21;15.03.2023;low_results_social;ИСБШ 3\n2023;A2;21;2023-03-15;;\n"
        ),
    ]

    // MARK: cases

    public mutating func next() throws -> Case {
        let (kind, text) = Self.seeds[random.int(Self.seeds.count)]
        let csv = Array(text.utf8)
        let mutations: [(String, (inout ImportFuzzer) throws -> (String, [UInt8]))] = [
            ("bytes", { fuzzer in ("f.csv", fuzzer.mutateBytes(csv)) }),
            ("encoding", { fuzzer in ("f.csv", fuzzer.mutateEncoding(text)) }),
            ("quotes", { fuzzer in ("f.csv", fuzzer.mutateQuotes(csv)) }),
            ("huge cell", { fuzzer in ("f.csv", fuzzer.hugeCell(text)) }),
            ("wide line", { fuzzer in ("f.csv", fuzzer.wideLine(text)) }),
            ("numbers", { fuzzer in ("f.csv", fuzzer.extremeNumbers(text)) }),
            ("many rows", { fuzzer in ("f.csv", fuzzer.manyRows(text)) }),
            ("xlsx bytes", { fuzzer in ("f.xlsx", fuzzer.mutateBytes(try Self.workbook(text), spread: true)) }),
            ("xlsx truncated", { fuzzer in
                let book = try Self.workbook(text)
                return ("f.xlsx", Array(book.prefix(fuzzer.random.int(book.count))))
            }),
            ("xlsx cells", { fuzzer in ("f.xlsx", try fuzzer.hostileSheet()) }),
            ("xlsx bomb", { fuzzer in ("f.xlsx", try Self.bomb(size: (1 << 20) + fuzzer.random.int(1 << 20))) }),
        ]
        let (name, mutate) = mutations[random.int(mutations.count)]
        let (fileName, bytes) = try mutate(&self)
        return Case(kind: kind, mutation: name, fileName: fileName, bytes: bytes)
    }

    mutating func mutateBytes(_ input: [UInt8], spread: Bool = false) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + random.int(spread ? 4 : 8)) {
            guard !bytes.isEmpty else { break }
            let at = random.int(bytes.count)
            switch random.int(6) {
            case 0: bytes[at] ^= UInt8(1 << random.int(8))
            case 1: bytes.insert(UInt8(truncatingIfNeeded: random.int(256)), at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.int(16)))
            case 3: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + random.int(64))], at: random.int(bytes.count))
            case 4: bytes[at] = [0x00, 0x0A, 0x0D, 0x22, 0x3B, 0x2C, 0xFF, 0xC0, 0x80][random.int(9)]
            default: bytes = Array(bytes.prefix(at))
            }
        }
        return bytes
    }

    mutating func mutateEncoding(_ text: String) -> [UInt8] {
        switch random.int(4) {
        case 0: return TextEncoding.utf8ToWindows1251(text)
        case 1: return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case 2:
            var bytes = Array(text.utf8)
            bytes.insert(
                contentsOf: [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xFE, 0xFF]][random.int(5)],
                at: random.int(bytes.count))
            return bytes
        default: return Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        }
    }

    mutating func mutateQuotes(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + random.int(5)) {
            let piece: [UInt8] = [[0x22], [0x22, 0x22], [0x22, 0x0A], [0x22, 0x3B, 0x22], [0x20, 0x22, 0x22, 0x22]][random.int(5)]
            bytes.insert(contentsOf: piece, at: random.int(bytes.count + 1))
        }
        return bytes
    }

    mutating func hugeCell(_ text: String) -> [UInt8] {
        let cell = String(repeating: ["я", "x", "\"", " "][random.int(4)], count: 1_000 + random.int(6_000))
        return Array(text.replacingOccurrences(of: "A1", with: random.int(2) == 0 ? cell : "\"\(cell)\"").utf8)
    }

    mutating func wideLine(_ text: String) -> [UInt8] {
        let delimiter = text.contains(";") ? ";" : ","
        let width = 50 + random.int(200)
        let line = String(repeating: "x\(delimiter)", count: width)
        return Array((random.int(2) == 0 ? line + "\n" + text : text + line + "\n").utf8)
    }

    mutating func extremeNumbers(_ text: String) -> [UInt8] {
        let extremes = [
            "-9223372036854775808", "9223372036854775807", "1e309", "-1e309", "NaN", "inf", "0x10", "١٤", "1 500,5", "99999999999999999999",
            "-0", "1e-400", "٫",
        ]
        var result = text
        for number in ["14", "5", "2023", "98", "24", "3", "12000"] where random.int(2) == 0 {
            result = result.replacingOccurrences(of: number, with: extremes[random.int(extremes.count)])
        }
        return Array(result.utf8)
    }

    mutating func manyRows(_ text: String) -> [UInt8] {
        let lines = text.split(separator: "\n")
        guard lines.count > 1 else { return Array(text.utf8) }
        let body = (0..<(1_900 + random.int(300))).map { index in
            lines[1 + index % (lines.count - 1)].replacingOccurrences(of: "S1", with: "S\(index)")
        }
        return Array(([String(lines[0])] + body).joined(separator: "\n").utf8)
    }

    /// The seed as a workbook (each CSV cell an inline string).
    static func workbook(_ text: String) throws -> [UInt8] {
        let table = try DelimitedTextReader.read(Array(text.utf8))
        let rows = ([table.header] + table.rows.map(\.cells)).map { $0.map { SheetCell.text($0) } }
        return [UInt8](try XLSX.write(sheetName: "Лист1", rows: rows))
    }

    mutating func hostileSheet() throws -> [UInt8] {
        let cells = [
            #"<c r="AAAAAAAAAAAAAAAAAAAAAAAA2"><v>1</v></c>"#, #"<c r="A2" t="s"><v>-1</v></c>"#,
            #"<c r="A2" t="s"><v>99999999999999999999</v></c>"#,
            #"<c r="ZZZZ2"><v>1</v></c>"#, #"<c r="A0"><v>1</v></c>"#, #"<c r="$A$2"><v>1</v></c>"#, #"<c r="A2"><v>1e309</v></c>"#,
            #"<c r="A2" t="inlineStr"><is><t>&#0;&#x110000;&bogus;</t></is></c>"#, #"<c r="A2"><v><![CDATA[x]]></v></c>"#, #"<c r="A2""#,
            "<c r=\"B2\" t=\"inlineStr\"><is><t>\(String(repeating: "я", count: 3_000))</t></is></c>",
        ]
        let header = #"<c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c>"#
        var rows = [header]
        for _ in 0..<(1 + random.int(3)) { rows.append(cells[random.int(cells.count)]) }
        var sheet = XLSXFixture.sheet(rows)
        if random.int(4) == 0 { sheet = sheet.replacingOccurrences(of: "<row r=\"2\">", with: "<row r=\"-7\">") }
        if random.int(6) == 0 { sheet = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>" + sheet }
        return try XLSXFixture.workbook(sheet: sheet, sharedStrings: XLSXFixture.sharedStrings(["один"]))
    }

    static func bomb(size: Int) throws -> [UInt8] {
        try XLSXFixture.archive([
            ("[Content_Types].xml", .bytes(Data(XLSXFixture.contentTypes.utf8))), ("_rels/.rels", .bytes(Data(XLSXFixture.rootRels.utf8))),
            ("xl/workbook.xml", .bytes(Data(XLSXFixture.workbook.utf8))),
            ("xl/_rels/workbook.xml.rels", .bytes(Data(XLSXFixture.workbookRels.utf8))),
            ("xl/worksheets/sheet1.xml", .repeated(byte: UInt8(ascii: "<"), size: size)),
        ])
    }

    // MARK: running

    /// Parses every case (and writes those that parse into `importer`'s database inside a transaction that is
    /// rolled back), recording outcomes and the slowest case.
    public mutating func run(cases: Int, write: ((ParsedFile) async throws -> Void)? = nil) async throws -> Report {
        var report = Report()
        for _ in 0..<cases {
            let item = try next()
            try? item.description.write(to: Self.lastCaseFile, atomically: false, encoding: .utf8)
            let started = Date()
            do {
                let parsed = try ImportParser.parse(
                    item.kind, bytes: item.bytes, fileName: item.fileName, catalogues: .standard, limits: Self.limits)
                if let write { try await write(parsed) }
                report.accepted += 1
            } catch is ImportRejected {
                report.refused += 1
            }
            let seconds = Date().timeIntervalSince(started)
            if seconds > report.slowest.seconds { report.slowest = (seconds, item.description) }
            report.cases += 1
            report.byMutation[item.mutation, default: 0] += 1
        }
        try? FileManager.default.removeItem(at: Self.lastCaseFile)
        return report
    }
}

/// A small deterministic generator (SplitMix64), so a fuzz run is repeated exactly from its seed.
struct SystemRandomNumberGeneratorSeeded {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ upperBound: Int) -> Int { upperBound <= 0 ? 0 : Int(next() % UInt64(upperBound)) }
}
