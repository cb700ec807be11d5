import TetherJSON

/// `amt.alarms.list`: the alarm clock occurrences (`IPS_AlarmClockOccurrence`).
/// JSON: `{"alarms": [{"properties": {"InstanceID", "ElementName", "StartTime", "Interval"?,
/// "DeleteOnCompletion"}, "intervalMinutes": 0}]}`; `intervalMinutes` is the `Interval`
/// duration in whole minutes (0 for a one-shot alarm).
public struct AMTAlarmOccurrences: AMTResult, Equatable {
    public struct Alarm: Codable, Sendable, Equatable {
        public var properties: JSONValue
        public var intervalMinutes: Int
    }

    public var alarms: [Alarm]
}

/// `amt.alarms.add` / `amt.alarms.delete`: the alarm that was added or deleted.
/// JSON: `{"instanceID": "wake-up"}`.
public struct AMTAlarmChange: AMTResult, Equatable {
    public var instanceID: String

    public init(instanceID: String) { self.instanceID = instanceID }
}

/// `amt.features.get`: the redirection features and the user-consent policy.
/// JSON: `{"userConsent": "none"|"kvm"|"all"|"unknown", "redirection": bool (the listener),
/// "kvm", "sol", "ider": bool, "optInState": n (IPS_OptInService.OptInState),
/// "kvmAvailable": bool (the device has CIM_KVMRedirectionSAP)}`.
public struct AMTFeatures: AMTResult, Equatable {
    public var userConsent: String
    public var redirection: Bool
    public var kvm: Bool
    public var sol: Bool
    public var ider: Bool
    public var optInState: Int
    public var kvmAvailable: Bool
}

/// `amt.features.set`: what was applied. JSON: `{"userConsent", "sol", "ider", "kvm"}`.
public struct AMTFeatureSettings: AMTResult, Equatable {
    public var userConsent: String
    public var sol: Bool
    public var ider: Bool
    public var kvm: Bool

    public init(userConsent: String, sol: Bool, ider: Bool, kvm: Bool) {
        self.userConsent = userConsent
        self.sol = sol
        self.ider = ider
        self.kvm = kvm
    }
}

/// `amt.wifi.apply`: which of an AMT profile's Wi-Fi links were written into the device.
/// JSON: `{"applied": [name…], "failed": [{"profileName", "reason", "returnValue"?}]}`.
public struct AMTWiFiApplication: AMTResult, Equatable {
    public struct Failure: Codable, Sendable, Equatable {
        public var profileName: String
        public var reason: String
        /// The device's ReturnValue, when it refused (nil: not sent).
        public var returnValue: Int?

        public init(profileName: String, reason: String, returnValue: Int? = nil) {
            self.profileName = profileName
            self.reason = reason
            self.returnValue = returnValue
        }
    }

    public var applied: [String] = []
    public var failed: [Failure] = []

    public init() {}
}
