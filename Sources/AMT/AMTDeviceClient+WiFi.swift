import TetherJSON
import WSMan

/// Writing Wi-Fi profiles into AMT (`AddWiFiSettings`) and reading them back.
extension AMTDeviceClient {
    /// `AddWiFiSettings`; returns the device's ReturnValue (0 = stored; 2067 INVALID_PRIORITY for a clash).
    public func addWiFiSettings(_ settings: WiFiEndpointSettings) async throws(AMTError) -> ReturnValue {
        try await invoke(.addWiFiSettings(settings, messageID: nextMessageID()), method: "AddWiFiSettings").1
    }

    /// The Wi-Fi profiles stored on the device (`CIM_WiFiEndpointSettings`, never a passphrase).
    public func wifiSettings() async throws(AMTError) -> AMTWiFiProfiles {
        AMTWiFiProfiles(profiles: try await enumerate(.cimWiFiEndpointSettings).map(WSManJSON.object))
    }
}
