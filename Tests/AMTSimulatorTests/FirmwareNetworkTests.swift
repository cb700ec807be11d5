import Foundation
import Testing
import WSMan
@testable import AMTSimulator

/// The simulated firmware's network classes: what activation's network step and maintenance
/// `syncip` write, and what the firmware refuses.
@Suite struct FirmwareNetworkTests {
    static let ports = WSManResource(.amt, "AMT_EthernetPortSettings")
    static let wifiPort = WSManResource(.cim, "CIM_WiFiPort")

    func put(_ harness: FirmwareHarness, _ instance: WSManInstance, _ changes: [String: String]) throws -> WSManEnvelope {
        var changed = instance
        for (name, value) in changes { changed[name] = .text(value) }
        let selectors = [WSManSelector(name: "InstanceID", value: instance.string("InstanceID") ?? "")]
        return try harness.call(.put(Self.ports, instance: changed, messageID: harness.messageID(), selectors: selectors))
    }

    @Test func wiredAndWirelessPortsEnumerateAndTakeOnlyValidSettings() throws {
        let harness = FirmwareHarness()
        let ports = try harness.enumerate(Self.ports)
        #expect(ports.compactMap { $0.string("InstanceID") } == [
            "Intel(r) AMT Ethernet Port Settings 0", "Intel(r) AMT Ethernet Port Settings 1",
        ])
        #expect(ports.allSatisfy { $0.bool("DHCPEnabled") == true })
        let wired = ports[0], wireless = ports[1]

        // The wireless port takes DHCP only; nothing changes on a refusal.
        #expect(try put(harness, wireless, ["DHCPEnabled": "false"]).fault != nil)
        #expect(harness.firmware.state.network.wireless?.dhcpEnabled == true)
        // Static without IP sync needs an address and a mask.
        #expect(try put(harness, wired, ["DHCPEnabled": "false", "IpSyncEnabled": "false"]).fault != nil)
        #expect(harness.firmware.state.network.wired?.dhcpEnabled == true)
        let written = try put(harness, wired, [
            "DHCPEnabled": "false", "IpSyncEnabled": "false", "SharedStaticIp": "false", "IPAddress": "10.1.2.3",
            "SubnetMask": "255.255.0.0", "DefaultGateway": "10.1.0.1",
        ])
        #expect(written.fault == nil)
        #expect(written.instance()?.string("IPAddress") == "10.1.2.3")
        let state = try #require(harness.firmware.state.network.wired)
        #expect(!state.dhcpEnabled && !state.ipSyncEnabled && state.ipAddress == "10.1.2.3" && state.subnetMask == "255.255.0.0")
        let put = try #require(harness.firmware.calls.last)
        #expect(put.method == "Put" && put.inputs["InstanceID"] == "Intel(r) AMT Ethernet Port Settings 0")
    }

    @Test func wifiPortStateLocalSyncAndProfilesByPriority() throws {
        let harness = FirmwareHarness()
        let enable = try harness.call(.invoke(Self.wifiPort, method: "RequestStateChange", parameters: [("RequestedState", "32769")],
                                              messageID: harness.messageID()))
        #expect(try enable.requireReturnValue(method: "RequestStateChange") == .success)
        #expect(harness.firmware.state.network.wifiPortState == 32769)
        let bogus = try harness.call(.invoke(Self.wifiPort, method: "RequestStateChange", parameters: [("RequestedState", "7")],
                                             messageID: harness.messageID()))
        #expect(try bogus.requireReturnValue(method: "RequestStateChange") != .success)
        #expect(harness.firmware.state.network.wifiPortState == 32769)

        let service = try harness.call(.get(.amtWiFiPortConfigurationService, messageID: harness.messageID())).requireInstance()
        var synced = service
        synced["localProfileSynchronizationEnabled"] = .text("3")
        let reply = try harness.call(.put(.amtWiFiPortConfigurationService, instance: synced, messageID: harness.messageID()))
        #expect(reply.instance()?.string("localProfileSynchronizationEnabled") == "3")
        #expect(harness.firmware.state.network.localProfileSynchronization == 3)

        for (name, priority) in [("second", 2), ("first", 1)] {
            let settings = WiFiEndpointSettings(elementName: name, ssid: "net-\(name)", authenticationMethod: 6, encryptionMethod: 4,
                                                priority: priority, pskPassphrase: "Secret-\(name)-1")
            let added = try harness.call(.addWiFiSettings(settings, messageID: harness.messageID()))
            #expect(try added.requireReturnValue(method: "AddWiFiSettings") == .success)
        }
        let (response, _) = try harness.exchange(.enumerate(.cimWiFiEndpointSettings, messageID: harness.messageID()))
        let context = try #require(try WSManEnvelope(bytes: response.body).enumerationContext)
        let (pulled, _) = try harness.exchange(.pull(.cimWiFiEndpointSettings, context: context, messageID: harness.messageID()))
        let items = try WSManEnvelope(bytes: pulled.body).pullItems
        #expect(items.compactMap { $0.int("Priority") }.sorted() == [1, 2])
        #expect(Set(items.compactMap { $0.string("SSID") }) == ["net-first", "net-second"])
        #expect(!String(decoding: pulled.body, as: UTF8.self).contains("Secret-"), "AMT never returns a passphrase")
    }

    @Test func aPlatformWithoutWiFiRefusesTheWiFiPort() throws {
        let harness = FirmwareHarness()
        harness.firmware.modifyState { $0.network.wireless = nil }
        #expect(try harness.enumerate(Self.ports).count == 1)
        let enable = try harness.call(.invoke(Self.wifiPort, method: "RequestStateChange", parameters: [("RequestedState", "32769")],
                                              messageID: harness.messageID()))
        #expect(try enable.requireReturnValue(method: "RequestStateChange").name == "UNSUPPORTED")
    }
}
