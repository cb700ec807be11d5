import Foundation
import WSMan

/// The firmware's mutable model: platform state, digest verifier, call log, enumeration
/// contexts and counters. A value type kept behind ``AMTFirmware``'s mutex; every method runs
/// with the lock held and does no I/O.
struct FirmwareEngine: Sendable {
    var state: FirmwareState
    var faults: FirmwareFaults
    var verifier: DigestVerifier
    var calls: [FirmwareCall] = []
    let username: String
    let password: String
    let uuid: String
    let platformGUID: String
    let chunkSize: Int
    let callLogLimit: Int
    var channelOpens = 0
    var messageCounter: UInt64 = 0x3B0
    var enumerationCounter: UInt32 = 0x2D7
    /// Open enumeration contexts → the class they enumerate and the items not yet pulled
    /// (a snapshot taken at Enumerate; oldest first).
    var contexts: [(id: String, className: String, items: [FirmwareInstance])] = []
    /// Setup state of a device that started unprovisioned (`nil`: provisioned with `password`).
    var provisioning: FirmwareProvisioning?

    init(configuration: AMTFirmwareConfiguration) {
        state = FirmwareState(profile: configuration.profile, powerState: configuration.powerState,
                              osRunning: configuration.osRunning)
        faults = configuration.faults
        verifier = DigestVerifier(realm: configuration.realm, nonceLifetime: configuration.nonceLifetime)
        username = configuration.username
        password = configuration.password
        uuid = configuration.uuid.guidString
        platformGUID = configuration.uuid.rawHexString.uppercased()
        chunkSize = configuration.chunkSize
        callLogLimit = max(1, configuration.callLogLimit)
        provisioning = configuration.provisioning
    }

    var server: String { state.profile.serverHeader }

    // MARK: channel opens

    /// Decides whether a channel open is refused by the configured fault.
    mutating func admitChannel() -> ChannelRefusal? {
        channelOpens += 1
        guard let reason = faults.refuseChannelOpens else { return nil }
        if let first = faults.refuseFirstChannelOpens, channelOpens > first { return nil }
        return ChannelRefusal(reason)
    }

    // MARK: HTTP

    /// Authenticates and answers one HTTP request.
    mutating func serve(_ request: HTTPRequestMessage, now: Date) -> FirmwareReply {
        let verdict: DigestVerification
        if let provisioning {
            let digests = provisioning.passwordDigests(realm: verifier.realm)
            verdict = verifier.verify(
                authorization: request.headers["Authorization"], method: request.method, uri: request.target,
                passwordDigest: { digests[$0] }, now: now)
        } else {
            verdict = verifier.verify(
                authorization: request.headers["Authorization"], method: request.method, uri: request.target,
                password: { [username, password] in $0 == username ? password : nil }, now: now)
        }
        switch verdict {
        case .authenticated:
            break
        case .stale:
            return .html(status: 401, message: "Nonce expired.", server: server, date: now,
                         challenge: verifier.challenge(stale: true, now: now))
        case .rejected:
            return .html(status: 401, message: "Log on failed. Incorrect user name or password.", server: server,
                         date: now, challenge: verifier.challenge(now: now))
        }
        guard request.target == "/wsman" else {
            return .html(status: 404, message: "Not found.", server: server, date: now)
        }
        guard request.method == "POST" else {
            return .html(status: 405, message: "Method not allowed.", server: server, date: now)
        }
        let close = Self.wantsClose(request)
        let (status, xml) = dispatch(body: request.body, now: now)
        return .soap(status: status, xml: xml, server: server, date: now, chunkSize: chunkSize, close: close)
    }

    /// `Connection: close`, or HTTP/1.0 without `keep-alive`.
    static func wantsClose(_ request: HTTPRequestMessage) -> Bool {
        let tokens = request.headers.values(for: "Connection")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if tokens.contains("close") { return true }
        return request.version == "HTTP/1.0" && !tokens.contains("keep-alive")
    }

    // MARK: bookkeeping

    mutating func nextMessageID() -> String {
        messageCounter &+= 1
        var hex = String(messageCounter & 0xFFFF_FFFF_FFFF, radix: 16, uppercase: true)
        while hex.count < 12 { hex = "0" + hex }
        return "uuid:00000000-8086-8086-8086-\(hex)"
    }

    /// A new context id (`XXXXXXXX-0000-0000-0000-000000000000`, as AMT numbers them).
    mutating func nextEnumerationContextID() -> String {
        enumerationCounter &+= 1
        var hex = String(enumerationCounter, radix: 16, uppercase: true)
        while hex.count < 8 { hex = "0" + hex }
        return "\(hex)-0000-0000-0000-000000000000"
    }

    /// Opens a context over `items` (at most 64 stay open; the oldest go first).
    mutating func openEnumerationContext(
        _ id: String, for className: String, items: [FirmwareInstance]
    ) {
        contexts.append((id: id, className: className, items: items))
        if contexts.count > 64 { contexts.removeFirst(contexts.count - 64) }
    }

    /// Closes the context `id` and returns its class and the items left, or nil if it is unknown.
    mutating func takeEnumerationContext(_ id: String) -> (className: String, items: [FirmwareInstance])? {
        guard let index = contexts.firstIndex(where: { $0.id == id }) else { return nil }
        let context = contexts.remove(at: index)
        return (context.className, context.items)
    }

    mutating func log(_ call: FirmwareCall) {
        calls.append(call)
        if calls.count > callLogLimit { calls.removeFirst(calls.count - callLogLimit) }
    }
}
