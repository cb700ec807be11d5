import Activation
import AMTSimulator
import Foundation
import TetherJSON
import Testing

/// Network, Wi-Fi, 802.1x and features after activation (shared/reference/rps.md §6.9), against
/// amtsim over the real websocket.
@Suite("Activation configuration: wired, Wi-Fi in priority order, 802.1x, features", .serialized)
struct ActivationConfigurationTests {
    static let bed = Task<ActivationHost, any Error> {
        let bed = try await ActivationHost.shared.value
        for (name, ssid, phrase) in [("cfghome", "home-net", "Home-Phrase-1"), ("cfgoffice", "office-net", "Office <&> Phrase")] {
            _ = try await bed.run("wirelessconfigs.create", [
                "profileName": .string(name), "authenticationMethod": 6, "encryptionMethod": 4, "ssid": .string(ssid),
                "pskPassphrase": .string(phrase),
            ])
        }
        _ = try await bed.run("ieee8021xconfigs.create", ["profileName": "cfgeap", "authenticationProtocol": 0, "wiredInterface": false])
        _ = try await bed.run("ieee8021xconfigs.create", [
            "profileName": "cfgwired", "authenticationProtocol": 0, "wiredInterface": true, "pxeTimeout": 120,
        ])
        _ = try await bed.run("wirelessconfigs.create", [
            "profileName": "cfgcorp", "authenticationMethod": 7, "encryptionMethod": 4, "ssid": "corp", "ieee8021xProfileName": "cfgeap",
        ])
        try await bed.createProfile("cfg-wifi", extra: [
            "wifiConfigs": [["profileName": "cfgoffice", "priority": 2], ["profileName": "cfghome", "priority": 1]],
            "localWifiSyncEnabled": true, "userConsent": "All", "kvmEnabled": false, "solEnabled": true, "iderEnabled": true,
        ])
        try await bed.createProfile("cfg-8021x", extra: [
            "wifiConfigs": [["profileName": "cfghome", "priority": 5], ["profileName": "cfgcorp", "priority": 6]],
            "ieee8021xProfileName": "cfgwired",
        ])
        try await bed.createProfile("cfg-static", extra: ["dhcpEnabled": false, "ipSyncEnabled": false])
        return bed
    }

    func activate(_ firmware: AMTFirmware, _ profile: String) async throws -> (RPCOutcome, JSONValue) {
        let bed = try await Self.bed.value
        let outcome = try await RPCClient.run(
            method: "activate --profile \(profile)", firmware: firmware, payload: firmware.devicePayload(hostname: "cfg"),
            options: RPCClientOptions(url: bed.activationURL))
        let guid = firmware.configuration.uuid.guidString.lowercased()
        let records = try await bed.run("activations.list", ["guid": .string(guid)])
        return (outcome, records.arrayValue?.first ?? .null)
    }

    @Test("CCM with two PSK Wi-Fi links: wired DHCP, Wi-Fi port on, profiles by priority, passphrases only in the requests; only changed features written")
    func wifiAndFeatures() async throws {
        let firmware = unprovisionedFirmware()
        let (outcome, record) = try await activate(firmware, "cfg-wifi")
        #expect(outcome.succeeded, "\(outcome)")
        let report = try #require(ActivationStatusReport.parse(outcome.message))
        #expect(report.Network == "Wired Network Configured. Wireless Configured")
        #expect(report.Features == "Configured")
        #expect(report.CIRAConnection == "Configured")

        let state = firmware.state
        #expect(state.network.wired?.dhcpEnabled == true && state.network.wired?.ipSyncEnabled == true)
        #expect(state.network.wired?.sharedStaticIp == false)
        #expect(state.network.localProfileSynchronization == 3)
        #expect(state.network.wifiPortState == 32769)
        #expect(state.maintenance.wifiSettings.map(\.priority) == [1, 2])
        #expect(state.maintenance.wifiSettings.map(\.ssid) == ["home-net", "office-net"])
        #expect(state.maintenance.wifiSettings.map(\.pskPassphrase) == ["Home-Phrase-1", "Office <&> Phrase"])
        let written = firmware.calls.filter { $0.method == "AddWiFiSettings" }
        #expect(written.map { $0.inputs["Priority"] ?? "" } == ["1", "2"])
        #expect(written.allSatisfy { $0.returnValue == 0 })
        let wiredPut = try #require(firmware.calls.first { $0.resourceClass == "AMT_EthernetPortSettings" && $0.method == "Put" })
        #expect(wiredPut.inputs["DHCPEnabled"] == "true" && wiredPut.inputs["IpSyncEnabled"] == "true")
        #expect(wiredPut.inputs["SharedStaticIp"] == "false")

        // Features: the device had IDER+SOL, KVM on, consent All; the profile turns KVM off only.
        #expect(state.maintenance.kvmEnabledState == 3)
        #expect(state.maintenance.redirectionEnabledState == 32771 && state.maintenance.listenerEnabled)
        let featureWrites = firmware.calls.filter {
            ["AMT_RedirectionService", "CIM_KVMRedirectionSAP", "IPS_OptInService"].contains($0.resourceClass) && $0.method != "Get"
        }
        #expect(featureWrites.map { "\($0.resourceClass).\($0.method)" } == ["CIM_KVMRedirectionSAP.RequestStateChange"])

        // The step log names every step, all ok, and never a passphrase or a password.
        let steps = record["steps"]?.arrayValue ?? []
        let names = steps.compactMap { $0["step"]?.stringValue }
        for step in ["enumerate-ethernet-port-settings", "pull-ethernet-port-settings", "put-ethernet-port-settings",
                     "get-wifi-port-configuration-service", "put-wifi-port-configuration-service", "wifi-port-request-state-change",
                     "get-redirection-service", "get-opt-in-service", "get-kvm-redirection-sap", "kvm-request-state-change"] {
            #expect(names.contains(step), "\(step) missing from \(names)")
        }
        #expect(names.filter { $0 == "add-wifi-settings" }.count == 2)
        #expect(steps.allSatisfy { $0["ok"]?.boolValue == true }, "\(steps)")
        let logText = "\(record)"
        #expect(!logText.contains("Home-Phrase-1") && !logText.contains("Office <&> Phrase") && !logText.contains("Phrase"))
        // Nor the host's log (debug and up), while it did log this activation.
        let bed = try await Self.bed.value
        let hostLog = bed.log.text
        #expect(hostLog.contains(firmware.configuration.uuid.guidString.lowercased()), "the activation was logged")
        #expect(!hostLog.contains("Home-Phrase-1") && !hostLog.contains("Office <&> Phrase"))
        let amtPassword = try #require(try await bed.host.store?.devices.secrets(guid: firmware.configuration.uuid.guidString.lowercased()).amtPassword?.reveal())
        #expect(!hostLog.contains(amtPassword))
    }

    @Test("802.1x links are not written and never reported as success; the PSK link and CIRA still are")
    func ieee8021xIsAFailedStep() async throws {
        let firmware = unprovisionedFirmware()
        let (outcome, record) = try await activate(firmware, "cfg-8021x")
        #expect(outcome.method == "error", "\(outcome)")
        let report = try #require(ActivationStatusReport.parse(outcome.message))
        #expect(report.Status == "Client control mode.")
        #expect(report.CIRAConnection == "Configured")
        #expect(report.Network?.contains("Wired 802.1x not configured") == true, "\(report)")
        #expect(firmware.provisioning?.controlMode == 1)
        #expect(firmware.state.maintenance.wifiSettings.map(\.elementName) == ["cfghome"])
        #expect(record["state"]?.stringValue == "failed")
        let failed = (record["steps"]?.arrayValue ?? []).filter { $0["ok"]?.boolValue == false }
        #expect(failed.compactMap { $0["step"]?.stringValue }.sorted() == ["add-wifi-settings", "ieee8021x-wired"])
        #expect(failed.allSatisfy { ($0["detail"]?.stringValue ?? "").contains("802.1x") })
    }

    @Test("a static profile without IP sync on a device with no address: the network step fails, the result says so")
    func staticWithoutAddress() async throws {
        let firmware = unprovisionedFirmware()
        let (outcome, record) = try await activate(firmware, "cfg-static")
        #expect(outcome.method == "error")
        let report = try #require(ActivationStatusReport.parse(outcome.message))
        #expect(report.Network?.hasPrefix("Failed: put-ethernet-port-settings") == true, "\(report)")
        #expect(report.CIRAConnection == "Configured")
        #expect(firmware.state.network.wired?.dhcpEnabled == true, "nothing written")
        #expect(record["state"]?.stringValue == "failed")
    }
}

@Suite("Maintenance syncip and syncdeviceinfo over /activate", .serialized)
struct ActivationNetworkMaintenanceTests {
    static let bed = Task<ActivationHost, any Error> {
        let bed = try await ActivationHost.shared.value
        try await bed.createProfile("mnt-static", extra: ["dhcpEnabled": false], staticAMTPassword: "Static-P@ss-42")
        return bed
    }

    func run(_ firmware: AMTFirmware, _ task: String, payload: DevicePayload? = nil) async throws -> RPCOutcome {
        let bed = try await Self.bed.value
        return try await RPCClient.run(
            method: "maintenance --password Static-P@ss-42 --\(task)", firmware: firmware,
            payload: payload ?? firmware.devicePayload(hostname: "mnt", adminPassword: "Static-P@ss-42"),
            options: RPCClientOptions(url: bed.activationURL))
    }

    func activated() async throws -> AMTFirmware {
        let bed = try await Self.bed.value
        let firmware = unprovisionedFirmware()
        let outcome = try await RPCClient.run(
            method: "activate --profile mnt-static", firmware: firmware, payload: firmware.devicePayload(hostname: "mnt"),
            options: RPCClientOptions(url: bed.activationURL))
        #expect(outcome.succeeded, "\(outcome)")
        return firmware
    }

    @Test("syncip writes the OS's address into the static wired port, then reports it synchronized; each RPS error")
    func syncIP() async throws {
        let bed = try await Self.bed.value
        let firmware = try await activated()
        #expect(firmware.state.network.wired?.dhcpEnabled == false && firmware.state.network.wired?.sharedStaticIp == true)
        let first = try await run(firmware, "syncip")
        #expect(first.succeeded, "\(first)")
        #expect(ActivationStatusReport.parse(first.message)?.Status == "IP address synchronized")
        let wired = try #require(firmware.state.network.wired)
        #expect(wired.ipAddress == "192.168.8.61" && wired.subnetMask == "255.255.255.0" && wired.defaultGateway == "192.168.8.1")
        #expect(wired.primaryDNS == "192.168.8.1")
        let put = try #require(firmware.calls.last { $0.resourceClass == "AMT_EthernetPortSettings" && $0.method == "Put" })
        #expect(put.inputs["IPAddress"] == "192.168.8.61" && put.inputs["DHCPEnabled"] == "false")
        let guid = firmware.configuration.uuid.guidString.lowercased()
        let store = try #require(bed.host.store)
        #expect(try await store.devices.get(guid: guid).deviceInfo?.ipAddress == "192.168.8.61")

        let again = try await run(firmware, "syncip")
        #expect(again.succeeded)
        #expect(ActivationStatusReport.parse(again.message)?.Status == "IPAddress already synchronized")

        var bare = firmware.devicePayload(hostname: "mnt", adminPassword: "Static-P@ss-42")
        bare.ipConfiguration = nil
        let missing = try await run(firmware, "syncip", payload: bare)
        #expect(missing.method == "error")
        #expect(ActivationStatusReport.parse(missing.message)?.Status == "\(bare.uuid) - missing ipConfiguration")

        firmware.modifyState { $0.network.osAddress = "192.168.8.77"; $0.network.wired = nil }
        let wirelessOnly = try await run(firmware, "syncip")
        #expect(ActivationStatusReport.parse(wirelessOnly.message)?.Status == "Not applicable for wireless only device")
        firmware.modifyState { $0.network.wireless = nil }
        let none = try await run(firmware, "syncip")
        #expect(none.method == "error")
        #expect(ActivationStatusReport.parse(none.message)?.Status == "Device has no wired configuration settings")
    }

    @Test("syncip on a DHCP wired port is refused with a clear error, nothing written")
    func syncIPOnDHCP() async throws {
        let firmware = try await activated()
        firmware.modifyState { $0.network.wired?.dhcpEnabled = true }
        let outcome = try await run(firmware, "syncip")
        #expect(outcome.method == "error")
        #expect(ActivationStatusReport.parse(outcome.message)?.Status?.contains("uses DHCP") == true, "\(outcome)")
        #expect(firmware.state.network.wired?.ipAddress == "")
    }

    @Test("amtsim's fleet runs a maintenance task after activating (what `amtsim --activate P --maintenance syncip` does)")
    func fleetMaintenance() async throws {
        let bed = try await Self.bed.value
        let fleet = ActivationFleet(configuration: ActivationFleet.Configuration(
            devices: 3, seed: UInt64.random(in: 1...UInt64(UInt32.max)), profile: "mnt-static",
            client: RPCClientOptions(url: bed.activationURL)))
        let activated = await fleet.activate()
        #expect(activated.activated == 3, "\(activated.failures)")
        let wrong = await fleet.maintain(task: "syncip", amtPassword: "Wr0ng-P@ss-1")
        #expect(wrong.failed == 3 && wrong.activated == 0)
        let synced = await fleet.maintain(task: "syncip", amtPassword: "Static-P@ss-42")
        #expect(synced.activated == 3 && synced.failed == 0, "\(synced.failures)")
        #expect(fleet.firmwares.allSatisfy { $0.state.network.wired?.ipAddress == "192.168.8.61" })
        let info = await fleet.maintain(task: "syncdeviceinfo", amtPassword: "Static-P@ss-42")
        #expect(info.activated == 3)
    }

    @Test("syncdeviceinfo updates the stored device record from the payload; an unknown device is an error")
    func syncDeviceInfo() async throws {
        let bed = try await Self.bed.value
        let firmware = try await activated()
        var payload = firmware.devicePayload(hostname: "mnt", adminPassword: "Static-P@ss-42")
        payload.ver = "16.1.30"
        payload.build = "3425"
        payload.features = "AMT Pro Corporate, KVM"
        let outcome = try await run(firmware, "syncdeviceinfo", payload: payload)
        #expect(outcome.succeeded, "\(outcome)")
        let guid = firmware.configuration.uuid.guidString.lowercased()
        let store = try #require(bed.host.store)
        let info = try #require(try await store.devices.get(guid: guid).deviceInfo)
        #expect(info.fwVersion == "16.1.30" && info.fwBuild == "3425" && info.currentMode == "1")
        #expect(info.features == "AMT Pro Corporate, KVM" && info.ipAddress == "192.168.8.61")
        #expect(info.fwSku == payload.sku)
        #expect(abs((info.lastUpdated ?? .distantPast).timeIntervalSinceNow) < 120)

        try await store.devices.delete(guid: guid, tenantId: "")
        let unknown = try await RPCClient.run(
            method: "maintenance --password Static-P@ss-42 --syncdeviceinfo -f", firmware: firmware, payload: payload,
            options: RPCClientOptions(url: bed.activationURL))
        #expect(unknown.method == "error")
        #expect(ActivationStatusReport.parse(unknown.message)?.Status?.contains("Cannot update the device record") == true, "\(unknown)")
    }
}
