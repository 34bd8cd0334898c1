import OporaDomain
import XCTest

/// Who may change what (issue 25, point 4) and the review's remarks (point 6): the rules, table by table.
final class RightsTests: XCTestCase {
    let schoolA1 = SchoolPlace(schoolID: 1, municipalityID: 10, regionID: 100)
    let schoolA2 = SchoolPlace(schoolID: 2, municipalityID: 10, regionID: 100)
    let schoolB1 = SchoolPlace(schoolID: 3, municipalityID: 20, regionID: 100)
    let schoolElsewhere = SchoolPlace(schoolID: 4, municipalityID: 30, regionID: 200)

    func testAFileBelongsToTheUploadersTerritoryElseToTheNarrowestHoldingItsSchools() {
        let cases: [(AccessScope, [SchoolPlace], OwningTerritory)] = [
            (.municipality(10), [schoolA1, schoolA2], .municipality(10, region: 100)),
            (.region(100), [schoolA1], .region(100)),
            (.region(100), [schoolA1, schoolB1], .region(100)),
            (.everything, [schoolA1, schoolA2], .municipality(10, region: 100)),
            (.everything, [schoolB1], .municipality(20, region: 100)),
            (.everything, [schoolA1, schoolB1], .region(100)),
            (.everything, [schoolA1, schoolElsewhere], .installation),
            (.everything, [], .installation),
        ]
        for (scope, schools, expected) in cases {
            XCTAssertEqual(OwningTerritory.of(scope: scope, schools: schools), expected, "\(scope) \(schools.map(\.schoolID))")
        }
        XCTAssertEqual(OwningTerritory.municipality(10, region: 100).regionID, 100)
        XCTAssertEqual(OwningTerritory.municipality(10, region: 100).municipalityID, 10)
        XCTAssertNil(OwningTerritory.region(100).municipalityID)
        XCTAssertNil(OwningTerritory.installation.regionID)
    }

    func testOneFileGivingOneEventTwoLengthsIsRefusedNamingBothLines() throws {
        let text = """
        event,start,hours,school,count
        КПК-1,15.02.2024,32,A1,6
        КПК-1,15.02.2024,32,A2,3
        КПК-1,15.02.2024,4,A3,2
        """
        let table = try DelimitedTextReader.read(Array(text.utf8))
        XCTAssertThrowsError(try EventsFile.parse(table, file: "events.csv")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("events.csv:4: hours:"), message)
            XCTAssertTrue(message.contains("в строке events.csv:2"), message)
            XCTAssertTrue(message.contains("КПК-1"), message)
        }
        // The same length on every line is one event.
        let same = try DelimitedTextReader.read(Array(text.replacingOccurrences(of: ",4,A3", with: ",32,A3").utf8))
        XCTAssertEqual(try EventsFile.parse(same, file: "events.csv").records.count, 3)
    }

    func testADecisionIsChangedByTheLevelThatTookItOrAbove() {
        let aboutSchool = { (level: DecisionOwnerLevel) in DecisionOwner(level: level, regionID: 100, municipalityID: 10, schoolID: 1) }
        let cases: [(DecisionOwner, Role, AccessScope, Bool, String)] = [
            (aboutSchool(.municipality), .schoolAdmin, .schools([1]), false, "a school does not close the authority's decision about it"),
            (aboutSchool(.school), .schoolAdmin, .schools([1]), true, "its own decision"),
            (aboutSchool(.school), .schoolAdmin, .schools([2]), false, "another school's"),
            (aboutSchool(.municipality), .municipalCoordinator, .municipality(10), true, "the municipality's own"),
            (aboutSchool(.school), .municipalCoordinator, .municipality(10), true, "a school's, from above"),
            (aboutSchool(.region), .municipalCoordinator, .municipality(10), false, "the region's, from below"),
            (aboutSchool(.municipality), .municipalCoordinator, .municipality(20), false, "another municipality's"),
            (aboutSchool(.region), .regionalAnalyst, .region(100), true, "the region's own"),
            (aboutSchool(.municipality), .regionalAnalyst, .region(100), true, "from above"),
            (aboutSchool(.municipality), .regionalAnalyst, .region(200), false, "another region's"),
            (aboutSchool(.region), .regionalAnalyst, .everything, true, "the installation"),
            (aboutSchool(.school), .curator, .schools([1]), false, "a curator records no decisions"),
            (aboutSchool(.municipality), .viewer, .municipality(10), false, "a viewer reads"),
        ]
        for (owner, role, scope, expected, label) in cases {
            XCTAssertEqual(DecisionAccess.canChange(owner, role: role, scope: scope), expected, label)
        }
        XCTAssertEqual(DecisionOwnerLevel.of(creator: .schools([1])), .school)
        XCTAssertEqual(DecisionOwnerLevel.of(creator: .municipality(10)), .municipality)
        XCTAssertEqual(DecisionOwnerLevel.of(creator: .region(100)), .region)
        XCTAssertEqual(DecisionOwnerLevel.of(creator: .everything), .region)
    }

    func testRemarksAreResolvedByTheReviewersSide() {
        let cases: [(Role, Bool)] = [(.schoolAdmin, false), (.curator, true), (.municipalCoordinator, true), (.regionalAnalyst, true),
                                     (.viewer, false)]
        for (role, expected) in cases {
            for status in ProgrammeStatus.allCases {
                let participant = ProgrammeParticipant(role: role, seesSchool: true)
                XCTAssertEqual(ProgrammeWorkflow.allows(.resolveRemark, status, by: participant), expected, "\(role) \(status)")
            }
            XCTAssertFalse(ProgrammeWorkflow.allows(.resolveRemark, .submitted, by: ProgrammeParticipant(role: role, seesSchool: false)))
        }
        XCTAssertTrue(ProgrammeWorkflow.allows(.comment, .draft, by: ProgrammeParticipant(role: .schoolAdmin, seesSchool: true)),
                      "the school still answers a remark")
    }

    func testSubmittingOrApprovingOverOpenRemarksNeedsConfirmation() {
        let cases: [(ProgrammeAction, Int, Bool)] = [
            (.submit, 0, false), (.submit, 2, true), (.approve, 0, false), (.approve, 1, true),
            (.returnForRevision, 3, false), (.comment, 3, false), (.edit, 3, false),
        ]
        for (action, open, expected) in cases {
            XCTAssertEqual(ProgrammeWorkflow.needsConfirmation(action, openRemarks: open), expected, "\(action) \(open)")
        }
        XCTAssertTrue(ProgrammeWorkflow.confirmationMessage(.approve, openRemarks: 2).contains("открытых замечаний: 2"))
    }

    func testItemsKeepTheirIdsWhenAMeasureIsInsertedBeforeThem() {
        let first = ProgrammeContent(goal: "Цель", tasks: ["Задача А", "Задача Б"],
                                     measures: [ProgrammeMeasure(text: "Диагностика 5-х классов"), ProgrammeMeasure(text: "Консультации")],
                                     indicators: [ProgrammeIndicator(name: "Доля «2»")]).withStableIDs(previous: nil)
        XCTAssertEqual(first.items.map(\.key), ["goal", "task.1", "task.2", "measure.1", "measure.2", "indicator.1"],
                       "a first version's ids are its positions")
        let remarked = first.measureKey(at: 1)

        // A measure inserted before the remarked one by a client that sends no ids (a file, an API client):
        // matched by text.
        var inserted = first
        inserted.measures = ["Диагностика 5-х классов", "Родительские собрания", "Консультации"].map { ProgrammeMeasure(text: $0) }
        inserted.tasks = ["Задача 0", "Задача А", "Задача Б"]
        inserted.taskIDs = nil
        let second = inserted.withStableIDs(previous: first)
        XCTAssertEqual(second.measureKey(at: 2), remarked, "the remark stays on «Консультации», now the third measure")
        XCTAssertEqual(second.measureKey(at: 1), "measure.3", "the new measure gets a new id")
        XCTAssertEqual(second.items.first { $0.key == remarked }?.label, "Мероприятие 3")
        XCTAssertEqual((0..<3).map(second.taskKey(at:)), ["task.3", "task.1", "task.2"])

        // The edit form sends the ids back: they are kept even when the text changes, an item sent without one is
        // new, and a removed item's id is never given again.
        var edited = second
        edited.measures[2].text = "Консультации учителей-предметников"
        edited.measures.remove(at: 0)
        edited.measures.append(ProgrammeMeasure(text: "Мониторинг"))
        let third = edited.withStableIDs(previous: second)
        XCTAssertEqual(third.measures.map(\.id), ["3", "2", "4"])
        var shortened = third
        shortened.measures.removeLast()
        shortened = shortened.withStableIDs(previous: third)
        var grown = shortened
        grown.measures.append(ProgrammeMeasure(text: "Анкетирование"))
        XCTAssertEqual(grown.withStableIDs(previous: shortened).measures.map(\.id), ["3", "2", "5"], "id 4 was removed, not free")
        // An item edited in place, with no id sent, keeps its id when its section keeps its length.
        var retyped = third
        retyped.indicators = [ProgrammeIndicator(name: "Доля «2», %")]
        XCTAssertEqual(retyped.withStableIDs(previous: third).indicators.map(\.id), ["1"])
    }

    func testOnlyTheRegistryKeepersChangeASchoolCode() {
        XCTAssertEqual(Role.allCases.filter { SchoolCode.mayChange(role: $0) }, [.regionalAnalyst, .municipalCoordinator].sorted {
            Role.allCases.firstIndex(of: $0)! < Role.allCases.firstIndex(of: $1)!
        })
        XCTAssertTrue(SchoolCode.confirmationNeeded(old: "A1", new: "A7").contains("«A1» на «A7»"))
        XCTAssertTrue(SchoolCode.warning.contains("сопоставляются"))
    }

    func testAMentorComesFromTheSupportedSchoolsMunicipality() {
        XCTAssertTrue(MentorChecks.sameTerritory(supported: 10, mentor: 10))
        XCTAssertFalse(MentorChecks.sameTerritory(supported: 10, mentor: 20))
    }

    func testATakenProgrammeCodeNamesNoTerritory() {
        let taken = ProgrammeCode.taken("P04")
        XCTAssertTrue(taken.contains("«P04»"))
        XCTAssertFalse(taken.contains("территор"), taken)
        XCTAssertEqual(ProgrammeCode.unknown("P04"), "программы с кодом «P04» нет (сначала загрузите programmes)")
    }
}
