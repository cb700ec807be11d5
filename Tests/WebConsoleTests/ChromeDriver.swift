import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Debian's `chromedriver` (package chromium-driver) as a child process on a free loopback
/// port, driving Debian's headless `chromium`. Missing binaries fail the test: CI installs both.
final class ChromeDriver: Sendable {
    static let driverPath = "/usr/bin/chromedriver"
    static let browserPath = "/usr/bin/chromium"

    let port: Int
    let profileDirectory: String
    private let process: SpawnedProcess

    private init(port: Int, profileDirectory: String, process: SpawnedProcess) {
        self.port = port
        self.profileDirectory = profileDirectory
        self.process = process
    }

    /// Starts chromedriver and waits (at most 20 s) until it reports ready.
    static func start() async throws -> ChromeDriver {
        guard FileManager.default.isExecutableFile(atPath: driverPath), FileManager.default.isExecutableFile(atPath: browserPath) else {
            throw WebDriverError("headless browser tests need \(browserPath) and \(driverPath): apt-get install -y chromium chromium-driver (.ci/run does)")
        }
        let port = try freeLoopbackPort()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("tether-chromium-\(UUID().uuidString)").path
        let process = try SpawnedProcess(driverPath, ["--port=\(port)", "--allowed-ips=127.0.0.1"], stdout: .null, stderr: .null)
        let driver = ChromeDriver(port: port, profileDirectory: profile, process: process)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let status = try? await WebDriver.request("GET", URL(string: "http://127.0.0.1:\(port)/status")!, nil),
                status["ready"]?.boolValue == true
            {
                return driver
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        driver.stop()
        throw WebDriverError("chromedriver did not become ready on port \(port) within 20 s")
    }

    /// Opens a browser session (a fresh headless Chromium profile).
    func session(width: Int = 1100, height: Int = 760) async throws -> WebDriver {
        try await WebDriver.create(
            driver: URL(string: "http://127.0.0.1:\(port)")!, browser: Self.browserPath,
            arguments: [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-extensions", "--window-size=\(width),\(height)", "--user-data-dir=\(profileDirectory)-\(UUID().uuidString)",
            ])
    }

    /// SIGTERM, and SIGKILL if chromedriver is still there after 3 s (it can hang on a browser
    /// that stopped answering): a test never waits for it without bound.
    func stop() {
        guard process.isRunning else { return }
        process.signal(SIGTERM)
        if process.waitUntilExit(timeout: 3) == nil {
            process.signal(SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A port nothing listens on right now (bound and released; chromedriver binds it next).
    private static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebDriverError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw WebDriverError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
