import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// `profiles.create|get|list|update|delete` (RPS `/api/v1/admin/profiles`). Mode-specific
    /// rules come from the profile-policy plugin of the profile's activation mode.
    func registerProfileCommands() {
        registerAdmin("profiles.create", "Create an AMT profile (Open AMT body; validated by the mode's policy plugin)") { host, args in
            try await host.saveProfile(args, stored: nil)
        }
        registerAdmin("profiles.get", "One AMT profile: {profileName}") { host, args in
            let name = try args.requiredKey("profileName", command: "profiles.get")
            return AdminJSON.profile(try await host.adminStore().profiles.get(profileName: name, tenantId: args.tenantId))
        }
        registerAdmin("profiles.list", "AMT profiles: {$top, $skip, $count}") { host, args in
            let paging = try AdminPaging(args)
            let page = try await host.adminStore().profiles.list(tenantId: args.tenantId, page: paging.page)
            return paging.result(page, AdminJSON.profile)
        }
        registerAdmin("profiles.update", "Change an AMT profile: {profileName, version, …changed fields}") { host, args in
            let name = try args.requiredKey("profileName", command: "profiles.update")
            let stored: Profile
            do {
                stored = try await host.adminStore().profiles.get(profileName: name, tenantId: args.tenantId)
            } catch StoreError.notFound(let entity, let missing) {
                // RPS validates the body before it looks the profile up, so a bad body for an
                // unknown profile is a 400 with the field errors, a good one a 404.
                let bodyErrors = ProfileInput(args, stored: nil, isUpdate: true).errors
                if !bodyErrors.isEmpty { throw AdminErrors.validation(ProfileInput.ordered(bodyErrors), what: "AMT profile") }
                throw StoreError.notFound(entity, name: missing)
            }
            return try await host.saveProfile(args, stored: stored)
        }
        registerAdmin("profiles.delete", "Delete an AMT profile: {profileName}") { host, args in
            let store = try host.adminStore()
            let name = try args.requiredKey("profileName", command: "profiles.delete")
            let current = try await store.profiles.get(profileName: name, tenantId: args.tenantId)
            try await store.profiles.delete(profileName: current.profileName, tenantId: args.tenantId)
            try await host.recordAudit(store, action: "profile.delete", target: current.profileName, args: args, tenantId: args.tenantId)
            return ["deleted": .string(current.profileName)]
        }
    }

    /// Create (`stored == nil`) or update: host rules, then the policy plugin, then the store.
    func saveProfile(_ args: AdminArguments, stored: Profile?) async throws -> JSONValue {
        let store = try adminStore()
        var input = ProfileInput(args, stored: stored)
        input.errors += try await ProfileLinks(store: store, tenantId: args.tenantId).check(&input.profile, isUpdate: stored != nil)
        var errors = input.errors
        var normalized = input.profile
        if let mode = input.mode {
            let policy = ProfilePolicyClient(plugins: plugins)
            let outcome = try await policy.validate(input.profile, mode: mode, operation: stored == nil ? "create" : "update")
            errors += outcome.errors
            normalized = outcome.profile
            if normalized["activation"]?.stringValue != mode.rawValue {
                throw CommandError(.pluginFailure, "the profile policy for \(mode.rawValue) changed the activation mode")
            }
        }
        if !errors.isEmpty { throw AdminErrors.validation(ProfileInput.ordered(errors), what: "AMT profile") }
        input.profile = normalized
        let (profile, amt, mebx) = try Self.profileRecord(normalized, stored: stored, tenantId: args.tenantId, version: args.version)
        let saved: Profile
        if let stored {
            do {
                saved = try await store.profiles.update(profile, amtPassword: amt, mebxPassword: mebx)
            } catch StoreError.conflict {
                let now = try await store.profiles.get(profileName: stored.profileName, tenantId: args.tenantId)
                throw AdminErrors.staleVersion(
                    "AMT profile \(now.profileName) is at version \(now.version); send that version to update it",
                    current: AdminJSON.profile(now), version: now.version)
            }
        } else {
            saved = try await store.profiles.create(profile, amtPassword: amt.secret, mebxPassword: mebx.secret)
        }
        try await recordAudit(
            store, action: stored == nil ? "profile.create" : "profile.update", target: saved.profileName, args: args,
            tenantId: saved.tenantId,
            detail: "activation \(saved.activation.rawValue)" + (saved.ciraConfigName.map { ", cira \($0)" } ?? "")
                + (amt.secret != nil ? ", static AMT password set" : "") + (mebx.secret != nil ? ", static MEBx password set" : ""))
        return AdminJSON.profile(saved)
    }

    /// Builds the record and the secret changes from the normalized profile.
    private static func profileRecord(
        _ json: [String: JSONValue], stored: Profile?, tenantId: String, version: Int?
    ) throws(CommandError) -> (Profile, SecretChange, SecretChange) {
        guard let name = json["profileName"]?.stringValue,
              let mode = json["activation"]?.stringValue.flatMap(ActivationMode.init(rawValue:))
        else { throw CommandError(.pluginFailure, "the profile policy returned a profile without profileName/activation") }
        var consent: UserConsent?
        if let raw = json["userConsent"]?.stringValue {
            guard let value = UserConsent(rawValue: raw) else {
                throw AdminErrors.validation([FieldError(field: "userConsent", message: "User consent must be one of None,All,KVM")], what: "AMT profile")
            }
            consent = value
        }
        let generateAMT = json["generateRandomPassword"]?.boolValue ?? false
        let generateMEBx = mode == .ccm ? false : (json["generateRandomMEBxPassword"]?.boolValue ?? false)
        let profile = Profile(
            profileName: name, activation: mode, generateRandomPassword: generateAMT,
            generateRandomMEBxPassword: generateMEBx, ciraConfigName: json["ciraConfigName"]?.stringValue,
            tlsMode: json["tlsMode"]?.intValue, tlsSigningAuthority: json["tlsSigningAuthority"]?.stringValue,
            userConsent: consent, iderEnabled: json["iderEnabled"]?.boolValue, kvmEnabled: json["kvmEnabled"]?.boolValue,
            solEnabled: json["solEnabled"]?.boolValue, dhcpEnabled: json["dhcpEnabled"]?.boolValue ?? true,
            ipSyncEnabled: json["ipSyncEnabled"]?.boolValue, localWifiSyncEnabled: json["localWifiSyncEnabled"]?.boolValue,
            tags: json["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            ieee8021xProfileName: json["ieee8021xProfileName"]?.stringValue,
            wifiConfigs: ProfileInput.wifiLinks(in: json), tenantId: tenantId, version: version ?? 0)
        let amt: SecretChange =
            if let text = json["amtPassword"]?.stringValue { .set(Secret(text)) } else if generateAMT { .clear } else { .keep }
        let mebx: SecretChange =
            if mode == .acm, let text = json["mebxPassword"]?.stringValue { .set(Secret(text)) }
            else if mode == .ccm || generateMEBx { .clear } else { .keep }
        return (profile, amt, mebx)
    }
}

extension SecretChange {
    /// The value being set, if any (a create has nothing to keep or clear).
    var secret: Secret? {
        if case .set(let secret) = self { return secret }
        return nil
    }
}
