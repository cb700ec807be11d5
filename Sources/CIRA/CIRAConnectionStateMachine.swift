import APF

/// The server side of one CIRA connection as a pure state machine: APF messages and host
/// decisions in, actions out. No I/O, no clocks: the NIO handler executes the actions and feeds
/// timer events back. Enforces the handshake order (nothing is served before authentication,
/// unlike the peer: shared/reference/apf.md E5), window flow control both ways and close-once channel semantics.
public struct CIRAConnectionStateMachine {
    public enum Phase: Equatable, Sendable {
        case awaitingProtocolVersion
        case awaitingAuthService
        case awaitingUserAuth
        case authenticating
        case awaitingPortForwardService
        case forwarding
        case closed
    }

    /// What the connection must do next, in order.
    public enum Action: Equatable, Sendable {
        case send(APFMessage)
        /// Check these credentials, then call `authenticationSucceeded()` or `authenticationFailed(_:)`.
        case authenticate(guid: String, username: String, password: String)
        /// USERAUTH_SUCCESS went out: the device is now a session.
        case sessionEstablished(guid: String)
        case portForwarded(UInt32)
        case portCancelled(UInt32)
        /// Call `keepAliveOptionsDue()` after the quiet period unless more forwards arrive.
        case scheduleKeepAliveOptions
        /// The device showed it is alive (keep-alive traffic).
        case seen
        case channelOpened(localID: UInt32)
        case channelOpenFailed(localID: UInt32, reason: APFChannelOpenFailureReason)
        case channelData(localID: UInt32, bytes: [UInt8])
        /// The channel is gone (remote close, or the answer to ours); no more data will come.
        case channelClosed(localID: UInt32)
        /// `total` bytes written to the channel so far have been sent to the device.
        case channelFlushed(localID: UInt32, total: UInt64)
        /// Close the connection (after sending DISCONNECT with `disconnect`, when given).
        case close(reason: String, disconnect: APFDisconnectReason?)
    }

    /// Why a channel operation was refused.
    public enum ChannelRefusal: Error, Equatable, Sendable {
        case notReady
        case portNotForwarded(UInt32)
        case tooManyChannels(Int)
        case unknownChannel
    }

    public private(set) var phase: Phase = .awaitingProtocolVersion
    public private(set) var guid: String?
    public private(set) var username: String?
    public private(set) var forwardedPorts: Set<UInt32> = []
    public private(set) var keepAliveOptionsSent = false
    public private(set) var triggerReason: APFTriggerReason?
    private var channels: [UInt32: CIRAChannelState] = [:]
    private var flushedTotals: [UInt32: UInt64] = [:]
    private var nextChannelID: UInt32 = 4
    private var originatorCounter: UInt32 = 0
    private var noneProbeSeen = false
    /// Messages a device pipelined behind its USERAUTH_REQUEST (e.g. the pfwd service request):
    /// held, not served, until the credentials are checked; replayed on success, dropped on
    /// failure. Bounded.
    private var heldDuringAuthentication: [APFMessage] = []
    static let maxHeldMessages = 64
    let settings: CIRASettings

    public init(settings: CIRASettings = CIRASettings()) {
        self.settings = settings
    }

    public var openChannelCount: Int { channels.count }

    // MARK: - Inbound messages

    /// Handles one decoded message from the device.
    public mutating func receive(_ message: APFMessage) -> [Action] {
        if phase == .closed { return [] }
        switch message {
        case .keepAliveRequest(let cookie) where phase != .awaitingProtocolVersion:
            return [.send(.keepAliveReply(cookie: cookie)), .seen]
        case .keepAliveReply where phase != .awaitingProtocolVersion,
            .keepAliveOptionsReply where phase == .forwarding:
            return [.seen]
        case .disconnect(let reason):
            return closeAll(reason: "device sent DISCONNECT (\(reason))", disconnect: nil)
        default:
            break
        }
        if phase == .authenticating {
            guard heldDuringAuthentication.count < Self.maxHeldMessages else {
                return closeAll(reason: "too many messages before authentication completed", disconnect: .protocolError)
            }
            heldDuringAuthentication.append(message)
            return []
        }
        switch (phase, message) {
        case (.awaitingProtocolVersion, .protocolVersion(let version)):
            guard version.major == 1 else {
                return closeAll(
                    reason: "unsupported APF protocol version \(version.major).\(version.minor)",
                    disconnect: .protocolVersionNotSupported)
            }
            guid = version.uuid.guidString
            triggerReason = version.triggerReason
            phase = .awaitingAuthService
            return []
        case (.awaitingAuthService, .serviceRequest(let service)) where service == APFServiceName.authentication:
            phase = .awaitingUserAuth
            return [.send(.serviceAccept(service: service))]
        case (.awaitingUserAuth, .userAuthRequest(let request)):
            return userAuth(request)
        case (.awaitingPortForwardService, .serviceRequest(let service)) where service == APFServiceName.portForwarding:
            phase = .forwarding
            return [.send(.serviceAccept(service: service))]
        case (.forwarding, .globalRequest(let request, let wantReply)):
            return globalRequest(request, wantReply: wantReply)
        case (.forwarding, .channelOpenConfirmation(let local, let device, let window, _)):
            return channelConfirmed(local: local, device: device, window: window)
        case (.forwarding, .channelOpenFailure(let local, let reason)):
            guard channels.removeValue(forKey: local) != nil else { return [] }
            flushedTotals[local] = nil
            return [.channelOpenFailed(localID: local, reason: reason)]
        case (.forwarding, .windowAdjust(let local, let bytes)):
            guard var channel = channels[local], channel.phase == .open else { return [] }
            channel.sendCredits = channel.sendCredits.addingReportingOverflow(bytes).overflow
                ? UInt32.max : channel.sendCredits + bytes
            channels[local] = channel
            return flush(local)
        case (.forwarding, .channelData(let local, let bytes)):
            return channelData(local: local, bytes: bytes)
        case (.forwarding, .channelClose(let local)):
            return remoteClose(local)
        case (.forwarding, .channelOpen(let open)):
            // Device-initiated channels are not supported (like the peer: shared/reference/apf.md E28).
            return [.send(.channelOpenFailure(recipientChannel: open.senderChannel, reason: .unknownChannelType))]
        default:
            return closeAll(
                reason: "unexpected \(message.messageType) in phase \(phase)", disconnect: .protocolError)
        }
    }

    private mutating func userAuth(_ request: APFUserAuthRequest) -> [Action] {
        username = request.username
        switch request.method {
        case .password(let password):
            phase = .authenticating
            return [.authenticate(guid: guid ?? "", username: request.username, password: password)]
        case .none where !noneProbeSeen:
            // An SSH-style probe for the methods on offer: answer once, stay in this phase.
            noneProbeSeen = true
            return [.send(.userAuthFailure(methods: "password", partialSuccess: false))]
        default:
            return [.send(.userAuthFailure(methods: "password", partialSuccess: false))]
                + closeAll(reason: "authentication method '\(request.method.name)' is not supported", disconnect: nil)
        }
    }

    private mutating func globalRequest(_ request: APFGlobalRequest, wantReply: Bool) -> [Action] {
        switch request {
        case .tcpipForward(_, let port):
            guard forwardedPorts.contains(port) || forwardedPorts.count < settings.maxForwardedPorts else {
                return wantReply ? [.send(.requestFailure)] : []
            }
            forwardedPorts.insert(port)
            // Replied whatever the want-reply byte says, like the MPS: device implementations
            // disagree on that byte (shared/reference/apf.md §5.5: 1 in one simulator, 0 in another) and wait
            // for REQUEST_SUCCESS either way.
            var actions: [Action] = [.send(.requestSuccess(port: port))]
            actions.append(.portForwarded(port))
            if !keepAliveOptionsSent {
                actions += port == 5900 ? keepAliveOptionsDue() : [.scheduleKeepAliveOptions]
            }
            return actions
        case .cancelTCPIPForward(_, let port):
            forwardedPorts.remove(port)
            return [.send(.requestSuccess(port: nil)), .portCancelled(port)]
        case .udpSendTo:
            return wantReply ? [.send(.requestFailure)] : []
        case .other(let name):
            // The request's own fields cannot be skipped (no framing): refuse, then close.
            return (wantReply ? [.send(.requestFailure)] : [])
                + closeAll(reason: "unknown global request '\(name)'", disconnect: .protocolError)
        }
    }

    // MARK: - Host decisions and timers

    public mutating func authenticationSucceeded() -> [Action] {
        guard phase == .authenticating else { return [] }
        phase = .awaitingPortForwardService
        var actions: [Action] = [.send(.userAuthSuccess), .sessionEstablished(guid: guid ?? "")]
        let held = heldDuringAuthentication
        heldDuringAuthentication = []
        for message in held where phase != .closed {
            actions += receive(message)
        }
        return actions
    }

    public mutating func authenticationFailed(_ reason: String) -> [Action] {
        guard phase == .authenticating else { return [] }
        heldDuringAuthentication = []
        return [.send(.userAuthFailure(methods: "password", partialSuccess: false))]
            + closeAll(reason: "authentication failed: \(reason)", disconnect: nil)
    }

    /// Sends KEEPALIVE_OPTIONS_REQUEST once (after port 5900 or the quiet period).
    public mutating func keepAliveOptionsDue() -> [Action] {
        guard phase == .forwarding, !keepAliveOptionsSent else { return [] }
        keepAliveOptionsSent = true
        return [.send(.keepAliveOptionsRequest(interval: settings.keepAliveInterval, timeout: settings.keepAliveTimeout))]
    }

    /// The connection is going away for a local reason (idle, handshake timeout, replaced, admin).
    public mutating func closeRequested(_ reason: String, disconnect: APFDisconnectReason? = nil) -> [Action] {
        closeAll(reason: reason, disconnect: disconnect)
    }

    /// The transport is gone: every channel ends.
    public mutating func transportClosed() -> [Action] {
        guard phase != .closed else { return [] }
        phase = .closed
        let ids = channels.keys.sorted()
        channels.removeAll()
        return ids.map { .channelClosed(localID: $0) }
    }

    private mutating func closeAll(reason: String, disconnect: APFDisconnectReason?) -> [Action] {
        guard phase != .closed else { return [] }
        let closed = transportClosed()
        return closed + [.close(reason: reason, disconnect: disconnect)]
    }

    // MARK: - Channels (host side API)

    /// Starts opening a `forwarded-tcpip` channel to `port` on the device.
    public mutating func openChannel(port: UInt32) -> Result<(localID: UInt32, actions: [Action]), ChannelRefusal> {
        guard phase == .forwarding else { return .failure(.notReady) }
        guard forwardedPorts.contains(port) else { return .failure(.portNotForwarded(port)) }
        if channels.count >= settings.maxChannelsPerConnection {
            // Channels whose close (or open) the device never answered would otherwise fill
            // the table for good; forget them (a late answer then names an unknown channel and
            // is ignored).
            channels = channels.filter { $0.value.phase == .opening || $0.value.phase == .open }
        }
        guard channels.count < settings.maxChannelsPerConnection else {
            return .failure(.tooManyChannels(settings.maxChannelsPerConnection))
        }
        let id = nextChannelID
        nextChannelID = nextChannelID == UInt32.max ? 4 : nextChannelID + 1
        channels[id] = CIRAChannelState(localID: id, port: port)
        flushedTotals[id] = 0
        let originatorPort = 1024 + originatorCounter % 30000
        originatorCounter &+= 1
        let open = APFChannelOpen(
            channelType: .forwardedTCPIP, senderChannel: id, initialWindowSize: settings.channelWindow,
            maximumPacketSize: 0xffff_ffff, connectedAddress: "", connectedPort: port,
            originatorAddress: "1.2.3.4", originatorPort: originatorPort)
        return .success((id, [.send(.channelOpen(open))]))
    }

    /// Queues `bytes` for the channel; they go out as the device's window allows.
    public mutating func write(_ bytes: [UInt8], to local: UInt32) -> Result<[Action], ChannelRefusal> {
        guard var channel = channels[local], channel.phase == .opening || channel.phase == .open else {
            return .failure(.unknownChannel)
        }
        channel.sendBuffer += bytes
        channels[local] = channel
        return .success(channel.phase == .open ? flush(local) : [])
    }

    /// The reader consumed `count` bytes: grant the device more window when half is used.
    public mutating func consumed(_ count: Int, on local: UInt32) -> [Action] {
        guard var channel = channels[local], channel.phase == .open, count > 0 else { return [] }
        let amount = UInt32(clamping: count)
        channel.receivedNotConsumed -= min(channel.receivedNotConsumed, amount)
        channel.unacknowledged += amount
        var actions: [Action] = []
        if channel.unacknowledged > settings.channelWindow / 2 {
            actions.append(.send(.windowAdjust(recipientChannel: channel.deviceChannel, bytesToAdd: channel.unacknowledged)))
            channel.unacknowledged = 0
        }
        channels[local] = channel
        return actions
    }

    /// Closes a channel from the host side. CHANNEL_CLOSE is sent at most once (shared/reference/apf.md §3.5).
    public mutating func closeChannel(_ local: UInt32) -> [Action] {
        guard var channel = channels[local] else { return [] }
        switch channel.phase {
        case .opening:
            channel.phase = .closingBeforeConfirmation
            channels[local] = channel
            return []
        case .open:
            channel.phase = .closeSent
            channel.sendBuffer = []
            channels[local] = channel
            return [.send(.channelClose(recipientChannel: channel.deviceChannel))]
        case .closingBeforeConfirmation, .closeSent:
            return []
        }
    }

    private mutating func channelConfirmed(local: UInt32, device: UInt32, window: UInt32) -> [Action] {
        guard var channel = channels[local] else { return [] }
        channel.deviceChannel = device
        switch channel.phase {
        case .opening:
            channel.phase = .open
            channel.sendCredits = window
            channels[local] = channel
            return [.channelOpened(localID: local)] + flush(local)
        case .closingBeforeConfirmation:
            channel.phase = .closeSent
            channels[local] = channel
            return [.send(.channelClose(recipientChannel: device))]
        case .open, .closeSent:
            return closeAll(reason: "duplicate CHANNEL_OPEN_CONFIRMATION for channel \(local)", disconnect: .protocolError)
        }
    }

    private mutating func channelData(local: UInt32, bytes: [UInt8]) -> [Action] {
        guard var channel = channels[local] else { return [] }  // unknown channel: dropped (E16)
        guard channel.phase == .open else { return [] }  // closing: dropped (E17)
        channel.receivedNotConsumed += UInt32(clamping: bytes.count)
        channels[local] = channel
        // The device must respect our window; a generous margin tolerates firmware rounding.
        if channel.receivedNotConsumed > settings.channelWindow * 2 {
            // Reported closed now, so forget the channel: the device's answering CHANNEL_CLOSE
            // (or the transport closing) must not report it a second time.
            let actions = closeChannel(local) + [.channelClosed(localID: local)]
            channels[local] = nil
            flushedTotals[local] = nil
            return actions
        }
        return [.channelData(localID: local, bytes: bytes)]
    }

    private mutating func remoteClose(_ local: UInt32) -> [Action] {
        guard let channel = channels.removeValue(forKey: local) else { return [] }
        flushedTotals[local] = nil
        switch channel.phase {
        case .open:
            return [.send(.channelClose(recipientChannel: channel.deviceChannel)), .channelClosed(localID: local)]
        case .closeSent:
            return [.channelClosed(localID: local)]
        case .opening, .closingBeforeConfirmation:
            return [.channelClosed(localID: local)]
        }
    }

    /// Sends as much buffered data as the device's window allows, as one CHANNEL_DATA. Never
    /// sends empty data (the peer does: shared/reference/apf.md §3.4). WS-Man requests use Content-Length (not
    /// chunked), so the split-terminator quirk of AMT (#662) does not apply.
    private mutating func flush(_ local: UInt32) -> [Action] {
        guard var channel = channels[local], channel.phase == .open else { return [] }
        var actions: [Action] = []
        var sent = 0
        while channel.sendCredits > 0, !channel.sendBuffer.isEmpty {
            let count = min(Int(channel.sendCredits), channel.sendBuffer.count)
            actions.append(.send(.channelData(recipientChannel: channel.deviceChannel, data: Array(channel.sendBuffer.prefix(count)))))
            channel.sendBuffer.removeFirst(count)
            channel.sendCredits -= UInt32(count)
            sent += count
        }
        if channel.sendBuffer.isEmpty { channel.sendBuffer = [] }  // release capacity while idle
        channels[local] = channel
        if sent > 0 {
            let total = (flushedTotals[local] ?? 0) + UInt64(sent)
            flushedTotals[local] = total
            actions.append(.channelFlushed(localID: local, total: total))
        }
        return actions
    }
}
