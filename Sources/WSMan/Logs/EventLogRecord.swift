import Foundation

/// One record of AMT's event log (`AMT_MessageLog.GetRecords` returns them base64 encoded):
/// 21 bytes — time u32 little-endian (seconds since 1970), then `DeviceAddress`,
/// `EventSensorType`, `EventType`, `EventOffset`, `EventSourceType`, `EventSeverity`,
/// `SensorNumber`, `Entity`, `EntityInstance` (one byte each) and 8 bytes of `EventData`.
/// Shared by the host (decoding) and the simulator (encoding).
public struct EventLogRecord: Sendable, Equatable {
    public static let size = 21

    public var time: Date
    public var deviceAddress: UInt8
    public var eventSensorType: UInt8
    public var eventType: UInt8
    public var eventOffset: UInt8
    public var eventSourceType: UInt8
    /// 1 monitor, 2 information, 4 OK, 8 non-critical, 16 critical, 32 non-recoverable.
    public var eventSeverity: UInt8
    public var sensorNumber: UInt8
    public var entity: UInt8
    public var entityInstance: UInt8
    public var eventData: [UInt8]

    public init(
        time: Date, deviceAddress: UInt8 = 0xFF, eventSensorType: UInt8, eventType: UInt8 = 0x6F, eventOffset: UInt8,
        eventSourceType: UInt8 = 0x68, eventSeverity: UInt8, sensorNumber: UInt8 = 0xFF, entity: UInt8,
        entityInstance: UInt8 = 0, eventData: [UInt8] = Array(repeating: 0, count: 8)
    ) {
        self.time = time
        self.deviceAddress = deviceAddress
        self.eventSensorType = eventSensorType
        self.eventType = eventType
        self.eventOffset = eventOffset
        self.eventSourceType = eventSourceType
        self.eventSeverity = eventSeverity
        self.sensorNumber = sensorNumber
        self.entity = entity
        self.entityInstance = entityInstance
        self.eventData = Array((eventData + Array(repeating: 0, count: 8)).prefix(8))
    }

    public func encoded() -> [UInt8] {
        let seconds = UInt32(clamping: Int64(time.timeIntervalSince1970))
        return [UInt8(seconds & 0xFF), UInt8((seconds >> 8) & 0xFF), UInt8((seconds >> 16) & 0xFF), UInt8(seconds >> 24),
                deviceAddress, eventSensorType, eventType, eventOffset, eventSourceType, eventSeverity, sensorNumber,
                entity, entityInstance] + eventData
    }

    /// - Throws: ``AuditLogRecordError/truncated`` unless `bytes` holds at least 21 bytes.
    public init(decoding bytes: [UInt8]) throws(AuditLogRecordError) {
        guard bytes.count >= Self.size else { throw .truncated }
        let seconds = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        self.init(
            time: Date(timeIntervalSince1970: TimeInterval(seconds)), deviceAddress: bytes[4], eventSensorType: bytes[5],
            eventType: bytes[6], eventOffset: bytes[7], eventSourceType: bytes[8], eventSeverity: bytes[9],
            sensorNumber: bytes[10], entity: bytes[11], entityInstance: bytes[12], eventData: Array(bytes[13..<21]))
    }

    /// The entity's name (IPMI entity IDs), as MPS's `EntityStr`.
    public var entityName: String { Self.entities[entity] ?? "Unknown" }

    /// A short description (MPS's `Desc`) for the sensor types AMT logs.
    public var description: String {
        switch (eventSensorType, eventOffset) {
        case (0x0F, 0x00), (0x0F, 0x02): return "BIOS POST progress"
        case (0x0F, 0x01): return "BIOS POST error"
        case (0x12, _): return "System event"
        case (0x1D, _): return "System boot initiated"
        case (0x25, _): return "Entity presence change"
        case (0x05, _): return "Chassis intrusion"
        case (0x23, _): return "Watchdog timer"
        default: return "Sensor type \(eventSensorType), offset \(eventOffset)"
        }
    }

    static let entities: [UInt8: String] = [
        0: "Unspecified", 1: "Other", 2: "Unknown", 3: "Processor", 7: "System Board", 19: "Power Unit",
        23: "System Chassis", 34: "BIOS", 35: "Operating System", 38: "Intel(r) ME",
    ]
}
