import Foundation
import TetherJSON

/// One event the host publishes (`tether.events/1`, webhooks, MQTT): a dotted `type`
/// (`device.connected`, `power.action.finished`, `profile.updated`, `job.finished`, …), the time
/// it happened, the device it concerns (if any), the tenant, and type-specific fields.
/// Events never carry secrets: publishers put only names, codes and results in `fields`.
public struct TetherEvent: Sendable, Equatable {
    public var type: String
    public var time: Date
    /// The device's GUID (lower case) when the event concerns one device.
    public var guid: String?
    /// The tenant; `nil` means "resolve it from the device record" (the bus does, for `guid`).
    public var tenantId: String?
    /// Type-specific members, merged into the JSON object (they cannot replace the four above).
    public var fields: [String: JSONValue]

    public init(type: String, guid: String? = nil, tenantId: String? = nil, time: Date = Date(), fields: [String: JSONValue] = [:]) {
        self.type = type
        self.time = time
        self.guid = guid?.lowercased()
        self.tenantId = tenantId
        self.fields = fields
    }

    /// The JSON every consumer sees: `{"type","time" (RFC 3339, UTC, milliseconds),"guid"?,"tenantId",…fields}`.
    public var json: JSONValue {
        var object = fields
        object["type"] = .string(type)
        object["time"] = .string(Self.rfc3339(time))
        if let guid { object["guid"] = .string(guid) } else { object.removeValue(forKey: "guid") }
        object["tenantId"] = .string(tenantId ?? "")
        return .object(object)
    }

    /// `2026-12-01T09:15:47.123Z`.
    public static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
