import Foundation
import Synchronization
import TetherPluginKit

/// Exports the plugin's descriptor (the one symbol this library exports).
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    PluginExport.entry(hostABI: hostABI, info: SignageWaveRebootPlugin.info, plugin: SignageWaveRebootPlugin.self)
}

/// A signage operator's workflow, written as a vendor would: only `TetherPluginKit`, only host
/// commands and events.
///
/// `signage.wave-reboot {tags, method?: AND|OR, waveSize, pauseSeconds, maxFailures, action?: 10,
/// reconnectTimeoutSeconds?: 300}` reboots the tagged displays in waves of `waveSize` (each wave
/// a fleet job, `jobs.create`), waits until every display of the wave has reconnected
/// (`device.connected` events, `tether.events/1`) or the reconnect timeout passed, pauses, and
/// goes on — unless the failures (refused resets, displays that did not come back) exceed
/// `maxFailures`, which stops the run. It answers at once with a `runId`;
/// `signage.wave-status {runId}` reports progress and `signage.wave-cancel {runId}` stops it
/// (the running wave's job is cancelled too).
final class SignageWaveRebootPlugin: TetherPlugin {
    static let info = PluginInfo(id: "com.example.signage-wave-reboot", name: "Signage wave reboot", version: "1.0.0")

    private let host: PluginHostConnection
    private let runs = Mutex<[String: WaveRun]>([:])

    init(host: PluginHostConnection, config: JSONValue) throws {
        self.host = host
    }

    var extensions: [String: JSONValue] {
        [
            "tether.commands/1": [
                "commands": [
                    ["name": "signage.wave-reboot", "summary": "Reboot tagged displays in waves {tags, method?, waveSize, pauseSeconds, maxFailures, action?, reconnectTimeoutSeconds?} → {runId,…}"],
                    ["name": "signage.wave-status", "summary": "Progress of a wave reboot {runId}"],
                    ["name": "signage.wave-cancel", "summary": "Cancel a wave reboot {runId}"],
                ]
            ],
            "tether.events/1": ["types": ["device.connected"], "queue": 20_000],
        ]
    }

    func handle(_ request: JSONValue) async throws -> JSONValue {
        switch request["op"]?.stringValue {
        case "event":
            let event = request["event"] ?? [:]
            if let guid = event["guid"]?.stringValue, let text = event["time"]?.stringValue, let time = Self.parseTime(text) {
                for run in runs.withLock({ Array($0.values) }) where run.status == .running { run.connected(guid, at: time) }
            }
            return [:]
        case "command":
            let args = request["args"] ?? [:]
            switch request["command"]?.stringValue {
            case "signage.wave-reboot": return try await start(args)
            case "signage.wave-status": return try run(args).json
            case "signage.wave-cancel":
                let run = try run(args)
                run.cancel()
                return run.json
            default: throw PluginError.unsupported("unknown command")
            }
        default:
            throw PluginError.unsupported("signage-wave-reboot answers commands and events")
        }
    }

    private func run(_ args: JSONValue) throws -> WaveRun {
        guard let id = args["runId"]?.stringValue, let run = runs.withLock({ $0[id] }) else {
            throw PluginError(status: -4, code: "not_found", message: "no wave reboot with that runId")
        }
        return run
    }

    private func start(_ args: JSONValue) async throws -> JSONValue {
        let parameters = try Self.parameters(args)
        let guids = try await devices(tags: parameters.tags, method: parameters.method)
        guard !guids.isEmpty else { throw PluginError.badRequest("no device has the tags \(parameters.tags)") }
        let run = WaveRun(id: UUID().uuidString.lowercased(), parameters: parameters)
        let waves = stride(from: 0, to: guids.count, by: parameters.waveSize).map { Array(guids[$0..<min($0 + parameters.waveSize, guids.count)]) }
        run.planned(total: guids.count, waves: waves.count)
        runs.withLock { runs in
            // Keep the last 100 runs (a running one is never dropped).
            if runs.count >= 100, let oldest = runs.values.filter({ $0.status != .running }).min(by: { $0.startedAt < $1.startedAt }) {
                runs.removeValue(forKey: oldest.id)
            }
            runs[run.id] = run
        }
        run.attach(Task { await self.execute(run, waves: waves) })
        host.log(.info, "wave reboot \(run.id): \(guids.count) displays in \(waves.count) waves of \(parameters.waveSize)")
        return run.json
    }

    private func execute(_ run: WaveRun, waves: [[String]]) async {
        for (index, wave) in waves.enumerated() {
            guard run.status == .running else { return }
            if index > 0 {
                try? await Task.sleep(for: run.parameters.pause)
                guard run.status == .running else { return }
            }
            run.beginWave(index + 1)
            do {
                try await reboot(wave, in: run)
            } catch {
                run.end(run.isCancelled ? .cancelled : .failed, reason: "wave \(index + 1): \(error)")
                return
            }
            if run.failureCount > run.parameters.maxFailures {
                run.end(.stopped, reason: "\(run.failureCount) failures passed maxFailures \(run.parameters.maxFailures) after wave \(index + 1)")
                host.log(.warning, "wave reboot \(run.id) stopped after wave \(index + 1): \(run.failureCount) failures")
                return
            }
        }
        run.end(.finished)
    }

    /// Resets one wave through a fleet job, then waits for its displays to reconnect.
    private func reboot(_ wave: [String], in run: WaveRun) async throws {
        let since = Date()
        let job = try await host.submit(
            "jobs.create",
            args: ["kind": "power.action", "action": run.parameters.action, "target": ["guids": .array(wave.map(JSONValue.string))], "concurrency": .number(wave.count)])
        guard let jobID = job["id"] else { throw PluginError.failure("jobs.create returned no id") }
        var finished = job
        while finished["status"]?.stringValue == "running" {
            if run.isCancelled {
                _ = try? await host.submit("jobs.cancel", args: ["id": jobID])
                throw CancellationError()
            }
            finished = try await host.submit("jobs.wait", args: ["id": jobID, "timeoutSeconds": 1])
        }
        let results = try await host.submit("jobs.get", args: ["id": jobID])["results"]?.arrayValue ?? []
        var accepted: [String] = []
        for result in results {
            guard let guid = result["guid"]?.stringValue else { continue }
            if result["status"] == "succeeded" {
                accepted.append(guid)
            } else {
                run.failed(guid, "reset failed: \(result["error"]?["message"]?.stringValue ?? result["status"]?.stringValue ?? "?")")
            }
        }
        run.expectReconnect(accepted, since: since)
        let deadline = ContinuousClock.now + run.parameters.reconnectTimeout
        while run.awaitingCount > 0, ContinuousClock.now < deadline {
            if run.isCancelled { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(100))
        }
        run.giveUpWaiting(after: run.parameters.reconnectTimeout)
    }

    /// The GUIDs of the devices with `tags`, in the host's order (by GUID), every page.
    private func devices(tags: [String], method: String) async throws -> [String] {
        var guids: [String] = []
        while true {
            let page = try await host.submit(
                "devices.list",
                args: ["tags": .string(tags.joined(separator: ",")), "method": .string(method), "$top": 100, "$skip": .number(guids.count), "$count": true])
            let items = page["data"]?.arrayValue ?? []
            guids += items.compactMap { $0["guid"]?.stringValue }
            if items.isEmpty || guids.count >= page["totalCount"]?.intValue ?? 0 { return guids }
        }
    }

    static func parameters(_ args: JSONValue) throws -> WaveRun.Parameters {
        guard let tags = args["tags"]?.arrayValue?.compactMap(\.stringValue), !tags.isEmpty else {
            throw PluginError.badRequest("'tags' must be a non-empty array of strings")
        }
        let method = args["method"]?.stringValue?.uppercased() ?? "OR"
        guard method == "AND" || method == "OR" else { throw PluginError.badRequest("'method' must be AND or OR") }
        guard let waveSize = args["waveSize"]?.intValue, (1...256).contains(waveSize) else {
            throw PluginError.badRequest("'waveSize' must be an integer in 1–256")
        }
        guard let pause = args["pauseSeconds"]?.doubleValue, pause >= 0, pause <= 3600 else {
            throw PluginError.badRequest("'pauseSeconds' must be a number in 0–3600")
        }
        guard let maxFailures = args["maxFailures"]?.intValue, maxFailures >= 0 else {
            throw PluginError.badRequest("'maxFailures' must be a non-negative integer")
        }
        let reconnect = args["reconnectTimeoutSeconds"]?.doubleValue ?? 300
        guard reconnect > 0, reconnect <= 3600 else { throw PluginError.badRequest("'reconnectTimeoutSeconds' must be in (0, 3600]") }
        return WaveRun.Parameters(
            tags: tags, method: method, waveSize: waveSize, pause: .milliseconds(Int64(pause * 1000)), maxFailures: maxFailures,
            action: args["action"] ?? 10, reconnectTimeout: .milliseconds(Int64(reconnect * 1000)))
    }

    static func parseTime(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
