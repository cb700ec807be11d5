import Foundation
import WSMan

/// Redirection features, user consent, alarm clock, audit/event logs and `Unprovision`
/// (the classes behind the MPS maintenance routes), over ``FirmwareMaintenanceState``.
extension FirmwareEngine {
    /// The maintenance classes' instances; nil for classes this file does not know
    /// (and for `CIM_KVMRedirectionSAP` on a platform without KVM).
    func maintenanceInstances(of className: String) -> [FirmwareInstance]? {
        let m = state.maintenance
        switch className {
        case "AMT_RedirectionService":
            return [FirmwareInstance(.amt, className, [
                ("CreationClassName", .text(className)), ("ElementName", .text("Intel(r) AMT Redirection Service")),
                ("EnabledState", .text(String(m.redirectionEnabledState))), ("ListenerEnabled", .text(m.listenerEnabled ? "true" : "false")),
                ("Name", .text("Intel(r) AMT Redirection Service")), ("SystemCreationClassName", .text("CIM_ComputerSystem")),
                ("SystemName", .text("Intel(r) AMT")),
            ])]
        case "CIM_KVMRedirectionSAP":
            guard m.kvmAvailable else { return nil }
            return [FirmwareInstance(.cim, className, [
                ("CreationClassName", .text(className)), ("ElementName", .text("KVM Redirection Service Access Point")),
                ("EnabledState", .text(String(m.kvmEnabledState))), ("KVMProtocol", .text("4")),
                ("Name", .text("KVM Redirection Service Access Point")), ("RequestedState", .text(String(m.kvmEnabledState))),
                ("SystemCreationClassName", .text("CIM_ComputerSystem")),
            ])]
        case "IPS_OptInService":
            return [FirmwareInstance(.ips, className, [
                ("CanModifyOptInPolicy", .text("1")), ("CreationClassName", .text(className)),
                ("ElementName", .text("Intel(r) AMT OptIn Service")), ("Name", .text("Intel(r) AMT OptIn Service")),
                ("OptInCodeTimeout", .text("120")), ("OptInDisplayTimeout", .text("300")),
                ("OptInRequired", .text(String(m.optInRequired))), ("OptInState", .text(String(m.optInState))),
                ("SystemCreationClassName", .text("CIM_ComputerSystem")), ("SystemName", .text("Intel(r) AMT")),
            ])]
        case "AMT_AlarmClockService":
            return [FirmwareInstance(.amt, className, [
                ("CreationClassName", .text(className)), ("ElementName", .text("Intel(r) AMT Alarm Clock Service")),
                ("Name", .text("Intel(r) AMT Alarm Clock Service")), ("SystemCreationClassName", .text("CIM_ComputerSystem")),
                ("SystemName", .text("Intel(r) AMT")),
            ])]
        case "IPS_AlarmClockOccurrence":
            return m.alarms.map { alarm in
                var properties: [(String, FirmwareInstance.Value)] = [
                    ("DeleteOnCompletion", .text(alarm.deleteOnCompletion ? "true" : "false")),
                    ("ElementName", .text(alarm.elementName)), ("InstanceID", .text(alarm.instanceID)),
                    ("StartTime", .raw("<p:Datetime xmlns:p=\"\(Self.commonNamespace)\">\(XMLEscaping.text(alarm.startTime))</p:Datetime>")),
                ]
                if let interval = alarm.interval {
                    properties.append(("Interval", .raw("<p:Interval xmlns:p=\"\(Self.commonNamespace)\">\(XMLEscaping.text(interval))</p:Interval>")))
                }
                return FirmwareInstance(.ips, className, properties)
            }
        case "CIM_WiFiEndpointSettings":
            return m.wifiSettings.map { setting in
                FirmwareInstance(.cim, className, [
                    ("AuthenticationMethod", .text(String(setting.authenticationMethod))), ("BSSType", .text("3")),
                    ("ElementName", .text(setting.elementName)), ("EncryptionMethod", .text(String(setting.encryptionMethod))),
                    ("InstanceID", .text(setting.instanceID)), ("Priority", .text(String(setting.priority))),
                    ("SSID", .text(setting.ssid)),
                ])
            }
        case "AMT_AuditLog":
            return [FirmwareInstance(.amt, className, [
                ("CurrentNumberOfRecords", .text(String(m.auditLog.count))), ("ElementName", .text("Intel(r) AMT Audit Log")),
                ("EnabledState", .text("2")), ("MaxNumberOfRecords", .text("0")), ("Name", .text("Intel(r) AMT:Audit Log")),
            ])]
        case "AMT_MessageLog":
            return [FirmwareInstance(.amt, className, [
                ("CurrentNumberOfRecords", .text(String(m.eventLog.count))), ("ElementName", .text("Intel(r) AMT:MessageLog 1")),
                ("MaxNumberOfRecords", .text("390")), ("Name", .text("Intel(r) AMT:MessageLog 1")),
            ])]
        default:
            return nil
        }
    }

    static let commonNamespace = "http://schemas.dmtf.org/wbem/wscim/1/common"

    /// Answers the maintenance methods and Puts; nil when the call is not one of them.
    mutating func performMaintenance(
        method: String, action: String, resource: WSManResource, envelope: WSManEnvelope, call: inout FirmwareCall
    ) -> Outcome? {
        let className = resource.className
        let isMethod = action == resource.methodAction(method)
        let input = envelope.body.child("\(method)_INPUT")
        func parameter(_ name: String) -> String {
            let value = input?.child(name)?.trimmedText ?? ""
            call.inputs[name] = value
            return value
        }
        switch (className, method) {
        case ("AMT_RedirectionService", "RequestStateChange") where isMethod:
            guard let requested = Int(parameter("RequestedState")), (32768...32771).contains(requested) else {
                return .output(returnValue: Self.invalidParameter)
            }
            state.maintenance.redirectionEnabledState = requested
            return .output(returnValue: 0)
        case ("CIM_KVMRedirectionSAP", "RequestStateChange") where isMethod && state.maintenance.kvmAvailable:
            guard let requested = Int(parameter("RequestedState")), requested == 2 || requested == 3 else {
                return .output(returnValue: Self.invalidParameter)
            }
            state.maintenance.kvmEnabledState = requested
            return .output(returnValue: 0)
        case ("AMT_RedirectionService", "Put"):
            let body = envelope.body.child(className)
            let listener = body?.child("ListenerEnabled")?.trimmedText
            call.inputs["ListenerEnabled"] = listener ?? ""
            if let listener { state.maintenance.listenerEnabled = listener == "true" }
            if let enabled = body?.child("EnabledState").flatMap({ Int($0.trimmedText) }), (32768...32771).contains(enabled) {
                state.maintenance.redirectionEnabledState = enabled
            }
            return maintenanceInstances(of: className).map { .instance($0[0]) }
        case ("IPS_OptInService", "Put"):
            let text = envelope.body.child(className)?.child("OptInRequired")?.trimmedText ?? ""
            call.inputs["OptInRequired"] = text
            guard let required = Int(text), [0, 1, 4_294_967_295].contains(required) else {
                return .fault(Self.invalidRepresentation)
            }
            state.maintenance.optInRequired = required
            return maintenanceInstances(of: className).map { .instance($0[0]) }
        case ("IPS_OptInService", "StartOptIn") where isMethod:
            guard state.maintenance.optInRequired != 0 else { return .output(returnValue: 2) }
            state.maintenance.consentCode = String(format: "%06d", Int.random(in: 0...999_999))
            state.maintenance.optInState = 2
            return .output(returnValue: 0)
        case ("IPS_OptInService", "SendOptInCode") where isMethod:
            let code = parameter("OptInCode")
            guard let expected = state.maintenance.consentCode, state.maintenance.optInState == 1 || state.maintenance.optInState == 2 else {
                return .output(returnValue: 2)
            }
            guard let number = Int(code), String(format: "%06d", number) == expected else {
                return .output(returnValue: Self.invalidOptInCode)
            }
            state.maintenance.optInState = 3
            state.maintenance.consentCode = nil
            return .output(returnValue: 0)
        case ("IPS_OptInService", "CancelOptIn") where isMethod:
            state.maintenance.optInState = 0
            state.maintenance.consentCode = nil
            return .output(returnValue: 0)
        case ("AMT_WiFiPortConfigurationService", "AddWiFiSettings") where isMethod:
            return addWiFiSettings(input?.child("WiFiEndpointSettingsInput"), call: &call)
        case ("AMT_AlarmClockService", "AddAlarm") where isMethod:
            return addAlarm(input?.child("AlarmTemplate"), call: &call)
        case ("IPS_AlarmClockOccurrence", "Delete"):
            let name = envelope.header.selectors.first { $0.name == "InstanceID" }?.value ?? ""
            call.inputs["InstanceID"] = name
            guard let index = state.maintenance.alarms.firstIndex(where: { $0.instanceID == name }) else {
                return .fault(Self.invalidSelectors)
            }
            state.maintenance.alarms.remove(at: index)
            return .empty
        case ("AMT_AuditLog", "ReadRecords") where isMethod:
            let log = state.maintenance.auditLog
            guard let start = Int(parameter("StartIndex")), start >= 1, start <= max(log.count, 1) else {
                return .outputXML(returnValue: Self.invalidIndex, bodyXML: "")
            }
            let batch = Array(log.dropFirst(start - 1).prefix(state.maintenance.auditBatchSize))
            let records = batch.map { "<g:EventRecords>\(Data($0.encoded()).base64EncodedString())</g:EventRecords>" }.joined()
            return .outputXML(returnValue: 0, bodyXML: "<g:TotalRecordCount>\(log.count)</g:TotalRecordCount>"
                + "<g:RecordsReturned>\(batch.count)</g:RecordsReturned>" + records)
        case ("AMT_MessageLog", "PositionToFirstRecord") where isMethod:
            return .outputXML(returnValue: 0, bodyXML: "<g:IterationIdentifier>1</g:IterationIdentifier>")
        case ("AMT_MessageLog", "GetRecords") where isMethod:
            let log = state.maintenance.eventLog
            guard let from = Int(parameter("IterationIdentifier")), from >= 1,
                  let count = Int(parameter("MaxReadRecords")), count >= 1
            else { return .outputXML(returnValue: Self.invalidParameter, bodyXML: "") }
            let page = Array(log.dropFirst(from - 1).prefix(count))
            let next = from + page.count
            let records = page.map { "<g:RecordArray>\(Data($0.encoded()).base64EncodedString())</g:RecordArray>" }.joined()
            return .outputXML(returnValue: 0, bodyXML: "<g:IterationIdentifier>\(next)</g:IterationIdentifier>"
                + "<g:NoMoreRecords>\(next > log.count ? "true" : "false")</g:NoMoreRecords>" + records)
        case ("AMT_SetupAndConfigurationService", "Unprovision") where isMethod:
            guard parameter("ProvisioningMode") == "1" else { return .output(returnValue: 36) }
            let answer = state.maintenance.provisioned ? state.maintenance.unprovisionReturnValue : 32
            if answer == 0 { state.maintenance.provisioned = false }
            return .output(returnValue: answer)
        default:
            return nil
        }
    }

    /// `AddAlarm`: at most five occurrences (`wsman:QuotaLimit` fault beyond), unique names.
    private mutating func addAlarm(_ template: XMLElementNode?, call: inout FirmwareCall) -> Outcome {
        let name = template?.child("InstanceID")?.trimmedText ?? template?.child("ElementName")?.trimmedText ?? ""
        let start = template?.child("StartTime")?.child("Datetime")?.trimmedText ?? ""
        let interval = template?.child("Interval")?.child("Interval")?.trimmedText
        call.inputs["InstanceID"] = name
        call.inputs["StartTime"] = start
        call.inputs["Interval"] = interval ?? ""
        guard state.maintenance.alarms.count < FirmwareMaintenanceState.alarmQuota else {
            return .fault(WSManFault(
                code: "a:Sender", subcode: "c:QuotaLimit",
                reason: "The service is busy servicing other requests.", action: WSManAction.wsmanFault))
        }
        guard !name.isEmpty, !start.isEmpty, (try? Date(start, strategy: .iso8601)) != nil,
              !state.maintenance.alarms.contains(where: { $0.instanceID == name })
        else { return .output(returnValue: Self.invalidParameter) }
        state.maintenance.alarms.append(FirmwareMaintenanceState.Alarm(
            instanceID: name, elementName: template?.child("ElementName")?.trimmedText ?? name, startTime: start,
            interval: interval, deleteOnCompletion: template?.child("DeleteOnCompletion")?.trimmedText != "false"))
        let reference = EndpointReference(
            resourceURI: WSManResource(.ips, "IPS_AlarmClockOccurrence").uri,
            selectors: [WSManSelector(name: "InstanceID", value: name)])
        return .outputXML(returnValue: 0, bodyXML: "<g:AlarmClock>\(reference.innerXML)</g:AlarmClock>")
    }

    /// `AddWiFiSettings` of a PSK profile: priority 1…255 and unique (else 2067 INVALID_PRIORITY),
    /// a new InstanceID, a passphrase of 8–63 characters (else 36 INVALID_PARAMETER).
    private mutating func addWiFiSettings(_ input: XMLElementNode?, call: inout FirmwareCall) -> Outcome {
        let setting = WiFiEndpointSettings(element: input)
        for name in ["ElementName", "SSID", "AuthenticationMethod", "EncryptionMethod", "Priority"] {
            call.inputs[name] = input?.child(name)?.trimmedText ?? ""
        }
        guard (1...255).contains(setting.priority),
              !state.maintenance.wifiSettings.contains(where: { $0.priority == setting.priority })
        else { return .output(returnValue: Self.invalidPriority) }
        guard [4, 6].contains(setting.authenticationMethod), [3, 4].contains(setting.encryptionMethod),
              !setting.ssid.isEmpty, setting.ssid.count <= 32, (8...63).contains(setting.pskPassphrase.count),
              !setting.instanceID.isEmpty, !state.maintenance.wifiSettings.contains(where: { $0.instanceID == setting.instanceID })
        else { return .output(returnValue: Self.invalidParameter) }
        state.maintenance.wifiSettings.append(setting)
        return .output(returnValue: 0)
    }

    /// `INVALID_PRIORITY`.
    static let invalidPriority = 2067
    /// `INVALID_INDEX`.
    static let invalidIndex = 35
    /// What `SendOptInCode` answers for a wrong code (`INVALID_PARAMETER`).
    static let invalidOptInCode = 36

    static let invalidSelectors = WSManFault(
        code: "a:Sender", subcode: "c:InvalidSelectors", reason: "The selectors for the resource are not valid.",
        detail: "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidValue", action: WSManAction.wsmanFault)
    static let invalidRepresentation = WSManFault(
        code: "a:Sender", subcode: "c:InvalidRepresentation", reason: "The XML content is invalid.",
        detail: "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidValues", action: WSManAction.wsmanFault)
}
