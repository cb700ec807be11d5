import Foundation

/// TLS handshakes per second on a port, measured with `openssl s_time -new` (a fresh full
/// handshake per connection, one at a time), against the host's CIRA port and against
/// `openssl s_server` presenting a chain of the same shape (an RSA 2048 leaf and its RSA 2048
/// root), same client and cipher.
///
/// The two servers are measured in alternating rounds (host, reference, host, reference, …)
/// against one `s_server` process: on this shared 2-core machine a single `s_server` run varies
/// by 2× from minute to minute, so one pair of runs says little. The report gives the median
/// of the per-round ratios, and each server's CPU time per handshake (from /proc), which the
/// scheduling noise affects far less than the rate does.
enum HandshakeRatio {
    struct Round: Codable {
        var host: Double
        var opensslServer: Double
        var ratio: Double { opensslServer > 0 ? host / opensslServer : 0 }
    }

    struct Measurement: Codable {
        var cipher: String
        var rounds: [Round]
        /// Median handshakes/s of each server over the rounds.
        var host: Double
        var opensslServer: Double
        /// Median of the per-round ratios.
        var ratio: Double
        /// CPU time (user + system) per handshake over all rounds, microseconds.
        var hostCPUMicros: Int
        var opensslServerCPUMicros: Int
    }

    static func measure(hostPort: Int, hostPID: Int32, cipher: String, seconds: Int, rounds: Int) throws -> Measurement {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-sserver-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The same chain as the host's CIRA port sends: an RSA 2048 leaf for 127.0.0.1, then the
        // self-signed RSA 2048 root that issued it. (A lone self-signed certificate, as this
        // bench used before, is one certificate fewer for the client to parse and check.)
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let cert = path("cert.pem"), key = path("key.pem"), root = path("root.pem")
        _ = try run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("root.key"), "-out", root, "-days", "1",
            "-subj", "/O=Tether/CN=Bench Root", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        _ = try run("/usr/bin/openssl", [
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", path("leaf.csr"), "-subj", "/O=Tether/CN=127.0.0.1",
        ])
        try "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n"
            .write(toFile: path("leaf.ext"), atomically: true, encoding: .utf8)
        _ = try run("/usr/bin/openssl", [
            "x509", "-req", "-in", path("leaf.csr"), "-CA", root, "-CAkey", path("root.key"), "-CAcreateserial",
            "-out", cert, "-days", "1", "-sha256", "-extfile", path("leaf.ext"),
        ])
        // s_server occasionally fails to come up on a loaded machine (seen: refused connections
        // after 15 s of polling): try a fresh port up to three times before giving up.
        var reference: ReferenceServer?
        var lastError: Error?
        for _ in 0..<3 where reference == nil {
            do { reference = try ReferenceServer(cert: cert, chain: root, key: key, cipher: cipher) } catch { lastError = error }
        }
        guard let reference else { throw lastError ?? BenchError("openssl s_server did not start") }
        defer { reference.stop() }

        var measured: [Round] = []
        var hostTotal = Counted(), referenceTotal = Counted()
        for _ in 0..<max(1, rounds) {
            let host = try sTime(port: hostPort, pid: hostPID, cipher: cipher, seconds: seconds)
            let other = try sTime(port: reference.port, pid: reference.pid, cipher: cipher, seconds: seconds)
            hostTotal.add(host)
            referenceTotal.add(other)
            measured.append(Round(host: host.rate, opensslServer: other.rate))
        }
        return Measurement(
            cipher: cipher, rounds: measured, host: median(measured.map(\.host)),
            opensslServer: median(measured.map(\.opensslServer)), ratio: median(measured.map(\.ratio)),
            hostCPUMicros: hostTotal.cpuMicrosPerHandshake, opensslServerCPUMicros: referenceTotal.cpuMicrosPerHandshake)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// One `s_time` run: its rate and the server's CPU time during it.
    private struct Run {
        var handshakes: Int
        var rate: Double
        var serverCPU: Duration
    }

    private struct Counted {
        var handshakes = 0
        var cpu = Duration.zero
        mutating func add(_ run: Run) {
            handshakes += run.handshakes
            cpu += run.serverCPU
        }
        var cpuMicrosPerHandshake: Int { handshakes > 0 ? Int(seconds(cpu) * 1e6 / Double(handshakes)) : 0 }
    }

    /// A running `openssl s_server` with `cert`/`key`, listening.
    private final class ReferenceServer {
        let process = Process()
        let port: Int
        var pid: Int32 { process.processIdentifier }

        init(cert: String, chain: String, key: String, cipher: String) throws {
            port = try FreePort.find()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = [
                "s_server", "-accept", "\(port)", "-cert", cert, "-cert_chain", chain, "-key", key, "-cipher", cipher, "-quiet",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = Pipe()
            try process.run()
            // s_server takes a moment to listen (longer on a loaded machine): poll, at most 15 s.
            let listening = Date(timeIntervalSinceNow: 15)
            while !accepts(port: port) && Date() < listening { Thread.sleep(forTimeInterval: 0.05) }
            guard accepts(port: port) else {
                stop()
                throw BenchError("openssl s_server did not listen on \(port) within 15 s")
            }
        }

        func stop() {
            // s_server does not always exit on SIGTERM while a client is mid-handshake.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Handshakes per real second that `openssl s_time -new` reached against `port`, and the
    /// CPU time the server `pid` used meanwhile.
    private static func sTime(port: Int, pid: Int32, cipher: String, seconds: Int) throws -> Run {
        let before = ResidentMemory.cpuTime(pid: pid)
        let output = try run("/usr/bin/openssl", [
            "s_time", "-connect", "127.0.0.1:\(port)", "-new", "-time", "\(seconds)", "-cipher", cipher, "-tls1_2",
        ])
        let cpu = ResidentMemory.cpuTime(pid: pid) - before
        // "1234 connections in 5 real seconds, 104 bytes read per connection"
        for line in output.split(separator: "\n") where line.contains("connections in") && line.contains("real seconds") {
            let words = line.split(separator: " ")
            if let count = Int(words[0]), let index = words.firstIndex(of: "in"), index + 1 < words.count,
                let elapsed = Double(words[index + 1]), elapsed > 0
            {
                return Run(handshakes: count, rate: Double(count) / elapsed, serverCPU: cpu)
            }
        }
        throw BenchError("openssl s_time gave no result: \(output)")
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
