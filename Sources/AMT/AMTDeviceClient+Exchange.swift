import CIRA
import WSMan

/// One HTTP exchange (with the digest retry) over a cached or fresh channel.
extension AMTDeviceClient {
    private enum Step {
        case done(Result<WSManEnvelope, AMTError>)
        case retry
    }

    /// The 401s one call has met.
    struct AuthAttempts {
        /// At most this many 401s per call (the first request without credentials, a stale
        /// nonce, one rejection); MPS gives up after four.
        static let maxChallenges = 3
        /// 401s answered so far.
        var challenges = 0
        /// 401s that refused credentials without `stale="true"`.
        var rejections = 0
    }

    func exchange(_ body: [UInt8], abort: CallAbort) async -> Result<WSManEnvelope, AMTError> {
        var authAttempts = AuthAttempts()
        var reopens = 0
        while true {
            if abort.isAborted { return .failure(.cancelled) }
            guard let session = sessionLookup(guid), !session.isClosed else {
                return .failure(.deviceNotConnected(guid: guid))
            }
            adopt(session)
            guard session.forwardedPorts.contains(configuration.port) else {
                return .failure(.portNotForwarded(guid: guid, port: configuration.port))
            }
            let authorization: String?
            switch await authorizationHeader() {
            case .success(let value): authorization = value
            case .failure(let error): return .failure(error)
            }
            let channel: CIRAChannelStream
            let reused: Bool
            switch await acquireChannel(session, abort: abort) {
            case .success(let pair): (channel, reused) = pair
            case .failure(let error): return .failure(error)
            }
            guard abort.attach(channel) else {
                channel.close()
                return .failure(.cancelled)
            }
            let request = HTTPRequestMessage.wsmanPost(
                host: "\(guid):\(configuration.port)", body: body, authorization: authorization)
            let outcome = await roundTrip(request.encode(), on: channel)
            abort.detach()
            switch outcome {
            case .failure(.connectionClosed) where reused && reopens == 0:
                // The device closed a kept-alive channel: open a fresh one once.
                reopens += 1
                continue
            case .failure(let error):
                channel.close()
                return .failure(error)
            case .success(let (response, keep)):
                if keep { keepIdle(channel, session: session) } else { channel.close() }
                switch handle(response, sentCredentials: authorization != nil, attempts: &authAttempts) {
                case .done(let result): return result
                case .retry: continue
                }
            }
        }
    }

    /// Switches to a new CIRA session: cached channels and the digest state belong to the old one.
    private func adopt(_ session: CIRADeviceSession) {
        let stale = state.withLock { state -> [CIRAChannelStream] in
            guard state.sessionID != session.sessionID else { return [] }
            state.sessionID = session.sessionID
            state.credentials?.reset()
            defer { state.idle.removeAll() }
            return state.idle
        }
        stale.forEach { $0.close() }
    }

    private func authorizationHeader() async -> Result<String?, AMTError> {
        if state.withLock({ $0.credentials != nil }) {
            return .success(state.withLock { $0.credentials?.authorization() ?? nil })
        }
        let password: String
        do {
            password = try await passwordProvider(guid)
        } catch {
            return .failure(error)
        }
        let header = state.withLock { state -> String? in
            if state.credentials == nil {
                state.credentials = DigestCredentials(username: configuration.username, password: password)
            }
            return state.credentials?.authorization()
        }
        return .success(header)
    }

    private func acquireChannel(
        _ session: CIRADeviceSession, abort: CallAbort
    ) async -> Result<(CIRAChannelStream, Bool), AMTError> {
        while let cached = state.withLock({ $0.idle.popLast() }) {
            if !cached.isClosed { return .success((cached, true)) }
        }
        var delay = configuration.channelOpenBackoff
        var attempt = 1
        while true {
            do {
                return .success((try await session.openChannel(port: configuration.port), false))
            } catch {
                guard error.isTransient, attempt < configuration.channelOpenAttempts, !abort.isAborted else {
                    return .failure(AMTError.channel(error, guid: guid, port: configuration.port))
                }
                logger.debug(
                    "channel refused, retrying", metadata: ["guid": "\(guid)", "attempt": "\(attempt)", "reason": "\(error)"])
                try? await Task.sleep(for: delay)
                delay *= 2
                attempt += 1
            }
        }
    }

    private func keepIdle(_ channel: CIRAChannelStream, session: CIRADeviceSession) {
        let keep = state.withLock { state -> Bool in
            guard state.sessionID == session.sessionID, state.idle.count < configuration.maxConcurrentCalls else { return false }
            state.idle.append(channel)
            return true
        }
        if !keep { channel.close() }
    }

    /// Writes the request and reads one response. `keep` tells whether the channel may be reused.
    private func roundTrip(
        _ bytes: [UInt8], on channel: CIRAChannelStream
    ) async -> Result<(HTTPResponseMessage, keep: Bool), AMTError> {
        do {
            try await channel.write(bytes)
        } catch {
            return .failure(AMTError.channel(error, guid: guid, port: configuration.port))
        }
        var parser = HTTPResponseParser(limits: HTTPParserLimits(maxBodyBytes: configuration.maxReplyBytes))
        var received = 0
        while true {
            do {
                if let response = try parser.nextResponse() {
                    let close = response.headers.values(for: "Connection").contains { $0.lowercased().contains("close") }
                    return .success((response, !close && parser.bufferedByteCount == 0 && !channel.isClosed))
                }
            } catch let error as HTTPParseError {
                return .failure(AMTError.http(error))
            } catch {
                return .failure(.badHTTP("\(error)"))
            }
            guard let chunk = await channel.read() else {
                if received == 0 { return .failure(.connectionClosed(guid: guid)) }
                do {
                    if let response = try parser.finish() { return .success((response, false)) }
                    return .failure(.connectionClosed(guid: guid))
                } catch let error as HTTPParseError {
                    return .failure(AMTError.http(error))
                } catch {
                    return .failure(.badHTTP("\(error)"))
                }
            }
            received += chunk.count
            parser.append(chunk)
        }
    }

    /// Digest challenge handling and envelope parsing.
    private func handle(_ response: HTTPResponseMessage, sentCredentials: Bool, attempts: inout AuthAttempts) -> Step {
        if response.status == 401 {
            let challenge: DigestChallenge?
            do {
                challenge = try DigestChallenge.find(in: response.headers)
            } catch {
                return .done(.failure(.badHTTP("unusable digest challenge: \(error)")))
            }
            guard let challenge else { return .done(.failure(.httpStatus(401, reason: "without a digest challenge"))) }
            attempts.challenges += 1
            if sentCredentials && !challenge.stale { attempts.rejections += 1 }
            // A rejection of credentials that may well be right (another channel's request moved
            // the nonce on, the device dropped it without saying stale, an nc it did not like) is
            // retried once with the fresh challenge; a second one means a wrong password.
            if attempts.rejections > 1 || attempts.challenges > AuthAttempts.maxChallenges {
                // Forget the password so a corrected one is read on the next call.
                state.withLock { $0.credentials = nil }
                return .done(.failure(.authenticationFailed(guid: guid)))
            }
            state.withLock { $0.credentials?.accept(challenge) }
            return .retry
        }
        guard !response.body.isEmpty else {
            return .done(.failure(.httpStatus(response.status, reason: response.reason)))
        }
        let envelope: WSManEnvelope
        do {
            envelope = try WSManEnvelope(bytes: response.body)
        } catch let error as WSManEnvelopeError {
            if response.status != 200 { return .done(.failure(.httpStatus(response.status, reason: response.reason))) }
            return .done(.failure(.malformedReply(error.description)))
        } catch {
            return .done(.failure(.malformedReply("\(error)")))
        }
        if let fault = envelope.fault { return .done(.failure(.fault(fault))) }
        guard response.status == 200 else {
            return .done(.failure(.httpStatus(response.status, reason: response.reason)))
        }
        return .done(.success(envelope))
    }
}
