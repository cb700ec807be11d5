import APF
import Testing
@testable import AMTSimulator

/// Pure tests of the device-side CIRA state machine (shared/reference/apf.md §2.4, §3): exact actions, no sockets.
@Suite struct CIRAClientStateMachineTests {
    typealias Machine = CIRAClientStateMachine
    typealias Action = CIRAClientStateMachine.Action

    static let uuid = AMTUUID(guidString: "4c4c4544-004b-4210-8033-b6c04f504633")!
    static let auth = APFServiceName.authentication
    static let pfwd = APFServiceName.portForwarding

    static func makeMachine(ports: [UInt32] = [16992, 16993], window: UInt32 = 8192) -> Machine {
        Machine(uuid: uuid, username: "admin", password: "P@ssw0rd", ports: ports, window: window)
    }

    /// A machine whose forwards were all acknowledged.
    static func established(ports: [UInt32] = [16992], window: UInt32 = 8192) -> Machine {
        var machine = makeMachine(ports: ports, window: window)
        _ = machine.start()
        _ = machine.receive(.serviceAccept(service: auth))
        _ = machine.receive(.userAuthSuccess)
        _ = machine.receive(.serviceAccept(service: pfwd))
        for _ in ports { _ = machine.receive(.requestSuccess(port: nil)) }
        precondition(machine.phase == .established)
        return machine
    }

    static func channelOpen(hostChannel: UInt32, port: UInt32 = 16992, window: UInt32 = 32768) -> APFMessage {
        .channelOpen(APFChannelOpen(
            senderChannel: hostChannel, initialWindowSize: window, connectedAddress: "", connectedPort: port,
            originatorAddress: "1.2.3.4", originatorPort: 1024))
    }

    @Test func firstFlight() {
        var machine = Self.makeMachine()
        #expect(machine.phase == .idle)
        #expect(machine.start() == [
            .send(.protocolVersion(APFProtocolVersion(major: 1, minor: 0, triggerReason: .periodic, uuid: Self.uuid))),
            .send(.serviceRequest(service: Self.auth)),
        ])
        #expect(machine.phase == .awaitingAuthAccept)
    }

    @Test func handshakeStepByStep() {
        var machine = Self.makeMachine(ports: [16992, 16993, 5900])
        _ = machine.start()
        #expect(machine.receive(.serviceAccept(service: Self.auth)) == [
            .send(.userAuthRequest(APFUserAuthRequest(username: "admin", serviceName: Self.pfwd, method: .password("P@ssw0rd")))),
        ])
        #expect(machine.phase == .awaitingAuthResult)
        #expect(machine.receive(.userAuthSuccess) == [.send(.serviceRequest(service: Self.pfwd))])
        #expect(machine.phase == .awaitingPortForwardAccept)
        #expect(machine.receive(.serviceAccept(service: Self.pfwd)) == [
            .send(.globalRequest(.tcpipForward(address: "", port: 16992), wantReply: true)),
            .send(.globalRequest(.tcpipForward(address: "", port: 16993), wantReply: true)),
            .send(.globalRequest(.tcpipForward(address: "", port: 5900), wantReply: true)),
        ])
        #expect(machine.phase == .forwarding)
        // Forwards count down to established.
        #expect(machine.receive(.requestSuccess(port: 16992)) == [])
        #expect(machine.receive(.requestSuccess(port: 16993)) == [])
        #expect(machine.phase == .forwarding)
        #expect(machine.receive(.requestSuccess(port: 5900)) == [.established])
        #expect(machine.phase == .established)
    }

    @Test func keepAliveOptionsReplyAndInterval() {
        var machine = Self.established()
        #expect(machine.receive(.keepAliveOptionsRequest(interval: 30, timeout: 90)) == [
            .send(.keepAliveOptionsReply(interval: 30, timeout: 90)), .keepAliveInterval(30),
        ])
        // Also accepted while forwards are still outstanding (the server may send it early).
        var early = Self.makeMachine()
        _ = early.start()
        _ = early.receive(.serviceAccept(service: Self.auth))
        _ = early.receive(.userAuthSuccess)
        _ = early.receive(.serviceAccept(service: Self.pfwd))
        #expect(early.receive(.keepAliveOptionsRequest(interval: 5, timeout: 0)) == [
            .send(.keepAliveOptionsReply(interval: 5, timeout: 0)), .keepAliveInterval(5),
        ])
        #expect(early.receive(.keepAliveRequest(cookie: 0xABCD)) == [.send(.keepAliveReply(cookie: 0xABCD))])
        #expect(early.receive(.keepAliveReply(cookie: 1)) == [])
    }

    @Test func authFailure() {
        var machine = Self.makeMachine()
        _ = machine.start()
        _ = machine.receive(.serviceAccept(service: Self.auth))
        #expect(machine.receive(.userAuthFailure(methods: "password", partialSuccess: false)) == [
            .fail("the server rejected the MPS username or password"),
        ])
        #expect(machine.phase == .closed)
    }

    @Test func refusedForwardFails() {
        var machine = Self.makeMachine()
        _ = machine.start()
        _ = machine.receive(.serviceAccept(service: Self.auth))
        _ = machine.receive(.userAuthSuccess)
        _ = machine.receive(.serviceAccept(service: Self.pfwd))
        #expect(machine.receive(.requestFailure) == [.fail("the server refused a port forward")])
        #expect(machine.phase == .closed)
    }

    @Test func serverDisconnectFails() {
        var machine = Self.established()
        #expect(machine.receive(.disconnect(reason: .protocolError)) == [
            .fail("server sent DISCONNECT (\(APFDisconnectReason.protocolError))"),
        ])
        #expect(machine.phase == .closed)
    }

    @Test(arguments: [
        APFMessage.userAuthSuccess,  // before the auth service was accepted
        .serviceAccept(service: APFServiceName.portForwarding),  // wrong service
        .requestSuccess(port: 16992),
        .channelOpen(APFChannelOpen(senderChannel: 4, initialWindowSize: 1, connectedAddress: "", connectedPort: 16992, originatorAddress: "", originatorPort: 1)),
        .protocolVersion(APFProtocolVersion(triggerReason: .periodic, uuid: CIRAClientStateMachineTests.uuid)),
    ])
    func unexpectedMessageFails(_ message: APFMessage) {
        var machine = Self.makeMachine()
        _ = machine.start()
        #expect(machine.receive(message) == [.fail("unexpected \(message.messageType) from the server in phase awaitingAuthAccept")])
        #expect(machine.phase == .closed)
    }

    @Test func unexpectedMessageWhenEstablishedFails() {
        var machine = Self.established()
        #expect(machine.receive(.userAuthSuccess) == [.fail("unexpected \(APFMessageType.userAuthSuccess) from the server in phase established")])
        #expect(machine.phase == .closed)
    }

    @Test func channelAcceptReusesTheLowestFreeID() {
        var machine = Self.established()
        #expect(machine.receive(Self.channelOpen(hostChannel: 4, window: 32768)) == [
            .channelRequested(hostChannel: 4, port: 16992, hostWindow: 32768),
        ])
        let first = machine.acceptChannel(hostChannel: 4, hostWindow: 32768)
        #expect(first.deviceChannel == 0)
        #expect(first.actions == [.send(.channelOpenConfirmation(recipientChannel: 4, senderChannel: 0, initialWindowSize: 8192))])
        #expect(machine.acceptChannel(hostChannel: 5, hostWindow: 32768).deviceChannel == 1)
        #expect(machine.acceptChannel(hostChannel: 6, hostWindow: 32768).deviceChannel == 2)
        // The server closes channel 0: answered once, then id 0 is free at once.
        #expect(machine.receive(.channelClose(recipientChannel: 0)) == [
            .send(.channelClose(recipientChannel: 4)), .channelClosed(deviceChannel: 0),
        ])
        #expect(machine.acceptChannel(hostChannel: 7, hostWindow: 32768).deviceChannel == 0)
        #expect(machine.acceptChannel(hostChannel: 8, hostWindow: 32768).deviceChannel == 3)
        #expect(machine.refuseChannel(hostChannel: 9, reason: .connectFailed) == [
            .send(.channelOpenFailure(recipientChannel: 9, reason: .connectFailed)),
        ])
    }

    @Test func outputFollowsTheServerWindow() {
        var machine = Self.established()
        let id = machine.acceptChannel(hostChannel: 4, hostWindow: 10).deviceChannel
        let bytes = (0..<25).map { UInt8($0) }
        #expect(machine.write(bytes, on: id) == [.send(.channelData(recipientChannel: 4, data: Array(bytes[0..<10])))])
        #expect(machine.write([99], on: id) == [])
        #expect(machine.receive(.windowAdjust(recipientChannel: id, bytesToAdd: 0)) == [])
        #expect(machine.receive(.windowAdjust(recipientChannel: id, bytesToAdd: 8)) == [
            .send(.channelData(recipientChannel: 4, data: Array(bytes[10..<18]))),
        ])
        #expect(machine.receive(.windowAdjust(recipientChannel: id, bytesToAdd: 100)) == [
            .send(.channelData(recipientChannel: 4, data: Array(bytes[18...]) + [99])),
        ])
        #expect(machine.write([1, 2], on: id) == [.send(.channelData(recipientChannel: 4, data: [1, 2]))])
        #expect(machine.write([], on: id) == [])
        #expect(machine.receive(.windowAdjust(recipientChannel: 42, bytesToAdd: 100)) == [])
    }

    @Test func windowAdjustAfterConsumingAQuarterWindow() {
        var machine = Self.established(window: 8192)
        let id = machine.acceptChannel(hostChannel: 6, hostWindow: 100).deviceChannel
        #expect(machine.receive(.channelData(recipientChannel: id, data: [1, 2, 3])) == [.channelData(deviceChannel: id, bytes: [1, 2, 3])])
        #expect(machine.receive(.channelData(recipientChannel: 9, data: [1])) == [])  // unknown channel
        #expect(machine.consumed(2047, on: id) == [])
        #expect(machine.consumed(1, on: id) == [.send(.windowAdjust(recipientChannel: 6, bytesToAdd: 2048))])
        #expect(machine.consumed(1, on: id) == [])
        #expect(machine.consumed(5000, on: id) == [.send(.windowAdjust(recipientChannel: 6, bytesToAdd: 5001))])
    }

    @Test func closeIsSentOnce() {
        var machine = Self.established()
        let id = machine.acceptChannel(hostChannel: 4, hostWindow: 100).deviceChannel
        #expect(machine.closeChannel(id) == [.send(.channelClose(recipientChannel: 4))])
        #expect(machine.closeChannel(id) == [])
        #expect(machine.write([1], on: id) == [])
        #expect(machine.consumed(8192, on: id) == [])
        #expect(machine.receive(.channelData(recipientChannel: id, data: [1])) == [])
        // The server's answer frees the id without a second CHANNEL_CLOSE.
        #expect(machine.receive(.channelClose(recipientChannel: id)) == [.channelClosed(deviceChannel: id)])
        #expect(machine.receive(.channelClose(recipientChannel: id)) == [])
        #expect(machine.closeChannel(id) == [])
        #expect(machine.channels.isEmpty)
    }

    @Test func closeWaitsForPendingOutputAndNoDataFollowsIt() {
        var machine = Self.established()
        let id = machine.acceptChannel(hostChannel: 4, hostWindow: 2).deviceChannel
        #expect(machine.write([1, 2, 3, 4, 5], on: id) == [.send(.channelData(recipientChannel: 4, data: [1, 2]))])
        // The firmware closes with output still waiting for credits: the close follows the data.
        #expect(machine.closeChannel(id) == [])
        #expect(machine.closeChannel(id) == [])
        #expect(machine.write([6], on: id) == [])
        #expect(machine.receive(.windowAdjust(recipientChannel: id, bytesToAdd: 1)) == [
            .send(.channelData(recipientChannel: 4, data: [3])),
        ])
        #expect(machine.receive(.windowAdjust(recipientChannel: id, bytesToAdd: 10)) == [
            .send(.channelData(recipientChannel: 4, data: [4, 5])), .send(.channelClose(recipientChannel: 4)),
        ])
        #expect(machine.receive(.windowAdjust(recipientChannel: id, bytesToAdd: 10)) == [])
        #expect(machine.receive(.channelClose(recipientChannel: id)) == [.channelClosed(deviceChannel: id)])
    }
}
