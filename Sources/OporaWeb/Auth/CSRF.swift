import Vapor

/// Synchroniser-token CSRF protection: each session has a random token, and every state-changing
/// request authenticated by the session cookie must echo it (form field `_csrf` or header `X-CSRF-Token`).
/// Before a login there is no session: the login form then carries the token of a short-lived cookie
/// (double submit), so that an anonymous visit stores nothing on the server.
enum CSRF {
    static let field = "_csrf"
    static let header = "X-CSRF-Token"
    static let cookie = "opora_csrf"

    /// The token this page's forms carry: the session's, or before login the anonymous cookie's
    /// (created here and set on the response by `SessionMiddleware`).
    static func token(for request: Request) -> String {
        if let state = request.sessionState { return state.csrf }
        if let existing = request.cookies[cookie]?.string, existing.utf8.count == 43,
            existing.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        {
            return existing
        }
        if let pending = request.storage[PendingCookieKey.self] { return pending }
        let token = newToken()
        request.storage[PendingCookieKey.self] = token
        return token
    }

    struct PendingCookieKey: StorageKey { typealias Value = String }

    static func isValid(_ supplied: String?, expected: String?) -> Bool {
        guard let supplied, let expected, !expected.isEmpty, supplied.utf8.count == expected.utf8.count else { return false }
        // Constant-time comparison.
        return zip(supplied.utf8, expected.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func newToken() -> String {
        [UInt8].random(count: 32).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The token the request carries: the header, else the form field. A browser's upload arrives in pieces,
    /// so the body is collected here first (the route would collect it next anyway), and a multipart body is
    /// searched only at its start, where the form puts the token, instead of being decoded twice.
    static func supplied(_ request: Request, maximumBody: Int) async throws -> String? {
        if let header = request.headers.first(name: header) { return header }
        if request.body.data == nil {
            _ = try await request.body.collect(max: maximumBody).get()
        }
        guard let body = request.body.data else { return nil }
        if let type = request.headers.contentType, type.type == "multipart", let boundary = type.parameters["boundary"] {
            return MultipartPeek.field(field, in: body, boundary: boundary)
        }
        return try? request.content.get(String.self, at: field)
    }
}

/// The value of one small text field near the start of a multipart body.
enum MultipartPeek {
    static func field(_ name: String, in buffer: ByteBuffer, boundary: String, window: Int = 64 * 1024) -> String? {
        let bytes = buffer.getBytes(at: buffer.readerIndex, length: min(buffer.readableBytes, window)) ?? []
        let delimiter = Array(("--" + boundary).utf8)
        let wanted = Array("name=\"\(name)\"".utf8)
        let blank = Array("\r\n\r\n".utf8)
        var start = firstIndex(of: delimiter, in: bytes, from: 0)
        while let partStart = start {
            let next = firstIndex(of: delimiter, in: bytes, from: partStart + delimiter.count)
            let partEnd = next ?? bytes.count
            if let headersEnd = firstIndex(of: blank, in: bytes, from: partStart), headersEnd < partEnd,
               firstIndex(of: wanted, in: bytes, from: partStart).map({ $0 < headersEnd }) == true {
                guard next != nil else { return nil }
                var valueEnd = partEnd
                if valueEnd >= 2, bytes[valueEnd - 2] == 0x0D, bytes[valueEnd - 1] == 0x0A { valueEnd -= 2 }
                let valueStart = headersEnd + blank.count
                guard valueStart <= valueEnd, valueEnd - valueStart <= 512 else { return nil }
                return String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
            }
            start = next
        }
        return nil
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        var index = from
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

struct CSRFMiddleware: AsyncMiddleware {
    /// The body a route collects, which the token is read from: the larger ones of the routes that allow more.
    static func maximumBody(_ request: Request) -> Int {
        switch request.url.path {
        case "/imports/preview": ImportsController.maximumBody
        case "/questionnaires/save": QuestionnairesController.maximumFormBody
        default: request.application.routes.defaultMaxBodySize.value
        }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let byToken = request.auth.get(CurrentUser.self)?.viaToken == true
        if ![.GET, .HEAD, .OPTIONS].contains(request.method), !byToken {
            let supplied = try await CSRF.supplied(request, maximumBody: Self.maximumBody(request))
            let expected = request.sessionState?.csrf ?? request.cookies[CSRF.cookie]?.string
            guard CSRF.isValid(supplied, expected: expected) else {
                throw Abort(
                    .forbidden, reason: "Форма устарела или отправлена с чужого сайта (проверка CSRF). Обновите страницу и повторите.")
            }
        }
        return try await next.respond(to: request)
    }
}
