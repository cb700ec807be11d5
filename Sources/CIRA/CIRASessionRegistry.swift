import Synchronization

/// The connected devices: at most one session per GUID. A newer authenticated connection
/// replaces the older one (which is then closed). Thread-safe.
public final class CIRASessionRegistry: Sendable {
    private let sessions = Mutex<[String: CIRADeviceSession]>([:])

    public init() {}

    public func session(for guid: String) -> CIRADeviceSession? {
        sessions.withLock { $0[guid.lowercased()] }
    }

    public var all: [CIRADeviceSession] {
        sessions.withLock { Array($0.values) }.sorted { $0.guid < $1.guid }
    }

    public var count: Int { sessions.withLock { $0.count } }

    /// Registers `session`; returns the session it replaced, if any.
    func register(_ session: CIRADeviceSession) -> CIRADeviceSession? {
        sessions.withLock { sessions in
            let previous = sessions[session.guid]
            sessions[session.guid] = session
            return previous
        }
    }

    /// Removes `session` only if it is still the registered one (identity check: shared/reference/apf.md E13/E14).
    func unregister(_ session: CIRADeviceSession) -> Bool {
        sessions.withLock { sessions in
            guard sessions[session.guid] === session else { return false }
            sessions[session.guid] = nil
            return true
        }
    }
}
