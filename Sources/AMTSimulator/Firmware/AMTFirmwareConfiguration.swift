import APF
import Foundation

/// How an ``AMTFirmware`` is set up.
public struct AMTFirmwareConfiguration: Sendable {
    /// The device UUID (gives `PlatformGUID` and the stable digest realm).
    public var uuid: AMTUUID
    /// The AMT admin user (`admin`).
    public var username = "admin"
    /// The AMT admin password.
    public var password: String
    public var profile: FirmwareProfile
    /// `Digest:` + 32 upper-case hex digits; by default derived from the UUID (stable per device).
    public var realm: String
    /// How long a digest nonce stays valid.
    public var nonceLifetime: TimeInterval = 300
    /// Initial DMTF power state (2 on, 8 off).
    public var powerState = 2
    /// Whether the OS is up initially (only meaningful when on).
    public var osRunning = true
    public var faults = FirmwareFaults()
    /// Maximum chunk size of 200 responses (AMT uses chunks of a few hundred bytes).
    public var chunkSize = 512
    /// Most recent calls kept in the log.
    public var callLogLimit = 10_000
    /// Set for a device that starts unprovisioned (activation over `/activate` sets its admin
    /// password); `nil` = provisioned with `username`/`password`.
    public var provisioning: FirmwareProvisioning?
    /// The clock (tests inject one to expire nonces).
    public var clock: @Sendable () -> Date = { Date() }

    /// Creates a configuration.
    public init(uuid: AMTUUID, password: String, profile: FirmwareProfile = .amt16) {
        self.uuid = uuid
        self.password = password
        self.profile = profile
        self.realm = Self.realm(for: uuid)
    }

    /// The stable realm of a device: `Digest:` + 32 upper-case hex digits mixed from its UUID.
    public static func realm(for uuid: AMTUUID) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var out = "Digest:"
        for (index, byte) in uuid.rawBytes.enumerated() {
            hash = (hash ^ UInt64(byte) ^ UInt64(index &* 0x9d)) &* 0x0000_0100_0000_01b3
            hash ^= hash >> 29
            let mixed = UInt8(truncatingIfNeeded: hash >> 17)
            out += String(mixed >> 4, radix: 16, uppercase: true) + String(mixed & 0xF, radix: 16, uppercase: true)
        }
        return out
    }
}
