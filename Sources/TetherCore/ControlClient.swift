import Foundation
import TetherJSON

#if canImport(Glibc)
import Glibc
#endif

/// A blocking client for the host's control socket (one request, one reply line). Used by the
/// CLI; blocks the calling thread, so never call it from the cooperative pool of a server.
public enum ControlClient {
    /// No host listens on the socket (not running, or a stale socket file): nothing was sent.
    public struct Unavailable: Error {}

    /// The host took the request but gave no complete answer within the time limit (or closed
    /// the connection): the command may or may not have run, so callers must not retry locally.
    public struct NoAnswer: Error, CustomStringConvertible {
        public let seconds: Int
        public var description: String { "the running host did not answer within \(seconds) s" }
    }

    /// Sends `{"command","args"}` and returns the reply `{"ok", "result" | "error"}`.
    public static func send(path: String, request: JSONValue, timeoutSeconds: Int = 300) throws -> JSONValue {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Unavailable() }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Unavailable() }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw Unavailable() }
        var limit = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var bytes = request.encodedBytes()
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Unavailable() }
            offset += written
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !reply.contains(UInt8(ascii: "\n")) {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            reply += chunk[0..<count]
        }
        guard let newline = reply.firstIndex(of: UInt8(ascii: "\n")) else { throw NoAnswer(seconds: timeoutSeconds) }
        return try JSONValue(parsing: reply[..<newline])
    }
}
