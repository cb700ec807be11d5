import Activation
import Foundation
import PluginHost
import Store
import TetherJSON
import TetherTLS
import WSMan

/// Activation (RPC ⇄ RPS): the `/activate` websocket is served by the host on its HTTP(S)
/// listener, not by a front-end plugin, because the host owns what activation touches — the
/// device's secrets, the store, WS-Man framing and digest auth, the CIRA server certificate —
/// and the `tether.frontend.http/1` request/reply ABI has no websocket upgrade. The rules of
/// each mode come from the profile-policy plugins (they normalised the stored profile); the
/// host executes them with ``ActivationMachine``.
extension TetherHost {
    /// The `/activate` websocket served on the HTTP(S) listeners.
    var activationEndpoint: ActivationEndpoint {
        ActivationEndpoint(host: self, settings: ActivationSettings(), logger: logger)
    }

    /// Ends activation record `id` and raises `activation.finished` (`id`, `operation`,
    /// `profile`, `result` succeeded|failed, `message`) for event subscribers. Never a secret:
    /// the message is the report sent to the device's RPC client.
    func finishActivation(_ id: String, succeeded: Bool, message: String) {
        activations.finish(id, succeeded: succeeded, message: message)
        guard let record = activations.record(id) else { return }
        var fields: [String: JSONValue] = [
            "id": .string(id), "operation": .string(record.operation), "result": succeeded ? "succeeded" : "failed",
            "message": .string(message),
        ]
        if let profile = record.profile { fields["profile"] = .string(profile) }
        publishEvent("activation.finished", guid: record.guid, tenantId: record.tenantId, fields: fields)
    }

    /// The `activations.*` commands.
    func registerActivationCommands() {
        bus.register(
            name: "activations.list", summary: "Activations, newest first: {guid?, limit?} → [{id, guid, state, steps…}]",
            provider: "host"
        ) { [weak self] args in
            guard let self else { throw CommandError(.unavailable, "the host is shutting down") }
            let guid = args["guid"]?.stringValue?.lowercased()
            let limit = args["limit"]?.intValue ?? 100
            guard (1...10_000).contains(limit) else { throw CommandError(.badRequest, "limit must be 1–10000") }
            return .array(self.activations.records(guid: guid, limit: limit).map(\.json))
        }
        bus.register(
            name: "activations.get", summary: "One activation and its step log: {id}", provider: "host"
        ) { [weak self] args in
            guard let self else { throw CommandError(.unavailable, "the host is shutting down") }
            guard let id = args["id"]?.stringValue else { throw CommandError(.badRequest, "activations.get needs {\"id\": string}") }
            guard let record = self.activations.record(id) else {
                throw CommandError(.notFound, "no activation \(id)")
            }
            return record.json
        }
    }

    /// Checks an `activate` request in RPS's order (shared/reference/rps.md §6.6, §3) and builds its plan.
    func prepareActivation(
        _ payload: DevicePayload, profileName: String, tenantId: String
    ) async throws(ActivationRejection) -> PreparedActivation {
        let uuid = payload.uuid
        try Self.checkFirmwareVersion(payload, operation: "activation")
        guard let devicePassword = payload.password, !devicePassword.isEmpty else {
            throw ActivationRejection("Device \(uuid) activation failed. Missing password.")
        }
        guard let store else { throw ActivationRejection("Device \(uuid) activation failed. The store is not open.") }
        let profile: Profile
        do {
            profile = try await store.profiles.get(profileName: profileName, tenantId: tenantId)
        } catch {
            throw ActivationRejection("Device \(uuid) activation failed. \(profileName) does not match list of available AMT profiles.")
        }
        let mode = payload.currentMode ?? 0
        var note: String?
        var rekey = false
        /// CCM → ACM (rps.md §6.8): the stored password is checked as for a re-key.
        var upgrade = false
        switch (mode, profile.activation) {
        case (0, _): break
        case (1, .ccm):
            note = "already enabled in client mode."
            rekey = true
        case (1, .acm):
            upgrade = true
        case (2, .ccm):
            throw ActivationRejection("Device \(uuid) already enabled in admin control mode.")
        case (2, .acm):
            note = "already enabled in admin mode."
            rekey = true
        default:
            throw ActivationRejection("Device \(uuid) activation failed. It is in unknown mode.")
        }
        if rekey || upgrade {
            let stored = try? await store.devices.secrets(guid: payload.guid, tenantId: profile.tenantId).amtPassword
            if let stored, !ConstantTime.equal(stored.reveal(), devicePassword) {
                throw ActivationRejection("AMT password DOES NOT match stored version for Device \(uuid)")
            }
        }
        let secrets: ProfileSecrets
        do {
            secrets = try await store.profiles.secrets(profileName: profile.profileName, tenantId: tenantId)
        } catch {
            throw ActivationRejection("Device \(uuid) activation failed. Failed to get amt profile from database")
        }
        let adminPassword: String
        if profile.generateRandomPassword {
            adminPassword = RandomPassword.make()
        } else if let stored = secrets.amtPassword?.reveal(), !stored.isEmpty {
            adminPassword = stored
        } else {
            throw ActivationRejection("Device \(uuid) activation failed. password cannot be blank")
        }
        let kind: ActivationPlan.Kind
        var mebxPassword: String?
        if rekey {
            kind = .rekey
        } else if profile.activation == .acm {
            let chain = try await provisioningChain(for: payload, tenantId: tenantId)
            kind = upgrade ? .upgradeToAdmin(chain) : .adminControl(chain)
            if profile.generateRandomMEBxPassword {
                mebxPassword = RandomPassword.make()
            } else if let stored = secrets.mebxPassword?.reveal(), !stored.isEmpty {
                mebxPassword = stored
            } else {
                throw ActivationRejection("Device \(uuid) activation failed. mebx password cannot be blank")
            }
        } else {
            kind = .clientControl
        }
        var ciraConfig: CIRAConfig?
        var mpsPassword: String?
        var ciraPlan: CIRAWritePlan?
        if let name = profile.ciraConfigName {
            do {
                let config = try await store.ciraConfigs.get(configName: name, tenantId: profile.tenantId)
                let password = try await store.ciraConfigs.password(configName: name, tenantId: profile.tenantId)?.reveal()
                    ?? RandomPassword.make()
                try ensureServerCertificateCovers(Self.serverNames(
                    commonName: config.commonName, address: config.mpsServerAddress, isFQDN: config.serverAddressFormat == .fqdn))
                ciraConfig = config
                mpsPassword = password
                ciraPlan = CIRAWritePlan(
                    rootCertificate: config.mpsRootCertificate,
                    server: MPSServerSettings(
                        address: config.mpsServerAddress, addressFormat: config.serverAddressFormat.rawValue,
                        port: config.mpsPort, authMethod: config.authMethod.rawValue, username: config.username,
                        password: password,
                        commonName: config.serverAddressFormat == .ipv4 ? config.commonName : nil),
                    detectionDomains: ["\(UUID().uuidString.lowercased()).com"])
            } catch let rejection as ActivationRejection {
                throw rejection
            } catch {
                throw ActivationRejection("Device \(uuid) activation failed. Cannot load CIRA config \(name): \(error)")
            }
        }
        let network: NetworkPlan
        do {
            network = try await NetworkPlan.resolve(profile, store: store)
        } catch {
            throw ActivationRejection("Device \(uuid) activation failed. Cannot load the profile's wireless configs: \(error)")
        }
        var nonce = [UInt8](repeating: 0, count: 20)
        var generator = SystemRandomNumberGenerator()
        for index in nonce.indices { nonce[index] = UInt8.random(in: 0...255, using: &generator) }
        let plan = ActivationPlan(
            kind: kind, adminPassword: adminPassword, mebxPassword: mebxPassword, cira: ciraPlan, mcNonce: nonce,
            network: network, features: RedirectionFeatures(profile: profile))
        return PreparedActivation(
            plan: plan, initialUsername: rekey || upgrade ? "admin" : (payload.username ?? "$$OsAdmin"), initialPassword: devicePassword,
            profile: profile, ciraConfig: ciraConfig, mpsPassword: mpsPassword, note: note)
    }

    /// RPS's firmware checks: no remote configuration before AMT 7; some 7–11.6 builds below
    /// 3000 need an OEM update.
    static func checkFirmwareVersion(_ payload: DevicePayload, operation: String) throws(ActivationRejection) {
        let parts = payload.ver.split(separator: ".")
        let majorMinor = Double(parts.prefix(2).joined(separator: ".")) ?? 0
        if majorMinor < 7 {
            throw ActivationRejection(
                "Device \(payload.uuid) \(operation) failed. AMT version: \(payload.ver). Version less than 7 cannot be remotely configured ")
        }
        let needsBuild: Set<Double> = [7.0, 7.1, 8.0, 8.1, 9.0, 9.1, 9.5, 10.0, 11.0, 11.5, 11.6]
        if needsBuild.contains(majorMinor), (Int(payload.build) ?? 0) < 3000 {
            throw ActivationRejection("Device \(payload.uuid) \(operation) failed. Please check with your OEM for a firmware update.")
        }
    }

    /// Stores the activated device with its sealed AMT (and MEBx, MPS) passwords. Returns the
    /// error text on failure.
    func saveActivatedDevice(_ prepared: PreparedActivation, payload: DevicePayload) async -> String? {
        guard let store else { return "the store is not open" }
        let guid = payload.guid
        let tenantId = prepared.profile.tenantId
        let info = DeviceInfo(
            fwVersion: payload.ver, fwBuild: payload.build, fwSku: payload.sku,
            currentMode: prepared.profile.activation == .acm ? "2" : "1", features: payload.features,
            ipAddress: payload.ipConfiguration?.ipAddress, lastUpdated: Date())
        let secrets = DeviceSecrets(
            mpsPassword: prepared.mpsPassword.map(Secret.init), amtPassword: Secret(prepared.plan.adminPassword),
            mebxPassword: prepared.plan.mebxPassword.map(Secret.init))
        do {
            if var existing = try? await store.devices.get(guid: guid, tenantId: tenantId) {
                existing.hostname = payload.hostname ?? existing.hostname
                existing.friendlyName = payload.friendlyName ?? existing.friendlyName
                existing.dnsSuffix = payload.fqdn ?? existing.dnsSuffix
                existing.tags = prepared.profile.tags.isEmpty ? existing.tags : prepared.profile.tags
                existing.mpsUsername = prepared.ciraConfig?.username ?? existing.mpsUsername
                existing.deviceInfo = info
                _ = try await store.devices.update(existing)
                try await store.devices.updateSecrets(guid: guid, tenantId: tenantId, changes: DeviceSecretChanges(
                    mpsPassword: secrets.mpsPassword.map(SecretChange.set) ?? .keep, amtPassword: .set(Secret(prepared.plan.adminPassword)),
                    mebxPassword: secrets.mebxPassword.map(SecretChange.set) ?? .keep))
            } else {
                let device = Device(
                    guid: guid, hostname: payload.hostname, friendlyName: payload.friendlyName, dnsSuffix: payload.fqdn,
                    tags: prepared.profile.tags, mpsUsername: prepared.ciraConfig?.username, tenantId: tenantId, deviceInfo: info)
                _ = try await store.devices.create(device, secrets: secrets)
            }
            try await store.audit.append(AuditEvent(
                tenantId: tenantId, actor: "activation", action: "device.activate", target: guid,
                detail: "profile \(prepared.profile.profileName) (\(prepared.profile.activation.rawValue))"))
            return nil
        } catch {
            logger.error("activated device could not be stored", metadata: ["guid": "\(guid)", "error": "\(error)"])
            return "Failed to save device information: \(error)"
        }
    }

    /// The names a CIRA config needs in the server certificate: its Cert. Hostname (CN) and,
    /// for an FQDN server address, that address.
    static func serverNames(commonName: String?, address: String, isFQDN: Bool) -> [String] {
        [commonName, isFQDN ? address : nil].compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// After a CIRA config is created or changed (its JSON as returned): the server
    /// certificate is made to cover its names at once, so HTTPS and CIRA clients checking the
    /// name see it before any activation. A failure is logged (the next activation retries).
    func coverServerNames(ofCIRAConfig config: JSONValue) -> JSONValue {
        guard let address = config["mpsServerAddress"]?.stringValue else { return config }
        let names = Self.serverNames(
            commonName: config["commonName"]?.stringValue, address: address,
            isFQDN: config["serverAddressFormat"]?.intValue == ServerAddressFormat.fqdn.rawValue)
        do {
            try ensureServerCertificateCovers(names)
        } catch {
            logger.error("cannot re-issue the server certificate", metadata: ["names": "\(names)", "error": "\(error)"])
        }
        return config
    }

    /// Makes the CIRA server certificate valid for every name in `names` (a CIRA config's
    /// common name, an FQDN server address): missing ones are added as subjectAltNames and the
    /// certificate is re-issued from the same root, saved, and used for new CIRA and HTTPS
    /// (`/activate` over wss included) connections at once — no restart.
    func ensureServerCertificateCovers(_ names: [String]) throws {
        try certificateRenewal.withLock { _ in
            guard let authority = certificateAuthority, let store else { return }
            let missing = names.filter { !authority.serverCertificateCovers($0) }
            guard !missing.isEmpty else { return }
            let renewed = try authority.coveringAdditionalNames(missing)
            let directory = URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("certs")
            try CertificateStore(directory: directory, sealer: store.sealer).save(renewed)
            let tls = try TLSContext(
                configuration: .server(
                    profile: .legacy, certificateChainPEM: renewed.serverCertificateChainPEM,
                    privateKeyPEM: renewed.serverPrivateKeyPEM, requestClientCertificate: true))
            let https = try TLSContext(
                configuration: .server(
                    profile: .modern, certificateChainPEM: renewed.serverCertificateChainPEM,
                    privateKeyPEM: renewed.serverPrivateKeyPEM))
            let httpsTLS = running.withLock { state -> ServerTLS? in
                state.authority = renewed
                return state.http?.https?.tls
            }
            ciraServer?.replaceTLSContext(tls)
            httpsTLS?.replace(https)
            logger.info("re-issued the server certificate", metadata: ["names": "\(renewed.serverCertificateNames.joined(separator: ","))"])
        }
    }
}

extension TetherHost {
    /// ACM prerequisites (shared/reference/rps.md §3, §4.5): certificate hashes and a DNS suffix from the
    /// device, a domain with that suffix, its PFX opened, the chain's root among the device's
    /// trusted hashes. Returns the chain (leaf → root) and its signer.
    func provisioningChain(for payload: DevicePayload, tenantId: String) async throws(ActivationRejection) -> ActivationPlan.ProvisioningChain {
        let uuid = payload.uuid
        guard let hashes = payload.certHashes, !hashes.isEmpty else {
            throw ActivationRejection("Device \(uuid) activation failed. Missing certificate hashes from the device.")
        }
        guard let suffix = payload.fqdn, !suffix.isEmpty else {
            throw ActivationRejection("Device \(uuid) activation failed. Missing DNS Suffix.")
        }
        guard let store else { throw ActivationRejection("Device \(uuid) activation failed. The store is not open.") }
        let domain: Domain?
        do {
            domain = try await store.domains.find(domainSuffix: suffix, tenantId: tenantId)
        } catch {
            throw ActivationRejection("Device \(uuid) activation failed. Failed to get amt domain certificate from database")
        }
        guard let domain else {
            throw ActivationRejection(
                "Device \(uuid) activation failed. Specified AMT domain suffix: \(suffix) does not match list of available AMT domain suffixes.")
        }
        let certificate: ProvisioningCertificate
        do {
            let secret = try await store.domains.provisioningCertificate(profileName: domain.profileName, tenantId: tenantId)
            certificate = try ProvisioningCertificate.open(pfxBase64: secret.pfxBase64.reveal(), password: secret.password.reveal())
        } catch {
            throw ActivationRejection("Device \(uuid) activation failed. Failed to extract domain certificate: \(error)")
        }
        let known = Set(hashes.map { $0.lowercased() })
        guard known.contains(certificate.rootSHA256) || known.contains(certificate.rootSHA1) else {
            throw ActivationRejection("Invalid domain certificate, hash does not exists in list of trusted root certificates on AMT")
        }
        return ActivationPlan.ProvisioningChain(certificates: certificate.certificatesBase64) { data in
            try? certificate.sign(data)
        }
    }
}
