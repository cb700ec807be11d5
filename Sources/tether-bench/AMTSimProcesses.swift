import Foundation

/// `amtsim` child processes (the binary next to this one) dialling a CIRA port: the device side
/// of every benchmark. Each process holds at most `perProcess` devices (about one file
/// descriptor each) and spreads them over its own block of loopback source addresses.
final class AMTSimProcesses {
    struct Credentials {
        var username: String
        var password: String
        var amtPassword: String
        /// PEM file of the root to verify the server against; nil = `--insecure`.
        var rootFile: URL?
    }

    private(set) var children: [Process] = []
    private let port: Int
    private let credentials: Credentials

    init(port: Int, credentials: Credentials) {
        self.port = port
        self.credentials = credentials
    }

    /// Process plans so far (seed/source-block index, device count), for `respawn`.
    private var plans: [(index: Int, count: Int, ramp: Double, extra: [String])] = []

    /// Starts `devices` more devices, `perProcess` per process, `ramp` connections/s each
    /// (0 = no ramp). Every process gets the next seed and source block, so devices never
    /// repeat, and `respawn` after `kill` brings back the same devices (same GUIDs) from the
    /// same addresses.
    func spawn(devices: Int, perProcess: Int, ramp: Double, extra: [String] = []) throws {
        var remaining = devices
        while remaining > 0 {
            let count = min(perProcess, remaining)
            plans.append((plans.count, count, ramp, extra))
            try launch(plans[plans.count - 1])
            remaining -= count
        }
    }

    /// Starts again every process `spawn` started (after `kill`).
    func respawn() throws {
        for plan in plans { try launch(plan) }
    }

    private func launch(_ plan: (index: Int, count: Int, ramp: Double, extra: [String])) throws {
        let amtsim = (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/amtsim"
        var arguments = [
            "--server", "127.0.0.1:\(port)", "--devices", "\(plan.count)", "--username", credentials.username,
            "--password", credentials.password, "--amt-password", credentials.amtPassword,
            "--common-name", "127.0.0.1", "--seed", "\(1000 + plan.index)", "--ramp", "\(plan.ramp)",
            "--source-ips", "127.0.\(plan.index + 1).1-127.0.\(plan.index + 1).200",
        ]
        if let root = credentials.rootFile { arguments += ["--root-cert", root.path] } else { arguments.append("--insecure") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: amtsim)
        process.arguments = arguments + plan.extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        children.append(process)
    }

    var anyRunning: Bool { children.contains(where: \.isRunning) }

    /// Ends every process at once (SIGKILL: the kernel closes their sockets, as a power cut
    /// or a network drop would look to the server after its keep-alive deadline) and waits.
    func kill() {
        for child in children where child.isRunning { Glibc.kill(child.processIdentifier, SIGKILL) }
        for child in children { child.waitUntilExit() }
        children.removeAll()
    }

    /// Asks every process to stop (SIGTERM) and waits.
    func stop() {
        for child in children where child.isRunning { child.terminate() }
        for child in children { child.waitUntilExit() }
        children.removeAll()
    }
}
