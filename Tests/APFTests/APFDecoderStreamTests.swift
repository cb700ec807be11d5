import Testing
@testable import APF

/// Round trips, arbitrary split points and coalesced input.
@Suite struct APFDecoderStreamTests {
    static var stream: [UInt8] {
        var bytes: [UInt8] = []
        for message in sampleMessages { message.encode(into: &bytes) }
        return bytes
    }

    @Test(arguments: sampleMessages)
    func everyMessageRoundTrips(_ message: APFMessage) throws {
        let result = try decodeAll(message.encodedBytes)
        #expect(result.messages == [message])
        #expect(result.remaining == 0)
    }

    @Test func everyMessageTypeIsCovered() {
        let covered = Set(sampleMessages.map(\.messageType))
        #expect(covered == Set(APFMessageType.allCases))
    }

    @Test func coalescedStreamDecodesInOrder() throws {
        let result = try decodeAll(Self.stream)
        #expect(result.messages == sampleMessages)
        #expect(result.remaining == 0)
    }

    @Test func splitAtEveryBoundary() throws {
        let bytes = Self.stream
        for split in 0...bytes.count {
            var decoder = APFDecoder()
            var messages: [APFMessage] = []
            decoder.append(bytes[..<split])
            while let message = try decoder.next() { messages.append(message) }
            decoder.append(bytes[split...])
            while let message = try decoder.next() { messages.append(message) }
            #expect(messages == sampleMessages, "split at \(split)")
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test func oneByteAtATime() throws {
        var decoder = APFDecoder()
        var messages: [APFMessage] = []
        for byte in Self.stream {
            decoder.append(CollectionOfOne(byte))
            while let message = try decoder.next() { messages.append(message) }
        }
        #expect(messages == sampleMessages)
    }

    @Test func nonContiguousSequencesAreAccepted() throws {
        var decoder = APFDecoder()
        decoder.append(Self.stream.lazy.map { $0 })
        var messages: [APFMessage] = []
        while let message = try decoder.next() { messages.append(message) }
        #expect(messages == sampleMessages)
    }

    @Test func eachPrefixOfAMessageNeedsMore() throws {
        for message in sampleMessages {
            let bytes = message.encodedBytes
            for cut in 0..<bytes.count {
                var decoder = APFDecoder()
                decoder.append(bytes[..<cut])
                #expect(try decoder.next() == nil, "\(message) cut at \(cut)")
                #expect(decoder.bufferedByteCount == cut)
            }
        }
    }

    /// The reference's parser-length table (§5.2), with E2's recommendation: a short
    /// USERAUTH_REQUEST waits for more instead of failing.
    @Test(arguments: [
        ("P3", "01 0000000b 00"),
        ("P5", "5e 00000001 000000"),
        ("P7", "5e 00000001 00000001"),
        ("P19", "5a 00000001 61" + String(repeating: "00", count: 27)),
        ("P27", "50 00000001"),
        ("P28", "50 0000000d 74637069702d666f7277617264 01 00000001 61 000000"),
        ("P30", "50 00000014 63616e63656c2d74637069702d666f7277617264 01 00000064 6161616161616161616161"),
        ("P36", "05 00000001"),
        ("P38", "32 00000005 61646d696e 000000"),
        ("P40", "32 0000000a 61616161"),
        ("P44", "32 0000000a 61616161616161616161 0000000a 61616161616161616161 0000000a 6161"),
        ("P45", "c0 00000001 00000000 00000000 44454c4c4b0010428033b6c04f504633" + String(repeating: "00", count: 63)),
        ("P47", "d1 000000"),
        ("P49", "d0 000000"),
    ])
    func partialInputNeedsMore(_ id: String, _ text: String) throws {
        var decoder = APFDecoder()
        decoder.append(hex(text))
        #expect(try decoder.next() == nil, "\(id)")
        #expect(decoder.error == nil)
    }

    @Test func p48TrailingBytesStayBuffered() throws {
        var decoder = APFDecoder()
        decoder.append(hex("d3 0000001e 00000000 d3 000000 00"))
        #expect(try decoder.next() == .keepAliveOptionsReply(interval: 30, timeout: 0))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 5)
    }

    @Test func unknownGlobalRequestConsumesOnlyNameAndFlag() throws {
        // P33: an unsupported name of length 20 consumes 6 + 20 bytes.
        let name = String(repeating: "z", count: 20)
        var bytes = APFMessage.globalRequest(.other(name: name), wantReply: false).encodedBytes
        #expect(bytes.count == 26)
        bytes += hex("d0 00000001")
        let result = try decodeAll(bytes)
        #expect(result.messages == [.globalRequest(.other(name: name), wantReply: false), .keepAliveRequest(cookie: 1)])
    }

    @Test func requestSuccessFormsFollowTheSentRequestsInOrder() throws {
        var decoder = APFDecoder()
        decoder.noteSent(.globalRequest(.tcpipForward(address: "", port: 16992), wantReply: true))
        decoder.noteSent(.globalRequest(.tcpipForward(address: "", port: 1), wantReply: false)) // no reply expected
        decoder.noteSent(.globalRequest(.cancelTCPIPForward(address: "", port: 16992), wantReply: true))
        decoder.noteSent(.globalRequest(.tcpipForward(address: "", port: 623), wantReply: true))
        decoder.noteSent(.globalRequest(.tcpipForward(address: "", port: 5900), wantReply: true))
        decoder.append(hex("51 00004260  51  52  51 0000170c"))
        #expect(try decoder.next() == .requestSuccess(port: 16992))
        #expect(try decoder.next() == .requestSuccess(port: nil))
        #expect(try decoder.next() == .requestFailure)
        #expect(try decoder.next() == .requestSuccess(port: 5900))
        #expect(try decoder.next() == nil)

        decoder.unsolicitedRequestSuccessForm = .bare
        decoder.append(hex("51 51"))
        #expect(try decoder.next() == .requestSuccess(port: nil))
        #expect(try decoder.next() == .requestSuccess(port: nil))
    }

    @Test func latin1StringsRoundTripByteForByte() throws {
        let raw: [UInt8] = [0x05, 0, 0, 0, 4, 0xc0, 0x00, 0xff, 0x41]
        let result = try decodeAll(raw)
        #expect(result.messages == [.serviceRequest(service: "\u{c0}\u{0}\u{ff}A")])
        #expect(result.messages.first?.encodedBytes == raw)
        // Scalars above U+00FF fall back to UTF-8.
        #expect(APFMessage.serviceRequest(service: "\u{20ac}").encodedBytes == hex("05 00000003 e282ac"))
    }

    @Test func shortProtocolVersionReservedIsPaddedAndLongIsCut() {
        let short = APFMessage.protocolVersion(APFProtocolVersion(triggerReason: .periodic, uuid: sampleUUID, reserved: [9]))
        let long = APFMessage.protocolVersion(APFProtocolVersion(
            triggerReason: .periodic, uuid: sampleUUID, reserved: [UInt8](repeating: 7, count: 80)
        ))
        #expect(short.encodedBytes.count == 93)
        #expect(short.encodedBytes[29] == 9 && short.encodedBytes[30...].allSatisfy { $0 == 0 })
        #expect(long.encodedBytes.count == 93)
        #expect(long.encodedBytes[29...].allSatisfy { $0 == 7 })
    }

    @Test func channelDataFastPathMatchesEnumEncoding() {
        var fast: [UInt8] = []
        APFMessage.encodeChannelData(recipientChannel: 3, data: ascii("hello")[1...], into: &fast)
        #expect(fast == APFMessage.channelData(recipientChannel: 3, data: ascii("ello")).encodedBytes)
    }

    @Test func codeTablesMapNumbersBothWays() {
        for code in UInt32(0)...20 {
            #expect(APFDisconnectReason(rawValue: code).rawValue == code)
            #expect(APFChannelOpenFailureReason(rawValue: code).rawValue == code)
            #expect(APFTriggerReason(rawValue: code).rawValue == code)
        }
        #expect(APFDisconnectReason(rawValue: 15) == .invalidCredentials)
        #expect(APFDisconnectReason.unknown(11) == .byApplication)
        #expect(APFDisconnectReason(rawValue: 18).description == "TEMPORARILY_UNAVAILABLE")
        #expect(APFDisconnectReason(rawValue: 19).description == "UNKNOWN(19)")
        #expect(APFChannelOpenFailureReason(rawValue: 4) == .resourceShortage)
        #expect(APFTriggerReason(rawValue: 254) == .lme)
        #expect(APFChannelType(name: "direct-tcpip") == .directTCPIP)
        #expect(APFChannelType.other("forwarded-tcpip") == .forwardedTCPIP)
    }
}
