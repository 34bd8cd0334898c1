import OporaData
import Vapor

/// `/unsubscribe/<token>`: the one-click link of every message; works without signing in, once per token.
struct UnsubscribeController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("unsubscribe", ":token", use: unsubscribe)
        // RFC 8058 one-click: mail clients POST to the List-Unsubscribe address.
        routes.post("unsubscribe", ":token", use: unsubscribe)
    }

    @Sendable func unsubscribe(_ req: Request) async throws -> HTMLNode {
        let token = req.parameters.get("token") ?? ""
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return UnsubscribeView.render(nil, try req.pageContext()) }
        let event = try await MailPreferences(db: req.db).unsubscribe(token: token)
        return UnsubscribeView.render(event, try req.pageContext())
    }
}
