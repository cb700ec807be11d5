import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Open-loop HTTP load: requests leave on a fixed schedule (`rate` per second) whatever the
/// server does, pipelined round-robin over keep-alive connections, and each latency is measured
/// from the request's *scheduled* send time. A server that falls behind therefore shows its
/// queueing in the latencies instead of slowing the generator down (no coordinated omission).
/// Hand-written because `wrk` is closed-loop and no open-loop generator is packaged here.
enum OpenLoopLoad {
    struct Request: Sendable {
        var method: HTTPMethod
        var path: String
        var body: [UInt8]?

        /// Writes and flushes the request on `channel` (call on its event loop).
        func send(on channel: any Channel, authorization: String) {
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: "127.0.0.1")
            head.headers.add(name: "Authorization", value: authorization)
            if let body {
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: String(body.count))
            }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body {
                channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
            }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
    }

    struct Result: Sendable {
        var scheduled = 0
        var completed = 0
        /// Non-2xx answers and requests left unanswered at the end.
        var errors = 0
        var statuses: [Int: Int] = [:]
        /// Sorted latencies of the answered requests.
        var latencies: [Duration] = []

        func percentile(_ p: Double) -> Duration {
            guard !latencies.isEmpty else { return .zero }
            return latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
    }

    /// A keep-alive HTTP/1.1 connection to 127.0.0.1:`port` whose answers go to `answers`.
    static func connect(
        port: Int, group: any EventLoopGroup, answers: any ChannelInboundHandler & Sendable
    ) async throws -> any Channel {
        try await ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.pipeline.addHTTPClientHandlers().flatMap { channel.pipeline.addHandler(answers) }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }

    /// Sends `rate` requests per second for `duration` over `connections` connections to
    /// 127.0.0.1:`port`, then waits up to `drain` for the last answers.
    static func run(
        port: Int, token: String, rate: Double, duration: Duration, connections: Int, drain: Duration = .seconds(10),
        group: any EventLoopGroup, request: @escaping @Sendable (Int) -> Request
    ) async throws -> Result {
        var opened: [(any Channel, ResponseCollector)] = []
        for _ in 0..<connections {
            let collector = ResponseCollector()
            opened.append((try await connect(port: port, group: group, answers: collector), collector))
        }
        let channels = opened
        let total = Int(rate * seconds(duration))
        let start = NIODeadline.now()
        let interval = 1e9 / rate
        let authorization = "Bearer \(token)"
        // The schedule: every millisecond, send what is due by now.
        let driverLoop = group.next()
        let sent = NIOLockedValueBox(0)
        let finished = driverLoop.makePromise(of: Void.self)
        let ticker = driverLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { task in
            let elapsed = Double((NIODeadline.now() - start).nanoseconds)
            let due = min(total, Int(elapsed / interval) + 1)
            let first = sent.withLockedValue { value in
                defer { value = due }
                return value
            }
            for index in first..<max(first, due) {
                let intended = start + .nanoseconds(Int64(Double(index) * interval))
                let (channel, collector) = channels[index % channels.count]
                let spec = request(index)
                channel.eventLoop.execute {
                    collector.expect(intended)
                    spec.send(on: channel, authorization: authorization)
                }
            }
            if due >= total {
                task.cancel()
                finished.succeed()
            }
        }
        try await finished.futureResult.get()
        _ = ticker
        // Wait for the stragglers, bounded.
        let drainDeadline = ContinuousClock.now + drain
        while ContinuousClock.now < drainDeadline {
            var outstanding = 0
            for (channel, collector) in channels {
                outstanding += try await channel.eventLoop.submit { collector.outstanding }.get()
            }
            if outstanding == 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        var result = Result(scheduled: total)
        for (channel, collector) in channels {
            let part = try await channel.eventLoop.submit { collector.snapshot() }.get()
            result.completed += part.latencies.count
            result.errors += part.errors + part.outstanding
            result.latencies += part.latencies
            result.statuses.merge(part.statuses, uniquingKeysWith: +)
            try? await channel.close()
        }
        result.latencies.sort()
        return result
    }
}

/// Collects answers on one connection, in order (HTTP/1.1 answers pipelined requests in order).
/// Confined to its channel's event loop.
private final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: every method runs on the channel's event loop (handler callbacks, and the
    // `execute`/`submit` closures of `OpenLoopLoad.run` on `channel.eventLoop`).
    typealias InboundIn = HTTPClientResponsePart

    private var pending: [NIODeadline] = []
    private var head = 0
    private var status = 0
    private var latencies: [Duration] = []
    private var errors = 0
    private var statuses: [Int: Int] = [:]

    var outstanding: Int { pending.count - head }

    func expect(_ intended: NIODeadline) { pending.append(intended) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response): status = Int(response.status.code)
        case .body: break
        case .end:
            guard head < pending.count else { return }
            let intended = pending[head]
            head += 1
            statuses[status, default: 0] += 1
            if (200..<300).contains(status) {
                latencies.append(.nanoseconds((NIODeadline.now() - intended).nanoseconds))
            } else {
                errors += 1
            }
        }
    }

    func snapshot() -> (latencies: [Duration], errors: Int, outstanding: Int, statuses: [Int: Int]) {
        (latencies, errors, outstanding, statuses)
    }
}
