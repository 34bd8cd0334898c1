import Vapor
import OporaDomain

/// `/effect`: «Результативность поддержки» (a municipality's or a region's question; 404 for a school's user).
struct EffectController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("effect") { req async throws -> HTMLNode in
            EffectView.page(try await EffectModel.build(req), try req.pageContext())
        }
    }
}

extension AccessScope {
    /// A region, a municipality or the whole installation: a scope that asks territory questions (not a school's).
    var isTerritory: Bool {
        if case .schools = self { return false }
        return true
    }
}
