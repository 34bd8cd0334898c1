import FluentKit
import OporaDomain

/// Sets that a territory may keep for itself (criteria, management directions): who owns a saved version,
/// and where a territory without its own looks next — its region, then the whole installation.
enum TerritoryChain {
    static func owner(_ scope: AccessScope) -> (region: Int?, municipality: Int?) {
        switch scope {
        case .region(let id): (id, nil)
        case .municipality(let id): (nil, id)
        default: (nil, nil)
        }
    }

    /// The scopes whose saved sets apply to `scope`, nearest first.
    static func chain(_ scope: AccessScope, on db: any Database) async throws -> [AccessScope] {
        var chain = [scope]
        if case .municipality(let id) = scope, let municipality = try await MunicipalityModel.find(id, on: db) {
            chain.append(.region(municipality.$region.id))
        }
        if scope != .everything { chain.append(.everything) }
        return chain
    }
}
