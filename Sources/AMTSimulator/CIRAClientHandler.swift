import APF
import NIOCore
import TetherTLS

/// Runs the device side of one CIRA connection on its event loop: the handshake after TLS,
/// keep-alives, and channels into the firmware.
final class CIRAClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: CIRAClientStateMachine
    private var decoder = APFDecoder()
    private var context: ChannelHandlerContext?
    private let firmware: any DeviceFirmware
    private let faults: DeviceFaults
    private let events: SimulatedDevice.Events
    private var connections: [UInt32: any FirmwareConnection] = [:]
    private var keepAlive: RepeatedTask?
    private var refusedChannels = 0
    private var keepAliveCookie: UInt32 = 0

    init(machine: CIRAClientStateMachine, firmware: any DeviceFirmware, faults: DeviceFaults, events: SimulatedDevice.Events) {
        self.machine = machine
        self.firmware = firmware
        self.faults = faults
        self.events = events
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompleted {
            perform(machine.start())
            context.flush()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { decoder.append(bytes) }
        do {
            while let message = try decoder.next() {
                perform(machine.receive(message))
            }
        } catch {
            events.failed("malformed APF from the server: \(error.message)")
            context.close(promise: nil)
        }
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        events.failed("\(error)")
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        keepAlive?.cancel()
        for connection in connections.values { connection.closed() }
        connections.removeAll()
        events.disconnected()
        context.fireChannelInactive()
    }

    private func perform(_ actions: [CIRAClientStateMachine.Action]) {
        for action in actions { perform(action) }
    }

    private func perform(_ action: CIRAClientStateMachine.Action) {
        guard let context else { return }
        switch action {
        case .send(let message):
            if faults.ignoreKeepAliveRequests, case .keepAliveReply = message { return }
            send(message)
        case .established:
            events.established()
            if let after = faults.dropConnectionAfter {
                context.eventLoop.scheduleTask(in: TimeAmount(after)) { context.close(promise: nil) }
            }
            if faults.sendMalformedAPF {
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: [0xEE, 0xFF, 0x00, 0x13, 0x37])), promise: nil)
            }
        case .keepAliveInterval(let seconds):
            keepAlive?.cancel()
            guard !faults.stopKeepAlives, seconds > 0 else { return }
            keepAlive = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(Int64(seconds)), delay: .seconds(Int64(seconds))) {
                [self] _ in
                keepAliveCookie &+= 1
                send(.keepAliveRequest(cookie: keepAliveCookie))
                self.context?.flush()
            }
        case .channelRequested(let hostChannel, let port, let hostWindow):
            openChannel(hostChannel: hostChannel, port: port, hostWindow: hostWindow)
        case .channelData(let id, let bytes):
            connections[id]?.received(bytes)
            perform(machine.consumed(bytes.count, on: id))
        case .channelClosed(let id):
            connections.removeValue(forKey: id)?.closed()
        case .fail(let reason):
            events.failed(reason)
            context.close(promise: nil)
        }
    }

    private func openChannel(hostChannel: UInt32, port: UInt32, hostWindow: UInt32) {
        guard let context else { return }
        if let reason = faults.refuseChannels, refusedChannels < (faults.refuseFirstChannels ?? Int.max) {
            refusedChannels += 1
            perform(machine.refuseChannel(hostChannel: hostChannel, reason: reason))
            return
        }
        switch firmware.connect(port: port) {
        case .failure(let refusal):
            perform(machine.refuseChannel(hostChannel: hostChannel, reason: refusal.reason))
        case .success(let connection):
            let (id, actions) = machine.acceptChannel(hostChannel: hostChannel, hostWindow: hostWindow)
            connections[id] = connection
            perform(actions)
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let identity = ObjectIdentifier(connection)
            let output = FirmwareOutput(
                eventLoop: context.eventLoop,
                sendBytes: { bytes in bound.value.firmwareSend(bytes, on: id, identity: identity) },
                closeChannel: { bound.value.firmwareClose(id, identity: identity) })
            connection.start(output: output)
        }
    }

    private func firmwareSend(_ bytes: [UInt8], on id: UInt32, identity: ObjectIdentifier) {
        guard connections[id].map(ObjectIdentifier.init) == identity else { return }  // the channel closed meanwhile
        perform(machine.write(bytes, on: id))
        context?.flush()
    }

    private func firmwareClose(_ id: UInt32, identity: ObjectIdentifier) {
        guard connections[id].map(ObjectIdentifier.init) == identity else { return }
        perform(machine.closeChannel(id))
        context?.flush()
    }

    private func send(_ message: APFMessage) {
        guard let context else { return }
        decoder.noteSent(message)
        var bytes: [UInt8] = []
        message.encode(into: &bytes)
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}
