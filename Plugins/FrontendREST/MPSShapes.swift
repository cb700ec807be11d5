import Foundation
import TetherPluginKit

/// The host's neutral `amt.*` results (README "Power actions": device commands) → the bodies
/// Open AMT's MPS answers (shared/reference/mps-api.md §2.3). Pure functions; the only place
/// that knows these shapes.
enum MPSShapes {
    /// `{"powerState": n}` → `{"powerstate": n}`.
    static func powerState(_ result: JSONValue) -> JSONValue {
        ["powerstate": result["powerState"] ?? .null]
    }

    /// MPS's label of each action code in `power/capabilities`.
    static let capabilityLabels: [Int: String] = [
        2: "Power up", 5: "Power cycle", 8: "Power down", 10: "Reset", 12: "Soft-off", 14: "Soft-reset",
        4: "Sleep", 7: "Hibernate", 100: "Power up to BIOS", 101: "Reset to BIOS", 104: "Reset to Secure Erase",
        200: "Reset to IDE-R Floppy", 201: "Power on to IDE-R Floppy", 202: "Reset to IDE-R CDROM",
        203: "Power on to IDE-R CDROM", 300: "Power on to diagnostic", 301: "Reset to diagnostic",
        400: "Reset to PXE", 401: "Power on to PXE",
    ]

    /// `{"actionCodes": […]}` → `{label: code}`.
    static func powerCapabilities(_ result: JSONValue) -> JSONValue {
        var labels: [String: JSONValue] = [:]
        for code in result["actionCodes"]?.arrayValue?.compactMap(\.intValue) ?? [] {
            labels[capabilityLabels[code] ?? "Action \(code)"] = .number(code)
        }
        return .object(labels)
    }

    /// `{returnValue, returnValueName}` → `{"ReturnValue", "ReturnValueStr"}`.
    static func returnValue(_ result: JSONValue) -> JSONValue {
        ["ReturnValue": result["returnValue"] ?? .null, "ReturnValueStr": result["returnValueName"] ?? .null]
    }

    /// A method result → `{"Header"?, "Body": {"ReturnValue", "ReturnValueStr"}}` (the header
    /// when the result carries the reply's).
    static func methodReply(_ result: JSONValue) -> JSONValue {
        var reply: [String: JSONValue] = ["Body": returnValue(result)]
        if let header = result["replyHeader"] { reply["Header"] = self.header(header) }
        return .object(reply)
    }

    /// A reply header `{to, relatesTo, action, messageID, resourceURI}` → MPS's `Header`
    /// (`RelatesTo` a number when it is one, as xml2js parses it).
    static func header(_ header: JSONValue) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (neutral, mps) in [("to", "To"), ("action", "Action"), ("messageID", "MessageID"), ("resourceURI", "ResourceURI")] {
            if let value = header[neutral] { members[mps] = value }
        }
        if let relatesTo = header["relatesTo"]?.stringValue {
            members["RelatesTo"] = Int64(relatesTo).map(JSONValue.int) ?? .string(relatesTo)
        }
        return .object(members)
    }

    /// `amt.version` → `{"CIM_SoftwareIdentity": {"responses", "status"},
    /// "AMT_SetupAndConfigurationService": {"response", "responses": {"Header", "Body"}, "status"}}`.
    static func version(_ result: JSONValue) -> JSONValue {
        let setup = result["setupAndConfiguration"] ?? .object([:])
        return [
            "CIM_SoftwareIdentity": ["responses": result["softwareIdentity"] ?? [], "status": 200],
            "AMT_SetupAndConfigurationService": [
                "response": setup,
                "responses": ["Header": header(result["replyHeader"] ?? .object([:])), "Body": ["AMT_SetupAndConfigurationService": setup]],
                "status": 200,
            ],
        ]
    }

    /// `amt.generalSettings` → `{"Header", "Body"}`.
    static func generalSettings(_ result: JSONValue) -> JSONValue {
        ["Header": header(result["replyHeader"] ?? .object([:])), "Body": result["generalSettings"] ?? .object([:])]
    }

    /// `amt.hardwareInfo` → one entry per class: `{"response"? (Get), "responses", "status": 200}`,
    /// or `{"responses": [], "status": 400, "error": message}` for a class the device could not answer.
    static func hardwareInfo(_ result: JSONValue) -> JSONValue {
        var classes: [String: JSONValue] = [:]
        for (name, reading) in result["classes"]?.objectValue ?? [:] {
            if let error = reading["error"] {
                classes[name] = ["responses": [], "status": 400, "error": error["message"] ?? .null]
                continue
            }
            let instances = reading["instances"]?.arrayValue ?? []
            var entry: [String: JSONValue] = ["responses": .array(instances), "status": 200]
            if reading["operation"]?.stringValue == "get" { entry["response"] = instances.first ?? .object([:]) }
            classes[name] = .object(entry)
        }
        return .object(classes)
    }

    /// `amt.log.audit` → `{"totalCnt", "records": [{AuditAppID, AuditApp, EventID, Event, InitiatorType,
    /// Initiator, Time, MCLocationType, NetAddress, Ex (base64), ExStr (hex or null)}]}`.
    static func auditLog(_ result: JSONValue) -> JSONValue {
        let records = (result["records"]?.arrayValue ?? []).map { record -> JSONValue in
            let extended = record["extendedData"]?.stringValue ?? ""
            let bytes = Data(base64Encoded: extended) ?? Data()
            return [
                "AuditAppID": record["auditAppID"] ?? .null, "AuditApp": record["auditApp"] ?? .null,
                "EventID": record["eventID"] ?? .null, "Event": record["event"] ?? .null,
                "InitiatorType": record["initiatorType"] ?? .null, "Initiator": record["initiator"] ?? .null,
                "Time": record["time"] ?? .null, "MCLocationType": record["mcLocationType"] ?? .null,
                "NetAddress": record["netAddress"] ?? .null, "Ex": .string(extended),
                "ExStr": bytes.isEmpty ? .null : .string(bytes.map { String(format: "%02X", $0) }.joined()),
            ]
        }
        return ["totalCnt": result["totalCount"] ?? .null, "records": .array(records)]
    }

    /// Neutral event record member → MPS member.
    static let eventMembers: [(String, String)] = [
        ("deviceAddress", "DeviceAddress"), ("eventSensorType", "EventSensorType"), ("eventType", "EventType"),
        ("eventOffset", "EventOffset"), ("eventSourceType", "EventSourceType"), ("eventSeverity", "EventSeverity"),
        ("sensorNumber", "SensorNumber"), ("entity", "Entity"), ("entityInstance", "EntityInstance"),
        ("eventData", "EventData"), ("time", "Time"), ("entityName", "EntityStr"), ("description", "Desc"),
    ]

    /// `amt.log.event` → `[record]` with MPS's member names.
    static func eventLog(_ result: JSONValue) -> JSONValue {
        .array((result["records"]?.arrayValue ?? []).map { record in
            .object(Dictionary(uniqueKeysWithValues: eventMembers.map { ($0.1, record[$0.0] ?? .null) }))
        })
    }

    /// `amt.alarms.list` → `[IPS_AlarmClockOccurrence properties + "InternalInMinutes"]` (MPS's spelling).
    static func alarms(_ result: JSONValue) -> JSONValue {
        .array((result["alarms"]?.arrayValue ?? []).map { alarm in
            var object = alarm["properties"]?.objectValue ?? [:]
            object["InternalInMinutes"] = alarm["intervalMinutes"] ?? 0
            return .object(object)
        })
    }

    /// `amt.features.get` → `{userConsent, redirection, KVM, SOL, IDER, optInState, kvmAvailable}`.
    static func features(_ result: JSONValue) -> JSONValue {
        [
            "userConsent": result["userConsent"] ?? .null, "redirection": result["redirection"] ?? .null,
            "KVM": result["kvm"] ?? .null, "SOL": result["sol"] ?? .null, "IDER": result["ider"] ?? .null,
            "optInState": result["optInState"] ?? .null, "kvmAvailable": result["kvmAvailable"] ?? .null,
        ]
    }

    /// A power action's result: a method result → `{"Header"?, "Body"}` (a vendor action's own
    /// extra members, such as the signage example's `powerState`, are kept beside them); a result
    /// of another shape is passed on as it is.
    static func powerAction(_ result: JSONValue) -> JSONValue {
        guard result["returnValue"]?.intValue != nil, var reply = methodReply(result).objectValue else { return result }
        for (name, value) in result.objectValue ?? [:] where !["returnValue", "returnValueName", "replyHeader"].contains(name) {
            reply[name] = value
        }
        return .object(reply)
    }
}
