/// The body of PROTOCOLVERSION (type 192, always 93 bytes on the wire): the first message an AMT
/// device sends after TLS.
///
/// Layout: type, major u32, minor u32, trigger reason u32, 16 raw UUID bytes, 64 reserved bytes.
public struct APFProtocolVersion: Sendable, Hashable {
    /// Number of reserved bytes at the end of the message.
    public static let reservedByteCount = 64

    /// Major version; 1 in all observed traffic.
    public var major: UInt32
    /// Minor version; 0 in all observed traffic.
    public var minor: UInt32
    /// Why the device opened the tunnel.
    public var triggerReason: APFTriggerReason
    /// The device's system UUID (see ``AMTUUID/guidString`` for the device GUID).
    public var uuid: AMTUUID
    /// The 64 trailing reserved bytes, kept as received (zeros when sent by this module's users).
    /// The encoder writes exactly 64 bytes: a shorter array is padded with zeros, a longer one is
    /// cut at 64.
    public var reserved: [UInt8]

    /// Creates a PROTOCOLVERSION body; reserved bytes default to zeros.
    public init(
        major: UInt32 = 1,
        minor: UInt32 = 0,
        triggerReason: APFTriggerReason,
        uuid: AMTUUID,
        reserved: [UInt8] = [UInt8](repeating: 0, count: APFProtocolVersion.reservedByteCount)
    ) {
        self.major = major
        self.minor = minor
        self.triggerReason = triggerReason
        self.uuid = uuid
        self.reserved = reserved
    }
}
