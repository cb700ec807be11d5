import TetherJSON
import WSMan

/// Boot settings and boot configuration.
extension AMTDeviceClient {
    /// Get `AMT_BootSettingData`: its properties.
    public func bootSettings() async throws(AMTError) -> AMTBootSettings {
        let (_, instance) = try await get(.amtBootSettingData)
        return AMTBootSettings(settings: WSManJSON.object(instance))
    }

    /// Put `AMT_BootSettingData` with `settings` (a JSON object of properties, e.g. the one
    /// read with ``bootSettings()`` with some values changed) → the device's echo.
    public func putBootSettings(_ settings: JSONValue) async throws(AMTError) -> AMTBootSettings {
        let instance = try WSManJSON.instance(className: "AMT_BootSettingData", from: settings)
        let reply = try await call(.putBootSettingData(instance, messageID: nextMessageID()))
        let echo = reply.instance("AMT_BootSettingData").map(WSManJSON.object) ?? .object([:])
        return AMTBootSettings(settings: echo)
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
