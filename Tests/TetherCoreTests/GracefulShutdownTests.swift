import Foundation
import PluginHost
import Testing
import TestSupport
import TetherJSON

/// SIGTERM to a running `tether serve` while a slow power action (through the control socket)
/// and a slow HTTP request (through the REST front end) are in flight: both complete, the
/// process exits 0 within the drain deadline, and nothing is logged as cut or lost.
@Suite(.serialized) struct GracefulShutdownTests {
    static var directory: String { PluginSearchPath.executableDirectory }
    static let adminPassword = "Drain-Admin-P@ss1"
    /// Every WS-Man answer of the simulated device takes this long.
    static let wsmanDelay = 1.5
    static let drainSeconds = 20.0

    /// The JSON log lines of `output` (other lines are skipped).
    private func logLines(_ output: String) -> [JSONValue] {
        output.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
    }

    private func metadata(_ output: String, message: String, key: String) -> String? {
        logLines(output).first { $0["message"]?.stringValue == message }?["metadata"]?[key]?.stringValue
    }

    /// A running `tether serve --demo` (JSON logs, the drain deadline above) with one simulated
    /// device whose every WS-Man answer takes `delay` seconds, and a REST token.
    private struct Running {
        let host: BackgroundProcess
        let device: BackgroundProcess
        let dataDirectory: String
        let control: String
        let guid: String
        let api: String
        let token: String
    }

    private func start(delay: Double) async throws -> Running {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tether-drain-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let config = dir + "/tether.json"
        try Data(
            #"{"shutdownDrainSeconds": \#(Self.drainSeconds), "logFormat": "json", "ciraBind": "127.0.0.1", "adminPassword": "\#(Self.adminPassword)"}"#
                .utf8
        ).write(to: URL(fileURLWithPath: config))
        let host = try BackgroundProcess(
            Self.directory + "/tether",
            ["serve", "--demo", "--config", config, "--data-dir", dir + "/data", "--cira-port", "0", "--http-port", "0"])
        #expect(await host.waitForOutput(containing: "demo ready"), "output: \(host.output)")
        let ciraPort = try #require(metadata(host.output, message: "demo ready: devices may register themselves", key: "ciraPort"))
        let httpPort = try #require(metadata(host.output, message: "http listening", key: "port"))
        let device = try BackgroundProcess(
            Self.directory + "/amtsim",
            [
                "--server", "127.0.0.1:\(ciraPort)", "--devices", "1", "--username", "standalone", "--password", "G@ppm0ym",
                "--amt-password", "Demo-P@ssw0rd1", "--insecure", "--control-port", "0", "--slow-fraction", "1",
                "--slow-delay", String(delay), "--no-reconnect",
            ])
        #expect(await host.waitForOutput(containing: "\"message\":\"device connected\""), "output: \(host.output)")
        #expect(await device.waitForOutput(containing: "control endpoint: "))
        let control = try #require(device.output.split(separator: "\n").first { $0.hasPrefix("control endpoint: ") })
            .dropFirst("control endpoint: ".count)
        let guid = try await deviceGUID(control: String(control))
        let api = "http://127.0.0.1:\(httpPort)/api/v1"
        return Running(
            host: host, device: device, dataDirectory: dir + "/data", control: String(control), guid: guid, api: api,
            token: try await login(api))
    }

    @Test func sigtermDrainsInFlightPowerActionAndHTTPRequest() async throws {
        let running = try await start(delay: Self.wsmanDelay)
        let (host, guid, api, token, control) = (running.host, running.guid, running.api, running.token, running.control)
        defer { running.device.signal(SIGKILL) }
        let dir = running.dataDirectory

        // The power action (3 WS-Man calls) through the control socket, the power state (2 calls)
        // through HTTP; both start now and each call takes `wsmanDelay`.
        async let power = ChildProcess.run(Self.directory + "/tether", ["power", guid, "power-off", "--data-dir", dir])
        async let state = ChildProcess.run(
            "/usr/bin/curl", ["-s", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(token)", "\(api)/amt/power/state/\(guid)"])
        // Both are in flight once the device has answered the first call of each.
        let inFlight = try await waitForCalls(control: control, guid: guid) { calls in
            calls.contains { $0.contains("AMT_BootSettingData") } && calls.contains { $0.contains("CIM_ServiceAvailableToElement") }
        }
        #expect(inFlight, "the two requests never reached the device")
        let signalled = ContinuousClock.now
        host.signal(SIGTERM)

        let powerResult = try await power
        let stateResult = try await state
        let exit = await host.waitForExit()
        let elapsed = ContinuousClock.now - signalled
        #expect(powerResult.status == 0, "power: \(powerResult.stdout) \(powerResult.stderr)")
        #expect(powerResult.stdout.contains("\"returnValue\":0"), "power: \(powerResult.stdout)")
        #expect(stateResult.stdout.hasSuffix("\n200"), "state: \(stateResult.stdout)")
        #expect(stateResult.stdout.contains("\"powerstate\""), "state: \(stateResult.stdout)")
        #expect(exit.status == 0 && exit.reason == .exit, "exit \(exit)")
        #expect(elapsed < .seconds(Self.drainSeconds), "took \(elapsed)")
        let output = host.output
        for lost in ["were cut", "still running at the shutdown deadline", "did not close in time", "could not record"] {
            #expect(!output.contains(lost), "logged '\(lost)': \(output)")
        }
        #expect(output.contains("\"message\":\"host stopped\""))
    }

    /// A second SIGTERM during the drain stops the process at once (status 128 + 15), without
    /// waiting for the power action still running.
    @Test func secondSignalStopsAtOnce() async throws {
        let running = try await start(delay: 4)
        defer { running.device.signal(SIGKILL) }
        async let power = ChildProcess.run(
            Self.directory + "/tether", ["power", running.guid, "power-off", "--data-dir", running.dataDirectory])
        #expect(try await waitForCalls(control: running.control, guid: running.guid) { $0.contains { $0.contains("AMT_BootSettingData") } })
        running.host.signal(SIGTERM)
        #expect(await running.host.waitForOutput(containing: "\"message\":\"shutting down\""))
        let second = ContinuousClock.now
        running.host.signal(SIGTERM)
        let exit = await running.host.waitForExit()
        let elapsed = ContinuousClock.now - second
        #expect(exit.status == 128 + SIGTERM && exit.reason == .exit, "exit \(exit)")
        // Two more 4 s WS-Man calls were pending: the process did not wait for them.
        #expect(elapsed < .seconds(4), "took \(elapsed)")
        #expect(running.host.output.contains("second signal during shutdown"))
        #expect(try await power.status != 0)
    }

    private func deviceGUID(control: String) async throws -> String {
        let list = try await ChildProcess.run("/usr/bin/curl", ["-s", control])
        let devices = try JSONValue(parsing: list.stdout)
        return try #require(devices.arrayValue?.first?["guid"]?.stringValue, "devices: \(list.stdout)")
    }

    private func login(_ api: String) async throws -> String {
        let reply = try await ChildProcess.run(
            "/usr/bin/curl",
            ["-s", "-X", "POST", "\(api)/authorize", "-H", "Content-Type: application/json",
             "-d", #"{"username":"admin","password":"\#(Self.adminPassword)"}"#])
        return try #require(try JSONValue(parsing: reply.stdout)["token"]?.stringValue, "authorize: \(reply.stdout)")
    }

    /// Polls the simulator's call log (its own control endpoint) until `done` holds for the
    /// list of calls, at most 60 s.
    private func waitForCalls(control: String, guid: String, _ done: ([String]) -> Bool) async throws -> Bool {
        let url = control.replacingOccurrences(of: "/devices", with: "/devices/\(guid)")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let reply = try await ChildProcess.run("/usr/bin/curl", ["-s", url])
            let calls = (try? JSONValue(parsing: reply.stdout))?["calls"]?.arrayValue?.map(\.jsonString) ?? []
            if done(calls) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
