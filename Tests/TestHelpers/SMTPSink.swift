import Foundation

/// A real SMTP server for the tests: Python's `smtpd` (3.11) on a free local port, writing each message it accepts to
/// a folder. In `failing` mode it answers every message with «451» (a temporary failure), so the sender must retry.
public final class SMTPSink: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    let process: Process

    static let script = """
    import asyncore, json, os, smtpd, sys, warnings
    warnings.simplefilter('ignore')
    mode, folder, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    class Sink(smtpd.SMTPServer):
        def process_message(self, peer, mailfrom, rcpttos, data, **kw):
            if mode == 'failing':
                return '451 4.3.0 Try again later'
            n = len(os.listdir(folder))
            with open(os.path.join(folder, '%04d.json' % n), 'w') as f:
                json.dump({'from': mailfrom, 'to': rcpttos, 'data': data.decode('utf-8')}, f)
    server = Sink(('127.0.0.1', port), None, decode_data=False)
    print(server.socket.getsockname()[1], flush=True)
    asyncore.loop(timeout=0.2)
    """

    public init(failing: Bool = false, port: Int = 0, folder: URL? = nil) throws {
        let folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.deletingLastPathComponent().appendingPathComponent("smtp-sink-\(UUID().uuidString).py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        (self.process, self.port) = try PythonServer.start(script, arguments: [failing ? "failing" : "ok", folder.path, String(port)])
        self.folder = folder
    }

    /// SIGKILL: a child of the test process inherits its ignored SIGTERM.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// The messages received so far, in order.
    public func received() throws -> [SentMail] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            return SentMail(from: object["from"] as? String ?? "", to: object["to"] as? [String] ?? [],
                            raw: object["data"] as? String ?? "")
        }
    }
}

/// A message as the sink got it, with the subject's encoded words and the base64 body decoded.
public struct SentMail: Sendable {
    public let from: String
    public let to: [String]
    public let raw: String

    public var headers: [String: String] {
        let head = raw.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").first ?? ""
        var result: [String: String] = [:], last: String?
        for line in head.components(separatedBy: "\n") {
            if line.hasPrefix(" "), let key = last { result[key, default: ""] += line; continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon]).lowercased()
            result[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            last = key
        }
        return result
    }

    public var subject: String {
        let words = (headers["subject"] ?? "").split(separator: " ").map(String.init)
        return words.map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return word }
            let payload = String(word.dropFirst(10).dropLast(2))
            return Data(base64Encoded: payload).map { String(decoding: $0, as: UTF8.self) } ?? word
        }.joined()
    }

    public var body: String {
        let parts = raw.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        let encoded = parts.dropFirst().joined(separator: "\n\n")
        return Data(base64Encoded: encoded, options: .ignoreUnknownCharacters).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// A test server written in Python: started with its arguments, it prints the port it listens on as its first line.
enum PythonServer {
    static func start(_ script: URL, arguments: [String]) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadUnknown)
        }
        return (process, port)
    }
}
