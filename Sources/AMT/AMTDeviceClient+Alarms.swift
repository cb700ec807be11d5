import Foundation
import TetherJSON
import WSMan

/// The alarm clock (shared/reference/mps-api.md §2.3.5): `IPS_AlarmClockOccurrence` instances, added with
/// `AMT_AlarmClockService.AddAlarm` and removed with WS-Transfer Delete.
extension AMTDeviceClient {
    /// Why an alarm could not be added or deleted, as MPS tells them apart.
    public enum AlarmFailure: Sendable, Equatable {
        /// AMT keeps at most 5 occurrences (`QuotaLimit` fault).
        case quotaExceeded
        /// Any other refusal of AddAlarm (bad name, time, …), with the device's reason.
        case invalidParameters(String)
        /// No occurrence has that InstanceID.
        case notFound
    }

    /// The occurrences, each with its interval in minutes.
    public func alarmOccurrences() async throws(AMTError) -> AMTAlarmOccurrences {
        let items = try await enumerate(.ipsAlarmClockOccurrence)
        return AMTAlarmOccurrences(alarms: items.map { item in
            .init(properties: WSManJSON.object(item), intervalMinutes: Self.minutes(inDuration: Self.intervalText(item)))
        })
    }

    /// `AddAlarm`; nil on success. `interval` in minutes (nil/0 = one-shot).
    public func addAlarm(
        name: String, startTime: Date, intervalMinutes: Int?, deleteOnCompletion: Bool
    ) async throws(AMTError) -> AlarmFailure? {
        let ns = WSManResource.ipsAlarmClockOccurrence.uri
        let common = "http://schemas.dmtf.org/wbem/wscim/1/common"
        func field(_ tag: String, _ inner: String) -> String { "<s:\(tag) xmlns:s=\"\(ns)\">\(inner)</s:\(tag)>" }
        var template = field("InstanceID", XMLEscaping.text(name)) + field("ElementName", XMLEscaping.text(name))
        template += field("StartTime", "<p:Datetime xmlns:p=\"\(common)\">\(Self.iso8601(startTime))</p:Datetime>")
        if let minutes = intervalMinutes, minutes > 0 {
            template += field("Interval", "<p:Interval xmlns:p=\"\(common)\">\(Self.duration(minutes: minutes))</p:Interval>")
        }
        template += field("DeleteOnCompletion", deleteOnCompletion ? "true" : "false")
        do {
            let (_, value) = try await invoke(
                .invoke(.amtAlarmClockService, method: "AddAlarm", inputXML: "<h:AlarmTemplate>\(template)</h:AlarmTemplate>",
                        messageID: nextMessageID()),
                method: "AddAlarm")
            return value.isSuccess ? nil : .invalidParameters("AddAlarm returned \(value)")
        } catch .fault(let fault) {
            if (fault.subcode ?? "").contains("QuotaLimit") { return .quotaExceeded }
            return .invalidParameters(fault.reason)
        }
    }

    /// Deletes the occurrence `InstanceID = name`; nil on success.
    public func deleteAlarm(name: String) async throws(AMTError) -> AlarmFailure? {
        do {
            _ = try await call(.delete(.ipsAlarmClockOccurrence, messageID: nextMessageID(),
                                       selectors: [WSManSelector(name: "InstanceID", value: name)]))
            return nil
        } catch .fault {
            return .notFound
        }
    }

    static func intervalText(_ item: WSManInstance) -> String? {
        switch item["Interval"] {
        case .text(let text)?: return text
        case .object(let inner)?: return inner.string("Interval") ?? inner.string("Datetime")
        default: return nil
        }
    }

    /// Floored minutes of an ISO-8601 duration `P[nD]T[nH][nM][nS]` (0 when absent or malformed).
    static func minutes(inDuration text: String?) -> Int {
        guard let text, text.hasPrefix("P") else { return 0 }
        var seconds = 0.0
        var number = ""
        var inTime = false
        for character in text.dropFirst() {
            if character.isNumber || character == "." { number.append(character); continue }
            let value = Double(number) ?? 0
            number = ""
            switch character {
            case "T": inTime = true
            case "Y": seconds += value * 365 * 86400
            case "M" where !inTime: seconds += value * 30 * 86400
            case "W": seconds += value * 7 * 86400
            case "D": seconds += value * 86400
            case "H": seconds += value * 3600
            case "M": seconds += value * 60
            case "S": seconds += value
            default: return 0
            }
        }
        return Int(seconds / 60)
    }

    static func duration(minutes: Int) -> String {
        "P\(minutes / 1440)DT\((minutes % 1440) / 60)H\(minutes % 60)M0S"
    }

    static func iso8601(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: false).format(date)
    }
}
