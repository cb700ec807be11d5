import Foundation
import TestSupport

/// A `mosquitto` broker started by the test on a loopback port, with persistence in a
/// temporary directory (so a subscriber's session survives a broker restart).
final class Mosquitto: @unchecked Sendable {
    // @unchecked: `process` is only touched by the test that owns the broker, sequentially.
    let port: Int
    let directory: URL
    private var process: SpawnedProcess?

    static let executable = "/usr/sbin/mosquitto"
    static let subscriber = "/usr/bin/mosquitto_sub"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    init(port: Int) throws {
        self.port = port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mosquitto-\(UUID().uuidString)")
        // Run as root, mosquitto drops to its own user: it must be able to write its sessions here.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        let config = """
            listener \(port) 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location \(directory.path)/
            autosave_interval 1
            log_dest stderr

            """
        try config.write(to: directory.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
    }

    /// Starts the broker and waits (bounded) until it accepts TCP connections.
    func start() async throws {
        let process = try SpawnedProcess(
            Self.executable, ["-c", directory.appendingPathComponent("mosquitto.conf").path], stdout: .null, stderr: .null)
        self.process = process
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if Self.accepts(port: port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("mosquitto did not listen on \(port)")
    }

    /// Kills the broker (SIGKILL: signals like SIGTERM may be blocked in children of the test
    /// runner) and waits until its port refuses connections. Sessions survive through the
    /// once-a-second autosave: wait `saved` before stopping a broker whose sessions matter.
    func stop() async {
        guard let process else { return }
        self.process = nil
        process.signal(SIGKILL)
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.accepts(port: port), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        _ = await process.exited()
    }

    /// Waits (bounded) until the broker's once-a-second autosave has written its database after now.
    func waitForAutosave() async throws {
        let file = directory.appendingPathComponent("mosquitto.db").path
        let since = Date()
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let written = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? nil
            if let written, written > since { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("mosquitto did not save its sessions to \(file)")
    }

    /// Creates a persistent QoS 1 session `clientID` subscribed to `topic`, then disconnects:
    /// the broker keeps what is published meanwhile for it.
    func createSession(clientID: String, topic: String) async throws {
        let output = try await ChildProcess.run(
            Self.subscriber, ["-h", "127.0.0.1", "-p", String(port), "-c", "-i", clientID, "-q", "1", "-t", topic, "-E"], timeout: .seconds(20))
        guard output.status == 0 else { throw TestSetupError("mosquitto_sub -E failed: \(output.stderr)") }
    }

    /// Receives `count` messages for session `clientID` (`topic payload` lines), at most `seconds`.
    func receive(clientID: String, topic: String, count: Int, seconds: Int = 30) async throws -> [String] {
        let output = try await ChildProcess.run(
            Self.subscriber,
            ["-h", "127.0.0.1", "-p", String(port), "-c", "-i", clientID, "-q", "1", "-t", topic, "-v", "-C", String(count), "-W", String(seconds)],
            timeout: .seconds(seconds + 10))
        return output.stdout.split(separator: "\n").map(String.init)
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
