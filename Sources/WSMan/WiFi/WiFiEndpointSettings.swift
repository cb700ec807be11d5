/// One Wi-Fi profile as AMT stores it (`CIM_WiFiEndpointSettings`), written with
/// `AMT_WiFiPortConfigurationService.AddWiFiSettings`. The host builds the request from it and
/// the simulator reads the request back into it: one codec for both sides.
public struct WiFiEndpointSettings: Sendable, Equatable {
    public var elementName: String
    public var ssid: String
    /// 4 WPA PSK, 6 WPA2 PSK (the 802.1x methods need certificates, written separately).
    public var authenticationMethod: Int
    /// 3 TKIP, 4 CCMP.
    public var encryptionMethod: Int
    /// 1…255, unique on the device; lower is tried first.
    public var priority: Int
    /// Travels only inside the request; AMT never returns it.
    public var pskPassphrase: String
    public var instanceID: String

    public init(
        elementName: String, ssid: String, authenticationMethod: Int, encryptionMethod: Int, priority: Int,
        pskPassphrase: String, instanceID: String? = nil
    ) {
        self.elementName = elementName
        self.ssid = ssid
        self.authenticationMethod = authenticationMethod
        self.encryptionMethod = encryptionMethod
        self.priority = priority
        self.pskPassphrase = pskPassphrase
        self.instanceID = instanceID ?? "Intel(r) AMT:WiFi Endpoint Settings \(elementName)"
    }

    /// Reads a `WiFiEndpointSettingsInput` element (missing numbers read as -1).
    public init(element: XMLElementNode?) {
        func field(_ name: String) -> String { element?.child(name)?.trimmedText ?? "" }
        self.init(
            elementName: field("ElementName"), ssid: field("SSID"),
            authenticationMethod: Int(field("AuthenticationMethod")) ?? -1, encryptionMethod: Int(field("EncryptionMethod")) ?? -1,
            priority: Int(field("Priority")) ?? -1, pskPassphrase: field("PSKPassPhrase"), instanceID: field("InstanceID"))
    }

    /// The properties in AMT's order, passphrase included (for the request only).
    var requestFields: [(String, String)] {
        [
            ("ElementName", elementName), ("InstanceID", instanceID), ("AuthenticationMethod", String(authenticationMethod)),
            ("EncryptionMethod", String(encryptionMethod)), ("SSID", ssid), ("Priority", String(priority)),
            ("PSKPassPhrase", pskPassphrase),
        ]
    }
}

extension WSManRequest {
    /// `AMT_WiFiPortConfigurationService.AddWiFiSettings` for `CIM_WiFiEndpoint` "WiFi Endpoint 0".
    public static func addWiFiSettings(_ settings: WiFiEndpointSettings, messageID: String) -> WSManRequest {
        let endpoint = EndpointReference(
            resourceURI: WSManResource.cimWiFiEndpoint.uri, selectors: [WSManSelector(name: "Name", value: "WiFi Endpoint 0")])
        let input = "<h:WiFiEndpoint>\(endpoint.innerXML)</h:WiFiEndpoint>"
            + "<h:WiFiEndpointSettingsInput xmlns:q=\"\(WSManResource.cimWiFiEndpointSettings.uri)\">"
            + settings.requestFields.map { "<q:\($0.0)>\(XMLEscaping.text($0.1))</q:\($0.0)>" }.joined()
            + "</h:WiFiEndpointSettingsInput>"
        return invoke(.amtWiFiPortConfigurationService, method: "AddWiFiSettings", inputXML: input, messageID: messageID)
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
