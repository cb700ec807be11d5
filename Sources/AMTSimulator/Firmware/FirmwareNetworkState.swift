/// The simulated firmware's network settings: the wired and wireless ports
/// (`AMT_EthernetPortSettings` "… Settings 0" / "… Settings 1"), the Wi-Fi port and its
/// configuration service. The Wi-Fi profiles themselves are in
/// ``FirmwareMaintenanceState/wifiSettings``.
public struct FirmwareNetworkState: Sendable, Equatable {
    /// One port's `AMT_EthernetPortSettings`.
    public struct Port: Sendable, Equatable {
        public var dhcpEnabled = true
        public var ipSyncEnabled = true
        public var sharedStaticIp = false
        public var ipAddress = ""
        public var subnetMask = ""
        public var defaultGateway = ""
        public var primaryDNS = ""
        public var secondaryDNS = ""
        public var macAddress: String

        public init(macAddress: String) {
            self.macAddress = macAddress
        }
    }

    /// The wired port (`nil`: a wireless-only platform).
    public var wired: Port? = Port(macAddress: "a4-ae-12-00-00-01")
    /// The wireless port (`nil`: no Wi-Fi).
    public var wireless: Port? = Port(macAddress: "a4-ae-12-00-00-02")
    /// `CIM_WiFiPort.EnabledState`: 3 disabled; 32769 after `RequestStateChange(32769)`.
    public var wifiPortState = 3
    /// `AMT_WiFiPortConfigurationService.localProfileSynchronizationEnabled`: 0 off, 3 on.
    public var localProfileSynchronization = 0
    /// The address the OS has (what RPC reports as `ipConfiguration`).
    public var osAddress = "192.168.8.61"
    public var osNetmask = "255.255.255.0"
    public var osGateway = "192.168.8.1"
    public var osDNS = "192.168.8.1"

    public init() {}
}
