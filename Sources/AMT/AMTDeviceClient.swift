import CIRA
import Logging
import Synchronization
import WSMan

/// Looks up a device's AMT password (e.g. from the store). Throw ``AMTError/noPassword(guid:)``
/// when there is none. Called off the event loops; never log the result.
public typealias AMTPasswordProvider = @Sendable (_ guid: String) async throws(AMTError) -> String

/// Finds the CIRA session of a connected device (nil when it is not connected).
public typealias AMTSessionLookup = @Sendable (_ guid: String) -> CIRADeviceSession?

/// A WS-Man client for one device, over channels of its CIRA tunnel.
///
/// Thread-safe; share one per device (``AMTClientRegistry`` does). Calls are queued with a
/// bounded concurrency (``AMTClientConfiguration/maxConcurrentCalls``), each with a deadline
/// that includes the queueing; a call never waits longer. Channels are kept open between calls
/// and reused (HTTP keep-alive); one the device closed is replaced. HTTP digest auth: the
/// first request goes without credentials, the challenge is cached and later requests are
/// authorised pre-emptively (one `nc` counter shared by all channels, so the device may see
/// counts out of order, as AMT allows). A 401 with `stale="true"` is retried with the new nonce;
/// a 401 refusing credentials is retried once with the fresh challenge before the call fails
/// with ``AMTError/authenticationFailed(guid:)``. A reconnect of the device (new CIRA session)
/// drops cached channels and the challenge. The Pulls of an enumeration already begun go ahead
/// of queued calls, so a burst of calls does not exhaust the device's enumeration contexts.
public final class AMTDeviceClient: Sendable {
    /// Lower-case device GUID.
    public let guid: String
    public let configuration: AMTClientConfiguration
    let sessionLookup: AMTSessionLookup
    let passwordProvider: AMTPasswordProvider
    let logger: Logger
    let slots: CallSlots
    /// Where call durations are counted (the registry's), if anywhere.
    let metrics: AMTMetrics?

    struct State {
        var sessionID: String?
        var idle: [CIRAChannelStream] = []
        var credentials: DigestCredentials?
        var messageID: UInt64 = 0
        /// Set once the device refused an optimized Enumerate that it accepted plainly.
        var refusesOptimizedEnumeration = false
    }

    let state = Mutex(State())

    /// Creates a client; nothing is opened until the first call. `metrics` receives the duration
    /// of every call.
    public init(
        guid: String, configuration: AMTClientConfiguration = AMTClientConfiguration(),
        sessions: @escaping AMTSessionLookup, password: @escaping AMTPasswordProvider, logger: Logger,
        metrics: AMTMetrics? = nil
    ) {
        self.guid = guid.lowercased()
        self.metrics = metrics
        self.configuration = configuration
        self.sessionLookup = sessions
        self.passwordProvider = password
        self.logger = logger
        self.slots = CallSlots(limit: configuration.maxConcurrentCalls)
    }

    /// The next MessageID (a decimal counter, as AMT clients send).
    public func nextMessageID() -> String {
        state.withLock { state in
            defer { state.messageID &+= 1 }
            return String(state.messageID)
        }
    }

    /// Sends one request and returns the device's reply envelope.
    ///
    /// - Parameter timeout: overrides ``AMTClientConfiguration/callTimeout``.
    /// - Throws: ``AMTError``: `.deviceNotConnected` at once when there is no tunnel, `.fault`
    ///   for a SOAP fault, `.timeout` when the deadline passes, and the transport errors.
    public func call(_ request: WSManRequest, timeout: Duration? = nil) async throws(AMTError) -> WSManEnvelope {
        try await call(request, timeout: timeout, continuing: false)
    }

    /// ``call(_:timeout:)``; `continuing` marks a follow-up of an operation the device already
    /// holds state for (a Pull): it takes the next free slot ahead of queued calls.
    func call(_ request: WSManRequest, timeout: Duration? = nil, continuing: Bool) async throws(AMTError) -> WSManEnvelope {
        if sessionLookup(guid) == nil { throw .deviceNotConnected(guid: guid) }
        let started = ContinuousClock.now
        defer { metrics?.recordCall(seconds: Self.seconds(ContinuousClock.now - started)) }
        let deadline = timeout ?? configuration.callTimeout
        let body = request.utf8
        let result: Result<WSManEnvelope, AMTError> = await CallDeadline.run(
            deadline: deadline, timeoutError: .timeout(guid: guid, action: request.action, after: deadline)
        ) { (abort: CallAbort) async -> Result<WSManEnvelope, AMTError> in
            guard await self.slots.acquire(priority: continuing) else { return .failure(.cancelled) }
            defer { self.slots.release() }
            return await self.exchange(body, abort: abort)
        }
        switch result {
        case .success(let envelope): return envelope
        case .failure(let error):
            logger.debug(
                "WS-Man call failed: \(error)",
                metadata: ["guid": "\(guid)", "action": "\(AMTError.shortAction(request.action))"])
            throw error
        }
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Closes cached channels (e.g. when the host stops).
    public func closeIdleChannels() {
        let idle = state.withLock { state in
            defer { state.idle.removeAll() }
            return state.idle
        }
        idle.forEach { $0.close() }
    }
}
