import Testing
@testable import APF

/// Byte-exact vectors from the reference (§5) in both directions: encoding the message gives the
/// bytes, and decoding the bytes gives the message and consumes all of them.
@Suite struct APFVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let id: String
        let message: APFMessage
        let bytes: [UInt8]
        var testDescription: String { id }
    }

    static let zeroOpenTail = "00000000 00000000 ffffffff 00000000 00000000 00000000 00000000"
    static let protocolVersionH1 = "c0 00000001 00000000 00000000 44454c4c4b0010428033b6c04f504633"
        + String(repeating: "00", count: 64)

    static let vectors: [Vector] = [
        Vector(id: "T1", message: .keepAliveReply(cookie: 0), bytes: hex("d1 00000000")),
        Vector(id: "T2", message: .keepAliveOptionsRequest(interval: 30, timeout: 0), bytes: hex("d2 0000001e 00000000")),
        Vector(id: "T3", message: .serviceAccept(service: "my service"), bytes: hex("06 0000000a 6d792073657276696365")),
        Vector(id: "T5", message: .keepAliveRequest(cookie: 0), bytes: hex("d0 00000000")),
        Vector(
            id: "T6", message: .channelOpenFailure(recipientChannel: 0, reason: .unknown(0)),
            bytes: hex("5c 00000000 00000000 00000000 00000000")
        ),
        Vector(
            id: "T7", message: .channelOpenConfirmation(recipientChannel: 0, senderChannel: 0, initialWindowSize: 0),
            bytes: hex("5b 00000000 00000000 00000000 ffffffff")
        ),
        Vector(
            id: "T8",
            message: .channelOpen(APFChannelOpen(
                channelType: .directTCPIP, senderChannel: 0, initialWindowSize: 0, connectedAddress: "",
                connectedPort: 0, originatorAddress: "", originatorPort: 0
            )),
            bytes: hex("5a 0000000c 6469726563742d7463706970" + zeroOpenTail)
        ),
        Vector(
            id: "T9",
            message: .channelOpen(APFChannelOpen(
                senderChannel: 0, initialWindowSize: 0, connectedAddress: "", connectedPort: 0,
                originatorAddress: "", originatorPort: 0
            )),
            bytes: hex("5a 0000000f 666f727761726465642d7463706970" + zeroOpenTail)
        ),
        Vector(id: "T10", message: .channelClose(recipientChannel: 0), bytes: hex("61 00000000")),
        Vector(id: "T11", message: .channelData(recipientChannel: 0, data: []), bytes: hex("5e 00000000 00000000")),
        Vector(id: "T12", message: .windowAdjust(recipientChannel: 0, bytesToAdd: 0), bytes: hex("5d 00000000 00000000")),
        Vector(id: "T13", message: .disconnect(reason: .unknown(0)), bytes: hex("01 00000000 0000")),
        Vector(
            id: "T14 (14-byte form, §1.3.6 REC)", message: .userAuthFailure(methods: "password", partialSuccess: false),
            bytes: hex("33 00000008 70617373776f7264 00")
        ),
        Vector(id: "T15", message: .userAuthSuccess, bytes: hex("34")),
        Vector(id: "T16", message: .requestSuccess(port: 0), bytes: hex("51 00000000")),
        Vector(id: "P4/H14", message: .disconnect(reason: .byApplication), bytes: hex("01 0000000b 0000")),
        Vector(id: "P8", message: .channelData(recipientChannel: 99, data: [0xff]), bytes: hex("5e 00000063 00000001 ff")),
        Vector(
            id: "P15", message: .channelOpenFailure(recipientChannel: 4, reason: .connectFailed),
            bytes: hex("5c 00000004 00000002 00000000 00000000")
        ),
        Vector(
            id: "H1",
            message: .protocolVersion(APFProtocolVersion(triggerReason: .unknown(0), uuid: sampleUUID)),
            bytes: hex(protocolVersionH1)
        ),
        Vector(
            id: "X4",
            message: .protocolVersion(APFProtocolVersion(
                triggerReason: .lme, uuid: AMTUUID(guidString: "4c4c4544-004d-4d10-8050-b2c04f325133")!
            )),
            bytes: hex("c0 00000001 00000000 000000fe 44454c4c4d00104d8050b2c04f325133" + String(repeating: "00", count: 64))
        ),
        Vector(
            id: "H2", message: .serviceRequest(service: APFServiceName.authentication),
            bytes: hex("05 00000012 6175746840616d742e696e74656c2e636f6d")
        ),
        Vector(
            id: "H2 reply", message: .serviceAccept(service: APFServiceName.authentication),
            bytes: hex("06 00000012 6175746840616d742e696e74656c2e636f6d")
        ),
        Vector(
            id: "H3",
            message: .userAuthRequest(APFUserAuthRequest(username: "admin", method: .password("P@ssw0rd"))),
            bytes: hex("""
                32 00000005 61646d696e 00000012 7066776440616d742e696e74656c2e636f6d
                00000008 70617373776f7264 00 00000008 5040737377307264
                """)
        ),
        Vector(
            id: "H4", message: .serviceRequest(service: APFServiceName.portForwarding),
            bytes: hex("05 00000012 7066776440616d742e696e74656c2e636f6d")
        ),
        Vector(
            id: "H5", message: .globalRequest(.tcpipForward(address: "", port: 16992), wantReply: true),
            bytes: hex("50 0000000d 74637069702d666f7277617264 01 00000000 00004260")
        ),
        Vector(id: "H5 reply", message: .requestSuccess(port: 16992), bytes: hex("51 00004260")),
        Vector(
            id: "H6", message: .globalRequest(.tcpipForward(address: "myhost", port: 5900), wantReply: true),
            bytes: hex("50 0000000d 74637069702d666f7277617264 01 00000006 6d79686f7374 0000170c")
        ),
        Vector(id: "H7", message: .keepAliveOptionsReply(interval: 30, timeout: 0), bytes: hex("d3 0000001e 00000000")),
        Vector(
            id: "H8", message: .globalRequest(.cancelTCPIPForward(address: "", port: 16992), wantReply: true),
            bytes: hex("50 00000014 63616e63656c2d74637069702d666f7277617264 01 00000000 00004260")
        ),
        Vector(id: "H9", message: .keepAliveRequest(cookie: 255), bytes: hex("d0 000000ff")),
        Vector(id: "H9 reply", message: .keepAliveReply(cookie: 255), bytes: hex("d1 000000ff")),
        Vector(
            id: "V-CO-1 (H10)",
            message: .channelOpen(APFChannelOpen(
                senderChannel: 4, initialWindowSize: 32768, connectedAddress: "", connectedPort: 16992,
                originatorAddress: "1.2.3.4", originatorPort: 1024
            )),
            bytes: hex("""
                5a0000000f666f727761726465642d74637069700000000400008000ffffffff00000000
                0000426000000007312e322e332e3400000400
                """)
        ),
        Vector(
            id: "C1",
            message: .channelOpen(APFChannelOpen(
                senderChannel: 4, initialWindowSize: 32768, connectedAddress: "", connectedPort: 16692,
                originatorAddress: "1.2.3.4", originatorPort: 1024
            )),
            bytes: hex("""
                5a 0000000f 666f727761726465642d7463706970 00000004 00008000 ffffffff
                00000000 00004134 00000007 312e322e332e34 00000400
                """)
        ),
        Vector(
            id: "H11", message: .channelOpenConfirmation(recipientChannel: 4, senderChannel: 0, initialWindowSize: 4096),
            bytes: hex("5b 00000004 00000000 00001000 ffffffff")
        ),
        Vector(id: "H13", message: .channelClose(recipientChannel: 4), bytes: hex("61 00000004")),
        Vector(
            id: "H15 reply", message: .channelOpenFailure(recipientChannel: 7, reason: .unknownChannelType),
            bytes: hex("5c 00000007 00000003 00000000 00000000")
        ),
        Vector(id: "F1c", message: .windowAdjust(recipientChannel: 9, bytesToAdd: 16385), bytes: hex("5d 00000009 00004001")),
        Vector(id: "F3", message: .channelData(recipientChannel: 0, data: ascii("my fa")), bytes: hex("5e 00000000 00000005 6d79206661")),
        Vector(
            id: "F14",
            message: .channelData(
                recipientChannel: 0,
                data: ascii("POST /wsman HTTP/1.1\r\nHost: 4c4c4544-004b-4210-8033-b6c04f504633:16992\r\nContent-Length: 4\r\n\r\nKVMR")
            ),
            bytes: hex("""
                5e 00000000 00000061
                504f5354202f77736d616e20485454502f312e310d0a
                486f73743a2034633463343534342d303034622d343231302d383033332d
                6236633034663530343633333a31363939320d0a
                436f6e74656e742d4c656e6774683a20340d0a0d0a
                4b564d52
                """)
        ),
        Vector(
            id: "X2 (type 50)", message: .globalRequest(.tcpipForward(address: "\0\0\0", port: 16992), wantReply: false),
            bytes: hex("50 0000000d 74637069702d666f7277617264 00 00000003 000000 00004260")
        ),
    ]

    @Test(arguments: vectors)
    func encodesExactly(_ vector: Vector) {
        #expect(vector.message.encodedBytes == vector.bytes)
    }

    @Test(arguments: vectors)
    func decodesExactly(_ vector: Vector) throws {
        let result = try decodeAll(vector.bytes)
        #expect(result.messages == [vector.message])
        #expect(result.remaining == 0)
    }

    @Test func documentedLengths() {
        #expect(Self.vectors.first { $0.id == "H3" }?.bytes.count == 57)
        #expect(Self.vectors.first { $0.id == "H5" }?.bytes.count == 27)
        #expect(Self.vectors.first { $0.id == "H6" }?.bytes.count == 33)
        #expect(Self.vectors.first { $0.id == "H8" }?.bytes.count == 34)
        #expect(Self.vectors.first { $0.id == "V-CO-1 (H10)" }?.bytes.count == 55)
        #expect(Self.vectors.first { $0.id == "H1" }?.bytes.count == 93)
        #expect(Self.vectors.first { $0.id == "X2 (type 50)" }?.bytes.count == 30)
    }

    @Test func protocolVersionH1YieldsTheDeviceGUID() throws {
        let result = try decodeAll(hex(Self.protocolVersionH1))
        guard case .protocolVersion(let version) = try #require(result.messages.first) else {
            Issue.record("not a PROTOCOLVERSION")
            return
        }
        #expect(version.major == 1 && version.minor == 0)
        #expect(version.uuid.guidString == "4c4c4544-004b-4210-8033-b6c04f504633")
    }

    @Test func bareRequestSuccessT4() throws {
        #expect(APFMessage.requestSuccess(port: nil).encodedBytes == hex("51"))
        var decoder = APFDecoder()
        decoder.noteSent(.globalRequest(.cancelTCPIPForward(address: "", port: 16992), wantReply: true))
        decoder.append(hex("51 d1000000ff"))
        #expect(try decoder.next() == .requestSuccess(port: nil))
        #expect(try decoder.next() == .keepAliveReply(cookie: 255))
        #expect(try decoder.next() == nil)
    }

    @Test func fifteenByteMPSFailureLeavesAStrayZeroThatIsRejected() throws {
        var decoder = APFDecoder()
        decoder.append(hex("33 00000008 70617373776f7264 0000"))
        #expect(try decoder.next() == .userAuthFailure(methods: "password", partialSuccess: false))
        #expect(throws: APFDecodeError.unknownMessageType(0)) { try decoder.next() }
    }
}
