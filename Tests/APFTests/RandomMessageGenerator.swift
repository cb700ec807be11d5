@testable import APF

/// Produces random but valid messages of every kind from a seeded generator.
struct RandomMessageGenerator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func u32() -> UInt32 {
        // Bias towards edge values that exercise length and sign handling.
        switch int(0...3) {
        case 0: [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff][int(0...4)]
        default: UInt32.random(in: 0...UInt32.max, using: &rng)
        }
    }
    mutating func bool() -> Bool { Bool.random(using: &rng) }
    mutating func bytes(_ range: ClosedRange<Int>) -> [UInt8] {
        (0..<int(range)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }
    mutating func string(maxLength: Int = 12) -> String {
        let raw = bytes(0...maxLength)
        return APFLatin1.string(from: raw[...])
    }

    /// A random valid message; `requestSuccess(port: nil)` only when `allowBareSuccess`.
    mutating func message(allowBareSuccess: Bool = true) -> APFMessage {
        switch int(0...19) {
        case 0: return .disconnect(reason: APFDisconnectReason(rawValue: u32()))
        case 1: return .serviceRequest(service: string())
        case 2: return .serviceAccept(service: string())
        case 3:
            let method: APFUserAuthMethod = switch int(0...2) {
            case 0: .password(string())
            case 1: .none
            default: .other("m" + string(maxLength: 6))
            }
            return .userAuthRequest(APFUserAuthRequest(username: string(), serviceName: string(), method: method))
        case 4: return .userAuthFailure(methods: string(), partialSuccess: bool())
        case 5: return .userAuthSuccess
        case 6:
            let request: APFGlobalRequest = switch int(0...3) {
            case 0: .tcpipForward(address: string(), port: u32())
            case 1: .cancelTCPIPForward(address: string(), port: u32())
            case 2: .udpSendTo(APFUDPSendTo(
                address: string(), port: u32(), originatorAddress: string(), originatorPort: u32(), data: bytes(0...24)
            ))
            default: .other(name: "x" + string(maxLength: 8))
            }
            return .globalRequest(request, wantReply: bool())
        case 7: return .requestSuccess(port: allowBareSuccess && bool() ? nil : u32())
        case 8: return .requestFailure
        case 9:
            let type: APFChannelType = [.forwardedTCPIP, .directTCPIP, .other(string(maxLength: 6))][int(0...2)]
            return .channelOpen(APFChannelOpen(
                channelType: type, senderChannel: u32(), initialWindowSize: u32(), maximumPacketSize: u32(),
                connectedAddress: string(), connectedPort: u32(), originatorAddress: string(), originatorPort: u32()
            ))
        case 10:
            return .channelOpenConfirmation(
                recipientChannel: u32(), senderChannel: u32(), initialWindowSize: u32(), maximumPacketSize: u32()
            )
        case 11: return .channelOpenFailure(recipientChannel: u32(), reason: APFChannelOpenFailureReason(rawValue: u32()))
        case 12: return .windowAdjust(recipientChannel: u32(), bytesToAdd: u32())
        case 13: return .channelData(recipientChannel: u32(), data: bytes(0...40))
        case 14: return .channelClose(recipientChannel: u32())
        case 15:
            let uuid = AMTUUID(rawBytes: bytes(16...16)) ?? sampleUUID
            let reserved = bool() ? [UInt8](repeating: 0, count: 64) : bytes(64...64)
            return .protocolVersion(APFProtocolVersion(
                major: u32(), minor: u32(), triggerReason: APFTriggerReason(rawValue: u32()), uuid: uuid, reserved: reserved
            ))
        case 16: return .keepAliveRequest(cookie: u32())
        case 17: return .keepAliveReply(cookie: u32())
        case 18: return .keepAliveOptionsRequest(interval: u32(), timeout: u32())
        default: return .keepAliveOptionsReply(interval: u32(), timeout: u32())
        }
    }
}
