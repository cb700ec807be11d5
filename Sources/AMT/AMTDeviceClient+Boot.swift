import TetherJSON
import WSMan

/// Boot settings and boot configuration.
extension AMTDeviceClient {
    /// Get `AMT_BootSettingData`: its properties. `timeout` overrides
    /// ``AMTClientConfiguration/callTimeout``.
    public func bootSettings(timeout: Duration? = nil) async throws(AMTError) -> AMTBootSettings {
        let (_, instance) = try await get(.amtBootSettingData, timeout: timeout)
        return AMTBootSettings(settings: WSManJSON.object(instance))
    }

    /// Put `AMT_BootSettingData` with `settings` (a JSON object of properties, e.g. the one
    /// read with ``bootSettings()`` with some values changed) → the device's echo.
    public func putBootSettings(_ settings: JSONValue, timeout: Duration? = nil) async throws(AMTError) -> AMTBootSettings {
        let instance = try WSManJSON.instance(className: "AMT_BootSettingData", from: settings)
        let reply = try await call(.putBootSettingData(instance, messageID: nextMessageID()), timeout: timeout)
        let echo = reply.instance("AMT_BootSettingData").map(WSManJSON.object) ?? .object([:])
        return AMTBootSettings(settings: echo)
    }

    /// The `AMT_BootSettingData` to Put so that the device's `current` properties (as
    /// ``bootSettings()`` shows them) hold `wanted`: `current` with those values changed — or
    /// nil when it already holds them and a Put would change nothing. A property the device does
    /// not report counts as off (`false` or `0`): firmware without an option cannot hold it
    /// set, so only turning it on needs a Put, and that Put adds the property.
    public static func bootSettingsToPut(_ current: JSONValue, holding wanted: [String: JSONValue]) -> JSONValue? {
        let members = current.objectValue ?? [:]
        guard needsChange(members, to: wanted) else { return nil }
        return .object(members.merging(wanted) { _, new in new })
    }

    /// The one-time boot options of `AMT_BootSettingData`, each off (the list Open AMT's MPS
    /// resets before every power action): what `clearOneTimeOptions` of
    /// `amt.boot.settings.apply` writes under the caller's own values.
    public static let clearedOneTimeBootOptions: [String: JSONValue] = [
        "BIOSPause": false, "BIOSSetup": false, "BootMediaIndex": 0, "ConfigurationDataReset": false,
        "FirmwareVerbosity": 0, "ForcedProgressEvents": false, "IDERBootDevice": 0, "LockKeyboard": false,
        "LockPowerButton": false, "LockResetButton": false, "LockSleepButton": false, "ReflashBIOS": false,
        "UseIDER": false, "UseSOL": false, "UseSafeMode": false, "UserPasswordBypass": false, "SecureErase": false,
    ]

    /// Checks wanted boot settings before anything is sent: each name an XML element name,
    /// each value one WS-Man can carry.
    public static func validateBootSettings(_ wanted: [String: JSONValue]) throws(AMTError) {
        for (name, value) in wanted {
            guard isPropertyName(name) else { throw .invalidArgument("'\(name.prefix(64))' is not an AMT_BootSettingData property name") }
            _ = try WSManJSON.wsmanValue(value, name: name)
        }
    }

    /// Whether writing `wanted` over `current` would change a value; an absent property counts
    /// as off (`false` or `0`).
    static func needsChange(_ current: [String: JSONValue], to wanted: [String: JSONValue]) -> Bool {
        wanted.contains { name, value in
            guard let present = current[name] else { return value != false && value != 0 }
            return present != value
        }
    }

    /// An XML element name of ASCII letters, digits, `_`, `-` and `.`, not starting with a digit,
    /// `-` or `.` (what CIM property names are).
    static func isPropertyName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= 128 else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte == 0x5F }
        return isLetter(first) && bytes.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }
    }

    /// `CIM_BootService.SetBootConfigRole`: the device's ReturnValue.
    public func setBootConfigRole(_ role: Int) async throws(AMTError) -> AMTMethodResult {
        guard let value = BootConfigRole(rawValue: role) else {
            throw .invalidArgument("role must be 0 (IsNext), 1 (IsNextSingleUse) or 2 (IsDefault), got \(role)")
        }
        let (reply, result) = try await invoke(.setBootConfigRole(role: value, messageID: nextMessageID()), method: "SetBootConfigRole")
        return AMTMethodResult(result, replyHeader: reply.header)
    }

    /// `CIM_BootConfigSetting.ChangeBootOrder`; `nil` clears the forced source.
    /// The device's ReturnValue.
    public func changeBootOrder(_ source: BootSource?) async throws(AMTError) -> AMTMethodResult {
        let (reply, result) = try await invoke(.changeBootOrder(source: source, messageID: nextMessageID()), method: "ChangeBootOrder")
        return AMTMethodResult(result, replyHeader: reply.header)
    }

    /// Parses a boot source name: `pxe`, `cd`/`cdrom`/`dvd`, `hdd`/`disk`, or a full
    /// `CIM_BootSourceSetting` InstanceID (`Intel(r) AMT: …`).
    public static func bootSource(named name: String) throws(AMTError) -> BootSource {
        switch name.lowercased() {
        case "pxe", "network": return .pxe
        case "cd", "cdrom", "dvd", "cd/dvd": return .cdDVD
        case "hdd", "disk", "hard-drive", "harddrive": return .hardDrive
        default:
            guard name.hasPrefix("Intel(r) AMT: ") else {
                throw .invalidArgument("unknown boot source '\(name)' (use pxe, cd, hdd or an 'Intel(r) AMT: …' InstanceID)")
            }
            return .instanceID(name)
        }
    }
}
