import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Headless Chromium driven through `chromedriver` (W3C WebDriver: JSON over HTTP). Found on PATH or in the
/// usual Debian places; `WebDriver.available` says whether this machine can run the browser tests.
public final class WebDriver: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    let process: Process
    let client: HTTPClient
    let base: String
    let session: String

    public static var chromium: String? { find(["chromium", "chromium-browser", "google-chrome"]) }
    public static var chromedriver: String? { find(["chromedriver"]) }
    public static var available: Bool { chromium != nil && chromedriver != nil }

    static func find(_ names: [String]) -> String? {
        let paths =
            (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/lib/chromium"]
        for name in names {
            for folder in paths where FileManager.default.isExecutableFile(atPath: folder + "/" + name) { return folder + "/" + name }
        }
        return nil
    }

    public static func start() async throws -> WebDriver {
        guard let driver = chromedriver, let browser = chromium else {
            throw Failure(description: "chromium or chromedriver is not installed")
        }
        let port = try LiveServer.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: driver)
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let base = "http://127.0.0.1:\(port)"
        do {
            var ready = false
            for _ in 0..<100 {
                if let status = try? await call(client, "GET", base + "/status", nil),
                    (status["value"] as? [String: Any])?["ready"] as? Bool == true
                {
                    ready = true
                    break
                }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            guard ready else { throw Failure(description: "chromedriver did not start") }
            let profile = FileManager.default.temporaryDirectory.appendingPathComponent("opora-chromium-\(UUID().uuidString)").path
            let capabilities: [String: Any] = [
                "capabilities": [
                    "alwaysMatch": [
                        "browserName": "chrome",
                        "goog:chromeOptions": [
                            "binary": browser,
                            "args": [
                                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                                "--window-size=1280,1000", "--lang=ru-RU", "--user-data-dir=\(profile)",
                            ],
                        ],
                    ]
                ]
            ]
            let created = try await call(client, "POST", base + "/session", capabilities)
            guard let value = created["value"] as? [String: Any], let session = value["sessionId"] as? String else {
                throw Failure(description: "no browser session: \(created)")
            }
            return WebDriver(process: process, client: client, base: base, session: session)
        } catch {
            try? await client.shutdown()
            stop(process)
            throw error
        }
    }

    init(process: Process, client: HTTPClient, base: String, session: String) {
        self.process = process
        self.client = client
        self.base = base
        self.session = session
    }

    public func quit() async {
        _ = try? await Self.call(client, "DELETE", "\(base)/session/\(session)", nil)
        try? await client.shutdown()
        Self.stop(process)
    }

    /// chromedriver does not always exit on SIGTERM: ask, wait a little, then insist.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    @discardableResult
    static func call(_ client: HTTPClient, _ method: String, _ url: String, _ body: [String: Any]?) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        if let body { request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        if response.status.code >= 400 { throw Failure(description: "\(method) \(url): \(json["value"] ?? response.status)") }
        return json
    }

    @discardableResult
    func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        try await Self.call(client, method, "\(base)/session/\(session)\(path)", body)["value"]
    }

    public func open(_ url: String) async throws { try await command("POST", "/url", ["url": url]) }

    public var source: String { get async throws { (try await command("GET", "/source") as? String) ?? "" } }
    public var title: String { get async throws { (try await command("GET", "/title") as? String) ?? "" } }
    public var url: String { get async throws { (try await command("GET", "/url") as? String) ?? "" } }

    /// The first element matching a CSS selector.
    public func element(_ selector: String) async throws -> String {
        let value = try await command("POST", "/element", ["using": "css selector", "value": selector]) as? [String: Any]
        guard let id = value?[Self.elementKey] as? String else {
            throw Failure(
                description: "no element \(selector) at \(try await url): \(String(describing: value))\n\(try await source.prefix(2000))")
        }
        return id
    }

    public func elements(_ selector: String) async throws -> [String] {
        let values = try await command("POST", "/elements", ["using": "css selector", "value": selector]) as? [[String: Any]] ?? []
        return values.compactMap { $0[Self.elementKey] as? String }
    }

    public func type(_ selector: String, _ text: String) async throws {
        let id = try await element(selector)
        try await command("POST", "/element/\(id)/clear", [:])
        try await command("POST", "/element/\(id)/value", ["text": text])
    }

    /// Chooses a file for an `<input type="file">` as a user picking it would.
    public func choose(_ selector: String, file: String) async throws {
        try await command("POST", "/element/\(try await element(selector))/value", ["text": file])
    }

    public func click(_ selector: String) async throws {
        try await command("POST", "/element/\(try await element(selector))/click", [:])
    }

    /// The visible text of an element.
    public func text(_ selector: String) async throws -> String {
        (try await command("GET", "/element/\(try await element(selector))/text") as? String) ?? ""
    }

    /// Runs JavaScript in the page and returns its value (numbers come back as NSNumber).
    @discardableResult
    public func execute(_ script: String) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": script, "args": [Any]()])
    }

    /// Makes the page a phone's: `width` CSS pixels wide, touch, the page's viewport meta honoured (Chrome's device
    /// emulation through chromedriver's DevTools command; a desktop window cannot be made this narrow).
    public func emulatePhone(width: Int = 390, height: Int = 844) async throws {
        try await cdp("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 3, "mobile": true])
        try await cdp("Emulation.setTouchEmulationEnabled", ["enabled": true])
    }

    /// A Chrome DevTools command (`Emulation.setEmulatedMedia` with `media: print` shows the page as printed).
    @discardableResult
    public func cdp(_ command: String, _ parameters: [String: Any]) async throws -> Any? {
        try await self.command("POST", "/goog/cdp/execute", ["cmd": command, "params": parameters])
    }

    /// Waits until the page holds `text` (a navigation after a click is not instantaneous).
    public func waitFor(_ text: String, seconds: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await source.contains(text) { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw Failure(description: "the page never showed «\(text)»; it shows:\n\(try await source.prefix(3000))")
    }
}
