import Testing
@testable import MQTT

@Suite struct MQTTCodecTests {
    @Test func connectMatchesTheSpecificationBytes() {
        let bytes = MQTTPacket.connect(clientID: "a", keepAliveSeconds: 30, cleanSession: true, username: nil, password: nil).encode()
        #expect(bytes == [0x10, 0x0D, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x1E, 0x00, 0x01, 0x61])
        let withCredentials = MQTTPacket.connect(clientID: "c", keepAliveSeconds: 60, cleanSession: true, username: "u", password: "p").encode()
        #expect(withCredentials[9] == 0xC2, "username, password and clean-session flags")
        #expect(MQTTPacket.pingreq.encode() == [0xC0, 0x00])
        #expect(MQTTPacket.disconnect.encode() == [0xE0, 0x00])
        #expect(MQTTPacket.puback(packetID: 0x1234).encode() == [0x40, 0x02, 0x12, 0x34])
        let publish = MQTTPacket.publish(topic: "a/b", payload: [1, 2], qos: 1, packetID: 7, duplicate: true, retain: false).encode()
        #expect(publish == [0x3A, 0x09, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x00, 0x07, 0x01, 0x02])
    }

    @Test func remainingLengthBoundaries() throws {
        let cases: [(Int, [UInt8])] = [
            (0, [0x00]), (127, [0x7F]), (128, [0x80, 0x01]), (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]),
            (2_097_151, [0xFF, 0xFF, 0x7F]), (2_097_152, [0x80, 0x80, 0x80, 0x01]), (268_435_455, [0xFF, 0xFF, 0xFF, 0x7F]),
        ]
        for (value, bytes) in cases { #expect(MQTTPacket.remainingLength(value) == bytes, "\(value)") }
        // A payload needing a two-byte length decodes back.
        let big = MQTTPacket.publish(topic: "t", payload: Array(repeating: 0xAB, count: 300), qos: 1, packetID: 9, duplicate: false, retain: false)
        var decoder = MQTTDecoder()
        decoder.append(big.encode())
        #expect(try decoder.next() == big)
    }

    @Test func everyPacketRoundTripsWhenSplitAtEveryByte() throws {
        let packets: [MQTTPacket] = [
            .connect(clientID: "tether-1", keepAliveSeconds: 30, cleanSession: true, username: "u", password: "secret"),
            .connack(sessionPresent: false, returnCode: 0),
            .publish(topic: "tether/events/device.connected", payload: Array("{\"type\":\"x\"}".utf8), qos: 1, packetID: 65_535, duplicate: false, retain: false),
            .publish(topic: "q0", payload: [], qos: 0, packetID: nil, duplicate: false, retain: true),
            .puback(packetID: 1), .subscribe(packetID: 2, topic: "tether/#", qos: 1), .suback(packetID: 2, returnCodes: [1]),
            .pingreq, .pingresp, .disconnect,
        ]
        let stream = packets.flatMap { $0.encode() }
        for split in 0...stream.count {
            var decoder = MQTTDecoder()
            var decoded: [MQTTPacket] = []
            decoder.append(stream[..<split])
            while let packet = try decoder.next() { decoded.append(packet) }
            decoder.append(stream[split...])
            while let packet = try decoder.next() { decoded.append(packet) }
            #expect(decoded == packets, "split at \(split)")
        }
    }

    @Test func badInputFailsEarlyAndStaysFailed() throws {
        var tooLarge = MQTTDecoder(maxPacketBytes: 1024)
        tooLarge.append([0x30, 0xFF, 0xFF, 0xFF, 0x7F])  // 256 MiB announced, nothing else sent
        #expect(throws: MQTTDecoder.DecodeError.tooLarge(268_435_455)) { try tooLarge.next() }
        #expect(throws: MQTTDecoder.DecodeError.self) { try tooLarge.next() }
        var fiveLengthBytes = MQTTDecoder()
        fiveLengthBytes.append([0x30, 0x80, 0x80, 0x80, 0x80, 0x01])
        #expect(throws: MQTTDecoder.DecodeError.malformedLength) { try fiveLengthBytes.next() }
        var badConnack = MQTTDecoder()
        badConnack.append([0x20, 0x03, 0, 0, 0])
        #expect(throws: MQTTDecoder.DecodeError.self) { try badConnack.next() }
        var shortString = MQTTDecoder()
        shortString.append([0x32, 0x03, 0x00, 0x09, 0x61])
        #expect(throws: MQTTDecoder.DecodeError.self) { try shortString.next() }
        var reserved = MQTTDecoder()
        reserved.append([0xF0, 0x00])
        #expect(throws: MQTTDecoder.DecodeError.unsupported(15)) { try reserved.next() }
    }

    @Test func settingsParseBrokerURLs() throws {
        let settings = try MQTTSettings.parse(url: "mqtt://user:pw@127.0.0.1:1884", clientID: "c").get()
        #expect(settings.host == "127.0.0.1" && settings.port == 1884 && settings.username == "user" && settings.password == "pw")
        #expect(try MQTTSettings.parse(url: "mqtt://broker", clientID: "c").get().port == 1883)
        for bad in ["http://broker", "mqtts://broker", "mqtt://", "mqtt://broker/topic", "broker:1883"] {
            #expect(throws: MQTTSettingsError.self, "\(bad)") { try MQTTSettings.parse(url: bad, clientID: "c").get() }
        }
    }
}
