/// Incremental MQTT 3.1.1 decoder: ``append(_:)`` bytes as they arrive (split anywhere), then
/// ``next()`` until it returns nil. Linear in the input; a packet whose remaining length
/// exceeds `maxPacketBytes` fails as soon as its length is read, before buffering it. After an
/// error the decoder keeps failing (the connection must be closed). Not thread-safe.
public struct MQTTDecoder: Sendable {
    public enum DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
        case malformedLength
        case tooLarge(Int)
        case malformed(String)
        case unsupported(UInt8)

        public var description: String {
            switch self {
            case .malformedLength: "malformed remaining length"
            case .tooLarge(let length): "packet of \(length) bytes exceeds the limit"
            case .malformed(let what): "malformed packet: \(what)"
            case .unsupported(let type): "unsupported packet type \(type)"
            }
        }
    }

    private var buffer: [UInt8] = []
    private var start = 0
    private var failure: DecodeError?
    public let maxPacketBytes: Int

    public init(maxPacketBytes: Int = 1 << 20) {
        self.maxPacketBytes = maxPacketBytes
    }

    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        if start > 0, start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete packet, or nil when more bytes are needed.
    public mutating func next() throws(DecodeError) -> MQTTPacket? {
        if let failure { throw failure }
        do {
            return try parse()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func parse() throws(DecodeError) -> MQTTPacket? {
        let available = buffer.count - start
        guard available >= 2 else { return nil }
        var length = 0
        var multiplier = 1
        var index = start + 1
        while true {
            guard index < buffer.count else { return nil }
            let byte = buffer[index]
            length += Int(byte & 0x7F) * multiplier
            index += 1
            if byte & 0x80 == 0 { break }
            multiplier *= 128
            guard index - start - 1 < 4 else { throw .malformedLength }
        }
        guard length <= maxPacketBytes else { throw .tooLarge(length) }
        guard buffer.count - index >= length else { return nil }
        let header = buffer[start]
        let body = Array(buffer[index..<(index + length)])
        start = index + length
        return try Self.packet(header: header, body: body)
    }

    static func packet(header: UInt8, body: [UInt8]) throws(DecodeError) -> MQTTPacket {
        var reader = Reader(bytes: body)
        switch header >> 4 {
        case 1:
            guard try reader.string() == "MQTT", try reader.byte() == 4 else { throw .malformed("CONNECT protocol") }
            let flags = try reader.byte()
            let keepAlive = try reader.uint16()
            let clientID = try reader.string()
            let username: String? = if flags & 0x80 != 0 { try reader.string() } else { nil }
            let password: String? = if flags & 0x40 != 0 { try reader.string() } else { nil }
            return .connect(clientID: clientID, keepAliveSeconds: keepAlive, cleanSession: flags & 0x02 != 0, username: username, password: password)
        case 2:
            guard body.count == 2 else { throw .malformed("CONNACK length") }
            return .connack(sessionPresent: body[0] & 1 == 1, returnCode: body[1])
        case 3:
            let qos = (header >> 1) & 0x03
            guard qos < 3 else { throw .malformed("PUBLISH QoS 3") }
            let topic = try reader.string()
            let packetID: UInt16? = if qos > 0 { try reader.uint16() } else { nil }
            return .publish(topic: topic, payload: reader.rest(), qos: qos, packetID: packetID, duplicate: header & 0x08 != 0, retain: header & 0x01 != 0)
        case 4:
            guard body.count == 2 else { throw .malformed("PUBACK length") }
            return .puback(packetID: try reader.uint16())
        case 8:
            let packetID = try reader.uint16()
            let topic = try reader.string()
            return .subscribe(packetID: packetID, topic: topic, qos: try reader.byte())
        case 9:
            return .suback(packetID: try reader.uint16(), returnCodes: reader.rest())
        case 12 where body.isEmpty: return .pingreq
        case 13 where body.isEmpty: return .pingresp
        case 14 where body.isEmpty: return .disconnect
        default: throw .unsupported(header >> 4)
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func byte() throws(DecodeError) -> UInt8 {
            guard offset < bytes.count else { throw .malformed("truncated") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func uint16() throws(DecodeError) -> UInt16 {
            let high = try byte()
            return UInt16(high) << 8 | UInt16(try byte())
        }

        mutating func string() throws(DecodeError) -> String {
            let length = Int(try uint16())
            guard offset + length <= bytes.count else { throw .malformed("string past the end") }
            defer { offset += length }
            guard let text = String(validating: bytes[offset..<(offset + length)], as: UTF8.self) else { throw .malformed("string is not UTF-8") }
            return text
        }

        mutating func rest() -> [UInt8] {
            defer { offset = bytes.count }
            return Array(bytes[offset...])
        }
    }
}
