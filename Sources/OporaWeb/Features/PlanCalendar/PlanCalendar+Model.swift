import Fluent
import OporaData
import OporaDomain
import Vapor

/// What falls due in each month of a year.
struct RoadmapCalendarModel: Sendable {
    struct Entry: Sendable {
        let day: CalendarDay
        let row: RoadmapRow
    }

    /// A month card of the year's view lists this many; the month's own page lists all.
    static let perMonth = 25

    let plan: PlanModel
    let year: Int
    /// One month asked for: its full list instead of the year's twelve cards.
    let month: Int?
    let today: CalendarDay
    let months: [[Entry]]
    let undated: Int

    static func build(_ req: Request, id: Int) async throws -> RoadmapCalendarModel {
        let plan = try await PlanModel.load(req, id: id)
        let today = CalendarDay.today()
        let period = plan.period
        let year = try req.queryYear() ?? (period.years.contains(today.year) ? today.year : period.lowerBound.year)
        let month = try req.queryInt("month", in: 1...12, "месяц")
        let rows = RoadmapRow.rows(try await PlanRepository(db: req.db).measures(id), period: period, today: today)
        var months = Array(repeating: [Entry](), count: 12)
        for row in rows {
            for day in row.reading.due where day.year == year { months[day.month - 1].append(Entry(day: day, row: row)) }
        }
        return RoadmapCalendarModel(plan: plan, year: year, month: month, today: today,
            months: months.map { $0.sorted { $0.day < $1.day } },
                                    undated: rows.filter { $0.reading.due.isEmpty }.count)
    }
}
