import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for chromedriver on loopback. URLSession (libcurl) refuses
/// chromedriver's header lines (`Content-Length:252`, no space: "Failed writing header"), so
/// requests go over a plain socket: one connection per request (`Connection: close`), read on
/// a dedicated thread so the cooperative pool never blocks, with a 60 s receive timeout.
enum WebDriverHTTP {
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
    }

    static func send(method: String, host: String, port: Int, path: String, body: [UInt8]?) async throws -> Reply {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Reply, Error>) in
            Thread {
                continuation.resume(with: Result { try exchange(method: method, host: host, port: port, path: path, body: body) })
            }.start()
        }
    }

    private static func exchange(method: String, host: String, port: Int, path: String, body: [UInt8]?) throws -> Reply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebDriverError("socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw WebDriverError("cannot connect to \(host):\(port): errno \(errno)") }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nAccept: application/json\r\n"
        if let body { request += "Content-Type: application/json; charset=utf-8\r\nContent-Length: \(body.count)\r\n" }
        let bytes = Array((request + "\r\n").utf8) + (body ?? [])
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw WebDriverError("write to chromedriver failed: errno \(errno)") }
            sent += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else { throw WebDriverError("read from chromedriver failed or timed out: errno \(errno)") }
            received.append(contentsOf: buffer[0..<count])
            if let reply = parse(received) { return reply }
        }
        guard let reply = parse(received, complete: true) else { throw WebDriverError("chromedriver sent an incomplete reply") }
        return reply
    }

    /// The reply once the head and `Content-Length` bytes of body are in; `complete` accepts
    /// a body ended by the connection closing.
    private static func parse(_ data: [UInt8], complete: Bool = false) -> Reply? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = data.indices.dropLast(3).first(where: { Array(data[$0..<$0 + 4]) == separator }) else { return nil }
        let head = String(decoding: data[..<end], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var length: Int?
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        let body = Array(data[(end + 4)...])
        if let length {
            return body.count >= length ? Reply(status: status, body: Array(body.prefix(length))) : nil
        }
        return complete ? Reply(status: status, body: body) : nil
    }
}
