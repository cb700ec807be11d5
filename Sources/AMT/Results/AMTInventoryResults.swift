import TetherJSON

/// `amt.boot.settings.get` / `amt.boot.settings.put`: the `AMT_BootSettingData` properties the
/// device holds (after a Put: its echo). JSON: `{"settings": {"BIOSSetup": false, …}}`.
public struct AMTBootSettings: AMTResult, Equatable {
    /// The instance's properties (WS-Man names; values as ``WSManJSON`` converts them).
    public var settings: JSONValue

    public init(settings: JSONValue) { self.settings = settings }
}

/// `amt.boot.settings.apply`: whether `AMT_BootSettingData` needed a Put to hold the wanted
/// values. JSON: `{"changed": true}`.
public struct AMTBootSettingsApplied: AMTResult, Equatable {
    /// True when a Put was sent (a value differed); false when the device already held them.
    public var changed: Bool

    public init(changed: Bool) { self.changed = changed }
}

/// `amt.version`: the `CIM_SoftwareIdentity` instances (AMT, Flash, Netstack, …) and the
/// `AMT_SetupAndConfigurationService` instance.
/// JSON: `{"softwareIdentity": [{…}], "setupAndConfiguration": {…}, "replyHeader": {…}}`, the
/// header being the one of the `AMT_SetupAndConfigurationService` Get reply.
public struct AMTVersion: AMTResult, Equatable {
    public var softwareIdentity: [JSONValue]
    public var setupAndConfiguration: JSONValue
    public var replyHeader: WSManReplyHeader

    public init(softwareIdentity: [JSONValue], setupAndConfiguration: JSONValue, replyHeader: WSManReplyHeader) {
        self.softwareIdentity = softwareIdentity
        self.setupAndConfiguration = setupAndConfiguration
        self.replyHeader = replyHeader
    }
}

/// `amt.generalSettings`: the `AMT_GeneralSettings` instance.
/// JSON: `{"generalSettings": {"HostName": …, "DigestRealm": …, …}, "replyHeader": {…}}`.
public struct AMTGeneralSettings: AMTResult, Equatable {
    public var generalSettings: JSONValue
    public var replyHeader: WSManReplyHeader

    public init(generalSettings: JSONValue, replyHeader: WSManReplyHeader) {
        self.generalSettings = generalSettings
        self.replyHeader = replyHeader
    }
}

/// `amt.hardwareInfo`: one entry per CIM class read.
/// JSON: `{"classes": {"CIM_Chassis": {"operation": "get", "instances": [{…}]},
/// "CIM_Processor": {"operation": "enumerate", "instances": [{…}, …]},
/// "CIM_Card": {"operation": "get", "error": {"code": "device_error", "message": "…"}}}}`.
/// A class the device cannot answer (a fault, an unusable reply) has `error` and no instances;
/// failures of the device as a whole (not connected, timeout, credentials) fail the command.
public struct AMTHardwareInventory: AMTResult, Equatable {
    /// How one class was read and what came back.
    public struct ClassReading: Codable, Sendable, Equatable {
        /// `get` (WS-Transfer Get of a singleton) or `enumerate` (Enumerate + Pull).
        public var operation: String
        public var instances: [JSONValue]?
        public var error: ClassError?

        public init(operation: String, instances: [JSONValue]? = nil, error: ClassError? = nil) {
            self.operation = operation
            self.instances = instances
            self.error = error
        }
    }

    /// Why a class could not be read: a code of the host's error vocabulary and a message.
    public struct ClassError: Codable, Sendable, Equatable {
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var classes: [String: ClassReading]

    public init(classes: [String: ClassReading]) { self.classes = classes }
}

/// `amt.wifi.list`: the Wi-Fi profiles stored on the device (`CIM_WiFiEndpointSettings`
/// instances; AMT never returns a passphrase). JSON: `{"profiles": [{…}]}`.
public struct AMTWiFiProfiles: AMTResult, Equatable {
    public var profiles: [JSONValue]

    public init(profiles: [JSONValue]) { self.profiles = profiles }
}
