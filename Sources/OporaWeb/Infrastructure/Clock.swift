import OporaDomain
import Vapor

extension Application {
    private struct TodayKey: StorageKey { typealias Value = @Sendable () -> CalendarDay }

    /// Today's date as the server sees it: what a curator holds, what is overdue. Tests set another day to see
    /// what changes at midnight without any change to the data.
    public var today: @Sendable () -> CalendarDay {
        get { storage[TodayKey.self] ?? { CalendarDay.today() } }
        set { storage[TodayKey.self] = newValue }
    }
}

extension Request {
    /// Today for this request (`Application.today`).
    var today: CalendarDay { application.today() }
}
