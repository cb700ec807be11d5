import Activation
import WSMan

/// WS-Man to a device through its RPC client: each request goes out whole as a `wsman`
/// message (base64 of the raw HTTP request) and comes back as a `response` (base64 of AMT's
/// raw HTTP reply). Digest auth as AMT clients do it (first request bare, the challenge cached,
/// at most three 401s per call), one deadline per round trip, and the reply's `RelatesTo` must
/// name the request, so a replayed or out-of-order `response` is refused.
///
/// Owned by one session task; not shared.
struct ActivationTunnel {
    /// How a call ended.
    enum Outcome: Sendable {
        case reply(WSManEnvelope)
        /// The device (or its client) answered unusably, or not in time; the step fails.
        case failed(ActivationCallFailure)
        /// The client broke the protocol or went away; the session ends.
        case aborted(String, protocolError: ActivationProtocolError?)
    }

    let inbox: MessageInbox
    let send: @Sendable (RPSMessage) async -> Bool
    /// `Host:` of the tunnelled requests (`<uuid>:16992`).
    let hostHeader: String
    let roundTripTimeout: Duration
    let maxReplyBytes: Int
    private(set) var credentials: DigestCredentials

    init(
        inbox: MessageInbox, send: @escaping @Sendable (RPSMessage) async -> Bool, uuid: String,
        username: String, password: String, roundTripTimeout: Duration, maxReplyBytes: Int
    ) {
        self.inbox = inbox
        self.send = send
        self.hostHeader = "\(uuid):16992"
        self.roundTripTimeout = roundTripTimeout
        self.maxReplyBytes = maxReplyBytes
        self.credentials = DigestCredentials(username: username, password: password)
    }

    /// Switches to new credentials (after activation: `admin` + the new password), keeping the
    /// device's current challenge so the next request is authorised at once.
    mutating func switchCredentials(username: String, password: String) {
        let challenge = credentials.challenge
        credentials = DigestCredentials(username: username, password: password)
        if let challenge { credentials.accept(challenge) }
    }

    /// One WS-Man call (with its digest retries).
    mutating func call(_ request: WSManRequest) async -> Outcome {
        var challenges = 0
        while true {
            let http = HTTPRequestMessage.wsmanPost(
                host: hostHeader, body: request.utf8, authorization: credentials.authorization())
            guard await send(.wsman(http.encode())) else { return .aborted("the client disconnected", protocolError: nil) }
            let response: HTTPResponseMessage
            switch await receiveResponse() {
            case .response(let value): response = value
            case .outcome(let outcome): return outcome
            }
            if response.status == 401 {
                challenges += 1
                guard challenges < 3, let challenge = try? DigestChallenge.find(in: response.headers) else {
                    return .failed(ActivationCallFailure("Unable to authenticate with AMT"))
                }
                credentials.accept(challenge)
                continue
            }
            guard !response.body.isEmpty else {
                return .failed(ActivationCallFailure("HTTP \(response.status) \(response.reason) without a body"))
            }
            let envelope: WSManEnvelope
            do {
                envelope = try WSManEnvelope(bytes: response.body)
            } catch {
                return .failed(ActivationCallFailure("HTTP \(response.status): unparsable WS-Man reply (\(error))"))
            }
            if let relatesTo = envelope.header.relatesTo, relatesTo != request.messageID {
                return .aborted(
                    "reply to message \(relatesTo) while waiting for \(request.messageID)",
                    protocolError: .unexpectedMessage("a response to message \(relatesTo) arrived while \(request.messageID) was awaited (replayed or out of order)"))
            }
            return .reply(envelope)
        }
    }

    private enum Received {
        case response(HTTPResponseMessage)
        case outcome(Outcome)
    }

    private func receiveResponse() async -> Received {
        guard let event = await inbox.next(timeout: roundTripTimeout) else {
            return .outcome(.failed(ActivationCallFailure("Gateway Timeout: no response within \(roundTripTimeout)")))
        }
        let text: String
        switch event {
        case .closed: return .outcome(.aborted("the client disconnected", protocolError: nil))
        case .invalid(let why): return .outcome(.aborted(why, protocolError: .malformedMessage(why)))
        case .text(let value): text = value
        }
        let message: RPSMessage
        do {
            message = try RPSMessage.decode(text)
        } catch {
            return .outcome(.aborted("malformed message", protocolError: error))
        }
        guard message.method == "response" else {
            return .outcome(.aborted(
                "'\(message.method)' while a response was awaited",
                protocolError: .unexpectedMessage("'\(message.method)' arrived while a response was awaited")))
        }
        guard let bytes = message.payloadBytes, !bytes.isEmpty else {
            return .outcome(.failed(ActivationCallFailure("the response payload is not base64 of an HTTP response")))
        }
        var parser = HTTPResponseParser(limits: HTTPParserLimits(maxBodyBytes: maxReplyBytes))
        parser.append(bytes)
        do {
            if let response = try parser.nextResponse() ?? parser.finish() { return .response(response) }
            return .outcome(.failed(ActivationCallFailure("incomplete HTTP response")))
        } catch {
            return .outcome(.failed(ActivationCallFailure("unparsable HTTP response: \(error)")))
        }
    }
}
