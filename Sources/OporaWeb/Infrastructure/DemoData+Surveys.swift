import Foundation
import Fluent
import OporaData
import OporaDomain

extension DemoData {
    /// A teachers' risk survey of the curator's schools, running today: enough answers that results show in two schools
    /// (12 and 8 teachers), fewer than five in the third (its results stay hidden), and a few free texts to review.
    static func loadSurveys(into db: any Database, municipality: MunicipalityModel, curated: [String]) async throws {
        let coordinator = Actor(userID: try await UserModel.query(on: db).filter(\.$login == "coordinator").first()?.id,
                                login: "coordinator")
        let questionnaires = QuestionnaireRepository(db: db)
        if try await questionnaires.latest(code: "risk_teachers") == nil { _ = try await questionnaires.installPresets() }
        guard let stored = try await questionnaires.latest(code: "risk_teachers"),
              let group = stored.questionnaire.groups.first else { return }
        let schools = try await SchoolModel.query(on: db).filter(\.$code ~~ curated).all()
        let ids = Dictionary(uniqueKeysWithValues: schools.map { ($0.code, $0.id!) })
        let today = CalendarDay.today()
        let repository = SurveyCampaignRepository(db: db)
        let draft = SurveyCampaignRepository.Draft(
            questionnaireID: stored.id, questionnaireCode: stored.code, title: "Риски школ глазами учителей, \(today.year)",
            starts: today.adding(days: -10), ends: today.adding(days: 20), schoolIDs: curated.compactMap { ids[$0] },
            expected: [(group.code, 15)])
        let (_, links) = try await repository.create(draft, scope: .municipality(municipality.id!), actor: coordinator)
        let answersPerSchool = [12, 8, 3]
        let texts = ["Не хватает времени на подготовку к урокам", "Нужны курсы по работе с отстающими учениками",
                     "Хотелось бы больше методической помощи"]
        var seed = 7
        for (index, code) in curated.enumerated() {
            guard let link = links.first(where: { $0.schoolID == ids[code] }) else { continue }
            for respondent in 0..<answersPerSchool[min(index, answersPerSchool.count - 1)] {
                var answers: [SurveyCampaignRepository.Answer] = []
                for question in stored.questionnaire.questions(for: group) {
                    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
                    let answer: SurveyAnswer?
                    switch question.kind {
                    case .singleChoice: answer = .choice(seed % max(1, question.options.count))
                    case .multipleChoice: answer = .choices([seed % max(1, question.options.count)])
                    case .scale(let range): answer = .scale(range.lowerBound + seed % range.count)
                    case .number(let minimum, let maximum): answer = .number(min(maximum, max(minimum, Double(seed % 10))))
                    case .text: answer = respondent % 4 == 0 ? .text(texts[respondent / 4 % texts.count]) : nil
                    }
                    guard let answer else { continue }
                    answers.append(.init(questionKey: question.id, value: StoredAnswer.encode(answer),
                                         isText: StoredAnswer.isText(answer)))
                }
                let form = try await repository.issueFormToken(linkID: link.linkID)
                _ = try await repository.submit(linkID: link.linkID, formToken: form, answers: answers,
                                                day: today.adding(days: -respondent % 5))
            }
        }
    }
}
