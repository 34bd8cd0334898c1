import OporaDomain
import XCTest

final class SchoolFileTests: XCTestCase {
    func parse(_ text: String) throws -> [SchoolRecord] {
        try SchoolFile.parse(try DelimitedTextReader.read(Array(text.utf8)), file: "s.csv").records
    }

    func errors(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch let rejected as ImportRejected {
            return rejected.errors.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    func testRussianHeadersAreAccepted() throws {
        let records = try parse("""
        Код ОО;Наименование;Муниципальное образование;Субъект;Тип поселения (городская / сельская);Количество обучающихся;ОВЗ
        71001;МКОУ «Липицкая СОШ»;Чернский район;Тульская область;сельская;98;4
        """)
        XCTAssertEqual(records, [SchoolRecord(line: 2, code: "71001", name: "МКОУ «Липицкая СОШ»", municipality: "Чернский район",
                                              region: "Тульская область", settlement: .rural, students: 98, studentsOVZ: 4)])
    }

    func testEveryProblemIsReportedWithItsLine() throws {
        let result = errors("""
        code,name,municipality,students,settlement
        1,Школа 1,Район,-5,urban
        ,Школа 2,Район,10,город
        1,Школа 3,—,много,село
        """)
        XCTAssertEqual(result, [
            "s.csv:2: students: -5 вне допустимого диапазона 0–20000",
            "s.csv:3: code: пустое значение в обязательном столбце",
            "s.csv:4: municipality: пустое значение в обязательном столбце",
            "s.csv:4: students: «много» — не целое число",
            "s.csv:4: code: код «1» уже встречался в строке 2",
        ])
    }

    func testMissingRequiredColumnAndUnknownColumn() throws {
        XCTAssertEqual(errors("code;name\n1;x\n"), ["s.csv:1: municipality: нет обязательного столбца («муниципалитет»)"])
        let result = try SchoolFile.parse(
            try DelimitedTextReader.read(Array("code;name;municipality;цвет\n1;x;y;синий\n".utf8)), file: "s.csv")
        XCTAssertEqual(result.warnings.map(\.description), ["s.csv:1: цвет: предупреждение: неизвестный столбец, пропущен"])
    }

    func testEmptyFile() throws {
        XCTAssertEqual(errors("code;name;municipality\n"), ["s.csv:2: —: в файле нет ни одной строки данных"])
    }

    func testErrorReportIsCappedButCounted() throws {
        var text = "code;name;municipality;students\n"
        for index in 0..<300 { text += "\(index);x;y;bad\n" }
        do {
            _ = try parse(text)
            XCTFail("must fail")
        } catch let rejected as ImportRejected {
            XCTAssertEqual(rejected.errors.count, 200)
            XCTAssertEqual(rejected.errorCount, 300)
            XCTAssertTrue(rejected.description.contains("… и ещё ошибок: 100"))
            XCTAssertTrue(rejected.description.hasSuffix("Ничего не изменено."))
        } catch { XCTFail("\(error)") }
    }
}
