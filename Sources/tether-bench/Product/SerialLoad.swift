import NIOCore
import NIOHTTP1
import NIOPosix

/// Closed-loop latency on one keep-alive connection: each request is sent when the previous
/// answer has arrived, so the latency is the round trip of an otherwise idle host (the issue's
/// "latency, 1 connection"). Shares `OpenLoopLoad.Request` and `.Result` with the open-loop load.
enum SerialLoad {
    static func run(
        port: Int, token: String, count: Int, group: any EventLoopGroup, request: @escaping @Sendable (Int) -> OpenLoopLoad.Request
    ) async throws -> OpenLoopLoad.Result {
        let waiter = AnswerWaiter()
        let channel = try await OpenLoopLoad.connect(port: port, group: group, answers: waiter)
        defer { channel.close(promise: nil) }
        var result = OpenLoopLoad.Result(scheduled: count)
        for index in 0..<count {
            let spec = request(index)
            let started = ContinuousClock.now
            let status = try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Int> in
                let answered = channel.eventLoop.makePromise(of: Int.self)
                waiter.expect(answered)
                spec.send(on: channel, authorization: "Bearer \(token)")
                return answered.futureResult
            }.get()
            let elapsed = ContinuousClock.now - started
            result.statuses[status, default: 0] += 1
            if (200..<300).contains(status) {
                result.completed += 1
                result.latencies.append(elapsed)
            } else {
                result.errors += 1
            }
        }
        result.latencies.sort()
        return result
    }
}

/// Completes the promise of the one outstanding request with its status. Confined to its
/// channel's event loop.
private final class AnswerWaiter: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: every method runs on the channel's event loop (handler callbacks and the
    // `flatSubmit` closure of `SerialLoad.run`).
    typealias InboundIn = HTTPClientResponsePart

    private var waiting: EventLoopPromise<Int>?
    private var status = 0

    func expect(_ promise: EventLoopPromise<Int>) { waiting = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response): status = Int(response.status.code)
        case .body: break
        case .end:
            waiting?.succeed(status)
            waiting = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        waiting?.fail(error)
        waiting = nil
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        waiting?.fail(ChannelError.ioOnClosedChannel)
        waiting = nil
    }
}
