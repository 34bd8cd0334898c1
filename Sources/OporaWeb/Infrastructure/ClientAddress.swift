import Vapor

extension Request {
    /// The browser's address. Behind the reverse proxy on this machine (deploy/nginx.conf) every request comes from
    /// 127.0.0.1 and the browser's address is in `X-Real-IP`: without it, the per-address login throttle would count
    /// a whole region's failed logins as one address's. The header is believed only from a proxy on this machine.
    var clientAddress: String? {
        let peer = remoteAddress?.ipAddress
        guard let peer, peer == "127.0.0.1" || peer == "::1",
              let real = headers.first(name: "X-Real-IP")?.trimmingCharacters(in: .whitespaces),
              !real.isEmpty, real.count <= 45, real.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" })
        else { return peer }
        return real
    }
}
