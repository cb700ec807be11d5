import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// `domains.create|get|list|update|delete` (RPS `/api/v1/admin/domains`).
    func registerDomainCommands() {
        registerAdmin("domains.create", "Create a domain with its PFX provisioning certificate (Open AMT body)") { host, args in
            try await host.createDomain(args)
        }
        registerAdmin("domains.get", "One domain: {profileName}") { host, args in
            let name = try args.requiredKey("profileName", command: "domains.get")
            return AdminJSON.domain(try await host.adminStore().domains.get(profileName: name, tenantId: args.tenantId))
        }
        registerAdmin("domains.list", "Domains: {$top, $skip, $count}") { host, args in
            let paging = try AdminPaging(args)
            let page = try await host.adminStore().domains.list(tenantId: args.tenantId, page: paging.page)
            return paging.result(page, AdminJSON.domain)
        }
        registerAdmin("domains.update", "Change a domain: {profileName, version, …changed fields}") { host, args in
            try await host.updateDomain(args)
        }
        registerAdmin("domains.delete", "Delete a domain: {profileName}") { host, args in
            let store = try host.adminStore()
            let name = try args.requiredKey("profileName", command: "domains.delete")
            let current = try await store.domains.get(profileName: name, tenantId: args.tenantId)
            try await store.domains.delete(profileName: current.profileName, tenantId: args.tenantId)
            try await host.recordAudit(store, action: "domain.delete", target: current.profileName, args: args, tenantId: args.tenantId)
            return ["deleted": .string(current.profileName)]
        }
    }

    /// The draft; a `data:…;base64,` prefix on the certificate (what the web UI sends) is stripped.
    private func domainDraft(_ args: AdminArguments, errors: inout [FieldError]) -> DomainDraft {
        func text(_ key: String) -> String? {
            if case .wrongType = args.string(key) { errors.append(FieldError(field: key, message: "\(key) must be a string")) }
            return args.text(key)
        }
        var cert = text("provisioningCert")
        if let value = cert, let range = value.range(of: "base64,") { cert = String(value[range.upperBound...]) }
        return DomainDraft(
            profileName: text("profileName"), domainSuffix: text("domainSuffix"), provisioningCert: cert,
            provisioningCertPassword: text("provisioningCertPassword"),
            provisioningCertStorageFormat: text("provisioningCertStorageFormat"))
    }

    func createDomain(_ args: AdminArguments) async throws -> JSONValue {
        let store = try adminStore()
        var errors: [FieldError] = []
        let draft = domainDraft(args, errors: &errors)
        let result = DomainValidator().validateCreate(draft)
        errors = result.errors + errors
        guard errors.isEmpty, let info = result.certificate, let name = draft.profileName, let suffix = draft.domainSuffix,
              let cert = draft.provisioningCert, let password = draft.provisioningCertPassword,
              let format = draft.provisioningCertStorageFormat.flatMap(CertificateStorageFormat.init(rawValue:))
        else { throw AdminErrors.validation(errors, what: "domain") }
        let domain = Domain(
            profileName: name, domainSuffix: suffix, provisioningCertStorageFormat: format,
            expirationDate: info.expirationDate, tenantId: args.tenantId)
        let created = try await store.domains.create(
            domain, certificate: ProvisioningCertificateSecret(pfxBase64: Secret(cert), password: Secret(password)))
        try await recordAudit(
            store, action: "domain.create", target: created.profileName, args: args, tenantId: created.tenantId,
            detail: "suffix \(created.domainSuffix), certificate \(info.leafCommonName ?? "?") expires \(AdminJSON.date(info.expirationDate).stringValue ?? "")")
        return AdminJSON.domain(created)
    }

    func updateDomain(_ args: AdminArguments) async throws -> JSONValue {
        let store = try adminStore()
        var errors: [FieldError] = []
        let draft = domainDraft(args, errors: &errors)
        // RPS's order: body rules, then 404, then (Tether only) the PFX checks.
        errors = DomainValidator().validateUpdateFields(draft) + errors
        if !errors.isEmpty { throw AdminErrors.validation(errors, what: "domain") }
        let current = try await store.domains.get(profileName: draft.profileName ?? "", tenantId: args.tenantId)
        let result = DomainValidator().validateUpdateCertificate(draft)
        if !result.errors.isEmpty { throw AdminErrors.validation(result.errors, what: "domain") }
        guard let version = args.version, version == current.version else {
            throw AdminErrors.staleVersion(
                "Domain \(current.profileName) is at version \(current.version); send that version to update it",
                current: AdminJSON.domain(current), version: current.version)
        }
        var domain = current
        if let suffix = draft.domainSuffix { domain.domainSuffix = suffix }
        if let format = draft.provisioningCertStorageFormat.flatMap(CertificateStorageFormat.init(rawValue:)) {
            domain.provisioningCertStorageFormat = format
        }
        var certificate: ProvisioningCertificateSecret?
        if let info = result.certificate, let cert = draft.provisioningCert, let password = draft.provisioningCertPassword {
            domain.expirationDate = info.expirationDate
            certificate = ProvisioningCertificateSecret(pfxBase64: Secret(cert), password: Secret(password))
        }
        let updated: Domain
        do {
            updated = try await store.domains.update(domain, certificate: certificate)
        } catch StoreError.conflict {
            let now = try await store.domains.get(profileName: current.profileName, tenantId: args.tenantId)
            throw AdminErrors.staleVersion(
                "Domain \(now.profileName) was changed concurrently; current version is \(now.version)",
                current: AdminJSON.domain(now), version: now.version)
        }
        try await recordAudit(
            store, action: "domain.update", target: updated.profileName, args: args, tenantId: updated.tenantId,
            detail: "suffix \(updated.domainSuffix)" + (certificate != nil ? ", certificate replaced" : ""))
        return AdminJSON.domain(updated)
    }
}
