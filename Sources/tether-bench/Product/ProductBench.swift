import AMTSimulator
import ArgumentParser
import Foundation
import NIOPosix

/// `tether-bench product`: the real product (`tether serve`, release, SQLite, bundled plugins,
/// REST front end) as a child process, driven from outside: TLS handshake rate against
/// `openssl s_server`, REST power actions and power-state reads at fixed (open-loop) rates with
/// host CPU per request, capacity (tunnels, memory per tunnel, idle CPU) and a reconnect storm.
struct ProductBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "product", abstract: "Benchmarks of `tether serve` itself (capacity, REST at fixed rates, handshakes).")

    @Option(help: "Idle tunnels to ramp up to (self-registered devices).")
    var devices = 1000

    @Option(help: "Devices per amtsim process (the fd limit is per process).")
    var perProcess = 6500

    @Option(help: "Connections per second per amtsim process while ramping (0 = as fast as possible).")
    var ramp: Double = 700

    @Option(help: "Seconds to let the tunnels settle before measuring memory and idle CPU.")
    var settle: Double = 10

    @Option(help: "Devices the REST load is spread over (connected first, before the capacity ramp).")
    var restDevices = 20

    @Option(help: "Fixed request rates (per second) for the REST load, comma-separated.")
    var rates = "100,1000"

    @Flag(help: "Also search for the highest rate whose p99 stays within --p99-target (and < 1 % errors).")
    var search = false

    @Option(help: "p99 latency target of the rate search, milliseconds.")
    var p99Target: Double = 10

    @Option(help: "Seconds per REST load step.")
    var stepSeconds: Double = 5

    @Option(help: "Keep-alive connections the REST load is pipelined over.")
    var connections = 32

    @Option(help: "Seconds per openssl s_time run (0 = skip the handshake comparison).")
    var handshakeSeconds = 5

    @Option(help: "Alternating rounds (host, then openssl s_server) per cipher; the report gives the median ratio.")
    var handshakeRounds = 3

    @Option(help: "Requests of each kind sent one after another on one connection for the latency of an idle host (0 = skip).")
    var serialRequests = 500

    @Option(help: "REST loads to run, comma-separated: read, action, version (the floor: no device).")
    var loads = "read,action,version"

    @Flag(help: "Skip the reconnect storm.")
    var noStorm = false

    @Option(help: "Write the report as PATH.md and PATH.json.")
    var report: String?

    private var fixedRates: [Double] {
        rates.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    func run() async throws {
        _ = FileDescriptorLimit.raiseToMaximum()
        var results = ProductReport(command: "swift run -c release tether-bench product " + CommandLine.arguments.dropFirst(2).joined(separator: " "))
        let host = try await ProductHost()
        let simulators = AMTSimProcesses(
            port: host.ciraPort,
            credentials: .init(
                username: ProductHost.ciraUser, password: ProductHost.ciraPassword, amtPassword: ProductHost.amtPassword,
                rootFile: nil))
        defer {
            simulators.kill()
            host.stop()
        }
        try await host.prepareSelfRegistration()

        if handshakeSeconds > 0 {
            for cipher in ["ECDHE-RSA-AES128-GCM-SHA256", "AES128-SHA256"] {
                note("handshakes with \(cipher)")
                results.handshakes.append(
                    try HandshakeRatio.measure(
                        hostPort: host.ciraPort, hostPID: host.pid, cipher: cipher, seconds: handshakeSeconds, rounds: handshakeRounds))
            }
        }

        // REST load on a few devices, before the capacity ramp.
        try simulators.spawn(devices: restDevices, perProcess: restDevices, ramp: 0)
        _ = try await waitConnected(host, restDevices, simulators)
        let guids = try await host.connectedGUIDs(limit: restDevices)
        guard !guids.isEmpty else { throw BenchError("no device connected for the REST load") }
        let group = MultiThreadedEventLoopGroup.singleton
        let kinds = try RESTLoadKind.parse(loads)
        let devicePID = simulators.children.first?.processIdentifier
        // The bare servers answer the floor's load too (same generator, same rates).
        let references = kinds.contains(.version) ? try HTTPReferenceServer.Server.allCases.map(HTTPReferenceProcess.init) : []
        defer { references.forEach { $0.stop() } }
        if serialRequests > 0 {
            for kind in kinds {
                let step = try await serialStep(
                    kind, server: Target(host), devicePID: kind.usesDevices ? devicePID : nil, guids: guids, group: group)
                results.serial.append(step)
                note("\(kind.rawValue), one at a time: p50 \(step.p50Ms) ms, p99 \(step.p99Ms) ms, errors \(step.errors)")
            }
            for reference in references {
                results.serial.append(try await serialStep(.version, server: Target(reference), devicePID: nil, guids: guids, group: group))
            }
        }
        for kind in kinds {
            var outcomes: [Double: Bool] = [:]
            func measure(_ rate: Double) async throws -> Bool {
                let step = try await restStep(
                    kind, rate: rate, server: Target(host), devicePID: kind.usesDevices ? devicePID : nil, guids: guids, group: group)
                results.rest.append(step)
                note("\(kind.rawValue) at \(Int(rate))/s: p50 \(step.p50Ms) ms, p99 \(step.p99Ms) ms, errors \(step.errors), CPU \(step.cpuMicrosPerRequest) µs/request")
                let within = step.p99Ms <= p99Target && step.errors * 100 <= step.scheduled
                outcomes[rate] = within
                return within
            }
            for rate in fixedRates {
                _ = try await measure(rate)
            }
            if search && kind.isSearched {
                results.highestRateWithinTarget[kind.rawValue] = try await RateSearch.highest(from: outcomes, measure: measure)
            }
        }

        for reference in references {
            for rate in fixedRates {
                let step = try await restStep(.version, rate: rate, server: Target(reference), devicePID: nil, guids: guids, group: group)
                results.rest.append(step)
                note("\(step.kind) at \(Int(rate))/s: p50 \(step.p50Ms) ms, CPU \(step.cpuMicrosPerRequest) µs/request")
            }
        }

        // Capacity: ramp up to --devices tunnels; memory per tunnel counts the ones added here.
        try await Task.sleep(for: .seconds(2))
        results.baselineRSS = ResidentMemory.bytes(pid: host.pid)
        results.baselineTunnels = try await host.connectedCount()
        let started = ContinuousClock.now
        if devices > restDevices {
            try simulators.spawn(devices: devices - restDevices, perProcess: perProcess, ramp: ramp)
        }
        let connected = try await waitConnected(host, devices, simulators)
        results.tunnels = connected
        results.connectSeconds = seconds(ContinuousClock.now - started)
        results.hostOpenFiles = ResidentMemory.openFiles(pid: host.pid)
        results.limit =
            connected >= devices
            ? "none: every device connected"
            : results.hostOpenFiles > 19_000
                ? "the host's file descriptors (\(results.hostOpenFiles) open of 20,000)"
                : "no progress for 60 s (handshake failures or timeouts; see the host's log)"
        try await Task.sleep(for: .milliseconds(Int64(settle * 1000)))
        results.loadedRSS = ResidentMemory.bytes(pid: host.pid)
        let cpuBefore = ResidentMemory.cpuTime(pid: host.pid)
        try await Task.sleep(for: .seconds(10))
        results.idleCPUPercent = seconds(ResidentMemory.cpuTime(pid: host.pid) - cpuBefore) * 10

        if !noStorm {
            note("reconnect storm: dropping every tunnel")
            simulators.kill()
            let dropDeadline = ContinuousClock.now + .seconds(180)
            while try await host.connectedCount() > 0, ContinuousClock.now < dropDeadline {
                try await Task.sleep(for: .milliseconds(250))
            }
            let stormStart = ContinuousClock.now
            try simulators.respawn()
            let back = try await waitConnected(host, connected, simulators)
            results.stormReconnected = back
            results.stormSeconds = seconds(ContinuousClock.now - stormStart)
        }

        let text = results.markdown(machine: BenchFleet.machine, p99Target: p99Target)
        print(text)
        if let report {
            try text.write(toFile: report + ".md", atomically: true, encoding: .utf8)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(results).write(to: URL(fileURLWithPath: report + ".json"))
        }
    }

    /// One open-loop step of `kind` at `rate` requests/s, with the server's CPU time per request.
    private func restStep(
        _ kind: RESTLoadKind, rate: Double, server: Target, devicePID: Int32?, guids: [String], group: MultiThreadedEventLoopGroup
    ) async throws -> ProductReport.RESTStep {
        try await measured(server.name ?? kind.rawValue, rate: rate, pid: server.pid, devicePID: devicePID) {
            try await OpenLoopLoad.run(
                port: server.port, token: server.token, rate: rate, duration: .milliseconds(Int64(stepSeconds * 1000)),
                connections: connections, group: group
            ) { index in kind.request(guid: guids[index % guids.count]) }
        }
    }

    /// `serialRequests` requests of `kind`, one after another on one connection.
    private func serialStep(
        _ kind: RESTLoadKind, server: Target, devicePID: Int32?, guids: [String], group: MultiThreadedEventLoopGroup
    ) async throws -> ProductReport.RESTStep {
        try await measured(server.name ?? kind.rawValue, rate: 0, pid: server.pid, devicePID: devicePID) {
            try await SerialLoad.run(port: server.port, token: server.token, count: serialRequests, group: group) { index in
                kind.request(guid: guids[index % guids.count])
            }
        }
    }

    /// The HTTP server a load step drives: the host, or the bare NIO reference (`name` set).
    struct Target {
        var port: Int
        var pid: Int32
        var token: String
        var name: String?

        init(_ host: ProductHost) {
            (port, pid, token, name) = (host.httpPort, host.pid, host.token, nil)
        }

        init(_ reference: HTTPReferenceProcess) {
            (port, pid, token, name) = (reference.port, reference.pid, "-", reference.server.reportKind)
        }
    }

    /// Runs `load` and summarises it with the CPU time (user and kernel) of the server `pid`
    /// per answer, and that of the `amtsim` process `devicePID` that plays the devices.
    private func measured(
        _ kind: String, rate: Double, pid: Int32, devicePID: Int32?, _ load: () async throws -> OpenLoopLoad.Result
    ) async throws -> ProductReport.RESTStep {
        let before = ResidentMemory.cpuTimes(pid: pid)
        let deviceBefore = devicePID.map { ResidentMemory.cpuTime(pid: $0) } ?? .zero
        let result = try await load()
        let after = ResidentMemory.cpuTimes(pid: pid)
        let deviceCPU = devicePID.map { ResidentMemory.cpuTime(pid: $0) - deviceBefore } ?? .zero
        func ms(_ duration: Duration) -> Double { (seconds(duration) * 10_000).rounded() / 10 }
        func perRequest(_ cpu: Duration) -> Int { result.completed > 0 ? Int(seconds(cpu) * 1e6 / Double(result.completed)) : 0 }
        return .init(
            kind: kind, rate: rate, scheduled: result.scheduled, completed: result.completed, errors: result.errors,
            statuses: Dictionary(uniqueKeysWithValues: result.statuses.map { (String($0.key), $0.value) }),
            p50Ms: ms(result.percentile(0.5)), p99Ms: ms(result.percentile(0.99)), maxMs: ms(result.latencies.last ?? .zero),
            cpuMicrosPerRequest: perRequest(after.user + after.system - before.user - before.system),
            kernelMicrosPerRequest: perRequest(after.system - before.system), deviceMicrosPerRequest: perRequest(deviceCPU))
    }

    /// Waits until `target` devices are connected or no progress was made for 60 s.
    private func waitConnected(_ host: ProductHost, _ target: Int, _ simulators: AMTSimProcesses) async throws -> Int {
        var best = 0
        var lastProgress = ContinuousClock.now
        while ContinuousClock.now - lastProgress < .seconds(60) && simulators.anyRunning {
            let count = try await host.connectedCount()
            if count >= target { return count }
            if count > best {
                best = count
                lastProgress = ContinuousClock.now
                note("\(count) of \(target) tunnels up")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        return best
    }
}

/// What the REST load sends.
enum RESTLoadKind: String, CaseIterable {
    case powerState = "power-state read"
    case powerAction = "power action (reset, code 10)"
    /// The floor under both: HTTP, the gateway's token check and one REST plugin crossing, no
    /// host command and no device. What a request costs before any AMT work.
    case version = "version read (no device: HTTP, token, REST plugin)"

    func request(guid: String) -> OpenLoopLoad.Request {
        switch self {
        case .powerState: .init(method: .GET, path: "/api/v1/amt/power/state/\(guid)")
        case .powerAction: .init(method: .POST, path: "/api/v1/amt/power/action/\(guid)", body: Array(#"{"action":10}"#.utf8))
        case .version: .init(method: .GET, path: "/api/v1/version")
        }
    }

    /// The name `--loads` gives it.
    var option: String {
        switch self {
        case .powerState: "read"
        case .powerAction: "action"
        case .version: "version"
        }
    }

    /// The kinds a `--loads` list names, in its order.
    static func parse(_ list: String) throws -> [RESTLoadKind] {
        try list.split(separator: ",").map { name in
            let name = name.trimmingCharacters(in: .whitespaces)
            guard let kind = allCases.first(where: { $0.option == name }) else {
                throw BenchError("unknown load '\(name)' in --loads; known: \(allCases.map(\.option).joined(separator: ", "))")
            }
            return kind
        }
    }

    /// Whether it reaches a device (the floor does not; its rows have no `amtsim` column).
    var usesDevices: Bool { self != .version }

    /// Whether the rate search probes this kind (the floor is measured at the fixed rates only).
    var isSearched: Bool { usesDevices }
}

/// The search for the highest rate whose p99 stays within the target: from the fixed rates'
/// outcomes it steps by 1.5× (up from the best rate that passed, or down from the lowest that
/// failed, to 10/s at least) until it has a passing rate and a failing one, then narrows that
/// bracket up to three times by its geometric mean. Every probe is a full load step.
enum RateSearch {
    static let lowest = 10.0

    static func highest(from outcomes: [Double: Bool], measure: (Double) async throws -> Bool) async throws -> Double {
        var good = outcomes.filter(\.value).keys.max()
        var bad = outcomes.filter { !$0.value && $0.key > (good ?? 0) }.keys.min()
        if good == nil {
            var rate = ((bad ?? 100) / 1.5).rounded()
            while good == nil && rate >= lowest {
                if try await measure(rate) { good = rate } else { bad = rate; rate = (rate / 1.5).rounded() }
            }
        }
        guard var good else { return 0 }
        if bad == nil {
            var rate = (good * 1.5).rounded()
            for _ in 0..<12 where bad == nil {
                if try await measure(rate) { good = rate; rate = (rate * 1.5).rounded() } else { bad = rate }
            }
        }
        for _ in 0..<3 {
            guard let upper = bad, upper / good > 1.1 else { break }
            let middle = (good * upper).squareRoot().rounded()
            if try await measure(middle) { good = middle } else { bad = middle }
        }
        return good
    }
}
