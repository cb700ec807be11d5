import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// `wirelessconfigs.create|get|list|update|delete` (RPS `/api/v1/admin/wirelessconfigs`).
    /// The PSK passphrase is sealed and write-only.
    static let wirelessConfigCommands = NamedRecordCommands<WirelessConfig>(
        prefix: "wirelessconfigs", noun: "Wireless profile", auditName: "wirelessconfig",
        get: { store, name, tenant in try await store.wirelessConfigs.get(profileName: name, tenantId: tenant) },
        list: { store, tenant, page in try await store.wirelessConfigs.list(tenantId: tenant, page: page) },
        delete: { store, name, tenant in try await store.wirelessConfigs.delete(profileName: name, tenantId: tenant) },
        name: \.profileName, version: \.version, json: AdminJSON.wirelessConfig,
        save: { host, args, isUpdate in try await host.saveWirelessConfig(args, isUpdate: isUpdate) })

    func registerWirelessConfigCommands() { registerNamedRecordCommands(Self.wirelessConfigCommands) }

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
            saved = try await Self.wirelessConfigCommands.update(store, name: name, args: args) { current in
                config.profileName = current.profileName
                config.version = current.version
                if draft.pskValue.isAbsent { config.pskValue = current.pskValue }
                if draft.linkPolicy.isAbsent { config.linkPolicy = current.linkPolicy }
                let change: SecretChange = passphrase.map { .set($0) } ?? (method.usesPSK ? .keep : .clear)
                return try await store.wirelessConfigs.update(config, pskPassphrase: change)
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
