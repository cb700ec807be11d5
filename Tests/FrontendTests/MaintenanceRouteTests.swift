import AMTSimulator
import Foundation
import Testing
import TetherJSON
import WSMan
@testable import TetherCore

/// A host of its own: these tests connect devices, which `sharedHost`'s device counts must not see.
let maintenanceHost = Task { try await RESTTestHost.start() }

/// The MPS maintenance routes over real HTTP against `amtsim`'s firmware: each checks the
/// WS-Man calls the simulator logged and the JSON shape of the answer, plus the bad inputs.
@Suite(.serialized) struct MaintenanceRouteTests {
    /// A registered, connected device (its own number so suites sharing the host do not collide).
    static func connectedDevice(_ bed: RESTTestHost, number: Int) async throws -> TestDevice {
        let device = try TestDevice.make(bed, number: number, username: "mainthost", password: "M@int-1")
        try await bed.host.bus.run("devices.create", args: [
            "guid": .string(device.guid), "hostname": .string("maint-\(number)"), "mpsusername": "mainthost",
            "mpsPassword": "M@int-1", "amtPassword": .string(TestDevice.amtPassword),
        ])
        device.device.start()
        let status = await device.device.waitUntilConnected()
        try #require(status == .connected, "device did not connect: \(status)")
        device.firmware.clearCalls()
        return device
    }

    /// The (class, method) pairs the firmware handled since the last clear.
    static func calls(_ device: TestDevice) -> [String] {
        device.firmware.calls.map { "\($0.resourceClass).\($0.method)" }
    }

    @Test func auditAndEventLogsAreDecodedNewestFirst() async throws {
        let bed = try await maintenanceHost.value
        let token = try await bed.token()
        let device = try await Self.connectedDevice(bed, number: 0x101)
        defer { Task { await device.device.stop() } }
        let stored = device.firmware.state.maintenance.auditLog

        let audit = try await bed.request("GET", "/api/v1/amt/log/audit/\(device.guid)", token: token)
        #expect(audit.status == 200, "\(audit.text)")
        #expect(Self.calls(device) == ["AMT_AuditLog.ReadRecords"])
        #expect(device.firmware.calls.first?.inputs["StartIndex"] == "1")
        #expect(audit.json?["totalCnt"]?.intValue == stored.count)
        let records = try #require(audit.json?["records"]?.arrayValue)
        #expect(records.count == stored.count)
        #expect(records.first?["Event"] == .string(stored.last!.eventName), "newest first")
        #expect(records.first?["Event"] == "Performed Reset")
        #expect(records.last?["Event"] == "Provisioning Started")
        #expect(records.last?["Initiator"] == "Local")
        #expect(records.first?["Initiator"] == "admin")
        #expect(records.first?["AuditApp"] == "RCO")
        #expect(records.first?["NetAddress"] == "192.168.8.50")
        for key in ["AuditAppID", "EventID", "InitiatorType", "Time", "MCLocationType", "Ex"] {
            #expect(records.first?[key] != nil, "record has \(key)")
        }

        // startIndex skips the newest; with a small batch the host reads twice.
        device.firmware.modifyState { $0.maintenance.auditBatchSize = 3 }
        device.firmware.clearCalls()
        let skipped = try await bed.request("GET", "/api/v1/amt/log/audit/\(device.guid)?startIndex=2", token: token)
        #expect(skipped.status == 200, "\(skipped.text)")
        #expect(Self.calls(device) == ["AMT_AuditLog.ReadRecords", "AMT_AuditLog.ReadRecords"])
        let page = try #require(skipped.json?["records"]?.arrayValue)
        #expect(page.map { $0["Event"]?.stringValue ?? "" } == [stored[5], stored[4], stored[3]].map(\.eventName))

        let past = try await bed.request("GET", "/api/v1/amt/log/audit/\(device.guid)?startIndex=\(stored.count)", token: token)
        #expect(past.status == 400, "\(past.text)")
        #expect(past.json?["errorDescription"]?.stringValue?.contains("past the end") == true, "\(past.text)")
        let negative = try await bed.request("GET", "/api/v1/amt/log/audit/\(device.guid)?startIndex=-1", token: token)
        #expect(negative.status == 400)
        #expect(negative.json?["errors"]?.arrayValue?.first?["path"] == "startIndex")

        device.firmware.clearCalls()
        let events = try await bed.request("GET", "/api/v1/amt/log/event/\(device.guid)", token: token)
        #expect(events.status == 200, "\(events.text)")
        #expect(Self.calls(device) == ["AMT_MessageLog.PositionToFirstRecord", "AMT_MessageLog.GetRecords"])
        let list = try #require(events.json?.arrayValue)
        #expect(list.count == device.firmware.state.maintenance.eventLog.count)
        #expect(list.first?["Desc"] == "BIOS POST progress")
        #expect(list.first?["EntityStr"] == "BIOS")
        #expect(list.last?["EventSeverity"] == 16)
        #expect(list.last?["EventData"]?.arrayValue?.count == 8)
    }

    @Test func alarmClockQuotaAndUnknownAlarm() async throws {
        let bed = try await maintenanceHost.value
        let token = try await bed.token()
        let device = try await Self.connectedDevice(bed, number: 0x102)
        defer { Task { await device.device.stop() } }
        let path = "/api/v1/amt/alarmOccurrences/\(device.guid)"

        for index in 1...5 {
            let added = try await bed.request("POST", path, json: [
                "ElementName": .string("wake\(index)"), "StartTime": "2026-12-24T06:00:00Z", "Interval": 1440, "DeleteOnCompletion": false,
            ], token: token)
            #expect(added.status == 200, "\(added.text)")
            #expect(added.json == ["status": "SUCCESS", "ReturnValue": 0])
        }
        #expect(device.firmware.calls.filter { $0.method == "AddAlarm" }.count == 5)
        #expect(device.firmware.calls.last?.inputs["Interval"] == "P1DT0H0M0S")
        let sixth = try await bed.request("POST", path, json: ["ElementName": "wake6", "StartTime": "2026-12-24T06:00:00Z"], token: token)
        #expect(sixth.status == 400, "\(sixth.text)")
        #expect(sixth.json?["errorDescription"] == .string("Alarm add request quota exceeded for guid : \(device.guid)."))
        #expect(device.firmware.calls.last?.fault == "c:QuotaLimit")
        #expect(device.firmware.state.maintenance.alarms.count == 5)
        let badTime = try await bed.request("POST", path, json: ["ElementName": "x", "StartTime": "tomorrow"], token: token)
        #expect(badTime.status == 400)

        device.firmware.clearCalls()
        let listed = try await bed.request("GET", path, token: token)
        #expect(Self.calls(device) == ["IPS_AlarmClockOccurrence.Enumerate"])  // optimized: no Pull
        let alarms = try #require(listed.json?.arrayValue)
        #expect(alarms.count == 5)
        #expect(alarms.first?["InternalInMinutes"] == 1440)
        #expect(alarms.first?["InstanceID"] == "wake1")

        let deleted = try await bed.request("DELETE", path, json: ["Name": "wake3"], token: token)
        #expect(deleted.status == 200, "\(deleted.text)")
        #expect(deleted.json == ["status": "SUCCESS"])
        #expect(device.firmware.calls.last.map { "\($0.resourceClass).\($0.method) \($0.inputs["InstanceID"] ?? "")" } == "IPS_AlarmClockOccurrence.Delete wake3")
        let unknown = try await bed.request("DELETE", path, json: ["Name": "nope"], token: token)
        #expect(unknown.status == 404, "\(unknown.text)")
        #expect(unknown.json?["error"] == "Alarm instance not found")
        #expect(device.firmware.state.maintenance.alarms.map(\.instanceID) == ["wake1", "wake2", "wake4", "wake5"])
    }

    @Test func userConsentCodeFlow() async throws {
        let bed = try await maintenanceHost.value
        let token = try await bed.token()
        let device = try await Self.connectedDevice(bed, number: 0x103)
        defer { Task { await device.device.stop() } }
        let path = "/api/v1/amt/userConsentCode/\(device.guid)"

        let requested = try await bed.request("GET", path, token: token)
        #expect(requested.status == 200, "\(requested.text)")
        #expect(requested.json?["Body"] == ["ReturnValue": 0, "ReturnValueStr": "SUCCESS"])
        #expect(requested.json?["Header"] != nil)
        #expect(Self.calls(device) == ["IPS_OptInService.StartOptIn"])
        let code = try #require(device.firmware.state.maintenance.consentCode)

        let malformed = try await bed.request("POST", path, json: ["consentCode": "12ab"], token: token)
        #expect(malformed.status == 400)
        #expect(malformed.json?["errors"]?.arrayValue?.first?["path"] == "consentCode")
        let short = try await bed.request("POST", path, json: ["consentCode": 123], token: token)
        #expect(short.status == 400, "a code is six digits: \(short.text)")
        let wrongCode = String(format: "%06d", ((Int(code) ?? 0) + 1) % 1_000_000)
        let wrong = try await bed.request("POST", path, json: ["consentCode": .string(wrongCode)], token: token)
        #expect(wrong.status == 400, "\(wrong.text)")
        #expect(wrong.json?["Body"]?["ReturnValue"] == 36, "the device's answer passed on: \(wrong.text)")
        #expect(device.firmware.calls.last?.inputs["OptInCode"] == String(Int(wrongCode)!))

        let right = try await bed.request("POST", path, json: ["consentCode": .string(code)], token: token)
        #expect(right.status == 200, "\(right.text)")
        #expect(device.firmware.state.maintenance.optInState == 3)

        let cancelled = try await bed.request("GET", "/api/v1/amt/userConsentCode/cancel/\(device.guid)", token: token)
        #expect(cancelled.status == 200)
        #expect(device.firmware.calls.last?.method == "CancelOptIn")
        #expect(device.firmware.state.maintenance.optInState == 0)
        let late = try await bed.request("POST", path, json: ["consentCode": .string(code)], token: token)
        #expect(late.status == 400, "no request is pending: \(late.text)")
        #expect(late.json?["Body"]?["ReturnValueStr"] == "NOT_READY")
    }

    @Test func featuresGetSetAndDeviceWithoutKVM() async throws {
        let bed = try await maintenanceHost.value
        let token = try await bed.token()
        let device = try await Self.connectedDevice(bed, number: 0x104)
        defer { Task { await device.device.stop() } }
        let path = "/api/v1/amt/features/\(device.guid)"

        let read = try await bed.request("GET", path, token: token)
        #expect(read.status == 200, "\(read.text)")
        #expect(read.json == [
            "userConsent": "all", "redirection": true, "KVM": true, "SOL": true, "IDER": true, "optInState": 0, "kvmAvailable": true,
        ])
        #expect(Self.calls(device) == ["AMT_RedirectionService.Get", "IPS_OptInService.Get", "CIM_KVMRedirectionSAP.Get"])

        device.firmware.clearCalls()
        let set = try await bed.request("POST", path, json: ["userConsent": "kvm", "enableSOL": true, "enableIDER": false, "enableKVM": false], token: token)
        #expect(set.status == 200, "\(set.text)")
        #expect(set.json == ["status": "AMT Features updated"])
        #expect(Self.calls(device) == [
            "AMT_RedirectionService.Get", "IPS_OptInService.Get", "CIM_KVMRedirectionSAP.Get",
            "AMT_RedirectionService.RequestStateChange", "CIM_KVMRedirectionSAP.RequestStateChange",
            "AMT_RedirectionService.Put", "IPS_OptInService.Put",
        ])
        let state = device.firmware.state.maintenance
        #expect(state.redirectionEnabledState == 32770 && state.kvmEnabledState == 3 && state.optInRequired == 1 && state.listenerEnabled)
        let after = try await bed.request("GET", path, token: token)
        #expect(after.json?["userConsent"] == "kvm" && after.json?["KVM"] == false && after.json?["IDER"] == false && after.json?["SOL"] == true)

        let invalid = try await bed.request("POST", path, json: ["userConsent": "some", "enableSOL": "yes"], token: token)
        #expect(invalid.status == 400)
        #expect(invalid.json?["errors"]?.arrayValue?.count == 4)

        device.firmware.modifyState { $0.maintenance.kvmAvailable = false }
        device.firmware.clearCalls()
        let noKVM = try await bed.request("POST", path, json: ["userConsent": "all", "enableSOL": true, "enableIDER": true, "enableKVM": true], token: token)
        #expect(noKVM.status == 400, "\(noKVM.text)")
        #expect(noKVM.json?["errorDescription"]?.stringValue?.contains("no KVM") == true)
        #expect(!device.firmware.calls.contains { $0.method == "RequestStateChange" || $0.method == "Put" }, "nothing changed")
        let withoutKVM = try await bed.request("GET", path, token: token)
        #expect(withoutKVM.json?["kvmAvailable"] == false && withoutKVM.json?["KVM"] == false)
    }

    @Test func deactivateRefusedKeepsTheDeviceAcceptedRemovesIt() async throws {
        let bed = try await maintenanceHost.value
        let token = try await bed.token()
        let device = try await Self.connectedDevice(bed, number: 0x105)
        defer { Task { await device.device.stop() } }
        let path = "/api/v1/amt/deactivate/\(device.guid)"

        device.firmware.modifyState { $0.maintenance.unprovisionReturnValue = 16 }
        let refused = try await bed.request("DELETE", path, token: token)
        #expect(refused.status == 200, "\(refused.text)")
        #expect(refused.json == ["ReturnValue": 16, "ReturnValueStr": "NOT_PERMITTED"])
        #expect(device.firmware.calls.last?.method == "Unprovision" && device.firmware.calls.last?.inputs["ProvisioningMode"] == "1")
        let kept = try await bed.request("GET", "/api/v1/devices/\(device.guid)", token: token)
        #expect(kept.status == 200, "a refused deactivate keeps the device")
        #expect(device.firmware.state.maintenance.provisioned)

        let status = try await bed.request("GET", "/api/v1/devices/redirectstatus/\(device.guid)", token: token)
        #expect(status.json == ["isKVMConnected": false, "isSOLConnected": false, "isIDERConnected": false])
        // Refresh re-reads the stored AMT password: a changed (here: wrong) one is used at once.
        try await bed.host.bus.run("devices.update", args: ["guid": .string(device.guid), "amtPassword": "Wrong-P@ss1"])
        #expect(try await bed.request("GET", "/api/v1/amt/features/\(device.guid)", token: token).status == 200, "cached credentials")
        let refresh = try await bed.request("DELETE", "/api/v1/devices/refresh/\(device.guid)", token: token)
        #expect(refresh.json?["description"] == .string("Device info refreshed : \(device.guid)"))
        #expect(try await bed.request("GET", "/api/v1/amt/features/\(device.guid)", token: token).status == 500, "the new password is read")
        try await bed.host.bus.run("devices.update", args: ["guid": .string(device.guid), "amtPassword": .string(TestDevice.amtPassword)])
        _ = try await bed.request("DELETE", "/api/v1/devices/refresh/\(device.guid)", token: token)
        #expect(try await bed.request("GET", "/api/v1/amt/features/\(device.guid)", token: token).status == 200)

        device.firmware.modifyState { $0.maintenance.unprovisionReturnValue = 0 }
        let accepted = try await bed.request("DELETE", path, token: token)
        #expect(accepted.status == 200, "\(accepted.text)")
        #expect(accepted.json == ["status": "SUCCESS"])
        #expect(!device.firmware.state.maintenance.provisioned)
        let gone = try await bed.request("GET", "/api/v1/devices/\(device.guid)", token: token)
        #expect(gone.status == 404, "record removed: \(gone.status)")
        #expect((try? await bed.host.store?.devices.find(guid: device.guid)) == nil)
    }

    @Test func profileWifiLinksAreWrittenIntoTheDevice() async throws {
        let bed = try await maintenanceHost.value
        let bus = bed.host.bus
        let device = try await Self.connectedDevice(bed, number: 0x107)
        defer { Task { await device.device.stop() } }
        for (name, ssid, phrase) in [("wfahome", "home-net", "Home-Phrase-1"), ("wfaoffice", "office-net", "Office <&> Phrase")] {
            try await bus.run("wirelessconfigs.create", args: [
                "profileName": .string(name), "authenticationMethod": 6, "encryptionMethod": 4, "ssid": .string(ssid),
                "pskPassphrase": .string(phrase),
            ])
        }
        try await bus.run("ieee8021xconfigs.create", args: ["profileName": "wfaeap", "authenticationProtocol": 0, "wiredInterface": false])
        try await bus.run("wirelessconfigs.create", args: [
            "profileName": "wfacorp", "authenticationMethod": 7, "encryptionMethod": 4, "ssid": "corp", "ieee8021xProfileName": "wfaeap",
        ])
        try await bus.run("profiles.create", args: [
            "profileName": "wfaprofile", "activation": "ccmactivate", "generateRandomPassword": true, "dhcpEnabled": true,
            "wifiConfigs": [["profileName": "wfaoffice", "priority": 2], ["profileName": "wfahome", "priority": 1], ["profileName": "wfacorp", "priority": 3]],
        ])

        let result = try await bus.run("amt.wifi.apply", args: ["guid": .string(device.guid), "profileName": "wfaprofile"])
        #expect(result["applied"] == ["wfahome", "wfaoffice"], "\(result.jsonString)")
        #expect(result["failed"]?.arrayValue?.map { $0["profileName"] } == ["wfacorp"])
        let written = device.firmware.calls.filter { $0.method == "AddWiFiSettings" }
        #expect(written.map { $0.inputs["Priority"] ?? "" } == ["1", "2"])
        #expect(written.map { $0.inputs["SSID"] ?? "" } == ["home-net", "office-net"])
        #expect(device.firmware.state.maintenance.wifiSettings.map(\.pskPassphrase) == ["Home-Phrase-1", "Office <&> Phrase"])

        let listed = try await bus.run("amt.wifi.list", args: ["guid": .string(device.guid)])
        #expect(listed["profiles"]?.arrayValue?.map { $0["ElementName"] } == ["wfahome", "wfaoffice"])
        #expect(!listed.jsonString.contains("Phrase"), "AMT never returns a passphrase")

        // Written again: the device refuses the taken priorities, and that is reported per profile.
        let again = try await bus.run("amt.wifi.apply", args: ["guid": .string(device.guid), "profileName": "wfaprofile"])
        #expect(again["applied"] == [])
        #expect(again["failed"]?.arrayValue?.compactMap { $0["returnValue"]?.intValue } == [2067, 2067])
        #expect(device.firmware.state.maintenance.wifiSettings.count == 2)
    }

    @Test func redirectionTokenIsScopedToItsDevice() async throws {
        let bed = try await maintenanceHost.value
        let token = try await bed.token()
        let guid = "7e57e57e-0000-4000-8000-000000000106"
        try await bed.host.bus.run("devices.create", args: ["guid": .string(guid), "hostname": "redir", "mpsusername": "redirhost"])
        let issued = try await bed.request("GET", "/api/v1/authorize/redirection/\(guid.uppercased())", token: token)
        #expect(issued.status == 200, "\(issued.text)")
        let redirection = try #require(issued.json?["token"]?.stringValue)
        let parts = redirection.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        let claims = try JSONValue(parsing: Array(try #require(Data(base64Encoded: payload))))
        #expect(claims["deviceId"] == .string(guid))
        #expect((claims["exp"]?.intValue ?? 0) - (claims["iat"]?.intValue ?? 0) == 300)

        let asAPIToken = try await bed.request("GET", "/api/v1/devices/stats", token: redirection)
        #expect(asAPIToken.status == 401, "a redirection token never opens the API")
        let verified = try await bed.host.bus.run("auth.verify", args: ["token": .string(redirection), "deviceId": .string(guid)])
        #expect(verified["deviceId"] == .string(guid))

        let invalid = try await bed.request("GET", "/api/v1/authorize/redirection/not-a-guid", token: token)
        #expect(invalid.status == 400)
        #expect(invalid.json?["errors"]?.arrayValue?.first?["location"] == "params")
        let unknown = try await bed.request("GET", "/api/v1/authorize/redirection/7e57e57e-0000-4000-8000-0000000001ff", token: token)
        #expect(unknown.status == 404)
        #expect(unknown.text.isEmpty)
        let noToken = try await bed.request("GET", "/api/v1/authorize/redirection/\(guid)", token: nil)
        #expect(noToken.status == 401)
    }

    @Test func unknownDevicesAnswer404() async throws {
        let bed = try await maintenanceHost.value
        let token = try await bed.token()
        for (method, path) in [
            ("GET", "/amt/log/audit/1"), ("GET", "/amt/log/event/1"), ("GET", "/amt/alarmOccurrences/1"), ("GET", "/amt/features/1"),
            ("GET", "/amt/userConsentCode/1"), ("DELETE", "/amt/deactivate/1"), ("GET", "/devices/redirectstatus/1"),
            ("DELETE", "/devices/refresh/1"),
        ] {
            let reply = try await bed.request(method, "/api/v1" + path, token: token)
            #expect(reply.status == 404, "\(method) \(path): \(reply.status) \(reply.text)")
            #expect(reply.json?["error"] == "Device not found/connected. Please connect again using CIRA.", "\(path)")
        }
    }
}
