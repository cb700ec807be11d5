import Testing
@testable import APF

/// Every hard limit fails fast with a typed error, and errors are sticky.
@Suite struct APFDecoderLimitTests {
    /// Header bytes up to and including a length field holding `length`, per message shape.
    static func headers(length: UInt32) -> [(String, [UInt8])] {
        var l: [UInt8] = []
        l.appendUInt32(length)
        let tcpip = hex("50 0000000d 74637069702d666f7277617264 01")
        let udp = APFLatin1.bytes(of: APFGlobalRequest.udpSendToName)
        var udpHeader: [UInt8] = [0x50]
        udpHeader.appendUInt32(UInt32(udp.count))
        udpHeader += udp + [0] + hex("00000000 00000000 00000000 00000000")
        return [
            ("service name", [0x05] + l),
            ("service accept name", [0x06] + l),
            ("username", [0x32] + l),
            ("auth service", hex("32 00000001 61") + l),
            ("auth method", hex("32 00000001 61 00000001 61") + l),
            ("password", hex("32 00000001 61 00000001 61 00000008 70617373776f7264 00") + l),
            ("failure method list", [0x33] + l),
            ("global request name", [0x50] + l),
            ("forward address", tcpip + l),
            ("udp address", Array(udpHeader.prefix(5 + udp.count + 1)) + l),
            ("channel type", [0x5a] + l),
            ("connected address", hex("5a 00000001 61 00000000 00000000 00000000") + l),
            ("originator address", hex("5a 00000001 61 00000000 00000000 00000000 00000000 00000000") + l),
        ]
    }

    @Test func hugeLengthFieldsFailImmediately() {
        for (field, header) in Self.headers(length: 0xffff_ffff) {
            var decoder = APFDecoder()
            decoder.append(header)
            #expect(throws: APFDecodeError.self, "\(field)") { try decoder.next() }
            guard case .fieldTooLong(_, let length, let limit) = decoder.error else {
                Issue.record("\(field): expected fieldTooLong, got \(String(describing: decoder.error))")
                continue
            }
            #expect(length == 0xffff_ffff && limit == 2048)
        }
    }

    @Test func stringLimitBoundary() throws {
        // (The udp-send-to request name alone is 25 bytes, longer than this limit.)
        let limits = APFLimits(maxStringLength: 16)
        for (field, header) in Self.headers(length: 17) where field != "udp address" {
            var decoder = APFDecoder(limits: limits)
            decoder.append(header)
            #expect(throws: APFDecodeError.self, "\(field)") { try decoder.next() }
        }
        for (field, header) in Self.headers(length: 16) where field != "udp address" {
            var decoder = APFDecoder(limits: limits)
            decoder.append(header)
            #expect(try decoder.next() == nil, "\(field) at the limit must wait for its bytes")
        }
        let atLimit = APFMessage.serviceRequest(service: String(repeating: "s", count: 16))
        #expect(try decodeAll(atLimit.encodedBytes, limits: limits).messages == [atLimit])
    }

    @Test func channelDataLimit() throws {
        let limits = APFLimits(maxDataLength: 1000)
        let atLimit = APFMessage.channelData(recipientChannel: 1, data: [UInt8](repeating: 0xab, count: 1000))
        #expect(try decodeAll(atLimit.encodedBytes, limits: limits).messages == [atLimit])

        var decoder = APFDecoder(limits: limits)
        decoder.append(hex("5e 00000001 000003e9"))
        #expect(throws: APFDecodeError.fieldTooLong(field: "channel data", length: 1001, limit: 1000)) { try decoder.next() }

        // P6: the MPS's own 1 MiB + 1 case is rejected by the default limit too.
        var defaults = APFDecoder()
        defaults.append(hex("5e 00000001 00100001"))
        #expect(throws: APFDecodeError.self) { try defaults.next() }

        var udp = APFDecoder(limits: limits)
        var bytes = APFMessage.globalRequest(.udpSendTo(APFUDPSendTo(
            address: "a", port: 1, originatorAddress: "b", originatorPort: 2, data: []
        )), wantReply: false).encodedBytes
        bytes.removeLast(4)
        bytes.appendUInt32(5000)
        udp.append(bytes)
        #expect(throws: APFDecodeError.fieldTooLong(field: "UDP payload", length: 5000, limit: 1000)) { try udp.next() }
    }

    @Test(arguments: [UInt8(0), 2, 53, 95, 96, 98, 193, 212, 250, 255])
    func unknownTypesAreFatal(_ type: UInt8) {
        var decoder = APFDecoder()
        decoder.append([type])
        #expect(throws: APFDecodeError.unknownMessageType(type)) { try decoder.next() }
    }

    @Test func passwordChangeFlagMustBeZero() {
        var bytes = APFMessage.userAuthRequest(APFUserAuthRequest(username: "u", method: .password("p"))).encodedBytes
        let flagIndex = bytes.count - 6
        #expect(bytes[flagIndex] == 0)
        bytes[flagIndex] = 1
        var decoder = APFDecoder()
        decoder.append(bytes)
        #expect(throws: APFDecodeError.self) { try decoder.next() }
        guard case .malformedField(let field, _) = decoder.error else {
            Issue.record("expected malformedField")
            return
        }
        #expect(field == "password change flag")
    }

    @Test func errorsAreStickyAndLaterBytesAreDiscarded() throws {
        var decoder = APFDecoder()
        decoder.append(hex("d0 00000001 07"))
        #expect(try decoder.next() == .keepAliveRequest(cookie: 1))
        #expect(throws: APFDecodeError.unknownMessageType(7)) { try decoder.next() }
        decoder.append(hex("d0 00000002"))
        #expect(throws: APFDecodeError.unknownMessageType(7)) { try decoder.next() }
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func oversizedAppendOverflows() {
        let limits = APFLimits(maxBufferedBytes: 64)
        var decoder = APFDecoder(limits: limits)
        decoder.append([UInt8](repeating: 0xd0, count: 65))
        #expect(decoder.storageByteCount == 0)
        #expect(throws: APFDecodeError.bufferOverflow(bufferedBytes: 65, limit: 64)) { try decoder.next() }
    }

    @Test func overflowFromNonContiguousSequence() {
        var decoder = APFDecoder(limits: APFLimits(maxBufferedBytes: 10))
        decoder.append((0..<11).lazy.map { _ in UInt8(0xd0) })
        #expect(decoder.storageByteCount <= 10)
        #expect(throws: APFDecodeError.bufferOverflow(bufferedBytes: 11, limit: 10)) { try decoder.next() }
    }

    @Test func unconsumedBytesAccumulateUpToTheLimitThenOverflow() throws {
        var decoder = APFDecoder(limits: APFLimits(maxBufferedBytes: 100))
        for _ in 0..<10 { decoder.append([UInt8](repeating: 0, count: 10)) }
        #expect(decoder.bufferedByteCount == 100)
        decoder.append([0])
        #expect(throws: APFDecodeError.bufferOverflow(bufferedBytes: 101, limit: 100)) { try decoder.next() }
    }

    @Test func consumedBytesAreCompactedSoTheLimitCountsOnlyPendingBytes() throws {
        let limits = APFLimits(maxBufferedBytes: 12)
        var decoder = APFDecoder(limits: limits)
        let keepAlive = APFMessage.keepAliveRequest(cookie: 7).encodedBytes
        var count = 0
        for _ in 0..<1000 {
            // Append a whole message plus a 3-byte partial one: storage would grow without
            // compaction, but only ≤ 12 bytes are ever held.
            decoder.append(keepAlive[...])
            while let message = try decoder.next() {
                #expect(message == .keepAliveRequest(cookie: 7))
                count += 1
            }
            #expect(decoder.storageByteCount <= 12)
        }
        #expect(count == 1000)

        // Each append completes the previous partial message, adds a whole one and starts
        // another: the consumed prefix must be compacted away for the 13-byte bound to hold.
        var split = APFDecoder(limits: APFLimits(maxBufferedBytes: 13))
        split.append(keepAlive[..<3])
        var decoded = 0
        for _ in 0..<1000 {
            split.append(Array(keepAlive[3...]) + keepAlive + keepAlive[..<3])
            while try split.next() != nil { decoded += 1 }
            #expect(split.storageByteCount <= 13)
            #expect(split.bufferedByteCount == 3)
        }
        #expect(decoded == 2000)
    }

    @Test func defaultLimitsAdmitTheLargestMessage() {
        let limits = APFLimits()
        #expect(limits.maximumMessageLength <= limits.maxBufferedBytes)
        #expect(limits.maxStringLength == 2048)
    }

    @Test func errorMessagesAreUserFacing() {
        #expect(APFDecodeError.unknownMessageType(250).message.contains("unknown message type 250"))
        #expect(APFDecodeError.fieldTooLong(field: "username", length: 4096, limit: 2048).description
            == "APF protocol error: username length 4096 exceeds the limit of 2048 bytes")
    }
}
