import AMT
import Foundation
import Logging
import PluginHost
import Store
import TetherJSON
import WSMan

/// The MPS device-maintenance operations as host commands any front end can use (shared/reference/mps-api.md
/// §2.3): audit and event logs, alarm clock, user consent, redirection features, deactivate,
/// redirection status and refresh. Results are the neutral typed results of `Sources/AMT/Results`.
/// A refusal by the device is a `device_error` whose `detail` is the method's result
/// (`{returnValue, returnValueName, …}`).
struct AMTMaintenanceCommands {
    let bus: CommandBus
    let registry: AMTClientRegistry
    let isConnected: @Sendable (String) -> Bool
    let store: @Sendable () -> TetherStore?
    let logger: Logger

    /// AMT keeps at most this many alarm occurrences.
    static let alarmQuota = 5

    func register() {
        device("amt.log.audit", "Security audit log, newest first: {guid, startIndex?} → {totalCount, records}") { client, args throws(AMTError) in
            let start = try Self.optionalInt(args["startIndex"], "startIndex") ?? 0
            return try await client.auditLog(startIndex: start)
        }
        device("amt.log.event", "Event log, decoded: {guid} → {records}") { client, _ throws(AMTError) in
            try await client.eventLog()
        }
        device("amt.alarms.list", "Alarm clock occurrences: {guid} → {alarms:[{properties, intervalMinutes}]}") { client, _ throws(AMTError) in
            try await client.alarmOccurrences()
        }
        deviceCommand("amt.alarms.add", "Add an alarm: {guid, ElementName, StartTime (ISO 8601), Interval? (minutes), DeleteOnCompletion?} → {instanceID}") {
            client, args in
            try await Self.addAlarm(client, args)
        }
        deviceCommand("amt.alarms.delete", "Delete an alarm: {guid, Name (its InstanceID)} → {instanceID}") { client, args in
            guard let name = args["Name"]?.stringValue, !name.isEmpty else {
                throw CommandError(.badRequest, "amt.alarms.delete needs {\"Name\": the alarm's InstanceID}")
            }
            switch try await Self.amt({ () throws(AMTError) in try await client.deleteAlarm(name: name) }) {
            case nil: return AMTAlarmChange(instanceID: name).json
            case .some: throw CommandError(.notFound, "Alarm instance not found", detail: ["alarm": .string(name)])
            }
        }
        deviceCommand("amt.userConsent.request", "Ask for user consent (the device shows a code): {guid} → {returnValue, returnValueName, replyHeader}") { client, _ in
            try await Self.consent { () throws(AMTError) in try await client.requestUserConsent() }
        }
        deviceCommand("amt.userConsent.send", "Send the user consent code: {guid, consentCode (6 digits)} → {returnValue, returnValueName, replyHeader}") { client, args in
            let code = try Self.consentCode(args["consentCode"])
            return try await Self.consent { () throws(AMTError) in try await client.sendUserConsentCode(code) }
        }
        deviceCommand("amt.userConsent.cancel", "Cancel a user consent request: {guid} → {returnValue, returnValueName, replyHeader}") { client, _ in
            try await Self.consent { () throws(AMTError) in try await client.cancelUserConsent() }
        }
        device("amt.features.get", "Redirection features: {guid} → {userConsent, redirection, kvm, sol, ider, optInState, kvmAvailable}") {
            client, _ throws(AMTError) in
            try await client.features()
        }
        deviceCommand("amt.features.set", "Set redirection features: {guid, userConsent: kvm|all|none, enableSOL, enableIDER, enableKVM} → {userConsent, sol, ider, kvm}") {
            client, args in
            try await Self.setFeatures(client, args)
        }
        deviceCommand("amt.deactivate", "Unprovision (CCM) the device; on success its record and secrets are removed: {guid} → {returnValue, returnValueName}") {
            client, args in
            try await deactivate(client, args)
        }
        deviceCommand("amt.wifi.apply", "Write an AMT profile's Wi-Fi links into the device: {guid, profileName} → {applied, failed}") {
            client, args in
            try await applyWiFi(client, args)
        }
        device("amt.wifi.list", "Wi-Fi profiles stored on the device (CIM_WiFiEndpointSettings): {guid} → {profiles}") { client, _ throws(AMTError) in
            try await client.wifiSettings()
        }
        bus.register(name: "devices.redirectstatus", summary: "Redirection sessions of a connected device: {guid}", provider: "host") { args in
            let guid = try AMTCommandSupport.guid(args, command: "devices.redirectstatus")
            guard isConnected(guid) else { throw CommandError(.notFound, "Device not found/connected") }
            // This host relays no redirection sessions (yet), so none is open.
            return ["isKVMConnected": false, "isSOLConnected": false, "isIDERConnected": false]
        }
        bus.register(name: "devices.refresh", summary: "Re-read a connected device's credentials: {guid}", provider: "host") { args in
            let guid = try AMTCommandSupport.guid(args, command: "devices.refresh")
            guard isConnected(guid) else { throw CommandError(.notFound, "Device not found/connected") }
            // The next call reads the AMT password from the store again (e.g. after a change).
            registry.client(for: guid).refreshCredentials()
            return ["guid": .string(guid), "refreshed": true]
        }
    }

    // MARK: - Handlers

    static func addAlarm(_ client: AMTDeviceClient, _ args: JSONValue) async throws -> JSONValue {
        guard let name = args["ElementName"]?.stringValue, !name.isEmpty, name.count <= 64,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || " -_.".contains($0)) })
        else { throw CommandError(.badRequest, "ElementName must be 1–64 letters, digits, spaces, '-', '_' or '.'") }
        guard let text = args["StartTime"]?.stringValue, let start = try? Date(text, strategy: .iso8601) else {
            throw CommandError(.badRequest, "StartTime must be an ISO 8601 date-time (2026-12-01T10:00:00Z)")
        }
        let interval = try await amt { () throws(AMTError) in try optionalInt(args["Interval"], "Interval", range: 0...(365 * 1440)) }
        let deleteOnCompletion = args["DeleteOnCompletion"]?.boolValue ?? true
        let failure = try await amt { () throws(AMTError) in
            try await client.addAlarm(name: name, startTime: start, intervalMinutes: interval, deleteOnCompletion: deleteOnCompletion)
        }
        switch failure {
        case nil: return AMTAlarmChange(instanceID: name).json
        case .quotaExceeded?:
            throw CommandError(.conflict, "Alarm add request quota exceeded: AMT keeps at most \(alarmQuota) alarms", detail: ["quota": .number(alarmQuota)])
        case .invalidParameters(let reason)?:
            throw CommandError(.badRequest, "Alarm add request invalid parameters: \(reason)")
        case .notFound?:
            throw CommandError(.badRequest, "Alarm add request invalid parameters")
        }
    }

    /// A consent call: the method's result on success; a non-zero ReturnValue is a `device_error`
    /// whose detail is the same result.
    static func consent(_ body: () async throws(AMTError) -> AMTMethodResult) async throws(CommandError) -> JSONValue {
        let result: AMTMethodResult
        do {
            result = try await body()
        } catch {
            throw AMTCommandSupport.commandError(error)
        }
        guard result.isSuccess else {
            throw CommandError(.deviceError, "the device refused: \(result.returnValue) \(result.returnValueName)", detail: result.json)
        }
        return result.json
    }

    /// AMT consent codes are six decimal digits (a number or a string).
    static func consentCode(_ value: JSONValue?) throws(CommandError) -> Int {
        let text = value?.stringValue ?? value?.intValue.map { String(format: "%06d", $0) }
        guard let text, text.count == 6, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let code = Int(text) else {
            throw CommandError(.badRequest, "consentCode must be the 6-digit code shown on the device's screen")
        }
        return code
    }

    static func setFeatures(_ client: AMTDeviceClient, _ args: JSONValue) async throws -> JSONValue {
        guard let consent = args["userConsent"]?.stringValue, AMTDeviceClient.optInRequired[consent.lowercased()] != nil else {
            throw CommandError(.badRequest, "userConsent must be one of kvm, all, none")
        }
        var flags: [String: Bool] = [:]
        for key in ["enableSOL", "enableIDER", "enableKVM"] {
            guard let flag = args[key]?.boolValue else { throw CommandError(.badRequest, "\(key) must be a boolean") }
            flags[key] = flag
        }
        let refusal = try await amt { () throws(AMTError) in
            try await client.setFeatures(userConsent: consent, sol: flags["enableSOL"]!, ider: flags["enableIDER"]!, kvm: flags["enableKVM"]!)
        }
        if let refusal {
            throw CommandError(.deviceError, "AMT features not updated: \(refusal)", detail: refusal.json)
        }
        return AMTFeatureSettings(
            userConsent: consent.lowercased(), sol: flags["enableSOL"]!, ider: flags["enableIDER"]!, kvm: flags["enableKVM"]!
        ).json
    }

    /// Unprovision; only a device that accepted loses its record and secrets.
    func deactivate(_ client: AMTDeviceClient, _ args: JSONValue) async throws -> JSONValue {
        let value = try await Self.amt { () throws(AMTError) in try await client.unprovision() }
        guard value.isSuccess else {
            throw CommandError(.deviceError, "the device refused to unprovision: \(value.code) \(value.name)", detail: AMTMethodResult(value).json)
        }
        if let store = store() {
            do {
                let device = try await store.devices.find(guid: client.guid)
                try await store.devices.delete(guid: device.guid, tenantId: device.tenantId)
                try await store.audit.append(AuditEvent(
                    tenantId: device.tenantId, actor: args["actor"]?.stringValue ?? "admin", action: "device.deactivate",
                    target: device.guid, detail: "CCM unprovisioned; record and secrets removed"))
            } catch {
                logger.error("device unprovisioned but its record could not be removed", metadata: ["guid": "\(client.guid)", "error": "\(error)"])
                throw CommandError(.internal, "the device was unprovisioned but its record could not be removed: \(error)")
            }
        }
        client.closeIdleChannels()
        return AMTMethodResult(value).json
    }

    // MARK: - Support

    static func amt<T>(_ body: () async throws(AMTError) -> T) async throws(CommandError) -> T {
        do {
            return try await body()
        } catch {
            throw AMTCommandSupport.commandError(error)
        }
    }

    static func optionalInt(_ value: JSONValue?, _ name: String, range: ClosedRange<Int> = 0...Int.max) throws(AMTError) -> Int? {
        guard let value, !value.isNull else { return nil }
        let number = value.intValue ?? value.stringValue.flatMap { Int($0) }
        guard let number, range.contains(number) else { throw .invalidArgument("\(name) must be an integer \(range.lowerBound)…") }
        return number
    }

    /// A command that needs `guid` and runs an AMT operation on that device's client.
    private func device(
        _ name: String, _ summary: String,
        _ body: @escaping @Sendable (AMTDeviceClient, JSONValue) async throws(AMTError) -> any AMTResult
    ) {
        deviceCommand(name, summary) { client, args in
            try await Self.amt { () throws(AMTError) in try await body(client, args).json }
        }
    }

    /// A command that needs `guid` and fails with `CommandError`s of its own.
    private func deviceCommand(
        _ name: String, _ summary: String,
        _ body: @escaping @Sendable (AMTDeviceClient, JSONValue) async throws -> JSONValue
    ) {
        let registry = self.registry
        bus.register(name: name, summary: summary, provider: "host") { args in
            let guid = try AMTCommandSupport.guid(args, command: name)
            return try await body(registry.client(for: guid), args)
        }
    }
}
