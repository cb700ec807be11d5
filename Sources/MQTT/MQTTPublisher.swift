import NIOCore
import NIOPosix
import Synchronization

/// A QoS 1 MQTT 3.1.1 publisher on NIO: CONNECT/CONNACK, PUBLISH/PUBACK with up to
/// `maxInFlight` unacknowledged messages, PINGREQ keep-alives, and reconnects with exponential
/// backoff. Messages published while the broker is away wait in a bounded queue (overflow is
/// dropped and counted); unacknowledged ones are resent with DUP after a reconnect, so every
/// queued message reaches the broker at least once. `publish` never blocks. Thread-safe.
public final class MQTTPublisher: Sendable {
    /// Counters (served on `/metrics`).
    public struct Counters: Sendable, Equatable {
        public var queued = 0
        public var inFlight = 0
        public var acknowledged = 0
        public var dropped = 0
        public var connects = 0
        public var connectFailures = 0
        public var connected = false
    }

    struct Message: Sendable {
        var topic: String
        var payload: [UInt8]
    }

    private struct State {
        var pending: [Message] = []
        var pendingHead = 0
        var inFlight: [UInt16: Message] = [:]
        var inFlightOrder: [UInt16] = []
        var nextPacketID: UInt16 = 1
        var channel: (any Channel)?
        var connected = false
        var stopped = false
        var backoff: Duration
        var lastInbound = ContinuousClock.now
        var counters = Counters()
    }

    public let settings: MQTTSettings
    private let group: any EventLoopGroup
    private let state: Mutex<State>
    private let timers = Mutex<[Task<Void, Never>]>([])
    /// Called with a one-line description on connect, disconnect and connect failures (never secrets).
    private let log: @Sendable (String) -> Void

    public init(settings: MQTTSettings, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.settings = settings
        self.group = group
        self.log = log
        self.state = Mutex(State(backoff: settings.initialBackoff))
    }

    /// Starts connecting (and keeps reconnecting until ``stop()``).
    public func start() {
        connect()
        let keepAlive = Duration.seconds(Int64(max(1, settings.keepAliveSeconds)))
        let pinger = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: keepAlive / 2)
                self?.keepAliveTick(keepAlive)
            }
        }
        timers.withLock { $0.append(pinger) }
    }

    /// Queues a message for `topic` (QoS 1). Returns false when the queue is full (dropped).
    @discardableResult
    public func publish(topic: String, payload: [UInt8]) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopped, state.pending.count - state.pendingHead < settings.queueCapacity else {
                state.counters.dropped += 1
                return false
            }
            state.pending.append(Message(topic: topic, payload: payload))
            return true
        }
        if accepted { pump() }
        return accepted
    }

    public var counters: Counters {
        state.withLock { state in
            var counters = state.counters
            counters.queued = state.pending.count - state.pendingHead
            counters.inFlight = state.inFlight.count
            counters.connected = state.connected
            return counters
        }
    }

    /// Sends DISCONNECT when connected, closes the connection and stops reconnecting. Queued
    /// messages are discarded.
    public func stop() async {
        let channel = state.withLock { state -> (any Channel)? in
            state.stopped = true
            state.connected = false
            return state.channel
        }
        timers.withLock { $0 }.forEach { $0.cancel() }
        if let channel {
            try? await channel.writeAndFlush(ByteBuffer(bytes: MQTTPacket.disconnect.encode())).get()
            try? await channel.close().get()
        }
    }

    // MARK: Connection

    private func connect() {
        guard !state.withLock({ $0.stopped }) else { return }
        let timeout = TimeAmount(settings.connectTimeout)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let self else { return }
                    try channel.pipeline.syncOperations.addHandler(MQTTClientHandler(publisher: self))
                }
            }
        bootstrap.connect(host: settings.host, port: settings.port).whenComplete { [weak self] result in
            guard let self else { return }
            switch result {
            case .failure(let error):
                self.connectFailed("cannot connect to \(self.settings.host):\(self.settings.port): \(error)")
            case .success(let channel):
                let stopped = self.state.withLock { state -> Bool in
                    if !state.stopped { state.channel = channel }
                    return state.stopped
                }
                if stopped {
                    channel.close(promise: nil)
                    return
                }
                let connect = MQTTPacket.connect(
                    clientID: self.settings.clientID, keepAliveSeconds: self.settings.keepAliveSeconds, cleanSession: true,
                    username: self.settings.username, password: self.settings.password)
                channel.writeAndFlush(ByteBuffer(bytes: connect.encode()), promise: nil)
                // No CONNACK within the deadline: give up on this connection.
                channel.eventLoop.scheduleTask(in: timeout) { [weak self] in
                    guard let self, !self.state.withLock({ $0.connected }) else { return }
                    channel.close(promise: nil)
                }
            }
        }
    }

    private func connectFailed(_ reason: String) {
        state.withLock { $0.counters.connectFailures += 1 }
        log(reason)
        scheduleReconnect()
    }

    private func scheduleReconnect() {
        let delay = state.withLock { state -> Duration? in
            guard !state.stopped else { return nil }
            let delay = state.backoff
            state.backoff = min(settings.maxBackoff, state.backoff * 2)
            return delay
        }
        guard let delay else { return }
        let task = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            self?.connect()
        }
        timers.withLock { timers in
            timers.removeAll { $0.isCancelled }
            timers.append(task)
        }
    }

    private func keepAliveTick(_ keepAlive: Duration) {
        let (channel, silent) = state.withLock { state in
            (state.connected ? state.channel : nil, ContinuousClock.now - state.lastInbound > keepAlive * 3 / 2)
        }
        guard let channel else { return }
        if silent {
            log("MQTT broker silent for more than 1.5 × keep-alive; reconnecting")
            channel.close(promise: nil)
        } else {
            channel.writeAndFlush(ByteBuffer(bytes: MQTTPacket.pingreq.encode()), promise: nil)
        }
    }

    // MARK: Inbound (on the channel's event loop)

    func received(_ packet: MQTTPacket, on channel: any Channel) {
        state.withLock { $0.lastInbound = ContinuousClock.now }
        switch packet {
        case .connack(_, let code):
            guard code == 0 else {
                log("MQTT broker refused the connection (return code \(code))")
                channel.close(promise: nil)
                return
            }
            let resend = state.withLock { state -> [(UInt16, Message)] in
                state.connected = true
                state.backoff = settings.initialBackoff
                state.counters.connects += 1
                return state.inFlightOrder.compactMap { id in state.inFlight[id].map { (id, $0) } }
            }
            log("MQTT connected to \(settings.host):\(settings.port)")
            for (id, message) in resend {
                write(.publish(topic: message.topic, payload: message.payload, qos: 1, packetID: id, duplicate: true, retain: false), on: channel)
            }
            channel.flush()
            pump()
        case .puback(let id):
            state.withLock { state in
                if state.inFlight.removeValue(forKey: id) != nil {
                    state.inFlightOrder.removeAll { $0 == id }
                    state.counters.acknowledged += 1
                }
            }
            pump()
        default:
            break
        }
    }

    func disconnected(_ channel: any Channel) {
        let wasCurrent = state.withLock { state -> Bool in
            guard state.channel === channel else { return false }
            state.channel = nil
            state.connected = false
            return true
        }
        guard wasCurrent else { return }
        log("MQTT connection to \(settings.host):\(settings.port) closed")
        scheduleReconnect()
    }

    /// Sends queued messages while the in-flight window has room.
    private func pump() {
        let (channel, batch) = state.withLock { state -> ((any Channel)?, [(UInt16, Message)]) in
            guard state.connected, let channel = state.channel else { return (nil, []) }
            var batch: [(UInt16, Message)] = []
            while state.inFlight.count < settings.maxInFlight, state.pendingHead < state.pending.count {
                let message = state.pending[state.pendingHead]
                state.pendingHead += 1
                var id = state.nextPacketID
                while state.inFlight[id] != nil || id == 0 { id &+= 1 }
                state.nextPacketID = id &+ 1
                state.inFlight[id] = message
                state.inFlightOrder.append(id)
                batch.append((id, message))
            }
            if state.pendingHead > 1024, state.pendingHead * 2 >= state.pending.count {
                state.pending.removeFirst(state.pendingHead)
                state.pendingHead = 0
            }
            return (channel, batch)
        }
        guard let channel, !batch.isEmpty else { return }
        for (id, message) in batch {
            write(.publish(topic: message.topic, payload: message.payload, qos: 1, packetID: id, duplicate: false, retain: false), on: channel)
        }
        channel.flush()
    }

    private func write(_ packet: MQTTPacket, on channel: any Channel) {
        channel.write(ByteBuffer(bytes: packet.encode()), promise: nil)
    }
}

/// Decodes the broker's packets and hands them to the publisher; closes on a protocol error.
private final class MQTTClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private weak var publisher: MQTTPublisher?
    private var decoder = MQTTDecoder(maxPacketBytes: 64 << 10)

    init(publisher: MQTTPublisher) { self.publisher = publisher }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        decoder.append(unwrapInboundIn(data).readableBytesView)
        do {
            while let packet = try decoder.next() { publisher?.received(packet, on: context.channel) }
        } catch {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        publisher?.disconnected(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
