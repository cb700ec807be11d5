import Store
import TetherJSON

extension AdminJSON {
    /// A Wi-Fi profile as RPS returns it (never the PSK passphrase).
    static func wirelessConfig(_ config: WirelessConfig) -> JSONValue {
        [
            "profileName": .string(config.profileName),
            "authenticationMethod": .number(config.authenticationMethod.rawValue),
            "encryptionMethod": .number(config.encryptionMethod.rawValue),
            "ssid": .string(config.ssid),
            "pskValue": optional(config.pskValue),
            "linkPolicy": .array(config.linkPolicy.map(JSONValue.number)),
            "ieee8021xProfileName": optional(config.ieee8021xProfileName),
            "tenantId": .string(config.tenantId),
            "version": .string(String(config.version)),
        ]
    }

    /// An 802.1x config as RPS returns it (never the password).
    static func ieee8021xConfig(_ config: IEEE8021xConfig) -> JSONValue {
        [
            "profileName": .string(config.profileName),
            "authenticationProtocol": .number(config.authenticationProtocol.rawValue),
            "serverName": optional(config.serverName),
            "domain": optional(config.domain),
            "username": optional(config.username),
            "roamingIdentity": optional(config.roamingIdentity),
            "activeInS0": optional(config.activeInS0),
            "pxeTimeout": optional(config.pxeTimeout),
            "wiredInterface": .bool(config.wiredInterface),
            "tenantId": .string(config.tenantId),
            "version": .string(String(config.version)),
        ]
    }

    /// A profile's `wifiConfigs`: `[{"profileName", "priority"}]` by priority.
    static func wifiLinks(_ links: [ProfileWifiLink]) -> JSONValue {
        .array(links.map { ["profileName": .string($0.profileName), "priority": .number($0.priority)] })
    }
}
