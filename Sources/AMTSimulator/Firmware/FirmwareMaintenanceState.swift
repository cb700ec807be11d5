import Foundation
import WSMan

/// The simulated firmware's maintenance state: redirection services, user consent (opt-in),
/// the alarm clock, the audit and event logs and the provisioning state.
public struct FirmwareMaintenanceState: Sendable, Equatable {
    /// One `IPS_AlarmClockOccurrence`.
    public struct Alarm: Sendable, Equatable {
        public var instanceID: String
        public var elementName: String
        /// ISO 8601 date-time, as sent.
        public var startTime: String
        /// ISO 8601 duration, when recurring.
        public var interval: String?
        public var deleteOnCompletion: Bool
    }

    /// AMT keeps at most this many alarm occurrences.
    public static let alarmQuota = 5

    /// `AMT_RedirectionService.EnabledState`: 32768 + 1 (IDER) + 2 (SOL); 32771 = both on.
    public var redirectionEnabledState = 32771
    /// `AMT_RedirectionService.ListenerEnabled`.
    public var listenerEnabled = true
    /// Whether the platform has KVM (`CIM_KVMRedirectionSAP` exists).
    public var kvmAvailable = true
    /// `CIM_KVMRedirectionSAP.EnabledState`: 2 enabled, 3 disabled, 6 enabled but offline.
    public var kvmEnabledState = 2
    /// `IPS_OptInService.OptInRequired`: 0 none, 1 KVM, 4294967295 all.
    public var optInRequired = 4_294_967_295
    /// `IPS_OptInService.OptInState`: 0 not started, 1 requested, 2 displayed, 3 received.
    public var optInState = 0
    /// The code "shown on the screen" after `StartOptIn`.
    public var consentCode: String?
    public var alarms: [Alarm] = []
    /// Wi-Fi profiles, in the order written (passphrases kept so tests can check what arrived;
    /// never rendered in replies, as AMT does not return them).
    public var wifiSettings: [WiFiEndpointSettings] = []
    /// Oldest first, as AMT stores them.
    public var auditLog: [AuditLogRecord]
    /// Newest first, as `GetRecords` returns them.
    public var eventLog: [EventLogRecord]
    /// False after a successful `Unprovision`.
    public var provisioned = true
    /// What `Unprovision` answers (0 accepts; e.g. 16 NOT_PERMITTED refuses).
    public var unprovisionReturnValue = 0
    /// How many records one `ReadRecords` returns (AMT: 390).
    public var auditBatchSize = 390

    /// A device activated in CCM a few days before `now`, powered and used since.
    public init(now: Date = Date()) {
        let day: TimeInterval = 86400
        let start = now.addingTimeInterval(-7 * day)
        func at(_ offset: TimeInterval) -> Date { Date(timeIntervalSince1970: (start.timeIntervalSince1970 + offset).rounded(.down)) }
        auditLog = [
            AuditLogRecord(auditAppID: 16, eventID: 0, initiator: .local, time: at(0), mcLocationType: 2),
            AuditLogRecord(auditAppID: 16, eventID: 1, initiator: .local, time: at(60), mcLocationType: 2),
            AuditLogRecord(auditAppID: 16, eventID: 2, initiator: .httpDigest(username: "admin"), time: at(120), netAddress: "192.168.8.50"),
            AuditLogRecord(auditAppID: 17, eventID: 0, initiator: .httpDigest(username: "admin"), time: at(day), netAddress: "192.168.8.50"),
            AuditLogRecord(auditAppID: 17, eventID: 4, initiator: .httpDigest(username: "admin"), time: at(day + 30), netAddress: "192.168.8.50"),
            AuditLogRecord(auditAppID: 18, eventID: 8, initiator: .httpDigest(username: "admin"), time: at(2 * day), netAddress: "192.168.8.50", extendedData: [0x01]),
            AuditLogRecord(auditAppID: 18, eventID: 9, initiator: .httpDigest(username: "admin"), time: at(2 * day + 900), netAddress: "192.168.8.50"),
            AuditLogRecord(auditAppID: 17, eventID: 3, initiator: .httpDigest(username: "admin"), time: at(3 * day), netAddress: "192.168.8.50"),
        ]
        eventLog = [
            EventLogRecord(time: at(3 * day + 20), eventSensorType: 0x0F, eventOffset: 0x02, eventSeverity: 2, entity: 34),
            EventLogRecord(time: at(3 * day + 5), eventSensorType: 0x0F, eventOffset: 0x00, eventSeverity: 2, entity: 34),
            EventLogRecord(time: at(3 * day), eventSensorType: 0x1D, eventOffset: 0x07, eventSeverity: 2, entity: 38),
            EventLogRecord(time: at(day), eventSensorType: 0x0F, eventOffset: 0x01, eventSeverity: 16, entity: 7, eventData: [0x40, 0x13]),
        ]
    }
}
