import Foundation
import Fluent
import NIOConcurrencyHelpers
import OporaData
import OporaDomain
import Vapor

/// The public survey form, `/s/<link token>`: no login, no session, no CSRF cookie — the one-time form token issued
/// with each page load is what a post must carry. Per request: the limits in memory, the link by its token's hash
/// (one indexed query), the questionnaire version from memory, then one short transaction for an answer.
struct SurveyFormController {
    let limiter: SurveyRateLimiter
    let questionnaires = QuestionnaireVersionCache()

    /// An answer's body may hold 256 KB: a long questionnaire's free texts fit many times over; a hostile megabyte does not.
    func register(_ routes: any RoutesBuilder) {
        routes.get("s", ":token", use: show)
        routes.on(.POST, "s", ":token", body: .collect(maxSize: "256kb"), use: submit)
    }

    @Sendable func show(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard limiter.allowLoad(address: req.clientAddress ?? "-") else { return try await Self.tooMany(req) }
        let repository = SurveyCampaignRepository(db: req.db)
        guard let link = try await repository.publicLink(token: token) else { return try await Self.unknownLink(req) }
        guard let found = try await questionnaires.version(link, on: req.db) else { return try await Self.unknownLink(req) }
        let (questionnaire, group) = found
        let state = CampaignRules.formState(starts: link.starts, ends: link.ends, today: req.today,
                                            answered: try await repository.answeredCount(linkID: link.linkID), expected: link.expected)
        guard state.isOpen else { return try await Self.closed(req, state) }
        let formToken = try await repository.issueFormToken(linkID: link.linkID)
        let form = SurveyFormView.Form(token: token, formToken: formToken, title: link.title, school: link.schoolName, group: group,
                                       questions: questionnaire.questions(for: group), typed: [:], errors: [:])
        return try await Self.noStore(SurveyFormView.form(form).encodeResponse(for: req))
    }

    @Sendable func submit(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard SurveyToken.isWellFormed(token) else { return try await Self.unknownLink(req) }
        guard limiter.allowPost(address: req.clientAddress ?? "-", linkKey: SurveyToken.hash(token)) else {
            return try await Self.tooMany(req)
        }
        let repository = SurveyCampaignRepository(db: req.db)
        guard let link = try await repository.publicLink(token: token),
              let found = try await questionnaires.version(link, on: req.db) else {
            return try await Self.unknownLink(req)
        }
        let (questionnaire, group) = found
        let state = CampaignRules.formState(starts: link.starts, ends: link.ends, today: req.today,
                                            answered: try await repository.answeredCount(linkID: link.linkID), expected: link.expected)
        guard state.isOpen else { return try await Self.closed(req, state) }
        guard let fields = Self.fields(req) else {
            return try await Self.refused(req, "Ответы не приняты: форма отправлена не браузером или повреждена. Откройте ссылку заново.")
        }
        let formToken = fields[SurveyFormFields.formToken]?.first ?? ""
        let outcome = SurveyAnswerValidation.validate(questionnaire, group: group, fields: fields)
        guard outcome.isValid else {
            // The same form token comes back: nothing was used, and what was typed is kept.
            guard SurveyToken.isWellFormed(formToken) else { return try await Self.refused(req, Self.forgedText) }
            let form = SurveyFormView.Form(token: token, formToken: formToken, title: link.title, school: link.schoolName, group: group,
                                           questions: questionnaire.questions(for: group), typed: fields, errors: outcome.errors)
            return try await Self.noStore(SurveyFormView.form(form).encodeResponse(status: .unprocessableEntity, for: req))
        }
        let answers = outcome.answers.sorted { $0.key < $1.key }.map { key, answer in
            SurveyCampaignRepository.Answer(questionKey: key, value: StoredAnswer.encode(answer), isText: StoredAnswer.isText(answer))
        }
        switch try await repository.submit(linkID: link.linkID, formToken: formToken, answers: answers, day: req.today) {
        case .saved:
            return try await SurveyFormView.message("Спасибо!", "Ваши ответы записаны. Страницу можно закрыть.", id: "survey-thanks")
                .encodeResponse(for: req)
        case .alreadyUsed:
            return try await SurveyFormView.message(
                "Ответы уже отправлены",
                "Эта форма уже отправлена, повторно её не принимаем. Чтобы ответить ещё раз, откройте ссылку заново.",
                id: "survey-used").encodeResponse(status: .conflict, for: req)
        case .unknownToken:
            return try await Self.refused(req, Self.forgedText)
        }
    }

    static let forgedText = "Ответы не приняты: форма устарела или не выдавалась этой ссылкой. Откройте ссылку заново и ответьте ещё раз."

    /// The urlencoded body as field → values (a multiple choice repeats its name); nil for another content type.
    static func fields(_ req: Request) -> [String: [String]]? {
        guard let type = req.headers.contentType, type.type == "application", type.subType == "x-www-form-urlencoded",
              let body = req.body.data else { return nil }
        return PublicFormBody.parse(String(decoding: body.readableBytesView, as: UTF8.self))
    }

    static func noStore(_ response: Response) -> Response {
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func unknownLink(_ req: Request) async throws -> Response {
        try await SurveyFormView.message(
            "Ссылка не действует", "Такой анкеты нет: проверьте ссылку или попросите в школе новую.", id: "survey-unknown")
            .encodeResponse(status: .notFound, for: req)
    }

    static func closed(_ req: Request, _ state: FormState) async throws -> Response {
        let status: HTTPStatus
        if case .notStarted = state { status = .forbidden } else { status = .gone }
        return try await SurveyFormView.message("Опрос закрыт", state.russianMessage, id: "survey-closed")
            .encodeResponse(status: status, for: req)
    }

    static func refused(_ req: Request, _ text: String) async throws -> Response {
        try await SurveyFormView.message("Ответы не приняты", text, id: "survey-refused").encodeResponse(status: .badRequest, for: req)
    }

    static func tooMany(_ req: Request) async throws -> Response {
        let response = try await SurveyFormView.message(
            "Слишком много ответов", "С этого адреса или по этой ссылке пришло слишком много ответов. Попробуйте через несколько минут.",
            id: "survey-limited").encodeResponse(status: .tooManyRequests, for: req)
        response.headers.replaceOrAdd(name: .retryAfter, value: "60")
        return response
    }
}

/// An `application/x-www-form-urlencoded` body read as field → values, in order: repeated names (checkboxes) keep
/// every value. At most `maximumFields` pairs are read: more than the largest questionnaire can send with every box
/// ticked (200 questions of 30 options), so only a body no form makes is read in part.
enum PublicFormBody {
    static let maximumFields = Questionnaire.maximumQuestions * Questionnaire.maximumOptions + 100

    static func parse(_ body: String) -> [String: [String]] {
        var fields: [String: [String]] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true).prefix(maximumFields) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            let value = parts.count > 1 ? decode(parts[1]) ?? "" : ""
            fields[name, default: []].append(value)
        }
        return fields
    }

    static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

/// Questionnaire versions by id, read once: a version that has answers never changes, so the form never reads it again.
final class QuestionnaireVersionCache: Sendable {
    private let versions = NIOLockedValueBox([Int: Questionnaire]())

    func version(_ link: SurveyCampaignRepository.PublicLink, on db: any Database) async throws -> (Questionnaire, RespondentGroup)? {
        guard let group = RespondentGroup(code: link.group) else { return nil }
        if let known = versions.withLockedValue({ $0[link.questionnaireID] }) { return (known, group) }
        guard let stored = try await QuestionnaireRepository(db: db).version(id: link.questionnaireID) else { return nil }
        versions.withLockedValue { $0[link.questionnaireID] = stored.questionnaire }
        return (stored.questionnaire, group)
    }
}
