import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import OporaDomain

/// How the conversation with the mail server is protected.
public enum SMTPSecurity: String, Sendable, Hashable, CaseIterable {
    /// STARTTLS when the server offers it (port 587 or 25). A server that does not offer it gets no password:
    /// mail goes on in the clear only when no login is set (a relay inside the authority's network).
    case starttls
    /// TLS from the first byte (SMTPS, port 465).
    case tls
    /// Never TLS: only for a relay on the same host, chosen in so many words.
    case none
}

/// Where and as whom mail is sent (`OPORA_SMTP_*` or `serve --smtp-*`). Without a host no mail is sent; the outbox
/// keeps the messages until one is configured.
public struct SMTPSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var from: String
    /// The whole conversation for one message must finish within this (a hung server cannot hold the sender).
    public var timeout: TimeInterval
    public var security: SMTPSecurity
    /// A PEM file of the authority's own certificate authority, for a server whose certificate the system's
    /// store does not know; the server's certificate and name are always checked.
    public var trustedCertificates: String?

    public init(host: String, port: Int = 25, user: String? = nil, password: String? = nil, from: String,
                timeout: TimeInterval = 30, security: SMTPSecurity = .starttls, trustedCertificates: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.from = from
        self.timeout = timeout
        self.security = security
        self.trustedCertificates = trustedCertificates
    }

    /// From the environment: nil without `OPORA_SMTP_HOST`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SMTPSettings? {
        guard let host = environment["OPORA_SMTP_HOST"], !host.isEmpty else { return nil }
        return SMTPSettings(host: host, port: environment["OPORA_SMTP_PORT"].flatMap(Int.init) ?? 25,
                            user: environment["OPORA_SMTP_USER"].flatMap { $0.isEmpty ? nil : $0 },
                            password: environment["OPORA_SMTP_PASSWORD"],
                            from: environment["OPORA_SMTP_FROM"] ?? "opora@localhost",
                            security: environment["OPORA_SMTP_SECURITY"].flatMap(SMTPSecurity.init(rawValue:)) ?? .starttls,
                            trustedCertificates: environment["OPORA_SMTP_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The TLS settings for this server: its certificate checked against the system's store or
    /// `trustedCertificates`, and its name against `host`.
    func tlsContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let trustedCertificates {
            configuration.trustRoots = .file(trustedCertificates)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The name sent to the server; an address such as 10.0.0.5 cannot be sent, and the certificate is then
    /// checked against the address itself.
    var tlsServerName: String? {
        host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." } ? nil : host
    }
}

public struct SMTPError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS (RFC 3207) or TLS from the start, AUTH PLAIN or LOGIN
/// when a user is set, MAIL FROM, RCPT TO, DATA (dot-stuffed), QUIT. One connection per message: messages are few,
/// and a failure touches only one. A password is never sent over a connection that is not encrypted unless
/// `security` is `.none`.
public struct SMTPClient: Sendable {
    public let settings: SMTPSettings
    let group: any EventLoopGroup

    public init(settings: SMTPSettings, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.settings = settings
        self.group = group
    }

    public func send(_ message: MailMessage, messageID: String, unsubscribe: String? = nil, date: Date = Date()) async throws {
        guard MailAddress.isValid(message.to), MailAddress.isValid(message.from) else { throw SMTPError("неверный адрес письма") }
        let data = MailEncoding.dotStuffed(MailEncoding.render(message, date: date, messageID: messageID, unsubscribe: unsubscribe))
        let settings = settings
        // Made before connecting, so an unreadable certificate file is a clear error rather than a dropped connection.
        let tls = settings.security == .none ? nil : try settings.tlsContext()
        let implicitTLS = settings.security == .tls ? tls : nil
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        let handler = try NIOSSLClientHandler(context: implicitTLS, serverHostname: settings.tlsServerName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        // A server that stops answering is cut off, which ends the conversation with an error.
        let deadline = channel.channel.eventLoop.scheduleTask(in: .milliseconds(Int64(settings.timeout * 1000))) {
            channel.channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        let nioChannel = channel.channel
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply() async throws -> (code: Int, lines: [String]) {
                var text: [String] = []
                while true {
                    guard let line = try await lines.next() else { throw SMTPError("сервер закрыл соединение") }
                    text.append(line)
                    let bytes = Array(line.utf8)
                    guard bytes.count >= 3, let code = Int(String(decoding: bytes.prefix(3), as: UTF8.self)) else {
                        throw SMTPError("непонятный ответ сервера: \(line.prefix(100))")
                    }
                    if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return (code, text) }
                }
            }
            func command(_ text: String?, expect: Set<Int>, shown: String? = nil) async throws -> [String] {
                if let text { try await outbound.write(ByteBuffer(string: text + "\r\n")) }
                let answer = try await reply()
                guard expect.contains(answer.code) else {
                    throw SMTPError("\(shown ?? text ?? "приветствие"): \(answer.lines.last ?? "")")
                }
                return answer.lines
            }
            _ = try await command(nil, expect: [220])
            var capabilities = try await command("EHLO \(Self.clientName)", expect: [250]).map { $0.uppercased() }
            var encrypted = settings.security == .tls
            if settings.security == .starttls, capabilities.contains(where: { $0.dropFirst(4).hasPrefix("STARTTLS") }) {
                _ = try await command("STARTTLS", expect: [220])
                if let tls {
                    try await nioChannel.eventLoop.submit {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: settings.tlsServerName)
                        try nioChannel.pipeline.syncOperations.addHandler(handler, position: .first)
                    }.get()
                }
                encrypted = true
                // RFC 3207: what the server said before TLS is forgotten; it is asked again over the encrypted line.
                capabilities = try await command("EHLO \(Self.clientName)", expect: [250]).map { $0.uppercased() }
            }
            if settings.user != nil, !encrypted, settings.security != .none {
                throw SMTPError("сервер \(settings.host) не предлагает STARTTLS: пароль открытым текстом не отправлен "
                                + "(OPORA_SMTP_SECURITY=tls для порта 465; none — только если так задумано)")
            }
            if let user = settings.user {
                let password = settings.password ?? ""
                let auth = capabilities.first { $0.dropFirst(4).hasPrefix("AUTH") } ?? ""
                if auth.contains("PLAIN") || !auth.contains("LOGIN") {
                    _ = try await command("AUTH PLAIN " + MailEncoding.authPlain(user: user, password: password), expect: [235],
                                          shown: "AUTH PLAIN")
                } else {
                    _ = try await command("AUTH LOGIN", expect: [334])
                    _ = try await command(Data(user.utf8).base64EncodedString(), expect: [334], shown: "AUTH LOGIN (имя)")
                    _ = try await command(Data(password.utf8).base64EncodedString(), expect: [235], shown: "AUTH LOGIN (пароль)")
                }
            }
            _ = try await command("MAIL FROM:<\(message.from)>", expect: [250])
            _ = try await command("RCPT TO:<\(message.to)>", expect: [250, 251])
            _ = try await command("DATA", expect: [354])
            _ = try await command(data + ".", expect: [250], shown: "DATA (текст письма)")
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
            _ = try? await reply()
        }
    }

    static let clientName = "opora.localdomain"
}

/// Splits the server's replies into lines (CRLF or LF); a line longer than 8 KiB is refused.
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 8_192 { throw SMTPError("слишком длинная строка ответа сервера") }
            return .needMoreData
        }
        var bytes = buffer.readBytes(length: end - buffer.readerIndex + 1) ?? []
        while let last = bytes.last, last == 10 || last == 13 { bytes.removeLast() }
        context.fireChannelRead(wrapInboundOut(String(decoding: bytes, as: UTF8.self)))
        return .continue
    }
}
