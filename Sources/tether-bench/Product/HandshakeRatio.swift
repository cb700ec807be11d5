import Foundation

/// TLS handshakes per second on a port, measured with `openssl s_time -new` (a fresh full
/// handshake per connection, one at a time), against the host's CIRA port and against
/// `openssl s_server` with a certificate of the same kind (RSA 2048), same client and cipher.
enum HandshakeRatio {
    struct Measurement: Codable {
        var cipher: String
        var host: Double
        var opensslServer: Double
        var ratio: Double { opensslServer > 0 ? host / opensslServer : 0 }
    }

    static func measure(hostPort: Int, cipher: String, seconds: Int) throws -> Measurement {
        let host = try sTime(port: hostPort, cipher: cipher, seconds: seconds)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-sserver-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
        _ = try run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
        ])
        // s_server occasionally fails to come up on a loaded machine (seen: refused connections
        // after 15 s of polling): try a fresh port up to three times before giving up.
        var reference: Double?
        var lastError: Error?
        for _ in 0..<3 where reference == nil {
            do {
                reference = try referenceRate(cert: cert, key: key, cipher: cipher, seconds: seconds)
            } catch {
                lastError = error
            }
        }
        guard let reference else { throw lastError ?? BenchError("openssl s_server did not start") }
        return Measurement(cipher: cipher, host: host, opensslServer: reference)
    }

    /// Handshakes per second against a fresh `openssl s_server` with `cert`/`key`.
    private static func referenceRate(cert: String, key: String, cipher: String, seconds: Int) throws -> Double {
        let port = try FreePort.find()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "\(port)", "-cert", cert, "-key", key, "-cipher", cipher, "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        server.standardInput = Pipe()
        try server.run()
        defer {
            // s_server does not always exit on SIGTERM while a client is mid-handshake.
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        // s_server takes a moment to listen (longer on a loaded machine): poll, at most 15 s.
        let listening = Date(timeIntervalSinceNow: 15)
        while !accepts(port: port) && Date() < listening { Thread.sleep(forTimeInterval: 0.05) }
        return try sTime(port: port, cipher: cipher, seconds: seconds)
    }

    /// Handshakes per real second that `openssl s_time -new` reached against `port`.
    private static func sTime(port: Int, cipher: String, seconds: Int) throws -> Double {
        let output = try run("/usr/bin/openssl", [
            "s_time", "-connect", "127.0.0.1:\(port)", "-new", "-time", "\(seconds)", "-cipher", cipher, "-tls1_2",
        ])
        // "1234 connections in 5 real seconds, 104 bytes read per connection"
        for line in output.split(separator: "\n") where line.contains("connections in") && line.contains("real seconds") {
            let words = line.split(separator: " ")
            if let count = Double(words[0]), let index = words.firstIndex(of: "in"), index + 1 < words.count,
                let elapsed = Double(words[index + 1]), elapsed > 0
            {
                return count / elapsed
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
