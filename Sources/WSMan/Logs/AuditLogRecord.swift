import Foundation

/// One record of AMT's security audit log (`AMT_AuditLog.ReadRecords` returns them base64
/// encoded). Encoding and decoding live here so the host and the simulator share one codec.
///
/// Layout (big-endian): `AuditAppID` u16, `EventID` u16, `InitiatorType` u8, the initiator
/// (type 0 HTTP digest: length u8 + user name; 1 Kerberos: user-in-domain u32 + length u8 + SID;
/// 2 local; 3 KVM default port: nothing), time u32 (seconds since 1970, UTC), `MCLocationType`
/// u8, net address (length u8 + text), extended data (length u8 + bytes).
public struct AuditLogRecord: Sendable, Equatable {
    public enum Initiator: Sendable, Equatable {
        case httpDigest(username: String)
        case kerberos(sid: [UInt8])
        case local
        case kvmDefaultPort

        public var type: Int {
            switch self {
            case .httpDigest: return 0
            case .kerberos: return 1
            case .local: return 2
            case .kvmDefaultPort: return 3
            }
        }

        /// What MPS shows as `Initiator`.
        public var text: String {
            switch self {
            case .httpDigest(let username): return username
            case .kerberos(let sid): return sid.map { String(format: "%02X", $0) }.joined()
            case .local: return "Local"
            case .kvmDefaultPort: return "KVM Default Port"
            }
        }
    }

    public var auditAppID: Int
    public var eventID: Int
    public var initiator: Initiator
    public var time: Date
    /// 0 IPv4, 1 IPv6, 2 none.
    public var mcLocationType: Int
    public var netAddress: String
    public var extendedData: [UInt8]

    public init(
        auditAppID: Int, eventID: Int, initiator: Initiator, time: Date, mcLocationType: Int = 0,
        netAddress: String = "", extendedData: [UInt8] = []
    ) {
        self.auditAppID = auditAppID
        self.eventID = eventID
        self.initiator = initiator
        self.time = time
        self.mcLocationType = mcLocationType
        self.netAddress = netAddress
        self.extendedData = extendedData
    }

    /// The application name (`AuditApp`), or `"#<id>"` when unknown.
    public var appName: String { Self.appNames[auditAppID] ?? "#\(auditAppID)" }
    /// The event name (`Event`), or `"#<id>"` when unknown.
    public var eventName: String { Self.eventNames[auditAppID * 100 + eventID] ?? "#\(eventID)" }

    /// The record's bytes. Strings longer than 255 bytes are cut (the format's limit).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        func u16(_ value: Int) { out += [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
        func u32(_ value: UInt32) { out += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
        func short(_ bytes: [UInt8]) {
            let cut = Array(bytes.prefix(255))
            out.append(UInt8(cut.count))
            out += cut
        }
        u16(auditAppID)
        u16(eventID)
        out.append(UInt8(initiator.type))
        switch initiator {
        case .httpDigest(let username): short(Array(username.utf8))
        case .kerberos(let sid):
            u32(0)
            short(sid)
        case .local, .kvmDefaultPort: break
        }
        u32(UInt32(clamping: Int64(time.timeIntervalSince1970)))
        out.append(UInt8(mcLocationType & 0xFF))
        short(Array(netAddress.utf8))
        short(extendedData)
        return out
    }

    /// Decodes one record. - Throws: ``AuditLogRecordError`` for a truncated or unknown record.
    public init(decoding bytes: [UInt8]) throws(AuditLogRecordError) {
        var reader = ByteReader(bytes)
        auditAppID = try reader.u16()
        eventID = try reader.u16()
        switch try reader.u8() {
        case 0: initiator = .httpDigest(username: String(decoding: try reader.short(), as: UTF8.self))
        case 1:
            _ = try reader.u32()
            initiator = .kerberos(sid: try reader.short())
        case 2: initiator = .local
        case 3: initiator = .kvmDefaultPort
        case let other: throw .unknownInitiator(Int(other))
        }
        time = Date(timeIntervalSince1970: TimeInterval(try reader.u32()))
        mcLocationType = Int(try reader.u8())
        netAddress = String(decoding: try reader.short(), as: UTF8.self)
        extendedData = reader.isAtEnd ? [] : try reader.short()
    }

    static let appNames: [Int: String] = [
        16: "Security Admin", 17: "RCO", 18: "Redirection Manager", 19: "Firmware Update Manager",
        20: "Security Audit Log", 21: "Network Time", 22: "Network Administration", 23: "Storage Administration",
        24: "Event Manager", 25: "Circuit Breaker Manager", 26: "Agent Presence Manager", 27: "Wireless Configuration",
        28: "EAC", 29: "KVM", 30: "User Opt-In Events", 32: "Screen Blanking", 33: "Watchdog Events",
    ]

    static let eventNames: [Int: String] = [
        1600: "Provisioning Started", 1601: "Provisioning Completed", 1602: "ACL Entry Added", 1603: "ACL Entry Modified",
        1604: "ACL Entry Removed", 1605: "ACL Access with Invalid Credentials", 1606: "ACL Entry State",
        1607: "TLS State Changed", 1608: "TLS Server Certificate Set", 1610: "TLS Trusted Root Certificate Added",
        1618: "Upgrade Client to Admin Control Mode", 1619: "Unprovisioning Started",
        1700: "Performed Power Up", 1701: "Performed Power Down", 1702: "Performed Power Cycle", 1703: "Performed Reset",
        1704: "Set Boot Options",
        1800: "IDER Session Opened", 1801: "IDER Session Closed", 1802: "IDER Enabled", 1803: "IDER Disabled",
        1804: "SoL Session Opened", 1805: "SoL Session Closed", 1806: "SoL Enabled", 1807: "SoL Disabled",
        1808: "KVM Session Started", 1809: "KVM Session Ended", 1810: "KVM Enabled", 1811: "KVM Disabled",
        1900: "Firmware Updated", 1901: "Firmware Update Failed", 2000: "Security Audit Log Cleared",
    ]
}

/// Why an audit or event log record could not be decoded.
public enum AuditLogRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated
    case unknownInitiator(Int)
    case notBase64

    public var description: String {
        switch self {
        case .truncated: return "the log record is truncated"
        case .unknownInitiator(let type): return "the audit record has an unknown initiator type \(type)"
        case .notBase64: return "the log record is not base64"
        }
    }
}

/// A bounds-checked reader over a record's bytes.
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func take(_ count: Int) throws(AuditLogRecordError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .truncated }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func u8() throws(AuditLogRecordError) -> UInt8 { try take(1)[0] }

    mutating func u16() throws(AuditLogRecordError) -> Int {
        let b = try take(2)
        return Int(b[0]) << 8 | Int(b[1])
    }

    mutating func u32() throws(AuditLogRecordError) -> UInt32 {
        let b = try take(4)
        return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
    }

    /// A length byte followed by that many bytes.
    mutating func short() throws(AuditLogRecordError) -> [UInt8] { try take(Int(try u8())) }
}
