import Foundation

/// Firmware facts about a device (MPS `deviceInfo`), stored as JSON.
public struct DeviceInfo: Sendable, Equatable, Codable {
    public var fwVersion: String?
    public var fwBuild: String?
    public var fwSku: String?
    public var currentMode: String?
    public var features: String?
    public var ipAddress: String?
    public var lastUpdated: Date?

    public init(
        fwVersion: String? = nil, fwBuild: String? = nil, fwSku: String? = nil,
        currentMode: String? = nil, features: String? = nil, ipAddress: String? = nil,
        lastUpdated: Date? = nil
    ) {
        self.fwVersion = fwVersion
        self.fwBuild = fwBuild
        self.fwSku = fwSku
        self.currentMode = currentMode
        self.features = features
        self.ipAddress = ipAddress
        self.lastUpdated = lastUpdated
    }
}

/// A managed AMT device (the MPS device record).
///
/// The MPS/AMT/MEBx passwords are sealed and not part of this value; read them with
/// `DeviceRepository.secrets(guid:tenantId:)`. `guid` is stored lower-case and is unique across
/// tenants (MPS: `UNIQUE(guid)`).
public struct Device: Sendable, Equatable {
    public var guid: String
    public var hostname: String?
    public var friendlyName: String?
    public var dnsSuffix: String?
    public var tags: [String]
    public var mpsUsername: String?
    public var tenantId: String
    /// Maintained by connection events; ignored by `update`.
    public var connectionStatus: Bool
    /// The host instance holding the CIRA connection; maintained by connection events.
    public var mpsInstance: String?
    public var lastConnected: Date?
    public var lastSeen: Date?
    public var lastDisconnected: Date?
    public var deviceInfo: DeviceInfo?
    /// Optimistic-concurrency token: 1 after create, +1 on every `update` (not on connection events).
    public var version: Int
    public internal(set) var hasMPSPassword: Bool
    public internal(set) var hasAMTPassword: Bool
    public internal(set) var hasMEBxPassword: Bool

    public init(
        guid: String, hostname: String? = nil, friendlyName: String? = nil, dnsSuffix: String? = nil,
        tags: [String] = [], mpsUsername: String? = nil, tenantId: String = "",
        deviceInfo: DeviceInfo? = nil, version: Int = 0
    ) {
        self.guid = guid
        self.hostname = hostname
        self.friendlyName = friendlyName
        self.dnsSuffix = dnsSuffix
        self.tags = tags
        self.mpsUsername = mpsUsername
        self.tenantId = tenantId
        self.connectionStatus = false
        self.mpsInstance = nil
        self.lastConnected = nil
        self.lastSeen = nil
        self.lastDisconnected = nil
        self.deviceInfo = deviceInfo
        self.version = version
        self.hasMPSPassword = false
        self.hasAMTPassword = false
        self.hasMEBxPassword = false
    }
}

/// A device's sealed credentials, returned only by `DeviceRepository.secrets`.
public struct DeviceSecrets: Sendable, Equatable {
    public var mpsPassword: Secret?
    public var amtPassword: Secret?
    public var mebxPassword: Secret?

    public init(mpsPassword: Secret? = nil, amtPassword: Secret? = nil, mebxPassword: Secret? = nil) {
        self.mpsPassword = mpsPassword
        self.amtPassword = amtPassword
        self.mebxPassword = mebxPassword
    }
}

/// Changes to a device's sealed credentials in `DeviceRepository.updateSecrets`.
public struct DeviceSecretChanges: Sendable, Equatable {
    public var mpsPassword: SecretChange
    public var amtPassword: SecretChange
    public var mebxPassword: SecretChange

    public init(mpsPassword: SecretChange = .keep, amtPassword: SecretChange = .keep, mebxPassword: SecretChange = .keep) {
        self.mpsPassword = mpsPassword
        self.amtPassword = amtPassword
        self.mebxPassword = mebxPassword
    }
}

/// Device list filters. All given filters must hold.
public struct DeviceFilter: Sendable, Equatable {
    /// How `tags` combine.
    public enum TagMatch: String, Sendable, Equatable {
        /// The device has every tag (MPS `method=AND`).
        case all = "AND"
        /// The device has at least one tag (MPS `method=OR`, the default).
        case any = "OR"
    }

    public var tags: [String]
    public var tagMatch: TagMatch
    /// Exact host name match.
    public var hostname: String?
    /// Exact friendly name match.
    public var friendlyName: String?
    /// true = connected, false = disconnected.
    public var connectionStatus: Bool?

    public init(
        tags: [String] = [], tagMatch: TagMatch = .any, hostname: String? = nil,
        friendlyName: String? = nil, connectionStatus: Bool? = nil
    ) {
        self.tags = tags
        self.tagMatch = tagMatch
        self.hostname = hostname
        self.friendlyName = friendlyName
        self.connectionStatus = connectionStatus
    }
}

/// A CIRA connection event for `DeviceRepository.applyConnectionEvents`.
public struct DeviceConnectionEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The device authenticated on this host instance.
        case connected(instance: String?)
        /// The connection closed.
        case disconnected
        /// A keep-alive or other traffic.
        case seen
    }

    public var guid: String
    public var kind: Kind
    public var at: Date

    public init(guid: String, kind: Kind, at: Date) {
        self.guid = guid
        self.kind = kind
        self.at = at
    }
}
