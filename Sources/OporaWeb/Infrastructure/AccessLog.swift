import Vapor

/// One log line per request (method, path without its query, status, milliseconds), at `info`: with
/// `--log-format json` a collector gets them as fields. The query is left out: it may carry a search for a name.
struct AccessLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        func log(_ status: UInt) {
            let milliseconds = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
            request.logger.info("\(request.method.rawValue) \(request.url.path) \(status) \(milliseconds) ms", metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.url.path),
                "status": .stringConvertible(status), "ms": .stringConvertible(milliseconds),
            ])
        }
        do {
            let response = try await next.respond(to: request)
            log(response.status.code)
            return response
        } catch {
            log((error as? any AbortError)?.status.code ?? 500)
            throw error
        }
    }
}
