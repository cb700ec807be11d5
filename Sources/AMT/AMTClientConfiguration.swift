/// Tuning of the per-device WS-Man client. A plain value.
public struct AMTClientConfiguration: Sendable, Equatable {
    /// The device port WS-Man is served on (16992; TLS 16993 is not used through CIRA).
    public var port: UInt32 = 16992
    /// The AMT user (Open AMT hard-codes `admin`).
    public var username = "admin"
    /// Calls in flight per device; further calls queue (MPS uses 3).
    public var maxConcurrentCalls = 3
    /// Deadline of one call, queueing included.
    public var callTimeout: Duration = .seconds(10)
    /// Largest accepted reply body (de-chunked), in bytes.
    public var maxReplyBytes = 1 << 20
    /// Attempts to open a channel when the device refuses with reason 2 or 4 (resource shortage).
    public var channelOpenAttempts = 4
    /// First delay between those attempts; doubles each time.
    public var channelOpenBackoff: Duration = .milliseconds(100)

    /// Whether enumerations ask for DSP0226 optimized enumeration (the items in the
    /// EnumerateResponse itself: one round trip instead of two). A device that answers such an
    /// Enumerate with a fault, and a plain one without, is asked plainly from then on.
    public var optimizedEnumeration = true

    /// The defaults above.
    public init() {}
}
