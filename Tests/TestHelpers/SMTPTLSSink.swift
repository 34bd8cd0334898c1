import Foundation

/// A real SMTP server speaking TLS for the tests: Python's `ssl` on a free local port, with a certificate for
/// 127.0.0.1 made by `openssl` for this run. `starttls` offers STARTTLS, `implicit` is TLS from the first byte
/// (SMTPS), `plain` offers no TLS at all. Each message it accepts is written with whether the line was
/// encrypted when the password and the text came.
public final class SMTPTLSSink: @unchecked Sendable {
    public enum Mode: String, Sendable { case starttls, implicit, plain }

    public let port: Int
    public let folder: URL
    /// The PEM certificate the server presents (its own authority): what `OPORA_SMTP_CA_FILE` would name.
    public let certificate: String
    let process: Process

    static let script = """
    import base64, json, os, socket, ssl, sys, threading
    mode, folder, cert, key = sys.argv[1:5]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('127.0.0.1', 0))
    server.listen(16)
    print(server.getsockname()[1], flush=True)
    lock = threading.Lock()
    def handle(conn):
        tls = False
        try:
            if mode == 'implicit':
                conn = context.wrap_socket(conn, server_side=True)
                tls = True
            stream = conn.makefile('rwb')
            def send(line):
                stream.write((line + '\\r\\n').encode())
                stream.flush()
            send('220 sink ESMTP')
            record = {'auth': None, 'tls_at_auth': None, 'to': [], 'data': None, 'tls_at_data': None}
            while True:
                raw = stream.readline()
                if not raw:
                    break
                command = raw.decode('utf-8', 'replace').rstrip('\\r\\n')
                upper = command.upper()
                if upper.startswith('EHLO'):
                    lines = ['sink']
                    if mode == 'starttls' and not tls:
                        lines.append('STARTTLS')
                    lines.append('AUTH PLAIN LOGIN')
                    for i, line in enumerate(lines):
                        send(('250 ' if i == len(lines) - 1 else '250-') + line)
                elif upper == 'STARTTLS' and mode == 'starttls' and not tls:
                    send('220 go ahead')
                    stream.close()
                    conn = context.wrap_socket(conn, server_side=True)
                    tls = True
                    stream = conn.makefile('rwb')
                elif upper.startswith('AUTH PLAIN'):
                    record['auth'] = base64.b64decode(command.split()[2]).decode('utf-8', 'replace').split('\\0')[1:]
                    record['tls_at_auth'] = tls
                    send('235 2.7.0 ok')
                elif upper.startswith('MAIL FROM'):
                    send('250 ok')
                elif upper.startswith('RCPT TO'):
                    record['to'].append(command[8:].strip().strip('<>'))
                    send('250 ok')
                elif upper == 'DATA':
                    send('354 go on')
                    lines = []
                    while True:
                        line = stream.readline()
                        if line in (b'.\\r\\n', b'.\\n', b''):
                            break
                        lines.append(line.decode('utf-8', 'replace'))
                    record['data'] = ''.join(lines)
                    record['tls_at_data'] = tls
                    with lock:
                        n = len(os.listdir(folder))
                        with open(os.path.join(folder, '%04d.json' % n), 'w') as f:
                            json.dump(record, f)
                    send('250 queued')
                elif upper == 'QUIT':
                    send('221 bye')
                    break
                else:
                    send('502 not here')
        except Exception:
            pass
        finally:
            conn.close()
    while True:
        connection, _ = server.accept()
        threading.Thread(target=handle, args=(connection,), daemon=True).start()
    """

    /// Throws when `openssl` or `python3` is missing (`.ci/run` installs both).
    public init(_ mode: Mode) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-tls-\(UUID().uuidString)")
        let mail = folder.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: mail, withIntermediateDirectories: true)
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        let script = folder.appendingPathComponent("sink.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        (self.process, self.port) = try PythonServer.start(script, arguments: [mode.rawValue, mail.path, certificate, key])
        self.folder = mail
        self.certificate = certificate
    }

    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// What the server got: per message, the recipients, the login and password given (if any), the text, and
    /// whether the connection was encrypted when the password and when the text came.
    public func received() throws -> [[String: Any]] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map {
            let data = try Data(contentsOf: folder.appendingPathComponent($0))
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        }
    }
}
