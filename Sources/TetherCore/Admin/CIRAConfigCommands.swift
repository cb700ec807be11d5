import Foundation
import PluginHost
import Store
import TetherJSON
import TetherTLS

extension TetherHost {
    /// `ciraconfigs.create|get|list|update|delete` (RPS `/api/v1/admin/ciraconfigs`).
    func registerCIRAConfigCommands() {
        registerAdmin("ciraconfigs.create", "Create a CIRA config (Open AMT body; mpsRootCertificate defaults to this host's root)") { host, args in
            host.coverServerNames(ofCIRAConfig: try await host.createCIRAConfig(args))
        }
        registerAdmin("ciraconfigs.get", "One CIRA config: {configName}") { host, args in
            let name = try args.requiredKey("configName", command: "ciraconfigs.get")
            return AdminJSON.ciraConfig(try await host.adminStore().ciraConfigs.get(configName: name, tenantId: args.tenantId))
        }
        registerAdmin("ciraconfigs.list", "CIRA configs: {$top, $skip, $count}") { host, args in
            let paging = try AdminPaging(args)
            let page = try await host.adminStore().ciraConfigs.list(tenantId: args.tenantId, page: paging.page)
            return paging.result(page, AdminJSON.ciraConfig)
        }
        registerAdmin("ciraconfigs.update", "Change a CIRA config: {configName, version, …changed fields}") { host, args in
            host.coverServerNames(ofCIRAConfig: try await host.updateCIRAConfig(args))
        }
        registerAdmin("ciraconfigs.delete", "Delete a CIRA config that no profile uses: {configName}") { host, args in
            let store = try host.adminStore()
            let name = try args.requiredKey("configName", command: "ciraconfigs.delete")
            let current = try await store.ciraConfigs.get(configName: name, tenantId: args.tenantId)
            try await store.ciraConfigs.delete(configName: current.configName, tenantId: args.tenantId)
            try await host.recordAudit(store, action: "ciraconfig.delete", target: current.configName, args: args, tenantId: args.tenantId)
            return ["deleted": .string(current.configName)]
        }
    }

    /// Reads the draft; a wrong JSON type becomes a value that fails the field's own rule
    /// (e.g. `mpsPort: "wrong"` → the range message, as RPS answers).
    private func ciraDraft(_ args: AdminArguments, errors: inout [FieldError]) -> CIRAConfigDraft {
        func int(_ key: String) -> Int? {
            switch args.int(key) {
            case .value(let value): return value
            case .wrongType: return -1
            case .absent, .null: return nil
            }
        }
        func text(_ key: String) -> String? {
            if case .wrongType = args.string(key) { errors.append(FieldError(field: key, message: "\(key) must be a string")) }
            return args.text(key)
        }
        return CIRAConfigDraft(
            configName: text("configName"), mpsServerAddress: text("mpsServerAddress"),
            serverAddressFormat: int("serverAddressFormat"), mpsPort: int("mpsPort"), username: text("username"),
            password: text("password"), commonName: text("commonName"), authMethod: int("authMethod"),
            mpsRootCertificate: text("mpsRootCertificate"), proxyDetails: text("proxyDetails"))
    }

    private func selfRegistrationFlag(_ args: AdminArguments, errors: inout [FieldError]) -> Bool? {
        switch args.bool("allowSelfRegistration") {
        case .value(let flag): return flag
        case .wrongType:
            errors.append(FieldError(field: "allowSelfRegistration", message: "allowSelfRegistration must be a boolean"))
            return nil
        case .absent, .null: return nil
        }
    }

    private static let selfRegistrationNeedsPassword = FieldError(
        field: "allowSelfRegistration", message: "Self-registration needs a static MPS password (password)")

    func createCIRAConfig(_ args: AdminArguments) async throws -> JSONValue {
        let store = try adminStore()
        var errors: [FieldError] = []
        var draft = ciraDraft(args, errors: &errors)
        if draft.mpsRootCertificate == nil, !args.has("mpsRootCertificate") || args.members["mpsRootCertificate"] == .null {
            draft.mpsRootCertificate = try certificateAuthority?.rootCertificateDERBase64
        }
        let allowSelfRegistration = selfRegistrationFlag(args, errors: &errors) ?? false
        errors = CIRAConfigValidator(requireParsableRootCertificate: false).validateCreate(draft) + errors
        if allowSelfRegistration, draft.password == nil { errors.append(Self.selfRegistrationNeedsPassword) }
        guard errors.isEmpty, let name = draft.configName, let address = draft.mpsServerAddress,
              let format = draft.serverAddressFormat.flatMap(ServerAddressFormat.init(rawValue:)),
              let port = draft.mpsPort, let username = draft.username,
              let auth = draft.authMethod.flatMap(CIRAAuthMethod.init(rawValue:)), let root = draft.mpsRootCertificate
        else { throw AdminErrors.validation(errors, what: "CIRA config") }
        let config = CIRAConfig(
            configName: name, mpsServerAddress: address, serverAddressFormat: format, mpsPort: port, username: username,
            commonName: draft.commonName, authMethod: auth, mpsRootCertificate: root, proxyDetails: draft.proxyDetails,
            tenantId: args.tenantId, allowSelfRegistration: allowSelfRegistration)
        let created = try await store.ciraConfigs.create(config, password: draft.password.map(Secret.init))
        try await recordAudit(
            store, action: "ciraconfig.create", target: created.configName, args: args, tenantId: created.tenantId,
            detail: "mps \(created.mpsServerAddress):\(created.mpsPort) user \(created.username)"
                + (draft.password != nil ? ", static password set" : "") + (allowSelfRegistration ? ", self-registration on" : ""))
        return AdminJSON.ciraConfig(created)
    }

    func updateCIRAConfig(_ args: AdminArguments) async throws -> JSONValue {
        let store = try adminStore()
        var errors: [FieldError] = []
        let draft = ciraDraft(args, errors: &errors)
        let flag = selfRegistrationFlag(args, errors: &errors)
        errors = CIRAConfigValidator(requireParsableRootCertificate: false).validateUpdate(draft) + errors
        if !errors.isEmpty { throw AdminErrors.validation(errors, what: "CIRA config") }
        let current = try await store.ciraConfigs.get(configName: draft.configName ?? "", tenantId: args.tenantId)
        guard let version = args.version, version == current.version else {
            throw AdminErrors.staleVersion(
                "CIRA Config \(current.configName) is at version \(current.version); send that version to update it",
                current: AdminJSON.ciraConfig(current), version: current.version)
        }
        var config = current
        if let value = draft.mpsServerAddress { config.mpsServerAddress = value }
        if let value = draft.serverAddressFormat.flatMap(ServerAddressFormat.init(rawValue:)) { config.serverAddressFormat = value }
        if let value = draft.mpsPort { config.mpsPort = value }
        if let value = draft.username { config.username = value }
        if let value = draft.commonName { config.commonName = value }
        if let value = draft.authMethod.flatMap(CIRAAuthMethod.init(rawValue:)) { config.authMethod = value }
        if let value = draft.mpsRootCertificate { config.mpsRootCertificate = value }
        if let value = draft.proxyDetails { config.proxyDetails = value }
        if let flag { config.allowSelfRegistration = flag }
        if config.allowSelfRegistration, draft.password == nil, !current.hasStaticPassword {
            throw AdminErrors.validation([Self.selfRegistrationNeedsPassword], what: "CIRA config")
        }
        let updated: CIRAConfig
        do {
            updated = try await store.ciraConfigs.update(config, password: draft.password.map { .set(Secret($0)) } ?? .keep)
        } catch StoreError.conflict {
            let now = try await store.ciraConfigs.get(configName: current.configName, tenantId: args.tenantId)
            throw AdminErrors.staleVersion(
                "CIRA Config \(now.configName) was changed concurrently; current version is \(now.version)",
                current: AdminJSON.ciraConfig(now), version: now.version)
        }
        let changed = args.members.keys.filter { !["configName", "version", "tenantId", "actor", "password"].contains($0) }.sorted()
        try await recordAudit(
            store, action: "ciraconfig.update", target: updated.configName, args: args, tenantId: updated.tenantId,
            detail: "fields: \(changed.joined(separator: ","))" + (draft.password != nil ? ", static password changed" : ""))
        return AdminJSON.ciraConfig(updated)
    }
}
