import WSMan

/// The WS-Man requests of the network step (shared/reference/rps.md §6.9 step 2) and of
/// maintenance `syncip` (§6.12). Pure builders; the Wi-Fi profile itself is written with
/// ``WSManRequest/addWiFiSettings(_:messageID:)`` (the codec `amt.wifi.apply` uses too).
public enum AMTNetworkRequests {
    /// `AMT_EthernetPortSettings`.
    public static let ethernetPortSettings = WSManResource(.amt, "AMT_EthernetPortSettings")
    /// `CIM_WiFiPort`.
    public static let wifiPort = WSManResource(.cim, "CIM_WiFiPort")

    /// The wired port's settings among pulled `AMT_EthernetPortSettings` ("… Settings 0").
    public static func wired(_ items: [WSManInstance]) -> WSManInstance? {
        items.first { $0.string("InstanceID")?.hasSuffix("Settings 0") == true }
    }

    /// The wireless port's settings ("… Settings 1").
    public static func wireless(_ items: [WSManInstance]) -> WSManInstance? {
        items.first { $0.string("InstanceID")?.hasSuffix("Settings 1") == true }
    }

    /// `AMT_EthernetPortSettings` Put of the wired port: DHCP → `DHCPEnabled` true,
    /// `IpSyncEnabled` true, `SharedStaticIp` false; static → `DHCPEnabled` false,
    /// `IpSyncEnabled` = `SharedStaticIp` = `ipSync`.
    public static func putWired(_ current: WSManInstance, dhcp: Bool, ipSync: Bool, messageID: String) -> WSManRequest {
        var instance = current
        instance["DHCPEnabled"] = .text(dhcp ? "true" : "false")
        instance["IpSyncEnabled"] = .text(ipSync ? "true" : "false")
        instance["SharedStaticIp"] = .text(dhcp ? "false" : (ipSync ? "true" : "false"))
        return put(instance, messageID: messageID)
    }

    /// `AMT_EthernetPortSettings` Put of the wired port with a static address (maintenance
    /// `syncip`): the OS's address, mask, gateway and DNS servers; DHCP off.
    public static func putStaticAddress(_ current: WSManInstance, _ address: DevicePayload.IPConfiguration, messageID: String) -> WSManRequest {
        var instance = current
        instance["DHCPEnabled"] = .text("false")
        instance["IPAddress"] = .text(address.ipAddress ?? "")
        instance["SubnetMask"] = .text(address.netmask ?? "")
        instance["DefaultGateway"] = .text(address.gateway ?? "")
        instance["PrimaryDNS"] = .text(address.primaryDns ?? "")
        if let secondary = address.secondaryDns, !secondary.isEmpty { instance["SecondaryDNS"] = .text(secondary) }
        return put(instance, messageID: messageID)
    }

    static func put(_ instance: WSManInstance, messageID: String) -> WSManRequest {
        let selectors = instance.string("InstanceID").map { [WSManSelector(name: "InstanceID", value: $0)] } ?? []
        return .put(ethernetPortSettings, instance: instance, messageID: messageID, selectors: selectors)
    }

    /// `AMT_WiFiPortConfigurationService` Put with `localProfileSynchronizationEnabled` 3 (on) or 0.
    public static func putWiFiPortService(_ current: WSManInstance, localProfileSync: Bool, messageID: String) -> WSManRequest {
        var instance = current
        instance["localProfileSynchronizationEnabled"] = .text(localProfileSync ? "3" : "0")
        return .put(.amtWiFiPortConfigurationService, instance: instance, messageID: messageID)
    }

    /// `CIM_WiFiPort.RequestStateChange(32769)`: Wi-Fi enabled in S0 and in sleep states on AC.
    public static func enableWiFiPort(messageID: String) -> WSManRequest {
        .invoke(wifiPort, method: "RequestStateChange", parameters: [("RequestedState", "32769")], messageID: messageID)
    }
}
