import OporaDomain

/// The support network drawn as SVG: organisations on the left (a centre above its branches and points), mentor
/// schools in the middle, the schools they and the organisations serve on the right.
enum NetworkDiagram {
    struct Node: Sendable, Hashable {
        let id: String
        let label: String
        let kind: OrganisationKind?
    }

    struct Link: Sendable, Hashable {
        enum Kind: Sendable { case belongs, serves, mentors }
        let from: String
        let to: String
        let kind: Kind
    }

    struct Graph: Sendable {
        var organisations: [Node] = []
        var schools: [Node] = []
        var mentors: Set<String> = []
        var links: [Link] = []
    }

    /// Beyond this many nodes in a column the drawing stops being readable; the page's tables say the same.
    static let largest = 120

    static func svg(_ graph: Graph, width: Int = 980) -> HTMLNode {
        let order: [OrganisationKind: Int] = [.centre: 0, .branch: 1, .point: 2, .association: 3, .cluster: 4]
        let left = graph.organisations.sorted { (order[$0.kind ?? .point] ?? 5, $0.label) < (order[$1.kind ?? .point] ?? 5, $1.label) }
        let middle = graph.schools.filter { graph.mentors.contains($0.id) }.sorted { $0.label < $1.label }
        let right = graph.schools.filter { !graph.mentors.contains($0.id) }.sorted { $0.label < $1.label }
        guard !(left.isEmpty && middle.isEmpty && right.isEmpty) else { return .empty }
        guard max(left.count, middle.count, right.count) <= largest else {
            return el("p", .class("muted")) { "Сеть слишком велика для схемы (более \(largest) узлов в столбце) — см. таблицы ниже." }
        }
        let rowHeight = 30.0, top = 34.0, boxHeight = 22.0
        let columnWidth = (Double(width) - 40) / 3, boxWidth = columnWidth - 60
        let height = Int(top + rowHeight * Double(max(left.count, middle.count, right.count, 1)) + 16)
        var position: [String: (x: Double, y: Double)] = [:]
        for (column, nodes) in [left, middle, right].enumerated() {
            let offset = (Double(max(left.count, middle.count, right.count)) - Double(nodes.count)) * rowHeight / 2
            for (index, node) in nodes.enumerated() {
                position[node.id] = (20 + Double(column) * columnWidth, top + offset + Double(index) * rowHeight)
            }
        }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" style=\"max-width:100%\" " +
            "role=\"img\" class=\"chart network\">"
        svg += "<title>Сеть поддержки школ</title>"
        svg +=
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" " +
            "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c8702a\"/></marker></defs>"
        for (column, title) in ["Организации", "Школы-наставники", "Школы"].enumerated() {
            svg +=
                "<text x=\"\(20 + Double(column) * columnWidth)\" y=\"18\" font-size=\"12\" font-weight=\"bold\" " +
                "fill=\"#1d2733\">\(title)</text>"
        }
        for link in graph.links {
            guard let from = position[link.from], let to = position[link.to] else { continue }
            let y1 = from.y + boxHeight / 2, y2 = to.y + boxHeight / 2
            switch link.kind {
            case .belongs:
                svg +=
                    "<path d=\"M\(from.x) \(y1) C\(from.x - 14) \(y1) \(to.x - 14) \(y2) \(to.x) \(y2)\" fill=\"none\" " +
                    "stroke=\"#8a96a3\" stroke-dasharray=\"4 3\"/>"
            case .serves:
                let x1 = from.x + boxWidth, x2 = to.x
                svg +=
                    "<path d=\"M\(x1) \(y1) C\(x1 + 40) \(y1) \(x2 - 40) \(y2) \(x2) \(y2)\" fill=\"none\" stroke=\"#4a7fb5\" " +
                    "stroke-opacity=\"0.55\"/>"
            case .mentors:
                let x1 = from.x + boxWidth, x2 = to.x
                svg +=
                    "<path d=\"M\(x1) \(y1) C\(x1 + 40) \(y1) \(x2 - 40) \(y2) \(x2) \(y2)\" fill=\"none\" stroke=\"#c8702a\" " +
                    "stroke-width=\"2\" marker-end=\"url(#arrow)\"/>"
            }
        }
        func box(_ node: Node, fill: String, stroke: String) {
            guard let at = position[node.id] else { return }
            let label = node.label.count > 38 ? String(node.label.prefix(37)) + "…" : node.label
            let kind = node.kind.map { " — \($0.russianName)" } ?? ""
            svg += "<g><title>\(HTMLNode.escape(node.label + kind))</title>"
            svg +=
                "<rect x=\"\(at.x)\" y=\"\(at.y)\" width=\"\(boxWidth)\" height=\"\(boxHeight)\" rx=\"4\" fill=\"\(fill)\" " +
                "stroke=\"\(stroke)\"/>"
            svg += "<text x=\"\(at.x + 6)\" y=\"\(at.y + 15)\" font-size=\"11\" fill=\"#1d2733\">\(HTMLNode.escape(label))</text></g>"
        }
        for node in left { box(node, fill: node.kind == .centre || node.kind == .branch ? "#dfe9f5" : "#eef3f9", stroke: "#4a7fb5") }
        for node in middle { box(node, fill: "#fbeee2", stroke: "#c8702a") }
        for node in right { box(node, fill: "#ffffff", stroke: "#8a96a3") }
        return .trusted(svg + "</svg>")
    }
}
