import OporaDomain
import XCTest

/// Issue 24, point 4: a criteria set as a form — what the fields show, what a refusal says and where.
final class CriteriaFormTests: XCTestCase {
    func testTheFormShowsNumbersAsAPersonWritesThem() {
        let fields = CriteriaForm.fields(.pervouralsk)
        XCTAssertEqual(fields[CriteriaForm.threshold], "30")
        XCTAssertEqual(fields[CriteriaForm.riskLower], "15")
        XCTAssertEqual(fields[CriteriaForm.riskUpper], "")
        XCTAssertEqual(fields[CriteriaForm.procedureField(.vpr)], "1")
        XCTAssertNil(fields[CriteriaForm.procedureField(.gve)])
        XCTAssertEqual(fields[CriteriaForm.gradesField(.vpr)], "5, 6, 7, 8")
        XCTAssertEqual(fields[CriteriaForm.isbsGroups], "1, 2, 3, 4")
        for (value, shown) in [(30.0, "30"), (30.5, "30,5"), (0.125, "0,125"), (100, "100")] {
            XCTAssertEqual(RussianFormat.plain(value), shown)
        }
    }

    func testEveryPresetReadsBackFromItsOwnFields() throws {
        for (key, preset) in CriteriaSet.presets {
            let read = try CriteriaForm.read(CriteriaForm.fields(preset)).get()
            XCTAssertEqual(read, preset, key)
        }
    }

    func testRussianDecimalsAreAccepted() throws {
        var fields = CriteriaForm.fields(.pervouralsk)
        fields[CriteriaForm.threshold] = "30,5"
        fields[CriteriaForm.riskLower] = "12,5 %"
        let read = try CriteriaForm.read(fields).get()
        XCTAssertEqual(read.lowResults.threshold, 30.5)
        XCTAssertEqual(read.lowResults.riskLowerBound, 12.5)
    }

    /// Table-driven: the bad value, the field it is shown beside, words the message must hold; never a key name.
    func testARefusalNamesTheProblemBesideItsField() {
        let cases: [(field: String, value: String, expected: String, words: String)] = [
            (CriteriaForm.threshold, "тридцать", CriteriaForm.threshold, "не число"),
            (CriteriaForm.threshold, "130", CriteriaForm.threshold, "от 0 до 100"),
            (CriteriaForm.threshold, "", CriteriaForm.threshold, "укажите"),
            (CriteriaForm.riskLower, "40", CriteriaForm.riskLower, "до порога"),
            (CriteriaForm.riskUpper, "10", CriteriaForm.riskUpper, "от нижней границы"),
            (CriteriaForm.minimumGroup, "0", CriteriaForm.minimumGroup, "вне пределов"),
            (CriteriaForm.consecutiveYears, "11", CriteriaForm.consecutiveYears, "от 0 до 10"),
            (CriteriaForm.gradesField(.vpr), "5, 13", CriteriaForm.gradesField(.vpr), "«13»"),
            (CriteriaForm.isbsGroups, "0", CriteriaForm.isbsGroups, "от 1 до 11"),
            (CriteriaForm.name, " ", CriteriaForm.name, "название"),
            (CriteriaForm.otherSubjects, "История", CriteriaForm.otherSubjects, "не код предмета"),
            (CriteriaForm.favourableSocialMin, "3", CriteriaForm.favourableSocialMin, "больше"),
        ]
        for item in cases {
            var fields = CriteriaForm.fields(.pervouralsk)
            fields[item.field] = item.value
            guard case .failure(let refused) = CriteriaForm.read(fields) else {
                XCTFail("\(item.field) = «\(item.value)» accepted")
                continue
            }
            let message = refused.errors[item.expected] ?? ""
            XCTAssertTrue(message.contains(item.words), "\(item.field): «\(message)» in \(refused.errors)")
            for key in ["threshold", "low_results", "risk_", "minimum_group", "isbs"] {
                XCTAssertFalse(refused.description.contains(key), "\(key) in «\(refused.description)»")
            }
        }
    }

    func testUncheckedProceduresAndSubjectsAreRefusedTogether() {
        var fields = CriteriaForm.fields(.pervouralsk)
        for procedure in ProcedureCode.allCases { fields[CriteriaForm.procedureField(procedure)] = nil }
        for subject in SubjectCatalogue.standard { fields[CriteriaForm.subjectField(subject.code)] = nil }
        fields[CriteriaForm.minProcedures] = "0"
        fields[CriteriaForm.consecutiveYears] = "0"
        guard case .failure(let refused) = CriteriaForm.read(fields) else { return XCTFail("accepted") }
        XCTAssertEqual(refused.errors[CriteriaForm.procedures], "отметьте хотя бы одну процедуру")
        XCTAssertEqual(refused.errors[CriteriaForm.subjects], "отметьте хотя бы один предмет")
        XCTAssertNotNil(refused.errors[CriteriaForm.minProcedures])
    }

    func testTheDefaultRuleNamesPervouralskOnlyThere() {
        XCTAssertTrue(CriteriaSet.defaultRule(territory: "Первоуральск").name.contains("Первоуральска"))
        XCTAssertTrue(CriteriaSet.defaultRule(territory: "городской округ Первоуральск").name.contains("программа Первоуральска"))
        for other in ["Ревда", "Свердловская область", nil] {
            let rule = CriteriaSet.defaultRule(territory: other)
            XCTAssertEqual(rule.name, "Правило по умолчанию: 30 % не преодолевших минимальный порог")
            XCTAssertFalse(rule.name.contains("Первоуральск"))
            XCTAssertEqual(rule.lowResults, CriteriaSet.pervouralsk.lowResults)
        }
    }
}

/// Issue 24, point 4: management directions as a form.
final class DirectionsFormTests: XCTestCase {
    func testThePresetReadsBackFromItsFields() throws {
        let preset = ManagementDirection.pervouralsk
        XCTAssertEqual(try DirectionsForm.read(DirectionsForm.fields(preset)).get(), preset)
    }

    func testAnEmptyRowIsNoDirectionAndClearingARowRemovesIt() throws {
        var fields = DirectionsForm.fields(ManagementDirection.pervouralsk)
        fields[DirectionsForm.codeField(0)] = ""
        fields[DirectionsForm.nameField(0)] = " "
        fields[DirectionsForm.factorField(0, 2)] = nil
        let read = try DirectionsForm.read(fields).get()
        XCTAssertEqual(read, Array(ManagementDirection.pervouralsk.dropFirst()))
    }

    func testARefusalNamesEachProblemBesideItsField() {
        var fields = DirectionsForm.fields(ManagementDirection.pervouralsk)
        fields[DirectionsForm.codeField(1)] = "Кадры"
        fields[DirectionsForm.codeField(2)] = "staff_shortage"
        fields[DirectionsForm.nameField(3)] = ""
        fields[DirectionsForm.factorField(4, 9)] = nil
        fields[DirectionsForm.factorField(4, 11)] = nil
        fields[DirectionsForm.factorField(4, 12)] = nil
        guard case .failure(let refused) = DirectionsForm.read(fields) else { return XCTFail("accepted") }
        XCTAssertTrue(refused.errors[DirectionsForm.codeField(1)]!.contains("латинскими"))
        XCTAssertTrue(refused.errors[DirectionsForm.codeField(2)]!.contains("уже есть в строке 1"))
        XCTAssertEqual(refused.errors[DirectionsForm.nameField(3)], "укажите название направления")
        XCTAssertEqual(refused.errors[DirectionsForm.factorsField(4)], "отметьте хотя бы один фактор риска")
        XCTAssertEqual(refused.errors.count, 4)
    }
}
