import Foundation
import TetherJSON

struct WebDriverError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A W3C WebDriver session over plain HTTP + JSON (no Selenium): navigation, elements,
/// script, cookies, alerts and screenshots, with bounded waits.
struct WebDriver: Sendable {
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"
    let session: URL

    static func create(driver: URL, browser: String, arguments: [String]) async throws -> WebDriver {
        let capabilities: JSONValue = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome", "unhandledPromptBehavior": "ignore",
                    "goog:chromeOptions": ["binary": .string(browser), "args": .array(arguments.map(JSONValue.string))],
                ]
            ]
        ]
        let reply = try await request("POST", driver.appendingPathComponent("session"), capabilities)
        guard let id = reply["sessionId"]?.stringValue else { throw WebDriverError("no session id in \(reply.jsonString)") }
        return WebDriver(session: driver.appendingPathComponent("session").appendingPathComponent(id))
    }

    /// One WebDriver command; returns `value`, throws the driver's error.
    @discardableResult
    static func request(_ method: String, _ url: URL, _ body: JSONValue?) async throws -> JSONValue {
        let reply = try await WebDriverHTTP.send(
            method: method, host: url.host ?? "127.0.0.1", port: url.port ?? 80, path: url.path, body: body?.encodedBytes())
        let json = (try? JSONValue(parsing: reply.body)) ?? .null
        let value = json["value"] ?? .null
        if reply.status >= 400 {
            throw WebDriverError("\(method) \(url.path): \(value["error"]?.stringValue ?? "HTTP \(reply.status)"): \(value["message"]?.stringValue?.prefix(300) ?? "")")
        }
        return value
    }

    @discardableResult
    func command(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await Self.request(method, path.isEmpty ? session : session.appendingPathComponent(path), method == "POST" ? (body ?? [:]) : body)
    }

    func quit() async { _ = try? await command("DELETE", "") }

    func open(_ url: String) async throws { try await command("POST", "url", ["url": .string(url)]) }

    /// Runs `script` (a function body) in the page and returns its value.
    @discardableResult
    func execute(_ script: String, _ args: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "execute/sync", ["script": .string(script), "args": .array(args)])
    }

    /// The element matching `css`, waiting for it at most `timeout`.
    func element(_ css: String, timeout: Duration = .seconds(15)) async throws -> Element {
        let deadline = ContinuousClock.now + timeout
        var lastError: Error?
        repeat {
            do {
                let value = try await command("POST", "element", ["using": "css selector", "value": .string(css)])
                if let id = value[Self.elementKey]?.stringValue { return Element(driver: self, id: id) }
            } catch { lastError = error }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        throw WebDriverError("no element \(css) within \(timeout): \(lastError.map { "\($0)" } ?? "")")
    }

    /// Waits until `script` returns true, at most `timeout`; fails with `what`.
    func waitUntil(_ what: String, timeout: Duration = .seconds(15), _ script: String) async throws {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if (try? await execute(script))?.boolValue == true { return }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        throw WebDriverError("timed out after \(timeout) waiting for \(what)")
    }

    /// Waits until the element `css` exists and its text contains `text`; returns the text.
    @discardableResult
    func waitForText(_ css: String, containing text: String, timeout: Duration = .seconds(15)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        repeat {
            if let value = try? await execute("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", [.string(css)]),
                let current = value.stringValue
            {
                last = current
                if current.contains(text) { return current }
            }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        throw WebDriverError("timed out waiting for \(css) to contain “\(text)”; it says “\(last.prefix(300))”")
    }

    func text(_ css: String) async throws -> String {
        try await execute("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", [.string(css)]).stringValue
            ?? { throw WebDriverError("no element \(css)") }()
    }

    /// The open alert/confirm/prompt's text, or nil when none is open.
    func alertText() async -> String? {
        try? await command("GET", "alert/text").stringValue
    }

    func addCookie(name: String, value: String, path: String = "/", httpOnly: Bool = true) async throws {
        try await command("POST", "cookie", ["cookie": ["name": .string(name), "value": .string(value), "path": .string(path), "httpOnly": .bool(httpOnly)]])
    }

    func cookies() async throws -> [JSONValue] { try await command("GET", "cookie").arrayValue ?? [] }

    /// Resizes the browser window.
    func resize(width: Int, height: Int) async throws {
        try await command("POST", "window/rect", ["width": .number(width), "height": .number(height)])
    }

    /// Saves a PNG of the viewport to `file`.
    func screenshot(to file: URL) async throws {
        let encoded = try await command("GET", "screenshot").stringValue ?? ""
        guard let data = Data(base64Encoded: encoded) else { throw WebDriverError("screenshot is not base64") }
        try data.write(to: file)
    }

    struct Element: Sendable {
        let driver: WebDriver
        let id: String

        func click() async throws { try await interacting { try await driver.command("POST", "element/\(id)/click") } }
        func clear() async throws { try await interacting { try await driver.command("POST", "element/\(id)/clear") } }
        func type(_ text: String) async throws {
            try await interacting { try await driver.command("POST", "element/\(id)/value", ["text": .string(text)]) }
        }

        /// Runs `action`, again while WebDriver says the element is "not interactable" (found,
        /// but not yet shown or enabled: a busy machine renders late), at most 10 s.
        private func interacting(_ action: () async throws -> JSONValue) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while true {
                do {
                    _ = try await action()
                    return
                } catch let error as WebDriverError where error.description.contains("not interactable") && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }
        func property(_ name: String) async throws -> JSONValue { try await driver.command("GET", "element/\(id)/property/\(name)") }
        func text() async throws -> String { try await driver.command("GET", "element/\(id)/text").stringValue ?? "" }

        /// Replaces the field's content with `text`.
        func fill(_ text: String) async throws {
            try await clear()
            if !text.isEmpty { try await type(text) }
        }
    }
}

extension WebDriver {
    func click(_ css: String) async throws { try await element(css).click() }
    func fill(_ css: String, _ text: String) async throws { try await element(css).fill(text) }

    /// Fills several fields, in order: `[(css, text)]`.
    func fill(_ fields: [(String, String)]) async throws {
        for (css, text) in fields { try await fill(css, text) }
    }

    /// Ids (or tag names) of visible form controls that have neither a `<label>` nor an `aria-label`.
    func unlabelledControls() async throws -> [String] {
        let script = """
            return Array.from(document.querySelectorAll('input, select, textarea, button'))
              .filter((e) => e.offsetParent !== null)
              .filter((e) => e.tagName === 'BUTTON' ? !(e.textContent.trim() || e.getAttribute('aria-label'))
                                                    : !((e.labels && e.labels.length) || e.getAttribute('aria-label')))
              .map((e) => e.id || e.tagName);
            """
        return try await execute(script).arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Fills the console's login form and submits it.
    func logIn(password: String) async throws {
        try await fill([("#login-username", "admin"), ("#login-password", password)])
        try await click("#login-submit")
    }
}
