import Fluent
import OporaData
import OporaDomain
import Vapor

/// The pages of a programme, each in its own folder (list, passport, roadmap, calendar, indicators);
/// this registers them and holds what their actions share.
struct PlansController {
    func register(_ routes: any RoutesBuilder) {
        PlanListController().register(routes)
        PlanPassportController().register(routes)
        RoadmapController().register(routes)
        PlanCalendarController().register(routes)
        PlanIndicatorsController().register(routes)
    }

    /// The programme, refused with 403 unless the user may change it (the scope check of `load` comes first: 404).
    static func changeable(_ req: Request) async throws -> (PlanModel, CurrentUser) {
        let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
        let user = try req.user
        guard plan.canChange(user) else { throw Abort(.forbidden, reason: "Изменять эту программу может её ответственный орган") }
        return (plan, user)
    }

    static func csv(_ header: [String], _ cells: [String]) -> [UInt8] {
        Array((CSVText.line(header) + "\n" + cells.map { CSVText.cell($0) }.joined(separator: ",")).utf8)
    }

    static func message(_ rejected: ImportRejected) -> String {
        rejected.errors.map { "\($0.column): \($0.message)" }.joined(separator: "; ")
    }

    /// A bound of a programme's period, typed as a year (its first or last day) or as a date. An impossible date
    /// is named as such and a year outside 2000–2100 refused; a period years from today is not asked about, as
    /// programmes are entered for past and future years alike.
    static func bound(_ check: inout FormCheck, _ input: String, start: Bool) -> CalendarDay? {
        guard let text = check[input] else {
            check.refuse(input, "Укажите год или дату: 2025 или 01.09.2025")
            return nil
        }
        if text.count == 4, text.allSatisfy(\.isNumber), let year = Int(text) {
            guard InputRange.year.contains(year) else {
                check.refuse(input, "Год — от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
                return nil
            }
            return start ? CalendarDay(year: year, month: 1, day: 1) : CalendarDay(year: year, month: 12, day: 31)
        }
        switch DateInput(text) {
        case .day(let day): return day
        case .problem(let message): check.refuse(input, message)
        case .empty: check.refuse(input, "Укажите год или дату: 2025 или 01.09.2025")
        }
        return nil
    }

    /// An import's refusal of the line a form became, each problem beside the input of its column; what no input
    /// holds is the form's message.
    static func absorb(_ rejected: ImportRejected, into check: inout FormCheck, inputs: [String: String]) -> String? {
        var other: [String] = []
        for issue in rejected.errors {
            if let input = inputs[issue.column] { check.refuse(input, issue.message) } else { other.append(issue.message) }
        }
        return other.isEmpty ? nil : "Не сохранено: " + other.joined(separator: "; ")
    }
}
