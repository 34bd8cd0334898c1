import OporaDomain
import Vapor

/// One page of a long table (a region has a thousand schools): the rows shown, and links to the others.
/// Exports always take the whole table.
struct Paging: Sendable {
    let page: Int
    let size: Int
    let total: Int

    static let defaultSize = 100

    init(page: Int, size: Int = Paging.defaultSize, total: Int) {
        self.size = size
        self.total = total
        self.page = min(max(1, page), max(1, (total + size - 1) / size))
    }

    static func read(_ req: Request, total: Int) throws -> Paging {
        Paging(page: try req.queryInt("page", in: InputRange.page, "страница") ?? 1, total: total)
    }

    var pageCount: Int { max(1, (total + size - 1) / size) }
    var range: Range<Int> { min(total, (page - 1) * size)..<min(total, page * size) }

    func slice<T>(_ rows: [T]) -> ArraySlice<T> { rows[range.clamped(to: 0..<rows.count)] }

    /// «← Назад · Строки 101–200 из 1 000 · Дальше →», keeping the page's other parameters.
    func links(_ path: String, _ query: [(String, String?)]) -> HTMLNode {
        guard pageCount > 1 else { return .empty }
        func href(_ page: Int) -> String {
            var components = URLComponents()
            components.path = path
            components.queryItems =
                query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } } + [
                    URLQueryItem(name: "page", value: String(page))
                ]
            return components.string ?? path
        }
        return el("div", .class("toolbar")) {
            if page > 1 { el("a", .href(href(page - 1))) { "← Назад" } }
            el("span") {
                "Строки \(RussianFormat.integer(range.lowerBound + 1))–\(RussianFormat.integer(range.upperBound)) из " +
                "\(RussianFormat.integer(total))"
            }
            if page < pageCount { el("a", .href(href(page + 1))) { "Дальше →" } }
        }
    }
}
