import NIOCore
import Synchronization

/// A byte stream to one port on a device, carried by an APF channel. Thread-safe.
///
/// Reads return data in arrival order and grant the device more window as they consume it;
/// writes complete once the device's window let every byte out. `close()` is idempotent and
/// sends CHANNEL_CLOSE at most once.
public final class CIRAChannelStream: Sendable {
    public let port: UInt32
    let localID: UInt32
    private let connection: CIRAConnectionReference

    private struct State {
        var chunks: [[UInt8]] = []
        var closed = false
        /// Readers waiting for data, first come first served.
        var waiters: [CheckedContinuation<[UInt8]?, Never>] = []
    }

    private let state = Mutex(State())

    init(port: UInt32, localID: UInt32, connection: CIRAConnectionReference) {
        self.port = port
        self.localID = localID
        self.connection = connection
    }

    /// The next chunk of data, or nil once the channel is closed and drained. Concurrent readers
    /// are served in arrival order (each gets whole chunks; the byte stream is split between them).
    public func read() async -> [UInt8]? {
        let immediate: [UInt8]?? = state.withLock { state in
            if !state.chunks.isEmpty { return .some(state.chunks.removeFirst()) }
            if state.closed { return .some(nil) }
            return .none
        }
        let chunk: [UInt8]?
        if let immediate {
            chunk = immediate
        } else {
            chunk = await withCheckedContinuation { continuation in
                let ready: [UInt8]?? = state.withLock { state in
                    if !state.chunks.isEmpty { return .some(state.chunks.removeFirst()) }
                    if state.closed { return .some(nil) }
                    state.waiters.append(continuation)
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
        if let chunk, !chunk.isEmpty {
            connection.consumed(chunk.count, on: localID)
        }
        return chunk
    }

    /// Sends `bytes`; returns when they were handed to the device (window permitting).
    public func write(_ bytes: [UInt8]) async throws(CIRAChannelError) {
        try await connection.write(bytes, to: localID)
    }

    /// Closes the channel (CHANNEL_CLOSE once); pending reads end.
    public func close() {
        connection.closeChannel(localID)
        finish()
    }

    public var isClosed: Bool { state.withLock { $0.closed && $0.chunks.isEmpty } }

    // MARK: - Called by the connection (on its event loop)

    func deliver(_ bytes: [UInt8]) {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, Never>? in
            guard !state.closed else { return nil }
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.chunks.append(bytes)
            return nil
        }
        waiter?.resume(returning: bytes)
    }

    func finish() {
        let waiters = state.withLock { state -> [CheckedContinuation<[UInt8]?, Never>] in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }
}
