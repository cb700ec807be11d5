/// How the simulator's rpc-go stand-in reaches the activation server.
public struct RPCClientOptions: Sendable {
    /// `ws://HOST:PORT/activate` or `wss://…`.
    public var url: String
    /// Skip the server certificate check (rpc-go `-n`).
    public var insecure = false
    /// PEM of the root the server certificate must chain to (wss without `insecure`).
    public var trustedRootPEM: String?
    /// The whole operation's deadline.
    public var timeout: Duration = .seconds(120)
    /// `tenantId` of the envelope.
    public var tenantId = ""
    /// Misbehaviour for tests.
    public var faults = RPCClientFaults()

    public init(url: String) {
        self.url = url
    }
}

/// Misbehaviour of the RPC client (bad-input tests).
public struct RPCClientFaults: Sendable {
    /// Close the socket after answering this many `wsman` messages.
    public var disconnectAfterWSMan: Int?
    /// After answering this many `wsman` messages, send the last `response` again.
    public var replayResponseAfter: Int?
    /// Wait this long before answering each `wsman` message (a slow LMS).
    public var responseDelay: Duration?

    public init() {}
}

/// How an RPC operation ended.
public struct RPCOutcome: Sendable, Equatable {
    /// `success` or `error` (or `closed` when the server hung up without a result).
    public var method: String
    /// The final message's text (a status JSON, or a plain error).
    public var message: String
    /// `wsman` round trips answered.
    public var wsmanCount: Int

    public var succeeded: Bool { method == "success" }
}

/// Why the RPC client could not run.
public struct RPCClientError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
