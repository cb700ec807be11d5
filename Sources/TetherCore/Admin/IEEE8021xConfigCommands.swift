import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// `ieee8021xconfigs.create|get|list|update|delete` (RPS `/api/v1/admin/ieee8021xconfigs`).
    /// The optional password is sealed and write-only.
    static let ieee8021xConfigCommands = NamedRecordCommands<IEEE8021xConfig>(
        prefix: "ieee8021xconfigs", noun: "802.1x profile", auditName: "ieee8021xconfig",
        get: { store, name, tenant in try await store.ieee8021xConfigs.get(profileName: name, tenantId: tenant) },
        list: { store, tenant, page in try await store.ieee8021xConfigs.list(tenantId: tenant, page: page) },
        delete: { store, name, tenant in try await store.ieee8021xConfigs.delete(profileName: name, tenantId: tenant) },
        name: \.profileName, version: \.version, json: AdminJSON.ieee8021xConfig,
        save: { host, args, isUpdate in try await host.saveIEEE8021xConfig(args, isUpdate: isUpdate) })

    func registerIEEE8021xConfigCommands() { registerNamedRecordCommands(Self.ieee8021xConfigCommands) }

    private func ieee8021xDraft(_ args: AdminArguments) -> IEEE8021xConfigDraft {
        var draft = IEEE8021xConfigDraft()
        draft.profileName = args.draftString("profileName")
        draft.authenticationProtocol = args.draftInt("authenticationProtocol")
        draft.serverName = args.draftString("serverName")
        draft.domain = args.draftString("domain")
        draft.username = args.draftString("username")
        draft.password = args.draftString("password")
        draft.roamingIdentity = args.draftString("roamingIdentity")
        draft.activeInS0 = args.draftBool("activeInS0")
        draft.pxeTimeout = args.draftInt("pxeTimeout")
        draft.wiredInterface = args.draftBool("wiredInterface")
        draft.hasVersion = args.version != nil
        return draft
    }

    /// Create or update (a full replacement, as RPS's PATCH; an omitted password is kept):
    /// body errors (400), then the lookup (404), then the version (409).
    func saveIEEE8021xConfig(_ args: AdminArguments, isUpdate: Bool) async throws -> JSONValue {
        let store = try adminStore()
        let draft = ieee8021xDraft(args)
        let errors = IEEE8021xConfigValidator().validate(draft, isUpdate: isUpdate)
        guard errors.isEmpty, let name = draft.profileName.value,
              let method = draft.authenticationProtocol.value.flatMap(EAPMethod.init(rawValue:)),
              let wired = draft.wiredInterface.value
        else { throw AdminErrors.validation(errors, what: "802.1x config") }
        var config = IEEE8021xConfig(
            profileName: name, authenticationProtocol: method, serverName: draft.serverName.value,
            domain: draft.domain.value, username: draft.username.value, roamingIdentity: draft.roamingIdentity.value,
            activeInS0: draft.activeInS0.value, pxeTimeout: draft.pxeTimeout.value, wiredInterface: wired,
            tenantId: args.tenantId)
        let password = draft.password.value.map(Secret.init)
        let saved: IEEE8021xConfig
        if isUpdate {
            saved = try await Self.ieee8021xConfigCommands.update(store, name: name, args: args) { current in
                config.profileName = current.profileName
                config.version = current.version
                return try await store.ieee8021xConfigs.update(config, password: password.map { .set($0) } ?? .keep)
            }
        } else {
            saved = try await store.ieee8021xConfigs.create(config, password: password)
        }
        try await recordAudit(
            store, action: isUpdate ? "ieee8021xconfig.update" : "ieee8021xconfig.create", target: saved.profileName,
            args: args, tenantId: saved.tenantId,
            detail: "\(saved.wiredInterface ? "wired" : "wireless"), protocol \(saved.authenticationProtocol.rawValue)"
                + (password != nil ? ", password set" : ""))
        return AdminJSON.ieee8021xConfig(saved)
    }
}
