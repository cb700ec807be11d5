import CIRA
import Foundation
import PluginHost
import Store

extension TetherHost {
    /// Registers `ciraconfigs.*`, `profiles.*`, `domains.*` and `devices.*` (see `Admin/`). Runs
    /// before plugins load; handlers look policy plugins up when they run.
    func registerAdminCommands() {
        registerCIRAConfigCommands()
        registerProfileCommands()
        registerDomainCommands()
        registerDeviceCommands()
        registerWirelessConfigCommands()
        registerIEEE8021xConfigCommands()
    }

    /// Registers a device that presented the credentials of a CIRA config allowing
    /// self-registration: same username and (constant-time compared) static password. The device
    /// gets that username and password and the config's tenant. False = not registered.
    func selfRegistration(_ request: CIRAAuthRequest, gate: SelfRegistrationGate) async -> Bool {
        guard let store else { return false }
        let candidates: [(config: CIRAConfig, password: Secret)]
        do {
            candidates = try await store.ciraConfigs.selfRegistrationCandidates(username: request.username)
        } catch {
            logger.error("self-registration lookup failed", metadata: ["guid": "\(request.guid)", "error": "\(error)"])
            return false
        }
        // Compare against every candidate so the time taken does not reveal which one matched.
        var match: CIRAConfig?
        for candidate in candidates where ConstantTime.equal(candidate.password.reveal(), request.password) {
            if match == nil { match = candidate.config }
        }
        guard let config = match else { return false }
        do {
            let registered = try await store.devices.count(tenantId: config.tenantId, mpsUsername: config.username)
            if let refusal = gate.refusal(for: config, registeredDevices: registered) {
                guard gate.shouldReport(refusalFor: config) else { return false }
                logger.warning(
                    "self-registration refused: \(refusal)",
                    metadata: ["guid": "\(request.guid)", "ciraConfig": "\(config.configName)", "remote": "\(request.remoteAddress)"])
                try await store.audit.append(
                    AuditEvent(
                        tenantId: config.tenantId, actor: "cira:\(request.remoteAddress)", action: "device.self-register.refused",
                        target: request.guid, detail: refusal))
                return false
            }
            gate.record(config)
            // The standalone flow: a device activated with a profile that uses this CIRA config
            // carries that profile's static AMT password, so the host can manage it at once.
            let activation = try await activationDefaults(for: config, in: store)
            let device = Device(
                guid: request.guid, tags: activation.tags, mpsUsername: config.username, tenantId: config.tenantId)
            try await store.devices.create(
                device, secrets: DeviceSecrets(mpsPassword: Secret(request.password), amtPassword: activation.amtPassword))
            try await store.audit.append(
                AuditEvent(
                    tenantId: config.tenantId, actor: "cira:\(request.remoteAddress)", action: "device.self-register",
                    target: request.guid, detail: "CIRA config \(config.configName)"))
            publishEvent("device.created", guid: request.guid, tenantId: config.tenantId, fields: ["guid": .string(request.guid.lowercased()), "selfRegistered": true])
            logger.info(
                "device registered itself", metadata: ["guid": "\(request.guid)", "ciraConfig": "\(config.configName)", "remote": "\(request.remoteAddress)"])
            return true
        } catch {
            logger.error("self-registration failed", metadata: ["guid": "\(request.guid)", "error": "\(error)"])
            return false
        }
    }

    /// The AMT password and tags a self-registering device inherits: those of the profiles that
    /// use `config`, when they agree on one static AMT password (random passwords are per device
    /// and unknown here).
    private func activationDefaults(
        for config: CIRAConfig, in store: TetherStore
    ) async throws -> (amtPassword: Secret?, tags: [String]) {
        var passwords = Set<Secret>()
        var tags: [String] = []
        var skip = 0
        while true {
            let page = try await store.profiles.list(tenantId: config.tenantId, page: PageRequest(top: 100, skip: skip))
            for profile in page.items where profile.ciraConfigName?.lowercased() == config.configName.lowercased() {
                tags += profile.tags.filter { !tags.contains($0) }
                if !profile.generateRandomPassword, let password = try await store.profiles.secrets(
                    profileName: profile.profileName, tenantId: profile.tenantId).amtPassword
                {
                    passwords.insert(password)
                }
            }
            skip += page.items.count
            if page.items.isEmpty || skip >= page.totalCount { break }
        }
        return (passwords.count == 1 ? passwords.first : nil, tags)
    }
}
