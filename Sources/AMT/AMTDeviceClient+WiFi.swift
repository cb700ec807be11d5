import TetherJSON
import WSMan

/// Writing Wi-Fi profiles into AMT: `AMT_WiFiPortConfigurationService.AddWiFiSettings` for
/// `CIM_WiFiEndpoint` "WiFi Endpoint 0", one `CIM_WiFiEndpointSettings` per profile.
extension AMTDeviceClient {
    /// One Wi-Fi profile as AMT stores it. The passphrase only travels inside the request body.
    public struct WiFiEndpointSettings: Sendable {
        public var elementName: String
        public var ssid: String
        /// 4 WPA PSK, 6 WPA2 PSK (the 802.1x methods need certificates, written separately).
        public var authenticationMethod: Int
        /// 3 TKIP, 4 CCMP.
        public var encryptionMethod: Int
        /// 1…255, unique on the device; lower is tried first.
        public var priority: Int
        public var pskPassphrase: String

        public init(elementName: String, ssid: String, authenticationMethod: Int, encryptionMethod: Int, priority: Int, pskPassphrase: String) {
            self.elementName = elementName
            self.ssid = ssid
            self.authenticationMethod = authenticationMethod
            self.encryptionMethod = encryptionMethod
            self.priority = priority
            self.pskPassphrase = pskPassphrase
        }

        /// AMT's InstanceID for a profile named `elementName`.
        public var instanceID: String { "Intel(r) AMT:WiFi Endpoint Settings \(elementName)" }
    }

    /// `AddWiFiSettings`; returns the device's ReturnValue (0 = stored; 2067 INVALID_PRIORITY for a clash).
    public func addWiFiSettings(_ settings: WiFiEndpointSettings) async throws(AMTError) -> ReturnValue {
        let endpoint = EndpointReference(
            resourceURI: WSManResource.cimWiFiEndpoint.uri, selectors: [WSManSelector(name: "Name", value: "WiFi Endpoint 0")])
        let ns = WSManResource.cimWiFiEndpointSettings.uri
        let fields: [(String, String)] = [
            ("ElementName", settings.elementName), ("InstanceID", settings.instanceID),
            ("AuthenticationMethod", String(settings.authenticationMethod)), ("EncryptionMethod", String(settings.encryptionMethod)),
            ("SSID", settings.ssid), ("Priority", String(settings.priority)), ("PSKPassPhrase", settings.pskPassphrase),
        ]
        let input = "<h:WiFiEndpoint>\(endpoint.innerXML)</h:WiFiEndpoint>"
            + "<h:WiFiEndpointSettingsInput xmlns:q=\"\(ns)\">"
            + fields.map { "<q:\($0.0)>\(XMLEscaping.text($0.1))</q:\($0.0)>" }.joined()
            + "</h:WiFiEndpointSettingsInput>"
        return try await invoke(
            .invoke(.amtWiFiPortConfigurationService, method: "AddWiFiSettings", inputXML: input, messageID: nextMessageID()),
            method: "AddWiFiSettings"
        ).1
    }

    /// The Wi-Fi profiles stored on the device (`CIM_WiFiEndpointSettings`, never a passphrase).
    public func wifiSettings() async throws(AMTError) -> JSONValue {
        .array(try await enumerate(.cimWiFiEndpointSettings).map(WSManJSON.object))
    }
}

extension WSManResource {
    /// `AMT_WiFiPortConfigurationService`.
    public static let amtWiFiPortConfigurationService = WSManResource(.amt, "AMT_WiFiPortConfigurationService")
    /// `CIM_WiFiEndpoint`.
    public static let cimWiFiEndpoint = WSManResource(.cim, "CIM_WiFiEndpoint")
    /// `CIM_WiFiEndpointSettings`.
    public static let cimWiFiEndpointSettings = WSManResource(.cim, "CIM_WiFiEndpointSettings")
}
