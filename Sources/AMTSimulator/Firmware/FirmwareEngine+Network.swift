import Foundation
import WSMan

/// The network classes: `AMT_EthernetPortSettings` (wired and wireless), `CIM_WiFiPort` and
/// `AMT_WiFiPortConfigurationService`, over ``FirmwareNetworkState``.
extension FirmwareEngine {
    static let wiredPortID = "Intel(r) AMT Ethernet Port Settings 0"
    static let wirelessPortID = "Intel(r) AMT Ethernet Port Settings 1"

    /// The network classes' instances; nil for classes this file does not know.
    func networkInstances(of className: String) -> [FirmwareInstance]? {
        let network = state.network
        switch className {
        case "AMT_EthernetPortSettings":
            return [network.wired.map { Self.portInstance($0, id: Self.wiredPortID) },
                    network.wireless.map { Self.portInstance($0, id: Self.wirelessPortID) }].compactMap { $0 }
        case "CIM_WiFiPort":
            guard network.wireless != nil else { return [] }
            return [FirmwareInstance(.cim, className, [
                ("CreationClassName", .text(className)), ("DeviceID", .text("WiFi Port 0")),
                ("ElementName", .text("WiFi Port 0")), ("EnabledState", .text(String(network.wifiPortState))),
                ("RequestedState", .text(String(network.wifiPortState))), ("SystemCreationClassName", .text("CIM_ComputerSystem")),
                ("SystemName", .text("Intel(r) AMT")),
            ])]
        case "AMT_WiFiPortConfigurationService":
            return [FirmwareInstance(.amt, className, [
                ("CreationClassName", .text(className)), ("ElementName", .text("Intel(r) AMT WiFiPort Configuration Service")),
                ("EnabledState", .text("5")), ("Name", .text("Intel(r) AMT WiFi Port Configuration Service")),
                ("SystemCreationClassName", .text("CIM_ComputerSystem")), ("SystemName", .text("Intel(r) AMT")),
                ("localProfileSynchronizationEnabled", .text(String(network.localProfileSynchronization))),
            ])]
        default:
            return nil
        }
    }

    static func portInstance(_ port: FirmwareNetworkState.Port, id: String) -> FirmwareInstance {
        var properties: [(String, FirmwareInstance.Value)] = [
            ("DHCPEnabled", .text(port.dhcpEnabled ? "true" : "false")), ("ElementName", .text("Intel(r) AMT Ethernet Port Settings")),
            ("InstanceID", .text(id)), ("IpSyncEnabled", .text(port.ipSyncEnabled ? "true" : "false")),
            ("LinkIsUp", .text("true")), ("MACAddress", .text(port.macAddress)),
            ("PhysicalConnectionType", .text(id == wiredPortID ? "0" : "3")),
            ("SharedMAC", .text("true")), ("SharedStaticIp", .text(port.sharedStaticIp ? "true" : "false")),
        ]
        for (name, value) in [("IPAddress", port.ipAddress), ("SubnetMask", port.subnetMask), ("DefaultGateway", port.defaultGateway),
                              ("PrimaryDNS", port.primaryDNS), ("SecondaryDNS", port.secondaryDNS)] where !value.isEmpty {
            properties.append((name, .text(value)))
        }
        return FirmwareInstance(.amt, "AMT_EthernetPortSettings", properties)
    }

    /// Answers the network Puts and methods; nil when the call is not one of them.
    mutating func performNetwork(
        method: String, action: String, resource: WSManResource, envelope: WSManEnvelope, call: inout FirmwareCall
    ) -> Outcome? {
        let className = resource.className
        switch (className, method) {
        case ("AMT_EthernetPortSettings", "Put"):
            return putEthernetPort(envelope, call: &call)
        case ("AMT_WiFiPortConfigurationService", "Put"):
            let text = envelope.body.child(className)?.child("localProfileSynchronizationEnabled")?.trimmedText ?? ""
            call.inputs["localProfileSynchronizationEnabled"] = text
            guard let value = Int(text), [0, 1, 2, 3].contains(value) else { return .fault(Self.invalidRepresentation) }
            state.network.localProfileSynchronization = value
            return networkInstances(of: className).map { .instance($0[0]) }
        case ("CIM_WiFiPort", "RequestStateChange") where action == resource.methodAction(method):
            let text = envelope.body.child("RequestStateChange_INPUT")?.child("RequestedState")?.trimmedText ?? ""
            call.inputs["RequestedState"] = text
            guard state.network.wireless != nil else { return .output(returnValue: Self.notSupported) }
            guard let requested = Int(text), [3, 32768, 32769].contains(requested) else { return .output(returnValue: Self.invalidParameter) }
            state.network.wifiPortState = requested
            return .output(returnValue: 0)
        default:
            return nil
        }
    }

    /// `AMT_EthernetPortSettings` Put, selected by `InstanceID`: the wireless port takes DHCP only;
    /// a static wired port without IP sync needs an address and a mask.
    private mutating func putEthernetPort(_ envelope: WSManEnvelope, call: inout FirmwareCall) -> Outcome {
        let body = envelope.body.child("AMT_EthernetPortSettings")
        func field(_ name: String) -> String? {
            let value = body?.child(name)?.trimmedText
            if let value { call.inputs[name] = value }
            return value
        }
        let id = envelope.header.selectors.first { $0.name == "InstanceID" }?.value ?? field("InstanceID") ?? ""
        call.inputs["InstanceID"] = id
        let isWired = id == Self.wiredPortID
        guard isWired || id == Self.wirelessPortID, var port = isWired ? state.network.wired : state.network.wireless else {
            return .fault(Self.invalidSelectors)
        }
        if let dhcp = field("DHCPEnabled") { port.dhcpEnabled = dhcp == "true" }
        if let sync = field("IpSyncEnabled") { port.ipSyncEnabled = sync == "true" }
        if let shared = field("SharedStaticIp") { port.sharedStaticIp = shared == "true" }
        if let address = field("IPAddress") { port.ipAddress = address }
        if let mask = field("SubnetMask") { port.subnetMask = mask }
        if let gateway = field("DefaultGateway") { port.defaultGateway = gateway }
        if let dns = field("PrimaryDNS") { port.primaryDNS = dns }
        if let dns = field("SecondaryDNS") { port.secondaryDNS = dns }
        if !isWired, !port.dhcpEnabled { return .fault(Self.invalidRepresentation) }
        if isWired, !port.dhcpEnabled, !port.ipSyncEnabled, port.ipAddress.isEmpty || port.subnetMask.isEmpty {
            return .fault(Self.invalidRepresentation)
        }
        if isWired { state.network.wired = port } else { state.network.wireless = port }
        return .instance(Self.portInstance(port, id: id))
    }

    /// `UNSUPPORTED`.
    static let notSupported = 2066
}
