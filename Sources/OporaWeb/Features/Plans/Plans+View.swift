import Foundation
import OporaData
import OporaDomain

/// What every page of a programme shares: its tabs and the tags of progress and level.
enum PlansView {
    static func progressTag(_ progress: MeasureProgress) -> HTMLNode {
        let style: String
        switch progress {
        case .done: style = "good"
        case .overdue: style = "bad"
        case .inProgress: style = "warn"
        case .notStarted, .cancelled: style = ""
        }
        return el("span", .class("tag \(style)")) { progress.russianName }
    }

    static func levelTag(_ level: EffectivenessLevel) -> HTMLNode {
        let style: String
        switch level {
        case .high: style = "good"
        case .medium: style = ""
        case .satisfactory: style = "warn"
        case .critical: style = "bad"
        }
        return el("span", .class("tag \(style)")) { level.russianName }
    }

    /// The programme's own tabs.
    static func tabs(_ plan: PlanModel, _ active: String) -> HTMLNode {
        let id = plan.id!
        let items: [(String, String, String)] = [
            ("passport", "/plans/\(id)", "Паспорт и изменения"), ("roadmap", "/plans/\(id)/roadmap", "Дорожная карта"),
            ("calendar", "/plans/\(id)/calendar", "Календарь сроков"), ("indicators", "/plans/\(id)/indicators", "Показатели и оценка"),
            ("decisions", "/decisions?programme=\(id)", "Решения"),
        ]
        return el("div") {
            el("div", .class("toolbar")) { el("a", .href("/plans")) { "← Все программы" } }
            el("h1") { plan.name }
            el("nav", .class("tabs")) {
                items.map { key, href, label in el("a", .href(href), .when(key == active, .class("active"))) { label } }
            }
        }
    }
}
