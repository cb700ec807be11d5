import Activation
import Foundation
import Logging
import Store
import WSMan

/// One `/activate` websocket connection: reads the client's request, checks it, and runs the
/// operation to its end, answering every outcome with a `success` or `error` message (never
/// silence, unlike RPS on internal errors). One connection = one operation, as in RPS.
struct ActivationSession {
    let host: TetherHost
    let inbox: MessageInbox
    let send: @Sendable (RPSMessage) async -> Bool
    let settings: ActivationSettings
    let logger: Logger

    /// Runs until the operation ends or the client leaves.
    func run() async {
        guard let event = await inbox.next(timeout: settings.firstMessageTimeout) else {
            _ = await send(.error("Error: no request within \(settings.firstMessageTimeout)"))
            return
        }
        let text: String
        switch event {
        case .closed: return
        case .invalid(let why):
            _ = await send(.error(ActivationProtocolError.malformedMessage(why).message))
            return
        case .text(let value): text = value
        }
        let message: RPSMessage
        let payload: DevicePayload
        let command: RPSCommand
        do throws(ActivationProtocolError) {
            message = try RPSMessage.decode(text)
            if let version = message.protocolVersion, !RPSProtocolVersion.isCompatible(version) {
                throw ActivationProtocolError.unsupportedProtocolVersion(version)
            }
            payload = try DevicePayload.decode(fromBase64: message.payload)
            command = try RPSCommand.parse(message.method, uuid: payload.uuid)
        } catch {
            _ = await send(.error(error.message))
            return
        }
        let tenantId = message.tenantId ?? ""
        switch command {
        case .activate(let profile, _):
            await activate(payload, profile: profile, tenantId: tenantId)
        case .deactivate(let password, let force):
            await deactivate(payload, password: payload.password ?? password, force: force, tenantId: tenantId)
        case .maintenance(let task, let password, let force):
            await maintain(payload, task: task, password: payload.password ?? password, force: force, tenantId: tenantId)
        }
    }

    private func activate(_ payload: DevicePayload, profile: String, tenantId: String) async {
        guard let id = host.activations.begin(guid: payload.guid, operation: "activate", profile: profile, tenantId: tenantId) else {
            _ = await send(.error("Device \(payload.uuid) activation failed. Another operation on this device is in progress."))
            return
        }
        let prepared: PreparedActivation
        do {
            prepared = try await host.prepareActivation(payload, profileName: profile, tenantId: tenantId)
        } catch {
            host.finishActivation(id, succeeded: false, message: error.message)
            _ = await send(.error(error.message))
            return
        }
        var tunnel = makeTunnel(payload, username: prepared.initialUsername, password: prepared.initialPassword)
        var machine = ActivationMachine(plan: prepared.plan)
        var transition = machine.start()
        while true {
            if let done = transition.completed { host.activations.log(id, done) }
            for skipped in transition.skipped { host.activations.log(id, skipped) }
            if transition.switchToAdminCredentials {
                tunnel.switchCredentials(username: "admin", password: prepared.plan.adminPassword)
            }
            switch transition.action {
            case .call(let step, let request):
                switch await tunnel.call(request) {
                case .reply(let envelope):
                    transition = machine.received(.success(envelope))
                case .failed(let failure):
                    transition = machine.received(.failure(failure))
                case .aborted(let why, let protocolError):
                    host.activations.log(id, ActivationStepResult(step: step, ok: false, detail: why))
                    let text = protocolError?.message ?? "Device \(payload.uuid) activation aborted: \(why)"
                    host.finishActivation(id, succeeded: false, message: text)
                    if let protocolError { _ = await send(.error(protocolError.message)) }
                    logger.info("activation aborted", metadata: ["guid": "\(payload.guid)", "step": "\(step.rawValue)", "why": "\(why)"])
                    return
                }
            case .saveDevice:
                let error = await host.saveActivatedDevice(prepared, payload: payload)
                transition = machine.deviceSaved(error: error)
            case .finish(let outcome):
                var report = outcome.report
                if let note = prepared.note, outcome.succeeded { report.Status = note }
                host.finishActivation(id, succeeded: outcome.succeeded, message: report.json)
                _ = await send(outcome.succeeded ? .success(report) : .error(report.json))
                logger.info(
                    "activation finished",
                    metadata: ["guid": "\(payload.guid)", "profile": "\(profile)", "succeeded": "\(outcome.succeeded)"])
                return
            }
        }
    }

    private func deactivate(_ payload: DevicePayload, password: String?, force: Bool, tenantId: String) async {
        let uuid = payload.uuid
        guard let id = host.activations.begin(guid: payload.guid, operation: "deactivate", profile: nil, tenantId: tenantId) else {
            _ = await send(.error("Device \(uuid) deactivation failed. Another operation on this device is in progress."))
            return
        }
        func reject(_ text: String) async {
            host.finishActivation(id, succeeded: false, message: text)
            _ = await send(.error(text))
        }
        if let rejection = await checkActivated(payload, password: password, force: force, tenantId: tenantId, operation: "deactivation") {
            return await reject(rejection)
        }
        guard let password, let store = host.store else { return }
        var tunnel = makeTunnel(payload, username: "admin", password: password)
        let step = ActivationStep.unprovision
        switch await tunnel.call(AMTSetupRequests.unprovision(messageID: "0")) {
        case .reply(let envelope):
            guard envelope.fault == nil, envelope.returnValue(method: "Unprovision")?.code == 0 else {
                host.activations.log(id, ActivationStepResult(step: step, ok: false, detail: "Unprovision failed"))
                return await reject(ActivationStatusReport(status: "Failed to deactivate device").json)
            }
            host.activations.log(id, ActivationStepResult(step: step, ok: true, detail: "ReturnValue 0"))
        case .failed(let failure):
            host.activations.log(id, ActivationStepResult(step: step, ok: false, detail: failure.message))
            return await reject(ActivationStatusReport(status: "Failed to deactivate device: \(failure.message)").json)
        case .aborted(let why, let protocolError):
            host.activations.log(id, ActivationStepResult(step: step, ok: false, detail: why))
            host.finishActivation(id, succeeded: false, message: why)
            if let protocolError { _ = await send(.error(protocolError.message)) }
            return
        }
        do {
            try await store.devices.delete(guid: payload.guid, tenantId: tenantId)
        } catch StoreError.notFound {
        } catch {
            host.activations.log(id, ActivationStepResult(step: .saveDevice, ok: false, detail: "\(error)"))
        }
        let report = ActivationStatusReport(status: "Deactivated")
        host.finishActivation(id, succeeded: true, message: report.json)
        _ = await send(.success(report))
    }

    /// The checks deactivation and maintenance share (shared/reference/rps.md §6.11–6.12): firmware version,
    /// an activated device, a password, and (unless forced) the stored AMT password matches.
    /// Returns the rejection text, or `nil`.
    private func checkActivated(
        _ payload: DevicePayload, password: String?, force: Bool, tenantId: String, operation: String
    ) async -> String? {
        let uuid = payload.uuid
        do {
            try TetherHost.checkFirmwareVersion(payload, operation: operation)
        } catch {
            return error.message
        }
        switch payload.currentMode ?? 0 {
        case 0: return "Device \(uuid) is in pre-provisioning mode."
        case 1, 2: break
        case let other: return "Device \(uuid) \(operation) failed. It is in unknown mode: \(other)."
        }
        guard let password, !password.isEmpty else { return "Device \(uuid) \(operation) failed. Missing password." }
        guard let store = host.store else { return "Device \(uuid) \(operation) failed. The store is not open." }
        if !force {
            let stored = try? await store.devices.secrets(guid: payload.guid, tenantId: tenantId).amtPassword
            guard let stored, ConstantTime.equal(stored.reveal(), password) else {
                return "AMT password DOES NOT match stored version for Device \(uuid)"
            }
        }
        return nil
    }

    /// Maintenance over the websocket: clock sync, password rotation, host name sync, IP sync,
    /// device info sync.
    private func maintain(
        _ payload: DevicePayload, task: RPSCommand.MaintenanceTask, password: String?, force: Bool, tenantId: String
    ) async {
        let uuid = payload.uuid
        guard let id = host.activations.begin(guid: payload.guid, operation: "maintenance", profile: nil, tenantId: tenantId) else {
            _ = await send(.error("Device \(uuid) maintenance failed. Another operation on this device is in progress."))
            return
        }
        func finish(_ succeeded: Bool, _ status: String) async {
            let report = ActivationStatusReport(status: status)
            host.finishActivation(id, succeeded: succeeded, message: report.json)
            _ = await send(succeeded ? .success(report) : .error(report.json))
        }
        if let rejection = await checkActivated(payload, password: password, force: force, tenantId: tenantId, operation: "maintenance") {
            host.finishActivation(id, succeeded: false, message: rejection)
            _ = await send(.error(rejection))
            return
        }
        guard let password, let store = host.store else { return }
        var tunnel = makeTunnel(payload, username: "admin", password: password)
        /// One call, logged; `nil` (after finishing with an error) when it failed.
        func call(_ step: ActivationStep, _ request: WSManRequest, method: String? = nil) async -> WSManEnvelope? {
            switch await tunnel.call(request) {
            case .reply(let envelope):
                let code = method.flatMap { envelope.returnValue(method: $0)?.code }
                if envelope.fault == nil, method == nil || code == 0 {
                    host.activations.log(id, ActivationStepResult(step: step, ok: true, detail: code.map { "ReturnValue \($0)" } ?? "ok"))
                    return envelope
                }
                host.activations.log(id, ActivationStepResult(step: step, ok: false, detail: envelope.fault?.reason ?? "ReturnValue \(code.map(String.init) ?? "missing")"))
                await finish(false, "Failed: \(step.rawValue)")
            case .failed(let failure):
                host.activations.log(id, ActivationStepResult(step: step, ok: false, detail: failure.message))
                await finish(false, "Failed: \(step.rawValue): \(failure.message)")
            case .aborted(let why, let protocolError):
                host.activations.log(id, ActivationStepResult(step: step, ok: false, detail: why))
                host.finishActivation(id, succeeded: false, message: why)
                if let protocolError { _ = await send(.error(protocolError.message)) }
            }
            return nil
        }
        switch task {
        case .syncClock:
            guard let read = await call(.readClock, AMTSetupRequests.getLowAccuracyTimeSynch(messageID: "0")) else { return }
            guard let ta0 = read.instance()?.int("Ta0") else { return await finish(false, "Failed: the device sent no Ta0") }
            let now = Int(Date().timeIntervalSince1970)
            guard await call(.setClock, AMTSetupRequests.setHighAccuracyTimeSynch(ta0: ta0, tm1: now, tm2: now, messageID: "1"),
                             method: "SetHighAccuracyTimeSynch") != nil else { return }
            await finish(true, "Time Synchronized")
        case .changePassword(let requested):
            guard let settings = await call(.readGeneralSettings, AMTSetupRequests.generalSettings(messageID: "0")) else { return }
            guard let realm = settings.instance()?.string("DigestRealm"), ActivationMachine.isValidRealm(realm) else {
                return await finish(false, "Not a valid digest realm.")
            }
            let newPassword = requested ?? RandomPassword.make()
            guard RandomPassword.isStrong(newPassword), newPassword.count <= 32 else {
                return await finish(false, "The new AMT password must have upper and lower case letters, a digit and a special character")
            }
            guard await call(.setAdminACL, AMTSetupRequests.setAdminACLEntryEx(realm: realm, password: newPassword, messageID: "1"),
                             method: "SetAdminACLEntryEx") != nil else { return }
            do {
                try await store.devices.updateSecrets(
                    guid: payload.guid, tenantId: tenantId, changes: DeviceSecretChanges(amtPassword: .set(Secret(newPassword))))
            } catch {
                host.activations.log(id, ActivationStepResult(step: .saveDevice, ok: false, detail: "\(error)"))
                return await finish(false, "Password changed in AMT but not stored: \(error)")
            }
            host.activations.log(id, ActivationStepResult(step: .saveDevice, ok: true, detail: "new AMT password sealed"))
            await finish(true, "Password changed")
        case .syncHostname:
            guard let name = payload.hostnameInfo?.hostname ?? payload.hostname, !name.isEmpty else {
                return await finish(false, "host name was not provided")
            }
            guard let settings = await call(.readGeneralSettings, AMTSetupRequests.generalSettings(messageID: "0")),
                  let instance = settings.instance() else { return }
            if instance.string("HostName") == name { return await finish(true, "host name already synchronized") }
            guard await call(.writeHostName, AMTSetupRequests.putHostName(instance, hostname: name, messageID: "1")) != nil else { return }
            if var device = try? await store.devices.get(guid: payload.guid, tenantId: tenantId) {
                device.hostname = name
                _ = try? await store.devices.update(device)
            }
            await finish(true, "Host name synchronized")
        case .syncIP:
            await syncIP(payload, tenantId: tenantId, store: store, call: { step, request in await call(step, request) }, finish: finish)
        case .syncDeviceInfo:
            await syncDeviceInfo(payload, tenantId: tenantId, store: store, id: id, finish: finish)
        }
    }

    private func makeTunnel(_ payload: DevicePayload, username: String, password: String) -> ActivationTunnel {
        ActivationTunnel(
            inbox: inbox, send: send, uuid: payload.uuid, username: username, password: password,
            roundTripTimeout: settings.roundTripTimeout, maxReplyBytes: settings.maxMessageBytes)
    }
}

/// Limits of the `/activate` endpoint.
public struct ActivationSettings: Sendable {
    /// The path the websocket answers on.
    public var path = "/activate"
    /// Text messages larger than this are refused (RPS: 102400 bytes).
    public var maxMessageBytes = 102_400
    /// How long a client may take to send its request after connecting.
    public var firstMessageTimeout: Duration = .seconds(30)
    /// Each WS-Man round trip through the client (RPS's `delay_timer`: 12 s).
    public var roundTripTimeout: Duration = .seconds(12)

    public init() {}
}
