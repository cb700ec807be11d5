import APF
import CIRA
import Testing

/// Pure tests of the server-side sans-I/O state machine: messages and host decisions in, exact
/// actions out (shared/reference/apf.md §2.4, §3.3–3.5, §4). No sockets.
@Suite struct CIRAConnectionStateMachineTests {
    typealias Machine = CIRAConnectionStateMachine
    typealias Action = CIRAConnectionStateMachine.Action

    static let guid = "4c4c4544-004b-4210-8033-b6c04f504633"
    static let uuid = AMTUUID(guidString: guid)!
    static let window: UInt32 = 32768

    static func version(major: UInt32 = 1, minor: UInt32 = 0) -> APFMessage {
        .protocolVersion(APFProtocolVersion(major: major, minor: minor, triggerReason: .periodic, uuid: uuid))
    }

    static func passwordAuth(_ password: String = "P@ssw0rd") -> APFMessage {
        .userAuthRequest(APFUserAuthRequest(username: "admin", method: .password(password)))
    }

    static func forward(_ port: UInt32, wantReply: Bool = true) -> APFMessage {
        .globalRequest(.tcpipForward(address: "", port: port), wantReply: wantReply)
    }

    static func channelOpenMessage(id: UInt32, port: UInt32, originatorPort: UInt32) -> APFMessage {
        .channelOpen(APFChannelOpen(
            channelType: .forwardedTCPIP, senderChannel: id, initialWindowSize: window,
            maximumPacketSize: 0xffff_ffff, connectedAddress: "", connectedPort: port,
            originatorAddress: "1.2.3.4", originatorPort: originatorPort))
    }

    /// Drives a fresh machine to `phase` along the normal handshake.
    static func machine(at phase: Machine.Phase, settings: CIRASettings = CIRASettings()) -> Machine {
        var machine = Machine(settings: settings)
        let steps: [(Machine.Phase, (inout Machine) -> [Action])] = [
            (.awaitingAuthService, { $0.receive(version()) }),
            (.awaitingUserAuth, { $0.receive(.serviceRequest(service: APFServiceName.authentication)) }),
            (.authenticating, { $0.receive(passwordAuth()) }),
            (.awaitingPortForwardService, { $0.authenticationSucceeded() }),
            (.forwarding, { $0.receive(.serviceRequest(service: APFServiceName.portForwarding)) }),
        ]
        for (reached, step) in steps where machine.phase != phase {
            _ = step(&machine)
            precondition(machine.phase == reached)
        }
        precondition(machine.phase == phase)
        return machine
    }

    /// A forwarding machine with `ports` forwarded (without reply) and keep-alive options already sent.
    static func forwarding(ports: [UInt32] = [16992], settings: CIRASettings = CIRASettings()) -> Machine {
        var machine = machine(at: .forwarding, settings: settings)
        for port in ports { _ = machine.receive(forward(port, wantReply: false)) }
        _ = machine.keepAliveOptionsDue()
        return machine
    }

    /// Opens and confirms a channel; returns its local id.
    static func openConfirmed(
        _ machine: inout Machine, port: UInt32 = 16992, deviceID: UInt32 = 0, window: UInt32 = 32768
    ) throws -> UInt32 {
        let local = try machine.openChannel(port: port).get().localID
        let actions = machine.receive(.channelOpenConfirmation(recipientChannel: local, senderChannel: deviceID, initialWindowSize: window))
        #expect(actions == [.channelOpened(localID: local)])
        return local
    }

    static func protocolError(_ message: APFMessage, in phase: Machine.Phase) -> [Action] {
        [.close(reason: "unexpected \(message.messageType) in phase \(phase)", disconnect: .protocolError)]
    }

    // MARK: - Handshake

    @Test func fullHandshakeProducesExactActions() {
        var machine = Machine()
        #expect(machine.receive(Self.version()) == [])
        #expect(machine.phase == .awaitingAuthService)
        #expect(machine.guid == Self.guid)
        #expect(machine.triggerReason == .periodic)

        #expect(machine.receive(.serviceRequest(service: APFServiceName.authentication))
            == [.send(.serviceAccept(service: APFServiceName.authentication))])
        #expect(machine.receive(Self.passwordAuth("secret"))
            == [.authenticate(guid: Self.guid, username: "admin", password: "secret")])
        #expect(machine.phase == .authenticating)
        #expect(machine.username == "admin")

        #expect(machine.authenticationSucceeded() == [.send(.userAuthSuccess), .sessionEstablished(guid: Self.guid)])
        #expect(machine.authenticationSucceeded() == [])  // only once
        #expect(machine.phase == .awaitingPortForwardService)

        #expect(machine.receive(.serviceRequest(service: APFServiceName.portForwarding))
            == [.send(.serviceAccept(service: APFServiceName.portForwarding))])
        #expect(machine.phase == .forwarding)

        #expect(machine.receive(Self.forward(16992)) == [
            .send(.requestSuccess(port: 16992)), .portForwarded(16992), .scheduleKeepAliveOptions,
        ])
        #expect(machine.receive(Self.forward(16993)) == [
            .send(.requestSuccess(port: 16993)), .portForwarded(16993), .scheduleKeepAliveOptions,
        ])
        // want-reply 0 (some device implementations) is answered too, like the MPS does.
        #expect(machine.receive(Self.forward(623, wantReply: false)) == [
            .send(.requestSuccess(port: 623)), .portForwarded(623), .scheduleKeepAliveOptions,
        ])
        #expect(machine.receive(Self.forward(5900)) == [
            .send(.requestSuccess(port: 5900)), .portForwarded(5900),
            .send(.keepAliveOptionsRequest(interval: 30, timeout: 0)),
        ])
        #expect(machine.keepAliveOptionsSent)
        // Only once: neither the timer nor later forwards send it again.
        #expect(machine.keepAliveOptionsDue() == [])
        #expect(machine.receive(Self.forward(16994)) == [.send(.requestSuccess(port: 16994)), .portForwarded(16994)])
        #expect(machine.receive(Self.forward(5900)) == [.send(.requestSuccess(port: 5900)), .portForwarded(5900)])
        #expect(machine.forwardedPorts == [16992, 16993, 623, 5900, 16994])
        #expect(machine.receive(.keepAliveOptionsReply(interval: 30, timeout: 0)) == [.seen])
    }

    @Test func keepAliveOptionsAfterQuietPeriodWhen5900NeverComes() {
        var settings = CIRASettings()
        settings.keepAliveInterval = 45
        settings.keepAliveTimeout = 7
        var machine = Self.machine(at: .forwarding, settings: settings)
        #expect(machine.keepAliveOptionsDue() == [.send(.keepAliveOptionsRequest(interval: 45, timeout: 7))])
        #expect(machine.keepAliveOptionsDue() == [])
        #expect(machine.receive(Self.forward(5900)) == [.send(.requestSuccess(port: 5900)), .portForwarded(5900)])

        var scheduled = Self.machine(at: .forwarding, settings: settings)
        #expect(scheduled.receive(Self.forward(16992)) == [
            .send(.requestSuccess(port: 16992)), .portForwarded(16992), .scheduleKeepAliveOptions,
        ])
        #expect(scheduled.keepAliveOptionsDue() == [.send(.keepAliveOptionsRequest(interval: 45, timeout: 7))])
        #expect(scheduled.receive(Self.forward(16993)) == [.send(.requestSuccess(port: 16993)), .portForwarded(16993)])
    }

    @Test func keepAliveOptionsDueIsIgnoredBeforeForwarding() {
        for phase: Machine.Phase in [.awaitingProtocolVersion, .awaitingAuthService, .awaitingUserAuth, .authenticating, .awaitingPortForwardService] {
            var machine = Self.machine(at: phase)
            #expect(machine.keepAliveOptionsDue() == [])
            #expect(!machine.keepAliveOptionsSent)
        }
    }

    @Test func keepAliveRequestIsAnsweredWithTheSameCookie() {
        for phase: Machine.Phase in [.awaitingAuthService, .awaitingUserAuth, .authenticating, .awaitingPortForwardService, .forwarding] {
            var machine = Self.machine(at: phase)
            #expect(machine.receive(.keepAliveRequest(cookie: 0xDEAD_BEEF)) == [.send(.keepAliveReply(cookie: 0xDEAD_BEEF)), .seen])
            #expect(machine.receive(.keepAliveReply(cookie: 7)) == [.seen])
            #expect(machine.phase == phase)
        }
    }

    @Test func cancelForward() {
        var machine = Self.forwarding(ports: [16992, 16993])
        #expect(machine.receive(.globalRequest(.cancelTCPIPForward(address: "", port: 16993), wantReply: true))
            == [.send(.requestSuccess(port: nil)), .portCancelled(16993)])
        #expect(machine.receive(.globalRequest(.cancelTCPIPForward(address: "", port: 16992), wantReply: false))
            == [.send(.requestSuccess(port: nil)), .portCancelled(16992)])
        #expect(machine.forwardedPorts.isEmpty)
        #expect(throws: Machine.ChannelRefusal.portNotForwarded(16992)) { _ = try machine.openChannel(port: 16992).get() }
    }

    @Test func udpSendToIsRefusedWithoutClosing() {
        var machine = Self.forwarding()
        let udp = APFUDPSendTo(address: "1.2.3.4", port: 7, originatorAddress: "5.6.7.8", originatorPort: 9, data: [1])
        #expect(machine.receive(.globalRequest(.udpSendTo(udp), wantReply: true)) == [.send(.requestFailure)])
        #expect(machine.receive(.globalRequest(.udpSendTo(udp), wantReply: false)) == [])
        #expect(machine.phase == .forwarding)
    }

    // MARK: - Rejections

    @Test func majorVersion2IsNotSupported() {
        var machine = Machine()
        #expect(machine.receive(Self.version(major: 2, minor: 1)) == [
            .close(reason: "unsupported APF protocol version 2.1", disconnect: .protocolVersionNotSupported),
        ])
        #expect(machine.phase == .closed)
        #expect(machine.receive(.serviceRequest(service: APFServiceName.authentication)) == [])
    }

    @Test func noneProbeIsAnsweredOnceThenPasswordContinues() {
        var machine = Self.machine(at: .awaitingUserAuth)
        let probe = APFMessage.userAuthRequest(APFUserAuthRequest(username: "admin", method: .none))
        #expect(machine.receive(probe) == [.send(.userAuthFailure(methods: "password", partialSuccess: false))])
        #expect(machine.phase == .awaitingUserAuth)
        #expect(machine.receive(Self.passwordAuth()) == [.authenticate(guid: Self.guid, username: "admin", password: "P@ssw0rd")])
    }

    @Test func secondNonPasswordMethodCloses() {
        var machine = Self.machine(at: .awaitingUserAuth)
        let probe = APFMessage.userAuthRequest(APFUserAuthRequest(username: "admin", method: .none))
        _ = machine.receive(probe)
        #expect(machine.receive(probe) == [
            .send(.userAuthFailure(methods: "password", partialSuccess: false)),
            .close(reason: "authentication method 'none' is not supported", disconnect: nil),
        ])
        #expect(machine.phase == .closed)

        var other = Self.machine(at: .awaitingUserAuth)
        _ = other.receive(probe)
        #expect(other.receive(.userAuthRequest(APFUserAuthRequest(username: "admin", method: .other("publickey")))) == [
            .send(.userAuthFailure(methods: "password", partialSuccess: false)),
            .close(reason: "authentication method 'publickey' is not supported", disconnect: nil),
        ])
    }

    @Test func authenticationFailure() {
        var machine = Self.machine(at: .authenticating)
        #expect(machine.authenticationFailed("wrong credentials") == [
            .send(.userAuthFailure(methods: "password", partialSuccess: false)),
            .close(reason: "authentication failed: wrong credentials", disconnect: nil),
        ])
        #expect(machine.phase == .closed)
        #expect(machine.authenticationSucceeded() == [])
        #expect(machine.authenticationFailed("again") == [])
    }

    @Test func authenticationDecisionsOutsideAuthenticatingAreIgnored() {
        var machine = Self.machine(at: .awaitingUserAuth)
        #expect(machine.authenticationSucceeded() == [])
        #expect(machine.authenticationFailed("x") == [])
        #expect(machine.phase == .awaitingUserAuth)
    }

    @Test func unknownGlobalRequestIsRefusedThenCloses() {
        var machine = Self.forwarding()
        #expect(machine.receive(.globalRequest(.other(name: "keepalive@openssh.com"), wantReply: true)) == [
            .send(.requestFailure),
            .close(reason: "unknown global request 'keepalive@openssh.com'", disconnect: .protocolError),
        ])
        #expect(machine.phase == .closed)

        var quiet = Self.forwarding()
        #expect(quiet.receive(.globalRequest(.other(name: "x"), wantReply: false)) == [
            .close(reason: "unknown global request 'x'", disconnect: .protocolError),
        ])
    }

    @Test func deviceInitiatedChannelOpenIsRefused() {
        var machine = Self.forwarding()
        #expect(machine.receive(Self.channelOpenMessage(id: 9, port: 16992, originatorPort: 1)) == [
            .send(.channelOpenFailure(recipientChannel: 9, reason: .unknownChannelType)),
        ])
        #expect(APFChannelOpenFailureReason.unknownChannelType.rawValue == 3)
        #expect(machine.phase == .forwarding)
    }

    @Test func deviceDisconnectClosesWithoutDisconnect() throws {
        var machine = Self.forwarding()
        let local = try Self.openConfirmed(&machine)
        #expect(machine.receive(.disconnect(reason: .byApplication)) == [
            .channelClosed(localID: local),
            .close(reason: "device sent DISCONNECT (\(APFDisconnectReason.byApplication))", disconnect: nil),
        ])
        #expect(machine.phase == .closed)
    }

    struct OutOfOrder: Sendable, CustomTestStringConvertible {
        var phase: CIRAConnectionStateMachine.Phase
        var message: APFMessage
        var testDescription: String { "\(message.messageType) in \(phase)" }
    }

    static let outOfOrder: [OutOfOrder] = {
        let auth = APFMessage.serviceRequest(service: APFServiceName.authentication)
        let pfwd = APFMessage.serviceRequest(service: APFServiceName.portForwarding)
        let data = APFMessage.channelData(recipientChannel: 4, data: [1])
        let confirm = APFMessage.channelOpenConfirmation(recipientChannel: 4, senderChannel: 0, initialWindowSize: 100)
        let cases: [(Machine.Phase, [APFMessage])] = [
            (.awaitingProtocolVersion, [
                auth, pfwd, passwordAuth(), forward(16992), data, confirm, .channelClose(recipientChannel: 4),
                .windowAdjust(recipientChannel: 4, bytesToAdd: 1), .keepAliveRequest(cookie: 1), .keepAliveReply(cookie: 1),
                .keepAliveOptionsReply(interval: 1, timeout: 0), channelOpenMessage(id: 1, port: 16992, originatorPort: 1),
            ]),
            (.awaitingAuthService, [
                version(), pfwd, .serviceRequest(service: "ssh-userauth"), passwordAuth(), forward(16992), data, confirm,
                .channelOpenFailure(recipientChannel: 4, reason: .connectFailed), .keepAliveOptionsReply(interval: 1, timeout: 0),
            ]),
            (.awaitingUserAuth, [version(), auth, pfwd, forward(16992), data, .windowAdjust(recipientChannel: 4, bytesToAdd: 1),
                channelOpenMessage(id: 1, port: 16992, originatorPort: 1)]),
            (.awaitingPortForwardService, [
                forward(16992), auth, passwordAuth(), version(), data, confirm, .keepAliveOptionsReply(interval: 1, timeout: 0),
            ]),
            (.forwarding, [
                version(), auth, pfwd, passwordAuth(), .serviceAccept(service: APFServiceName.authentication), .userAuthSuccess,
                .userAuthFailure(methods: "password", partialSuccess: false), .requestSuccess(port: 16992),
                .requestSuccess(port: nil), .requestFailure, .keepAliveOptionsRequest(interval: 1, timeout: 0),
            ]),
        ]
        return cases.flatMap { phase, messages in messages.map { OutOfOrder(phase: phase, message: $0) } }
    }()

    @Test(arguments: outOfOrder)
    func outOfOrderMessageIsAProtocolError(_ entry: OutOfOrder) {
        var machine = Self.machine(at: entry.phase)
        #expect(machine.receive(entry.message) == Self.protocolError(entry.message, in: entry.phase))
        #expect(machine.phase == .closed)
        // Nothing happens after close.
        #expect(machine.receive(entry.message) == [])
        #expect(machine.receive(.keepAliveRequest(cookie: 1)) == [])
        #expect(machine.closeRequested("idle") == [])
        #expect(machine.transportClosed() == [])
    }

    /// A device that pipelines messages behind its USERAUTH_REQUEST gets nothing served until
    /// the credentials are checked; on success the held messages run in order.
    @Test func messagesPipelinedDuringAuthenticationAreHeldThenReplayed() {
        var machine = Self.machine(at: .authenticating)
        #expect(machine.receive(.serviceRequest(service: APFServiceName.portForwarding)) == [])
        #expect(machine.receive(Self.forward(16992)) == [])
        #expect(machine.forwardedPorts.isEmpty)
        let actions = machine.authenticationSucceeded()
        #expect(actions == [
            .send(.userAuthSuccess), .sessionEstablished(guid: Self.guid),
            .send(.serviceAccept(service: APFServiceName.portForwarding)),
            .send(.requestSuccess(port: 16992)), .portForwarded(16992), .scheduleKeepAliveOptions,
        ])
        #expect(machine.phase == .forwarding)
    }

    @Test func heldMessagesAreDroppedOnFailureAndJudgedAfterSuccess() {
        var failing = Self.machine(at: .authenticating)
        #expect(failing.receive(Self.forward(16992)) == [])
        #expect(failing.authenticationFailed("wrong password") == [
            .send(.userAuthFailure(methods: "password", partialSuccess: false)),
            .close(reason: "authentication failed: wrong password", disconnect: nil),
        ])
        // A held message that is out of order after authentication is a protocol error then.
        var machine = Self.machine(at: .authenticating)
        #expect(machine.receive(Self.version()) == [])
        let actions = machine.authenticationSucceeded()
        #expect(actions.last == .close(reason: "unexpected protocolVersion in phase awaitingPortForwardService", disconnect: .protocolError))
        #expect(machine.phase == .closed)
        // The number of held messages is bounded.
        var flooding = Self.machine(at: .authenticating)
        for _ in 0..<64 { #expect(flooding.receive(Self.forward(16992)) == []) }
        #expect(flooding.receive(Self.forward(16992)).last == .close(reason: "too many messages before authentication completed", disconnect: .protocolError))
    }

    @Test func outOfOrderCloseEndsOpenChannelsFirst() throws {
        var machine = Self.forwarding(ports: [16992, 16993])
        let first = try Self.openConfirmed(&machine)
        let second = try machine.openChannel(port: 16993).get().localID
        #expect(machine.receive(.userAuthSuccess) == [
            .channelClosed(localID: first), .channelClosed(localID: second),
        ] + Self.protocolError(.userAuthSuccess, in: .forwarding))
        #expect(machine.openChannelCount == 0)
    }

    @Test func closeRequestedClosesOnce() {
        var machine = Self.forwarding()
        #expect(machine.closeRequested("idle timeout", disconnect: .connectionTimedOut) == [
            .close(reason: "idle timeout", disconnect: .connectionTimedOut),
        ])
        #expect(machine.closeRequested("again") == [])
        #expect(machine.keepAliveOptionsDue() == [])
        #expect(throws: Machine.ChannelRefusal.notReady) { _ = try machine.openChannel(port: 16992).get() }
    }

    // MARK: - Channels

    @Test func channelsOpenOnlyAfterForwardingAndOnlyToForwardedPorts() throws {
        for phase: Machine.Phase in [.awaitingProtocolVersion, .awaitingAuthService, .awaitingUserAuth, .authenticating, .awaitingPortForwardService] {
            var machine = Self.machine(at: phase)
            #expect(throws: Machine.ChannelRefusal.notReady) { _ = try machine.openChannel(port: 16992).get() }
        }
        var machine = Self.forwarding(ports: [16992])
        #expect(throws: Machine.ChannelRefusal.portNotForwarded(16993)) { _ = try machine.openChannel(port: 16993).get() }

        let (first, actions) = try machine.openChannel(port: 16992).get()
        #expect(first == 4)
        #expect(actions == [.send(Self.channelOpenMessage(id: 4, port: 16992, originatorPort: 1024))])
        let (second, secondActions) = try machine.openChannel(port: 16992).get()
        #expect(second == 5)
        #expect(secondActions == [.send(Self.channelOpenMessage(id: 5, port: 16992, originatorPort: 1025))])
        // Ids keep increasing even after a channel goes away (never reused).
        _ = machine.receive(.channelOpenFailure(recipientChannel: 4, reason: .connectFailed))
        #expect(try machine.openChannel(port: 16992).get().localID == 6)
        #expect(machine.openChannelCount == 2)
    }

    @Test func channelLimit() throws {
        var settings = CIRASettings()
        settings.maxChannelsPerConnection = 2
        var machine = Self.forwarding(settings: settings)
        _ = try machine.openChannel(port: 16992).get()
        _ = try machine.openChannel(port: 16992).get()
        #expect(throws: Machine.ChannelRefusal.tooManyChannels(2)) { _ = try machine.openChannel(port: 16992).get() }
        _ = machine.receive(.channelOpenFailure(recipientChannel: 4, reason: .resourceShortage))
        #expect(try machine.openChannel(port: 16992).get().localID == 6)
    }

    @Test func unansweredClosesDoNotFillTheChannelTable() throws {
        var settings = CIRASettings()
        settings.maxChannelsPerConnection = 2
        var machine = Self.forwarding(settings: settings)
        // Two channels closed before the device ever confirmed them: zombies.
        let first = try machine.openChannel(port: 16992).get().localID
        let second = try machine.openChannel(port: 16992).get().localID
        #expect(machine.closeChannel(first).isEmpty)
        #expect(machine.closeChannel(second).isEmpty)
        // The table is full of zombies only: a new open forgets them instead of failing.
        let third = try machine.openChannel(port: 16992).get().localID
        #expect(machine.openChannelCount == 1)
        // A late confirmation of a forgotten channel is ignored (no action, no close).
        #expect(machine.receive(.channelOpenConfirmation(recipientChannel: first, senderChannel: 9, initialWindowSize: 4096)).isEmpty)
        #expect(machine.phase == .forwarding)
        // Live channels still count against the limit.
        _ = try machine.openChannel(port: 16992).get()
        #expect(throws: Machine.ChannelRefusal.tooManyChannels(2)) { _ = try machine.openChannel(port: 16992).get() }
        _ = third
    }

    @Test func forwardedPortsAreCapped() {
        var settings = CIRASettings()
        settings.maxForwardedPorts = 3
        var machine = Self.forwarding(ports: [1, 2, 3], settings: settings)
        #expect(machine.receive(Self.forward(4)) == [.send(.requestFailure)])
        #expect(machine.forwardedPorts == [1, 2, 3])
        // Re-forwarding a known port is fine.
        #expect(machine.receive(Self.forward(2)) == [.send(.requestSuccess(port: 2)), .portForwarded(2)])
        #expect(machine.phase == .forwarding)
    }

    @Test func openFailure() throws {
        var machine = Self.forwarding()
        let local = try machine.openChannel(port: 16992).get().localID
        #expect(machine.receive(.channelOpenFailure(recipientChannel: local, reason: .connectFailed))
            == [.channelOpenFailed(localID: local, reason: .connectFailed)])
        #expect(machine.receive(.channelOpenFailure(recipientChannel: local, reason: .connectFailed)) == [])
        #expect(machine.openChannelCount == 0)
        #expect(throws: Machine.ChannelRefusal.unknownChannel) { _ = try machine.write([1], to: local).get() }
    }

    @Test func dataWrittenBeforeConfirmationIsFlushedWithinTheDeviceWindow() throws {
        var machine = Self.forwarding()
        let local = try machine.openChannel(port: 16992).get().localID
        let payload = (0..<250).map { UInt8($0) }
        #expect(try machine.write(Array(payload[0..<100]), to: local).get() == [])
        #expect(try machine.write(Array(payload[100...]), to: local).get() == [])

        #expect(machine.receive(.channelOpenConfirmation(recipientChannel: local, senderChannel: 7, initialWindowSize: 120)) == [
            .channelOpened(localID: local),
            .send(.channelData(recipientChannel: 7, data: Array(payload[0..<120]))),
            .channelFlushed(localID: local, total: 120),
        ])
        #expect(machine.receive(.windowAdjust(recipientChannel: local, bytesToAdd: 100)) == [
            .send(.channelData(recipientChannel: 7, data: Array(payload[120..<220]))),
            .channelFlushed(localID: local, total: 220),
        ])
        #expect(machine.receive(.windowAdjust(recipientChannel: local, bytesToAdd: 1000)) == [
            .send(.channelData(recipientChannel: 7, data: Array(payload[220...]))),
            .channelFlushed(localID: local, total: 250),
        ])
        // Credits left (970): a new write goes out at once, totals stay cumulative.
        #expect(try machine.write([9, 9], to: local).get() == [
            .send(.channelData(recipientChannel: 7, data: [9, 9])), .channelFlushed(localID: local, total: 252),
        ])
        // Nothing buffered: a window adjust sends nothing (never an empty CHANNEL_DATA).
        #expect(machine.receive(.windowAdjust(recipientChannel: local, bytesToAdd: 5)) == [])
    }

    @Test func neverAnEmptyChannelData() throws {
        var machine = Self.forwarding()
        let local = try machine.openChannel(port: 16992).get().localID
        _ = try machine.write([1, 2, 3], to: local).get()
        #expect(machine.receive(.channelOpenConfirmation(recipientChannel: local, senderChannel: 0, initialWindowSize: 0))
            == [.channelOpened(localID: local)])
        #expect(machine.receive(.windowAdjust(recipientChannel: local, bytesToAdd: 0)) == [])
        #expect(try machine.write([], to: local).get() == [])
        #expect(try machine.write([4], to: local).get() == [])
        #expect(machine.receive(.windowAdjust(recipientChannel: local, bytesToAdd: 2)) == [
            .send(.channelData(recipientChannel: 0, data: [1, 2])), .channelFlushed(localID: local, total: 2),
        ])
        #expect(machine.receive(.windowAdjust(recipientChannel: local, bytesToAdd: UInt32.max)) == [
            .send(.channelData(recipientChannel: 0, data: [3, 4])), .channelFlushed(localID: local, total: 4),
        ])
    }

    @Test func windowAdjustOnlyAfterMoreThanHalfTheWindowIsConsumed() throws {
        var machine = Self.forwarding()
        let local = try Self.openConfirmed(&machine, deviceID: 3)
        let half = Int(Self.window / 2)
        #expect(machine.receive(.channelData(recipientChannel: local, data: [UInt8](repeating: 1, count: half + 1)))
            == [.channelData(localID: local, bytes: [UInt8](repeating: 1, count: half + 1))])
        #expect(machine.consumed(half - 1, on: local) == [])
        #expect(machine.consumed(1, on: local) == [])  // exactly half: not yet
        #expect(machine.consumed(1, on: local) == [.send(.windowAdjust(recipientChannel: 3, bytesToAdd: UInt32(half + 1)))])
        #expect(machine.consumed(1, on: local) == [])  // counter restarted
        #expect(machine.consumed(0, on: local) == [])
        #expect(machine.consumed(half, on: local) == [.send(.windowAdjust(recipientChannel: 3, bytesToAdd: UInt32(half + 1)))])
        #expect(machine.consumed(100, on: 99) == [])
    }

    @Test func dataBeyondTwiceTheWindowClosesTheChannel() throws {
        var machine = Self.forwarding()
        let local = try Self.openConfirmed(&machine, deviceID: 2)
        let full = [UInt8](repeating: 0, count: Int(Self.window))
        #expect(machine.receive(.channelData(recipientChannel: local, data: full)) == [.channelData(localID: local, bytes: full)])
        #expect(machine.receive(.channelData(recipientChannel: local, data: full)) == [.channelData(localID: local, bytes: full)])
        #expect(machine.receive(.channelData(recipientChannel: local, data: [1])) == [
            .send(.channelClose(recipientChannel: 2)), .channelClosed(localID: local),
        ])
        // The channel ended once: no second close, no second channelClosed.
        #expect(machine.receive(.channelData(recipientChannel: local, data: [1])) == [])
        #expect(machine.closeChannel(local) == [])
        #expect(machine.receive(.channelClose(recipientChannel: local)) == [])
        #expect(machine.transportClosed() == [])
    }

    @Test func closeBeforeConfirmationSendsCloseOnConfirmation() throws {
        var machine = Self.forwarding()
        let local = try machine.openChannel(port: 16992).get().localID
        _ = try machine.write([1, 2], to: local).get()
        #expect(machine.closeChannel(local) == [])
        #expect(machine.closeChannel(local) == [])
        #expect(throws: Machine.ChannelRefusal.unknownChannel) { _ = try machine.write([3], to: local).get() }
        #expect(machine.receive(.windowAdjust(recipientChannel: local, bytesToAdd: 10)) == [])
        #expect(machine.receive(.channelOpenConfirmation(recipientChannel: local, senderChannel: 5, initialWindowSize: 100))
            == [.send(.channelClose(recipientChannel: 5))])
        #expect(machine.closeChannel(local) == [])
        #expect(machine.receive(.channelData(recipientChannel: local, data: [1])) == [])
        #expect(machine.receive(.channelClose(recipientChannel: local)) == [.channelClosed(localID: local)])
        #expect(machine.openChannelCount == 0)
    }

    @Test func localCloseIsSentOnceAndRemoteAnswerEndsTheChannel() throws {
        var machine = Self.forwarding()
        let local = try Self.openConfirmed(&machine, deviceID: 1, window: 0)
        _ = try machine.write([1, 2, 3], to: local).get()
        #expect(machine.closeChannel(local) == [.send(.channelClose(recipientChannel: 1))])
        #expect(machine.closeChannel(local) == [])
        // The buffered output is dropped: no data after CHANNEL_CLOSE.
        #expect(machine.receive(.windowAdjust(recipientChannel: local, bytesToAdd: 100)) == [])
        #expect(throws: Machine.ChannelRefusal.unknownChannel) { _ = try machine.write([4], to: local).get() }
        // Data on a closing channel is dropped, and consumed grants nothing.
        #expect(machine.receive(.channelData(recipientChannel: local, data: [7])) == [])
        #expect(machine.consumed(20000, on: local) == [])
        // The device's answer ends the channel without a second CHANNEL_CLOSE.
        #expect(machine.receive(.channelClose(recipientChannel: local)) == [.channelClosed(localID: local)])
        #expect(machine.receive(.channelClose(recipientChannel: local)) == [])
        #expect(machine.closeChannel(local) == [])
        #expect(machine.openChannelCount == 0)
    }

    @Test func remoteCloseIsAnsweredWithOurClose() throws {
        var machine = Self.forwarding()
        let local = try Self.openConfirmed(&machine, deviceID: 0)
        #expect(machine.receive(.channelClose(recipientChannel: local)) == [
            .send(.channelClose(recipientChannel: 0)), .channelClosed(localID: local),
        ])
        #expect(machine.closeChannel(local) == [])
        #expect(machine.receive(.channelData(recipientChannel: local, data: [1])) == [])
        #expect(machine.receive(.channelClose(recipientChannel: local)) == [])
        #expect(machine.receive(.channelClose(recipientChannel: 77)) == [])  // unknown: ignored
    }

    @Test func duplicateConfirmationIsAProtocolError() throws {
        var machine = Self.forwarding()
        let local = try Self.openConfirmed(&machine)
        #expect(machine.receive(.channelOpenConfirmation(recipientChannel: local, senderChannel: 0, initialWindowSize: 1)) == [
            .channelClosed(localID: local),
            .close(reason: "duplicate CHANNEL_OPEN_CONFIRMATION for channel \(local)", disconnect: .protocolError),
        ])
        // Confirmation for a channel never opened: ignored.
        var other = Self.forwarding()
        #expect(other.receive(.channelOpenConfirmation(recipientChannel: 42, senderChannel: 0, initialWindowSize: 1)) == [])
        #expect(other.phase == .forwarding)
    }

    @Test func transportClosedEndsEveryChannelOnce() throws {
        var machine = Self.forwarding(ports: [16992, 16993])
        let open = try Self.openConfirmed(&machine, deviceID: 0)
        let opening = try machine.openChannel(port: 16993).get().localID
        let closing = try Self.openConfirmed(&machine, deviceID: 1)
        _ = machine.closeChannel(closing)
        #expect(machine.transportClosed() == [
            .channelClosed(localID: open), .channelClosed(localID: opening), .channelClosed(localID: closing),
        ])
        #expect(machine.phase == .closed)
        #expect(machine.openChannelCount == 0)
        #expect(machine.transportClosed() == [])
        #expect(machine.closeChannel(open) == [])
        #expect(machine.consumed(100_000, on: open) == [])
        #expect(throws: Machine.ChannelRefusal.unknownChannel) { _ = try machine.write([1], to: open).get() }
        #expect(machine.receive(.channelData(recipientChannel: open, data: [1])) == [])
        #expect(machine.receive(.disconnect(reason: .byApplication)) == [])
    }
}
