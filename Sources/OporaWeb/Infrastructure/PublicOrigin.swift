import Vapor

extension Request {
    /// The site's address as the visitor typed it (`https://opora.example.ru`), for links printed on paper and in QR
    /// codes. Behind the proxy on this machine (deploy/nginx.conf) the scheme comes from `X-Forwarded-Proto`, believed
    /// only from 127.0.0.1 like `clientAddress`; a Host that is not a plain host name and port gives `localhost`.
    var publicOrigin: String {
        let peer = remoteAddress?.ipAddress
        let behindProxy = peer == "127.0.0.1" || peer == "::1"
        let forwarded = headers.first(name: "X-Forwarded-Proto")?.lowercased()
        let scheme = behindProxy && forwarded == "https" ? "https" : "http"
        let host = headers.first(name: .host) ?? ""
        let allowed = host.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x3A || byte == 0x5B || byte == 0x5D
        }
        return scheme + "://" + (allowed && !host.isEmpty && host.count <= 255 ? host : "localhost")
    }
}
