import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// `wirelessconfigs.create|get|list|update|delete` (RPS `/api/v1/admin/wirelessconfigs`).
    /// The PSK passphrase is sealed and write-only.
    func registerWirelessConfigCommands() {
        registerAdmin("wirelessconfigs.create", "Create a Wi-Fi profile (Open AMT body; pskPassphrase sealed)") { host, args in
            try await host.saveWirelessConfig(args, isUpdate: false)
        }
        registerAdmin("wirelessconfigs.get", "One Wi-Fi profile: {profileName}") { host, args in
            let name = try args.requiredKey("profileName", command: "wirelessconfigs.get")
            return AdminJSON.wirelessConfig(try await host.adminStore().wirelessConfigs.get(profileName: name, tenantId: args.tenantId))
        }
        registerAdmin("wirelessconfigs.list", "Wi-Fi profiles: {$top, $skip, $count}") { host, args in
            let paging = try AdminPaging(args)
            let page = try await host.adminStore().wirelessConfigs.list(tenantId: args.tenantId, page: paging.page)
            return paging.result(page, AdminJSON.wirelessConfig)
        }
        registerAdmin("wirelessconfigs.update", "Replace a Wi-Fi profile: {profileName, version, …}") { host, args in
            try await host.saveWirelessConfig(args, isUpdate: true)
        }
        registerAdmin("wirelessconfigs.delete", "Delete a Wi-Fi profile no AMT profile links to: {profileName}") { host, args in
            let store = try host.adminStore()
            let name = try args.requiredKey("profileName", command: "wirelessconfigs.delete")
            let current = try await store.wirelessConfigs.get(profileName: name, tenantId: args.tenantId)
            try await store.wirelessConfigs.delete(profileName: current.profileName, tenantId: args.tenantId)
            try await host.recordAudit(store, action: "wirelessconfig.delete", target: current.profileName, args: args, tenantId: args.tenantId)
            return ["deleted": .string(current.profileName)]
        }
    }

    private func wirelessDraft(_ args: AdminArguments) -> WirelessConfigDraft {
        var draft = WirelessConfigDraft()
        draft.profileName = args.draftString("profileName")
        draft.authenticationMethod = args.draftInt("authenticationMethod")
        draft.encryptionMethod = args.draftInt("encryptionMethod")
        draft.ssid = args.draftString("ssid")
        draft.pskPassphrase = args.draftString("pskPassphrase")
        draft.pskValue = args.draftInt("pskValue")
        draft.linkPolicy = args.draftIntArray("linkPolicy")
        draft.ieee8021xProfileName = args.draftString("ieee8021xProfileName")
        draft.hasVersion = args.version != nil
        return draft
    }

    /// Create or update: the body is validated first (400), then the record is looked up (404),
    /// then the version checked (409), as RPS orders them.
    func saveWirelessConfig(_ args: AdminArguments, isUpdate: Bool) async throws -> JSONValue {
        let store = try adminStore()
        let draft = wirelessDraft(args)
        var reference = WirelessConfigValidator.Reference.none
        var ieee: IEEE8021xConfig?
        if let name = draft.ieee8021xProfileName.value, !name.isEmpty {
            ieee = try await store.ieee8021xConfigs.find(profileName: name, tenantId: args.tenantId)
            reference = ieee.map { .found(wired: $0.wiredInterface) } ?? .missing
        }
        var stored: WirelessConfig?
        if isUpdate, let name = draft.profileName.value, !name.isEmpty {
            stored = try? await store.wirelessConfigs.get(profileName: name, tenantId: args.tenantId)
        }
        let errors = WirelessConfigValidator().validate(
            draft, reference: reference, isUpdate: isUpdate, hasStoredPassphrase: stored?.hasPSKPassphrase ?? false)
        guard errors.isEmpty, let name = draft.profileName.value,
              let method = draft.authenticationMethod.value.flatMap(WirelessAuthenticationMethod.init(rawValue:)),
              let encryption = draft.encryptionMethod.value.flatMap(WirelessEncryptionMethod.init(rawValue:)),
              let ssid = draft.ssid.value
        else { throw AdminErrors.validation(errors, what: "Wi-Fi profile") }

        var config = WirelessConfig(
            profileName: name, authenticationMethod: method, encryptionMethod: encryption, ssid: ssid,
            pskValue: draft.pskValue.value, linkPolicy: draft.linkPolicy.value?.compactMap { $0 } ?? [],
            ieee8021xProfileName: method.usesIEEE8021x ? ieee?.profileName : nil, tenantId: args.tenantId)
        let passphrase = method.usesPSK ? draft.pskPassphrase.value.map(Secret.init) : nil
        let saved: WirelessConfig
        if isUpdate {
            let current = try await store.wirelessConfigs.get(profileName: name, tenantId: args.tenantId)
            guard let version = args.version, version == current.version else {
                throw AdminErrors.staleVersion(
                    "Wireless profile \(current.profileName) is at version \(current.version); send that version to update it",
                    current: AdminJSON.wirelessConfig(current), version: current.version)
            }
            config.profileName = current.profileName
            config.version = version
            if draft.pskValue.isAbsent { config.pskValue = current.pskValue }
            if draft.linkPolicy.isAbsent { config.linkPolicy = current.linkPolicy }
            let change: SecretChange = passphrase.map { .set($0) } ?? (method.usesPSK ? .keep : .clear)
            do {
                saved = try await store.wirelessConfigs.update(config, pskPassphrase: change)
            } catch StoreError.conflict {
                let now = try await store.wirelessConfigs.get(profileName: name, tenantId: args.tenantId)
                throw AdminErrors.staleVersion(
                    "Wireless profile \(now.profileName) was changed concurrently; current version is \(now.version)",
                    current: AdminJSON.wirelessConfig(now), version: now.version)
            }
        } else {
            saved = try await store.wirelessConfigs.create(config, pskPassphrase: passphrase)
        }
        try await recordAudit(
            store, action: isUpdate ? "wirelessconfig.update" : "wirelessconfig.create", target: saved.profileName,
            args: args, tenantId: saved.tenantId,
            detail: "ssid \(saved.ssid), method \(saved.authenticationMethod.rawValue)"
                + (passphrase != nil ? ", PSK passphrase set" : ""))
        return AdminJSON.wirelessConfig(saved)
    }
}
