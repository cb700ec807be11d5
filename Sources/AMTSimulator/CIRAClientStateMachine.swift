import APF

/// The device side of a CIRA connection, as AMT performs it (shared/reference/apf.md §2.4): PROTOCOLVERSION and
/// the auth service request back to back, USERAUTH with the MPS credentials, the pfwd service,
/// one tcpip-forward per port, then keep-alives at the interval the server asks for, and
/// channels the server opens. Pure: messages in, actions out.
struct CIRAClientStateMachine {
    enum Phase: Equatable {
        case idle, awaitingAuthAccept, awaitingAuthResult, awaitingPortForwardAccept, forwarding, established, closed
    }

    enum Action: Equatable {
        case send(APFMessage)
        /// Every forward was acknowledged: the tunnel is up.
        case established
        /// Send KEEPALIVE_REQUEST every `interval` seconds from now on.
        case keepAliveInterval(UInt32)
        /// The server wants a channel to `port`: accept or refuse it with `acceptChannel`/`refuseChannel`.
        case channelRequested(hostChannel: UInt32, port: UInt32, hostWindow: UInt32)
        case channelData(deviceChannel: UInt32, bytes: [UInt8])
        case channelClosed(deviceChannel: UInt32)
        case fail(String)
    }

    struct Channel {
        var hostChannel: UInt32
        var credits: UInt32
        var pending: [UInt8] = []
        var unacknowledged: UInt32 = 0
        var closeSent = false
        /// The firmware closed its end while output still waited for credits: CHANNEL_CLOSE
        /// follows the last CHANNEL_DATA (never data after the close).
        var closeAfterFlush = false
    }

    let uuid: AMTUUID
    let username: String
    let password: String
    let ports: [UInt32]
    let window: UInt32
    private(set) var phase: Phase = .idle
    private(set) var channels: [UInt32: Channel] = [:]
    private var awaitingForwardReplies = 0

    init(uuid: AMTUUID, username: String, password: String, ports: [UInt32], window: UInt32 = 8192) {
        self.uuid = uuid
        self.username = username
        self.password = password
        self.ports = ports
        self.window = window
    }

    /// The first flight, sent right after the TLS handshake.
    mutating func start() -> [Action] {
        phase = .awaitingAuthAccept
        let version = APFProtocolVersion(major: 1, minor: 0, triggerReason: .periodic, uuid: uuid)
        return [.send(.protocolVersion(version)), .send(.serviceRequest(service: APFServiceName.authentication))]
    }

    mutating func receive(_ message: APFMessage) -> [Action] {
        switch (phase, message) {
        case (_, .keepAliveRequest(let cookie)):
            return [.send(.keepAliveReply(cookie: cookie))]
        case (_, .keepAliveReply):
            return []
        case (_, .disconnect(let reason)):
            phase = .closed
            return [.fail("server sent DISCONNECT (\(reason))")]
        case (.awaitingAuthAccept, .serviceAccept(let service)) where service == APFServiceName.authentication:
            phase = .awaitingAuthResult
            let request = APFUserAuthRequest(username: username, method: .password(password))
            return [.send(.userAuthRequest(request))]
        case (.awaitingAuthResult, .userAuthSuccess):
            phase = .awaitingPortForwardAccept
            return [.send(.serviceRequest(service: APFServiceName.portForwarding))]
        case (.awaitingAuthResult, .userAuthFailure):
            phase = .closed
            return [.fail("the server rejected the MPS username or password")]
        case (.awaitingPortForwardAccept, .serviceAccept(let service)) where service == APFServiceName.portForwarding:
            phase = .forwarding
            awaitingForwardReplies = ports.count
            return ports.map { .send(.globalRequest(.tcpipForward(address: "", port: $0), wantReply: true)) }
        case (.forwarding, .requestSuccess), (.established, .requestSuccess):
            awaitingForwardReplies -= 1
            if awaitingForwardReplies == 0 && phase == .forwarding {
                phase = .established
                return [.established]
            }
            return []
        case (.forwarding, .requestFailure), (.established, .requestFailure):
            phase = .closed
            return [.fail("the server refused a port forward")]
        case (.forwarding, .keepAliveOptionsRequest(let interval, let timeout)),
            (.established, .keepAliveOptionsRequest(let interval, let timeout)):
            return [.send(.keepAliveOptionsReply(interval: interval, timeout: timeout)), .keepAliveInterval(interval)]
        case (.established, .channelOpen(let open)), (.forwarding, .channelOpen(let open)):
            return [.channelRequested(hostChannel: open.senderChannel, port: open.connectedPort, hostWindow: open.initialWindowSize)]
        case (.established, .windowAdjust(let id, let bytes)), (.forwarding, .windowAdjust(let id, let bytes)):
            guard var channel = channels[id] else { return [] }
            channel.credits &+= bytes
            channels[id] = channel
            return flush(id)
        case (.established, .channelData(let id, let bytes)), (.forwarding, .channelData(let id, let bytes)):
            guard let channel = channels[id], !channel.closeSent else { return [] }
            return [.channelData(deviceChannel: id, bytes: bytes)]
        case (.established, .channelClose(let id)), (.forwarding, .channelClose(let id)):
            guard let channel = channels.removeValue(forKey: id) else { return [] }
            // Like AMT: answer once, then the id is free for reuse at once (shared/reference/apf.md #741).
            let reply: [Action] = channel.closeSent ? [] : [.send(.channelClose(recipientChannel: channel.hostChannel))]
            return reply + [.channelClosed(deviceChannel: id)]
        default:
            let current = phase
            phase = .closed
            return [.fail("unexpected \(message.messageType) from the server in phase \(current)")]
        }
    }

    /// Accepts a requested channel; AMT reuses the lowest free id.
    mutating func acceptChannel(hostChannel: UInt32, hostWindow: UInt32) -> (deviceChannel: UInt32, actions: [Action]) {
        var id: UInt32 = 0
        while channels[id] != nil { id += 1 }
        channels[id] = Channel(hostChannel: hostChannel, credits: hostWindow)
        return (id, [.send(.channelOpenConfirmation(recipientChannel: hostChannel, senderChannel: id, initialWindowSize: window))])
    }

    func refuseChannel(hostChannel: UInt32, reason: APFChannelOpenFailureReason) -> [Action] {
        [.send(.channelOpenFailure(recipientChannel: hostChannel, reason: reason))]
    }

    /// Firmware output for the server, sent as the server's window allows.
    mutating func write(_ bytes: [UInt8], on id: UInt32) -> [Action] {
        guard var channel = channels[id], !channel.closeSent, !channel.closeAfterFlush else { return [] }
        channel.pending += bytes
        channels[id] = channel
        return flush(id)
    }

    /// The firmware consumed `count` received bytes: grant the server more window.
    mutating func consumed(_ count: Int, on id: UInt32) -> [Action] {
        guard var channel = channels[id], !channel.closeSent else { return [] }
        channel.unacknowledged += UInt32(clamping: count)
        var actions: [Action] = []
        if channel.unacknowledged >= window / 4 {
            actions.append(.send(.windowAdjust(recipientChannel: channel.hostChannel, bytesToAdd: channel.unacknowledged)))
            channel.unacknowledged = 0
        }
        channels[id] = channel
        return actions
    }

    /// The firmware closes its end (e.g. after `Connection: close`).
    mutating func closeChannel(_ id: UInt32) -> [Action] {
        guard var channel = channels[id], !channel.closeSent, !channel.closeAfterFlush else { return [] }
        channel.closeAfterFlush = true
        channels[id] = channel
        return flush(id)
    }

    private mutating func flush(_ id: UInt32) -> [Action] {
        guard var channel = channels[id], !channel.closeSent else { return [] }
        var actions: [Action] = []
        while channel.credits > 0, !channel.pending.isEmpty {
            let count = min(Int(channel.credits), channel.pending.count)
            actions.append(.send(.channelData(recipientChannel: channel.hostChannel, data: Array(channel.pending.prefix(count)))))
            channel.pending.removeFirst(count)
            channel.credits -= UInt32(count)
        }
        if channel.closeAfterFlush && channel.pending.isEmpty {
            channel.closeSent = true
            actions.append(.send(.channelClose(recipientChannel: channel.hostChannel)))
        }
        channels[id] = channel
        return actions
    }
}
