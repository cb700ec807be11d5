/// The MQTT 3.1.1 control packets a QoS 1 publisher sends and receives (OASIS MQTT 3.1.1 §3).
/// Pure values; ``encode()`` gives the wire bytes, ``MQTTDecoder`` reads them back.
public enum MQTTPacket: Sendable, Equatable {
    /// CONNECT with protocol level 4, optional credentials, clean session as given.
    case connect(clientID: String, keepAliveSeconds: UInt16, cleanSession: Bool, username: String?, password: String?)
    /// CONNACK: session-present flag and return code (0 = accepted).
    case connack(sessionPresent: Bool, returnCode: UInt8)
    /// PUBLISH; `packetID` is present for QoS 1 and 2.
    case publish(topic: String, payload: [UInt8], qos: UInt8, packetID: UInt16?, duplicate: Bool, retain: Bool)
    case puback(packetID: UInt16)
    case subscribe(packetID: UInt16, topic: String, qos: UInt8)
    case suback(packetID: UInt16, returnCodes: [UInt8])
    case pingreq
    case pingresp
    case disconnect

    /// The largest remaining length MQTT can express (four length bytes).
    public static let maxRemainingLength = 268_435_455

    /// The packet's wire bytes.
    public func encode() -> [UInt8] {
        var body: [UInt8] = []
        let header: UInt8
        switch self {
        case .connect(let clientID, let keepAlive, let clean, let username, let password):
            header = 0x10
            Self.appendString("MQTT", to: &body)
            body.append(4)
            var flags: UInt8 = clean ? 0x02 : 0
            if username != nil { flags |= 0x80 }
            if password != nil { flags |= 0x40 }
            body.append(flags)
            Self.appendUInt16(keepAlive, to: &body)
            Self.appendString(clientID, to: &body)
            if let username { Self.appendString(username, to: &body) }
            if let password { Self.appendString(password, to: &body) }
        case .connack(let sessionPresent, let returnCode):
            header = 0x20
            body = [sessionPresent ? 1 : 0, returnCode]
        case .publish(let topic, let payload, let qos, let packetID, let duplicate, let retain):
            header = 0x30 | (duplicate ? 0x08 : 0) | ((qos & 0x03) << 1) | (retain ? 0x01 : 0)
            Self.appendString(topic, to: &body)
            if qos > 0 { Self.appendUInt16(packetID ?? 0, to: &body) }
            body += payload
        case .puback(let packetID):
            header = 0x40
            Self.appendUInt16(packetID, to: &body)
        case .subscribe(let packetID, let topic, let qos):
            header = 0x82
            Self.appendUInt16(packetID, to: &body)
            Self.appendString(topic, to: &body)
            body.append(qos)
        case .suback(let packetID, let codes):
            header = 0x90
            Self.appendUInt16(packetID, to: &body)
            body += codes
        case .pingreq: header = 0xC0
        case .pingresp: header = 0xD0
        case .disconnect: header = 0xE0
        }
        return [header] + Self.remainingLength(body.count) + body
    }

    /// The variable-length "remaining length" (7 bits per byte, continuation bit 0x80).
    static func remainingLength(_ value: Int) -> [UInt8] {
        precondition(value >= 0 && value <= maxRemainingLength, "MQTT packet too large")
        var value = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value % 128)
            value /= 128
            if value > 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value > 0
        return bytes
    }

    static func appendUInt16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    /// A UTF-8 string with its 2-byte length (callers keep strings under 64 KiB).
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = Array(text.utf8.prefix(65_535))
        appendUInt16(UInt16(utf8.count), to: &bytes)
        bytes += utf8
    }
}
