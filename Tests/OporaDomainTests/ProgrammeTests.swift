import Foundation
import OporaDomain
import XCTest

/// The review workflow of school programmes and the comparison of their versions.
final class ProgrammeTests: XCTestCase {
    func testWhoMayDoWhatInEachStatus() {
        let school = ProgrammeParticipant(role: .schoolAdmin, seesSchool: true)
        let curator = ProgrammeParticipant(role: .curator, seesSchool: true)
        let coordinator = ProgrammeParticipant(role: .municipalCoordinator, seesSchool: true)
        let viewer = ProgrammeParticipant(role: .viewer, seesSchool: true)
        let otherCurator = ProgrammeParticipant(role: .curator, seesSchool: false)
        // Status → actions allowed for the school / the curator; the coordinator reviews like the curator. The
        // reviewer, not the school, resolves remarks (issue 25).
        let table: [(ProgrammeStatus, school: Set<ProgrammeAction>, curator: Set<ProgrammeAction>)] = [
            (.draft, [.edit, .submit, .comment], [.comment, .resolveRemark]),
            (.submitted, [.comment], [.comment, .resolveRemark, .returnForRevision, .approve]),
            (.returned, [.edit, .submit, .comment], [.comment, .resolveRemark]),
            (.approved, [.edit, .comment], [.comment, .resolveRemark]),
        ]
        for (status, schoolActions, curatorActions) in table {
            func allowed(_ who: ProgrammeParticipant) -> Set<ProgrammeAction> {
                Set(ProgrammeAction.allCases.filter { ProgrammeWorkflow.allows($0, status, by: who) })
            }
            XCTAssertEqual(allowed(school), schoolActions, "school, \(status)")
            XCTAssertEqual(allowed(curator), curatorActions, "curator, \(status)")
            XCTAssertEqual(allowed(coordinator), curatorActions, "coordinator, \(status)")
            XCTAssertEqual(allowed(viewer), [], "viewer, \(status)")
            XCTAssertEqual(allowed(otherCurator), [], "a curator of other schools, \(status)")
        }
        XCTAssertEqual(ProgrammeWorkflow.status(after: .edit, from: .approved), .draft)
        XCTAssertEqual(ProgrammeWorkflow.status(after: .edit, from: .returned), .returned)
        XCTAssertEqual(ProgrammeWorkflow.status(after: .returnForRevision, from: .submitted), .returned)
        let submitted = Date(timeIntervalSince1970: 0)
        XCTAssertFalse(ProgrammeWorkflow.isOverdue(.submitted, submittedAt: submitted, now: submitted.addingTimeInterval(14 * 86_400)))
        XCTAssertTrue(ProgrammeWorkflow.isOverdue(.submitted, submittedAt: submitted, now: submitted.addingTimeInterval(14 * 86_400 + 1)))
        XCTAssertFalse(ProgrammeWorkflow.isOverdue(.approved, submittedAt: submitted, now: submitted.addingTimeInterval(100 * 86_400)))
    }

    static let first = ProgrammeContent(
        goal: "Снизить долю обучающихся с рисками учебной неуспешности",
        tasks: ["Выявить обучающихся группы риска", "Организовать индивидуальные маршруты"],
        measures: [
            ProgrammeMeasure(
                text: "Диагностика обучающихся 5-х классов", deadline: "сентябрь 2024", responsible: "заместитель директора по УВР",
                result: "список группы риска"),
            ProgrammeMeasure(
                text: "Консультации учителей-предметников", deadline: "ежеквартально", responsible: "руководители ШМО",
                result: "протоколы"),
        ],
        indicators: [
            ProgrammeIndicator(name: "Доля обучающихся, не преодолевших минимальный порог ВПР", unit: "%", baseline: "34,2", target: "25")
        ])

    func testVersionsCompareItemByItem() {
        var second = Self.first
        second.tasks.append("Вовлечь родителей")
        second.measures[1].deadline = "ежемесячно"
        second.measures.remove(at: 0)
        second.measures.append(
            ProgrammeMeasure(
                text: "Родительские собрания", deadline: "октябрь 2024", responsible: "классные руководители", result: "протоколы"))
        let changes = ProgrammeChange.compare(Self.first, second)
        XCTAssertEqual(changes.map(\.kind), [.added, .changed, .changed])
        XCTAssertEqual(changes[0].section, .tasks)
        XCTAssertEqual(changes[0].new, "Вовлечь родителей")
        XCTAssertEqual(changes[1].section, .measures)
        XCTAssertTrue(changes[1].old?.hasPrefix("Диагностика") ?? false)
        XCTAssertTrue(changes[1].new?.contains("ежемесячно") ?? false)
        XCTAssertEqual(ProgrammeChange.compare(Self.first, Self.first), [])
        let removed = ProgrammeChange.compare(Self.first, ProgrammeContent(goal: Self.first.goal))
        XCTAssertEqual(removed.map(\.kind), [.removed, .removed, .removed, .removed, .removed])
    }

    func testWhatAProgrammeNeedsBeforeSubmission() {
        XCTAssertEqual(Self.first.problemsBeforeSubmission(period: 2024...2025), [])
        var incomplete = Self.first
        incomplete.goal = " "
        incomplete.measures[1].responsible = ""
        incomplete.indicators[0].target = ""
        XCTAssertEqual(incomplete.problemsBeforeSubmission(period: 2024...2025),
                       ["не указана цель", "мероприятие 2: не указан ответственный", "показатель 1: не указано целевое значение"])
        XCTAssertEqual(Self.first.items.map(\.key), ["goal", "task.1", "task.2", "measure.1", "measure.2", "indicator.1"])
    }
}
