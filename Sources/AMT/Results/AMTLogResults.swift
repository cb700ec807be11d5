/// `amt.log.audit`: security audit log records, newest first, decoded.
/// JSON: `{"totalCount": N, "records": [{"auditAppID", "auditApp", "eventID", "event",
/// "initiatorType", "initiator", "time" (ISO 8601, UTC), "mcLocationType", "netAddress",
/// "extendedData" (base64 of the record's extended data, "" when none)}]}`.
public struct AMTAuditLog: AMTResult, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public var auditAppID: Int
        public var auditApp: String
        public var eventID: Int
        public var event: String
        public var initiatorType: Int
        public var initiator: String
        public var time: String
        public var mcLocationType: Int
        public var netAddress: String
        public var extendedData: String
    }

    /// Records in the log (not only the ones returned).
    public var totalCount: Int
    public var records: [Record]
}

/// `amt.log.event`: the event log (platform event traps), decoded, in the device's order
/// (newest first). JSON: `{"records": [{"deviceAddress", "eventSensorType", "eventType",
/// "eventOffset", "eventSourceType", "eventSeverity", "sensorNumber", "entity", "entityInstance",
/// "eventData": [bytes], "time", "entityName", "description"}]}`.
public struct AMTEventLog: AMTResult, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public var deviceAddress: Int
        public var eventSensorType: Int
        public var eventType: Int
        public var eventOffset: Int
        public var eventSourceType: Int
        public var eventSeverity: Int
        public var sensorNumber: Int
        public var entity: Int
        public var entityInstance: Int
        public var eventData: [Int]
        public var time: String
        public var entityName: String
        public var description: String
    }

    public var records: [Record]
}
