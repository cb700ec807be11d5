import Foundation
import TetherJSON
import WSMan

/// The security audit log (`AMT_AuditLog.ReadRecords`) and the event log
/// (`AMT_MessageLog.PositionToFirstRecord` + `GetRecords`), decoded (shared/reference/mps-api.md §2.3.3).
extension AMTDeviceClient {
    /// The audit log, newest first, skipping the `startIndex` newest records.
    /// - Throws: ``AMTError/invalidArgument(_:)`` when `startIndex` is past the end of the log.
    public func auditLog(startIndex: Int) async throws(AMTError) -> AMTAuditLog {
        guard startIndex >= 0 else { throw .invalidArgument("startIndex must be 0 or more") }
        let first = try await readAuditRecords(from: 1)
        let total = first.total
        if startIndex > 0, startIndex >= total {
            throw .invalidArgument("startIndex \(startIndex) is past the end of the audit log (\(total) records)")
        }
        // AMT returns a batch (oldest first) from a 1-based index; the newest wanted record is
        // number total − startIndex.
        let last = total - startIndex
        var records = first.records
        if records.count < last {
            let batch = max(first.records.count, 1)
            let from = max(1, last - batch + 1)
            records = try await readAuditRecords(from: from).records
            records = Array(records.prefix(last - from + 1))
        } else {
            records = Array(records.prefix(last))
        }
        return AMTAuditLog(totalCount: total, records: records.reversed().map(Self.auditRecord))
    }

    private func readAuditRecords(from index: Int) async throws(AMTError) -> (total: Int, records: [AuditLogRecord]) {
        let (reply, value) = try await invoke(
            .invoke(.amtAuditLog, method: "ReadRecords", parameters: [("StartIndex", String(index))], messageID: nextMessageID()),
            method: "ReadRecords")
        guard value.isSuccess else { throw .malformedReply("AMT_AuditLog.ReadRecords returned \(value)") }
        let output = try Self.instance("ReadRecords_OUTPUT", in: reply)
        guard let total = output.int("TotalRecordCount") else {
            throw .malformedReply("ReadRecords_OUTPUT has no TotalRecordCount")
        }
        var records: [AuditLogRecord] = []
        for text in output.strings("EventRecords") {
            guard let data = Data(base64Encoded: text) else { throw .malformedReply("an audit record is not base64") }
            do {
                records.append(try AuditLogRecord(decoding: Array(data)))
            } catch {
                throw .malformedReply("audit record: \(error)")
            }
        }
        return (total, records)
    }

    static func auditRecord(_ record: AuditLogRecord) -> AMTAuditLog.Record {
        AMTAuditLog.Record(
            auditAppID: record.auditAppID, auditApp: record.appName, eventID: record.eventID, event: record.eventName,
            initiatorType: record.initiator.type, initiator: record.initiator.text, time: iso8601(record.time),
            mcLocationType: record.mcLocationType, netAddress: record.netAddress,
            extendedData: Data(record.extendedData).base64EncodedString())
    }

    /// The event log: every record, decoded, in the device's order (newest first).
    public func eventLog() async throws(AMTError) -> AMTEventLog {
        let (positioned, start) = try await invoke(
            .invoke(.amtMessageLog, method: "PositionToFirstRecord", messageID: nextMessageID()), method: "PositionToFirstRecord")
        guard start.isSuccess else { throw .malformedReply("AMT_MessageLog.PositionToFirstRecord returned \(start)") }
        var iteration = try Self.instance("PositionToFirstRecord_OUTPUT", in: positioned).string("IterationIdentifier") ?? "1"
        var records: [AMTEventLog.Record] = []
        for _ in 0..<16 {
            let (reply, value) = try await invoke(
                .invoke(.amtMessageLog, method: "GetRecords",
                        parameters: [("IterationIdentifier", iteration), ("MaxReadRecords", "390")], messageID: nextMessageID()),
                method: "GetRecords")
            guard value.isSuccess else { throw .malformedReply("AMT_MessageLog.GetRecords returned \(value)") }
            let output = try Self.instance("GetRecords_OUTPUT", in: reply)
            for text in output.strings("RecordArray") {
                guard let data = Data(base64Encoded: text), let record = try? EventLogRecord(decoding: Array(data)) else {
                    throw .malformedReply("an event record is not 21 base64 bytes")
                }
                records.append(Self.eventRecord(record))
            }
            if output.bool("NoMoreRecords") != false { return AMTEventLog(records: records) }
            iteration = output.string("IterationIdentifier") ?? iteration
        }
        throw .malformedReply("the event log did not end after 16 GetRecords calls")
    }

    static func eventRecord(_ record: EventLogRecord) -> AMTEventLog.Record {
        AMTEventLog.Record(
            deviceAddress: Int(record.deviceAddress), eventSensorType: Int(record.eventSensorType), eventType: Int(record.eventType),
            eventOffset: Int(record.eventOffset), eventSourceType: Int(record.eventSourceType), eventSeverity: Int(record.eventSeverity),
            sensorNumber: Int(record.sensorNumber), entity: Int(record.entity), entityInstance: Int(record.entityInstance),
            eventData: record.eventData.map { Int($0) }, time: iso8601(record.time), entityName: record.entityName,
            description: record.description)
    }
}
