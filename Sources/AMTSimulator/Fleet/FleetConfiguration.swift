import APF

/// A fleet of simulated devices: where they connect, how fast, from which source addresses and
/// which fraction misbehaves. Fault fractions pick devices deterministically from the seed.
public struct FleetConfiguration: Sendable {
    public var count: Int
    /// Seeds device UUIDs: the same seed and index always give the same device.
    public var seed: UInt64 = 1
    public var serverHost: String
    public var serverPort: Int
    public var username: String
    public var password: String
    /// AMT admin password the firmware checks (digest).
    public var amtPassword: String = "P@ssw0rd"
    /// New connections per second (0 = as fast as possible).
    public var rampPerSecond: Double = 200
    /// Source addresses to spread connections over (loopback range), round robin.
    public var sourceAddresses: [String] = []
    public var tls = DeviceTLSOptions()
    /// Use the firmware profile's TLS offer instead of `tls` versions/ciphers.
    public var useProfileTLSOffer = true
    public var profile: FirmwareProfile = .amt16
    public var reconnect = true
    public var faults = FleetFaults()

    public init(count: Int, serverHost: String, serverPort: Int, username: String, password: String) {
        self.count = count
        self.serverHost = serverHost
        self.serverPort = serverPort
        self.username = username
        self.password = password
    }
}

/// Fractions (0…1) of the fleet that get each fault.
public struct FleetFaults: Sendable {
    public var dropConnection = 0.0
    public var dropAfter: Duration = .seconds(5)
    public var stopKeepAlives = 0.0
    public var slowWSMan = 0.0
    public var slowDelay: Duration = .seconds(3)
    public var hangWSMan = 0.0
    public var refuseChannels = 0.0
    public var refuseReason: APFChannelOpenFailureReason = .resourceShortage
    public var malformedAPF = 0.0
    public var wrongPassword = 0.0

    public init() {}
}

/// Deterministic per-device randomness (SplitMix64).
struct FleetRandom {
    private var state: UInt64

    init(seed: UInt64, index: Int, stream: UInt64 = 0) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03 &+ stream &* 0x94D0_49BB_1331_11EB
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A stable RFC 4122 version-4 UUID for device `index` of fleet `seed`.
    static func uuid(seed: UInt64, index: Int) -> AMTUUID {
        var random = FleetRandom(seed: seed, index: index, stream: 7)
        var bytes: [UInt8] = []
        for _ in 0..<2 { withUnsafeBytes(of: random.next().bigEndian) { bytes += $0 } }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return AMTUUID(rawBytes: bytes)!
    }
}
