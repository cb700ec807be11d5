import Activation
import HTTPTypes
import HummingbirdWebSocket
import HummingbirdCore
import Logging

/// The `/activate` websocket on the host's HTTP(S) listener (the URL rpc-go is given with
/// `-u wss://HOST:PORT/activate`). Upgrades only that path; every other request goes to the
/// front-end gateway as before. Each connection runs one ``ActivationSession``.
struct ActivationEndpoint: Sendable {
    let settings: ActivationSettings
    let logger: Logger
    /// Weak so that a listener outliving the host does not keep it alive.
    private let hostReference: WeakHost

    init(host: TetherHost, settings: ActivationSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.hostReference = WeakHost(host)
    }

    /// The websocket configuration: frames up to twice the message limit (larger messages are
    /// refused by the message reader with a clear error), pings every 30 s.
    var webSocketConfiguration: WebSocketServerConfiguration {
        WebSocketServerConfiguration(maxFrameSize: settings.maxMessageBytes * 2, autoPing: .enabled(timePeriod: .seconds(30)))
    }

    /// Upgrade decision for one HTTP request.
    func shouldUpgrade(_ request: HTTPRequest) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let path = request.path.map { $0.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0 }
        guard path == settings.path else { return .dontUpgrade }
        return .upgrade(HTTPFields()) { inbound, outbound, _ in
            await self.serve(inbound: inbound, outbound: outbound)
        }
    }

    private func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        guard let host = hostReference.host else { return }
        let inbox = MessageInbox()
        let limit = settings.maxMessageBytes
        let reader = Task {
            var messages = inbound.messages(maxSize: limit).makeAsyncIterator()
            do {
                while let message = try await messages.next() {
                    switch message {
                    case .text(let text) where text.utf8.count > limit:
                        inbox.push(.invalid("a message larger than \(limit) bytes"))
                        inbox.push(.closed)
                        return
                    case .text(let text): inbox.push(.text(text))
                    case .binary: inbox.push(.invalid("binary messages are not accepted; send JSON text"))
                    }
                }
            } catch {
                inbox.push(.invalid("a message larger than \(limit) bytes, or not a valid websocket message"))
            }
            inbox.push(.closed)
        }
        let send: @Sendable (RPSMessage) async -> Bool = { message in
            do {
                try await outbound.write(.text(message.encoded()))
                return true
            } catch {
                return false
            }
        }
        await ActivationSession(host: host, inbox: inbox, send: send, settings: settings, logger: logger).run()
        reader.cancel()
    }
}

/// A weak reference to the host that can cross tasks.
private final class WeakHost: Sendable {
    // `weak let` is not available; a `Mutex` would be overkill for a value set once.
    nonisolated(unsafe) weak var host: TetherHost?
    init(_ host: TetherHost) { self.host = host }
}

extension ActivationEndpoint {
    /// The listener's HTTP/1.1 child channel (``GatewayHTTP1Channel``) whose connections that
    /// start with a request for this endpoint's path go to Hummingbird's websocket upgrade
    /// channel; `responder` serves such a first request when it is no upgrade. ``HTTPListener``
    /// adds TLS and the connection cap around it.
    func childChannel(
        responder: @escaping HTTPChannelHandler.Responder, gateway: FrontendGateway, headerTimeout: Duration, bodyTimeout: Duration
    ) -> some ServerChildChannel {
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(headerTimeout: headerTimeout, bodyTimeout: bodyTimeout)])
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(http1: http1, ws: webSocketConfiguration)
        let endpoint = self
        let websocket = HTTP1WebSocketUpgradeChannel(responder: responder, configuration: configuration) { request, _, _ in
            endpoint.shouldUpgrade(request)
        }
        return FirstRequestDeadlineChannel(
            base: GatewayHTTP1Channel(
                gateway: gateway, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout, upgrade: (websocket, settings.path)),
            timeout: headerTimeout)
    }
}
