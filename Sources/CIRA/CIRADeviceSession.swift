import APF
import Foundation
import NIOCore
import Synchronization

/// One authenticated CIRA tunnel: the device behind it and the way to open channels to it.
/// Thread-safe; outlives its connection (then every operation fails with `.closed`).
public final class CIRADeviceSession: Sendable, CustomStringConvertible {
    /// Lower-case device GUID.
    public let guid: String
    /// The MPS username the device authenticated with.
    public let username: String
    public let remoteAddress: String
    /// The negotiated TLS protocol and cipher, e.g. `TLSv1.2 AES128-SHA256`.
    public let tls: String
    /// Unique per connection: stale close events of a replaced connection are recognisable.
    public let sessionID: String
    public let connectedAt: Date

    private let connection: CIRAConnectionReference
    private let mutable = Mutex<(lastSeen: Date, ports: Set<UInt32>, closed: Bool)>((Date(), [], false))

    init(guid: String, username: String, remoteAddress: String, tls: String, connection: CIRAConnectionReference) {
        self.guid = guid
        self.username = username
        self.remoteAddress = remoteAddress
        self.tls = tls
        self.connection = connection
        self.sessionID = UUID().uuidString.lowercased()
        self.connectedAt = Date()
    }

    public var description: String { "CIRA session \(guid) from \(remoteAddress)" }

    public var lastSeen: Date { mutable.withLock { $0.lastSeen } }
    public var forwardedPorts: Set<UInt32> { mutable.withLock { $0.ports } }
    public var isClosed: Bool { mutable.withLock { $0.closed } }

    /// Opens a `forwarded-tcpip` channel to `port` (16992 for WS-Man).
    public func openChannel(port: UInt32) async throws(CIRAChannelError) -> CIRAChannelStream {
        if isClosed { throw .deviceNotConnected(guid: guid) }
        return try await connection.openChannel(port: port)
    }

    /// True when the tunnel is open and the device answers a KEEPALIVE_REQUEST within `timeout`.
    public func isAnswering(within timeout: Duration) async -> Bool {
        if isClosed { return false }
        return await connection.probe(timeout: timeout)
    }

    /// Closes the tunnel (admin disconnect). Idempotent.
    public func disconnect(reason: String = "disconnected by the host") {
        connection.close(reason: reason)
    }

    /// A JSON-friendly snapshot for `devices.connected`.
    public var summary: [String: String] {
        let state = mutable.withLock { $0 }
        let formatter = ISO8601DateFormatter()
        return [
            "guid": guid, "remoteAddress": remoteAddress, "connectedAt": formatter.string(from: connectedAt),
            "lastSeen": formatter.string(from: state.lastSeen),
            "ports": state.ports.sorted().map(String.init).joined(separator: ","), "tls": tls,
        ]
    }

    func noteSeen() { mutable.withLock { $0.lastSeen = Date() } }
    func notePorts(_ ports: Set<UInt32>) { mutable.withLock { $0.ports = ports } }
    func noteClosed() { mutable.withLock { $0.closed = true } }
}
