import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// The Word writer and a school programme as a document: opened (unzipped and parsed) and read back.
final class DOCXTests: XCTestCase {
    func testAProgrammeBecomesTheDocumentOfficialsFile() throws {
        let programme = SchoolProgrammeModel()
        programme.id = 7
        programme.kind = ProgrammeKind.antiRisk.rawValue
        programme.factor = 6
        programme.title = "Снижение доли обучающихся с рисками учебной неуспешности"
        programme.startYear = 2024
        programme.endYear = 2025
        programme.status = ProgrammeStatus.approved.rawValue
        let content = ProgrammeContent(
            goal: "Снизить долю обучающихся, не преодолевших минимальный порог, с 34,2 % до 25 %",
            tasks: ["Выявить обучающихся группы риска", "Организовать индивидуальные маршруты <и> «консультации» & пр."],
            measures: [
                ProgrammeMeasure(
                    text: "Диагностика 5-х классов", deadline: "До 10.09.2024", responsible: "Зам. директора по УВР",
                    result: "Список группы риска"),
                ProgrammeMeasure(
                    text: "Консультации\tучителей", deadline: "ежеквартально", responsible: "Руководители ШМО", result: "Протоколы"),
            ],
            indicators: [ProgrammeIndicator(name: "Доля не преодолевших порог ВПР", unit: "%", baseline: "34,2", target: "25")])
        let document = ProgrammeDocument.word(
            programme, content: content, schoolName: "МАОУ «СОШ № 1»", municipality: "ГО Первоуральск",
            factorName: "Высокая доля обучающихся с рисками учебной неуспешности", approvedBy: "утвердил curator 01.10.2024")
        let read = try WordContent(try document.data())
        XCTAssertTrue(read.landscape)
        XCTAssertEqual(Array(read.paragraphs.prefix(5)), ["МАОУ «СОШ № 1»", "ГО Первоуральск", "АНТИРИСКОВАЯ ПРОГРАММА",
                                                         "«Снижение доли обучающихся с рисками учебной неуспешности»", "на 2024–2025 годы"])
        XCTAssertEqual(read.tables.count, 3)
        XCTAssertEqual(read.repeatedHeaders, [1, 1, 1])
        let passport = read.tables[0]
        XCTAssertEqual(passport[0], ["Раздел", "Содержание"])
        XCTAssertTrue(passport.contains(["Фактор риска", "6. Высокая доля обучающихся с рисками учебной неуспешности"]))
        XCTAssertTrue(
            passport.contains([
                "Задачи", "1. Выявить обучающихся группы риска\n2. Организовать индивидуальные маршруты <и> «консультации» & пр.",
            ]))
        XCTAssertTrue(passport.contains(["Статус", "утверждена (утвердил curator 01.10.2024)"]))
        XCTAssertEqual(read.tables[1], [
            ["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Ожидаемый результат"],
            ["1.", "Диагностика 5-х классов", "До 10.09.2024", "Зам. директора по УВР", "Список группы риска"],
            ["2.", "Консультации учителей", "ежеквартально", "Руководители ШМО", "Протоколы"],
        ])
        XCTAssertEqual(read.tables[2], [["№ п/п", "Показатель", "Единица измерения", "Базовое значение", "Целевое значение"],
                                        ["1.", "Доля не преодолевших порог ВПР", "%", "34,2", "25"]])
    }

    func testControlCharactersNeverBreakTheFile() throws {
        let document = WordDocument(blocks: [.paragraph("a\u{0}b\u{1F}c"), .table(header: ["x"], rows: [["y", "лишняя"], []], widths: [])])
        let read = try WordContent(try document.data())
        XCTAssertEqual(read.paragraphs, ["abc"])
        XCTAssertEqual(read.tables, [[["x"], ["y"], [""]]])
        XCTAssertFalse(read.landscape)
    }
}
