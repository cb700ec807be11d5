import APF
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import TetherTLS

/// Drives one CIRA connection: decodes APF from the decrypted stream, runs the state machine,
/// performs its actions (writes, authentication, session registration, timers). Event-loop
/// confined; other threads reach it through `CIRAConnectionReference`.
final class CIRAConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let server: CIRAServerContext
    private var machine: CIRAConnectionStateMachine
    private var decoder = APFDecoder()
    private var context: ChannelHandlerContext?
    /// The server's logger as is: the connection's metadata is added per message
    /// (``guidMetadata``), so an idle tunnel keeps no metadata dictionary of its own.
    private let logger: Logger
    private var remoteAddress = "unknown"
    private var session: CIRADeviceSession?
    private var streams: [UInt32: CIRAChannelStream] = [:]
    private var pendingOpens: [UInt32: (promise: EventLoopPromise<CIRAChannelStream>, timer: Scheduled<Void>, port: UInt32)] = [:]
    private var pendingWrites: [UInt32: [(target: UInt64, promise: EventLoopPromise<Void>)]] = [:]
    private var writtenTotals: [UInt32: UInt64] = [:]
    private var handshakeTimer: Scheduled<Void>?
    private var keepAliveOptionsTimer: Scheduled<Void>?
    private var admitted = false
    private var handshakeTicket: UInt64 = 0
    private var firstRead = true
    /// The peer went away (closed or reset the connection) rather than the exchange failing.
    private var peerLeft = false
    private var closed = false
    private var tls: TLSHandshakeCompleted?
    /// Keep-alive round trips in flight (liveness probes when a newcomer claims this GUID).
    private var probes: [UInt32: (promise: EventLoopPromise<Bool>, timer: Scheduled<Void>)] = [:]
    /// Drawn at the first probe (rare: a newcomer claims this GUID), not per connection: a
    /// random number at accept was a `getrandom` system call per handshake.
    private var nextProbeCookie: UInt32?

    init(server: CIRAServerContext) {
        self.server = server
        self.machine = CIRAConnectionStateMachine(settings: server.settings)
        self.logger = server.logger
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        remoteAddress = context.channel.remoteAddress?.ipAddress ?? "unknown"
        server.metrics.increment("connections_accepted")
        let reference = CIRAConnectionReference(handler: self, eventLoop: context.eventLoop)
        guard let ticket = server.admission.beginHandshake(from: remoteAddress, evict: {
            reference.close(reason: "evicted: too many handshakes in progress from this address")
        }) else {
            // Overloaded: refuse before the TLS handshake costs anything (the device retries). A
            // counter, not a warning per connection: a storm would flood the log.
            server.metrics.increment("connections_refused_busy")
            logger.debug("refusing connection: \(server.settings.maxPendingHandshakes) handshakes in progress", metadata: ["remote": "\(remoteAddress)"])
            closed = true
            context.close(promise: nil)
            return
        }
        handshakeTicket = ticket
        admitted = true
        handshakeTimer = context.eventLoop.scheduleTask(in: TimeAmount(server.settings.handshakeTimeout)) { [self] in
            if session == nil { closeConnection(reason: "handshake not completed within \(server.settings.handshakeTimeout)") }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closed else { return }
        var buffer = unwrapInboundIn(data)
        if firstRead {
            firstRead = false
            if let head = buffer.getString(at: buffer.readerIndex, length: min(4, buffer.readableBytes)),
                head.hasPrefix("GET ") || head.hasPrefix("HEAD")
            {
                answerHTTPProbe(context: context)
                return
            }
        }
        if let bytes = buffer.readBytes(length: buffer.readableBytes) {
            decoder.append(bytes)
        }
        var actions: [CIRAConnectionStateMachine.Action] = []
        do {
            while !closed, let message = try decoder.next() {
                if case .keepAliveReply(let cookie) = message { probeAnswered(cookie) }
                actions = machine.receive(message)
                perform(actions)
            }
        } catch {
            server.metrics.increment("protocol_errors")
            perform(machine.closeRequested("malformed APF: \(error.message)", disconnect: .protocolError))
        }
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let handshake = event as? TLSHandshakeCompleted {
            tls = handshake
            context.fireUserInboundEventTriggered(event)
        } else if event is IdleStateHandler.IdleStateEvent {
            server.metrics.increment("idle_closes")
            closeConnection(reason: "no traffic for \(server.settings.idleTimeout) (idle timeout)")
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // One line per failed connection: the closing line names the error.
        peerLeft = Self.isPeerGone(error)
        closeConnection(reason: "transport error: \(error)")
    }

    /// A reset, a broken pipe or a close before any TLS byte: the peer went away (no fault of
    /// the exchange by itself).
    static func isPeerGone(_ error: any Error) -> Bool {
        if let error = error as? TLSError { return error == .closedBeforeHello }
        guard let error = error as? IOError else { return false }
        return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE
    }

    func channelInactive(context: ChannelHandlerContext) {
        let closedByPeer = !closed
        closed = true
        if closedByPeer, admitted, session == nil {
            peerLeft = true
            logClosing("the peer closed the connection before a tunnel was set up")
        }
        perform(machine.transportClosed())
        handshakeTimer?.cancel()
        keepAliveOptionsTimer?.cancel()
        for (_, pending) in pendingOpens {
            pending.timer.cancel()
            pending.promise.fail(CIRAChannelError.closed)
        }
        pendingOpens.removeAll()
        for (_, probe) in probes {
            probe.timer.cancel()
            probe.promise.succeed(false)
        }
        probes.removeAll()
        if admitted, session == nil {
            server.admission.endHandshake(from: remoteAddress, ticket: handshakeTicket)
            server.metrics.increment("handshakes_failed")
        }
        admitted = false
        if let session {
            session.noteClosed()
            if server.registry.unregister(session) {
                server.observer?.sessionDisconnected(session, reason: "connection closed")
                logger.info("device disconnected", metadata: guidMetadata)
            }
        }
        context.fireChannelInactive()
    }

    /// The remote address and, once known, the device GUID.
    private var guidMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = ["remote": "\(remoteAddress)"]
        if let guid = machine.guid { metadata["guid"] = "\(guid)" }
        return metadata
    }

    // MARK: - Actions

    private func perform(_ actions: [CIRAConnectionStateMachine.Action]) {
        for action in actions {
            perform(action)
        }
    }

    private func perform(_ action: CIRAConnectionStateMachine.Action) {
        switch action {
        case .send(let message):
            send(message)
        case .authenticate(let guid, let username, let password):
            authenticate(guid: guid, username: username, password: password)
        case .sessionEstablished(let guid):
            establishSession(guid: guid)
        case .portForwarded:
            session?.notePorts(machine.forwardedPorts)
            keepAliveOptionsTimer?.cancel()  // rescheduled by the next action unless just sent
        case .portCancelled:
            session?.notePorts(machine.forwardedPorts)
        case .scheduleKeepAliveOptions:
            keepAliveOptionsTimer?.cancel()
            keepAliveOptionsTimer = context?.eventLoop.scheduleTask(in: TimeAmount(server.settings.keepAliveOptionsQuietPeriod)) {
                [self] in
                perform(machine.keepAliveOptionsDue())
                context?.flush()
            }
        case .seen:
            if let session {
                session.noteSeen()
                server.observer?.sessionSeen(session)
            }
        case .channelOpened(let localID):
            guard let pending = pendingOpens.removeValue(forKey: localID), let context else { return }
            pending.timer.cancel()
            let stream = CIRAChannelStream(
                port: pending.port, localID: localID, connection: CIRAConnectionReference(handler: self, eventLoop: context.eventLoop))
            streams[localID] = stream
            server.metrics.increment("channels_opened")
            pending.promise.succeed(stream)
        case .channelOpenFailed(let localID, let reason):
            server.metrics.increment("channel_open_failures")
            if let pending = pendingOpens.removeValue(forKey: localID) {
                pending.timer.cancel()
                pending.promise.fail(CIRAChannelError.openRefused(reason))
            }
        case .channelData(let localID, let bytes):
            streams[localID]?.deliver(bytes)
        case .channelClosed(let localID):
            streams.removeValue(forKey: localID)?.finish()
            if let pending = pendingOpens.removeValue(forKey: localID) {
                pending.timer.cancel()
                pending.promise.fail(CIRAChannelError.closed)
            }
            for write in pendingWrites.removeValue(forKey: localID) ?? [] {
                write.promise.fail(CIRAChannelError.closed)
            }
            writtenTotals[localID] = nil
        case .channelFlushed(let localID, let total):
            guard var writes = pendingWrites[localID] else { return }
            while let first = writes.first, first.target <= total {
                writes.removeFirst()
                first.promise.succeed()
            }
            pendingWrites[localID] = writes.isEmpty ? nil : writes
        case .close(let reason, let disconnect):
            if let disconnect { send(.disconnect(reason: disconnect)) }
            finishClosing(reason: reason)
        }
    }

    private func send(_ message: APFMessage) {
        guard let context, !closed else { return }
        var bytes: [UInt8] = []
        message.encode(into: &bytes)
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }

    private func finishClosing(reason: String) {
        guard let context, !closed else { return }
        closed = true
        logClosing(reason)
        context.flush()
        context.close(promise: nil)
    }

    /// The one log line of a connection's end. A warning for a device that did not get a tunnel
    /// (TLS failed, authentication failed, bad APF, a timeout, …). A peer that left (closed or
    /// reset) without sending a byte of APF — a TCP or TLS health check, a port scanner,
    /// `openssl s_time` — is no device trouble: info, so a stream of such checks neither floods
    /// the log nor pays a log write each.
    private func logClosing(_ reason: String) {
        if session == nil, !(peerLeft && firstRead) { logger.warning("closing connection: \(reason)", metadata: guidMetadata) }
        else { logger.info("closing connection: \(reason)", metadata: guidMetadata) }
    }

    private func authenticate(guid: String, username: String, password: String) {
        guard let context else { return }
        guard server.admission.mayCheck(address: remoteAddress, guid: guid) else {
            server.metrics.increment("auth_failures")
            server.metrics.increment("auth_throttled")
            perform(machine.authenticationFailed("too many failed attempts from \(remoteAddress) for \(guid); try later"))
            return
        }
        let request = CIRAAuthRequest(guid: guid, username: username, password: password, remoteAddress: remoteAddress)
        let authenticator = server.authenticator
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        Task {
            let decision = await authenticator.authenticate(request)
            eventLoop.execute { bound.value.authenticationDecided(decision, guid: guid) }
        }
    }

    private func authenticationDecided(_ decision: CIRAAuthDecision, guid: String) {
        guard !closed else { return }
        switch decision {
        case .accept:
            server.admission.recordSuccess(address: remoteAddress, guid: guid)
            if let guid = machine.guid, let previous = server.registry.session(for: guid), !previous.isClosed, let context {
                probeBeforeReplacing(previous, eventLoop: context.eventLoop)
                return
            }
            perform(machine.authenticationSucceeded())
        case .reject(let reason):
            server.admission.recordFailure(address: remoteAddress, guid: guid)
            server.metrics.increment("auth_failures")
            perform(machine.authenticationFailed(reason))
        }
        context?.flush()
    }

    /// A tunnel for this GUID is open: it keeps its place while it answers a keep-alive round
    /// trip (a newcomer with the same credentials cannot take over a live device); a dead or
    /// silent one is replaced.
    private func probeBeforeReplacing(_ previous: CIRADeviceSession, eventLoop: any EventLoop) {
        let timeout = server.settings.takeoverProbeTimeout
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        Task {
            let alive = await previous.isAnswering(within: timeout)
            eventLoop.execute { bound.value.takeoverProbed(alive: alive, previous: previous) }
        }
    }

    private func takeoverProbed(alive: Bool, previous: CIRADeviceSession) {
        guard !closed else { return }
        if alive {
            server.metrics.increment("takeovers_refused")
            logger.warning(
                "refusing a second tunnel for a connected device: its tunnel from \(previous.remoteAddress) answers",
                metadata: guidMetadata)
            perform(machine.authenticationFailed("a live tunnel for this device is already connected"))
        } else {
            perform(machine.authenticationSucceeded())
        }
        context?.flush()
    }

    private func establishSession(guid: String) {
        guard let context else { return }
        handshakeTimer?.cancel()
        if admitted {
            server.admission.endHandshake(from: remoteAddress, ticket: handshakeTicket)
            admitted = false
        }
        let session = CIRADeviceSession(
            guid: guid, username: machine.username ?? "", remoteAddress: remoteAddress,
            tls: tls.map { "\($0.protocolVersion) \($0.cipher)" } ?? "",
            connection: CIRAConnectionReference(handler: self, eventLoop: context.eventLoop))
        self.session = session
        server.metrics.increment("handshakes_completed")
        if let previous = server.registry.register(session) {
            server.metrics.increment("replaced_sessions")
            previous.noteClosed()
            server.observer?.sessionDisconnected(previous, reason: "replaced by a new connection")
            previous.disconnect(reason: "replaced by a new connection from \(remoteAddress)")
        }
        logger.info("device connected", metadata: guidMetadata.merging(["tls": "\(session.tls)"]) { a, _ in a })
        server.observer?.sessionConnected(session)
    }

    private func answerHTTPProbe(context: ChannelHandlerContext) {
        let body = "<html><body>Tether CIRA server. Intel AMT devices connect here using CIRA.</body></html>"
        let response =
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        logger.info("answered an HTTP probe on the CIRA port", metadata: guidMetadata)
        closed = true
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: response)), promise: nil)
        context.close(promise: nil)
    }

    // MARK: - Host operations (called on the event loop through CIRAConnectionReference)

    func openChannel(port: UInt32, promise: EventLoopPromise<CIRAChannelStream>) {
        guard !closed, let context else { return promise.fail(CIRAChannelError.closed) }
        switch machine.openChannel(port: port) {
        case .failure(let refusal):
            promise.fail(Self.channelError(refusal))
        case .success(let opened):
            let localID = opened.localID
            let timer = context.eventLoop.scheduleTask(in: TimeAmount(server.settings.channelOpenTimeout)) { [self] in
                guard let pending = pendingOpens.removeValue(forKey: localID) else { return }
                perform(machine.closeChannel(localID))
                context.flush()
                pending.promise.fail(CIRAChannelError.openTimedOut)
            }
            pendingOpens[localID] = (promise, timer, port)
            perform(opened.actions)
            context.flush()
        }
    }

    func writeChannel(_ localID: UInt32, bytes: [UInt8], promise: EventLoopPromise<Void>) {
        guard !closed, let context else { return promise.fail(CIRAChannelError.closed) }
        guard !bytes.isEmpty else { return promise.succeed() }
        let target = (writtenTotals[localID] ?? 0) + UInt64(bytes.count)
        switch machine.write(bytes, to: localID) {
        case .failure:
            promise.fail(CIRAChannelError.closed)
        case .success(let actions):
            writtenTotals[localID] = target
            pendingWrites[localID, default: []].append((target, promise))
            perform(actions)
            context.flush()
        }
    }

    func channelConsumed(_ localID: UInt32, count: Int) {
        guard !closed else { return }
        perform(machine.consumed(count, on: localID))
        context?.flush()
    }

    func closeChannel(_ localID: UInt32) {
        guard !closed else { return }
        streams.removeValue(forKey: localID)?.finish()
        for write in pendingWrites.removeValue(forKey: localID) ?? [] {
            write.promise.fail(CIRAChannelError.closed)
        }
        perform(machine.closeChannel(localID))
        context?.flush()
    }

    /// Sends KEEPALIVE_REQUEST and completes `promise` with true when its reply comes within
    /// `timeout`, false on timeout or close.
    func probe(timeout: Duration, promise: EventLoopPromise<Bool>) {
        guard !closed, session != nil, let context else { return promise.succeed(false) }
        let cookie = nextProbeCookie ?? UInt32.random(in: 1...UInt32.max / 2)
        nextProbeCookie = cookie &+ 1
        let timer = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [self] in
            if let expired = probes.removeValue(forKey: cookie) { expired.promise.succeed(false) }
        }
        probes[cookie] = (promise, timer)
        send(.keepAliveRequest(cookie: cookie))
        context.flush()
    }

    private func probeAnswered(_ cookie: UInt32) {
        guard let probe = probes.removeValue(forKey: cookie) else { return }
        probe.timer.cancel()
        probe.promise.succeed(true)
    }

    func closeConnection(reason: String) {
        guard !closed else { return }
        perform(machine.closeRequested(reason))
    }

    private static func channelError(_ refusal: CIRAConnectionStateMachine.ChannelRefusal) -> CIRAChannelError {
        switch refusal {
        case .notReady: .connectionNotReady
        case .portNotForwarded(let port): .portNotForwarded(port)
        case .tooManyChannels(let limit): .tooManyChannels(limit)
        case .unknownChannel: .closed
        }
    }
}
