import Foundation
import Store
import TetherJSON

/// Records as Open AMT's JSON (field names as the peer returns them; secrets never included).
/// `version` is a string, as RPS returns it.
enum AdminJSON {
    static func date(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
    }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func optional(_ flag: Bool?) -> JSONValue { flag.map(JSONValue.bool) ?? .null }
    static func optional(_ number: Int?) -> JSONValue { number.map(JSONValue.number) ?? .null }

    static func ciraConfig(_ config: CIRAConfig) -> JSONValue {
        [
            "configName": .string(config.configName),
            "mpsServerAddress": .string(config.mpsServerAddress),
            "mpsPort": .number(config.mpsPort),
            "username": .string(config.username),
            "commonName": optional(config.commonName),
            "serverAddressFormat": .number(config.serverAddressFormat.rawValue),
            "authMethod": .number(config.authMethod.rawValue),
            "mpsRootCertificate": .string(config.mpsRootCertificate),
            "proxyDetails": optional(config.proxyDetails),
            "tenantId": .string(config.tenantId),
            "allowSelfRegistration": .bool(config.allowSelfRegistration),
            "version": .string(String(config.version)),
        ]
    }

    static func profile(_ profile: Profile) -> JSONValue {
        [
            "profileName": .string(profile.profileName),
            "activation": .string(profile.activation.rawValue),
            "ciraConfigName": optional(profile.ciraConfigName),
            "generateRandomPassword": .bool(profile.generateRandomPassword),
            "generateRandomMEBxPassword": .bool(profile.generateRandomMEBxPassword),
            "tags": .array(profile.tags.map(JSONValue.string)),
            "dhcpEnabled": .bool(profile.dhcpEnabled),
            "tlsMode": optional(profile.tlsMode),
            "userConsent": optional(profile.userConsent?.rawValue),
            "iderEnabled": optional(profile.iderEnabled),
            "kvmEnabled": optional(profile.kvmEnabled),
            "solEnabled": optional(profile.solEnabled),
            "tenantId": .string(profile.tenantId),
            "tlsSigningAuthority": optional(profile.tlsSigningAuthority),
            "version": .string(String(profile.version)),
            "ieee8021xProfileName": optional(profile.ieee8021xProfileName),
            "wifiConfigs": wifiLinks(profile.wifiConfigs),
            "ipSyncEnabled": optional(profile.ipSyncEnabled),
            "localWifiSyncEnabled": optional(profile.localWifiSyncEnabled),
        ]
    }

    static func domain(_ domain: Domain) -> JSONValue {
        [
            "profileName": .string(domain.profileName),
            "domainSuffix": .string(domain.domainSuffix),
            "provisioningCertStorageFormat": .string(domain.provisioningCertStorageFormat.rawValue),
            "expirationDate": date(domain.expirationDate),
            "tenantId": .string(domain.tenantId),
            "version": .string(String(domain.version)),
        ]
    }

    /// MPS returns the three timestamps only from single-device reads (`withTimestamps`).
    static func device(_ device: Device, withTimestamps: Bool = true) -> JSONValue {
        var object: [String: JSONValue] = [
            "guid": .string(device.guid),
            "hostname": optional(device.hostname),
            "tags": .array(device.tags.map(JSONValue.string)),
            "mpsInstance": optional(device.mpsInstance),
            "connectionStatus": .bool(device.connectionStatus),
            "mpsusername": optional(device.mpsUsername),
            "tenantId": .string(device.tenantId),
            "friendlyName": optional(device.friendlyName),
            "dnsSuffix": optional(device.dnsSuffix),
            "deviceInfo": deviceInfo(device.deviceInfo),
            "version": .string(String(device.version)),
        ]
        if withTimestamps {
            object["lastConnected"] = date(device.lastConnected)
            object["lastSeen"] = date(device.lastSeen)
            object["lastDisconnected"] = date(device.lastDisconnected)
        }
        return .object(object)
    }

    static func deviceInfo(_ info: DeviceInfo?) -> JSONValue {
        guard let info else { return .null }
        return [
            "fwVersion": optional(info.fwVersion), "fwBuild": optional(info.fwBuild), "fwSku": optional(info.fwSku),
            "currentMode": optional(info.currentMode), "features": optional(info.features),
            "ipAddress": optional(info.ipAddress), "lastUpdated": date(info.lastUpdated),
        ]
    }
}
