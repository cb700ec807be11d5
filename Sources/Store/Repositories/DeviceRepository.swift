import Foundation
import GRDB

/// The outcome of `DeviceRepository.applyConnectionEvents`.
public struct ConnectionEventsResult: Sendable, Equatable {
    /// Events that changed a device row.
    public var applied: Int
    /// Events for known devices that were older than the state already stored (ignored).
    public var stale: Int
    /// GUIDs (lower-case) of events for devices that do not exist, in event order, deduplicated.
    public var unknownGUIDs: [String]
}

/// Device records (the MPS device table). GUIDs are stored lower-case and are unique across tenants;
/// a device of another tenant reads as not found.
/// All methods are async, thread-safe, and run in one transaction each.
public struct DeviceRepository: Sendable {
    static let mpsPasswordContext = "devices.mps_password"
    static let amtPasswordContext = "devices.amt_password"
    static let mebxPasswordContext = "devices.mebx_password"
    static let table = SQLTable<Device>(name: "devices", keyColumn: "guid", entity: .device, decode: decode)
    let database: Database
    let sealer: SecretSealer

    public init(database: Database, sealer: SecretSealer) {
        self.database = database
        self.sealer = sealer
    }

    /// Inserts a device (version 1, disconnected) with optional sealed credentials.
    /// - Throws: `StoreError.invalidArgument` for a GUID that is not a UUID; `StoreError.duplicate`.
    @discardableResult
    public func create(_ device: Device, secrets: DeviceSecrets = DeviceSecrets()) async throws -> Device {
        let guid = try Self.normalize(device.guid)
        let mps = try SQLSupport.sealOptional(secrets.mpsPassword, context: Self.mpsPasswordContext, sealer: sealer)
        let amt = try SQLSupport.sealOptional(secrets.amtPassword, context: Self.amtPasswordContext, sealer: sealer)
        let mebx = try SQLSupport.sealOptional(secrets.mebxPassword, context: Self.mebxPasswordContext, sealer: sealer)
        let tags = try SQLSupport.encodeTags(device.tags)
        let info = try Self.encodeInfo(device.deviceInfo)
        return try await database.write { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO devices (guid, tenant_id, hostname, friendly_name, dns_suffix, tags,
                            mps_username, mps_password, amt_password, mebx_password, connection_status,
                            device_info, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 1)
                        """,
                    arguments: [
                        guid, device.tenantId, device.hostname, device.friendlyName, device.dnsSuffix, tags,
                        device.mpsUsername, mps, amt, mebx, info,
                    ])
            } catch where SQLSupport.isUniqueViolation(error) {
                throw StoreError.duplicate(.device, name: guid)
            }
            return try Self.table.fetch(db, key: guid, tenantId: device.tenantId)
        }
    }

    /// Returns the device. - Throws: `StoreError.notFound` (also when it belongs to another tenant).
    public func get(guid: String, tenantId: String = "") async throws -> Device {
        let guid = try Self.normalize(guid)
        return try await Self.table.get(database, key: guid, tenantId: tenantId)
    }

    /// The device with `guid` in whichever tenant holds it (GUIDs are unique across tenants):
    /// for the CIRA server and device operations, which know only the GUID.
    /// - Throws: `StoreError.notFound`.
    public func find(guid: String) async throws -> Device {
        let guid = try Self.normalize(guid)
        let tenant = try await database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT tenant_id FROM devices WHERE guid = ?", arguments: [guid])
        }
        guard let tenant else { throw StoreError.notFound(.device, name: guid) }
        return try await get(guid: guid, tenantId: tenant)
    }

    /// Lists the tenant's devices matching `filter`, ordered by guid. `totalCount` counts the
    /// devices matching the filter. (MPS returns the tenant's total regardless of filters and filters
    /// `status` after paging; both look accidental, so the filter applies before paging here.)
    public func list(
        tenantId: String = "", filter: DeviceFilter = DeviceFilter(), page: PageRequest = PageRequest()
    ) async throws -> Page<Device> {
        var clauses = ["tenant_id = ?"]
        var arguments: StatementArguments = [tenantId]
        if let hostname = filter.hostname {
            clauses.append("hostname = ?")
            arguments += [hostname]
        }
        if let friendlyName = filter.friendlyName {
            clauses.append("friendly_name = ?")
            arguments += [friendlyName]
        }
        if let status = filter.connectionStatus {
            clauses.append("connection_status = ?")
            arguments += [status]
        }
        if !filter.tags.isEmpty {
            switch filter.tagMatch {
            case .all:
                for tag in filter.tags {
                    clauses.append("EXISTS (SELECT 1 FROM json_each(devices.tags) WHERE json_each.value = ?)")
                    arguments += [tag]
                }
            case .any:
                let marks = Array(repeating: "?", count: filter.tags.count).joined(separator: ", ")
                clauses.append("EXISTS (SELECT 1 FROM json_each(devices.tags) WHERE json_each.value IN (\(marks)))")
                for tag in filter.tags { arguments += [tag] }
            }
        }
        return try await Self.table.list(
            database, where: clauses.joined(separator: " AND "), arguments: arguments, page: page)
    }

    /// Distinct tags over the tenant's devices, sorted.
    public func tags(tenantId: String = "") async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT json_each.value FROM devices, json_each(devices.tags) WHERE devices.tenant_id = ? ORDER BY 1",
                arguments: [tenantId])
        }
    }

    /// Devices of the tenant whose MPS username is `mpsUsername` (self-registration quota).
    public func count(tenantId: String = "", mpsUsername: String) async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM devices WHERE tenant_id = ? AND mps_username = ?",
                arguments: [tenantId, mpsUsername]) ?? 0
        }
    }

    /// Total and connected device counts for the tenant.
    public func stats(tenantId: String = "") async throws -> (total: Int, connected: Int) {
        try await database.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT COUNT(*), COALESCE(SUM(connection_status), 0) FROM devices WHERE tenant_id = ?",
                arguments: [tenantId])
            return (total: row?[0] ?? 0, connected: row?[1] ?? 0)
        }
    }

    /// Replaces the user-editable fields (hostname, friendlyName, dnsSuffix, tags, mpsUsername,
    /// deviceInfo) when `device.version` matches; connection fields are left alone.
    /// - Throws: `StoreError.notFound`, `StoreError.conflict`.
    @discardableResult
    public func update(_ device: Device) async throws -> Device {
        let guid = try Self.normalize(device.guid)
        let tags = try SQLSupport.encodeTags(device.tags)
        let info = try Self.encodeInfo(device.deviceInfo)
        return try await database.write { db in
            try Self.table.update(db, key: guid, tenantId: device.tenantId, version: device.version) {
                try db.execute(
                    sql: """
                        UPDATE devices SET hostname = ?, friendly_name = ?, dns_suffix = ?, tags = ?, mps_username = ?,
                            device_info = ?, version = version + 1
                        WHERE guid = ? AND tenant_id = ? AND version = ?
                        """,
                    arguments: [
                        device.hostname, device.friendlyName, device.dnsSuffix, tags, device.mpsUsername, info,
                        guid, device.tenantId, device.version,
                    ])
            }
        }
    }

    /// Changes the device's sealed credentials (no version check; the version is not bumped).
    /// - Throws: `StoreError.notFound`.
    public func updateSecrets(guid: String, tenantId: String = "", changes: DeviceSecretChanges) async throws {
        let guid = try Self.normalize(guid)
        var assignments: [String] = []
        var arguments: StatementArguments = []
        try SQLSupport.appendSecret(
            changes.mpsPassword, column: "mps_password", context: Self.mpsPasswordContext, sealer: sealer,
            assignments: &assignments, arguments: &arguments)
        try SQLSupport.appendSecret(
            changes.amtPassword, column: "amt_password", context: Self.amtPasswordContext, sealer: sealer,
            assignments: &assignments, arguments: &arguments)
        try SQLSupport.appendSecret(
            changes.mebxPassword, column: "mebx_password", context: Self.mebxPasswordContext, sealer: sealer,
            assignments: &assignments, arguments: &arguments)
        arguments += [guid, tenantId]
        let sql = assignments.isEmpty
            ? "UPDATE devices SET guid = guid WHERE guid = ? AND tenant_id = ?"
            : "UPDATE devices SET \(assignments.joined(separator: ", ")) WHERE guid = ? AND tenant_id = ?"
        try await database.write { [arguments] db in
            try db.execute(sql: sql, arguments: arguments)
            if db.changesCount == 0 { throw StoreError.notFound(.device, name: guid) }
        }
    }

    /// Deletes the device and its credentials. - Throws: `StoreError.notFound`.
    public func delete(guid: String, tenantId: String = "") async throws {
        let guid = try Self.normalize(guid)
        try await database.write { db in try Self.table.delete(db, key: guid, tenantId: tenantId) }
    }

    /// The device's credentials. For the host's internal use only (CIRA auth, WS-Man digest).
    /// - Throws: `StoreError.notFound`; `SecretError.tampered`.
    public func secrets(guid: String, tenantId: String = "") async throws -> DeviceSecrets {
        let guid = try Self.normalize(guid)
        let sealed = try await Self.table.select(
            database, columns: "mps_password, amt_password, mebx_password", key: guid, tenantId: tenantId
        ) { row -> [Data?] in [row[0], row[1], row[2]] }
        return DeviceSecrets(
            mpsPassword: try SQLSupport.unsealOptional(sealed[0], context: Self.mpsPasswordContext, sealer: sealer),
            amtPassword: try SQLSupport.unsealOptional(sealed[1], context: Self.amtPasswordContext, sealer: sealer),
            mebxPassword: try SQLSupport.unsealOptional(sealed[2], context: Self.mebxPasswordContext, sealer: sealer))
    }

    /// Applies CIRA connection events in order, in one transaction (one fsync for the batch).
    ///
    /// - connected: status on, `mpsInstance` set, `lastConnected` (and `lastSeen`) = at.
    /// - disconnected: status off, `mpsInstance` cleared, `lastDisconnected` = at — ignored as stale
    ///   if the device connected again after `at`.
    /// - seen: `lastSeen` = at, unless a later time is already stored.
    /// Connection events do not change `version` (they are not user edits). Events for unknown
    /// GUIDs are reported, not thrown, so one bad GUID does not drop the batch.
    @discardableResult
    public func applyConnectionEvents(_ events: [DeviceConnectionEvent]) async throws -> ConnectionEventsResult {
        let normalized = events.map { event -> (String, DeviceConnectionEvent) in
            (event.guid.lowercased(), event)
        }
        return try await database.write { db in
            var result = ConnectionEventsResult(applied: 0, stale: 0, unknownGUIDs: [])
            let connect = try db.cachedStatement(sql: """
                UPDATE devices SET connection_status = 1, mps_instance = ?, last_connected = ?,
                    last_seen = MAX(COALESCE(last_seen, ?), ?)
                WHERE guid = ?
                """)
            let disconnect = try db.cachedStatement(sql: """
                UPDATE devices SET connection_status = 0, mps_instance = NULL, last_disconnected = ?
                WHERE guid = ? AND (last_connected IS NULL OR last_connected <= ?)
                """)
            let seen = try db.cachedStatement(sql: """
                UPDATE devices SET last_seen = ? WHERE guid = ? AND (last_seen IS NULL OR last_seen <= ?)
                """)
            let exists = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM devices WHERE guid = ?)")
            for (guid, event) in normalized {
                let at = event.at.timeIntervalSince1970
                switch event.kind {
                case let .connected(instance):
                    try connect.execute(arguments: [instance, at, at, at, guid])
                case .disconnected:
                    try disconnect.execute(arguments: [at, guid, at])
                case .seen:
                    try seen.execute(arguments: [at, guid, at])
                }
                if db.changesCount > 0 {
                    result.applied += 1
                } else if try Bool.fetchOne(exists, arguments: [guid]) ?? false {
                    result.stale += 1
                } else if !result.unknownGUIDs.contains(guid) {
                    result.unknownGUIDs.append(guid)
                }
            }
            return result
        }
    }

    /// Marks every device held by `instance` as disconnected at `at` (host start-up / shutdown).
    /// Returns the number of devices changed.
    @discardableResult
    public func clearInstance(_ instance: String, at: Date = Date()) async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE devices SET connection_status = 0, mps_instance = NULL, last_disconnected = ?
                    WHERE mps_instance = ? AND connection_status = 1
                    """,
                arguments: [at.timeIntervalSince1970, instance])
            return db.changesCount
        }
    }

    static func normalize(_ guid: String) throws -> String {
        guard UUID(uuidString: guid) != nil else {
            throw StoreError.invalidArgument("Device guid \(guid.prefix(64)) is not a valid UUID")
        }
        return guid.lowercased()
    }

    static func encodeInfo(_ info: DeviceInfo?) throws -> String? {
        guard let info else { return nil }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(info), as: UTF8.self)
    }

    static func decode(_ row: Row) throws -> Device {
        let guid: String = row["guid"]
        var info: DeviceInfo?
        if let text = row["device_info"] as String? {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            do {
                info = try decoder.decode(DeviceInfo.self, from: Data(text.utf8))
            } catch {
                throw StoreError.corruptRecord(.device, name: guid, detail: "deviceInfo is not valid JSON")
            }
        }
        var device = Device(
            guid: guid, hostname: row["hostname"], friendlyName: row["friendly_name"], dnsSuffix: row["dns_suffix"],
            tags: try SQLSupport.decodeTags(row["tags"], entity: .device, name: guid),
            mpsUsername: row["mps_username"], tenantId: row["tenant_id"], deviceInfo: info, version: row["version"])
        device.connectionStatus = row["connection_status"]
        device.mpsInstance = row["mps_instance"]
        device.lastConnected = SQLSupport.date(row["last_connected"])
        device.lastSeen = SQLSupport.date(row["last_seen"])
        device.lastDisconnected = SQLSupport.date(row["last_disconnected"])
        device.hasMPSPassword = (row["mps_password"] as Data?) != nil
        device.hasAMTPassword = (row["amt_password"] as Data?) != nil
        device.hasMEBxPassword = (row["mebx_password"] as Data?) != nil
        return device
    }
}
