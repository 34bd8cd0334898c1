import NIOCore
@testable import OporaWeb
import Vapor
import XCTVapor

/// Behind the proxy of deploy/nginx.conf every request comes from 127.0.0.1: the browser's address (for the
/// per-address login throttle and the sessions list) is the proxy's `X-Real-IP`, believed only from this machine.
final class ClientAddressTests: XCTestCase {
    func testTheProxysHeaderIsBelievedOnlyFromThisMachine() async throws {
        let app = try await Application.make(.testing)
        func address(peer: String, header: String?) throws -> String? {
            var headers = HTTPHeaders()
            if let header { headers.add(name: "X-Real-IP", value: header) }
            let request = Request(application: app, method: .GET, url: "/", headers: headers,
                                  remoteAddress: try SocketAddress(ipAddress: peer, port: 40000), on: app.eventLoopGroup.any())
            return request.clientAddress
        }
        let cases: [(peer: String, header: String?, expected: String)] = [
            ("127.0.0.1", "10.1.2.3", "10.1.2.3"),
            ("::1", "2001:db8::7", "2001:db8::7"),
            ("127.0.0.1", nil, "127.0.0.1"),
            // From elsewhere the header could be anyone's: the peer it is.
            ("192.0.2.5", "10.1.2.3", "192.0.2.5"),
            // Not an address: ignored.
            ("127.0.0.1", "10.1.2.3, 10.9.9.9", "127.0.0.1"),
            ("127.0.0.1", "<script>", "127.0.0.1"),
        ]
        for item in cases {
            XCTAssertEqual(try? address(peer: item.peer, header: item.header), item.expected, "\(item)")
        }
        try await app.asyncShutdown()
    }
}
