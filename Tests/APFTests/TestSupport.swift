@testable import APF

/// Parses hex with optional spaces/newlines; traps on malformed literals in test code only.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }.map { $0 }
    precondition(digits.count % 2 == 0, "odd hex literal")
    var bytes: [UInt8] = []
    var index = 0
    while index < digits.count {
        guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else {
            preconditionFailure("bad hex literal \(text)")
        }
        bytes.append(byte)
        index += 2
    }
    return bytes
}

/// ASCII bytes of a string literal.
func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Decodes every complete message in `bytes` with a fresh decoder.
func decodeAll(_ bytes: [UInt8], limits: APFLimits = APFLimits()) throws -> (messages: [APFMessage], remaining: Int) {
    var decoder = APFDecoder(limits: limits)
    decoder.append(bytes)
    var messages: [APFMessage] = []
    while let message = try decoder.next() { messages.append(message) }
    return (messages, decoder.bufferedByteCount)
}

/// A small, seedable PRNG (SplitMix64) so randomized tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let sampleUUID = AMTUUID(rawBytes: hex("44454c4c4b0010428033b6c04f504633"))!

/// One instance of every message case (and the sub-variants of the composite ones).
let sampleMessages: [APFMessage] = [
    .disconnect(reason: .byApplication),
    .disconnect(reason: .unknown(99)),
    .serviceRequest(service: APFServiceName.authentication),
    .serviceAccept(service: APFServiceName.portForwarding),
    .userAuthRequest(APFUserAuthRequest(username: "admin", method: .password("P@ssw0rd"))),
    .userAuthRequest(APFUserAuthRequest(username: "admin", serviceName: "x", method: .none)),
    .userAuthRequest(APFUserAuthRequest(username: "", serviceName: "", method: .other("publickey"))),
    .userAuthFailure(methods: "password", partialSuccess: false),
    .userAuthFailure(methods: "", partialSuccess: true),
    .userAuthSuccess,
    .globalRequest(.tcpipForward(address: "myhost", port: 16992), wantReply: true),
    .globalRequest(.cancelTCPIPForward(address: "", port: 5900), wantReply: false),
    .globalRequest(.udpSendTo(APFUDPSendTo(
        address: "10.0.0.1", port: 162, originatorAddress: "10.0.0.2", originatorPort: 40000, data: [1, 2, 3, 0xff]
    )), wantReply: false),
    .globalRequest(.other(name: "keepalive@openssh.com"), wantReply: true),
    .requestSuccess(port: 16993),
    .requestFailure,
    .channelOpen(APFChannelOpen(
        senderChannel: 4, initialWindowSize: 32768, connectedAddress: "", connectedPort: 16992,
        originatorAddress: "1.2.3.4", originatorPort: 1024
    )),
    .channelOpen(APFChannelOpen(
        channelType: .directTCPIP, senderChannel: 0xffff_ffff, initialWindowSize: 0, maximumPacketSize: 35000,
        connectedAddress: "h\u{e9}te", connectedPort: 0, originatorAddress: "::1", originatorPort: 123
    )),
    .channelOpen(APFChannelOpen(
        channelType: .other("session"), senderChannel: 1, initialWindowSize: 2, connectedAddress: "a",
        connectedPort: 3, originatorAddress: "b", originatorPort: 4
    )),
    .channelOpenConfirmation(recipientChannel: 4, senderChannel: 0, initialWindowSize: 4096),
    .channelOpenConfirmation(recipientChannel: 1, senderChannel: 2, initialWindowSize: 3, maximumPacketSize: 4),
    .channelOpenFailure(recipientChannel: 7, reason: .unknownChannelType),
    .channelOpenFailure(recipientChannel: 7, reason: .unknown(42)),
    .windowAdjust(recipientChannel: 9, bytesToAdd: 16385),
    .channelData(recipientChannel: 0, data: Array("POST /wsman HTTP/1.1\r\n".utf8)),
    .channelData(recipientChannel: 5, data: []),
    .channelClose(recipientChannel: 44),
    .protocolVersion(APFProtocolVersion(triggerReason: .periodic, uuid: sampleUUID)),
    .protocolVersion(APFProtocolVersion(
        major: 2, minor: 7, triggerReason: .unknown(0), uuid: sampleUUID, reserved: (0..<64).map { UInt8($0) }
    )),
    .keepAliveRequest(cookie: 255),
    .keepAliveReply(cookie: 0xdead_beef),
    .keepAliveOptionsRequest(interval: 30, timeout: 0),
    .keepAliveOptionsReply(interval: 30, timeout: 90),
]
