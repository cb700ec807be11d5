import Activation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import TetherTLS

/// The simulator's stand-in for rpc-go: connects to an activation server's websocket
/// (`ws://` or `wss://` through the repo's OpenSSL handler), sends one request and answers
/// every `wsman` message with the firmware's reply to the tunnelled HTTP request, until the
/// server sends `success` or `error`.
///
/// NIO's own websocket client upgrader is used (not Hummingbird's WSClient, which would pull
/// swift-nio-ssl/BoringSSL into the build for TLS the repo already does with OpenSSL).
public enum RPCClient {
    /// Activates (or runs `method` on) `firmware` and returns the server's final message.
    public static func run(
        method: String, firmware: AMTFirmware?, payload: DevicePayload, options: RPCClientOptions
    ) async throws(RPCClientError) -> RPCOutcome {
        let request = RPSMessage(
            method: method, apiKey: "key", appVersion: "amtsim", status: "ok", message: "ok", fqdn: "",
            payload: payload.encodedBase64(), tenantId: options.tenantId)
        return try await exchange(firstMessage: request.encoded(), firmware: firmware, options: options)
    }

    /// Sends `firstMessage` verbatim (tests send broken ones) and plays the client side.
    public static func exchange(
        firstMessage: String, firmware: AMTFirmware?, options: RPCClientOptions
    ) async throws(RPCClientError) -> RPCOutcome {
        let endpoint = try Endpoint(url: options.url)
        let channel = try await connect(endpoint, options: options)
        let result: Result<RPCOutcome, RPCClientError> = await withTaskGroup(of: Result<RPCOutcome, RPCClientError>?.self) { group in
            group.addTask {
                do {
                    return .success(try await converse(channel, firstMessage: firstMessage, firmware: firmware, faults: options.faults))
                } catch let error as RPCClientError {
                    return .failure(error)
                } catch {
                    return .failure(RPCClientError("websocket: \(error)"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: options.timeout)
                return Task.isCancelled ? nil : .failure(RPCClientError("no result within \(options.timeout)"))
            }
            var first: Result<RPCOutcome, RPCClientError>?
            while first == nil, let next = await group.next() { first = next }
            group.cancelAll()
            return first ?? .failure(RPCClientError("the client stopped"))
        }
        return try result.get()
    }

    private static func converse(
        _ channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, firstMessage: String, firmware: AMTFirmware?,
        faults: RPCClientFaults
    ) async throws -> RPCOutcome {
        try await channel.executeThenClose { inbound, outbound in
            /// A write can fail when the server has just answered with an error and closed; the
            /// reads that follow still deliver that answer.
            func sendText(_ text: String) async {
                try? await outbound.write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text)))
            }
            await sendText(firstMessage)
            var answered = 0
            var lastResponse: String?
            var partial = ByteBuffer()
            for try await frame in inbound {
                switch frame.opcode {
                case .ping:
                    try? await outbound.write(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData))
                    continue
                case .connectionClose:
                    return RPCOutcome(method: "closed", message: "the server closed the websocket", wsmanCount: answered)
                case .text, .continuation:
                    var data = frame.unmaskedData
                    partial.writeBuffer(&data)
                    guard frame.fin else { continue }
                default:
                    continue
                }
                let text = String(buffer: partial)
                partial.clear()
                let message: RPSMessage
                do {
                    message = try RPSMessage.decode(text)
                } catch {
                    throw RPCClientError("the server sent a malformed message: \(error)")
                }
                guard message.method == "wsman" else {
                    return RPCOutcome(method: message.method, message: message.message ?? "", wsmanCount: answered)
                }
                if let delay = faults.responseDelay { try await Task.sleep(for: delay) }
                let request = message.payloadBytes ?? []
                let reply = firmware?.serveRaw(request) ?? Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".utf8)
                let response = RPSMessage.response(reply).encoded()
                await sendText(response)
                answered += 1
                if let replay = faults.replayResponseAfter, answered == replay, let previous = lastResponse {
                    await sendText(previous)
                }
                lastResponse = response
                if let limit = faults.disconnectAfterWSMan, answered >= limit {
                    return RPCOutcome(method: "closed", message: "disconnected by fault injection", wsmanCount: answered)
                }
            }
            return RPCOutcome(method: "closed", message: "the server closed the connection", wsmanCount: answered)
        }
    }

    private enum UpgradeResult {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case notUpgraded
    }

    private static func connect(
        _ endpoint: Endpoint, options: RPCClientOptions
    ) async throws(RPCClientError) -> NIOAsyncChannel<WebSocketFrame, WebSocketFrame> {
        var tls: TLSContext?
        if endpoint.secure {
            let verification: TLSConfiguration.PeerVerification =
                options.insecure || options.trustedRootPEM == nil ? .insecure : .verify(trustRootsPEM: options.trustedRootPEM!)
            do {
                tls = try TLSContext(configuration: .client(profile: .modern, verification: verification))
            } catch {
                throw RPCClientError("TLS: \(error.message)")
            }
        }
        let serverName = options.insecure ? nil : endpoint.host
        do {
            let upgrade: EventLoopFuture<UpgradeResult> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(context: tls, serverName: serverName))
                        }
                        let upgrader = NIOTypedWebSocketClientUpgrader<UpgradeResult>(
                            maxFrameSize: 1 << 20,
                            upgradePipelineHandler: { channel, _ in
                                channel.eventLoop.makeCompletedFuture {
                                    .websocket(try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                                }
                            })
                        var headers = NIOHTTP1.HTTPHeaders()
                        headers.add(name: "Host", value: "\(endpoint.host):\(endpoint.port)")
                        headers.add(name: "Content-Length", value: "0")
                        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: endpoint.path, headers: headers)
                        let configuration = NIOTypedHTTPClientUpgradeConfiguration<UpgradeResult>(
                            upgradeRequestHead: head, upgraders: [upgrader],
                            notUpgradingCompletionHandler: { channel in channel.eventLoop.makeCompletedFuture { .notUpgraded } })
                        return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                            configuration: .init(upgradeConfiguration: configuration))
                    }
                }
            switch try await upgrade.get() {
            case .websocket(let channel): return channel
            case .notUpgraded: throw RPCClientError("the server did not upgrade \(endpoint.path) to a websocket")
            }
        } catch let error as RPCClientError {
            throw error
        } catch {
            throw RPCClientError("cannot connect to \(options.url): \(error)")
        }
    }

    /// A parsed `ws(s)://host:port/path`.
    struct Endpoint {
        var secure: Bool
        var host: String
        var port: Int
        var path: String

        init(url: String) throws(RPCClientError) {
            let secure: Bool
            let rest: Substring
            if url.hasPrefix("wss://") {
                secure = true
                rest = url.dropFirst(6)
            } else if url.hasPrefix("ws://") {
                secure = false
                rest = url.dropFirst(5)
            } else {
                throw RPCClientError("the activation URL must start with ws:// or wss://: \(url)")
            }
            let authority = rest.prefix { $0 != "/" }
            let path = rest.dropFirst(authority.count)
            var host = String(authority)
            var port = secure ? 443 : 80
            if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
                let after = host[host.index(after: close)...]
                if after.hasPrefix(":"), let value = Int(after.dropFirst()) { port = value }
                host = String(host[host.index(after: host.startIndex)..<close])
            } else if let colon = host.lastIndex(of: ":") {
                guard let value = Int(host[host.index(after: colon)...]) else { throw RPCClientError("bad port in \(url)") }
                port = value
                host = String(host[..<colon])
            }
            guard !host.isEmpty, (1...65535).contains(port) else { throw RPCClientError("bad activation URL \(url)") }
            self.secure = secure
            self.host = host
            self.port = port
            self.path = path.isEmpty ? "/" : String(path)
        }
    }
}
