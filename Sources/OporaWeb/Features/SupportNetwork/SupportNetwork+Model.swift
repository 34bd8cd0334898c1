import Fluent
import OporaData
import OporaDomain
import Vapor

/// The network: organisations with their schools, and mentor pairs, for the page and its diagram.
struct SupportNetworkModel: Sendable {
    let year: Int
    let organisations: [SupportRepository.Organisation]
    let pairs: [MentorPairModel]
    let schools: [(id: Int, name: String)]
    let canManage: Bool
    /// A refused form of this page, shown again as typed.
    var echo: FormEcho? = nil

    static func build(_ req: Request) async throws -> SupportNetworkModel {
        let user = try req.user
        let year = try req.queryYear() ?? CalendarDay.today().year
        let support = SupportRepository(db: req.db)
        return SupportNetworkModel(year: year, organisations: try await support.organisations(user.scope),
                                   pairs: try await support.mentoringPairs(user.scope, year: year),
                                   schools: try await ScopeQueries.schoolNames(user.scope, on: req.db).map { ($0.id, $0.displayName) },
                                   canManage: user.role.canImport)
    }

    var diagram: NetworkDiagram.Graph {
        var graph = NetworkDiagram.Graph()
        for organisation in organisations {
            let node = "o\(organisation.model.id!)"
            graph.organisations.append(.init(id: node, label: organisation.model.name, kind: organisation.model.organisationKind))
            if let parent = organisation.model.parentID, organisations.contains(where: { $0.model.id == parent }) {
                graph.links.append(.init(from: "o\(parent)", to: node, kind: .belongs))
            }
            for school in organisation.schools { graph.links.append(.init(from: node, to: "s\(school.id!)", kind: .serves)) }
        }
        for pair in pairs { graph.links.append(.init(from: "s\(pair.$mentor.id)", to: "s\(pair.$supported.id)", kind: .mentors)) }
        let linked = Set(graph.links.flatMap { [$0.from, $0.to] })
        graph.mentors = Set(pairs.map { "s\($0.$mentor.id)" })
        graph.schools = schools.filter { linked.contains("s\($0.id)") }.map { .init(id: "s\($0.id)", label: $0.name, kind: nil) }
        // A mentor from outside the scope is still drawn, named as the pair names it.
        for pair in pairs where !graph.schools.contains(where: { $0.id == "s\(pair.$mentor.id)" }) {
            graph.schools.append(.init(id: "s\(pair.$mentor.id)", label: pair.mentor.displayName, kind: nil))
        }
        return graph
    }
}
