import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// `ieee8021xconfigs.create|get|list|update|delete` (RPS `/api/v1/admin/ieee8021xconfigs`).
    /// The optional password is sealed and write-only.
    func registerIEEE8021xConfigCommands() {
        registerAdmin("ieee8021xconfigs.create", "Create an 802.1x config (Open AMT body; password sealed)") { host, args in
            try await host.saveIEEE8021xConfig(args, isUpdate: false)
        }
        registerAdmin("ieee8021xconfigs.get", "One 802.1x config: {profileName}") { host, args in
            let name = try args.requiredKey("profileName", command: "ieee8021xconfigs.get")
            return AdminJSON.ieee8021xConfig(try await host.adminStore().ieee8021xConfigs.get(profileName: name, tenantId: args.tenantId))
        }
        registerAdmin("ieee8021xconfigs.list", "802.1x configs: {$top, $skip, $count}") { host, args in
            let paging = try AdminPaging(args)
            let page = try await host.adminStore().ieee8021xConfigs.list(tenantId: args.tenantId, page: paging.page)
            return paging.result(page, AdminJSON.ieee8021xConfig)
        }
        registerAdmin("ieee8021xconfigs.update", "Replace an 802.1x config: {profileName, version, …}") { host, args in
            try await host.saveIEEE8021xConfig(args, isUpdate: true)
        }
        registerAdmin("ieee8021xconfigs.delete", "Delete an 802.1x config nothing links to: {profileName}") { host, args in
            let store = try host.adminStore()
            let name = try args.requiredKey("profileName", command: "ieee8021xconfigs.delete")
            let current = try await store.ieee8021xConfigs.get(profileName: name, tenantId: args.tenantId)
            try await store.ieee8021xConfigs.delete(profileName: current.profileName, tenantId: args.tenantId)
            try await host.recordAudit(store, action: "ieee8021xconfig.delete", target: current.profileName, args: args, tenantId: args.tenantId)
            return ["deleted": .string(current.profileName)]
        }
    }

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
            let current = try await store.ieee8021xConfigs.get(profileName: name, tenantId: args.tenantId)
            guard let version = args.version, version == current.version else {
                throw AdminErrors.staleVersion(
                    "802.1x profile \(current.profileName) is at version \(current.version); send that version to update it",
                    current: AdminJSON.ieee8021xConfig(current), version: current.version)
            }
            config.profileName = current.profileName
            config.version = version
            do {
                saved = try await store.ieee8021xConfigs.update(config, password: password.map { .set($0) } ?? .keep)
            } catch StoreError.conflict {
                let now = try await store.ieee8021xConfigs.get(profileName: name, tenantId: args.tenantId)
                throw AdminErrors.staleVersion(
                    "802.1x profile \(now.profileName) was changed concurrently; current version is \(now.version)",
                    current: AdminJSON.ieee8021xConfig(now), version: now.version)
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
