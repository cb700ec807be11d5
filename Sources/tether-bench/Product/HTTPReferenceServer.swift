import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// `tether-bench http-reference`: the yardsticks for the product's floor, the way
/// `openssl s_server` is for its handshakes. Every request gets
/// `200 {"serviceVersion":"reference"}` on a keep-alive connection, from
/// - `--server nio`: a bare SwiftNIO HTTP/1.1 server, answered inside the channel pipeline on
///   the connection's event loop (NIO's HTTP codec, one read and one write per request, nothing
///   else);
/// - `--server hummingbird`: a Hummingbird application with one route, on NIO's event loops as
///   Swift's global executor (what the host's HTTP listener is built on, without its gateway,
///   token check, plugin crossing and JSON codec).
///
/// The product benchmark spawns both and drives them with the same open-loop load as
/// `GET /api/v1/version` on `tether serve`. Prints its port on the first line of stdout.
struct HTTPReferenceServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http-reference", abstract: "A bare SwiftNIO HTTP/1.1 server (the product benchmark's yardstick).",
        shouldDisplay: false)

    enum Server: String, ExpressibleByArgument, CaseIterable {
        case nio, nioTask = "nio-task", hummingbird

        /// The `kind` of the report rows this server answered.
        var reportKind: String {
            switch self {
            case .nio: "bare SwiftNIO HTTP/1 server (reference)"
            case .nioTask: "bare SwiftNIO HTTP/1 server, a task per request (reference)"
            case .hummingbird: "bare Hummingbird server, one route (reference)"
            }
        }
    }

    @Option(help: "Port to listen on (0 = any free one; printed on stdout).")
    var port = 0

    @Option(help: "nio or hummingbird.")
    var server = Server.nio

    func run() async throws {
        switch server {
        case .nio: try runNIO(taskPerRequest: false)
        case .nioTask:
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
            try runNIO(taskPerRequest: true)
        case .hummingbird: try await runHummingbird()
        }
    }

    static let body = #"{"serviceVersion":"reference"}"#

    private func runHummingbird() async throws {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let router = Router()
        router.get("/api/v1/version") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: Self.body)))
        }
        var logger = Logger(label: "http-reference")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                FileHandle.standardOutput.write(Data("\(channel.localAddress?.port ?? 0)\n".utf8))
            },
            logger: logger)
        try await app.runService()
    }

    private func runNIO(taskPerRequest: Bool) throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ReferenceResponder(taskPerRequest: taskPerRequest))
                }
            }
            .bind(host: "127.0.0.1", port: port).wait()
        // One unbuffered write: the parent reads the port from the pipe at once.
        FileHandle.standardOutput.write(Data("\(channel.localAddress?.port ?? 0)\n".utf8))
        try channel.closeFuture.wait()
    }
}

/// Answers each request with a small fixed JSON body once its end arrives.
private final class ReferenceResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let body = Array(HTTPReferenceServer.body.utf8)
    private var keepAlive = true
    /// Whether the answer comes from a Swift task, written back on the channel's loop (the
    /// shape of an async responder), rather than inline.
    let taskPerRequest: Bool

    init(taskPerRequest: Bool) { self.taskPerRequest = taskPerRequest }

    /// The answer, from async code.
    private static func answer() async -> [UInt8] { body }

    private static func answerLater(_ context: NIOLoopBound<ChannelHandlerContext>, _ handler: NIOLoopBound<ReferenceResponder>) {
        Task {
            let body = await answer()
            context.eventLoop.execute { handler.value.respond(context: context.value, body: body) }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            guard taskPerRequest else { return respond(context: context, body: Self.body) }
            Self.answerLater(NIOLoopBound(context, eventLoop: context.eventLoop), NIOLoopBound(self, eventLoop: context.eventLoop))
        }
    }

    private func respond(context: ChannelHandlerContext, body: [UInt8]) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let keepAlive = keepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}

/// The reference server as a child process of the benchmark.
final class HTTPReferenceProcess {
    let process = Process()
    let port: Int
    var pid: Int32 { process.processIdentifier }

    let server: HTTPReferenceServer.Server

    init(_ server: HTTPReferenceServer.Server) throws {
        self.server = server
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["http-reference", "--server", server.rawValue]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = pipe.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first else { break }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)), port > 0 else {
            process.terminate()
            throw BenchError("tether-bench http-reference did not report its port")
        }
        self.port = port
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
