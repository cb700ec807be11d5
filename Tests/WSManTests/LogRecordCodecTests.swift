import Foundation
import Testing
import WSMan

/// The audit and event log record codecs the host (decoding) and `amtsim` (encoding) share.
@Suite struct LogRecordCodecTests {
    @Test func auditRecordsRoundTripForEveryInitiator() throws {
        let time = Date(timeIntervalSince1970: 1_764_583_200)
        for initiator in [AuditLogRecord.Initiator.httpDigest(username: "admin"), .kerberos(sid: [1, 5, 0, 0, 0x15]), .local, .kvmDefaultPort] {
            let record = AuditLogRecord(
                auditAppID: 18, eventID: 8, initiator: initiator, time: time, mcLocationType: 0, netAddress: "192.168.8.50",
                extendedData: [0x01, 0x02])
            let decoded = try AuditLogRecord(decoding: record.encoded())
            #expect(decoded == record)
            #expect(decoded.eventName == "KVM Session Started")
            #expect(decoded.appName == "Redirection Manager")
        }
        // Layout facts: big-endian ids, the initiator type at byte 4, the user name's length at 5.
        let bytes = AuditLogRecord(auditAppID: 16, eventID: 1, initiator: .httpDigest(username: "ab"), time: time).encoded()
        #expect(Array(bytes.prefix(8)) == [0, 16, 0, 1, 0, 2, 0x61, 0x62])
        #expect(AuditLogRecord(auditAppID: 99, eventID: 7, initiator: .local, time: time).eventName == "#7")
    }

    @Test func truncatedAndUnknownAuditRecordsAreErrors() {
        let full = AuditLogRecord(auditAppID: 17, eventID: 0, initiator: .httpDigest(username: "admin"), time: Date(), netAddress: "10.0.0.1").encoded()
        for length in 0..<(full.count - 1) {
            #expect(throws: AuditLogRecordError.truncated) { try AuditLogRecord(decoding: Array(full.prefix(length))) }
        }
        var unknown = full
        unknown[4] = 9
        #expect(throws: AuditLogRecordError.unknownInitiator(9)) { try AuditLogRecord(decoding: unknown) }
        // A 255-byte length field pointing past the end is refused, not over-read.
        #expect(throws: AuditLogRecordError.truncated) { try AuditLogRecord(decoding: [0, 16, 0, 0, 0, 255, 0x41]) }
    }

    @Test func eventRecordsAre21LittleEndianBytes() throws {
        let record = EventLogRecord(
            time: Date(timeIntervalSince1970: 0x0102_0304), eventSensorType: 0x0F, eventOffset: 2, eventSeverity: 16, entity: 34,
            eventData: [0x40, 0x13])
        let bytes = record.encoded()
        #expect(bytes.count == EventLogRecord.size)
        #expect(Array(bytes.prefix(4)) == [4, 3, 2, 1])
        #expect(try EventLogRecord(decoding: bytes) == record)
        #expect(record.entityName == "BIOS" && record.description == "BIOS POST progress")
        #expect(throws: AuditLogRecordError.truncated) { try EventLogRecord(decoding: Array(bytes.prefix(20))) }
    }
}
