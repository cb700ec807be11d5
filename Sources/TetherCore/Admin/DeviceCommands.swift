import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// `devices.create|get|list|update|delete|tags|stats` (MPS `/api/v1/devices`). `mpsPassword` and
    /// `amtPassword` are write-only: sealed, never echoed.
    func registerDeviceCommands() {
        registerAdmin("devices.create", "Register a device: {guid, hostname, friendlyName, tags, mpsusername, mpsPassword, amtPassword, …}") { host, args in
            try await host.createDevice(args)
        }
        registerAdmin("devices.get", "One device: {guid}") { host, args in
            let guid = try Self.deviceGUID(args)
            return AdminJSON.device(try await host.adminStore().devices.get(guid: guid, tenantId: args.tenantId))
        }
        registerAdmin("devices.list", "Devices: {$top, $skip, $count, tags (comma list), method (AND|OR), hostname, friendlyName, status (0|1)}") { host, args in
            let paging = try AdminPaging(args)
            let filter = try Self.deviceFilter(args)
            let page = try await host.adminStore().devices.list(tenantId: args.tenantId, filter: filter, page: paging.page)
            return paging.result(page) { AdminJSON.device($0, withTimestamps: false) }
        }
        registerAdmin("devices.update", "Change a device: {guid, …changed fields, version (optional)}") { host, args in
            try await host.updateDevice(args)
        }
        registerAdmin("devices.delete", "Delete a device and its credentials: {guid}") { host, args in
            let store = try host.adminStore()
            let guid = try Self.deviceGUID(args)
            try await store.devices.delete(guid: guid, tenantId: args.tenantId)
            try await host.recordAudit(store, action: "device.delete", target: guid.lowercased(), args: args, tenantId: args.tenantId)
            return ["deleted": .string(guid.lowercased())]
        }
        registerAdmin("devices.tags", "Distinct device tags") { host, args in
            .array(try await host.adminStore().devices.tags(tenantId: args.tenantId).map(JSONValue.string))
        }
        registerAdmin("devices.stats", "Device counts: {totalCount, connectedCount, disconnectedCount}") { host, args in
            let stats = try await host.adminStore().devices.stats(tenantId: args.tenantId)
            return [
                "totalCount": .number(stats.total), "connectedCount": .number(stats.connected),
                "disconnectedCount": .number(max(stats.total - stats.connected, 0)),
            ]
        }
    }

    /// `guid` must be a UUID (MPS: "Invalid value" on path guid).
    static func deviceGUID(_ args: AdminArguments) throws(CommandError) -> String {
        guard let guid = args.text("guid"), UUID(uuidString: guid) != nil else {
            throw AdminErrors.validation([FieldError(field: "guid", message: "Invalid value")], what: "device")
        }
        return guid
    }

    static func deviceFilter(_ args: AdminArguments) throws(CommandError) -> DeviceFilter {
        var errors: [FieldError] = []
        var filter = DeviceFilter()
        if case .value(let tags) = args.stringList("tags", allowCommaString: true) { filter.tags = tags }
        switch args.text("method")?.uppercased() {
        case nil: break
        case "AND"?: filter.tagMatch = .all
        case "OR"?: filter.tagMatch = .any
        default: errors.append(FieldError(field: "method", message: "method should be either AND or OR"))
        }
        filter.hostname = args.text("hostname")
        if let hostname = filter.hostname, hostname.count > 256 {
            errors.append(FieldError(field: "hostname", message: "Hostname must be less than 256 characters"))
        }
        filter.friendlyName = args.text("friendlyName")
        switch args.members["status"] {
        case nil, .null?: break
        case .bool(let flag)?: filter.connectionStatus = flag
        case let raw?:
            let value = raw.intValue ?? raw.stringValue.flatMap { Int($0) }
            if value == 0 || value == 1 { filter.connectionStatus = value == 1 } else {
                errors.append(FieldError(field: "status", message: "status should be 0 (disconnected) or 1 (connected)"))
            }
        }
        if !errors.isEmpty { throw AdminErrors.validation(errors, what: "query") }
        return filter
    }

    /// The editable fields of the body, applied over `device`; type errors are collected.
    private static func applyDeviceFields(_ args: AdminArguments, to device: inout Device, errors: inout [FieldError]) {
        func text(_ key: String, _ apply: (String?) -> Void) {
            switch args.string(key) {
            case .value(let value): apply(value)
            case .null: apply(nil)
            case .wrongType: errors.append(FieldError(field: key, message: "\(key) should be a string"))
            case .absent: break
            }
        }
        text("hostname") { device.hostname = $0 }
        if let hostname = device.hostname, hostname.count > 255 {
            errors.append(FieldError(field: "hostname", message: "Hostname must be less than 256 characters"))
        }
        text("friendlyName") { device.friendlyName = $0 }
        text("dnsSuffix") { device.dnsSuffix = $0 }
        text("mpsusername") { device.mpsUsername = $0 }
        switch args.stringList("tags") {
        case .value(let tags): device.tags = tags
        case .null: device.tags = []
        case .wrongType: errors.append(FieldError(field: "tags", message: "tags should be an array of strings"))
        case .absent: break
        }
        if let info = args.members["deviceInfo"] {
            if info.isNull {
                device.deviceInfo = nil
            } else if info.objectValue != nil {
                device.deviceInfo = DeviceInfo(
                    fwVersion: info["fwVersion"]?.stringValue, fwBuild: info["fwBuild"]?.stringValue,
                    fwSku: info["fwSku"]?.stringValue, currentMode: info["currentMode"]?.stringValue,
                    features: info["features"]?.stringValue, ipAddress: info["ipAddress"]?.stringValue,
                    lastUpdated: info["lastUpdated"]?.stringValue.flatMap { try? Date($0, strategy: .iso8601) })
            } else {
                errors.append(FieldError(field: "deviceInfo", message: "deviceInfo should be an object if provided"))
            }
        }
        for key in ["mpsPassword", "amtPassword"] {
            if case .wrongType = args.string(key) { errors.append(FieldError(field: key, message: "\(key) should be a string")) }
        }
        if let password = args.text("mpsPassword"), password.isEmpty || password.count > CIRAConfigValidator.maximumPasswordLength {
            errors.append(FieldError(field: "mpsPassword", message: "MPS password length should be in between 1 to \(CIRAConfigValidator.maximumPasswordLength)"))
        }
    }

    func createDevice(_ args: AdminArguments) async throws -> JSONValue {
        let store = try adminStore()
        let guid = try Self.deviceGUID(args)
        var device = Device(guid: guid, tenantId: args.tenantId)
        var errors: [FieldError] = []
        Self.applyDeviceFields(args, to: &device, errors: &errors)
        if !errors.isEmpty { throw AdminErrors.validation(errors, what: "device") }
        let secrets = DeviceSecrets(
            mpsPassword: args.text("mpsPassword").map(Secret.init), amtPassword: args.text("amtPassword").map(Secret.init))
        let created = try await store.devices.create(device, secrets: secrets)
        try await recordAudit(
            store, action: "device.create", target: created.guid, args: args, tenantId: created.tenantId,
            detail: Self.credentialNote(args))
        return AdminJSON.device(created)
    }

    func updateDevice(_ args: AdminArguments) async throws -> JSONValue {
        let store = try adminStore()
        let guid = try Self.deviceGUID(args)
        let current = try await store.devices.get(guid: guid, tenantId: args.tenantId)
        var device = current
        var errors: [FieldError] = []
        Self.applyDeviceFields(args, to: &device, errors: &errors)
        if !errors.isEmpty { throw AdminErrors.validation(errors, what: "device") }
        if args.has("version") {
            guard let version = args.version else {
                throw AdminErrors.validation([FieldError(field: "version", message: "version should be an integer")], what: "device")
            }
            device.version = version
        }
        var updated: Device
        do {
            updated = try await store.devices.update(device)
        } catch StoreError.conflict {
            let now = try await store.devices.get(guid: guid, tenantId: args.tenantId)
            throw AdminErrors.staleVersion(
                "Device \(now.guid) is at version \(now.version); send that version to update it",
                current: AdminJSON.device(now), version: now.version)
        }
        let changes = DeviceSecretChanges(
            mpsPassword: args.text("mpsPassword").map { .set(Secret($0)) } ?? .keep,
            amtPassword: args.text("amtPassword").map { .set(Secret($0)) } ?? .keep)
        if changes != DeviceSecretChanges() {
            try await store.devices.updateSecrets(guid: guid, tenantId: args.tenantId, changes: changes)
            updated = try await store.devices.get(guid: guid, tenantId: args.tenantId)
        }
        try await recordAudit(
            store, action: "device.update", target: updated.guid, args: args, tenantId: updated.tenantId,
            detail: Self.credentialNote(args))
        return AdminJSON.device(updated)
    }

    /// Which credentials a request set — never their values.
    private static func credentialNote(_ args: AdminArguments) -> String? {
        let set = ["mpsPassword", "amtPassword"].filter { args.text($0) != nil }
        return set.isEmpty ? nil : "set \(set.joined(separator: ", "))"
    }
}
